"""Reads accord's citation files with outside parsers, as reference managers would.

Given page folders of a built site, prints one JSON object per folder: what
bibtexparser makes of cite.bib, what rispy makes of cite.ris, and cite.json as
citeproc-py (a CSL processor other than the one accord uses) formats it in its
bundled Harvard style. The Rust tests compare these with the page's own tags.
"""
import json
import sys
import warnings

import bibtexparser
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

warnings.simplefilter("ignore")


def bibtex(path):
    with open(path, encoding="utf-8") as f:
        db = bibtexparser.load(f)
    [entry] = db.entries
    return entry


def ris(path):
    with open(path, encoding="utf-8") as f:
        [entry] = rispy.load(f)
    return {k: v for k, v in entry.items() if isinstance(v, (str, list))}


def csl(path):
    with open(path, encoding="utf-8") as f:
        items = json.load(f)
    source = CiteProcJSON(items)
    style = CitationStylesStyle("harvard-cite-them-right", validate=False)
    bibliography = CitationStylesBibliography(style, source, formatter.plain)
    bibliography.register(Citation([CitationItem(items[0]["id"])]))
    return {"items": items, "formatted": [str(entry) for entry in bibliography.bibliography()]}


out = {}
for folder in sys.argv[1:]:
    out[folder] = {
        "bibtex": bibtex(f"{folder}/cite.bib"),
        "ris": ris(f"{folder}/cite.ris"),
        "csl": csl(f"{folder}/cite.json"),
    }
json.dump(out, sys.stdout, ensure_ascii=False)

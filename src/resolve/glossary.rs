//! The glossary: every abbreviation the documents use, with its expansion
//! as the documents themselves give it. Each entry names the page that
//! defines it and quotes the defining words, and the build finds those words
//! on that page, so an expansion can never be the editors' guess.

use std::collections::{BTreeMap, HashMap};

use super::{DefinedIn, Resolver};
use crate::load::{RawGlossary, SourceFile};
use crate::model::*;
use crate::paths;
use toml::Spanned;

impl Resolver {
    pub(super) fn glossary(
        &mut self,
        raw: Vec<(SourceFile, RawGlossary)>,
        agreements: &[Agreement],
        pages: &[Page],
    ) -> Glossary {
        let mut terms: BTreeMap<String, Term> = BTreeMap::new();
        let mut ids = crate::markdown::IdSet::default();
        let (mut unexpanded, mut names) = (Vec::new(), Vec::new());
        // Each spelling, and the term it belongs to.
        let mut owners: HashMap<String, String> = HashMap::new();
        for (file, glossary) in raw {
            for t in glossary.term {
                let term_name = t.abbreviation.get_ref().clone();
                let spellings =
                    t.spelling.into_iter().map(|s| (s.abbreviation, s.expansion, s.defined, s.quote));
                for (n, (spelling, expansion, defined, quote)) in
                    std::iter::once((t.abbreviation, t.expansion, t.defined, t.quote))
                        .chain(spellings)
                        .enumerate()
                {
                    let name = spelling.get_ref();
                    if n > 0 && *name == term_name {
                        self.diags.push(
                            file.error(spelling.span(), format!("`{name}` is the term's own abbreviation"))
                                .with_help("a [[term.spelling]] is another way the documents print the term: remove this one"),
                        );
                        continue;
                    }
                    match owners.get(name) {
                        Some(owner) if *owner != term_name => {
                            let already = if owner == name {
                                "an entry of its own".to_owned()
                            } else {
                                format!("a spelling of {owner}")
                            };
                            self.diags.push(
                                file.error(spelling.span(), format!("`{name}` is already {already}"))
                                    .with_help("give each spelling of an abbreviation once: as a [[term]] or as one [[term.spelling]] of it"),
                            );
                            continue;
                        }
                        _ => {
                            owners.insert(name.clone(), term_name.clone());
                        }
                    }
                    let Some(expansion) =
                        self.definition(&file, &spelling, expansion, &defined, quote, agreements, pages)
                    else {
                        continue;
                    };
                    let base = format!("term-{}", slug::slugify(term_name.replace('&', "and")));
                    let term = terms.entry(term_name.clone()).or_insert_with(|| {
                        let anchor = ids.claim(&base);
                        Term {
                            url: self.url(&paths::at(paths::GLOSSARY, &anchor)),
                            anchor,
                            abbreviation: term_name.clone(),
                            spellings: Vec::new(),
                            expansions: Vec::new(),
                        }
                    });
                    if n > 0 && !term.spellings.contains(name) {
                        term.spellings.push(name.clone());
                    }
                    term.expansions.push(expansion);
                }
            }
            unexpanded.extend(glossary.unexpanded.into_iter().map(|u| u.abbreviation.into_inner()));
            names.extend(glossary.name.into_iter().map(|n| n.words));
        }
        let mut terms: Vec<Term> = terms.into_values().collect();
        terms.sort_by_key(|t| t.abbreviation.to_lowercase());
        if !terms.is_empty() {
            let ids = terms.iter().map(|t| t.anchor.clone()).collect();
            self.anchors.insert(paths::GLOSSARY.to_owned(), ids);
        }
        Glossary { terms, unexpanded, names }
    }

    /// One spelling's expansion, once its defining words are found, word
    /// for word, on the page named, and the expansion in them.
    #[allow(clippy::too_many_arguments)]
    fn definition(
        &mut self,
        file: &SourceFile,
        spelling: &Spanned<String>,
        expansion: Spanned<String>,
        defined: &Spanned<String>,
        quoted: Spanned<String>,
        agreements: &[Agreement],
        pages: &[Page],
    ) -> Option<Expansion> {
        let Some(path) = paths::from_reference(defined.get_ref()) else {
            self.diags.push(
                file.error(defined.span(), format!("`{}` is not an @/ path", defined.get_ref()))
                    .with_help("name the page that defines it, e.g. \"@/agreements/irc-2022-2025\" or \"@/agreements/irc-2022-2025/priorities/3\""),
            );
            return None;
        };
        let Some((title, text)) = page_text(&path, agreements, pages) else {
            self.unknown(
                DefinedIn::Page(&path),
                file.error(defined.span(), format!("no agreement, item or page `{}`", defined.get_ref()))
                    .with_help(
                        "the defining words must be on an agreement, an item or a context page of this site",
                    ),
            );
            return None;
        };
        let quote = super::governance::normalise(quoted.get_ref());
        // An agreement with a file that failed to load has text missing: that file's error is the cause.
        if self.incomplete.iter().any(|p| path.starts_with(p.as_str())) {
            return None;
        }
        if !text.contains(&quote) {
            self.diags.push(
                file.error(quoted.span(), format!("“{}” is not in the text of {title}", quoted.get_ref()))
                    .with_help("copy the defining words exactly as the page prints them"),
            );
            return None;
        }
        if !quote.contains(&super::governance::normalise(expansion.get_ref())) {
            self.diags.push(
                file.error(expansion.span(), "the expansion is not in the quoted words")
                    .with_help("give the expansion exactly as the quoted words print it"),
            );
            return None;
        }
        Some(Expansion {
            abbreviation: spelling.get_ref().clone(),
            expansion: expansion.into_inner(),
            quote: quoted.into_inner(),
            defined: Backlink { title, url: self.url(&path) },
        })
    }
}

/// The title and normalised text of the page at `path`, if it is an
/// agreement (all of it: sections, items, measures, what it says of its
/// scrutiny bodies and its signatories' roles), an item or a context page.
pub(super) fn page_text(path: &str, agreements: &[Agreement], pages: &[Page]) -> Option<(String, String)> {
    let norm = super::governance::normalise;
    if let Some(a) = agreements.iter().find(|a| a.path == path) {
        let mut text: Vec<&str> = a.sections.iter().map(|s| s.text.as_str()).collect();
        for item in &a.items {
            text.push(&item.text);
            text.extend(item.measures.iter().map(|m| m.text.as_str()));
        }
        for s in &a.scrutiny {
            text.push(&s.heading);
            text.push(&s.text);
        }
        for s in &a.signatories {
            text.push(&s.role);
        }
        return Some((a.short_title.clone(), norm(&text.join(" "))));
    }
    for a in agreements {
        if let Some(item) = a.items.iter().find(|i| i.path == path) {
            let mut text = vec![&*item.text];
            text.extend(item.measures.iter().map(|m| m.text.as_str()));
            return Some((format!("{} · {}", a.short_title, item.label), norm(&text.join(" "))));
        }
    }
    pages.iter().find(|p| paths::page(&p.slug) == path).map(|p| (p.title.clone(), norm(&p.text)))
}

//! The glossary: every abbreviation the documents use, with its expansion
//! as the documents themselves give it. Each entry names the page that
//! defines it and quotes the defining words, and the build finds those words
//! on that page, so an expansion can never be the editors' guess.

use std::collections::BTreeMap;

use super::{DefinedIn, Resolver};
use crate::load::{RawGlossary, SourceFile};
use crate::model::*;
use crate::paths;

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
        for (file, glossary) in raw {
            for t in glossary.term {
                let Some(path) = paths::from_reference(t.defined.get_ref()) else {
                    self.diags.push(
                        file.error(t.defined.span(), format!("`{}` is not an @/ path", t.defined.get_ref()))
                            .with_help("name the page that defines it, e.g. \"@/agreements/irc-2022-2025\" or \"@/agreements/irc-2022-2025/priorities/3\""),
                    );
                    continue;
                };
                let Some((title, text)) = page_text(&path, agreements, pages) else {
                    self.unknown(
                        DefinedIn::Page(&path),
                        file.error(t.defined.span(), format!("no agreement, item or page `{}`", t.defined.get_ref()))
                            .with_help("the defining words must be on an agreement, an item or a context page of this site"),
                    );
                    continue;
                };
                let quote = super::governance::normalise(t.quote.get_ref());
                // An agreement with a file that failed to load has text missing: that file's error is the cause.
                if self.incomplete.iter().any(|p| path.starts_with(p.as_str())) {
                    continue;
                }
                if !text.contains(&quote) {
                    self.diags.push(
                        file.error(
                            t.quote.span(),
                            format!("“{}” is not in the text of {title}", t.quote.get_ref()),
                        )
                        .with_help("copy the defining words exactly as the page prints them"),
                    );
                    continue;
                }
                if !quote.contains(&super::governance::normalise(t.expansion.get_ref())) {
                    self.diags.push(
                        file.error(t.expansion.span(), "the expansion is not in the quoted words")
                            .with_help("give the expansion exactly as the quoted words print it"),
                    );
                    continue;
                }
                let abbreviation = t.abbreviation.get_ref().clone();
                let base = format!("term-{}", slug::slugify(abbreviation.replace('&', "and")));
                let term = terms.entry(abbreviation.clone()).or_insert_with(|| {
                    // "MoJ" and "MOJ" are two entries: their anchors differ.
                    let anchor = ids.claim(&base);
                    Term {
                        url: self.url(&paths::at(paths::GLOSSARY, &anchor)),
                        anchor,
                        abbreviation,
                        expansions: Vec::new(),
                    }
                });
                term.expansions.push(Expansion {
                    expansion: t.expansion.into_inner(),
                    quote: t.quote.into_inner(),
                    defined: Backlink { title, url: self.url(&path) },
                });
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

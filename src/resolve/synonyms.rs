//! `content/synonyms.toml`, checked: groups of words the editors hold to
//! mean the same, for search.
//!
//! Search looks for every word of a group in the place of any other, so
//! a group must join something a reader types to something the site says:
//! at least two words, at least one of them in the site's text. A word may
//! belong to one group only (in two, it would join them, which the editors
//! should write as one group), and never be an abbreviation or expansion
//! of the glossary, which search already takes both ways.

use std::collections::HashMap;

use super::Resolver;
use crate::load::{RawSynonym, SourceFile};
use crate::model::{search_form, Agreement, Glossary, Page, Synonyms};

impl Resolver {
    pub(super) fn synonyms(
        &mut self,
        raw: Vec<(SourceFile, RawSynonym)>,
        agreements: &[Agreement],
        pages: &[Page],
        glossary: &Glossary,
    ) -> Vec<Synonyms> {
        if raw.is_empty() {
            return Vec::new();
        }
        let glossary_words = glossary_words(glossary);
        let site_text = site_text(agreements, pages);
        // Each word's search form, and the line of the group it is in.
        let mut grouped: HashMap<String, usize> = HashMap::new();
        let mut groups = Vec::new();
        for (file, synonym) in raw {
            let line = crate::diagnostics::line_col(&file.text, synonym.words.span().start).0;
            let mut kept: Vec<(String, String)> = Vec::new();
            let mut faulty = false;
            for word in synonym.words.get_ref() {
                let form = search_form(word.get_ref());
                let fault = if form.is_empty() {
                    Some(format!("`{}` has no letters or digits to search for", word.get_ref()))
                } else if kept.iter().any(|(f, _)| *f == form) {
                    Some(format!("`{}` is in this group twice", word.get_ref()))
                } else if let Some(other) = grouped.get(&form) {
                    Some(format!("`{}` is already in the group at line {other}", word.get_ref()))
                } else if glossary_words.contains_key(&form) {
                    Some(format!(
                        "`{}` is in the glossary ({}), and search already takes its abbreviation and expansion as the same",
                        word.get_ref(),
                        glossary_words[&form]
                    ))
                } else {
                    None
                };
                match fault {
                    Some(message) => {
                        let help = if message.contains("already in the group") {
                            "a word belongs to one group: put all the words of one meaning in one group"
                        } else {
                            "remove it from this group"
                        };
                        self.diags.push(file.error(word.span(), message).with_help(help));
                        faulty = true;
                    }
                    None => kept.push((form, word.get_ref().trim().to_owned())),
                }
            }
            for (form, _) in &kept {
                grouped.insert(form.clone(), line);
            }
            if faulty {
                continue;
            }
            if kept.len() < 2 {
                self.diags.push(
                    file.error(synonym.words.span(), "a group of synonyms needs at least two words")
                        .with_help("list a word readers type with the word the agreements use: words = [\"medicines\", \"medication\"]"),
                );
                continue;
            }
            if !kept.iter().any(|(form, _)| site_text.contains(&format!(" {form}"))) {
                self.diags.push(
                    file.error(synonym.words.span(), "none of these words is in the site's text, so search would find nothing by them")
                        .with_help("a group joins the words readers type to the words the agreements use: include the agreements' word"),
                );
                continue;
            }
            groups.push(Synonyms { words: kept.into_iter().map(|(_, word)| word).collect() });
        }
        groups
    }
}

/// The search form of every abbreviation, spelling and expansion in the
/// glossary, each with the abbreviation it belongs to.
fn glossary_words(glossary: &Glossary) -> HashMap<String, String> {
    let mut words = HashMap::new();
    for term in &glossary.terms {
        let spellings = std::iter::once(&term.abbreviation).chain(&term.spellings);
        let expansions = term.expansions.iter().map(|e| &e.expansion);
        for word in spellings.chain(expansions) {
            words.insert(search_form(word), term.abbreviation.clone());
        }
    }
    words
}

/// The text of every agreement and context page in search form, with a
/// space before it, so " {word}" finds a word (or the start of one, as
/// Pagefind does) at a word's start.
fn site_text(agreements: &[Agreement], pages: &[Page]) -> String {
    let mut text = String::from(" ");
    for a in agreements {
        if let Some((_, own)) = super::glossary::page_text(&a.path, agreements, pages) {
            text.push_str(&search_form(&own));
            text.push(' ');
        }
    }
    for p in pages {
        text.push_str(&search_form(&p.text));
        text.push(' ');
    }
    text
}

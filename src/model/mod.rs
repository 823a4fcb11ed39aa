//! The resolved content model: what templates, the search index and every
//! other output read.
//!
//! Built once by `resolve` from the raw files after every check has passed,
//! so its invariants hold: item numbers are unique per kind, partners exist,
//! every item sits in exactly one section, every internal link resolves.
//! URLs are computed here, once, because they are a promise to readers and
//! must be the same wherever they are printed.

mod agreement;
mod bodies;
mod figures;
mod glossary;
mod lineage;
mod pages;
mod parties;
mod progress;
mod serialising;
mod synonyms;
mod topics;
mod versions;

pub use agreement::*;
pub use bodies::*;
pub use figures::*;
pub use glossary::*;
pub use lineage::*;
pub use pages::*;
pub use parties::*;
pub use progress::*;
pub use serialising::*;
pub use synonyms::*;
pub use topics::*;
pub use versions::*;

use serde::Serialize;

use crate::config::Config;

#[derive(Debug, Serialize)]
pub struct Site {
    pub config: Config,
    /// Which of the pages that depend on content the site has.
    #[serde(skip)]
    pub has: crate::paths::Has,
    /// The date the site's statements of currency are made as at.
    pub as_at: crate::load::AsAt,
    /// Each change to the content in its history, newest first.
    #[serde(skip)]
    pub changes: Vec<Change>,
    /// Whether the content's git history could be read (for versions).
    #[serde(skip)]
    pub history: bool,
    /// What the build reports and goes on past, with file and line.
    #[serde(skip)]
    pub warnings: crate::diagnostics::Diagnostics,
    pub home: Home,
    pub organisations: Vec<Organisation>,
    pub agreements: Vec<Agreement>,
    pub pages: Vec<Page>,
    /// In the order of `topics.toml`, each with its items from every agreement.
    pub topics: Vec<Topic>,
    pub people: Vec<Person>,
    pub scrutiny_bodies: Vec<ScrutinyBody>,
    /// Old URLs that now live elsewhere.
    pub redirects: Vec<Redirect>,
    /// URLs taken down on purpose: each gets a page saying why.
    pub withdrawn: Vec<Withdrawn>,
    /// Earlier agreements known only by title and period.
    pub records: Vec<EarlierAgreement>,
    pub figures: Vec<Figure>,
    pub glossary: Glossary,
    /// Words the editors hold to mean the same, which search uses.
    #[serde(skip)]
    pub synonyms: Vec<Synonyms>,
    /// Progress updates, newest period first.
    pub updates: Vec<Update>,
    /// The context page NHS England's priority areas are transcribed from.
    #[serde(skip)]
    pub nhs_areas_from: Option<Backlink>,
}

impl Site {
    /// The page a content file renders (its link target, base path
    /// included, with the `#section` a section file is shown at), if it
    /// renders one of its own: an item, a section, an agreement or a page.
    pub fn page_of(&self, source: &std::path::Path) -> Option<crate::paths::Link> {
        for a in &self.agreements {
            if let Some(item) = a.items.iter().find(|i| i.source_file == source) {
                return Some(item.url.clone());
            }
            if let Some(section) = a.sections.iter().find(|s| s.source_file == source) {
                return Some(a.url.at(&section.id));
            }
            if source.starts_with(&a.source_file) && !a.source_file.as_os_str().is_empty() {
                return Some(a.url.clone());
            }
        }
        self.pages.iter().find(|p| p.source_file == source).map(|p| p.url.clone())
    }
}

/// The first `max` characters of `text`, ending in "…" when cut: for lists and summaries.
pub fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", text[..i].trim_end()),
        None => text.to_owned(),
    }
}

/// Fewest and most words [`opening_words`] keeps, and how many it keeps
/// when no sentence ends between them.
const OPENING_WORDS: (usize, usize, usize) = (8, 12, 10);

/// An item's opening words, to name it in lists by its own words rather
/// than a title the site made up: the whole text when it is short, else its
/// first sentence when that ends within 8 to 12 words, else its first ten
/// words (cut at a word boundary, without trailing punctuation) and "…".
pub fn opening_words(text: &str) -> String {
    let (fewest, most, cut) = OPENING_WORDS;
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= most {
        return words.join(" ");
    }
    if let Some(end) = (fewest..=most).find(|&n| words[n - 1].ends_with(['.', '?', '!'])) {
        return words[..end].join(" ");
    }
    let opening = words[..cut].join(" ");
    format!("{} …", opening.trim_end_matches(|c: char| c.is_ascii_punctuation() || c == '–' || c == '—'))
}

#[cfg(test)]
mod tests {
    use super::opening_words;

    #[test]
    fn opening_words_cut_at_a_word_or_a_sentence() {
        assert_eq!(opening_words("Short  text, whole."), "Short text, whole.");
        let long = "Align NHS England and Home Office Immigration Enforcement commissioning systems, and strategies to ensure quality.";
        assert_eq!(
            opening_words(long),
            "Align NHS England and Home Office Immigration Enforcement commissioning systems …"
        );
        let sentence = "One two three four five six seven eight nine. Ten eleven twelve thirteen.";
        assert_eq!(opening_words(sentence), "One two three four five six seven eight nine.");
    }
}

//! The resolved content model: what templates, the search index and every
//! other output read.
//!
//! Built once by `resolve` from the raw files after every check has passed,
//! so its invariants hold: item numbers are unique per kind, partners exist,
//! every item sits in exactly one section, every internal link resolves.
//! URLs are computed here, once, because they are a promise to readers and
//! must be the same wherever they are printed.

use serde::Serialize;

use crate::config::Config;
pub use crate::load::{Kind, Status};

#[derive(Debug, Serialize)]
pub struct Site {
    pub config: Config,
    pub home: Home,
    pub organisations: Vec<Organisation>,
    pub agreements: Vec<Agreement>,
    pub pages: Vec<Page>,
}

#[derive(Debug, Serialize)]
pub struct Home {
    pub title: String,
    pub html: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub abbreviation: Option<String>,
}

/// A free-standing page from `content/pages/`.
#[derive(Debug, Serialize)]
pub struct Page {
    pub slug: String,
    pub url: String,
    pub title: String,
    pub description: Option<String>,
    pub source: Option<String>,
    pub html: String,
    #[serde(skip)]
    pub text: String,
    pub has_code: bool,
}

#[derive(Debug, Serialize)]
pub struct Agreement {
    pub slug: String,
    /// Site-relative URL path, e.g. `/agreements/irc-2022-2025/`.
    pub path: String,
    /// Link target including the configured base path.
    pub url: String,
    pub title: String,
    pub short_title: String,
    pub period: Period,
    pub reference: Option<String>,
    pub status: Status,
    pub weight: i64,
    pub partners: Vec<Organisation>,
    pub signatories: Vec<Signatory>,
    pub sections: Vec<Section>,
    /// In document order: the order their sections list them, then by number.
    pub items: Vec<Item>,
    pub has_code: bool,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Period {
    pub start: u16,
    pub end: u16,
}

impl Period {
    /// `2022–25`, the way the agreements abbreviate their own periods.
    pub fn short(&self) -> String {
        format!("{}–{:02}", self.start, self.end % 100)
    }
}

#[derive(Debug, Serialize)]
pub struct Signatory {
    pub name: String,
    pub role: String,
    pub organisation: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub html: String,
    #[serde(skip)]
    pub text: String,
    /// The kind of item this section lists after its text, if any.
    pub items: Option<Kind>,
}

#[derive(Debug, Serialize)]
pub struct Item {
    pub kind: Kind,
    pub number: u32,
    /// `priority-10`: the anchor on the agreement page.
    pub anchor: String,
    /// `Priority 10`.
    pub label: String,
    /// `/agreements/irc-2022-2025/priorities/10/`.
    pub path: String,
    pub url: String,
    /// The item's place in the whole agreement: `…/irc-2022-2025/#priority-10`.
    pub in_agreement_url: String,
    pub section_id: String,
    pub section_title: String,
    pub html: String,
    /// Plain text: for search records and short excerpts in lists.
    pub text: String,
    pub topics: Vec<String>,
    pub measures: Vec<Measure>,
}

#[derive(Debug, Serialize)]
pub struct Measure {
    pub number: u32,
    /// `principle-8-measure-3`.
    pub anchor: String,
    pub html: String,
    #[serde(skip)]
    pub text: String,
}

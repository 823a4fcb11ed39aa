//! Free-standing pages, the home page, URLs moved or withdrawn, and the
//! words the site's editors write (kept apart from the agreements' own).

use serde::Serialize;

use super::Backlink;

#[derive(Debug, Serialize)]
pub struct Home {
    pub title: String,
    pub html: String,
}

/// A free-standing page from `content/pages/`.
#[derive(Debug, Serialize)]
pub struct Page {
    pub slug: String,
    pub url: crate::paths::Link,
    pub title: String,
    pub description: Option<String>,
    pub source: Option<String>,
    /// What the page is: "an undated copy of the GOV.UK web page …".
    pub copy_of: Option<String>,
    /// Where an agreement later says otherwise than the page.
    pub contradicted: Vec<Contradiction>,
    /// For the accessibility statement: when it was prepared and last reviewed.
    pub statement: Option<StatementDates>,
    pub html: String,
    #[serde(skip)]
    pub text: String,
    pub has_code: bool,
    /// The file it comes from, relative to the site root (for `accord serve`).
    #[serde(skip)]
    pub source_file: std::path::PathBuf,
    /// When the page's content last changed (`YYYY-MM-DD`).
    pub updated: Option<String>,
}

/// When a statement was first written and last changed, from its history.
#[derive(Debug, Clone, Serialize)]
pub struct StatementDates {
    pub prepared: String,
    pub reviewed: String,
}

/// A context page's words that an agreement later contradicts.
#[derive(Debug, Clone, Serialize)]
pub struct Contradiction {
    pub says: String,
    pub agreement: Backlink,
    pub agreement_says: Option<String>,
    pub note: Option<Editorial>,
}

/// Words the site's editors wrote, not the agreements' (summaries, notes):
/// a type of its own, so that every template and export can show it as the
/// editors' and never pass it off as the agreements' text.
#[derive(Debug, Clone, Serialize)]
pub struct Editorial {
    pub text: String,
    /// Always true: in open data, the mark that these words are the editors'.
    pub editorial: bool,
}

impl Editorial {
    pub fn new(text: impl Into<String>) -> Editorial {
        Editorial { text: text.into(), editorial: true }
    }
}

/// An old URL and where its content lives now.
#[derive(Debug, Clone, Serialize)]
pub struct Redirect {
    /// Site path of the old URL (`/agreements/x/priorities/11/`).
    pub from: String,
    /// Link target of the new place, base path included.
    pub to: String,
    /// The title of the page it now is.
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Withdrawn {
    pub path: String,
    pub title: String,
    pub date: String,
    pub reason: String,
    pub see_also: Option<Backlink>,
}

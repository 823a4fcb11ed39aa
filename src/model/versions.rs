//! Texts as they stood: each version of an item or a whole agreement,
//! what a page's text is up to date with, and the content's changes.

use serde::Serialize;

use super::{Backlink, Measure};

/// An item's text as it stood from one date, at a URL of its own.
#[derive(Debug, Serialize)]
pub struct Version {
    /// `YYYY-MM-DD`: the day of the last commit that day to change the text.
    pub date: String,
    /// `23 November 2026`.
    pub long_date: String,
    /// 1 for the first version.
    pub number: usize,
    /// `/agreements/irc-2022-2025/priorities/5/versions/2026-11-23/`.
    pub path: String,
    pub url: crate::paths::Link,
    /// The commit the text is taken from.
    pub commit: String,
    /// The text and measures as they then read. Open data refers to each
    /// version by its URL instead: the current one's words are the item's
    /// own, and a version's page shows it whole.
    #[serde(skip_serializing_if = "super::serialising::in_open_data")]
    pub html: String,
    #[serde(skip_serializing_if = "super::serialising::in_open_data")]
    pub measures: Vec<Measure>,
    /// What changed from the version before, word by word, as HTML
    /// (`<ins>`/`<del>` around escaped text); `None` for the first.
    #[serde(skip_serializing_if = "super::serialising::in_open_data")]
    pub diff: Option<String>,
    /// What this text is: as published, or a later change of a stated kind.
    pub kind: TextKind,
    /// The version before, for "what changed from".
    pub previous: Option<VersionLink>,
    /// Whether this is the text the item's page shows.
    pub current: bool,
    /// The words, for the word-level comparison with the next version.
    #[serde(skip)]
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct VersionLink {
    pub date: String,
    pub long_date: String,
    /// What the text is, to follow "text": "as published (2022 to 2025)".
    pub label: String,
    pub url: crate::paths::Link,
}

/// What a version of a text is. The first is the text as its partners
/// published it: transcribing it onto this site is not a change to it, so
/// it is never named by the day it was committed. Each later one is the kind
/// of change its editor stated when committing it (see `CHANGE_TRAILERS`),
/// as legislation.gov.uk keeps the text as enacted apart from each later
/// amendment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TextKind {
    /// `published`, `correction` (of this site's copy), `amendment` (by the
    /// partners) or `change` (a change to this site's copy of no stated kind).
    pub kind: &'static str,
    /// How readers are told what it is, to follow "text" or "the text":
    /// "as published (2022 to 2025)", "corrected on this site on 5 January 2027".
    pub label: String,
    /// For an amendment: when it took effect and what made it.
    pub amendment: Option<Amendment>,
}

/// An amendment by the partners, as its editor recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Amendment {
    /// `YYYY-MM-DD`: the day it took effect.
    pub date: String,
    pub long_date: String,
    /// What made it, as the editor named it.
    pub source: String,
}

/// What a page's text is up to date with.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TextAsAt {
    /// What the text shown is, to follow "text" ("as published (2022 to
    /// 2025)"), or empty where it is not a version.
    pub label: String,
    /// `YYYY-MM-DD`: the date of the version shown, or of the uncommitted edit.
    pub date: String,
    pub long_date: String,
    /// The version the page shows, where it is one.
    pub version: Option<VersionLink>,
    /// The text was edited after its last version (not yet in the history).
    pub edited: bool,
    /// The text is not in the history at all yet (a file never committed).
    pub unversioned: bool,
    /// The content's history could not be read: the current text is the only one.
    pub no_history: bool,
}

/// An agreement's text as it stood from one date: each section and item as
/// it then read, at a URL of its own.
#[derive(Debug, Serialize)]
pub struct AgreementVersion {
    pub date: String,
    pub long_date: String,
    pub number: usize,
    /// `/agreements/irc-2022-2025/versions/2026-11-23/`.
    pub path: String,
    pub url: crate::paths::Link,
    /// The sections that then existed, each with its items as they then
    /// read: the whole text again, so open data refers to the version's page.
    #[serde(skip_serializing_if = "super::serialising::in_open_data")]
    pub sections: Vec<SectionAsAt>,
    /// What changed on this date: each section or item whose words changed or first appeared.
    #[serde(skip_serializing_if = "super::serialising::in_open_data")]
    pub changes: Vec<PartChange>,
    /// What this text is: as published, or a later change of a stated kind.
    pub kind: TextKind,
    pub previous: Option<VersionLink>,
    pub current: bool,
}

/// A paragraph anchor once on an agreement's page whose words are now only
/// in an earlier version: where a link cited to it is sent.
#[derive(Debug, Clone, Serialize)]
pub struct MovedParagraph {
    /// `p-this-document-sets-out-the-5f87`.
    pub anchor: String,
    /// Its place and section when its words were last in the text.
    pub place: String,
    pub section: String,
    /// Its first words.
    pub opening: String,
    /// The paragraph in the last version that has its words.
    pub url: crate::paths::Link,
    /// That version's label: "as published (2022 to 2025)".
    pub label: String,
}

#[derive(Debug, Serialize)]
pub struct SectionAsAt {
    pub id: String,
    pub title: String,
    pub html: String,
    /// What the agreement then said of its scrutiny bodies, in the section that lists it.
    pub scrutiny: Vec<ScrutinyAsAt>,
    pub items: Vec<ItemAsAt>,
}

/// What an agreement said of one scrutiny body, as it then read.
#[derive(Debug, Serialize)]
pub struct ScrutinyAsAt {
    /// `scrutiny-care-quality-commission`, as on the agreement's page.
    pub anchor: String,
    pub heading: String,
    pub html: String,
}

#[derive(Debug, Serialize)]
pub struct ItemAsAt {
    pub label: String,
    pub anchor: String,
    pub html: String,
    pub measures: Vec<Measure>,
    /// The item's version this text is.
    pub version: VersionLink,
}

/// One part of an agreement changed on a version's date.
#[derive(Debug, Serialize)]
pub struct PartChange {
    /// `Priority 5`, or a section's title.
    pub title: String,
    /// Where the change is shown: the item's version, or the section on this page.
    pub url: crate::paths::Link,
    /// For a section: its words' changes, as HTML.
    pub diff: Option<String>,
    /// The part first appears in this version.
    pub first: bool,
}

/// One change to the content: a commit of its history, and the pages it changed.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub date: String,
    /// The commit's hash: the change's identity.
    pub id: String,
    pub pages: Vec<Backlink>,
}

//! An agreement as the site shows it: its sections and items, and the
//! small links by which other pages point at an agreement, an item or a page.

use std::sync::Arc;

use serde::Serialize;

use super::serialising::{in_brief, in_open_data, shared_text};
use super::{
    AgreementVersion, Currency, EarlierAgreement, FigureLink, GovernanceBody, Mention, MovedParagraph,
    OrgLink, Scrutiny, Signatory, StatusEntry, Successor, TextAsAt, TopicRef, Update, Version,
};

pub use crate::load::Kind;

#[derive(Debug, Serialize)]
pub struct Agreement {
    pub slug: String,
    /// Site-relative URL path, e.g. `/agreements/irc-2022-2025/`.
    pub path: String,
    /// Link target including the configured base path.
    pub url: crate::paths::Link,
    pub title: String,
    pub short_title: String,
    pub period: Period,
    pub reference: Option<String>,
    pub currency: Currency,
    #[serde(skip_serializing_if = "in_open_data")]
    pub weight: i64,
    pub partners: Vec<OrgLink>,
    pub signatories: Vec<Signatory>,
    /// What the agreement says about each scrutiny body, in document order.
    pub scrutiny: Vec<Scrutiny>,
    /// Boards and groups the agreement names, in the order it names them.
    pub governance: Vec<GovernanceBody>,
    /// The agreement on this site that replaces this one.
    pub superseded_by: Option<Successor>,
    /// Earlier agreements this one replaced, known by title and period only.
    pub earlier: Vec<EarlierAgreement>,
    /// Where its text comes from and what was repaired in transcribing it.
    pub provenance: Option<Provenance>,
    /// When any of the agreement's files last changed (`YYYY-MM-DD`).
    pub updated: Option<String>,
    /// Figures the agreement quotes.
    pub figures: Vec<FigureLink>,
    /// The latest progress update, for the status overview.
    pub latest_update: Option<Update>,
    /// The agreement's folder, relative to the site root.
    #[serde(skip)]
    pub source_file: std::path::PathBuf,
    pub sections: Vec<Section>,
    /// In document order: the order their sections list them, then by number.
    pub items: Vec<Item>,
    /// Each text the whole agreement has had, oldest first (empty without history).
    pub versions: Vec<AgreementVersion>,
    /// Paragraph anchors once on this page whose words are now only in an
    /// earlier version, and where each is sent.
    #[serde(skip_serializing_if = "in_open_data")]
    pub moved_paragraphs: Vec<MovedParagraph>,
    /// What the text on the agreement's page is up to date with.
    pub as_at: TextAsAt,
    #[serde(skip_serializing_if = "in_open_data")]
    pub has_code: bool,
}

impl Agreement {
    /// Each paragraph anchor this agreement's page answers for, as a site
    /// path with its fragment: those of its text now, and those whose words
    /// are now only in a version, which the page sends on.
    pub fn paragraph_urls(&self) -> impl Iterator<Item = String> + '_ {
        let moved = self.moved_paragraphs.iter().map(|m| m.anchor.as_str());
        self.paragraphs().map(|p| p.id.as_str()).chain(moved).map(|id| format!("{}#{id}", self.path))
    }

    /// The paragraphs of its text now, each anchored on its page: its
    /// sections', and those of what it says of its scrutiny bodies.
    pub fn paragraphs(&self) -> impl Iterator<Item = &crate::markdown::Paragraph> {
        let sections = self.sections.iter().flat_map(|s| s.paragraphs.iter());
        sections.chain(self.scrutiny.iter().flat_map(|d| d.paragraphs.iter()))
    }
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Period {
    pub start: u16,
    pub end: u16,
}

#[derive(Debug, Serialize)]
pub struct Section {
    pub id: String,
    pub title: String,
    #[serde(serialize_with = "super::serialising::section_html")]
    pub html: String,
    #[serde(skip)]
    pub text: String,
    /// Its paragraphs and list items, each with its anchor on the page.
    #[serde(skip)]
    pub paragraphs: Vec<crate::markdown::Paragraph>,
    /// The kind of item this section lists after its text, if any.
    pub items: Option<Kind>,
    /// Whether the agreement's scrutiny descriptions follow the text.
    pub scrutiny: bool,
    /// The editors' tags: what the section speaks to.
    pub topics: Vec<TopicRef>,
    /// The editors' notes on words that refer to what the page cannot show.
    pub leftovers: Vec<Leftover>,
    #[serde(skip)]
    pub source_file: std::path::PathBuf,
}

/// Words of the document that refer to a slide, a page or an infographic of
/// the published document, and the editors' note saying so.
#[derive(Debug, Clone, Serialize)]
pub struct Leftover {
    pub says: String,
    pub note: super::Editorial,
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
    pub url: crate::paths::Link,
    /// The item's place in the whole agreement: `…/irc-2022-2025/#priority-10`.
    pub in_agreement_url: crate::paths::Link,
    pub section_id: String,
    pub section_title: String,
    /// Shared with every [`ItemLink`] that shows the item whole (a topic
    /// lists nearly every item): one copy of each item's text, not two.
    #[serde(serialize_with = "shared_text")]
    pub html: Arc<str>,
    /// Plain text: for search records and short excerpts in lists. Open
    /// data gives the words once, as `html` (like sections' and measures'),
    /// and the CSV files give them as text.
    #[serde(serialize_with = "shared_text", skip_serializing_if = "in_open_data")]
    pub text: Arc<str>,
    /// Its first words ([`opening_words`](super::opening_words)), naming
    /// it in lists. Pages only: open data has the text.
    #[serde(skip_serializing_if = "in_open_data")]
    pub opening: Arc<str>,
    pub topics: Vec<TopicRef>,
    pub measures: Vec<Measure>,
    /// Items of other agreements on the same subject: explicit relations first.
    #[serde(skip_serializing_if = "in_brief")]
    pub related: Vec<Related>,
    /// Pages and items whose text links here.
    #[serde(skip_serializing_if = "in_brief")]
    pub referenced_from: Vec<Backlink>,
    #[serde(skip)]
    pub source_file: std::path::PathBuf,
    /// Figures that relate to this item.
    pub figures: Vec<FigureLink>,
    /// Scrutiny the item refers to without naming the body.
    pub mentions: Vec<Mention>,
    /// Its status in each progress update, oldest first.
    #[serde(skip_serializing_if = "in_brief")]
    pub history: Vec<StatusEntry>,
    /// When the item's file last changed (`YYYY-MM-DD`).
    pub updated: Option<String>,
    /// Each text the item has had in the content's history, oldest first;
    /// empty when the history could not be read.
    #[serde(skip_serializing_if = "in_brief")]
    pub versions: Vec<Version>,
    /// What the text on the item's page is up to date with.
    pub as_at: TextAsAt,
}

#[derive(Debug, Clone, Serialize)]
pub struct Measure {
    pub number: u32,
    /// `principle-8-measure-3`.
    pub anchor: String,
    pub html: String,
    #[serde(skip)]
    pub text: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AgreementLink {
    pub slug: String,
    pub title: String,
    pub short_title: String,
    pub url: crate::paths::Link,
}

impl From<&Agreement> for AgreementLink {
    fn from(a: &Agreement) -> Self {
        AgreementLink {
            slug: a.slug.clone(),
            title: a.title.clone(),
            short_title: a.short_title.clone(),
            url: a.url.clone(),
        }
    }
}

/// Enough of an item to show and link it from another page.
#[derive(Debug, Clone, Serialize)]
pub struct ItemLink {
    // Shared, not owned: a large site lists each item under a dozen others.
    pub label: Arc<str>,
    /// `priority-10`, unique within an agreement.
    pub anchor: Arc<str>,
    pub agreement: Arc<str>,
    pub url: Arc<str>,
    /// The item's text, for pages that quote it; open data gives the
    /// reference only (see [`OpenData`](super::OpenData)).
    #[serde(serialize_with = "shared_text", skip_serializing_if = "in_open_data")]
    pub html: Arc<str>,
    #[serde(serialize_with = "shared_text", skip_serializing_if = "in_open_data")]
    pub text: Arc<str>,
    /// Its first words, naming it in lists (see [`Item::opening`]).
    #[serde(skip_serializing_if = "in_open_data")]
    pub opening: Arc<str>,
}

#[derive(Debug, Serialize)]
pub struct Related {
    pub item: ItemLink,
    /// Written in content (`related = [...]`), not only inferred from topics.
    pub explicit: bool,
    pub shared_topics: Vec<TopicRef>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Backlink {
    pub title: String,
    pub url: crate::paths::Link,
}

/// Where an agreement's text comes from, and each repair made in transcribing it.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    pub document: String,
    pub transcribed_from: String,
    /// Where the partners publish the document (an absolute http(s) URL).
    pub url: Option<String>,
    /// `YYYY-MM-DD`: the day the partners published it.
    pub published: Option<String>,
    /// `1 March 2022`.
    pub published_long: Option<String>,
    pub repairs: Vec<Repair>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Repair {
    pub what: String,
    /// The place on the site, where the repair has one.
    pub place: Option<Backlink>,
}

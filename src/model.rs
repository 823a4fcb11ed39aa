//! The resolved content model: what templates, the search index and every
//! other output read.
//!
//! Built once by `resolve` from the raw files after every check has passed,
//! so its invariants hold: item numbers are unique per kind, partners exist,
//! every item sits in exactly one section, every internal link resolves.
//! URLs are computed here, once, because they are a promise to readers and
//! must be the same wherever they are printed.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::Arc;

use serde::{Serialize, Serializer};

use crate::config::Config;
pub use crate::load::Kind;

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
    pub records: Vec<Record>,
    pub figures: Vec<Figure>,
    pub glossary: Glossary,
    /// Progress updates, newest period first.
    pub updates: Vec<Update>,
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

#[derive(Debug, Clone, Serialize)]
pub struct Record {
    pub id: Option<String>,
    pub title: String,
    pub period: Period,
    pub currency: Currency,
    /// What directly replaced it: an agreement on this site, or another record.
    pub superseded_by: Option<Successor>,
    pub source: String,
}

/// What directly replaced an agreement or record.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Successor {
    pub title: String,
    pub short_title: String,
    /// Its page, for an agreement on this site (records have none).
    pub url: Option<String>,
    /// The agreement's folder name or the record's id.
    pub id: String,
}

/// What the site says of an agreement's (or record's) currency: worked out
/// when the site is built, from its period, what replaced it and any
/// recorded extension, as at the site's as-at date; never typed by editors.
#[derive(Debug, Clone, Serialize)]
pub struct Currency {
    /// `current`, `not-started`, `ended`, `extended` or `superseded`.
    pub state: &'static str,
    /// A short label: "Period ended".
    pub label: String,
    /// The whole statement: "Period 2022 to 2025, ended; no successor
    /// recorded, as at 1 December 2026."
    pub sentence: String,
    pub extension: Option<Extension>,
}

/// An extension beyond an agreement's period, with the words that make it.
#[derive(Debug, Clone, Serialize)]
pub struct Extension {
    pub end: u16,
    pub source: String,
    pub quote: String,
}

#[derive(Debug, Serialize)]
pub struct Home {
    pub title: String,
    pub html: String,
}

/// An organisation as other pages name and link it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OrgLink {
    pub id: String,
    pub name: String,
    pub abbreviation: Option<String>,
    pub url: String,
}

/// A partner or signatory organisation: what each agreement makes it responsible for, and who signed.
#[derive(Debug, Serialize)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub abbreviation: Option<String>,
    pub path: String,
    pub url: String,
    /// Agreements it is a partner to or signed for, in agreement order.
    pub agreements: Vec<AgreementLink>,
    pub responsibilities: Vec<Responsibility>,
    pub signatures: Vec<Signature>,
    /// Boards and groups the agreements tie it to, with the words that do.
    pub governance: Vec<GovernanceRole>,
}

/// An organisation's place in a governance body, as an organisation page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct GovernanceRole {
    pub agreement: AgreementLink,
    pub body: String,
    /// The body on its agreement's page.
    pub url: String,
    pub quote: String,
}

/// A board or group an agreement names, on that agreement's page.
#[derive(Debug, Clone, Serialize)]
pub struct GovernanceBody {
    pub id: String,
    /// `governance-{id}`: its place on the agreement page.
    pub anchor: String,
    pub name: String,
    pub also: Vec<String>,
    pub level: String,
    pub role: Option<String>,
    /// The section whose text first names it.
    pub section: Option<SectionLink>,
    pub organisations: Vec<GovernanceLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionLink {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct GovernanceLink {
    pub organisation: OrgLink,
    pub quote: String,
}

/// Words in an item that refer to scrutiny without naming the body, linked to the bodies meant.
#[derive(Debug, Clone, Serialize)]
pub struct Mention {
    pub text: String,
    pub bodies: Vec<BodyLink>,
    pub note: String,
}

/// A mention as the scrutiny body's page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct BodyMention {
    pub agreement: AgreementLink,
    pub item_label: String,
    pub item_url: String,
    pub text: String,
    pub note: String,
}

impl Site {
    /// The page a content file renders (its link target, base path
    /// included, with the `#section` a section file is shown at), if it
    /// renders one of its own: an item, a section, an agreement or a page.
    pub fn page_of(&self, source: &std::path::Path) -> Option<String> {
        for a in &self.agreements {
            if let Some(item) = a.items.iter().find(|i| i.source_file == source) {
                return Some(item.url.clone());
            }
            if let Some(section) = a.sections.iter().find(|s| s.source_file == source) {
                return Some(format!("{}#{}", a.url, section.id));
            }
            if source.starts_with(&a.source_file) && !a.source_file.as_os_str().is_empty() {
                return Some(a.url.clone());
            }
        }
        self.pages.iter().find(|p| p.source_file == source).map(|p| p.url.clone())
    }
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AgreementLink {
    pub slug: String,
    pub title: String,
    pub short_title: String,
    pub url: String,
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

#[derive(Debug, Serialize)]
pub struct Responsibility {
    pub agreement: AgreementLink,
    pub html: String,
    pub text: String,
}

/// One person, however each agreement prints the name.
#[derive(Debug, Serialize)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub path: String,
    pub url: String,
    pub signatures: Vec<Signature>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PersonLink {
    pub id: String,
    pub name: String,
    pub url: String,
}

/// A signature with the agreement it is on, for people and organisation pages.
#[derive(Debug, Clone, Serialize)]
pub struct Signature {
    pub agreement: AgreementLink,
    pub signatory: Signatory,
}

/// A body that scrutinises delivery, with every agreement's own description of it.
#[derive(Debug, Serialize)]
pub struct ScrutinyBody {
    pub id: String,
    pub name: String,
    pub abbreviation: Option<String>,
    pub path: String,
    pub url: String,
    pub descriptions: Vec<Description>,
    /// Items that refer to the body's work without naming it.
    pub mentions: Vec<BodyMention>,
}

#[derive(Debug, Serialize)]
pub struct Description {
    pub agreement: AgreementLink,
    pub heading: String,
    pub html: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct BodyLink {
    pub id: String,
    pub name: String,
    pub url: String,
}

/// One scrutiny paragraph on its agreement's page.
#[derive(Debug, Clone, Serialize)]
pub struct Scrutiny {
    pub anchor: String,
    pub heading: String,
    pub html: String,
    pub text: String,
    pub body: BodyLink,
}

/// A free-standing page from `content/pages/`.
#[derive(Debug, Serialize)]
pub struct Page {
    pub slug: String,
    pub url: String,
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
    pub currency: Currency,
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
    pub earlier: Vec<Record>,
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
    /// What the text on the agreement's page is up to date with.
    pub as_at: TextAsAt,
    pub has_code: bool,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Period {
    pub start: u16,
    pub end: u16,
}

/// A signature line exactly as printed, linked to the person and organisation where known.
#[derive(Debug, Clone, Serialize)]
pub struct Signatory {
    pub name: String,
    pub role: String,
    pub organisation: Option<String>,
    pub person: Option<PersonLink>,
    pub organisation_link: Option<OrgLink>,
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
    /// Whether the agreement's scrutiny descriptions follow the text.
    pub scrutiny: bool,
    /// The editors' tags: what the section speaks to.
    pub topics: Vec<TopicRef>,
    #[serde(skip)]
    pub source_file: std::path::PathBuf,
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
    /// Shared with every [`ItemLink`] that shows the item whole (a topic
    /// lists nearly every item): one copy of each item's text, not two.
    #[serde(serialize_with = "shared_text")]
    pub html: Arc<str>,
    /// Plain text: for search records and short excerpts in lists.
    #[serde(serialize_with = "shared_text")]
    pub text: Arc<str>,
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
    pub url: String,
    /// The commit the text is taken from.
    pub commit: String,
    pub html: String,
    pub measures: Vec<Measure>,
    /// What changed from the version before, word by word, as HTML
    /// (`<ins>`/`<del>` around escaped text); `None` for the first.
    pub diff: Option<String>,
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
    pub url: String,
}

/// What a page's text is up to date with.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TextAsAt {
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
    pub url: String,
    /// The sections that then existed, each with its items as they then read.
    pub sections: Vec<SectionAsAt>,
    /// What changed on this date: each section or item whose words changed or first appeared.
    pub changes: Vec<PartChange>,
    pub previous: Option<VersionLink>,
    pub current: bool,
}

#[derive(Debug, Serialize)]
pub struct SectionAsAt {
    pub id: String,
    pub title: String,
    pub html: String,
    pub items: Vec<ItemAsAt>,
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
    pub url: String,
    /// For a section: its words' changes, as HTML.
    pub diff: Option<String>,
    /// The part first appears in this version.
    pub first: bool,
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

/// A topic as an item names it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TopicRef {
    pub id: String,
    pub title: String,
    pub url: String,
}

/// A subject the agreements share, with what each agreement says on it.
#[derive(Debug, Serialize)]
pub struct Topic {
    pub id: String,
    pub title: String,
    /// The editors' summary of what the agreements say on it: their words, not the agreements'.
    pub description: Editorial,
    pub path: String,
    pub url: String,
    /// NHS England's 2016–2020 priority areas that touch this topic, as context.
    pub nhs_areas: Vec<NhsArea>,
    /// One column per agreement, in agreement order; empty columns kept so the
    /// comparison shows where an agreement is silent.
    pub columns: Vec<TopicColumn>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NhsArea {
    pub number: u32,
    pub text: String,
}

#[derive(Debug, Serialize)]
pub struct TopicColumn {
    pub agreement_slug: String,
    pub short_title: String,
    pub url: String,
    pub items: Vec<ItemLink>,
    /// Sections of the agreement on this subject.
    pub sections: Vec<SectionOnTopic>,
    /// Figures the agreement quotes on this subject.
    pub figures: Vec<FigureLink>,
}

/// A section of an agreement as a topic lists it.
#[derive(Debug, Clone, Serialize)]
pub struct SectionOnTopic {
    pub title: String,
    pub url: String,
    /// Its first words.
    pub excerpt: String,
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
    /// reference only (see [`OpenData`]).
    #[serde(serialize_with = "shared_text", skip_serializing_if = "in_open_data")]
    pub html: Arc<str>,
    #[serde(serialize_with = "shared_text", skip_serializing_if = "in_open_data")]
    pub text: Arc<str>,
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
    pub url: String,
}

pub use crate::load::{FigureKind, Unit};

/// A figure quoted in a source document, as data.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub id: String,
    pub label: String,
    pub unit: Unit,
    pub kind: FigureKind,
    pub currency: Option<String>,
    pub path: String,
    pub url: String,
    pub values: Vec<FigureValue>,
    /// Where it is quoted: the document and the place in it.
    pub source: FigureSource,
    /// The sentence it comes from, as HTML and as plain text.
    pub sentence_html: String,
    pub sentence: String,
    pub topics: Vec<TopicRef>,
    pub items: Vec<FigureItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FigureValue {
    /// The period or group the value is for ("2009", "Girls"), or empty.
    pub label: String,
    pub period: Option<String>,
    pub group: Option<String>,
    pub value: f64,
    /// The value as a reader sees it: "2,881", "41%", "£503,000,000", "up to 3".
    pub display: String,
    pub qualifier: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FigureSource {
    /// The agreement's full title or the page's title.
    pub document: String,
    pub document_url: String,
    pub section: Option<String>,
    /// The section anchor (or page) the sentence is in.
    pub url: String,
    /// `agreement` slug, or `page:{slug}`.
    pub id: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FigureItem {
    pub label: String,
    pub agreement: String,
    pub url: String,
    pub path: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FigureLink {
    pub label: String,
    pub url: String,
    pub summary: String,
}

/// A progress update for one agreement and reporting period.
#[derive(Debug, Clone, Serialize)]
pub struct Update {
    pub agreement: AgreementLink,
    pub period: String,
    pub published: String,
    /// Anchor on `/updates/`.
    pub anchor: String,
    pub url: String,
    pub statuses: Vec<ItemStatus>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemStatus {
    pub item: FigureItem,
    pub status: String,
    pub status_label: String,
    pub lead: Option<OrgLink>,
    pub html: String,
    pub text: String,
    pub measures: Vec<ProgressMeasure>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProgressMeasure {
    pub label: String,
    pub unit: Option<Unit>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    pub latest: Option<f64>,
}

/// One period's status of an item, for its history.
#[derive(Debug, Clone, Serialize)]
pub struct StatusEntry {
    pub period: String,
    pub status: String,
    pub status_label: String,
    pub update_url: String,
}

/// The abbreviations the documents use, each expanded as they expand it.
#[derive(Debug, Default, Serialize)]
pub struct Glossary {
    /// In alphabetical order of abbreviation.
    pub terms: Vec<Term>,
    /// Abbreviations the documents use and never expand.
    pub unexpanded: Vec<String>,
    /// Names the documents print in capitals, which are not abbreviations.
    #[serde(skip)]
    pub names: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Term {
    pub abbreviation: String,
    /// Its place on the glossary page.
    pub anchor: String,
    pub url: String,
    /// Usually one; more where the documents expand it more than one way.
    pub expansions: Vec<Expansion>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Expansion {
    pub expansion: String,
    /// The defining words, as printed.
    pub quote: String,
    /// The page they are on.
    pub defined: Backlink,
}

/// One change to the content: a commit of its history, and the pages it changed.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub date: String,
    /// The commit's hash: the change's identity.
    pub id: String,
    pub pages: Vec<Backlink>,
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

/// Where an agreement's text comes from, and each repair made in transcribing it.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    pub document: String,
    pub transcribed_from: String,
    pub repairs: Vec<Repair>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Repair {
    pub what: String,
    /// The place on the site, where the repair has one.
    pub place: Option<Backlink>,
}

/// The first `max` characters of `text`, ending in "…" when cut: for lists and summaries.
pub fn excerpt(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", text[..i].trim_end()),
        None => text.to_owned(),
    }
}

thread_local! {
    /// Whether items are serialised without what only their own page shows (see [`InBrief`]).
    static BRIEF: Cell<bool> = const { Cell::new(false) };
    /// Whether the model is serialised as open data (see [`OpenData`]).
    static OPEN_DATA: Cell<bool> = const { Cell::new(false) };
    /// Whether shared text is serialised as its digest on this thread (see [`with_digests`]).
    static DIGESTING: Cell<bool> = const { Cell::new(false) };
    /// Each shared text's digest, by the text's address. An entry keeps its
    /// text alive, so no other text can take that address while it is here.
    static DIGESTS: RefCell<HashMap<usize, (Arc<str>, u64)>> = RefCell::new(HashMap::new());
}

/// Runs `f` with shared text ([`Item::html`], [`ItemLink::text`]…)
/// serialised as a digest of its bytes, each text's computed once on this
/// thread until [`forget_unused_digests`] finds it unused. A page's fingerprint is a hash of its
/// serialised data, and topic pages list nearly every item whole: at 10,000
/// documentation-length pages that was 655 MB hashed on each rebuild of
/// `accord serve`, each item's text once a page rather than once.
pub fn with_digests<T>(f: impl FnOnce() -> T) -> T {
    with_mode(&DIGESTING, f)
}

/// Runs `f` with one of this thread's serialising modes on, and puts it back as it was after.
fn with_mode<T>(mode: &'static std::thread::LocalKey<Cell<bool>>, f: impl FnOnce() -> T) -> T {
    struct Restore(&'static std::thread::LocalKey<Cell<bool>>, bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            self.0.set(self.1);
        }
    }
    let _restore = Restore(mode, mode.replace(true));
    f()
}

/// Frees the digests [`with_digests`] kept on this thread of texts nothing
/// else holds any more. A text still held (by the site, or by the Markdown
/// kept for the next rebuild) keeps its digest: a rebuild of `accord serve`
/// then hashes only the texts that changed, not all of them again.
pub fn forget_unused_digests() {
    DIGESTS.with_borrow_mut(|digests| digests.retain(|_, (text, _)| Arc::strong_count(text) > 1));
}

/// An agreement as its own page is given it: each item without what only
/// the item's own page shows (its related items, the pages that link to
/// it, its status history and its earlier versions). The agreement's page
/// quotes every item whole but shows none of those lists, which were
/// serialised for its fingerprint on every rebuild of `accord serve` and
/// made into template values in every build (at 10,000 documentation-length
/// pages, 10 to 20 ms of the 90 or so the fingerprints take).
pub struct InBrief<'a>(pub &'a Agreement);

impl Serialize for InBrief<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        with_mode(&BRIEF, || self.0.serialize(s))
    }
}

fn in_brief<T>(_: &T) -> bool {
    BRIEF.get()
}

/// Part of the model as the open data files give it: where one record
/// refers to an item (a topic's items, an item's related items) it gives
/// the item's label, agreement and URL, not its text again, which is in
/// the agreement's `items` and beside the item's own page. A page quotes
/// the items it lists, so templates get the text; a data file that
/// repeated it was largely copies (on the real content, 0.50 of 1.46 MB of
/// JSON; at 10,000 documentation-length pages the topics' copies alone
/// were 157 MB of the 386 MB `accord.json`).
pub struct OpenData<'a, T: ?Sized>(pub &'a T);

impl<T: Serialize + ?Sized> Serialize for OpenData<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        with_mode(&OPEN_DATA, || self.0.serialize(s))
    }
}

fn in_open_data<T>(_: &T) -> bool {
    OPEN_DATA.get()
}

/// Shared text given to a template as it is (an item's text as a page's
/// description), serialised as [`Item::text`] is.
pub struct Shared<'a>(pub &'a Arc<str>);

impl Serialize for Shared<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        shared_text(self.0, s)
    }
}

fn shared_text<S: Serializer>(text: &Arc<str>, s: S) -> Result<S::Ok, S::Error> {
    if !DIGESTING.get() {
        return s.serialize_str(text);
    }
    let digest = DIGESTS.with_borrow_mut(|digests| {
        let key = Arc::as_ptr(text) as *const u8 as usize;
        digests
            .entry(key)
            .or_insert_with(|| (text.clone(), twox_hash::XxHash3_64::oneshot(text.as_bytes())))
            .1
    });
    s.serialize_u64(digest)
}

//! The shapes of content files, exactly as editors write them.
//!
//! These types are deliberately strict (`deny_unknown_fields`) and keep the
//! source span of every value that a later check may need to point at.

use serde::Deserialize;
use toml::Spanned;

/// `content/_index.md` front matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHome {
    pub title: String,
}

/// `content/organisations.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOrganisations {
    #[serde(default)]
    pub organisation: Vec<RawOrganisation>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOrganisation {
    pub id: Spanned<String>,
    pub name: String,
    pub abbreviation: Option<String>,
    /// What each agreement makes this organisation responsible for, quoted.
    #[serde(default)]
    pub responsibility: Vec<RawResponsibility>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawResponsibility {
    pub agreement: Spanned<String>,
    /// Markdown, quoted from the agreement.
    pub text: Spanned<String>,
}

/// `content/people.toml`: one identity per person, however each agreement prints the name.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPeople {
    #[serde(default)]
    pub person: Vec<RawPerson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPerson {
    pub id: Spanned<String>,
    pub name: String,
}

/// `content/scrutiny-bodies.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBodies {
    #[serde(default)]
    pub body: Vec<RawBody>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBody {
    pub id: Spanned<String>,
    pub name: String,
    pub abbreviation: Option<String>,
}

/// An agreement's `scrutiny.toml`: what it says about each body, as printed.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScrutiny {
    #[serde(default)]
    pub description: Vec<RawDescription>,
    /// Scrutiny the agreement's items mention without naming the body.
    #[serde(default)]
    pub mention: Vec<RawMention>,
}

/// Words in an item that refer to scrutiny ("inspection reports"), linked to the bodies meant.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMention {
    /// `@/agreements/{agreement}/{kinds}/{number}`.
    pub item: Spanned<String>,
    /// The words exactly as the item prints them.
    pub text: Spanned<String>,
    pub bodies: Vec<Spanned<String>>,
    /// Why these bodies: shown with the link, since the agreement does not name them.
    pub note: String,
}

/// An agreement's `governance.toml`: the boards and groups it names.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGovernance {
    #[serde(default)]
    pub body: Vec<RawGovernanceBody>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGovernanceBody {
    pub id: Spanned<String>,
    /// The name as the agreement first prints it in full.
    pub name: Spanned<String>,
    /// Other names the agreement uses for it ("IRC Health Partnership Group").
    #[serde(default)]
    pub also: Vec<Spanned<String>>,
    /// `national`, `regional`, `local`, `establishment`, `organisation`.
    pub level: Spanned<String>,
    /// What the agreement says it does, quoted.
    pub role: Option<Spanned<String>>,
    /// Organisations the text ties to the body, each with the words that do.
    #[serde(default)]
    pub organisation: Vec<RawGovernanceLink>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGovernanceLink {
    pub id: Spanned<String>,
    /// The agreement's words that tie the organisation to the body.
    pub quote: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDescription {
    pub body: Spanned<String>,
    /// The heading exactly as the agreement prints it.
    pub heading: String,
    /// Markdown.
    pub text: Spanned<String>,
}

/// `content/pages/{page}.md` front matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPage {
    pub title: String,
    pub description: Option<String>,
    pub source: Option<String>,
    /// What the page is, said on it: "an undated copy of the GOV.UK web page …".
    pub copy_of: Option<String>,
    /// The site's accessibility statement: shown with the site's contact and
    /// the dates the statement was prepared and last reviewed.
    #[serde(default)]
    pub accessibility_statement: bool,
    /// Where an agreement later says otherwise than the page.
    #[serde(default)]
    pub later: Vec<RawLater>,
    /// Old URLs of this page, which redirect here.
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
}

/// A statement of a context page that an agreement later contradicts: both
/// quoted, and both checked word for word.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLater {
    /// The page's words.
    pub says: Spanned<String>,
    /// The agreement (or its item) that says otherwise, as an `@/` path.
    pub agreement: Spanned<String>,
    /// The agreement's words, exactly as printed; absent where the
    /// agreement says it by what it leaves out (then `note` must say how).
    pub agreement_says: Option<Spanned<String>>,
    /// The editors' explanation, shown as theirs.
    pub note: Option<String>,
}

/// `content/withdrawn.toml`: URLs taken down on purpose, each explained.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWithdrawals {
    #[serde(default)]
    pub withdrawn: Vec<RawWithdrawn>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWithdrawn {
    pub url: Spanned<String>,
    /// What the page was, for the reader who follows an old link.
    pub title: String,
    pub date: toml::value::Datetime,
    pub reason: String,
    /// Where to go instead, as an `@/` path.
    pub see_also: Option<Spanned<String>>,
}

/// `content/records.toml`: earlier agreements known by title and period only.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRecords {
    #[serde(default)]
    pub record: Vec<RawRecord>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRecord {
    /// Lets a later record name this one as what it replaced.
    pub id: Option<Spanned<String>>,
    pub title: String,
    pub period: RawPeriod,
    /// No longer read: a record's currency is worked out from its period and `superseded_by`.
    pub status: Option<Status>,
    /// What directly replaced it: an agreement on this site (its folder
    /// name) or another record (its id).
    pub superseded_by: Option<Spanned<String>>,
    /// Where the record comes from (which document lists it).
    pub source: String,
}

/// `agreement.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAgreement {
    pub title: String,
    pub short_title: String,
    pub period: Spanned<RawPeriod>,
    pub reference: Option<String>,
    /// No longer read: what the site says of an agreement's currency is
    /// worked out from its period, `superseded_by` and `extension`.
    pub status: Option<Spanned<Status>>,
    /// An extension beyond the period, recorded only with its source quoted.
    pub extension: Option<RawExtension>,
    pub weight: Option<i64>,
    #[serde(default)]
    pub partners: Vec<Spanned<String>>,
    #[serde(default)]
    pub signatories: Vec<RawSignatory>,
    /// The agreement on this site that replaces this one (its folder name).
    pub superseded_by: Option<Spanned<String>>,
    /// Where its text comes from, and what was repaired in transcribing it.
    pub source: Option<RawSource>,
    /// Old URLs of the agreement page, which redirect here.
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
}

/// `[source]` in `agreement.toml`: the document transcribed, and every repair.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    /// The document, as it names itself.
    pub document: String,
    /// What the text was transcribed from (the form of the document to hand).
    pub transcribed_from: String,
    /// Where the partners publish the document, for "Published at".
    pub url: Option<toml::Spanned<String>>,
    /// The day the partners published it, which names the text as published.
    pub published: Option<toml::Spanned<toml::value::Datetime>>,
    #[serde(default)]
    pub repair: Vec<RawRepair>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRepair {
    /// What was wrong in the source and what was done.
    pub what: String,
    /// Where, as an `@/` path (a section anchor of the agreement, say).
    #[serde(rename = "where")]
    pub place: Option<Spanned<String>>,
}

/// `extension = { end = 2026, source = "…", quote = "…" }` in `agreement.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExtension {
    /// The year the agreement now runs to.
    pub end: u16,
    /// The document that says so: its title, and its address where it has one.
    pub source: String,
    /// Its words that extend the agreement, exactly as printed.
    pub quote: String,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPeriod {
    pub start: u16,
    pub end: u16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    InForce,
    Superseded,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSignatory {
    /// Id in `people.toml`: links signatures of the same person across agreements.
    pub person: Option<Spanned<String>>,
    pub name: String,
    pub role: String,
    pub organisation: Option<String>,
    /// Id in `organisations.toml`, where the agreement says whom the person signs for.
    pub organisation_id: Option<Spanned<String>>,
}

/// `sections/*.md` front matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSection {
    pub title: String,
    pub id: Option<Spanned<String>>,
    pub items: Option<Spanned<Kind>>,
    /// List the agreement's scrutiny descriptions (`scrutiny.toml`) after the text.
    #[serde(default)]
    pub scrutiny: bool,
    /// Ids from `topics.toml` of what the section speaks to, so topic pages show it.
    #[serde(default)]
    pub topics: Vec<Spanned<String>>,
    /// Words of the document that refer to what a web page cannot show (a
    /// slide, a page number, an infographic's labels), each with the
    /// editors' note saying what they were.
    #[serde(default)]
    pub leftover: Vec<RawLeftover>,
}

/// `[[leftover]]` in a section's front matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLeftover {
    /// The document's words, as the section prints them (without Markdown).
    pub says: Spanned<String>,
    /// The editors' words: what these were in the published document.
    pub note: String,
}

/// `items/*.md` front matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawItem {
    pub kind: Spanned<Kind>,
    pub number: Spanned<i64>,
    #[serde(default)]
    pub topics: Vec<Spanned<String>>,
    /// Items in other agreements that make the same commitment, as `@/` paths.
    #[serde(default)]
    pub related: Vec<Spanned<String>>,
    /// Old URLs of this item's page, which redirect here.
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    pub measures: Option<Spanned<Vec<RawMeasure>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeasure {
    /// Markdown.
    pub text: Spanned<String>,
}

pub use crate::paths::Kind;

/// `content/topics.toml`: the subjects items are tagged with.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTopics {
    #[serde(default)]
    pub topic: Vec<RawTopic>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTopic {
    pub id: Spanned<String>,
    pub title: String,
    pub description: String,
    /// Numbers of entries in `nhs-priority-areas.toml` that touch this topic.
    #[serde(default)]
    pub nhs_priority_areas: Vec<Spanned<u32>>,
}

/// `content/nhs-priority-areas.toml`: context shown on topic pages.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAreas {
    /// The context page the areas are transcribed from, as an `@/` path:
    /// topic pages link to it.
    pub source: Option<Spanned<String>>,
    #[serde(default)]
    pub area: Vec<RawArea>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArea {
    pub number: Spanned<u32>,
    pub text: String,
}

/// `content/glossary.toml`: the abbreviations the documents use, expanded as they expand them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGlossary {
    #[serde(default)]
    pub term: Vec<RawTerm>,
    /// Abbreviations the documents use and never expand: known, and left unexplained.
    #[serde(default)]
    pub unexpanded: Vec<RawUnexpanded>,
    /// Names printed in capitals ("SECURE STAIRS"): not abbreviations at all.
    #[serde(default)]
    pub name: Vec<RawName>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawName {
    pub words: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTerm {
    pub abbreviation: Spanned<String>,
    /// As the document gives it.
    pub expansion: Spanned<String>,
    /// The page whose text defines it, as an `@/` path.
    pub defined: Spanned<String>,
    /// The defining words, exactly as that page prints them.
    pub quote: Spanned<String>,
    /// The same abbreviation as the documents also print it ("MOJ" for
    /// "MoJ", "IRCs" for "IRC"): one entry, each spelling defined and
    /// checked as the term is.
    #[serde(default)]
    pub spelling: Vec<RawSpelling>,
}

/// `[[term.spelling]]`: another way the documents print a term, with the
/// words that define it in that spelling.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSpelling {
    pub abbreviation: Spanned<String>,
    pub expansion: Spanned<String>,
    pub defined: Spanned<String>,
    pub quote: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUnexpanded {
    pub abbreviation: Spanned<String>,
}

/// `content/synonyms.toml`: words the site's editors hold to mean the same,
/// which search looks for in each other's place. The editors' words, not the
/// agreements'.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSynonyms {
    #[serde(default)]
    pub synonym: Vec<RawSynonym>,
}

/// `[[synonym]]`: one group of words (or phrases) of the same meaning.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSynonym {
    pub words: Spanned<Vec<Spanned<String>>>,
}

/// `content/figures.toml`: every figure the source documents quote.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFigures {
    #[serde(default)]
    pub figure: Vec<RawFigure>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFigure {
    pub id: Spanned<String>,
    pub label: String,
    pub unit: Unit,
    pub kind: Spanned<FigureKind>,
    /// An agreement's folder name, or `page:{slug}`.
    pub source: Spanned<String>,
    /// The section of the agreement the sentence is in.
    pub section: Option<Spanned<String>>,
    /// The sentence the figure comes from, verbatim (Markdown).
    pub sentence: Spanned<String>,
    pub currency: Option<String>,
    #[serde(default)]
    pub topics: Vec<Spanned<String>>,
    #[serde(default)]
    pub items: Vec<Spanned<String>>,
    #[serde(default)]
    pub value: Vec<RawValue>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawValue {
    pub value: Spanned<f64>,
    pub period: Option<Spanned<String>>,
    pub group: Option<String>,
    /// "over", "up to", "around": words the text puts before the number.
    pub qualifier: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    Count,
    Percent,
    Ratio,
    Money,
    /// A length of time in months ("3 months").
    Months,
    /// A length of time in days ("28 days").
    Days,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FigureKind {
    Single,
    Comparison,
    Series,
}

/// `content/updates/*.toml`: one progress update for one agreement and period.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUpdate {
    pub agreement: Spanned<String>,
    /// Reporting period, `YYYY-Qn`.
    pub period: Spanned<String>,
    pub published: toml::value::Datetime,
    #[serde(default)]
    pub status: Vec<RawItemStatus>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawItemStatus {
    /// The item, as an `@/` path.
    pub item: Spanned<String>,
    pub status: Spanned<String>,
    /// Organisation id of the lead.
    pub lead: Option<Spanned<String>>,
    /// Markdown.
    pub narrative: Spanned<String>,
    #[serde(default)]
    pub measure: Vec<RawProgressMeasure>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProgressMeasure {
    pub label: String,
    pub unit: Option<Unit>,
    pub baseline: Option<Spanned<f64>>,
    pub target: Option<Spanned<f64>>,
    pub latest: Option<Spanned<f64>>,
}

//! What an agreement replaced and what replaced it: earlier agreements
//! known only as records, and the currency worked out from them.

use serde::Serialize;

use super::Period;

#[derive(Debug, Clone, Serialize)]
pub struct EarlierAgreement {
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
    pub url: Option<crate::paths::Link>,
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
    /// The whole statement, once, in plain words: "This agreement covered
    /// 2022 to 2025. No later agreement is recorded on this site (as at 1
    /// December 2026)."
    pub sentence: String,
    /// What the agreement covers, to follow "This agreement" or "… is part
    /// of an agreement that": "covered 2022 to 2025".
    #[serde(skip_serializing_if = "super::serialising::in_open_data")]
    pub covers: String,
    /// What the site knows of what came after: "No later agreement is
    /// recorded on this site (as at 1 December 2026)."
    #[serde(skip_serializing_if = "super::serialising::in_open_data")]
    pub then: String,
    /// The statement for where the period is said already: "Its period has
    /// ended. No later agreement is recorded on this site (as at …)."
    #[serde(skip_serializing_if = "super::serialising::in_open_data")]
    pub detail: String,
    pub extension: Option<Extension>,
}

/// An extension beyond an agreement's period, with the words that make it.
#[derive(Debug, Clone, Serialize)]
pub struct Extension {
    pub end: u16,
    pub source: String,
    pub quote: String,
}

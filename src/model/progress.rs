//! Progress updates: each agreement's items' status in a reporting period.

use serde::Serialize;

use super::{AgreementLink, FigureItem, OrgLink, Unit};

/// A progress update for one agreement and reporting period.
#[derive(Debug, Clone, Serialize)]
pub struct Update {
    pub agreement: AgreementLink,
    pub period: String,
    pub published: String,
    /// Anchor on `/updates/`.
    pub anchor: String,
    pub url: crate::paths::Link,
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
    pub update_url: crate::paths::Link,
}

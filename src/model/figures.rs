//! Figures quoted in the documents, as data, with where each is quoted.

use serde::Serialize;

use super::TopicRef;

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
    pub url: crate::paths::Link,
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
    pub document_url: crate::paths::Link,
    pub section: Option<String>,
    /// The section anchor (or page) the sentence is in.
    pub url: crate::paths::Link,
    /// `agreement` slug, or `page:{slug}`.
    pub id: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FigureItem {
    pub label: String,
    pub agreement: String,
    pub url: crate::paths::Link,
    pub path: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct FigureLink {
    pub label: String,
    pub url: crate::paths::Link,
    pub summary: String,
}

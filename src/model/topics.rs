//! Subjects the agreements share, with each agreement's items and
//! sections on them side by side.

use serde::Serialize;

use super::{Editorial, FigureLink, ItemLink};

/// A topic as an item names it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TopicRef {
    pub id: String,
    pub title: String,
    pub url: crate::paths::Link,
}

/// A subject the agreements share, with what each agreement says on it.
#[derive(Debug, Serialize)]
pub struct Topic {
    pub id: String,
    pub title: String,
    /// The editors' summary of what the agreements say on it: their words, not the agreements'.
    pub description: Editorial,
    pub path: String,
    pub url: crate::paths::Link,
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
    pub url: crate::paths::Link,
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
    pub url: crate::paths::Link,
    /// Its first words.
    pub excerpt: String,
}

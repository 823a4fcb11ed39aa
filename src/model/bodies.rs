//! The boards and groups that govern delivery and the bodies that
//! scrutinise it, as each agreement describes them and as their own pages list them.

use serde::Serialize;

use super::{AgreementLink, OrgLink};

/// An organisation's place in a governance body, as an organisation page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct GovernanceRole {
    pub agreement: AgreementLink,
    pub body: String,
    /// The body on its agreement's page.
    pub url: crate::paths::Link,
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
    pub item_url: crate::paths::Link,
    pub text: String,
    pub note: String,
}

/// A body that scrutinises delivery, with every agreement's own description of it.
#[derive(Debug, Serialize)]
pub struct ScrutinyBody {
    pub id: String,
    pub name: String,
    pub abbreviation: Option<String>,
    pub path: String,
    pub url: crate::paths::Link,
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
    pub url: crate::paths::Link,
}

/// One scrutiny paragraph on its agreement's page.
#[derive(Debug, Clone, Serialize)]
pub struct Scrutiny {
    pub anchor: String,
    pub heading: String,
    /// As the agreement's page shows it, each paragraph anchored.
    #[serde(serialize_with = "super::serialising::section_html")]
    pub html: String,
    /// As a scrutiny body's page quotes it, beside other agreements'.
    #[serde(skip)]
    pub quoted_html: String,
    pub text: String,
    #[serde(skip)]
    pub paragraphs: Vec<crate::markdown::Paragraph>,
    pub body: BodyLink,
}

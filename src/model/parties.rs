//! Who is party to the agreements: organisations, people and the
//! signatures that join them to each agreement.

use serde::Serialize;

use super::{AgreementLink, GovernanceRole};

/// An organisation as other pages name and link it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OrgLink {
    pub id: String,
    pub name: String,
    pub abbreviation: Option<String>,
    pub url: crate::paths::Link,
}

/// A partner or signatory organisation: what each agreement makes it responsible for, and who signed.
#[derive(Debug, Serialize)]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub abbreviation: Option<String>,
    pub path: String,
    pub url: crate::paths::Link,
    /// Agreements it is a partner to or signed for, in agreement order.
    pub agreements: Vec<AgreementLink>,
    pub responsibilities: Vec<Responsibility>,
    pub signatures: Vec<Signature>,
    /// Boards and groups the agreements tie it to, with the words that do.
    pub governance: Vec<GovernanceRole>,
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
    pub url: crate::paths::Link,
    pub signatures: Vec<Signature>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PersonLink {
    pub id: String,
    pub name: String,
    pub url: crate::paths::Link,
}

/// A signature with the agreement it is on, for people and organisation pages.
#[derive(Debug, Clone, Serialize)]
pub struct Signature {
    pub agreement: AgreementLink,
    pub signatory: Signatory,
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

//! The abbreviations the documents use, each expanded as they expand it.

use serde::Serialize;

use super::Backlink;

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
    pub url: crate::paths::Link,
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

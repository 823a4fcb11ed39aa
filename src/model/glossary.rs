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
    /// The other ways the documents print it ("MOJ" beside "MoJ"), each
    /// marked in pages as the term is.
    pub spellings: Vec<String>,
    /// Usually one; more where the documents expand it more than one way
    /// or define it in more than one spelling.
    pub expansions: Vec<Expansion>,
}

impl Term {
    /// Its expansions, each once (whatever their capitals), joined with "or".
    pub fn expanded(&self) -> String {
        let mut seen: Vec<&str> = Vec::new();
        for e in &self.expansions {
            if !seen.iter().any(|s| s.eq_ignore_ascii_case(&e.expansion)) {
                seen.push(&e.expansion);
            }
        }
        seen.join(" or ")
    }

    /// What `spelling` (the abbreviation or one of its other spellings)
    /// stands for: the expansions given for it, else all of them.
    pub fn expanded_as(&self, spelling: &str) -> String {
        let own: Vec<&str> = self
            .expansions
            .iter()
            .filter(|e| e.abbreviation == spelling)
            .map(|e| e.expansion.as_str())
            .collect();
        if own.is_empty() {
            self.expanded()
        } else {
            own.join(" or ")
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Expansion {
    /// The spelling it expands: the term's abbreviation or one of its other spellings.
    pub abbreviation: String,
    pub expansion: String,
    /// The defining words, as printed.
    pub quote: String,
    /// The page they are on.
    pub defined: Backlink,
}

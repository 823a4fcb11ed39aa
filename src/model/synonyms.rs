//! Words the site's editors hold to mean the same (`content/synonyms.toml`):
//! search looks for each in the others' place, so a reader who types
//! "medicines" finds the priority that says "medication". They are the
//! editors' words, not the agreements', and the search page says so
//! wherever it uses them.

use serde::Serialize;

/// One group of words (or phrases) of the same meaning, as the editors wrote them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Synonyms {
    pub words: Vec<String>,
}

/// A word or phrase as search compares it: lower case, apostrophes dropped
/// ("children’s" is "childrens", as Pagefind indexes it), and any other
/// run of characters that are not letters or digits one space
/// ("post-custody" is "post custody"). The search page reads a typed
/// question the same way (`search.js`).
pub fn search_form(text: &str) -> String {
    let lower = text.to_lowercase().replace(['\'', '’'], "");
    lower.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::search_form;

    #[test]
    fn the_search_form_of_a_phrase() {
        assert_eq!(search_form("  Post-custody "), "post custody");
        assert_eq!(search_form("Children’s  homes"), "childrens homes");
        assert_eq!(search_form("L&D"), "l d");
        assert_eq!(search_form("—"), "");
    }
}

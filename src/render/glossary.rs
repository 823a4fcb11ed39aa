//! Abbreviations explained where a reader meets them: the first use of each
//! glossary term in a page's main content is marked up as `<abbr>` with its
//! expansion, and linked to its glossary entry, the way GOV.UK guidance does.
//!
//! This runs on each rendered page, after its template: "first use" is the
//! first on the page as the reader sees it, whichever piece of content (a
//! section, an item, a description) it falls in. Text inside links,
//! headings, code and the like is left alone: an abbreviation there is
//! marked at its next use instead.

use crate::markdown::escape_html as escape;
use aho_corasick::{AhoCorasick, MatchKind};

use crate::model::Glossary;

/// Elements whose text is never marked: a link in a link, or in a heading,
/// code, a control, or a label, would change what the element is.
const LEFT_ALONE: &[&str] = &[
    "a", "abbr", "cite", "code", "pre", "script", "style", "svg", "title", "h1", "h2", "h3", "h4", "h5",
    "h6", "button", "label", "select", "option", "textarea", "summary",
];

/// Marks an element whose text is left as it is, whatever it is: a
/// citation, which readers copy as plain text.
const PLAIN: &str = "data-plain";

/// Elements that never have a closing tag.
const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];

/// The glossary's terms, ready to find in pages.
pub struct Marker {
    finder: AhoCorasick,
    /// For each spelling of each term, in the finder's pattern order: the
    /// markup that replaces its first use, and which term it is.
    replacements: Vec<(String, usize)>,
    terms: usize,
}

impl Marker {
    /// `None` for a site with no glossary.
    pub fn new(glossary: &Glossary) -> Option<Marker> {
        if glossary.terms.is_empty() {
            return None;
        }
        // Every spelling of every term, each with the term it spells.
        let spellings: Vec<(&str, usize, &crate::model::Term)> = glossary
            .terms
            .iter()
            .enumerate()
            .flat_map(|(n, t)| {
                std::iter::once(t.abbreviation.as_str())
                    .chain(t.spellings.iter().map(String::as_str))
                    .map(move |s| (s, n, t))
            })
            .collect();
        // Pages hold text as HTML: an ampersand in "L&D" is `&amp;` there.
        let patterns: Vec<String> = spellings.iter().map(|(s, ..)| escape(s)).collect();
        let finder = AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(&patterns).ok()?;
        let replacements = spellings
            .iter()
            .zip(&patterns)
            .map(|(&(spelling, n, t), shown)| {
                let markup = format!(
                    "<a class=\"glossary-term\" href=\"{}\"><abbr title=\"{}\">{shown}</abbr></a>",
                    escape(t.url.as_str()),
                    escape(&t.expanded_as(spelling))
                );
                (markup, n)
            })
            .collect();
        Some(Marker { finder, replacements, terms: glossary.terms.len() })
    }

    /// The page with the first use of each term in its `<main>` marked.
    pub fn mark(&self, html: &str) -> String {
        let Some(start) = html.find("<main") else { return html.to_owned() };
        let end = html[start..].find("</main>").map_or(html.len(), |i| start + i);
        let mut out = String::with_capacity(html.len() + 1024);
        out.push_str(&html[..start]);
        let mut seen = vec![false; self.terms];
        let mut skipping: Vec<String> = Vec::new();
        let mut rest = &html[start..end];
        while !rest.is_empty() {
            if rest.starts_with('<') {
                let tag_end = rest.find('>').map_or(rest.len(), |i| i + 1);
                let tag = &rest[..tag_end];
                track(tag, &mut skipping);
                out.push_str(tag);
                rest = &rest[tag_end..];
            } else {
                let text_end = rest.find('<').unwrap_or(rest.len());
                let text = &rest[..text_end];
                if skipping.is_empty() {
                    self.mark_text(text, &mut seen, &mut out);
                } else {
                    out.push_str(text);
                }
                rest = &rest[text_end..];
            }
        }
        out.push_str(&html[end..]);
        out
    }

    /// Copies `text` to `out`, marking the first use of each term not yet
    /// `seen`, in whichever of its spellings it comes.
    fn mark_text(&self, text: &str, seen: &mut [bool], out: &mut String) {
        let mut copied = 0;
        for m in self.finder.find_iter(text) {
            let (markup, term) = &self.replacements[m.pattern().as_usize()];
            let term = *term;
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            let whole_word =
                !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric);
            if seen[term] || !whole_word {
                continue;
            }
            seen[term] = true;
            out.push_str(&text[copied..m.start()]);
            out.push_str(markup);
            copied = m.end();
        }
        out.push_str(&text[copied..]);
    }
}

/// Keeps `skipping` as the stack of open elements whose text is left alone.
fn track(tag: &str, skipping: &mut Vec<String>) {
    let inner = tag.trim_start_matches('<').trim_end_matches('>');
    if inner.starts_with('!') || inner.starts_with('?') {
        return;
    }
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name: String =
        inner.chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    let plain = !closing && inner.contains(PLAIN);
    let tracked = LEFT_ALONE.contains(&name.as_str()) || plain || skipping.contains(&name);
    if !tracked || VOID.contains(&name.as_str()) {
        return;
    }
    if closing {
        if let Some(at) = skipping.iter().rposition(|open| *open == name) {
            skipping.truncate(at);
        }
    } else if !inner.ends_with('/') {
        skipping.push(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Backlink, Expansion, Term};

    fn marker() -> Marker {
        let term = |abbreviation: &str, expansion: &str| Term {
            abbreviation: abbreviation.to_owned(),
            anchor: format!("term-{}", abbreviation.to_lowercase()),
            url: crate::paths::Link::written(&format!("/glossary/#term-{}", abbreviation.to_lowercase())),
            spellings: Vec::new(),
            expansions: vec![Expansion {
                abbreviation: abbreviation.to_owned(),
                expansion: expansion.to_owned(),
                quote: String::new(),
                defined: Backlink { title: String::new(), url: crate::paths::Link::default() },
            }],
        };
        let glossary = Glossary {
            terms: vec![
                term("IRC", "immigration removal centre"),
                term("IRCs", "immigration removal centre"),
                term("L&D", "Liaison and Diversion"),
            ],
            unexpanded: Vec::new(),
            names: Vec::new(),
        };
        Marker::new(&glossary).unwrap()
    }

    #[test]
    fn the_first_use_in_main_content_is_marked_once() {
        let page = "<title>IRC</title><main><h1>IRC</h1><section data-plain><p>IRC</p></section><p>An IRC and <a href=\"/x\">IRC</a>, IRCs, an IRC again, L&amp;D, MIRC.</p></main><footer>IRC</footer>";
        let marked = marker().mark(page);
        assert_eq!(
            marked.matches("<abbr title=\"immigration removal centre\">IRC</abbr>").count(),
            1,
            "{marked}"
        );
        assert!(
            marked.contains("<p>An <a class=\"glossary-term\" href=\"/glossary/#term-irc\"><abbr"),
            "{marked}"
        );
        assert!(marked.contains(">IRCs</abbr>"), "the longer term is its own: {marked}");
        assert!(marked.contains("<abbr title=\"Liaison and Diversion\">L&amp;D</abbr>"), "{marked}");
        assert!(
            marked.contains("<h1>IRC</h1>")
                && marked.contains("<footer>IRC</footer>")
                && marked.contains("MIRC."),
            "{marked}"
        );
        assert!(marked.starts_with("<title>IRC</title>"), "{marked}");
    }
}

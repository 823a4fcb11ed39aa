//! Versions: each text an item has had, dated, at a URL of its own, with
//! what changed shown word by word, as legislation.gov.uk shows law "as it
//! stood" on a date.
//!
//! A version is a change to what a reader reads: the item's text and its
//! demonstrable measures. A commit that changed only the front matter's
//! other fields (topics, relations) or only whitespace is not one. Several
//! commits on one day make one version, the day's last text, so a version
//! is named by its date alone (`versions/2026-11-23/`), which is what a
//! citer writes down. Only committed texts are versions: an edit not yet
//! committed shows on the item's page, which then says so, and gets a
//! version of its own once committed.

use std::path::Path;

use super::Resolver;
use crate::load::{long_date, parse_toml, split_front_matter, Document, RawItem, Revision, SourceFile};
use crate::markdown::{self, IdSet};
use crate::model::{Measure, TextAsAt, Version, VersionLink};
use crate::paths::{self, Kind};

/// An item's words, as a version compares them: the text and each measure,
/// whitespace collapsed.
#[derive(PartialEq, Eq)]
struct Words {
    body: String,
    measures: Vec<String>,
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The words of a committed text of an item file, or `None` if it cannot be
/// read as one (a text from before the file was an item, say).
fn words_of(path: &Path, text: &str) -> Option<(Words, String, Vec<String>)> {
    let file = SourceFile { path: path.to_path_buf(), text: text.into() };
    let split = split_front_matter(&file).ok()?;
    let front: RawItem = parse_toml(&file, split.front.start, split.front.end).ok()?;
    let body = text[split.body].to_owned();
    let measures: Vec<String> =
        front.measures.iter().flat_map(|m| m.get_ref().iter()).map(|m| m.text.get_ref().clone()).collect();
    let words = Words { body: collapse(&body), measures: measures.iter().map(|m| collapse(m)).collect() };
    Some((words, body, measures))
}

impl Resolver {
    /// The versions of the item at `item_path` whose file is `doc`, and what
    /// its page's text is up to date with.
    pub(super) fn versions(
        &self,
        item_path: &str,
        kind: Kind,
        number: u32,
        doc: &Document<RawItem>,
    ) -> (Vec<Version>, TextAsAt) {
        let history = self.dates.history();
        let current = words_of(&doc.file.path, &doc.file.text).map(|(w, _, _)| w);
        let updated = self.date(&doc.file.path).unwrap_or_default();
        if !history.available() {
            let as_at = TextAsAt {
                long_date: long_date(&updated),
                date: updated,
                no_history: true,
                ..Default::default()
            };
            return (Vec::new(), as_at);
        }
        // One text a day, the day's last; then only those whose words changed.
        let mut days: Vec<(&Revision, Words, String, Vec<String>)> = Vec::new();
        for revision in history.of(&doc.file.path) {
            let Some((words, body, measures)) = words_of(&doc.file.path, &revision.text) else { continue };
            if days.last().is_some_and(|(last, ..)| last.date == revision.date) {
                days.pop();
            }
            days.push((revision, words, body, measures));
        }
        days.dedup_by(|later, earlier| later.1 == earlier.1);

        let mut versions: Vec<Version> = Vec::with_capacity(days.len());
        for (n, (revision, words, body, measures)) in days.into_iter().enumerate() {
            let path = paths::version(item_path, &revision.date);
            // Texts of the past are rendered by today's rules (raw HTML
            // escaped, unsafe links dropped), their problems not reported
            // again: they were reported, or not, when they were current.
            let rendered = markdown::render(&body, &self.cx(4), &mut IdSet::default());
            let measures: Vec<Measure> = measures
                .iter()
                .zip(1..)
                .map(|(m, i)| {
                    let r = markdown::render(m, &self.cx(7), &mut IdSet::default());
                    Measure {
                        number: i,
                        anchor: super::measure_anchor(kind, number, i),
                        html: r.html,
                        text: r.text,
                    }
                })
                .collect();
            let text = reading_text(&rendered.text, &measures);
            let previous = versions.last();
            versions.push(Version {
                long_date: long_date(&revision.date),
                date: revision.date.clone(),
                number: n + 1,
                url: self.url(&path),
                path,
                commit: revision.commit.clone(),
                html: rendered.html,
                measures,
                diff: previous.map(|p| word_diff(&p.text, &text)),
                previous: previous.map(link),
                current: current.as_ref() == Some(&words),
                text,
            });
        }
        let as_at = match versions.last() {
            Some(last) if last.current => TextAsAt {
                date: last.date.clone(),
                long_date: last.long_date.clone(),
                version: Some(link(last)),
                ..Default::default()
            },
            _ => {
                TextAsAt { long_date: long_date(&updated), date: updated, edited: true, ..Default::default() }
            }
        };
        (versions, as_at)
    }
}

fn link(v: &Version) -> VersionLink {
    VersionLink { date: v.date.clone(), long_date: v.long_date.clone(), url: v.url.clone() }
}

/// The words a reader reads, one paragraph a line: the text, then each measure.
fn reading_text(body: &str, measures: &[Measure]) -> String {
    let mut lines = vec![collapse(body)];
    lines.extend(measures.iter().map(|m| format!("Measure {}: {}", m.number, collapse(&m.text))));
    lines.join("\n")
}

/// What changed from `old` to `new`, word by word, as HTML: one paragraph a
/// line, removed words in `<del>`, added ones in `<ins>`, each with a word
/// for screen readers, which do not all announce the two elements.
pub fn word_diff(old: &str, new: &str) -> String {
    use similar::{ChangeTag, TextDiff};
    let diff = TextDiff::configure().diff_unicode_words(old, new);
    let mut html = String::from("<p>");
    let mut open: Option<ChangeTag> = None;
    let close = |html: &mut String, tag: Option<ChangeTag>| match tag {
        Some(ChangeTag::Delete) => html.push_str("</del>"),
        Some(ChangeTag::Insert) => html.push_str("</ins>"),
        _ => {}
    };
    for change in diff.iter_all_changes() {
        let tag = change.tag();
        for (i, piece) in change.value().split('\n').enumerate() {
            if i > 0 {
                close(&mut html, open.take());
                html.push_str("</p><p>");
            }
            if piece.is_empty() {
                continue;
            }
            if open != Some(tag) {
                close(&mut html, open.take());
                match tag {
                    ChangeTag::Delete => {
                        html.push_str("<del><span class=\"visually-hidden\">[removed:] </span>")
                    }
                    ChangeTag::Insert => {
                        html.push_str("<ins><span class=\"visually-hidden\">[added:] </span>")
                    }
                    ChangeTag::Equal => {}
                }
                open = Some(tag);
            }
            html.push_str(&markdown::escape_html(piece));
        }
    }
    close(&mut html, open);
    html.push_str("</p>");
    html.replace("<p></p>", "")
}

#[cfg(test)]
mod tests {
    use super::word_diff;

    #[test]
    fn words_removed_and_added_are_marked_and_escaped() {
        let html = word_diff("We will agree protocols.", "We will jointly agree <b>protocols</b>.");
        assert!(
            html.contains("<ins><span class=\"visually-hidden\">[added:] </span>jointly </ins>"),
            "{html}"
        );
        assert!(html.contains("&lt;b&gt;"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert_eq!(word_diff("a b", "a b"), "<p>a b</p>");
        let lines = word_diff("one\nMeasure 1: two", "one\nMeasure 1: three");
        assert!(lines.starts_with("<p>one</p><p>Measure 1: <del>"), "{lines}");
    }
}

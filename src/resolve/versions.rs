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

use serde::Deserialize;

use super::Resolver;
use crate::load::{long_date, split_front_matter, Document, RawItem, SourceFile};
use crate::markdown::{self, IdSet};
use crate::model::*;
use crate::paths::{self, Kind};

/// A file's words, as a version compares them: its text and, for a
/// principle, each measure, whitespace collapsed.
#[derive(PartialEq, Eq, Clone)]
struct Words {
    body: String,
    measures: Vec<String>,
}

/// One committed text of a file, as it read.
struct Committed {
    date: String,
    commit: String,
    words: Words,
    body: String,
    measures: Vec<String>,
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The words of a text of an item or section file, or `None` if it has no
/// front matter. Only the measures are read of the front matter, so a text
/// written under an older format still counts.
fn words_of(path: &Path, text: &str) -> Option<(Words, String, Vec<String>)> {
    #[derive(Deserialize)]
    struct Front {
        #[serde(default)]
        measures: Vec<MeasureText>,
    }
    #[derive(Deserialize)]
    struct MeasureText {
        text: String,
    }
    let file = SourceFile { path: path.to_path_buf(), text: text.into(), modified: None };
    let split = split_front_matter(&file).ok()?;
    let front: Front = toml::from_str(&text[split.front]).ok()?;
    let body = text[split.body].to_owned();
    let measures: Vec<String> = front.measures.into_iter().map(|m| m.text).collect();
    let words = Words { body: collapse(&body), measures: measures.iter().map(|m| collapse(m)).collect() };
    Some((words, body, measures))
}

impl Resolver {
    /// The committed texts of `path` whose words changed, one a day (the day's last).
    fn committed(&self, path: &Path) -> Vec<Committed> {
        let mut days: Vec<Committed> = Vec::new();
        for revision in self.dates.history().of(path) {
            let Some((words, body, measures)) = words_of(path, &revision.text) else { continue };
            if days.last().is_some_and(|last| last.date == revision.date) {
                days.pop();
            }
            days.push(Committed {
                date: revision.date.clone(),
                commit: revision.commit.clone(),
                words,
                body,
                measures,
            });
        }
        days.dedup_by(|later, earlier| later.words == earlier.words);
        days
    }

    /// What a page's text is up to date with, given its versions' dates and
    /// whether the last is the current text.
    fn as_at(
        &self,
        updated: Option<String>,
        last: Option<(&str, &str, &crate::paths::Link)>,
        current: bool,
    ) -> TextAsAt {
        let updated = updated.unwrap_or_default();
        if !self.dates.history().available() {
            return TextAsAt {
                long_date: long_date(&updated),
                date: updated,
                no_history: true,
                ..Default::default()
            };
        }
        match last {
            Some((date, long, url)) if current => TextAsAt {
                date: date.to_owned(),
                long_date: long.to_owned(),
                version: Some(VersionLink {
                    date: date.to_owned(),
                    long_date: long.to_owned(),
                    url: url.clone(),
                }),
                ..Default::default()
            },
            _ => TextAsAt {
                long_date: long_date(&updated),
                date: updated,
                edited: last.is_some(),
                unversioned: last.is_none(),
                ..Default::default()
            },
        }
    }

    /// The versions of the item at `item_path` whose file is `doc`, and what
    /// its page's text is up to date with.
    pub(super) fn versions(
        &self,
        item_path: &str,
        kind: Kind,
        number: u32,
        doc: &Document<RawItem>,
    ) -> (Vec<Version>, TextAsAt) {
        let committed = self.committed(&doc.file.path);
        // Read only when there is a version to compare it with.
        let current = if committed.is_empty() {
            None
        } else {
            words_of(&doc.file.path, &doc.file.text).map(|(w, _, _)| w)
        };
        let mut versions: Vec<Version> = Vec::new();
        for (n, c) in committed.into_iter().enumerate() {
            let path = paths::version(item_path, &c.date);
            // Texts of the past are rendered by today's rules (raw HTML
            // escaped, unsafe links dropped), their problems not reported
            // again: they were reported, or not, when they were current.
            let rendered = self.render_markdown(&c.body, 4, &mut IdSet::default());
            let measures: Vec<Measure> = c
                .measures
                .iter()
                .zip(1..)
                .map(|(m, i)| {
                    let r = self.render_markdown(m, 7, &mut IdSet::default());
                    Measure {
                        number: i,
                        anchor: crate::paths::measure_anchor(kind, number, i),
                        html: r.html.to_string(),
                        text: r.text.to_string(),
                    }
                })
                .collect();
            let text = reading_text(&rendered.text, &measures);
            let previous = versions.last();
            versions.push(Version {
                long_date: long_date(&c.date),
                date: c.date,
                number: n + 1,
                url: self.url(&path),
                path,
                commit: c.commit,
                html: rendered.html.to_string(),
                measures,
                diff: previous.map(|p| word_diff(&p.text, &text)),
                previous: previous.map(link),
                current: current.as_ref() == Some(&c.words),
                text,
            });
        }
        let last = versions.last().map(|v| (v.date.as_str(), v.long_date.as_str(), &v.url));
        let as_at = self.as_at(self.date(&doc.file), last, versions.last().is_some_and(|v| v.current));
        (versions, as_at)
    }

    /// The versions of a whole agreement: one for each date on which any of
    /// its sections' or items' words changed, holding every section and item
    /// as it then read. Made from the sections and items it has now (one
    /// since removed is not in the versions before its removal), and from
    /// their text only: the agreement's title, signatories and scrutiny
    /// descriptions are not versioned.
    pub(super) fn agreement_versions(&self, a: &Agreement) -> (Vec<AgreementVersion>, TextAsAt) {
        let sections = self.section_texts(a);
        let mut dates: Vec<&str> = sections
            .iter()
            .flat_map(|(texts, _)| texts.iter().map(|t| t.date.as_str()))
            .chain(a.items.iter().flat_map(|i| i.versions.iter().map(|v| v.date.as_str())))
            .collect();
        dates.sort_unstable();
        dates.dedup();

        let mut versions: Vec<AgreementVersion> = Vec::new();
        for (n, date) in dates.iter().enumerate() {
            let (out_sections, changes) = parts_as_at(a, &sections, date);
            let path = paths::version(&a.path, date);
            let previous = versions.last().map(|p| VersionLink {
                date: p.date.clone(),
                long_date: p.long_date.clone(),
                url: p.url.clone(),
            });
            versions.push(AgreementVersion {
                date: (*date).to_owned(),
                long_date: long_date(date),
                number: n + 1,
                url: self.url(&path),
                path,
                sections: out_sections,
                changes,
                previous,
                current: false,
            });
        }
        // The last version is the current text if nothing changed after it.
        let current = sections.iter().all(|(texts, is_current)| texts.is_empty() || *is_current)
            && a.items.iter().all(|i| i.versions.last().is_none_or(|v| v.current));
        if let Some(last) = versions.last_mut() {
            last.current = current;
        }
        let last = versions.last().map(|v| (v.date.as_str(), v.long_date.as_str(), &v.url));
        let as_at = self.as_at(a.updated.clone(), last, current);
        (versions, as_at)
    }

    /// Each section's committed texts, rendered, oldest first, and whether
    /// its file now reads as the last of them.
    fn section_texts(&self, a: &Agreement) -> Vec<(Vec<SectionText>, bool)> {
        a.sections
            .iter()
            .map(|s| {
                let committed = self.committed(&s.source_file);
                let is_current = committed.last().is_some_and(|c| {
                    let current = std::fs::read_to_string(self.root.join(&s.source_file))
                        .ok()
                        .and_then(|t| words_of(&s.source_file, &t));
                    current.is_some_and(|(words, _, _)| words == c.words)
                });
                let texts = committed
                    .into_iter()
                    .map(|c| {
                        let r = self.render_markdown(&c.body, 3, &mut IdSet::default());
                        SectionText { date: c.date, html: r.html.to_string(), text: r.text.to_string() }
                    })
                    .collect();
                (texts, is_current)
            })
            .collect()
    }
}

/// A section's text as committed on one date, rendered.
struct SectionText {
    date: String,
    html: String,
    text: String,
}

/// Every section of `a` as it read on `date`, each with its items as they
/// then read, and what changed on that date.
fn parts_as_at(
    a: &Agreement,
    sections: &[(Vec<SectionText>, bool)],
    date: &str,
) -> (Vec<SectionAsAt>, Vec<PartChange>) {
    let mut out_sections = Vec::new();
    let mut changes = Vec::new();
    for (section, (texts, _)) in a.sections.iter().zip(sections) {
        // The section as it read on `date`: its last text from then or before.
        let Some(at) = texts.iter().rposition(|t| t.date.as_str() <= date) else { continue };
        if texts[at].date == date {
            changes.push(PartChange {
                title: section.title.clone(),
                url: crate::paths::Link::on_this_page(&section.id),
                diff: at
                    .checked_sub(1)
                    .map(|p| word_diff(&paragraphs(&texts[p].text), &paragraphs(&texts[at].text))),
                first: at == 0,
            });
        }
        let items = a
            .items
            .iter()
            .filter(|i| Some(i.kind) == section.items)
            .filter_map(|i| {
                let v = i.versions.iter().rev().find(|v| v.date.as_str() <= date)?;
                if v.date == date {
                    let url = if v.diff.is_some() { v.url.at("what-changed") } else { v.url.clone() };
                    changes.push(PartChange {
                        title: i.label.clone(),
                        url,
                        diff: None,
                        first: v.diff.is_none(),
                    });
                }
                Some(ItemAsAt {
                    label: i.label.clone(),
                    anchor: i.anchor.clone(),
                    html: v.html.clone(),
                    measures: v.measures.clone(),
                    version: link(v),
                })
            })
            .collect();
        out_sections.push(SectionAsAt {
            id: section.id.clone(),
            title: section.title.clone(),
            html: texts[at].html.clone(),
            items,
        });
    }
    (out_sections, changes)
}

impl Agreement {
    /// The agreement with its versions, once its items have theirs.
    pub(super) fn with_versions(mut self, r: &Resolver) -> Agreement {
        (self.versions, self.as_at) = r.agreement_versions(&self);
        self
    }
}

fn link(v: &Version) -> VersionLink {
    VersionLink { date: v.date.clone(), long_date: v.long_date.clone(), url: v.url.clone() }
}

/// A text's paragraphs, one a line, each with its whitespace collapsed.
fn paragraphs(text: &str) -> String {
    text.lines().map(collapse).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
}

/// The words a reader reads, one paragraph a line: the text, then each measure.
fn reading_text(body: &str, measures: &[Measure]) -> String {
    let mut lines = vec![paragraphs(body)];
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
                // Words removed and words added side by side, kept apart.
                let replaced = open == Some(ChangeTag::Delete) && tag == ChangeTag::Insert;
                close(&mut html, open.take());
                if replaced {
                    html.push(' ');
                }
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

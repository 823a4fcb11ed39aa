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

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use super::Resolver;
use crate::diagnostics::Diagnostic;
use crate::load::{long_date, split_front_matter, Document, RawItem, SourceFile};
use crate::markdown::{self, IdSet, Paragraph, ParagraphLinks};
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
    /// What the day's commits said the change was (no label yet).
    stated: Stated,
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
            let mut stated = self.stated(revision.commit_index);
            if let Some(last) = days.pop_if(|last| last.date == revision.date) {
                stated = stated.max(last.stated);
            }
            days.push(Committed {
                date: revision.date.clone(),
                commit: revision.commit.clone(),
                stated,
                words,
                body,
                measures,
            });
        }
        days.dedup_by(|later, earlier| later.words == earlier.words);
        days
    }

    /// What a commit's trailers say a change to the text is; anything they
    /// do not say clearly is a change of no stated kind (and was warned of
    /// by [`Resolver::check_trailers`]).
    fn stated(&self, commit: usize) -> Stated {
        let Some(commit) = self.dates.commits().get(commit) else { return Stated::Nothing };
        read_trailers(&commit.trailers).unwrap_or(Stated::Nothing)
    }

    /// Warns of each commit whose trailers say something about a change to
    /// the text that cannot be read: the change is then shown as of no stated kind.
    pub(super) fn check_trailers(&mut self) {
        for commit in self.dates.commits() {
            if let Err(problem) = read_trailers(&commit.trailers) {
                let short = commit.hash.get(..7).unwrap_or(&commit.hash);
                let file = commit.files.first().cloned().unwrap_or_default();
                self.warnings.push(
                    Diagnostic::file(file, format!("commit {short} ({}): {problem}", commit.date))
                        .with_help(
                            "its change is shown as \"changed on this site\"; to say what it is, \
                             commit again with the trailers set (see docs/content-format.md, \"Versions\")",
                        )
                        .warning(),
                );
            }
        }
    }

    /// What a page's text is up to date with, given its versions' dates and
    /// whether the last is the current text.
    fn as_at(&self, updated: Option<String>, last: Option<VersionLink>, current: bool) -> TextAsAt {
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
            Some(version) if current => TextAsAt {
                label: version.label.clone(),
                date: version.date.clone(),
                long_date: version.long_date.clone(),
                version: Some(version),
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
        (kind, number): (Kind, u32),
        doc: &Document<RawItem>,
        as_published: &str,
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
            let kind_of_text = c.stated.kind(n == 0, &c.date, as_published);
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
                kind: kind_of_text,
                previous: previous.map(link),
                current: current.as_ref() == Some(&c.words),
                text,
            });
        }
        let as_at = self.as_at(
            self.date(&doc.file),
            versions.last().map(link),
            versions.last().is_some_and(|v| v.current),
        );
        (versions, as_at)
    }

    /// The versions of a whole agreement: one for each date on which any of
    /// its sections' or items' words changed, holding every section and item
    /// as it then read. Made from the sections and items it has now (one
    /// since removed is not in the versions before its removal), and from
    /// their text only (what it says of its scrutiny bodies included): the
    /// agreement's title and signatories are not versioned.
    pub(super) fn agreement_versions(&self, a: &Agreement) -> AgreementHistory {
        let sections = self.section_texts(a);
        let scrutiny = self.scrutiny_texts(a);
        let mut dates: Vec<&str> = sections
            .iter()
            .flat_map(|(texts, _)| texts.iter().map(|t| t.date.as_str()))
            .chain(scrutiny.0.iter().map(|t| t.date.as_str()))
            .chain(a.items.iter().flat_map(|i| i.versions.iter().map(|v| v.date.as_str())))
            .collect();
        dates.sort_unstable();
        dates.dedup();

        let as_published = as_published(a.period, a.provenance.as_ref().and_then(|p| p.published.as_deref()));
        let mut versions: Vec<AgreementVersion> = Vec::new();
        let mut anchors: Vec<Vec<(String, Paragraph)>> = Vec::new();
        for (n, date) in dates.iter().enumerate() {
            let path = paths::version(&a.path, date);
            let url = self.url(&path);
            let (out_sections, changes, held) = self.parts_as_at(a, (&sections, &scrutiny.0), date, &url);
            // The day's kind is the strongest any of its parts' changes states.
            let stated = sections
                .iter()
                .flat_map(|(texts, _)| texts.iter().filter(|t| t.date == *date).map(|t| t.stated.clone()))
                .chain(scrutiny.0.iter().filter(|t| t.date == *date).map(|t| t.stated.clone()))
                .chain(a.items.iter().flat_map(|i| {
                    i.versions.iter().filter(|v| v.date == *date).map(|v| Stated::from_kind(&v.kind))
                }))
                .max()
                .unwrap_or(Stated::Nothing);
            let previous = versions.last().map(|p| VersionLink {
                date: p.date.clone(),
                long_date: p.long_date.clone(),
                label: p.kind.label.clone(),
                url: p.url.clone(),
            });
            versions.push(AgreementVersion {
                date: (*date).to_owned(),
                long_date: long_date(date),
                number: n + 1,
                url,
                path,
                sections: out_sections,
                changes,
                kind: stated.kind(n == 0, date, &as_published),
                previous,
                current: false,
            });
            anchors.push(held);
        }
        // The last version is the current text if nothing changed after it.
        let current = sections.iter().all(|(texts, is_current)| texts.is_empty() || *is_current)
            && (scrutiny.0.is_empty() || scrutiny.1)
            && a.items.iter().all(|i| i.versions.last().is_none_or(|v| v.current));
        if let Some(last) = versions.last_mut() {
            last.current = current;
        }
        let last = versions.last().map(|v| VersionLink {
            date: v.date.clone(),
            long_date: v.long_date.clone(),
            label: v.kind.label.clone(),
            url: v.url.clone(),
        });
        let as_at = self.as_at(a.updated.clone(), last, current);
        let moved = moved_paragraphs(a, &mut versions, &anchors);
        AgreementHistory { versions, as_at, moved }
    }

    /// Each section's committed texts, oldest first, and whether its file
    /// now reads as the last of them.
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
                        SectionText { date: c.date, stated: c.stated, body: c.body, text: r.text.to_string() }
                    })
                    .collect();
                (texts, is_current)
            })
            .collect()
    }

    /// The committed texts of what `a` says of its scrutiny bodies
    /// (`scrutiny.toml`'s descriptions), oldest first, one a day, and whether
    /// the file now reads as the last of them.
    fn scrutiny_texts(&self, a: &Agreement) -> (Vec<ScrutinyText>, bool) {
        #[derive(Deserialize)]
        struct File {
            #[serde(default)]
            description: Vec<Description>,
        }
        #[derive(Deserialize, PartialEq)]
        struct Description {
            body: String,
            heading: String,
            text: String,
        }
        let path = a.source_file.join("scrutiny.toml");
        let read = |text: &str| {
            let file: File = toml::from_str(text).ok()?;
            let descriptions: Vec<(String, String, String)> =
                file.description.into_iter().map(|d| (d.body, d.heading, d.text)).collect();
            let words =
                descriptions.iter().map(|(_, h, t)| format!("{h}: {}", collapse(t))).collect::<Vec<_>>();
            Some((descriptions, words.join("\n")))
        };
        let mut days: Vec<ScrutinyText> = Vec::new();
        for revision in self.dates.history().of(&path) {
            let Some((descriptions, words)) = read(&revision.text) else { continue };
            let mut stated = self.stated(revision.commit_index);
            if let Some(last) = days.pop_if(|last| last.date == revision.date) {
                stated = stated.max(last.stated);
            }
            days.push(ScrutinyText { date: revision.date.clone(), stated, descriptions, words });
        }
        days.dedup_by(|later, earlier| later.words == earlier.words);
        // A file that said nothing of any body yet (its mentions only) is no text.
        let said = days.iter().position(|d| !d.words.is_empty()).unwrap_or(days.len());
        days.drain(..said);
        let current = std::fs::read_to_string(self.root.join(&path)).ok().and_then(|t| read(&t));
        let is_current =
            days.last().is_some_and(|last| current.is_some_and(|(_, words)| words == last.words));
        (days, is_current)
    }

    /// Every section of `a` as it read on `date`, each with its items as
    /// they then read; what changed on that date; and each paragraph's
    /// anchor, with its section's title. The sections are rendered together,
    /// as the agreement's page renders them, so a paragraph has the anchor
    /// it had when its text was current.
    fn parts_as_at(
        &self,
        a: &Agreement,
        (sections, scrutiny): (&[(Vec<SectionText>, bool)], &[ScrutinyText]),
        date: &str,
        page: &paths::Link,
    ) -> (Vec<SectionAsAt>, Vec<PartChange>, Vec<(String, Paragraph)>) {
        let mut out_sections = Vec::new();
        let mut changes = Vec::new();
        let mut anchors = Vec::new();
        let mut ids = IdSet::default();
        let page = page.to_string();
        // What it said of its scrutiny bodies, rendered first as its page renders it.
        let said = scrutiny.iter().rposition(|t| t.date.as_str() <= date);
        let mut descriptions: Vec<ScrutinyAsAt> = Vec::new();
        for (body, heading, text) in said.map_or(&[][..], |at| &scrutiny[at].descriptions) {
            let links = ParagraphLinks { page: &page, part: heading };
            let rendered = self.render_markdown_in(text, 7, Some(links), &mut ids);
            anchors.extend(rendered.paragraphs.iter().map(|p| (heading.clone(), p.clone())));
            descriptions.push(ScrutinyAsAt {
                anchor: format!("scrutiny-{body}"),
                heading: heading.clone(),
                html: rendered.html.to_string(),
            });
        }
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
            // Texts of the past are rendered by today's rules, their problems
            // not reported again (see `versions`).
            let links = ParagraphLinks { page: &page, part: &section.title };
            let rendered = self.render_markdown_in(&texts[at].body, 3, Some(links), &mut ids);
            anchors.extend(rendered.paragraphs.iter().map(|p| (section.title.clone(), p.clone())));
            let listed = if section.scrutiny { std::mem::take(&mut descriptions) } else { Vec::new() };
            if let Some(at) = said.filter(|at| section.scrutiny && scrutiny[*at].date == date) {
                changes.push(PartChange {
                    title: format!("{}: what it says of each scrutiny body", section.title),
                    url: crate::paths::Link::on_this_page(&section.id),
                    diff: at.checked_sub(1).map(|p| word_diff(&scrutiny[p].words, &scrutiny[at].words)),
                    first: at == 0,
                });
            }
            out_sections.push(SectionAsAt {
                id: section.id.clone(),
                title: section.title.clone(),
                html: rendered.html.to_string(),
                scrutiny: listed,
                items,
            });
        }
        (out_sections, changes, anchors)
    }
}

/// Where the words of each paragraph anchor no longer on the agreement's
/// page now are: the last version whose text has them. Each version's
/// page also says, at each of its paragraphs whose words the next text
/// changed or removed, where to see the change.
fn moved_paragraphs(
    a: &Agreement,
    versions: &mut [AgreementVersion],
    anchors: &[Vec<(String, Paragraph)>],
) -> Vec<MovedParagraph> {
    let now: HashSet<&str> =
        a.sections.iter().flat_map(|s| s.paragraphs.iter().map(|p| p.id.as_str())).collect();
    let mut moved: Vec<MovedParagraph> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for k in (0..versions.len()).rev() {
        let next: HashSet<&str> = match anchors.get(k + 1) {
            Some(next) => next.iter().map(|(_, p)| p.id.as_str()).collect(),
            None => now.clone(),
        };
        let (changed_at, changed_label) = match versions.get(k + 1) {
            Some(v) => (v.url.at("what-changed"), format!("the text {}", v.kind.label)),
            None => (a.url.clone(), "the agreement's page, not yet a version".to_owned()),
        };
        let mut notes = HashMap::new();
        for (section, p) in &anchors[k] {
            if next.contains(p.id.as_str()) {
                continue;
            }
            notes.insert(
                p.id.clone(),
                format!(
                    " <span class=\"para-note\">Changed or removed in the next text: <a href=\"{}\">{}</a>.</span>",
                    changed_at,
                    markdown::escape_html(&changed_label)
                ),
            );
            if !now.contains(p.id.as_str()) && seen.insert(p.id.clone()) {
                moved.push(MovedParagraph {
                    anchor: p.id.clone(),
                    place: p.place.clone(),
                    opening: p.opening.clone(),
                    section: section.clone(),
                    url: versions[k].url.at(&p.id),
                    label: versions[k].kind.label.clone(),
                });
            }
        }
        for s in &mut versions[k].sections {
            s.html = markdown::annotate(&s.html, &notes);
        }
    }
    moved.sort_by(|x, y| x.anchor.cmp(&y.anchor));
    moved
}

/// An agreement's versions, what its page's text is up to date with, and
/// where the words of paragraphs no longer on its page are.
pub(super) struct AgreementHistory {
    pub versions: Vec<AgreementVersion>,
    pub as_at: TextAsAt,
    pub moved: Vec<MovedParagraph>,
}

/// What an agreement said of its scrutiny bodies as committed on one date:
/// each description's body, heading and Markdown, and its words.
struct ScrutinyText {
    date: String,
    stated: Stated,
    descriptions: Vec<(String, String, String)>,
    words: String,
}

/// A section's text as committed on one date: its Markdown, and its words
/// as rendered (for what changed).
struct SectionText {
    date: String,
    stated: Stated,
    body: String,
    text: String,
}

impl Agreement {
    /// The agreement with its versions, once its items have theirs.
    pub(super) fn with_versions(mut self, r: &Resolver) -> Agreement {
        let history = r.agreement_versions(&self);
        (self.versions, self.as_at, self.moved_paragraphs) = (history.versions, history.as_at, history.moved);
        self
    }
}

fn link(v: &Version) -> VersionLink {
    VersionLink {
        date: v.date.clone(),
        long_date: v.long_date.clone(),
        label: v.kind.label.clone(),
        url: v.url.clone(),
    }
}

/// What an agreement's first text is called, to follow "text": as published, dated
/// by its publication where the content records it, else by its period,
/// and never by the day it was transcribed.
pub(super) fn as_published(period: Period, published: Option<&str>) -> String {
    match published {
        Some(date) => format!("as published on {}", long_date(date)),
        None => format!("as published ({} to {})", period.start, period.end),
    }
}

/// What the trailers of the commits behind a version say it is, weakest
/// first, so that a day's several commits take the strongest claim.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Stated {
    Nothing,
    Correction,
    Amendment { date: String, source: String },
}

impl Stated {
    /// The version's kind: a first text is the text as published unless
    /// its editor said the partners' amendment added it.
    fn kind(&self, first: bool, date: &str, as_published: &str) -> TextKind {
        let on = long_date(date);
        match self {
            Stated::Amendment { date, source } => TextKind {
                kind: "amendment",
                label: format!("amended by the partners from {}", long_date(date)),
                amendment: Some(Amendment {
                    date: date.clone(),
                    long_date: long_date(date),
                    source: source.clone(),
                }),
            },
            _ if first => TextKind { kind: "published", label: as_published.to_owned(), amendment: None },
            Stated::Correction => TextKind {
                kind: "correction",
                label: format!("corrected on this site on {on}"),
                amendment: None,
            },
            Stated::Nothing => {
                TextKind { kind: "change", label: format!("changed on this site on {on}"), amendment: None }
            }
        }
    }

    /// Back from an item version's kind, for the agreement's version of that day.
    fn from_kind(kind: &TextKind) -> Stated {
        match (&kind.amendment, kind.kind) {
            (Some(a), _) => Stated::Amendment { date: a.date.clone(), source: a.source.clone() },
            (None, "correction") => Stated::Correction,
            _ => Stated::Nothing,
        }
    }
}

/// What a commit's trailers say of its change to the text, or what is
/// wrong with them.
fn read_trailers(trailers: &[(String, String)]) -> Result<Stated, String> {
    let get = |key: &str| trailers.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.as_str());
    let (date, source) = (get("Amendment-date"), get("Amendment-source"));
    match get("Text-change").map(str::to_ascii_lowercase).as_deref() {
        None if date.is_some() || source.is_some() => {
            Err("it has an Amendment- trailer but no `Text-change: amendment`".to_owned())
        }
        None => Ok(Stated::Nothing),
        Some("correction") => Ok(Stated::Correction),
        Some("amendment") => match (date, source) {
            (Some(d), Some(s)) if crate::load::is_iso_date(d) && !s.is_empty() => {
                Ok(Stated::Amendment { date: d.to_owned(), source: s.to_owned() })
            }
            (Some(d), Some(_)) if !crate::load::is_iso_date(d) => {
                Err(format!("`Amendment-date: {d}` is not a date written YYYY-MM-DD"))
            }
            _ => Err("`Text-change: amendment` needs `Amendment-date:` and `Amendment-source:` trailers"
                .to_owned()),
        },
        Some(other) => Err(format!("`Text-change: {other}` is not `correction` or `amendment`")),
    }
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
    use super::{as_published, read_trailers, word_diff, Stated};
    use crate::model::Period;

    #[test]
    fn the_text_as_published_is_dated_by_its_publication_else_its_period() {
        let period = Period { start: 2022, end: 2025 };
        assert_eq!(as_published(period, Some("2022-03-01")), "as published on 1 March 2022");
        assert_eq!(as_published(period, None), "as published (2022 to 2025)");
    }

    #[test]
    fn trailers_say_what_a_change_is_or_what_is_wrong_with_them() {
        let t = |pairs: &[(&str, &str)]| {
            read_trailers(&pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>())
        };
        assert_eq!(t(&[]), Ok(Stated::Nothing));
        assert_eq!(t(&[("Text-change", "Correction")]), Ok(Stated::Correction));
        assert_eq!(
            t(&[
                ("Text-change", "amendment"),
                ("Amendment-date", "2027-03-01"),
                ("Amendment-source", "A letter")
            ]),
            Ok(Stated::Amendment { date: "2027-03-01".into(), source: "A letter".into() })
        );
        assert!(t(&[("Text-change", "amendment"), ("Amendment-source", "A letter")]).is_err());
        assert!(t(&[("Text-change", "amendment"), ("Amendment-date", "1 March"), ("Amendment-source", "x")])
            .unwrap_err()
            .contains("YYYY-MM-DD"));
        assert!(t(&[("Amendment-date", "2027-03-01")]).is_err());
    }

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

//! The ids of one page, and the anchors headings and footnotes take from
//! them: made here, once, so the table of contents, the link checker and
//! the HTML agree on every one.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::{Draft, Heading, MarkdownContext, Problem};
use crate::diagnostics::Severity;

/// The ids used on one output page, so each heading's anchor is unique there.
#[derive(Debug, Default, Clone)]
pub struct IdSet {
    ids: HashSet<String>,
    /// What was asked of the set and what it answered, while a
    /// [`Cache`](super::Cache) records a text's rendering.
    pub(super) log: Option<Vec<IdAsked>>,
}

/// One question a rendering asked of the page's [`IdSet`], and its answer.
#[derive(Debug, Clone)]
pub(super) enum IdAsked {
    Reserve(String, bool),
    Claim(String, String),
}

impl IdSet {
    /// Reserves an id that the template or the content model fixes (`priority-5`).
    pub fn reserve(&mut self, id: &str) -> bool {
        let fresh = self.ids.insert(id.to_owned());
        if let Some(log) = &mut self.log {
            log.push(IdAsked::Reserve(id.to_owned(), fresh));
        }
        fresh
    }

    /// Claims `base`, or `base-1`, `base-2`… if it is taken.
    pub fn claim(&mut self, base: &str) -> String {
        let asked = base;
        let base = if base.is_empty() { "section" } else { base };
        let mut candidate = base.to_owned();
        let mut n = 1;
        while !self.ids.insert(candidate.clone()) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        if let Some(log) = &mut self.log {
            log.push(IdAsked::Claim(asked.to_owned(), candidate.clone()));
        }
        candidate
    }

    /// Asks the questions of `log` again; true if every answer is the one
    /// logged. If not, the set is left as it was.
    pub(super) fn replay(&mut self, log: &[IdAsked]) -> bool {
        let mut added = Vec::new();
        for asked in log {
            let same = match asked {
                IdAsked::Reserve(id, fresh) => {
                    let now = self.reserve(id);
                    if now {
                        added.push(id.clone());
                    }
                    now == *fresh
                }
                IdAsked::Claim(base, id) => {
                    let now = self.claim(base);
                    let same = now == *id;
                    added.push(now);
                    same
                }
            };
            if !same {
                for id in &added {
                    self.ids.remove(id);
                }
                return false;
            }
        }
        true
    }

    pub fn into_inner(self) -> HashSet<String> {
        self.ids
    }
}

/// The anchor of footnote `label` in this body. pulldown-cmark uses the label
/// itself, so two sections of one agreement page that both write `[^1]`
/// would share an id; each label gets an id of its own on the page instead.
pub(super) fn footnote_id(
    seen: &mut std::collections::HashMap<String, String>,
    ids: &mut IdSet,
    label: &str,
) -> String {
    seen.entry(label.to_owned())
        .or_insert_with(|| ids.claim(&format!("footnote-{}", slug::slugify(label))))
        .clone()
}

/// Gives a heading its anchor (explicit `{#id}` or made from its text) and checks its level.
pub(super) fn finish_heading<'a>(
    tag: Tag<'a>,
    span: Range<usize>,
    mut inner: Vec<Event<'a>>,
    cx: &MarkdownContext,
    ids: &mut IdSet,
    out: &mut Draft,
    events: &mut Vec<Event<'a>>,
) {
    let Tag::Heading { level, id, classes, attrs } = tag else {
        return;
    };
    let text = plain_text(&inner);
    let lvl = level as u8;
    if lvl < cx.min_heading_level {
        out.problems.push(heading_problem(lvl, cx.min_heading_level, span.clone()));
    }
    let id = match id {
        Some(explicit) => claim_explicit(ids, &explicit, out, &text, span),
        None => ids.claim(&slug::slugify(&text)),
    };
    out.headings.push(Heading { level: lvl, id: id.clone(), text });
    events.push(Event::Start(Tag::Heading { level, id: Some(id.into()), classes, attrs }));
    events.append(&mut inner);
    events.push(Event::End(TagEnd::Heading(level)));
}

/// An explicit `{#id}` is a promise the editor made: a clash is reported, not renamed.
fn claim_explicit(
    ids: &mut IdSet,
    explicit: &str,
    out: &mut Draft,
    text: &str,
    span: Range<usize>,
) -> String {
    if !ids.reserve(explicit) {
        out.problems.push(Problem {
            severity: Severity::Error,
            span,
            message: format!("the anchor `#{explicit}` of heading \"{text}\" is already used on this page"),
            help: "choose another {#id} for this heading".to_owned(),
        });
    }
    explicit.to_owned()
}

fn heading_problem(level: u8, min: u8, span: Range<usize>) -> Problem {
    Problem {
        severity: Severity::Error,
        span,
        message: format!("a level-{level} heading is not allowed here"),
        help: format!(
            "the page already uses heading levels above {min}; start headings in this file at {}",
            "#".repeat(min as usize)
        ),
    }
}

fn plain_text(events: &[Event]) -> String {
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

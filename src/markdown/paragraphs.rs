//! Paragraph anchors: every paragraph and list item of an agreement's
//! sections addressable, as legislation.gov.uk makes every provision.
//!
//! A citation names a paragraph for years, so its anchor must keep leading
//! to the words that were cited. An anchor counted from the top of its
//! section (`para-3`) would lead to other words the day a paragraph is
//! inserted above it. An anchor here is made of the paragraph's own words
//! instead: its first few, for a reader to recognise, and a short hash of
//! all of them (`p-this-document-sets-out-the-4b1e`). Inserting, moving or
//! removing other paragraphs leaves it alone; changing any of its words
//! gives the paragraph a new anchor, and the old one is then held by the
//! version whose text has the words (see `resolve::versions`). Identical
//! paragraphs on one page share a base and take `-1`, `-2`… in order.
//!
//! A paragraph's *place* ("paragraph 5, item 2") is what a citation prints
//! beside the anchor. It is counted, so it can change; the anchor cannot.

use std::collections::HashMap;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::{escape_html, IdSet};

/// Where the paragraphs of a text are shown, for their self-links: the
/// page's link (`/agreements/irc-2022-2025/`) and the title of the part of
/// it the text is (a section's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ParagraphLinks<'a> {
    pub page: &'a str,
    pub part: &'a str,
}

/// One paragraph or list item given an anchor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// `p-this-document-sets-out-the-4b1e`.
    pub id: String,
    /// `paragraph 5, item 2`.
    pub place: String,
    /// Its first words, for a list of paragraphs: `This document sets out…`.
    pub opening: String,
}

/// The prefix of every paragraph anchor, which nothing else on a page starts with.
pub const PREFIX: &str = "p-";

/// How many of a paragraph's first words its anchor shows.
const WORDS: usize = 5;

/// How many of a paragraph's first words name it in a list.
const OPENING: usize = 12;

/// A paragraph or list item whose anchor is being made, while its events are read.
struct Open {
    start: usize,
    item: bool,
    words: String,
    /// Where its self-link goes: the end of its own words (before a
    /// nested list, or the end of a loose item's first paragraph).
    link_at: Option<usize>,
    /// Lists open inside it: their words are their items', not its own.
    nested: usize,
    place: String,
    short: String,
}

/// Gives each paragraph and list item of `events` an id claimed in `ids`
/// and a self-link, returning the events to write and the paragraphs, in
/// reading order. Footnotes and table cells are left alone.
pub(super) fn anchor<'a>(
    events: Vec<Event<'a>>,
    links: &ParagraphLinks,
    ids: &mut IdSet,
) -> (Vec<Event<'a>>, Vec<Paragraph>) {
    let mut open: Vec<Open> = Vec::new();
    let mut made: Vec<Made> = Vec::new();
    let (mut paragraphs, mut lists, mut footnotes, mut items) = (0usize, Vec::<usize>::new(), 0usize, 0usize);
    for (i, event) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::FootnoteDefinition(_)) => footnotes += 1,
            Event::End(TagEnd::FootnoteDefinition) => footnotes -= 1,
            _ if footnotes > 0 => {}
            Event::Start(Tag::Paragraph) if items == 0 => {
                paragraphs += 1;
                open.push(Open {
                    start: i,
                    item: false,
                    words: String::new(),
                    link_at: None,
                    nested: 0,
                    place: format!("paragraph {paragraphs}"),
                    short: paragraphs.to_string(),
                });
            }
            Event::End(TagEnd::Paragraph) => match open.last_mut() {
                Some(o) if !o.item => {
                    o.link_at = Some(i);
                    close(open.pop(), i, ids, &mut made);
                }
                Some(o) if o.nested == 0 && o.link_at.is_none() => o.link_at = Some(i),
                _ => {}
            },
            Event::Start(Tag::List(_)) => {
                // A list before any paragraph counts as the section's first.
                if items == 0 && paragraphs == 0 {
                    paragraphs = 1;
                }
                if let Some(o) = open.last_mut().filter(|o| o.item) {
                    o.link_at.get_or_insert(i);
                    o.nested += 1;
                }
                lists.push(0);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                if let Some(o) = open.last_mut().filter(|o| o.item) {
                    o.nested -= 1;
                }
            }
            Event::Start(Tag::Item) => {
                items += 1;
                if let Some(n) = lists.last_mut() {
                    *n += 1;
                }
                let path = lists.iter().map(usize::to_string).collect::<Vec<_>>().join(".");
                open.push(Open {
                    start: i,
                    item: true,
                    words: String::new(),
                    link_at: None,
                    nested: 0,
                    place: format!("paragraph {paragraphs}, item {path}"),
                    short: format!("{paragraphs}.{path}"),
                });
            }
            Event::End(TagEnd::Item) => {
                items -= 1;
                close(open.pop(), i, ids, &mut made);
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(o) = open.last_mut().filter(|o| o.nested == 0) {
                    o.words.push_str(t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(o) = open.last_mut().filter(|o| o.nested == 0) {
                    o.words.push(' ');
                }
            }
            _ => {}
        }
    }

    let mut starts: HashMap<usize, usize> = HashMap::new();
    let mut link_ats: HashMap<usize, usize> = HashMap::new();
    for (n, m) in made.iter().enumerate() {
        starts.insert(m.start, n);
        link_ats.insert(m.link_at, n);
    }
    let mut out = Vec::with_capacity(events.len() + 2 * made.len());
    for (i, event) in events.into_iter().enumerate() {
        if let Some(&n) = link_ats.get(&i) {
            let m = &made[n];
            out.push(Event::InlineHtml(self_link(links, &m.paragraph, &m.short).into()));
        }
        match starts.get(&i) {
            Some(&n) if matches!(event, Event::Start(Tag::Item)) => {
                out.push(Event::Html(format!("<li id=\"{}\">", made[n].paragraph.id).into()))
            }
            Some(&n) => out.push(Event::Html(format!("<p id=\"{}\">", made[n].paragraph.id).into())),
            None => out.push(event),
        }
    }
    made.sort_by_key(|m| m.start);
    (out, made.into_iter().map(|m| m.paragraph).collect())
}

/// A paragraph's anchor made: where its events start and its link goes.
struct Made {
    start: usize,
    link_at: usize,
    short: String,
    paragraph: Paragraph,
}

/// Makes the anchor of a paragraph or item just read, claiming it on the page.
fn close(open: Option<Open>, end: usize, ids: &mut IdSet, made: &mut Vec<Made>) {
    let Some(o) = open else { return };
    let words: Vec<&str> = o.words.split_whitespace().collect();
    let mut opening = words[..words.len().min(OPENING)].join(" ");
    if words.len() > OPENING {
        opening.push('…');
    }
    let id = ids.claim(&base_id(&o.words));
    made.push(Made {
        start: o.start,
        link_at: o.link_at.unwrap_or(end),
        short: o.short,
        paragraph: Paragraph { id, place: o.place, opening },
    });
}

/// The anchor a paragraph's words give it, before any clash on its page.
pub fn base_id(words: &str) -> String {
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let hash = twox_hash::XxHash3_64::oneshot(words.as_bytes()) & 0xffff;
    let slug = slug::slugify(&words);
    let first: Vec<&str> = slug.split('-').filter(|w| !w.is_empty()).take(WORDS).collect();
    if first.is_empty() {
        format!("{PREFIX}{hash:04x}")
    } else {
        format!("{PREFIX}{}-{hash:04x}", first.join("-"))
    }
}

/// The link a paragraph shows on hover or focus: its place, and the
/// address a citation gives. Screen readers hear the place in words, not
/// the pilcrow and numbers the eye sees.
fn self_link(links: &ParagraphLinks, p: &Paragraph, short: &str) -> String {
    let (id, place) = (&p.id, &p.place);
    let mut spoken = place.clone();
    spoken[..1].make_ascii_uppercase();
    format!(
        " <a class=\"para-link\" href=\"{page}#{id}\" data-place=\"{place}\"><span aria-hidden=\"true\">¶\u{a0}{short}</span><span class=\"visually-hidden\">{spoken} of “{part}”</span></a>",
        page = escape_html(links.page),
        part = escape_html(links.part),
    )
}

/// The opening of a paragraph's self-link, as [`self_link`] writes it.
const LINK: &str = " <a class=\"para-link\" href=\"";

/// Rewrites each paragraph's self-link in `html` as `f` says, given the
/// paragraph's id and the link's HTML.
fn each_link(html: &str, mut f: impl FnMut(&str, &str, &mut String)) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(LINK) {
        let after = &rest[at + LINK.len()..];
        let id = after[..after.find('"').unwrap_or(0)].rsplit_once('#').map_or("", |(_, id)| id);
        let end = at + LINK.len() + after.find("</a>").map_or(0, |e| e + "</a>".len());
        out.push_str(&rest[..at]);
        f(id, &rest[at..end], &mut out);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Adds a note (HTML) after the self-link of each paragraph `notes` has
/// one for, as a version's page says of a paragraph whose words later changed.
pub fn annotate(html: &str, notes: &HashMap<String, String>) -> String {
    if notes.is_empty() {
        return html.to_owned();
    }
    each_link(html, |id, link, out| {
        out.push_str(link);
        if let Some(note) = notes.get(id) {
            out.push_str(note);
        }
    })
}

/// `html` without its paragraphs' self-links, their anchors kept: for open
/// data, read away from the page the links are for.
pub fn without_links(html: &str) -> String {
    each_link(html, |_, _, _| {})
}

#[cfg(test)]
mod tests {
    use super::super::{render, MarkdownContext, RawHtml};
    use super::*;

    fn md(src: &str) -> (String, Vec<Paragraph>) {
        let cx = MarkdownContext {
            base_path: "/",
            min_heading_level: 3,
            raw_html: RawHtml::Escape,
            paragraphs: Some(ParagraphLinks { page: "/a/", part: "Purpose" }),
        };
        let r = render(src, &cx, &mut IdSet::default());
        (r.html.to_string(), r.paragraphs.to_vec())
    }

    #[test]
    fn anchors_are_made_of_the_words_so_an_insertion_moves_none() {
        let (_, before) = md("First words here.\n\nSecond paragraph of it.\n\n- one\n- two\n");
        let (_, after) =
            md("A new opening.\n\nFirst words here.\n\nSecond paragraph of it.\n\n- one\n- two\n");
        let ids = |ps: &[Paragraph]| ps.iter().map(|p| p.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&after)[1..], ids(&before)[..]);
        assert!(before[0].id.starts_with("p-first-words-here-"), "{before:?}");
        assert_eq!(before[2].place, "paragraph 2, item 1");
        assert_eq!(after[0].place, "paragraph 1");
        // A changed word is a new anchor.
        let (_, changed) = md("First words there.\n");
        assert_ne!(changed[0].id, before[0].id);
    }

    #[test]
    fn each_paragraph_and_item_has_an_id_and_a_self_link() {
        let (html, ps) = md("Intro:\n\n- one\n  - one a\n- two\n\nSame.\n\nSame.\n");
        assert_eq!(ps.len(), 6, "{ps:?}");
        assert_eq!(ps[2].place, "paragraph 1, item 1.1");
        assert_eq!(ps[5].id, format!("{}-1", ps[4].id));
        for p in &ps {
            assert_eq!(html.matches(&format!("id=\"{}\"", p.id)).count(), 1, "{html}");
            assert!(html.contains(&format!("href=\"/a/#{}\"", p.id)), "{html}");
        }
        // The outer item's link sits at the end of its own words, before its list.
        assert!(html.contains("one <a class=\"para-link\""), "{html}");
        assert!(
            html.contains("<span class=\"visually-hidden\">Paragraph 1, item 2 of “Purpose”</span>"),
            "{html}"
        );
    }

    #[test]
    fn a_note_follows_the_self_link_of_its_paragraph() {
        let (html, ps) = md("One.\n\nTwo.\n");
        let notes = HashMap::from([(ps[1].id.clone(), "<span>NOTE</span>".to_owned())]);
        let annotated = annotate(&html, &notes);
        assert!(!without_links(&annotated).contains("para-link"));
        assert!(without_links(&annotated).contains(&format!("<p id=\"{}\">Two.<span>NOTE", ps[1].id)));
        assert_eq!(annotated.matches("NOTE").count(), 1);
        assert!(annotated.contains("“Purpose”</span></a><span>NOTE</span></p>"), "{annotated}");
    }
}

//! Markdown to HTML, with the site's own rules applied on the way.
//!
//! In: a Markdown text, the heading level it may start at, the set of ids
//! already used on the page it will appear in, and the site's rule for raw
//! HTML. Out: HTML plus what later stages need to check it: the anchors it
//! defines, the `@/` internal links it makes (with their place in the
//! source) and any problems found, each with its place in the text.
//!
//! This is the one way content Markdown becomes HTML: bodies of pages,
//! sections and items, and every TOML field that holds Markdown (measures,
//! responsibilities, scrutiny descriptions, figure sentences, update
//! narratives) all come through [`render`], so they follow the same rules.
//!
//! Content can never run code. Raw HTML is shown as the text the editor
//! typed unless the site opts in to sanitised HTML; a link or image whose
//! URL has a scheme other than `http`, `https`, `mailto` or `tel`
//! (`javascript:`, `data:`, `vbscript:`…) is dropped, its words kept; and
//! heading attributes other than `{#id .class}` (`{onclick=…}`) are
//! dropped. Each is a warning naming the place, so the editor learns what
//! the reader will see.
//!
//! Heading anchors are made here, once, so the page's table of contents, the
//! link checker and the HTML all agree on them.

mod anchors;
mod cache;
mod highlight;
mod paragraphs;
mod safety;

pub use anchors::IdSet;
pub use cache::Cache;
pub use paragraphs::{
    annotate, without_links as without_paragraph_links, Paragraph, ParagraphLinks, PREFIX as PARAGRAPH_PREFIX,
};

use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::{html, Alignment, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

use anchors::{finish_heading, footnote_id};
use highlight::highlight;
use safety::{aligned_by_class, refused_url, sanitizer, RawHtmlSeen};

pub use crate::config::RawHtml;
use crate::diagnostics::Severity;

#[derive(Debug, Clone)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// An `@/path#anchor` link, to be checked once every page is known.
#[derive(Debug, Clone)]
pub struct InternalLink {
    /// Normalised site path: `/agreements/irc-2022-2025/priorities/8/`.
    pub path: String,
    pub anchor: Option<String>,
    /// Where the link is in the Markdown text.
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Problem {
    pub severity: Severity,
    /// Where the problem is in the Markdown text.
    pub span: Range<usize>,
    pub message: String,
    pub help: String,
}

/// A text rendered. Its HTML and words are shared, not copied: a kept
/// rendering is handed to every rebuild that asks for it, and an item's
/// text goes on to its page, its topics and its search record as it is.
#[derive(Debug, Default, Clone)]
pub struct Rendered {
    pub html: Arc<str>,
    /// The words a reader sees, for the search index (no markup).
    pub text: Arc<str>,
    pub headings: Arc<[Heading]>,
    pub links: Arc<[InternalLink]>,
    pub problems: Arc<[Problem]>,
    pub has_code: bool,
    /// The paragraphs and list items given anchors, where the context asked for them.
    pub paragraphs: Arc<[Paragraph]>,
}

/// A [`Rendered`] while it is being written.
#[derive(Default)]
struct Draft {
    html: String,
    text: String,
    headings: Vec<Heading>,
    links: Vec<InternalLink>,
    problems: Vec<Problem>,
    has_code: bool,
}

/// How a text is rendered: where its links point, where its headings
/// start, and what becomes of raw HTML in it.
#[derive(Debug, Clone, Copy)]
pub struct MarkdownContext<'a> {
    /// Prefix of every internal link (`/` or `/sub/`).
    pub base_path: &'a str,
    /// The shallowest heading level allowed, because the page's template
    /// already uses the levels above it (`##` in a section body is an error).
    pub min_heading_level: u8,
    pub raw_html: RawHtml,
    /// Whether each paragraph and list item gets an anchor and a self-link
    /// (an agreement's sections), and the page and part they link in.
    pub paragraphs: Option<ParagraphLinks<'a>>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Renders one Markdown text by the site's rules, claiming its anchors in `ids`.
pub fn render(src: &str, cx: &MarkdownContext, ids: &mut IdSet) -> Rendered {
    let mut renderer = Renderer::new(*cx, ids);
    for (event, span) in Parser::new_ext(src, options()).into_offset_iter() {
        renderer.event(event, span);
    }
    renderer.finish()
}

/// One text's rendering under way: the events written so far and what is
/// held back until more of the text is read.
struct Renderer<'a, 'r> {
    cx: MarkdownContext<'r>,
    ids: &'r mut IdSet,
    out: Draft,
    events: Vec<Event<'a>>,
    /// A heading's events are held back until its text is known, since its id is made from it.
    heading: Option<(Tag<'a>, Range<usize>, Vec<Event<'a>>)>,
    /// The code block being read: its language and its text so far.
    code: Option<(Option<String>, String)>,
    footnotes: std::collections::HashMap<String, String>,
    raw: RawHtmlSeen,
    /// A link or image whose URL is refused: its start is dropped, so its end is too.
    dropped: Vec<TagEnd>,
    /// Whether the HTML can hold an alignment `style`: pulldown-cmark writes
    /// one only in a table with an aligned column (HTML passed through may too).
    styled: bool,
}

impl<'a, 'r> Renderer<'a, 'r> {
    fn new(cx: MarkdownContext<'r>, ids: &'r mut IdSet) -> Self {
        Renderer {
            cx,
            ids,
            out: Draft::default(),
            events: Vec::new(),
            heading: None,
            code: None,
            footnotes: std::collections::HashMap::new(),
            raw: RawHtmlSeen::default(),
            dropped: Vec::new(),
            styled: false,
        }
    }

    /// Takes in the next event of the text, found at `span` in it.
    fn event(&mut self, event: Event<'a>, span: Range<usize>) {
        if let Event::Start(Tag::Table(alignments)) = &event {
            self.styled |= alignments.iter().any(|a| *a != Alignment::None);
        }
        let Some(event) = self.vetted(event, span.clone()) else { return };
        self.note_words(&event);
        if self.code.is_some() {
            self.read_code(event);
            return;
        }
        self.place(event, span);
    }

    /// The event as the site's rules allow it: raw HTML escaped or kept for
    /// the sanitiser, `@/` links rewritten, unsafe URLs and heading
    /// attributes dropped (with a warning), footnotes given ids of their
    /// own. `None` for an event dropped whole.
    fn vetted(&mut self, event: Event<'a>, span: Range<usize>) -> Option<Event<'a>> {
        let cx = &self.cx;
        let event = match event {
            Event::Html(html) | Event::InlineHtml(html) => {
                self.raw.note(&html, span.clone());
                match cx.raw_html {
                    RawHtml::Escape => Event::Text(html),
                    RawHtml::Sanitize => Event::Html(html),
                }
            }
            // Shown as text, a block of HTML reads as a paragraph of its own.
            Event::Start(Tag::HtmlBlock) if cx.raw_html == RawHtml::Escape => Event::Start(Tag::Paragraph),
            Event::End(TagEnd::HtmlBlock) if cx.raw_html == RawHtml::Escape => Event::End(TagEnd::Paragraph),
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                if let Some(problem) = refused_url(&dest_url, "a link", span.clone()) {
                    self.out.problems.push(problem);
                    self.dropped.push(TagEnd::Link);
                    return None;
                }
                let dest_url = rewrite_link(dest_url, span.clone(), cx, &mut self.out);
                Event::Start(Tag::Link { link_type, dest_url, title, id })
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                if let Some(problem) = refused_url(&dest_url, "an image", span.clone()) {
                    self.out.problems.push(problem);
                    self.dropped.push(TagEnd::Image);
                    return None;
                }
                Event::Start(Tag::Image { link_type, dest_url, title, id })
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image)) if self.dropped.last() == Some(&end) => {
                self.dropped.pop();
                return None;
            }
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                if let Some((name, _)) = attrs.first() {
                    self.out.problems.push(Problem {
                        severity: Severity::Warning,
                        span: span.clone(),
                        message: format!("the heading attribute `{name}` is not allowed, and was left out"),
                        help: "a heading may set only its anchor and classes: {#anchor .class}".to_owned(),
                    });
                }
                Event::Start(Tag::Heading { level, id, classes, attrs: Vec::new() })
            }
            Event::FootnoteReference(label) => {
                Event::FootnoteReference(footnote_id(&mut self.footnotes, self.ids, &label).into())
            }
            Event::Start(Tag::FootnoteDefinition(label)) => Event::Start(Tag::FootnoteDefinition(
                footnote_id(&mut self.footnotes, self.ids, &label).into(),
            )),
            other => other,
        };
        Some(event)
    }

    /// Adds the words of `event` to the plain text a reader sees.
    fn note_words(&mut self, event: &Event) {
        let text = &mut self.out.text;
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) if !text.ends_with(' ') => {
                text.push(' ');
            }
            _ => {}
        }
    }

    /// Reads an event inside a code block: its text is kept until the
    /// block ends, then written highlighted.
    fn read_code(&mut self, event: Event<'a>) {
        let Some((_, text)) = self.code.as_mut() else { return };
        match event {
            Event::Text(t) => text.push_str(&t),
            Event::End(TagEnd::CodeBlock) => {
                let (lang, text) = self.code.take().unwrap_or_default();
                self.events.push(Event::Html(highlight(&text, lang.as_deref()).into()));
                self.out.has_code = true;
            }
            _ => {}
        }
    }

    /// Puts an event in the HTML, or holds it back: a code block until its
    /// end, a heading until its text gives it an anchor.
    fn place(&mut self, event: Event<'a>, span: Range<usize>) {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().map(str::to_owned),
                    CodeBlockKind::Indented => None,
                };
                self.code = Some((lang, String::new()));
            }
            Event::Start(tag @ Tag::Heading { .. }) => self.heading = Some((tag, span, Vec::new())),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((tag, span, inner)) = self.heading.take() {
                    finish_heading(tag, span, inner, &self.cx, self.ids, &mut self.out, &mut self.events);
                }
            }
            other => match self.heading.as_mut() {
                Some((_, _, inner)) => inner.push(other),
                None => self.events.push(other),
            },
        }
    }

    /// The HTML written, made safe, and everything found on the way.
    fn finish(self) -> Rendered {
        let Renderer { cx, mut out, events, raw, styled, ids, .. } = self;
        let (events, paragraphs) = match &cx.paragraphs {
            Some(links) => paragraphs::anchor(events, links, ids),
            None => (events, Vec::new()),
        };
        html::push_html(&mut out.html, events.into_iter());
        if styled || (cx.raw_html != RawHtml::Escape && raw.count > 0) {
            out.html = aligned_by_class(&out.html);
        }
        if cx.raw_html == RawHtml::Sanitize && raw.count > 0 {
            out.html = sanitizer().clean(&out.html).to_string();
        }
        out.problems.extend(raw.problem(cx.raw_html));
        out.text.truncate(out.text.trim_end().len());
        let Draft { html, text, headings, links, problems, has_code } = out;
        Rendered {
            html: html.into(),
            text: text.into(),
            headings: headings.into(),
            links: links.into(),
            problems: problems.into(),
            has_code,
            paragraphs: paragraphs.into(),
        }
    }
}

/// Turns `@/agreements/x/priorities/8#anchor` into a real URL and records it for checking.
fn rewrite_link<'a>(
    dest: CowStr<'a>,
    span: Range<usize>,
    cx: &MarkdownContext,
    out: &mut Draft,
) -> CowStr<'a> {
    let Some(rest) = dest.strip_prefix("@/") else {
        return dest;
    };
    let (path, anchor) = match rest.split_once('#') {
        Some((p, a)) => (p, Some(a.to_owned())),
        None => (rest, None),
    };
    let site_path = crate::paths::from_reference(&format!("@/{path}")).unwrap_or_default();
    let href = format!(
        "{}{}",
        crate::paths::link(cx.base_path, &site_path),
        anchor.as_ref().map(|a| crate::paths::at("", a)).unwrap_or_default()
    );
    out.links.push(InternalLink { path: site_path, anchor, span });
    href.into()
}

/// Text made safe for HTML and XML, in text and in double-quoted attributes:
/// the one escaper of every file the site writes by hand.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).ok();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(src: &str, min: u8) -> (Rendered, IdSet) {
        let mut ids = IdSet::default();
        ids.reserve("priority-1");
        let cx = MarkdownContext {
            base_path: "/",
            min_heading_level: min,
            raw_html: RawHtml::Escape,
            paragraphs: None,
        };
        let r = render(src, &cx, &mut ids);
        (r, ids)
    }

    #[test]
    fn headings_get_unique_readable_ids() {
        let (r, _) = md("### Mental health\n\n### Mental health\n\n### Priority 1 {#priority-1x}\n", 3);
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["mental-health", "mental-health-1", "priority-1x"]);
        assert!(r.html.contains(r#"<h3 id="mental-health-1">"#), "{}", r.html);
    }

    #[test]
    fn a_kept_rendering_is_used_only_where_its_anchors_would_be_the_same() {
        let cx = MarkdownContext {
            base_path: "/",
            min_heading_level: 3,
            raw_html: RawHtml::Escape,
            paragraphs: None,
        };
        let text = "### Overview\n\nWords.\n\n### Overview\n\nMore words.[^1]\n\n[^1]: A note.\n";
        let fresh = |taken: &[&str]| {
            let mut ids = IdSet::default();
            taken.iter().for_each(|id| _ = ids.claim(id));
            let r = render(text, &cx, &mut ids);
            (r.html, ids.into_inner())
        };
        let cached = |cache: &Cache, taken: &[&str]| {
            let mut ids = IdSet::default();
            taken.iter().for_each(|id| _ = ids.claim(id));
            let r = cache.render(text, &cx, &mut ids);
            (r.html, ids.into_inner())
        };
        let cache = Cache::default();
        // First on a page where another text already has `overview`.
        assert_eq!(cached(&cache, &["overview"]), fresh(&["overview"]));
        assert!(fresh(&["overview"]).0.contains(r#"id="overview-2""#));
        assert_eq!(cache.reused(), 0);
        cache.end_build();
        // The same page again: kept, with the same anchors.
        assert_eq!(cached(&cache, &["overview"]), fresh(&["overview"]));
        assert_eq!(cache.reused(), 1);
        cache.end_build();
        // A page where `overview` is free: rendered again, and the set holds
        // exactly what a fresh rendering claims (nothing of the kept one).
        assert_eq!(cached(&cache, &[]), fresh(&[]));
        assert_eq!(cache.reused(), 1);
        // Forgotten once a build has passed without it.
        cache.end_build();
        cache.end_build();
        assert_eq!(cached(&cache, &[]), fresh(&[]));
        assert_eq!(cache.reused(), 1);
    }

    #[test]
    fn table_alignment_is_a_class_not_a_style() {
        let (r, _) = md("| a | b | c | d |\n| :-- | :-: | --: | --- |\n| 1 | 2 | 3 | 4 |\n", 3);
        for side in ["left", "center", "right"] {
            assert_eq!(r.html.matches(&format!(r#" class="align-{side}""#)).count(), 2, "{}", r.html);
        }
        assert!(!r.html.contains("style"), "{}", r.html);
        let (plain, _) = md("| a | b |\n| --- | --- |\n| 1 | 2 |\n", 3);
        assert!(!plain.html.contains("style") && !plain.html.contains("align"), "{}", plain.html);
    }

    #[test]
    fn explicit_id_clash_is_a_problem() {
        let (r, _) = md("### Text {#priority-1}\n", 3);
        assert_eq!(r.problems.len(), 1);
    }

    #[test]
    fn too_shallow_heading_is_a_problem_with_its_line() {
        let (r, _) = md("text\n\n## Too big\n", 3);
        assert_eq!(r.problems.len(), 1);
        assert_eq!(r.problems[0].span.start, 6);
    }

    #[test]
    fn internal_links_are_rewritten_and_recorded() {
        let (r, _) = md("See [p](@/agreements/a/priorities/8#x).", 3);
        assert!(r.html.contains(r#"href="/agreements/a/priorities/8/#x""#), "{}", r.html);
        assert_eq!(r.links[0].path, "/agreements/a/priorities/8/");
        assert_eq!(r.links[0].anchor.as_deref(), Some("x"));
    }

    #[test]
    fn code_is_highlighted_with_classes() {
        let (r, _) = md("```rust\nfn main() {}\n```\n", 3);
        assert!(r.has_code);
        assert!(r.html.contains("<span class=\""), "{}", r.html);
        assert!(!r.html.contains("style="), "{}", r.html);
    }

    #[test]
    fn unknown_languages_are_escaped_plain_text() {
        let (r, _) = md("```nosuchlang\n<b>&</b>\n```\n", 3);
        assert!(r.html.contains("&lt;b&gt;&amp;&lt;/b&gt;"), "{}", r.html);
        assert!(r.html.contains("language-nosuchlang"), "{}", r.html);
    }
}

//! Markdown to HTML, with the site's own rules applied on the way.
//!
//! In: a Markdown body, the heading level it may start at, and the set of ids
//! already used on the page it will appear in. Out: HTML plus what later
//! stages need to check it: the anchors it defines, the `@/` internal links it
//! makes (with their place in the source) and any problems found.
//!
//! Heading anchors are made here, once, so the page's table of contents, the
//! link checker and the HTML all agree on them.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

use pulldown_cmark::{html, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// The ids used on one output page, so each heading's anchor is unique there.
#[derive(Debug, Default, Clone)]
pub struct IdSet(HashSet<String>);

impl IdSet {
    /// Reserves an id that the template or the content model fixes (`priority-5`).
    pub fn reserve(&mut self, id: &str) -> bool {
        self.0.insert(id.to_owned())
    }

    /// Claims `base`, or `base-1`, `base-2`… if it is taken.
    pub fn claim(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        let mut candidate = base.to_owned();
        let mut n = 1;
        while !self.0.insert(candidate.clone()) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        candidate
    }

    pub fn contains(&self, id: &str) -> bool {
        self.0.contains(id)
    }

    pub fn into_inner(self) -> HashSet<String> {
        self.0
    }
}

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
    /// Where the link is in the Markdown body.
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Problem {
    pub span: Range<usize>,
    pub message: String,
    pub help: String,
}

#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    /// The words a reader sees, for the search index (no markup).
    pub text: String,
    pub headings: Vec<Heading>,
    pub links: Vec<InternalLink>,
    pub problems: Vec<Problem>,
    pub has_code: bool,
}

/// How a body is rendered: where its links point and where its headings start.
pub struct MarkdownContext<'a> {
    /// Prefix of every internal link (`/` or `/sub/`).
    pub base_path: &'a str,
    /// The shallowest heading level allowed, because the page's template
    /// already uses the levels above it (`##` in a section body is an error).
    pub min_heading_level: u8,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

pub fn render(src: &str, cx: &MarkdownContext, ids: &mut IdSet) -> Rendered {
    let mut out = Rendered::default();
    let mut events: Vec<Event> = Vec::new();
    // A heading's events are held back until its text is known, since its id is made from it.
    let mut heading: Option<(Tag, Range<usize>, Vec<Event>)> = None;
    let mut code: Option<(Option<String>, String)> = None;
    let mut footnotes = std::collections::HashMap::new();

    for (event, span) in Parser::new_ext(src, options()).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest_url = rewrite_link(dest_url, span.clone(), cx, &mut out);
                Event::Start(Tag::Link { link_type, dest_url, title, id })
            }
            Event::FootnoteReference(label) => {
                Event::FootnoteReference(footnote_id(&mut footnotes, ids, &label).into())
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                Event::Start(Tag::FootnoteDefinition(footnote_id(&mut footnotes, ids, &label).into()))
            }
            other => other,
        };
        match &event {
            Event::Text(t) | Event::Code(t) => out.text.push_str(t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) if !out.text.ends_with(' ') => {
                out.text.push(' ');
            }
            _ => {}
        }
        if let Some((_, text)) = code.as_mut() {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, text) = code.take().unwrap_or_default();
                    events.push(Event::Html(highlight(&text, lang.as_deref()).into()));
                    out.has_code = true;
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().map(str::to_owned),
                    CodeBlockKind::Indented => None,
                };
                code = Some((lang, String::new()));
            }
            Event::Start(tag @ Tag::Heading { .. }) => heading = Some((tag, span, Vec::new())),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((tag, span, inner)) = heading.take() {
                    finish_heading(tag, span, inner, cx, ids, &mut out, &mut events);
                }
            }
            other => match heading.as_mut() {
                Some((_, _, inner)) => inner.push(other),
                None => events.push(other),
            },
        }
    }
    html::push_html(&mut out.html, events.into_iter());
    out.text.truncate(out.text.trim_end().len());
    out
}

/// The anchor of footnote `label` in this body. pulldown-cmark uses the label
/// itself, so two sections of one agreement page that both write `[^1]`
/// would share an id; each label gets an id of its own on the page instead.
fn footnote_id(seen: &mut std::collections::HashMap<String, String>, ids: &mut IdSet, label: &str) -> String {
    seen.entry(label.to_owned())
        .or_insert_with(|| ids.claim(&format!("footnote-{}", slug::slugify(label))))
        .clone()
}

/// Gives a heading its anchor (explicit `{#id}` or made from its text) and checks its level.
fn finish_heading<'a>(
    tag: Tag<'a>,
    span: Range<usize>,
    mut inner: Vec<Event<'a>>,
    cx: &MarkdownContext,
    ids: &mut IdSet,
    out: &mut Rendered,
    events: &mut Vec<Event<'a>>,
) {
    let Tag::Heading { level, id, classes, attrs } = tag else {
        return;
    };
    let text = plain_text(&inner);
    let lvl = level as u8;
    if lvl < cx.min_heading_level {
        out.problems.push(heading_problem(lvl, cx.min_heading_level, span));
    }
    let id = match id {
        Some(explicit) => claim_explicit(ids, &explicit, out, &text),
        None => ids.claim(&slug::slugify(&text)),
    };
    out.headings.push(Heading { level: lvl, id: id.clone(), text });
    events.push(Event::Start(Tag::Heading { level, id: Some(id.into()), classes, attrs }));
    events.append(&mut inner);
    events.push(Event::End(TagEnd::Heading(level)));
}

/// An explicit `{#id}` is a promise the editor made: a clash is reported, not renamed.
fn claim_explicit(ids: &mut IdSet, explicit: &str, out: &mut Rendered, text: &str) -> String {
    if !ids.reserve(explicit) {
        out.problems.push(Problem {
            span: 0..0,
            message: format!("the anchor `#{explicit}` of heading \"{text}\" is already used on this page"),
            help: "choose another {#id} for this heading".to_owned(),
        });
    }
    explicit.to_owned()
}

fn heading_problem(level: u8, min: u8, span: Range<usize>) -> Problem {
    Problem {
        span,
        message: format!("a level-{level} heading is not allowed here"),
        help: format!(
            "the page already uses heading levels above {min}; start headings in this file at {}",
            "#".repeat(min as usize)
        ),
    }
}

/// Turns `@/agreements/x/priorities/8#anchor` into a real URL and records it for checking.
fn rewrite_link<'a>(
    dest: CowStr<'a>,
    span: Range<usize>,
    cx: &MarkdownContext,
    out: &mut Rendered,
) -> CowStr<'a> {
    let Some(rest) = dest.strip_prefix("@/") else {
        return dest;
    };
    let (path, anchor) = match rest.split_once('#') {
        Some((p, a)) => (p, Some(a.to_owned())),
        None => (rest, None),
    };
    let path = path.trim_matches('/');
    let site_path = if path.is_empty() { "/".to_owned() } else { format!("/{path}/") };
    let href = format!(
        "{}{}{}",
        cx.base_path.trim_end_matches('/'),
        site_path,
        anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default()
    );
    out.links.push(InternalLink { path: site_path, anchor, span });
    href.into()
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

fn syntax_set() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Highlighted with CSS classes (see the theme's `syntax.css`), never inline styles.
fn highlight(code: &str, lang: Option<&str>) -> String {
    let escaped = || html_escape(code);
    let body = lang
        .and_then(|l| syntax_set().find_syntax_by_token(l))
        .and_then(|syntax| {
            let mut gen =
                ClassedHTMLGenerator::new_with_class_style(syntax, syntax_set(), ClassStyle::Spaced);
            for line in LinesWithEndings::from(code) {
                gen.parse_html_for_line_which_includes_newline(line).ok()?;
            }
            Some(gen.finalize())
        })
        .unwrap_or_else(escaped);
    let class = lang.map(|l| format!(" class=\"language-{}\"", html_escape(l))).unwrap_or_default();
    format!("<pre class=\"code\"><code{class}>{body}</code></pre>\n")
}

fn html_escape(s: &str) -> String {
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
        let r = render(src, &MarkdownContext { base_path: "/", min_heading_level: min }, &mut ids);
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

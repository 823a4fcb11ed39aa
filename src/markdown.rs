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

use std::collections::HashSet;
use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock};

use pulldown_cmark::{html, Alignment, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

pub use crate::config::RawHtml;
use crate::diagnostics::Severity;

/// The ids used on one output page, so each heading's anchor is unique there.
#[derive(Debug, Default, Clone)]
pub struct IdSet {
    ids: HashSet<String>,
    /// What was asked of the set and what it answered, while a [`Cache`] records a text's rendering.
    log: Option<Vec<IdAsked>>,
}

/// One question a rendering asked of the page's [`IdSet`], and its answer.
#[derive(Debug, Clone)]
enum IdAsked {
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
    fn replay(&mut self, log: &[IdAsked]) -> bool {
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

/// Rendered texts kept from one build to the next: what `accord serve`
/// resolves with, for on each save it resolves the whole site again (see
/// `rebuild`), and rendering Markdown was a third of that at 10,000
/// documentation-length pages (380 ms; 250 ms with this cache), nearly all
/// of it for texts that had not changed.
///
/// A text is found by a hash of its source and its [`MarkdownContext`],
/// which with the page's ids are all a rendering reads. The ids are
/// checked, not hashed: the questions the rendering asked of the page's
/// [`IdSet`] (claim `overview`, reserve `aims`) are asked again, and the
/// kept rendering is used only if every answer is the same, so a heading's
/// anchor is what rendering afresh would give it. A text not rendered in a
/// build is forgotten at the next [`Cache::end_build`].
#[derive(Default)]
pub struct Cache {
    generations: Mutex<Generations>,
    /// How many renderings were kept rather than made again.
    reused: std::sync::atomic::AtomicUsize,
}

#[derive(Default)]
struct Generations {
    /// Texts rendered (or found) in this build, by a hash already: hashed
    /// again only to place it (quickly, as the lock is held meanwhile).
    current: foldhash::HashMap<u128, Arc<Kept>>,
    /// Texts of the build before, not yet asked for in this one.
    previous: foldhash::HashMap<u128, Arc<Kept>>,
}

struct Kept {
    rendered: Rendered,
    asked: Vec<IdAsked>,
}

impl Cache {
    /// [`render`], or the rendering kept from an earlier build if it would be the same.
    pub fn render(&self, src: &str, cx: &MarkdownContext, ids: &mut IdSet) -> Rendered {
        let key = {
            let mut hash = twox_hash::XxHash3_128::new();
            for part in [src, cx.base_path] {
                hash.write(&(part.len() as u64).to_le_bytes());
                hash.write(part.as_bytes());
            }
            hash.write(&[cx.min_heading_level, cx.raw_html as u8]);
            hash.finish_128()
        };
        let kept = {
            let mut generations = self.generations.lock().unwrap_or_else(|e| e.into_inner());
            let found = generations.previous.remove(&key);
            match found {
                Some(kept) => Some(generations.current.entry(key).or_insert(kept).clone()),
                None => generations.current.get(&key).cloned(),
            }
        };
        if let Some(kept) = kept.filter(|kept| ids.replay(&kept.asked)) {
            self.reused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            return kept.rendered.clone();
        }
        let outer = ids.log.replace(Vec::new());
        let rendered = render(src, cx, ids);
        let asked = std::mem::replace(&mut ids.log, outer).unwrap_or_default();
        let kept = Arc::new(Kept { rendered: rendered.clone(), asked });
        self.generations.lock().unwrap_or_else(|e| e.into_inner()).current.insert(key, kept);
        rendered
    }

    /// How many renderings have been kept rather than made again, in every build so far.
    pub fn reused(&self) -> usize {
        self.reused.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Forgets the texts the build that just ended did not render.
    pub fn end_build(&self) {
        let mut generations = self.generations.lock().unwrap_or_else(|e| e.into_inner());
        generations.previous = std::mem::take(&mut generations.current);
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
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// URL schemes a link or image in content may use; a URL without a scheme
/// (a path, `#anchor` or `@/` link) is always allowed.
const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

pub fn render(src: &str, cx: &MarkdownContext, ids: &mut IdSet) -> Rendered {
    let mut out = Draft::default();
    let mut events: Vec<Event> = Vec::new();
    // A heading's events are held back until its text is known, since its id is made from it.
    let mut heading: Option<(Tag, Range<usize>, Vec<Event>)> = None;
    let mut code: Option<(Option<String>, String)> = None;
    let mut footnotes = std::collections::HashMap::new();
    let mut raw = RawHtmlSeen::default();
    // A link or image whose URL is refused: its start is dropped, so its end is too.
    let mut dropped: Vec<TagEnd> = Vec::new();
    // Whether the HTML can hold an alignment `style`: pulldown-cmark writes
    // one only in a table with an aligned column (HTML passed through may too).
    let mut styled = false;

    for (event, span) in Parser::new_ext(src, options()).into_offset_iter() {
        if let Event::Start(Tag::Table(alignments)) = &event {
            styled |= alignments.iter().any(|a| *a != Alignment::None);
        }
        let event = match event {
            Event::Html(html) | Event::InlineHtml(html) => {
                raw.note(&html, span.clone());
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
                    out.problems.push(problem);
                    dropped.push(TagEnd::Link);
                    continue;
                }
                let dest_url = rewrite_link(dest_url, span.clone(), cx, &mut out);
                Event::Start(Tag::Link { link_type, dest_url, title, id })
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                if let Some(problem) = refused_url(&dest_url, "an image", span.clone()) {
                    out.problems.push(problem);
                    dropped.push(TagEnd::Image);
                    continue;
                }
                Event::Start(Tag::Image { link_type, dest_url, title, id })
            }
            Event::End(end @ (TagEnd::Link | TagEnd::Image)) if dropped.last() == Some(&end) => {
                dropped.pop();
                continue;
            }
            Event::Start(Tag::Heading { level, id, classes, attrs }) => {
                if let Some((name, _)) = attrs.first() {
                    out.problems.push(Problem {
                        severity: Severity::Warning,
                        span: span.clone(),
                        message: format!("the heading attribute `{name}` is not allowed, and was left out"),
                        help: "a heading may set only its anchor and classes: {#anchor .class}".to_owned(),
                    });
                }
                Event::Start(Tag::Heading { level, id, classes, attrs: Vec::new() })
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
    }
}

/// Table cells aligned by class, where pulldown-cmark writes an inline
/// `style`, which the site's Content-Security-Policy does not allow.
/// (Content's own HTML is escaped by now, or, where a site allows HTML,
/// about to be sanitised, which removes every other `style`.)
fn aligned_by_class(html: &str) -> String {
    const STYLE: &str = " style=\"text-align: ";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(STYLE) {
        out.push_str(&rest[..at]);
        let after = &rest[at + STYLE.len()..];
        let side = ["left", "center", "right"]
            .into_iter()
            .find(|side| after.strip_prefix(side).is_some_and(|end| end.starts_with('"')));
        match side {
            Some(side) => {
                out.push_str(" class=\"align-");
                out.push_str(side);
                out.push('"');
                rest = &after[side.len() + 1..];
            }
            None => {
                out.push_str(STYLE);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The raw HTML met in one text: reported once, at its first place, with a count.
#[derive(Default)]
struct RawHtmlSeen {
    first: Option<(String, Range<usize>)>,
    count: usize,
    /// In sanitised mode: the first piece the sanitiser will take out.
    removed: Option<(String, Range<usize>)>,
}

impl RawHtmlSeen {
    fn note(&mut self, html: &str, span: Range<usize>) {
        let shown: String = html.trim().lines().next().unwrap_or_default().chars().take(40).collect();
        if shown.is_empty() {
            return;
        }
        self.count += 1;
        if self.removed.is_none() && is_dangerous(html) {
            self.removed = Some((shown.clone(), span.clone()));
        }
        self.first.get_or_insert((shown, span));
    }

    fn problem(self, mode: RawHtml) -> Option<Problem> {
        let more = match self.count {
            0 | 1 => String::new(),
            n => format!(" (and {} more piece{} of HTML in this text)", n - 1, if n == 2 { "" } else { "s" }),
        };
        match mode {
            RawHtml::Escape => {
                let (shown, span) = self.first?;
                Some(Problem {
                    severity: Severity::Warning,
                    span,
                    message: format!("raw HTML `{shown}` is shown to readers as text, not as markup{more}"),
                    help: "write it in Markdown instead (**bold**, [words](https://…), lists, tables); \
                           to show a `<` as it is, write \\< or put it in `code`; a site that needs \
                           HTML sets raw_html = \"sanitize\" under [markdown] in accord.toml"
                        .to_owned(),
                })
            }
            RawHtml::Sanitize => {
                let (shown, span) = self.removed?;
                Some(Problem {
                    severity: Severity::Warning,
                    span,
                    message: format!("`{shown}` is taken out: scripts, styles, frames, objects, event handlers and script or data URLs never reach a page"),
                    help: "remove it from the content; write links as [words](https://…)".to_owned(),
                })
            }
        }
    }
}

/// What the sanitiser will remove from a piece of raw HTML, roughly: enough
/// to tell the editor, not to decide (the sanitiser decides).
fn is_dangerous(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    let tags =
        ["<script", "<style", "<iframe", "<frame", "<object", "<embed", "<form", "<link", "<meta", "<base"];
    let words = ["javascript:", "vbscript:", "data:", "srcdoc", "style="];
    tags.iter().chain(words.iter()).any(|w| lower.contains(w)) || has_event_handler(&lower)
}

/// Whether lower-case HTML has an attribute like `onerror=`.
fn has_event_handler(lower: &str) -> bool {
    lower
        .split(|c: char| c.is_ascii_whitespace() || matches!(c, '/' | '"' | '\''))
        .filter_map(|word| word.strip_prefix("on")?.split_once('='))
        .any(|(name, _)| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic()))
}

/// The allow-list sanitiser for sites that opt in to raw HTML: ammonia's
/// defaults (no script, style, frame, object or form; no event handler or
/// `style` attribute), URLs limited to [`SAFE_SCHEMES`], and the ids and
/// classes the Markdown renderer itself writes (anchors, footnotes,
/// highlighted code).
fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    SANITIZER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        builder
            .url_schemes(SAFE_SCHEMES.iter().copied().collect())
            .add_generic_attributes(["id", "class"])
            .link_rel(None);
        builder
    })
}

/// The problem with a link's or image's URL, if its scheme is not one content may use.
fn refused_url(dest: &str, what: &str, span: Range<usize>) -> Option<Problem> {
    let scheme = url_scheme(dest)?;
    if SAFE_SCHEMES.contains(&scheme.as_str()) {
        return None;
    }
    Some(Problem {
        severity: Severity::Warning,
        span,
        message: format!("{what} to a `{scheme}:` URL is not allowed, and was left out (its words are kept)"),
        help: "link to an http or https address, a mailto: address, or a page of this site with @/…"
            .to_owned(),
    })
}

/// The scheme of a URL (`javascript` in ` JavaScript:…`), read as a browser
/// reads it: with leading spaces and control characters, and tabs and
/// newlines anywhere, ignored.
fn url_scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let end = cleaned.find(':')?;
    let scheme = &cleaned[..end];
    let valid = scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
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
    let escaped = || escape_html(code);
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
    let class = lang.map(|l| format!(" class=\"language-{}\"", escape_html(l))).unwrap_or_default();
    // Focusable, so a keyboard can scroll a long line into view.
    format!("<pre class=\"code\" tabindex=\"0\"><code{class}>{body}</code></pre>\n")
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
        let cx = MarkdownContext { base_path: "/", min_heading_level: min, raw_html: RawHtml::Escape };
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
        let cx = MarkdownContext { base_path: "/", min_heading_level: 3, raw_html: RawHtml::Escape };
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

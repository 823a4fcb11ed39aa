//! What keeps content from running code: raw HTML noted (and, where a site
//! opts in, sanitised), URLs with schemes other than the safe few refused,
//! and alignment written as a class where the Content-Security-Policy
//! forbids an inline style.

use std::ops::Range;
use std::sync::OnceLock;

use super::{Problem, RawHtml};
use crate::diagnostics::Severity;

/// URL schemes a link or image in content may use; a URL without a scheme
/// (a path, `#anchor` or `@/` link) is always allowed.
const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// Table cells aligned by class, where pulldown-cmark writes an inline
/// `style`, which the site's Content-Security-Policy does not allow.
/// (Content's own HTML is escaped by now, or, where a site allows HTML,
/// about to be sanitised, which removes every other `style`.)
pub(super) fn aligned_by_class(html: &str) -> String {
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
pub(super) struct RawHtmlSeen {
    first: Option<(String, Range<usize>)>,
    pub(super) count: usize,
    /// In sanitised mode: the first piece the sanitiser will take out.
    removed: Option<(String, Range<usize>)>,
}

impl RawHtmlSeen {
    pub(super) fn note(&mut self, html: &str, span: Range<usize>) {
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

    pub(super) fn problem(self, mode: RawHtml) -> Option<Problem> {
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
pub(super) fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    SANITIZER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        builder
            .url_schemes(SAFE_SCHEMES.iter().copied().collect())
            // A paragraph's self-link (see `paragraphs`) is made before the sanitiser runs.
            .add_generic_attributes(["id", "class", "aria-hidden", "data-place"])
            .link_rel(None);
        builder
    })
}

/// The problem with a link's or image's URL, if its scheme is not one content may use.
pub(super) fn refused_url(dest: &str, what: &str, span: Range<usize>) -> Option<Problem> {
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

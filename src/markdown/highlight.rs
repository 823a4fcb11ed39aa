//! Code blocks highlighted with CSS classes, never inline styles.

use std::sync::OnceLock;

use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

use super::escape_html;

fn syntax_set() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// Highlighted with CSS classes (see the theme's `syntax.css`), never inline styles.
pub(super) fn highlight(code: &str, lang: Option<&str>) -> String {
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

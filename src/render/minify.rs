//! Minifying pages as they are rendered.

/// Whitespace collapsed and comments removed, with `<pre>`, `<textarea>` and
/// scripts and styles left as written. html-minifier streams through the page
/// once, where a minifier that parses each page into a tree cost a large
/// build a third of its time, for pages only slightly smaller.
/// Markup it cannot finish (an unclosed tag or comment at the very end) is
/// written as the template made it rather than cut short.
pub(super) fn minify(html: &[u8]) -> Vec<u8> {
    let mut minifier = html_minifier::HTMLMinifier::new();
    minifier.set_minify_js(false);
    minifier.set_minify_css(false);
    // `into_html` finishes the input itself.
    match minifier.digest(html) {
        Ok(()) => minifier.into_html().unwrap_or_else(|_| html.to_vec()),
        Err(_) => html.to_vec(),
    }
}

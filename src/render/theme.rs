//! The theme compiled: its templates (read by `load::theme`) into Tera, with
//! the functions and filters they use (`url`, `site_path`, `truncate`,
//! `number`), and template errors as diagnostics at their line.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

use tera::Tera;

use crate::diagnostics::{Diagnostic, Diagnostics};
pub use crate::load::theme::Templates;
use crate::load::theme::ThemeFiles;
use crate::paths::PageKind;

pub struct Theme {
    pub tera: Tera,
    /// Output-relative path → bytes, copied into the site as they are.
    pub static_files: BTreeMap<String, Vec<u8>>,
    /// Template name → the file it came from and its text, so errors show the right file and line.
    pub templates: Templates,
    /// Template name → a hash of its source and of every template it uses,
    /// so a rebuild re-renders only the pages whose templates changed.
    pub fingerprints: HashMap<String, u64>,
    /// The ids each kind of page has from its templates, whatever its content.
    pub ids: HashMap<PageKind, HashSet<String>>,
}

/// Compiles a theme as read: its templates into Tera, with the functions
/// and filters templates use; a template that does not compile is reported at its line.
pub fn compile(files: ThemeFiles) -> Result<Theme, Diagnostics> {
    let mut tera = Tera::new();
    // Tera's own escaping, with its `fast` feature, is pulldown-cmark's:
    // `& < > "` as entities and nothing else (in particular not `/`, which
    // Tera 1 wrote as `&#x2F;` all over pages made mostly of links).
    tera.autoescape_on([".html", ".xml"]);
    tera.register_filter("truncate", truncate);
    tera.register_filter("number", number);
    tera.register_filter("long_date", long_date);
    tera.register_function("url", url);
    tera.register_function("site_path", site_path);
    let sources = files.templates;
    if let Err(e) =
        tera.add_raw_templates(sources.iter().map(|(name, (_, text))| (name.as_str(), text.as_str())))
    {
        return Err(template_error(&e, &sources).into());
    }
    Ok(Theme {
        fingerprints: crate::load::theme::fingerprints(&sources),
        ids: crate::load::theme::template_ids(&sources),
        tera,
        static_files: files.static_files,
        templates: sources,
    })
}

/// A Tera error as a diagnostic: at the line and column Tera reports when it
/// has one (syntax errors, and errors while rendering such as an undefined
/// field), in the file the template came from.
pub fn template_error(err: &tera::Error, templates: &Templates) -> Diagnostic {
    use tera::ErrorKind;
    match err.kind() {
        ErrorKind::SyntaxError(report) => {
            // Tera meets an unclosed `{% if %}` only where the block around it
            // ends, and reports that line; the tag to fix is the one opened.
            if let Some((path, text)) = templates.get(report.filename()) {
                if let Some(open) = unclosed_tag(text) {
                    let (line, _) = crate::diagnostics::line_col(text, report.span().range.start);
                    return Diagnostic::at(
                        path,
                        text.as_str(),
                        open.span,
                        format!("template error: `{{% {} %}}` is never closed", open.tag),
                    )
                    .with_help(format!(
                        "add {{% end{} %}} where it should end (Tera reached line {line} first: {})",
                        open.name,
                        report.message()
                    ));
                }
            }
            tera_report(report, templates)
        }
        ErrorKind::RenderingError(report) => tera_report(report, templates),
        _ => {
            let mut message = err.to_string();
            let mut source = std::error::Error::source(err);
            while let Some(cause) = source {
                message.push_str(": ");
                message.push_str(&cause.to_string());
                source = cause.source();
            }
            let path = templates
                .iter()
                .find(|(name, _)| message.contains(&format!("'{name}'")))
                .map(|(_, (p, _))| p.clone())
                .unwrap_or_else(|| PathBuf::from("templates"));
            Diagnostic::file(path, format!("template error: {message}"))
                .with_help("fix the template: check the names of the templates it extends and includes")
        }
    }
}

/// A Tera report at its line and column, in the file the template came from.
fn tera_report(report: &tera::ReportError, templates: &Templates) -> Diagnostic {
    let message = format!("template error: {}", report.message());
    let help =
        "fix the template: check the names of the variables, filters, components and templates it uses";
    match templates.get(report.filename()) {
        Some((path, text)) if report.span().range.end <= text.len() => {
            Diagnostic::at(path, text.as_str(), report.span().range.clone(), message).with_help(help)
        }
        _ => Diagnostic::file(format!("templates/{}", report.filename()), message).with_help(help),
    }
}

/// A block tag opened and not closed.
struct OpenTag {
    /// `if item.measures`
    tag: String,
    /// `if`
    name: String,
    span: std::ops::Range<usize>,
}

/// Tags that open a block Tera closes with `end{name}`.
const BLOCK_TAGS: &[&str] = &["if", "for", "block", "filter", "component", "raw"];

/// The first block tag in `text` that is never closed, found by matching
/// `{% name … %}` with `{% endname %}` (inside `raw`, nothing is a tag).
fn unclosed_tag(text: &str) -> Option<OpenTag> {
    let mut open: Vec<OpenTag> = Vec::new();
    let mut rest = 0;
    while let Some(start) = text[rest..].find("{%").map(|i| rest + i) {
        let end = text[start..].find("%}").map(|i| start + i + 2)?;
        rest = end;
        let tag = text[start + 2..end - 2].trim_matches('-').trim();
        let name = tag.split_whitespace().next().unwrap_or_default();
        if open.last().is_some_and(|o| o.name == "raw") && name != "endraw" {
            continue;
        }
        if BLOCK_TAGS.contains(&name) {
            open.push(OpenTag { tag: tag.to_owned(), name: name.to_owned(), span: start..end });
        } else if let Some(closed) = name.strip_prefix("end") {
            match open.last() {
                Some(o) if o.name == closed => {
                    open.pop();
                }
                // `{% endblock %}` while an `{% if %}` is open: the `if` is the one left open.
                Some(_) => return open.pop(),
                None => return None,
            }
        }
    }
    open.pop()
}

/// `number`: a number as people write it, `20` or `20.5`. Tera prints a
/// whole number held as a float as `20.0`, and progress measures are floats.
fn number(n: f64, _: tera::Kwargs, _: &tera::State) -> String {
    n.to_string()
}

/// `long_date`: `2026-12-01` as readers read dates, `1 December 2026`, so
/// every date a page shows is in one format.
fn long_date(date: &str, _: tera::Kwargs, _: &tera::State) -> String {
    crate::load::long_date(date)
}

/// `{{ url(page="search") }}` or `{{ url(file="feed.xml") }}`: a link to one
/// of the site's fixed pages (by its name in [`crate::paths::NAMED`]) or
/// files, under the site's base path. Templates ask for URLs, as Zola's
/// `get_url` does, so the URL scheme lives in `paths.rs` alone.
fn url(kwargs: tera::Kwargs, state: &tera::State) -> tera::TeraResult<String> {
    let site: Option<tera::Value> = state.get("site")?;
    let base = site.as_ref().and_then(|s| s.get_from_path("base_path")).and_then(|b| b.as_str());
    Ok(crate::paths::link(base.unwrap_or("/"), &path_asked_for(&kwargs)?).to_string())
}

/// `{{ site_path(page="search") }}`: the site path of a fixed page, to
/// compare with `current_path` (`url` gives the link to it).
fn site_path(kwargs: tera::Kwargs, _: &tera::State) -> tera::TeraResult<String> {
    path_asked_for(&kwargs)
}

fn path_asked_for(kwargs: &tera::Kwargs) -> tera::TeraResult<String> {
    match (kwargs.get::<&str>("page")?, kwargs.get::<&str>("file")?) {
        (Some(name), None) => crate::paths::named(name).map(str::to_owned).ok_or_else(|| {
            let names: Vec<&str> = crate::paths::NAMED.iter().map(|(n, _)| *n).collect();
            tera::Error::message(format!(
                "there is no page named `{name}`; the names are {}",
                names.join(", ")
            ))
        }),
        (None, Some(file)) => crate::paths::file(file).ok_or_else(|| {
            tera::Error::message(format!("`{file}` is not a file name inside the site (e.g. \"feed.xml\")"))
        }),
        _ => Err(tera::Error::message("give one of page=\"…\" or file=\"…\"")),
    }
}

/// `truncate`: the first `length` characters as a reader sees them
/// (grapheme clusters, so an accent or a flag is never cut in half), then
/// `end`, by default "…". Tera's own counts code points, or with its
/// `unicode` feature splits the whole text into graphemes first, and every
/// item page truncates its full text twice for its meta description.
fn truncate(text: &str, kwargs: tera::Kwargs, _: &tera::State) -> tera::TeraResult<String> {
    use unicode_segmentation::UnicodeSegmentation;
    let length = kwargs.must_get::<usize>("length")?;
    let end = kwargs.get::<&str>("end")?.unwrap_or("…");
    Ok(match text.grapheme_indices(true).nth(length) {
        Some((cut, _)) => format!("{}{end}", &text[..cut]),
        None => text.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(template: &str, s: &str) -> String {
        let mut tera = Tera::new();
        tera.register_filter("truncate", truncate);
        let mut context = tera::Context::new();
        context.insert("s", s);
        tera.render_str(template, &context, false).unwrap()
    }

    #[test]
    fn truncate_cuts_between_graphemes() {
        let t = "{{ s | truncate(length=5) }}|{{ s | truncate(length=5, end='') }}";
        assert_eq!(render(t, ""), "|");
        assert_eq!(render(t, "short"), "short|short");
        assert_eq!(render(t, "exactly"), "exact…|exact");
        // "e" and a combining accent are one character to a reader.
        assert_eq!(render(t, "Ame\u{301}lie and more"), "Ame\u{301}li…|Ame\u{301}li");
        assert_eq!(render(t, "🇬🇧🇬🇧🇬🇧🇬🇧🇬🇧🇬🇧"), "🇬🇧🇬🇧🇬🇧🇬🇧🇬🇧…|🇬🇧🇬🇧🇬🇧🇬🇧🇬🇧");
    }
}

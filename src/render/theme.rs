//! Templates and static files: the theme, then the site's own overrides.
//!
//! The default theme is compiled into the binary, so any folder with content
//! builds without copying templates around. A site that has
//! `themes/{theme}/` on disk uses that instead (this repository does, so
//! editing the theme needs no recompile), and a file in the site's own
//! `templates/` or `static/` replaces the theme's file of the same name, the
//! way mdBook's theme overrides work.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use tera::Tera;

use crate::diagnostics::{display_path, Diagnostic, Diagnostics};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

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
    pub ids: crate::resolve::TemplateIds,
}

/// Template name → the file it came from and its text.
pub type Templates = BTreeMap<String, (PathBuf, String)>;

/// A file's path relative to its folder and its bytes, wherever the folder lives.
struct Files(BTreeMap<String, (PathBuf, Vec<u8>)>);

impl Files {
    fn from_embedded(dir: &Dir<'static>, shown: &str) -> Files {
        let mut files = BTreeMap::new();
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            for f in d.files() {
                let rel = f.path().strip_prefix(dir.path()).unwrap_or(f.path());
                let rel = rel.to_string_lossy().replace('\\', "/");
                files.insert(rel.clone(), (PathBuf::from(format!("{shown}/{rel}")), f.contents().to_vec()));
            }
            stack.extend(d.dirs());
        }
        Files(files)
    }

    fn from_disk(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Files {
        let mut files = BTreeMap::new();
        if !dir.is_dir() {
            return Files(files);
        }
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    diags.push(Diagnostic::file(display_path(root, dir), format!("cannot read folder: {e}")));
                    continue;
                }
            };
            let name = entry.file_name().to_string_lossy();
            if !entry.file_type().is_file() || name.starts_with('.') || name.ends_with('~') {
                continue;
            }
            let rel =
                entry.path().strip_prefix(dir).unwrap_or(entry.path()).to_string_lossy().replace('\\', "/");
            let shown = display_path(root, entry.path());
            match std::fs::read(entry.path()) {
                Ok(bytes) => {
                    files.insert(rel, (shown, bytes));
                }
                Err(e) => diags.push(Diagnostic::file(shown, format!("cannot read file: {e}"))),
            }
        }
        Files(files)
    }

    /// The files under `prefix/`, keyed without it.
    fn under(&self, prefix: &str) -> Files {
        let prefix = format!("{prefix}/");
        Files(
            self.0
                .iter()
                .filter_map(|(k, v)| k.strip_prefix(&prefix).map(|rest| (rest.to_owned(), v.clone())))
                .collect(),
        )
    }

    fn overlay(mut self, other: Files) -> Files {
        self.0.extend(other.0);
        self
    }
}

pub fn load_theme(root: &Path, theme: &str) -> Result<Theme, Diagnostics> {
    let mut diags = Diagnostics::default();
    let on_disk = root.join("themes").join(theme);
    let theme_files = if on_disk.is_dir() {
        Files::from_disk(root, &on_disk, &mut diags)
    } else if theme == "default" {
        Files::from_embedded(&DEFAULT_THEME, "(built-in theme)")
    } else {
        diags.push(
            Diagnostic::file(crate::config::CONFIG_FILE, format!("theme `{theme}` not found"))
                .with_help(format!("create themes/{theme}/ or set theme = \"default\"")),
        );
        return Err(diags);
    };
    let templates =
        theme_files.under("templates").overlay(Files::from_disk(root, &root.join("templates"), &mut diags));
    let statics =
        theme_files.under("static").overlay(Files::from_disk(root, &root.join("static"), &mut diags));

    let mut sources = Templates::new();
    for (name, (path, bytes)) in templates.0 {
        match String::from_utf8(bytes) {
            Ok(text) => {
                sources.insert(name, (path, text));
            }
            Err(_) => diags
                .push(Diagnostic::file(path, "template is not valid UTF-8").with_help("save it as UTF-8")),
        }
    }
    let mut tera = Tera::new();
    // Tera's own escaping, with its `fast` feature, is pulldown-cmark's:
    // `& < > "` as entities and nothing else (in particular not `/`, which
    // Tera 1 wrote as `&#x2F;` all over pages made mostly of links).
    tera.autoescape_on([".html", ".xml"]);
    tera.register_filter("truncate", truncate);
    tera.register_filter("number", number);
    tera.register_function("url", url);
    tera.register_function("site_path", site_path);
    if let Err(e) =
        tera.add_raw_templates(sources.iter().map(|(name, (_, text))| (name.as_str(), text.as_str())))
    {
        diags.push(template_error(&e, &sources));
    }
    diags.into_result()?;
    Ok(Theme {
        fingerprints: fingerprints(&sources),
        ids: template_ids(&sources),
        tera,
        static_files: statics.0.into_iter().map(|(k, (_, bytes))| (k, bytes)).collect(),
        templates: sources,
    })
}

/// Each template's fingerprint: its source and the sources of the templates
/// it extends. Components are global in Tera 2 (any template may call any),
/// so a template that defines one counts as used by every template; and a
/// template that includes others (which Tera resolves only while rendering)
/// depends on all of them.
fn fingerprints(templates: &Templates) -> HashMap<String, u64> {
    templates
        .keys()
        .map(|name| {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            for d in &used_by(templates, name) {
                (d, templates.get(*d).map(|(_, text)| text)).hash(&mut hasher);
            }
            (name.clone(), hasher.finish())
        })
        .collect()
}

/// The templates a page rendered with `name` is made of: itself, the
/// templates it extends, and every template that defines a component (Tera
/// 2's components are global: any template may call any); a template that
/// includes others (which Tera resolves only while rendering) may use them all.
fn used_by<'t>(templates: &'t Templates, name: &str) -> std::collections::BTreeSet<&'t String> {
    let text = |name: &str| templates.get(name).map(|(_, text)| text.as_str());
    let mut deps: std::collections::BTreeSet<&String> =
        templates.get_key_value(name).map(|(k, _)| k).into_iter().collect();
    let mut next = text(name).and_then(extends);
    while let Some((parent, _)) = next.and_then(|p| templates.get_key_value(p)) {
        if !deps.insert(parent) {
            break;
        }
        next = text(parent).and_then(extends);
    }
    deps.extend(templates.iter().filter(|(_, (_, t))| t.contains("{% component")).map(|(name, _)| name));
    if deps.iter().any(|d| text(d).is_some_and(|t| t.contains("include"))) {
        deps = templates.keys().collect();
    }
    deps
}

/// The ids every page of each kind has, read from its templates: every
/// `id="…"` written out in them (ids made from content, `id="{{ … }}"`,
/// are content's, and resolve makes those). Ids written under a condition
/// count too: a page may have them.
pub fn template_ids(templates: &Templates) -> crate::resolve::TemplateIds {
    let ids = crate::paths::PageKind::all()
        .map(|kind| {
            let found = used_by(templates, super::template_of(kind))
                .into_iter()
                .filter_map(|name| templates.get(name))
                .flat_map(|(_, text)| written_ids(text))
                .collect();
            (kind, found)
        })
        .collect();
    crate::resolve::TemplateIds::new(ids)
}

/// The literal values of `id` attributes in a template's text.
fn written_ids(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("id=") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + 3..];
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else { continue };
        let Some(end) = rest[1..].find(quote) else { break };
        let value = &rest[1..1 + end];
        if before.is_some_and(char::is_whitespace)
            && !value.contains("{{")
            && !value.contains("{%")
            && !value.is_empty()
        {
            out.push(value.to_owned());
        }
        rest = &rest[1 + end..];
    }
    out
}

/// The template named by `{% extends "name" %}`, which Tera requires to be
/// the template's first tag (the parsed template does not say, in Tera 2's API).
fn extends(text: &str) -> Option<&str> {
    let tag = text.split_once("{%")?.1.split_once("%}")?.0.trim().trim_matches('-').trim();
    let name = tag.strip_prefix("extends")?.trim();
    name.strip_prefix('"')
        .and_then(|n| n.strip_suffix('"'))
        .or_else(|| name.strip_prefix('\'').and_then(|n| n.strip_suffix('\'')))
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

/// `truncate`: the first `length` characters as a reader sees them
/// (grapheme clusters, so an accent or a flag is never cut in half), then
/// `end`, by default "…". Tera's own counts code points, or with its
/// `unicode` feature splits the whole text into graphemes first, and every
/// item page truncates its full text twice for its meta description.
/// `{{ url(page="search") }}` or `{{ url(file="feed.xml") }}`: a link to one
/// of the site's fixed pages (by its name in [`crate::paths::NAMED`]) or
/// files, under the site's base path. Templates ask for URLs, as Zola's
/// `get_url` does, so the URL scheme lives in `paths.rs` alone.
fn url(kwargs: tera::Kwargs, state: &tera::State) -> tera::TeraResult<String> {
    let site: Option<tera::Value> = state.get("site")?;
    let base = site.as_ref().and_then(|s| s.get_from_path("base_path")).and_then(|b| b.as_str());
    Ok(crate::paths::link(base.unwrap_or("/"), &path_asked_for(&kwargs)?))
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

    #[test]
    fn a_template_depends_on_what_it_extends_and_on_components() {
        let sources: Templates = [
            ("base.html", "<html>{% block content %}{% endblock content %}</html>"),
            ("page.html", "{% extends \"base.html\" %}{% block content %}A{% endblock content %}"),
            ("other.html", "{%- extends 'base.html' -%}"),
            ("parts.html", "{% component box(x) %}{{ x }}{% endcomponent box %}"),
            ("alone.html", "B"),
        ]
        .into_iter()
        .map(|(name, text)| (name.to_owned(), (PathBuf::from(name), text.to_owned())))
        .collect();
        assert_eq!(extends(&sources["page.html"].1), Some("base.html"));
        assert_eq!(extends(&sources["other.html"].1), Some("base.html"));
        assert_eq!(extends(&sources["alone.html"].1), None);
        let before = fingerprints(&sources);
        let mut changed = sources.clone();
        let edit = |t: &mut Templates, name: &str, text: &str| t.get_mut(name).unwrap().1 = text.to_owned();
        edit(&mut changed, "base.html", "<body>{% block content %}{% endblock content %}</body>");
        let after = fingerprints(&changed);
        let differs = |name: &str| before[name] != after[name];
        assert!(differs("base.html") && differs("page.html") && differs("other.html"));
        assert!(!differs("alone.html") && !differs("parts.html"));
        edit(&mut changed, "parts.html", "{% component box(x) %}[{{ x }}]{% endcomponent box %}");
        let last = fingerprints(&changed);
        assert!(last["alone.html"] != after["alone.html"], "any template may call a component");
    }
}

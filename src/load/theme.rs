//! Reading the theme: its templates and static files, then the site's own
//! overrides, and what the templates say before any is compiled (the ids
//! each kind of page has, and which templates each page is made of).
//!
//! The default theme is compiled into the binary, so any folder with content
//! builds without copying templates around. A site that has
//! `themes/{theme}/` on disk uses that instead (this repository does, so
//! editing the theme needs no recompile), and a file in the site's own
//! `templates/` or `static/` replaces the theme's file of the same name, the
//! way mdBook's theme overrides work. Reading is load's job so that resolve
//! can check content against the ids the templates write before the
//! templates are compiled (render's job).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::diagnostics::{display_path, Diagnostic, Diagnostics};
use crate::paths::PageKind;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Template name → the file it came from and its text.
pub type Templates = BTreeMap<String, (PathBuf, String)>;

/// A theme as read: its templates (the site's overrides applied) and static files.
pub struct ThemeFiles {
    pub templates: Templates,
    /// Output-relative path → bytes, copied into the site as they are.
    pub static_files: BTreeMap<String, Vec<u8>>,
}

/// Reads the theme `theme` for the site at `root`, with the site's own
/// `templates/` and `static/` over it; `named_in` is the file that names
/// the theme, for the error if there is no such theme.
pub fn read_theme(root: &Path, theme: &str, named_in: &str) -> Result<ThemeFiles, Diagnostics> {
    let mut diags = Diagnostics::default();
    let on_disk = root.join("themes").join(theme);
    let theme_files = if on_disk.is_dir() {
        Files::from_disk(root, &on_disk, &mut diags)
    } else if theme == "default" {
        Files::from_embedded(&DEFAULT_THEME, "(built-in theme)")
    } else {
        diags.push(
            Diagnostic::file(named_in, format!("theme `{theme}` not found"))
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
    diags.into_result()?;
    Ok(ThemeFiles {
        templates: sources,
        static_files: statics.0.into_iter().map(|(k, (_, bytes))| (k, bytes)).collect(),
    })
}

impl ThemeFiles {
    /// The ids each kind of page has from its templates (see [`template_ids`]).
    pub fn page_ids(&self) -> HashMap<PageKind, HashSet<String>> {
        template_ids(&self.templates)
    }
}

/// The template each kind of page is rendered with.
pub fn template_of(kind: PageKind) -> &'static str {
    const FIXED: &[(&str, &str)] = &[
        (crate::paths::HOME, "home.html"),
        (crate::paths::AGREEMENTS, "agreements.html"),
        (crate::paths::SEARCH, "search.html"),
        (crate::paths::A_Z, "a-z.html"),
        (crate::paths::DATA, "data.html"),
        (crate::paths::TOPICS, "topics.html"),
        (crate::paths::PEOPLE, "people.html"),
        (crate::paths::ORGANISATIONS, "organisations.html"),
        (crate::paths::SCRUTINY, "scrutiny-bodies.html"),
        (crate::paths::FIGURES, "figures.html"),
        (crate::paths::UPDATES, "updates.html"),
        (crate::paths::GLOSSARY, "glossary.html"),
        (crate::paths::CHANGES, "changes.html"),
        (crate::paths::NOT_FOUND, "404.html"),
    ];
    match kind {
        PageKind::Fixed(path) => FIXED.iter().find(|(p, _)| *p == path).map_or("page.html", |(_, t)| t),
        PageKind::Agreement => "agreement.html",
        PageKind::Item => "item.html",
        PageKind::Page => "page.html",
        PageKind::Topic => "topic.html",
        PageKind::Person => "person.html",
        PageKind::Organisation => "organisation.html",
        PageKind::ScrutinyBody => "scrutiny-body.html",
        PageKind::Figure => "figure.html",
        PageKind::Version => "version.html",
        PageKind::AgreementVersion => "agreement-version.html",
        PageKind::Redirect => "redirect.html",
        PageKind::Withdrawn => "withdrawn.html",
    }
}

/// Each template's fingerprint: its source and the sources of the templates
/// it extends. Components are global in Tera 2 (any template may call any),
/// so a template that defines one counts as used by every template; and a
/// template that includes others (which Tera resolves only while rendering)
/// depends on all of them.
pub fn fingerprints(templates: &Templates) -> HashMap<String, u64> {
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
fn used_by<'t>(templates: &'t Templates, name: &str) -> BTreeSet<&'t String> {
    let text = |name: &str| templates.get(name).map(|(_, text)| text.as_str());
    let mut deps: BTreeSet<&String> = templates.get_key_value(name).map(|(k, _)| k).into_iter().collect();
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
pub fn template_ids(templates: &Templates) -> HashMap<PageKind, HashSet<String>> {
    PageKind::all()
        .map(|kind| {
            let found = used_by(templates, template_of(kind))
                .into_iter()
                .filter_map(|name| templates.get(name))
                .flat_map(|(_, text)| written_ids(text))
                .collect();
            (kind, found)
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

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

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
    /// Template name → the file it came from, so errors name the right file.
    pub template_paths: BTreeMap<String, PathBuf>,
    /// Template name → a hash of its source and of every template it uses,
    /// so a rebuild re-renders only the pages whose templates changed.
    pub fingerprints: HashMap<String, u64>,
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

    let mut sources: Vec<(String, String)> = Vec::new();
    let mut template_paths = BTreeMap::new();
    for (name, (path, bytes)) in templates.0 {
        match String::from_utf8(bytes) {
            Ok(text) => {
                template_paths.insert(name.clone(), path);
                sources.push((name, text));
            }
            Err(_) => diags
                .push(Diagnostic::file(path, "template is not valid UTF-8").with_help("save it as UTF-8")),
        }
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape);
    tera.register_filter("truncate", truncate);
    if let Err(e) = tera.add_raw_templates(sources.clone()) {
        diags.push(template_error(&e, &template_paths));
    }
    diags.into_result()?;
    Ok(Theme {
        fingerprints: fingerprints(&tera, &sources.into_iter().collect()),
        tera,
        static_files: statics.0.into_iter().map(|(k, (_, bytes))| (k, bytes)).collect(),
        template_paths,
    })
}

/// Each template's fingerprint: its source and the sources of the templates
/// it extends and the macro files they import. A template that includes
/// others (which Tera resolves only while rendering) depends on all of them.
fn fingerprints(tera: &Tera, sources: &BTreeMap<String, String>) -> HashMap<String, u64> {
    let uses = |name: &str| -> Vec<String> {
        tera.templates.get(name).map_or_else(Vec::new, |t| {
            t.parents
                .iter()
                .cloned()
                .chain(t.imported_macro_files.iter().map(|(file, _)| file.clone()))
                .collect()
        })
    };
    sources
        .keys()
        .map(|name| {
            let mut deps = std::collections::BTreeSet::from([name.clone()]);
            let mut todo = vec![name.clone()];
            while let Some(next) = todo.pop() {
                for dep in uses(&next) {
                    if deps.insert(dep.clone()) {
                        todo.push(dep);
                    }
                }
            }
            if deps.iter().any(|d| sources.get(d).is_some_and(|s| s.contains("include"))) {
                deps = sources.keys().cloned().collect();
            }
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            for d in &deps {
                (d, sources.get(d)).hash(&mut hasher);
            }
            (name.clone(), hasher.finish())
        })
        .collect()
}

/// A Tera error with its whole cause chain (the line and column are in the
/// innermost cause), attributed to the template file it names.
pub fn template_error(err: &tera::Error, paths: &BTreeMap<String, PathBuf>) -> Diagnostic {
    let mut message = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    let path = paths
        .iter()
        .find(|(name, _)| message.contains(&format!("'{name}'")))
        .map(|(_, p)| p.clone())
        .unwrap_or_else(|| PathBuf::from("templates"));
    let help = if message.contains("-->") {
        "fix the template; the position after `-->` is its line:column"
    } else {
        "fix the template: check the names of the variables, filters and templates it uses"
    };
    Diagnostic::file(path, format!("template error: {message}")).with_help(help)
}

/// Escapes text for HTML and XML, text or quoted attribute: `& < > " '`.
/// Tera's own escaping also writes every `/` as `&#x2F;`, which neither
/// needs; on pages made mostly of links that made the HTML a tenth larger,
/// and the minifier then had to decode it all again.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

/// Tera's `truncate` (the first `length` characters as a reader sees them,
/// then `end`, by default "…"), without splitting the whole text into
/// characters first: Tera's own does, and every item page truncates its
/// full text twice for its meta description.
fn truncate(value: &tera::Value, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    use unicode_segmentation::UnicodeSegmentation;
    let text = tera::try_get_value!("truncate", "value", String, value);
    let length = match args.get("length") {
        Some(l) => tera::try_get_value!("truncate", "length", usize, l),
        None => 255,
    };
    let end = match args.get("end") {
        Some(e) => tera::try_get_value!("truncate", "end", String, e),
        None => "…".to_owned(),
    };
    Ok(match text.grapheme_indices(true).nth(length) {
        Some((cut, _)) => tera::Value::String(format!("{}{end}", &text[..cut])),
        None => tera::Value::String(text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The override must read exactly as Tera's own filter does.
    #[test]
    fn truncate_matches_teras_own_filter() {
        let template = "{{ s | truncate(length=5) }}|{{ s | truncate(length=5, end='') }}|{{ s | truncate }}";
        let render = |tera: &mut Tera, s: &str| {
            let mut context = tera::Context::new();
            context.insert("s", s);
            tera.render_str(template, &context).unwrap()
        };
        let mut ours = Tera::default();
        ours.register_filter("truncate", truncate);
        let long = "word ".repeat(60);
        for s in ["", "short", "exactly", "Ame\u{301}lie and more", "🇬🇧🇬🇧🇬🇧🇬🇧🇬🇧🇬🇧", long.as_str()]
        {
            assert_eq!(render(&mut ours, s), render(&mut Tera::default(), s), "{s:?}");
        }
    }
}

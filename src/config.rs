//! The site's settings, read from `accord.toml` at the site root.
//!
//! Raw settings are deserialized strictly (unknown keys are errors, so a
//! misspelt `minfy = false` is caught) and then resolved into [`Config`],
//! whose values are ready to use: the base URL is validated and its path
//! extracted once, because every link on the site is built from it.

use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::Diagnostic;
use crate::load::{parse_toml, SourceFile};

pub const CONFIG_FILE: &str = "accord.toml";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: toml::Spanned<String>,
    #[serde(default = "default_language")]
    language: String,
    #[serde(default = "default_true")]
    minify: bool,
    #[serde(default = "default_theme")]
    theme: String,
    #[serde(default)]
    markdown: RawMarkdown,
    #[serde(default)]
    search: RawSearch,
    /// Who readers write to about the site (the accessibility statement names it).
    contact: Option<RawContact>,
    /// The licence the site's text and data are published under.
    licence: Option<toml::Spanned<Licence>>,
}

/// `[licence]`: what readers may do with the site's text and data, as its
/// publisher states it (e.g. the Open Government Licence v3.0).
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Licence {
    /// "Open Government Licence v3.0".
    pub name: String,
    /// Where the licence's terms are published.
    pub url: String,
}

/// `[contact]`: an email address, a web page, or both.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct RawContact {
    pub email: Option<String>,
    pub url: Option<String>,
}

/// `[markdown]`: how content Markdown is turned into HTML.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMarkdown {
    #[serde(default)]
    raw_html: RawHtml,
}

/// `[search]`: how the search index is split.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSearch {
    records_per_shard: Option<toml::Spanned<usize>>,
}

/// Search records in one shard of the index at most, unless the site says
/// otherwise: a shard Pagefind holds in memory, whole, while it builds it.
pub const RECORDS_PER_SHARD: usize = 2_000;

/// What becomes of HTML written inside content Markdown.
///
/// Content is text unless the site says otherwise: many people in several
/// organisations edit it, and a tag pasted from a web page must never run
/// in a reader's browser. `Escape` (the default) shows it as the literal
/// text the editor typed and warns; `Sanitize` lets through what an
/// allow-list of harmless tags and attributes keeps (never a script,
/// style, frame, object, event handler, `srcdoc` or `javascript:`/`data:`
/// URL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RawHtml {
    #[default]
    Escape,
    Sanitize,
}

fn default_language() -> String {
    "en-GB".to_owned()
}

fn default_true() -> bool {
    true
}

fn default_theme() -> String {
    "default".to_owned()
}

/// Resolved site settings.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Config {
    pub title: String,
    /// Absolute URL of the site, always ending in `/`.
    pub base_url: String,
    /// The path part of `base_url` (`/` or `/sub/`): the prefix of every internal link.
    pub base_path: String,
    pub language: String,
    pub minify: bool,
    pub theme: String,
    pub raw_html: RawHtml,
    /// Search records in one shard of the search index at most (see `search`).
    pub records_per_shard: usize,
    /// Who readers write to about the site, if the site says.
    pub contact: Option<RawContact>,
    /// The licence of the site's text and data, if the site states one.
    pub licence: Option<Licence>,
    /// Advice about the settings (a placeholder `base_url`), with its line.
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
}

/// Host names reserved for examples and tests (RFC 2606, RFC 6761), and this machine.
fn is_placeholder(host: &str) -> bool {
    let reserved_domains = ["example", "test", "invalid", "localhost", "local"];
    let reserved_names = ["example.com", "example.org", "example.net", "127.0.0.1", "[::1]", "0.0.0.0"];
    reserved_names.contains(&host)
        || reserved_domains.iter().any(|d| host == *d || host.ends_with(&format!(".{d}")))
        || ["example.com", "example.org", "example.net"].iter().any(|d| host.ends_with(&format!(".{d}")))
}

impl Config {
    /// Reads and checks `accord.toml` in `root`.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        if !path.is_file() {
            return Err(Diagnostic::file(CONFIG_FILE, "no site settings file found").with_help(format!(
                "run accord in a site folder, pass --root DIR, or create {CONFIG_FILE} (see docs/configuration.md)"
            )));
        }
        let file = SourceFile::read(root, &path)?;
        let raw: RawConfig = parse_toml(&file, 0, file.text.len())?;
        Config::resolve(raw, &file)
    }

    fn resolve(raw: RawConfig, file: &SourceFile) -> Result<Config, Diagnostic> {
        let span = raw.base_url.span();
        let mut base_url = raw.base_url.into_inner();
        let rest = base_url
            .strip_prefix("https://")
            .or_else(|| base_url.strip_prefix("http://"))
            .ok_or_else(|| {
                file.error(span.clone(), "base_url must be an absolute http or https URL")
                    .with_help("write it like \"https://example.org/\"")
            })?;
        let host_end = rest.find('/').unwrap_or(rest.len());
        if host_end == 0 {
            return Err(file
                .error(span, "base_url has no host name")
                .with_help("write it like \"https://example.org/\""));
        }
        let host = rest[..host_end].split(':').next().unwrap_or_default().to_ascii_lowercase();
        let mut warnings = Vec::new();
        if is_placeholder(&host) {
            warnings.push(
                file.error(span.clone(), format!("base_url is a placeholder ({host}): permanent URLs, canonical links, citations, the feed and the sitemap all name it"))
                    .with_help("set base_url to the address the site is published at, e.g. \"https://agreements.example.gov.uk/\" (see docs/configuration.md)")
                    .warning(),
            );
        }
        let contact = raw.contact.filter(|c| c.email.is_some() || c.url.is_some());
        if contact.is_none() {
            warnings.push(
                file.error(0..0, "the site names no contact: its accessibility statement cannot say how to ask for an accessible format or report a problem")
                    .with_help("add [contact] with email = \"…\" and/or url = \"…\" to accord.toml (the Public Sector Bodies Accessibility Regulations 2018 ask for one)")
                    .warning(),
            );
        }
        let licence = match raw.licence {
            None => {
                warnings.push(
                    file.error(0..0, "the site states no licence: readers of its text, open data and citations are not told what they may do with them")
                        .with_help("add [licence] with name = \"…\" and url = \"https://…\" to accord.toml, as the publisher states it (see docs/configuration.md)")
                        .warning(),
                );
                None
            }
            Some(l)
                if !(l.get_ref().url.starts_with("https://") || l.get_ref().url.starts_with("http://"))
                    || l.get_ref().name.trim().is_empty() =>
            {
                return Err(file
                    .error(l.span(), "[licence] needs a name and an absolute http or https url")
                    .with_help(
                        "write [licence] name = \"Open Government Licence v3.0\" url = \"https://…\"",
                    ));
            }
            Some(l) => Some(l.into_inner()),
        };
        let records_per_shard = match raw.search.records_per_shard {
            None => RECORDS_PER_SHARD,
            Some(n) if *n.get_ref() == 0 => {
                return Err(file
                    .error(n.span(), "records_per_shard must be at least 1")
                    .with_help(format!("leave it out for the default, {RECORDS_PER_SHARD}")))
            }
            Some(n) => n.into_inner(),
        };
        let mut base_path = rest[host_end..].to_owned();
        if !base_path.ends_with('/') {
            base_path.push('/');
            base_url.push('/');
        }
        Ok(Config {
            title: raw.title,
            base_url,
            base_path,
            language: raw.language,
            minify: raw.minify,
            theme: raw.theme,
            raw_html: raw.markdown.raw_html,
            records_per_shard,
            contact,
            licence,
            warnings,
        })
    }
}

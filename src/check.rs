//! `accord check`: the built site inspected as a reader's browser would meet
//! it, without writing `public/`.
//!
//! Builds in memory (unminified, so findings have line numbers), then checks
//! every page: internal links and `#anchors` resolve, images have alt text,
//! one `h1` and a non-empty title per page, no two pages share a title, and
//! the URL lock holds. Links to the site's own `base_url` (a citation's
//! permanent URL) are checked as internal links; other external links are
//! only checked with `--external`, since CI has no network.

use std::collections::{BTreeMap, HashMap, HashSet};

use scraper::{Html, Selector};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::OutputFile;

/// What `accord check` found: errors fail the check; warnings are advice.
#[derive(Debug, Default)]
pub struct Report {
    pub errors: Diagnostics,
    /// The build's own warnings (at the content's file and line) and the check's.
    pub warnings: Diagnostics,
    pub pages: usize,
    pub links: usize,
}

struct Page<'a> {
    file: &'a OutputFile,
    text: String,
    html: Html,
}

impl Page<'_> {
    /// The page as findings name it: `public/…`.
    fn shown(&self) -> String {
        format!("public/{}", self.file.path)
    }

    /// A finding at the first place `needle` is in the page.
    fn at(&self, needle: &str, message: String) -> Diagnostic {
        let start = self.text.find(needle).unwrap_or(0);
        Diagnostic::at(self.shown(), self.text.as_str(), start..start + needle.len(), message)
    }
}

/// What links are checked against: the site's own addresses, its files and
/// the ids on each page.
struct Targets<'a> {
    base: String,
    base_url: String,
    files: HashSet<&'a str>,
    ids: HashMap<&'a str, HashSet<String>>,
}

/// What the pages share that no page can check alone.
#[derive(Default)]
struct Gathered {
    /// The pages (as shown) with each title, for titles used twice.
    titles: BTreeMap<String, Vec<String>>,
    /// Every external link: (the page it is on, as shown; the URL).
    external_links: Vec<(String, String)>,
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("a valid selector")
}

pub fn check(root: &std::path::Path, external: bool) -> Result<Report, Diagnostics> {
    let progress = crate::progress::Progress::on_terminal();
    let built = crate::pipeline::build_in_memory_with(root, |c| c.minify = false, &progress)?;
    drop(progress);
    let pages: Vec<Page> = built
        .files
        .iter()
        .filter(|f| f.path.ends_with(".html") && !crate::search::is_bundle_file(&f.path))
        .map(|f| {
            let text = String::from_utf8_lossy(&f.bytes).into_owned();
            Page { file: f, html: Html::parse_document(&text), text }
        })
        .collect();
    let targets = Targets {
        base: built.site.config.base_path.clone(),
        base_url: built.site.config.base_url.clone(),
        files: built.files.iter().map(|f| f.path.as_str()).collect(),
        ids: pages
            .iter()
            .map(|p| {
                (
                    p.file.path.as_str(),
                    p.html
                        .select(&sel("[id]"))
                        .filter_map(|e| e.value().attr("id"))
                        .map(str::to_owned)
                        .collect(),
                )
            })
            .collect(),
    };

    let mut report = Report { pages: pages.len(), ..Default::default() };
    report.warnings.extend(built.site.warnings.clone());
    let mut gathered = Gathered::default();
    for page in &pages {
        check_links(page, &targets, &mut report, &mut gathered);
        check_images(page, &mut report);
        check_heading_and_title(page, &mut report, &mut gathered);
    }
    report_shared_titles(gathered.titles, &mut report);
    check_url_lock(root, &built, &mut report);
    report.warnings.extend(unexplained_abbreviations(root, &built.site.glossary));
    let external_links = gathered.external_links;
    if external {
        check_external(&external_links, &mut report);
    } else if !external_links.is_empty() {
        report.warnings.push(
            Diagnostic::file(
                "public",
                format!(
                    "{} external links not checked (pass --external to check them)",
                    external_links.len()
                ),
            )
            .warning(),
        );
    }
    Ok(report)
}

/// Checks that each internal link on `page` lands on a file of the site and
/// an id on it; external links are gathered, to be checked (or counted) later.
fn check_links(page: &Page, targets: &Targets, report: &mut Report, gathered: &mut Gathered) {
    let (base, base_url) = (targets.base.as_str(), targets.base_url.as_str());
    for a in page.html.select(&sel("a[href]")) {
        let written = a.value().attr("href").unwrap_or_default();
        // The site's own addresses (a citation's permanent URL) must
        // name pages it has, published yet or not: checked as internal.
        let own = written.strip_prefix(base_url).map(|rest| format!("{base}{rest}"));
        let href = own.as_deref().unwrap_or(written);
        if href.starts_with("http://") || href.starts_with("https://") {
            gathered.external_links.push((page.shown(), href.to_owned()));
            continue;
        }
        if href.starts_with("mailto:") {
            continue;
        }
        report.links += 1;
        let (path, anchor) = href.split_once('#').map_or((href, None), |(p, a)| (p, Some(a)));
        let target = if path.is_empty() {
            Some(page.file.path.clone())
        } else {
            path.strip_prefix(base).map(|rest| crate::paths::file_of(&format!("/{rest}")))
        };
        let Some(target) = target.filter(|t| targets.files.contains(t.as_str())) else {
            let needle = format!("href=\"{written}\"");
            report.errors.push(
                page.at(&needle, format!("link to `{href}`, which this site does not have")).with_help(
                    "fix the link in the content (write internal links as @/ paths so the build checks them)",
                ),
            );
            continue;
        };
        if let Some(anchor) = anchor.filter(|a| !a.is_empty()) {
            if !targets.ids.get(target.as_str()).is_some_and(|set| set.contains(anchor)) {
                let needle = format!("href=\"{written}\"");
                report.errors.push(
                    page.at(&needle, format!("link to `#{anchor}`, which is not an anchor on /{target}"))
                        .with_help("link to an anchor that exists, or to the page without the anchor"),
                );
            }
        }
    }
}

/// Every image on `page` needs alt text (empty for decoration).
fn check_images(page: &Page, report: &mut Report) {
    for img in page.html.select(&sel("img")) {
        if img.value().attr("alt").is_none() {
            let src = img.value().attr("src").unwrap_or_default();
            report
                .errors
                .push(page.at(&format!("src=\"{src}\""), "image without alt text".to_owned()).with_help(
                "describe the image: ![what it shows](file.png) in Markdown, or alt=\"\" if it is decoration",
            ));
        }
    }
}

/// One level-1 heading and a title on `page`; the title is gathered, to
/// find titles shared by pages (a redirect's is not its own).
fn check_heading_and_title(page: &Page, report: &mut Report, gathered: &mut Gathered) {
    let h1 = page.html.select(&sel("h1")).count();
    if h1 != 1 {
        report.errors.push(page.at("<body", format!("page has {h1} level-1 headings; it needs exactly one")).with_help(
            "headings in content start at ## (pages) or ### (sections): the page title is the only level-1 heading",
        ));
    }
    let title = page
        .html
        .select(&sel("head > title"))
        .next()
        .map(|t| t.text().collect::<String>())
        .unwrap_or_default();
    if title.trim().is_empty() {
        report.errors.push(
            page.at("<head", "page has no title".to_owned())
                .with_help("give the page a title in its front matter"),
        );
    } else if page.html.select(&sel("meta[http-equiv=refresh]")).next().is_none() {
        gathered.titles.entry(title.trim().to_owned()).or_default().push(page.shown());
    }
}

/// A warning for each title more than one page has.
fn report_shared_titles(titles: BTreeMap<String, Vec<String>>, report: &mut Report) {
    for (title, shared) in titles.into_iter().filter(|(_, pages)| pages.len() > 1) {
        report.warnings.push(
            Diagnostic::file(
                &shared[0],
                format!("{} pages share the title \"{title}\": {}", shared.len(), shared.join(", ")),
            )
            .with_help("give each page a title of its own, so readers and search engines can tell them apart")
            .warning(),
        );
    }
}

/// The URL lock holds: no published URL is gone; URLs the build adds are a warning until committed.
fn check_url_lock(root: &std::path::Path, built: &crate::pipeline::Built, report: &mut Report) {
    match crate::lock::check(root, &built.urls, false, built.site.history) {
        Ok(lock) => {
            if let Some(added) = crate::lock::describe_added(&lock.added) {
                report.warnings.push(
                    Diagnostic::file(crate::lock::LOCK_FILE, format!("the next build adds {added}"))
                        .with_help(
                            "once published, a URL must keep working: commit urls.lock with the content",
                        )
                        .warning(),
                );
            }
        }
        Err(lock) => report.errors.extend(lock),
    }
}

/// Abbreviations the content uses that the glossary neither expands nor
/// lists as left unexpanded: one warning each, at its first use.
fn unexplained_abbreviations(root: &std::path::Path, glossary: &crate::model::Glossary) -> Diagnostics {
    let known: HashSet<&str> = glossary
        .terms
        .iter()
        .flat_map(|t| std::iter::once(&t.abbreviation).chain(&t.spellings).map(String::as_str))
        .chain(glossary.unexpanded.iter().chain(&glossary.names).flat_map(|u| u.split_whitespace()))
        .collect();
    let mut found: BTreeMap<String, (Diagnostic, usize)> = BTreeMap::new();
    let content = root.join("content");
    let files = walkdir::WalkDir::new(&content).sort_by_file_name().into_iter().filter_map(Result::ok);
    for entry in files.filter(|e| e.file_type().is_file() && e.file_name() != "glossary.toml") {
        let is_text = entry.path().extension().is_some_and(|x| x == "md" || x == "toml");
        let Ok(text) = std::fs::read_to_string(entry.path()) else { continue };
        if !is_text {
            continue;
        }
        let shown = crate::diagnostics::display_path(root, entry.path());
        for (at, word) in abbreviations_in(&text) {
            // A currency code is a setting, not words on a page.
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            if known.contains(word) || text[line_start..].starts_with("currency") {
                continue;
            }
            found.entry(word.to_owned()).and_modify(|(_, more)| *more += 1).or_insert_with(|| {
                let d = Diagnostic::at(
                    &shown,
                    text.as_str(),
                    at..at + word.len(),
                    format!("`{word}` is not in the glossary"),
                );
                (d, 0)
            });
        }
    }
    found
        .into_iter()
        .map(|(word, (d, more))| {
            let also = if more > 0 { format!(" (used in {more} more places)") } else { String::new() };
            let message = format!("{}{also}", d.message);
            Diagnostic { message, ..d }
                .with_help(format!("add a [[term]] for {word} to content/glossary.toml with its expansion as the documents give it, or an [[unexpanded]] entry if they never expand it"))
                .warning()
        })
        .collect()
}

/// Words that look like abbreviations: two or more capitals (`ACDT`,
/// `L&D`), perhaps with a plural `s` (`ICSs`), as whole words, with their
/// byte offsets.
fn abbreviations_in(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if starts_word && bytes[i].is_ascii_uppercase() {
            let mut end = i;
            while end < bytes.len() && (bytes[end].is_ascii_uppercase() || bytes[end] == b'&') {
                end += 1;
            }
            if end < bytes.len() && bytes[end] == b's' {
                end += 1;
            }
            let ends_word = end >= bytes.len() || !bytes[end].is_ascii_alphanumeric();
            let capitals = text[i..end].bytes().filter(u8::is_ascii_uppercase).count();
            if ends_word && capitals >= 2 && !text[i..end].ends_with('&') {
                out.push((i, &text[i..end]));
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// Asks each external server once per URL, several at a time; a failure is
/// an error naming the first page that links there.
fn check_external(links: &[(String, String)], report: &mut Report) {
    use rayon::prelude::*;
    let mut seen = HashSet::new();
    let unique: Vec<&(String, String)> = links.iter().filter(|(_, url)| seen.insert(url.as_str())).collect();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(15)))
        .http_status_as_error(false)
        .user_agent(concat!("accord-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    // Waiting on the network, not the processor: more requests than cores.
    let pool = rayon::ThreadPoolBuilder::new().num_threads(8).build();
    let ask = || -> Vec<Diagnostic> {
        unique
            .par_iter()
            .filter_map(|(page, url)| {
                let problem = external_problem(&agent, url)?;
                Some(
                    Diagnostic::file(page.as_str(), format!("external link {url} {problem}"))
                        .with_help("check the address, or replace the link if the page has moved"),
                )
            })
            .collect()
    };
    let failures = match pool {
        Ok(pool) => pool.install(ask),
        Err(_) => ask(),
    };
    failures.into_iter().for_each(|d| report.errors.push(d));
}

/// What is wrong with `url`, if anything. Redirects are followed; a server
/// that refuses HEAD (some answer 403, 404 or 405 to it) is asked with GET.
fn external_problem(agent: &ureq::Agent, url: &str) -> Option<String> {
    let answered = |r: Result<ureq::http::Response<ureq::Body>, ureq::Error>| r.map(|r| r.status());
    let status = match answered(agent.head(url).call()) {
        Ok(s) if s.is_success() => return None,
        _ => answered(agent.get(url).call()),
    };
    match status {
        Ok(s) if s.is_success() => None,
        Ok(s) => Some(format!("answered {s}")),
        Err(e) => Some(format!("could not be reached: {e}")),
    }
}

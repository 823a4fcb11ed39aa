//! Shared helpers: copying sites, building them, reading their HTML.

use std::path::{Path, PathBuf};

use scraper::{Html, Selector};
use tempfile::TempDir;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures").join(name)
}

/// The seeds the bundled content is transcribed from (shared/seeds beside the clone).
pub fn seeds_dir() -> PathBuf {
    let dir =
        std::env::var_os("ACCORD_SEEDS").map(PathBuf::from).unwrap_or_else(|| repo().join("../shared/seeds"));
    assert!(
        dir.join("README.md").is_file(),
        "source documents not found at {}: set ACCORD_SEEDS to the seeds folder",
        dir.display()
    );
    dir
}

/// Copies a site's own files (settings, content, overrides) into a fresh folder.
pub fn copy_site(src: &Path) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in walkdir::WalkDir::new(src) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(src).unwrap();
        let top = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned());
        if !matches!(
            top.as_deref(),
            None | Some("accord.toml" | "urls.lock" | "content" | "templates" | "static")
        ) {
            continue;
        }
        let dest = dir.path().join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
    dir
}

/// Lets a copied site's content carry raw HTML (through the sanitiser), for
/// tests that plant markup Markdown cannot write: an image without alt text, say.
pub fn allow_raw_html(root: &Path) {
    let path = root.join("accord.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(path, format!("{text}\n[markdown]\nraw_html = \"sanitize\"\n")).unwrap();
}

/// The real site, built once for the whole test binary.
pub fn real_site() -> &'static BuiltSite {
    static SITE: std::sync::OnceLock<BuiltSite> = std::sync::OnceLock::new();
    SITE.get_or_init(|| BuiltSite::build(&repo()))
}

/// A built site on disk.
pub struct BuiltSite {
    _dir: Option<TempDir>,
    pub out: PathBuf,
}

impl BuiltSite {
    pub fn build(root: &Path) -> BuiltSite {
        BuiltSite::try_build(root).unwrap_or_else(|e| panic!("build of {} failed:\n{e}", root.display()))
    }

    /// The site at `root` built into a folder of its own, or its errors, rendered.
    pub fn try_build(root: &Path) -> Result<BuiltSite, String> {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        accord::build(root, &out).map_err(|e| e.render())?;
        Ok(BuiltSite { _dir: Some(dir), out })
    }

    /// A site already built at `out`.
    pub fn at(out: &Path) -> BuiltSite {
        BuiltSite { _dir: None, out: out.to_path_buf() }
    }

    pub fn exists(&self, url_path: &str) -> bool {
        self.file_for(url_path).is_file()
    }

    pub fn file_for(&self, url_path: &str) -> PathBuf {
        self.out.join(accord::paths::file_of(url_path))
    }

    pub fn page(&self, url_path: &str) -> Page {
        let path = self.file_for(url_path);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{url_path} ({}): {e}", path.display()));
        Page { html: Html::parse_document(&text) }
    }

    /// Follows every link that stays on the site: (links checked, broken ones).
    pub fn broken_internal_links(&self) -> (usize, Vec<String>) {
        let pages = self.pages();
        let ids: std::collections::HashMap<&str, Vec<String>> =
            pages.iter().map(|(u, p)| (u.as_str(), p.ids())).collect();
        let mut checked = 0;
        let mut broken = Vec::new();
        for (url, page) in &pages {
            for href in page.hrefs() {
                let (path, anchor) = match href.split_once('#') {
                    Some((p, a)) => {
                        (if p.is_empty() { url.clone() } else { p.to_owned() }, Some(a.to_owned()))
                    }
                    None => (href.clone(), None),
                };
                if !path.starts_with('/') {
                    if !(path.starts_with("https://") || path.starts_with("mailto:")) {
                        broken.push(format!("{url}: odd link {href}"));
                    }
                    continue;
                }
                checked += 1;
                if !self.exists(&path) {
                    broken.push(format!("{url}: broken link {href}"));
                } else if let (Some(anchor), Some(ids)) = (anchor, ids.get(path.as_str())) {
                    if !ids.contains(&anchor) {
                        broken.push(format!("{url}: broken anchor {href}"));
                    }
                }
            }
        }
        (checked, broken)
    }

    /// Every HTML file, as (URL path, page).
    pub fn pages(&self) -> Vec<(String, Page)> {
        walkdir::WalkDir::new(&self.out)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
            .map(|e| {
                let rel = e.path().strip_prefix(&self.out).unwrap().to_string_lossy().replace('\\', "/");
                let url = format!("/{}", rel.strip_suffix("index.html").unwrap_or(&rel));
                let text = std::fs::read_to_string(e.path()).unwrap();
                (url, Page { html: Html::parse_document(&text) })
            })
            .collect()
    }
}

pub struct Page {
    pub html: Html,
}

pub fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

impl Page {
    pub fn all(&self, selector: &str) -> Vec<scraper::ElementRef<'_>> {
        self.html.select(&sel(selector)).collect()
    }

    pub fn one(&self, selector: &str) -> scraper::ElementRef<'_> {
        let found = self.all(selector);
        assert_eq!(found.len(), 1, "expected one `{selector}`, found {}", found.len());
        found[0]
    }

    pub fn text_of(&self, selector: &str) -> String {
        normalise(&self.one(selector).text().collect::<String>())
    }

    /// Text with a space between elements (`<dt>Period</dt><dd>2022</dd>` → `Period 2022`).
    pub fn words_of(&self, selector: &str) -> String {
        normalise(&self.one(selector).text().collect::<Vec<_>>().join(" "))
    }

    pub fn has_id(&self, id: &str) -> bool {
        !self.all(&format!("[id=\"{id}\"]")).is_empty()
    }

    pub fn ids(&self) -> Vec<String> {
        self.all("[id]").iter().filter_map(|e| e.value().attr("id")).map(str::to_owned).collect()
    }

    pub fn hrefs(&self) -> Vec<String> {
        self.all("a[href]").iter().filter_map(|e| e.value().attr("href")).map(str::to_owned).collect()
    }

    pub fn links_to(&self, href: &str) -> bool {
        self.hrefs().iter().any(|h| h == href)
    }
}

/// The words of `el` the text itself has, normalised: not the links a page
/// adds to its parts (an item's "Link", a paragraph's "¶ 5") nor a
/// version's notes on what changed later.
pub fn own_words(el: scraper::ElementRef) -> String {
    let words = el.descendants().filter_map(|n| {
        let added = n
            .ancestors()
            .filter_map(scraper::ElementRef::wrap)
            .any(|e| e.value().classes().any(|c| matches!(c, "self-link" | "para-link" | "para-note")));
        n.value().as_text().filter(|_| !added).map(|t| t.to_string())
    });
    normalise(&words.collect::<String>())
}

/// Collapses runs of whitespace (including no-break spaces) to single spaces.
pub fn normalise(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

impl Page {
    pub fn links_to_stylesheet(&self, href: &str) -> bool {
        self.all("link[rel=stylesheet]").iter().any(|l| l.value().attr("href") == Some(href))
    }
}

impl Page {
    pub fn links_to_prefix(&self, prefix: &str) -> bool {
        self.hrefs().iter().any(|h| h.starts_with(prefix))
    }
}

/// Every file under `dir`, relative to it.
pub fn files_under(dir: &std::path::Path) -> std::collections::BTreeSet<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_path_buf())
        .collect()
}

/// Asserts the `pagefind/` folder under `public` is, file for file and byte
/// for byte, the bundle Pagefind makes from nothing for `site`: builds and
/// `accord serve` let Pagefind keep the files it wrote before.
pub fn assert_same_bundle(site: &std::path::Path, public: &std::path::Path) {
    let fresh = accord::pipeline::build_in_memory(site).unwrap();
    let expected: std::collections::BTreeMap<std::path::PathBuf, &[u8]> = fresh
        .files
        .iter()
        .filter(|f| f.path.starts_with("pagefind/"))
        .map(|f| (std::path::PathBuf::from(&f.path), f.bytes.as_slice()))
        .collect();
    let written: Vec<std::path::PathBuf> =
        files_under(public).into_iter().filter(|p| p.starts_with("pagefind")).collect();
    assert_eq!(written, expected.keys().cloned().collect::<Vec<_>>());
    for (path, bytes) in expected {
        assert!(std::fs::read(public.join(&path)).unwrap() == bytes, "{} differs", path.display());
    }
}

/// Builds the site at `root` into `out`, which may hold an earlier build; panics with the errors if it fails.
pub fn build_into(root: &Path, out: &Path) -> accord::BuildReport {
    accord::build(root, out).unwrap_or_else(|e| panic!("build of {} failed:\n{}", root.display(), e.render()))
}

/// Rewrites one file of a site, as many editors save: written beside it, then renamed over it.
pub fn edit(root: &Path, rel: &str, f: impl FnOnce(String) -> String) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let saving = path.with_extension("saving");
    std::fs::write(&saving, f(text)).unwrap();
    std::fs::rename(saving, path).unwrap();
}

/// A copy of the site at `src` with `edit` applied, built: its errors, rendered.
pub fn build_errors(src: &Path, edit: impl FnOnce(&Path)) -> String {
    let site = copy_site(src);
    edit(site.path());
    let out = tempfile::tempdir().unwrap();
    accord::build(site.path(), &out.path().join("public"))
        .expect_err("the broken site must not build")
        .render()
}

/// Runs git in `dir` as a made-up editor, committing at `date`
/// (`2026-01-05`, taken as noon UTC, or a whole `2026-01-05T10:00:00Z`).
pub fn git(dir: &Path, args: &[&str], date: &str) {
    let date = if date.contains('T') { date.to_owned() } else { format!("{date}T12:00:00Z") };
    let out = std::process::Command::new("git")
        .args(["-c", "user.name=Made-up Editor", "-c", "user.email=editor@fixture.example"])
        .args(["-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

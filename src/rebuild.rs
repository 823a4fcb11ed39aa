//! Rebuilding a site that is already built: what `accord serve` does on every save.
//!
//! Content is loaded and resolved again in full (the only way to be sure
//! every cross-reference is right; each text's Markdown is rendered again
//! only if it changed, see [`markdown::Cache`]), but a page is rendered only when
//! a hash of everything it is made from has changed, and only files whose
//! bytes changed are written. An edit to one item therefore re-renders that
//! item's page and the pages that list, relate to or link to it; an edit to
//! a template re-renders the pages that use it; nothing else is touched.
//! An edit can be shown on many pages, though: an item's first sentence is
//! its summary wherever it is listed, so on a large site one such edit
//! re-renders thousands of pages; and finding which pages changed means
//! hashing the data of every page. So when the changed files are
//! content with pages of their own, as an editor's save is, those pages
//! alone are brought up to date before the open browsers (which go to the
//! edited page, as with `hugo server`) reload; the rest of the site follows
//! with [`Session::refresh_pages`], before the site's data.
//! What grows with the whole site is refreshed in separate steps, after the
//! reload, so open browsers need not wait for it: the search index, on a
//! thread of its own while the rest of the pages are rendered (a shard is
//! indexed on one core, so it should not wait for the other pages that show
//! an edited item; those render on threads of lower priority, leaving the
//! index a core to itself), then the site's data (feeds, open data,
//! citations, each page's JSON, which grow with the whole site, made again
//! in full and compared by bytes).

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::progress::{Progress, ProgressBar};
use crate::render::{OutputFile, Theme};
use crate::{pipeline, search, write};

/// What one rebuild did, for the line `accord serve` prints.
#[derive(Debug)]
pub struct Rebuilt {
    pub site: Site,
    /// Pages the site has, and how many of them were rendered.
    pub pages: usize,
    pub rendered: usize,
    /// Whether only the edited files' pages were brought up to date, the
    /// rest of the site left for [`Session::refresh_pages`].
    pub rest_to_follow: bool,
    /// Files written (changed or new) and files removed.
    pub written: usize,
    pub removed: usize,
    pub elapsed: Duration,
    /// Where that time went: loading the content, resolving it, and
    /// planning, rendering and writing the pages.
    pub stages: Vec<(&'static str, Duration)>,
}

/// What bringing the whole site's pages up to date did.
struct Updated {
    pages: usize,
    rendered: usize,
    written: usize,
    removed: usize,
}

/// A built site kept up to date: the output folder and what each of its files was made from.
pub struct Session {
    root: PathBuf,
    out: PathBuf,
    /// Rewrites each HTML page before it is written (`accord serve` adds its reload script).
    finish_page: fn(&mut OutputFile),
    /// Whether long work shows its progress on a terminal (see [`Session::showing_progress`]).
    progress: bool,
    /// What the last save's preparation kept for this one (the theme, files read, Markdown).
    kept: pipeline::Cache,
    /// Output file → fingerprint of the inputs of the page written there.
    pages: HashMap<String, u64>,
    /// Output file → hash of its bytes, for the static files.
    files: HashMap<String, u128>,
    /// Output file → hash of its bytes, for the site's data (see [`Session::refresh_data`]).
    data: HashMap<String, u128>,
    /// Whether the last rebuild left the rest of the pages for [`Session::refresh_pages`].
    rest_to_follow: bool,
    search: SearchState,
    /// Where the rest of the pages render while the search index is made:
    /// threads that yield their cores to the index's (see [`yielding_pool`]).
    /// Made on first use.
    background: Option<rayon::ThreadPool>,
}

/// How many times smaller the shards of the search index `accord serve`
/// keeps are than a built site's (`records_per_shard`, 2,000 by default).
/// An edit re-indexes the whole of the shard its page is in, on one core,
/// so the shard's size is the wait for the index after each save. A built
/// site's shards stay as large as the
/// site asks, because a reader's first query downloads a piece of every
/// shard; a preview is read on this machine, where that costs nothing. The
/// same pages are found either way, though their order can differ a little
/// (each shard ranks its pages with its own word counts).
const SERVE_SHARDS_SMALLER_BY: usize = 4;

/// The search index a session keeps up to date, apart from the rest of the
/// session so that it can be refreshed while the pages are.
#[derive(Default)]
struct SearchState {
    /// Hash of the search records the index was last built from.
    records: Option<u64>,
    /// The bundle's files in the output folder.
    files: HashSet<String>,
    /// Where Pagefind writes the bundle, keeping files it already wrote; made on first use.
    work: Option<tempfile::TempDir>,
}

impl Session {
    pub fn new(root: &Path, out: &Path, finish_page: fn(&mut OutputFile)) -> Session {
        Session {
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            finish_page,
            progress: false,
            kept: pipeline::Cache::between_rebuilds(),
            pages: HashMap::new(),
            files: HashMap::new(),
            data: HashMap::new(),
            rest_to_follow: false,
            search: SearchState::default(),
            background: None,
        }
    }

    /// Shows the progress of long rebuilds on standard error, if it is a terminal.
    pub fn showing_progress(self) -> Session {
        Session { progress: true, ..self }
    }

    /// Brings the output folder's pages and static files up to date after
    /// `changed` (paths relative to the root; empty on the first build); the
    /// site's data and search index follow with [`Session::refresh_data`] and
    /// [`Session::refresh_search`]. If the changed files are content with
    /// pages of their own, only those pages are, and the rest follow with
    /// [`Session::refresh_pages`] (see the module's essay). On error the
    /// folder is left as it was.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Rebuilt, Diagnostics> {
        let start = Instant::now();
        let theme_changed = self.kept.forget(&self.root, changed);
        let mut stages = Vec::new();
        let progress = Progress::new(self.progress);
        let checking = progress.working("Checking the content");
        let (site, theme) = pipeline::prepare(&self.root, &mut stages, |_| {}, &mut self.kept)?;
        checking.finish_and_clear();
        let first = match !self.pages.is_empty() && !theme_changed {
            true => edited_pages(&site, changed),
            false => HashSet::new(),
        };
        let updated = pipeline::timed(&mut stages, "pages", || match first.is_empty() {
            true => self.update(&site, &theme, &progress),
            false => self.update_first(&site, &theme, &first),
        });
        self.kept.theme = Some(theme);
        let updated = updated?;
        self.rest_to_follow = !first.is_empty();
        Ok(Rebuilt {
            pages: updated.pages,
            rendered: updated.rendered,
            rest_to_follow: self.rest_to_follow,
            written: updated.written,
            removed: updated.removed,
            elapsed: start.elapsed(),
            stages,
            site,
        })
    }

    /// Brings every page and static file up to date: renders the pages
    /// whose fingerprint changed, writes the static files whose bytes did,
    /// and removes what the site no longer makes.
    fn update(&mut self, site: &Site, theme: &Theme, progress: &Progress) -> Result<Updated, Diagnostics> {
        let mut plan = pipeline::plan(site, theme)?;
        plan.defer_site_data();
        let fingerprints = plan.fingerprints(site, theme);
        let stale: Vec<bool> =
            fingerprints.iter().map(|(file, fp)| self.pages.get(file) != Some(fp)).collect();
        let rendered = stale.iter().filter(|s| **s).count();
        let done = progress.stage("Rendering pages", rendered);
        let made = plan.render(site, theme, |i| stale[i], &done)?;
        done.finish_and_clear();

        // Static files are compared by their bytes.
        let mut outputs = made.pages;
        let mut file_hashes = HashMap::new();
        for file in made.others {
            let hash = write::content_hash(&file.bytes);
            let changed = self.files.get(&file.path) != Some(&hash);
            file_hashes.insert(file.path.clone(), hash);
            if changed {
                outputs.push(file);
            }
        }
        self.finish(&mut outputs);

        let all: HashSet<&str> = fingerprints
            .iter()
            .map(|(f, _)| f.as_str())
            .chain(file_hashes.keys().map(String::as_str))
            .collect();
        let removed: Vec<String> = self
            .pages
            .keys()
            .chain(self.files.keys())
            .filter(|f| !all.contains(f.as_str()))
            .cloned()
            .collect();
        if self.pages.is_empty() {
            write::write_site(&self.root, &self.out, &outputs)?;
            self.data.clear();
        } else {
            write::update_in_place(&self.out, &outputs, &removed)?;
        }
        let pages = fingerprints.len();
        self.pages = fingerprints.into_iter().collect();
        self.files = file_hashes;
        Ok(Updated { pages, rendered, written: outputs.len(), removed: removed.len() })
    }

    /// Brings the pages written to the `first` files up to date, and no
    /// other: the rest of the site is left for [`Session::refresh_pages`].
    fn update_first(
        &mut self,
        site: &Site,
        theme: &Theme,
        first: &HashSet<String>,
    ) -> Result<Updated, Diagnostics> {
        let mut plan = pipeline::plan(site, theme)?;
        plan.defer_site_data();
        let wanted: Vec<bool> = plan.paths().map(|file| first.contains(file)).collect();
        let stale: Vec<(usize, String, u64)> = plan
            .fingerprints_where(site, theme, |i| wanted[i])
            .into_iter()
            .filter(|(_, file, fp)| self.pages.get(file) != Some(fp))
            .collect();
        let rendering: HashSet<usize> = stale.iter().map(|(i, _, _)| *i).collect();
        let pages = plan.pages();
        // The static files are brought up to date with the rest.
        let mut outputs = plan.render(site, theme, |i| rendering.contains(&i), &ProgressBar::hidden())?.pages;
        self.finish(&mut outputs);
        write::update_in_place(&self.out, &outputs, &[])?;
        self.pages.extend(stale.into_iter().map(|(_, file, fp)| (file, fp)));
        Ok(Updated { pages, rendered: outputs.len(), written: outputs.len(), removed: 0 })
    }

    /// Runs `finish_page` on each HTML page about to be written.
    fn finish(&self, outputs: &mut [OutputFile]) {
        outputs.iter_mut().filter(|f| f.path.ends_with(".html")).for_each(self.finish_page);
    }

    /// Brings the rest of the pages up to date after a [`Session::rebuild`]
    /// that left them ([`Rebuilt::rest_to_follow`]), with its site. Returns
    /// how long that took and how many pages it rendered, or `None` if there
    /// was nothing to do.
    pub fn refresh_pages(&mut self, site: &Site) -> Result<Option<(Duration, usize)>, Diagnostics> {
        if !std::mem::take(&mut self.rest_to_follow) {
            return Ok(None);
        }
        let start = Instant::now();
        let Some(theme) = self.kept.theme.take() else { return Ok(None) };
        let updated = self.update(site, &theme, &Progress::new(self.progress));
        self.kept.theme = Some(theme);
        let updated = updated?;
        Ok((updated.written + updated.removed > 0).then(|| (start.elapsed(), updated.rendered)))
    }

    /// Makes the site's data again (feeds, open data, citations, each page's
    /// data) and writes the files whose bytes changed, removing those no
    /// longer made. Returns how long that took, or `None` if every file was
    /// already up to date. Call after [`Session::rebuild`], with its site.
    pub fn refresh_data(&mut self, site: &Site) -> Result<Option<Duration>, Diagnostics> {
        let start = Instant::now();
        let Some(theme) = &self.kept.theme else { return Ok(None) };
        let mut plan = pipeline::plan(site, theme)?;
        // Each file is written as soon as it is made and found changed, so
        // only one is held at a time.
        let (mut hashes, mut written) = (HashMap::new(), 0);
        plan.take_rest().site_data().each_in_memory(|file| {
            let hash = write::content_hash(&file.bytes);
            if self.data.get(&file.path) != Some(&hash) {
                write::update_in_place(&self.out, std::slice::from_ref(&file), &[])?;
                written += 1;
            }
            hashes.insert(file.path, hash);
            Ok(())
        })?;
        let removed: Vec<String> = self.data.keys().filter(|f| !hashes.contains_key(*f)).cloned().collect();
        write::update_in_place(&self.out, &[], &removed)?;
        self.data = hashes;
        Ok((written + removed.len() > 0).then(|| start.elapsed()))
    }

    /// Rebuilds the search index if the searchable text changed. Returns how
    /// long that took, or `None` if the index was already up to date.
    pub fn refresh_search(&mut self, site: &Site) -> Result<Option<Duration>, Diagnostics> {
        self.search.refresh(site, &self.out)
    }

    /// [`Session::refresh_pages`] and [`Session::refresh_search`] at once,
    /// the index on a thread of its own (see the module's essay); each
    /// result as those give it, each time from the start of both.
    pub fn refresh_pages_and_search(&mut self, site: &Site) -> Refreshed {
        let mut search = std::mem::take(&mut self.search);
        let out = self.out.clone();
        let background = self.background.take().or_else(yielding_pool);
        let (pages, searched) = std::thread::scope(|scope| {
            let indexing = scope.spawn(|| search.refresh(site, &out));
            let pages = match &background {
                Some(pool) => pool.install(|| self.refresh_pages(site)),
                None => self.refresh_pages(site),
            };
            (pages, indexing.join())
        });
        self.search = search;
        self.background = background;
        let search = searched.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        Refreshed { pages, search }
    }
}

/// What [`Session::refresh_pages_and_search`] did: the rest of the pages
/// (how long, how many rendered), and the search index (how long), each
/// `None` if it was already up to date.
pub struct Refreshed {
    pub pages: Result<Option<(Duration, usize)>, Diagnostics>,
    pub search: Result<Option<Duration>, Diagnostics>,
}

impl SearchState {
    /// Rebuilds the index in `out` if the searchable text changed (see
    /// [`Session::refresh_search`]).
    fn refresh(&mut self, site: &Site, out: &Path) -> Result<Option<Duration>, Diagnostics> {
        let start = Instant::now();
        let records = search::records(site);
        let hash = {
            let mut hasher = twox_hash::XxHash3_64::default();
            (&records, &site.config.language).hash(&mut hasher);
            hasher.finish()
        };
        if self.records == Some(hash) {
            return Ok(None);
        }
        let work = match &self.work {
            Some(work) => work.path(),
            None => self.work.insert(search_work_folder()?).path(),
        };
        let per_shard = (site.config.records_per_shard / SERVE_SHARDS_SMALLER_BY).max(1);
        let bundle = search::write_records(
            records,
            &site.config.language,
            per_shard,
            work,
            None,
            &ProgressBar::hidden(),
        )?;
        let now: HashSet<String> = bundle.paths.iter().cloned().collect();
        // A content-named file already served has the same bytes, so only
        // the few new ones are copied.
        let changed = bundle
            .paths
            .iter()
            .filter(|p| !self.files.contains(*p) || !search::is_content_named(p))
            .map(|p| match std::fs::read(work.join(p)) {
                Ok(bytes) => Ok(OutputFile { path: p.clone(), bytes }),
                Err(e) => Err(Diagnostic::file(work.join(p), format!("cannot read the search bundle: {e}"))),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let removed: Vec<String> = self.files.difference(&now).cloned().collect();
        write::update_in_place(out, &changed, &removed)?;
        for file in &removed {
            let _ = std::fs::remove_file(work.join(file));
        }
        self.records = Some(hash);
        self.files = now;
        Ok(Some(start.elapsed()))
    }
}

/// The output files of the pages the `changed` files render (see [`Site::page_of`]).
fn edited_pages(site: &Site, changed: &[PathBuf]) -> HashSet<String> {
    let base = site.config.base_path.trim_end_matches('/');
    changed
        .iter()
        .filter_map(|p| site.page_of(p))
        .map(|url| {
            let path = url.as_str().split('#').next().unwrap_or_default();
            crate::paths::file_of(path.strip_prefix(base).unwrap_or(path))
        })
        .collect()
}

/// A thread pool, one thread a core, whose threads run at a lower priority
/// than the rest of the process (ten steps of `nice`), for the pages rendered after
/// the reload. Pagefind indexes a shard on one core; when the other pages
/// that show an edited item rendered on both cores beside it, the index
/// had a core only part of the time. With these threads, the index has a
/// core to itself while it runs and the pages have what is left, then
/// both cores. Lowering a thread's own priority needs no privilege; on a
/// system that refuses, or one other than Linux (where `setpriority` would
/// lower the whole process's), the threads run as any other; `None` if the pool
/// cannot be made (the pages then render on the global pool).
fn yielding_pool() -> Option<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("accord-pages-{i}"))
        .start_handler(|_| lower_this_threads_priority())
        .build()
        .ok()
}

/// Ten steps of `nice` below the thread that starts it (at most 19, the lowest).
#[cfg(target_os = "linux")]
fn lower_this_threads_priority() {
    use rustix::process::{getpriority_process, setpriority_process};
    // On Linux a thread's priority is its own (`None` is the calling thread).
    if let Ok(now) = getpriority_process(None) {
        let _ = setpriority_process(None, (now + 10).min(19));
    }
}

#[cfg(not(target_os = "linux"))]
fn lower_this_threads_priority() {}

fn search_work_folder() -> Result<tempfile::TempDir, Diagnostic> {
    tempfile::Builder::new().prefix("accord-search-").tempdir().map_err(|e| {
        Diagnostic::file("pagefind", format!("cannot create a folder for the search index: {e}"))
            .with_help("check the system's temporary folder exists and has space")
    })
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use rustix::process::getpriority_process;

    #[test]
    fn the_pages_after_a_reload_render_on_threads_that_yield_to_the_search_index() {
        let here = getpriority_process(None).unwrap();
        let pool = super::yielding_pool().expect("a thread pool");
        let theirs = pool.broadcast(|_| getpriority_process(None).unwrap());
        assert!(here < 19, "the test runs at the lowest priority already; nothing to lower");
        assert!(theirs.iter().all(|p| *p == (here + 10).min(19)), "{here} here, {theirs:?} in the pool");
        assert_eq!(getpriority_process(None).unwrap(), here, "the calling thread keeps its priority");
    }
}

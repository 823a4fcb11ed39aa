//! The build as a recipe: load → resolve → render → write, each step timed.
//!
//! Each step takes values and returns values; a step that finds problems
//! returns all of them and the build stops. Pages are written as they render,
//! but into a staging folder: nothing reaches the output folder unless the
//! whole build succeeds.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::{Config, CONFIG_FILE};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::progress::{Progress, ProgressBar};
use crate::render::{self, OutputFile};
use crate::{load, lock, markdown, resolve, search, write};

/// What a successful build did, for the summary line.
#[derive(Debug)]
pub struct BuildReport {
    pub output: PathBuf,
    pub pages: usize,
    pub files: usize,
    pub search_records: usize,
    pub search_index_bytes: usize,
    /// Shards of the search index, and how many were indexed (the rest kept).
    pub search_shards: usize,
    pub search_shards_indexed: usize,
    /// Problems the build went on past, with file and line.
    pub warnings: Diagnostics,
    /// What was repaired or cleaned up from an earlier build that did not finish.
    pub notices: Vec<String>,
    /// Stage times; the page stages are summed over threads, so they overlap.
    pub timings: Vec<(&'static str, Duration)>,
    /// Wall-clock time of the whole build.
    pub total: Duration,
}

/// A site built in memory: the model and every output file.
pub struct Built {
    pub site: Site,
    pub files: Vec<OutputFile>,
    /// The site path of every page: the public URLs, for the URL lock.
    pub urls: std::collections::BTreeSet<String>,
    pub search_records: usize,
    pub search_index_bytes: usize,
    pub timings: Vec<(&'static str, Duration)>,
}

/// Runs `f`, noting how long it took as `stage`.
pub fn timed<T>(
    timings: &mut Vec<(&'static str, Duration)>,
    stage: &'static str,
    f: impl FnOnce() -> T,
) -> T {
    let start = Instant::now();
    let value = f();
    timings.push((stage, start.elapsed()));
    value
}

/// Loads and resolves the site without rendering: the model alone, for
/// commands that analyse content (`accord suggest`).
pub fn resolve_site(root: &Path) -> Result<Site, Diagnostics> {
    prepare(root, &mut Vec::new(), |_| {}, &mut Cache::default()).map(|(site, _)| site)
}

/// Resolves what was loaded, even after load errors: the files that did load
/// are checked too, so one run reports everything. `ids` are the ids the
/// theme's templates put on each kind of page.
fn resolve_loaded(
    config: Config,
    (raw, mut diags): (load::RawSite, Diagnostics),
    ids: &resolve::TemplateIds,
    markdown: Option<&Arc<markdown::Cache>>,
) -> Result<Site, Diagnostics> {
    match resolve::resolve(config, raw, ids, markdown) {
        Ok(site) if diags.is_empty() => Ok(site),
        Ok(_) => Err(diags),
        Err(more) => {
            diags.extend(more);
            Err(diags)
        }
    }
}

/// Everything except writing: used by `build` and by tests that inspect output.
pub fn build_in_memory(root: &Path) -> Result<Built, Diagnostics> {
    build_in_memory_with(root, |_| {}, &Progress::hidden())
}

/// Like [`build_in_memory`], with the settings adjusted first (`accord check`
/// turns minification off so findings have useful line numbers).
pub fn build_in_memory_with(
    root: &Path,
    adjust: impl FnOnce(&mut Config),
    progress: &Progress,
) -> Result<Built, Diagnostics> {
    let mut timings = Vec::new();
    let checking = progress.working("Checking the content");
    let (site, theme) = prepare(root, &mut timings, adjust, &mut Cache::default())?;
    checking.finish_and_clear();
    let plan = timed(&mut timings, "plan", || plan(&site, &theme))?;
    let urls = plan.urls();
    let pages_done = progress.stage("Rendering pages", plan.pages());
    let rendered = timed(&mut timings, "render", || plan.render(&site, &theme, |_| true, &pages_done))?;
    let mut files = rendered.pages;
    files.extend(rendered.others);
    pages_done.finish_and_clear();
    let shards_done = progress.stage("Indexing for search", 0);
    let bundle = timed(&mut timings, "search index", || search::build_bundle(&site, &shards_done))?;
    shards_done.finish_and_clear();
    files.extend(bundle.files);
    Ok(Built {
        site,
        files,
        urls,
        search_records: bundle.records,
        search_index_bytes: bundle.index_bytes,
        timings,
    })
}

/// A change to a file under these folders (or to the settings) means templates
/// or static files may differ, so the theme is loaded again.
pub const THEME_INPUTS: &[&str] = &["templates", "themes", "static"];

/// What one [`prepare`] keeps for the next: the theme, the content's
/// last-changed dates, the content files read and each text's rendered
/// Markdown. A build starts from nothing kept; `accord serve` keeps one
/// between saves and says what each save changed ([`Cache::forget`]), so a
/// save costs what changed, not the whole site, by the same recipe.
#[derive(Default)]
pub struct Cache {
    pub(crate) theme: Option<render::Theme>,
    dates: Option<load::Dates>,
    files: Option<load::FilesRead>,
    markdown: Option<Arc<markdown::Cache>>,
}

impl Cache {
    /// Keeps what can be kept from one preparation to the next (what `accord serve` does).
    pub fn between_rebuilds() -> Cache {
        Cache { files: Some(load::FilesRead::default()), markdown: Some(Arc::default()), ..Cache::default() }
    }

    /// Forgets what the `changed` files (relative to `root`) may have made
    /// stale. Returns whether the theme was among them.
    pub fn forget(&mut self, root: &Path, changed: &[PathBuf]) -> bool {
        let theme_changed = changed
            .iter()
            .any(|p| p == Path::new(CONFIG_FILE) || THEME_INPUTS.iter().any(|d| p.starts_with(d)));
        if theme_changed {
            self.theme = None;
        }
        for path in changed {
            if let Some(dates) = &mut self.dates {
                dates.forget(path);
            }
            if let Some(files) = &self.files {
                files.forget(&root.join(path));
            }
        }
        theme_changed
    }
}

/// Settings, content and theme, loaded and resolved: what every page is
/// made from, the one way every output (build, check, serve) gets it. Every
/// problem is reported at once: content is checked against the ids the
/// theme's templates write before they are compiled, so a template that
/// does not compile hides no content error (and a theme that cannot be read
/// at all is stood in for by the built-in theme's ids).
pub fn prepare(
    root: &Path,
    timings: &mut Vec<(&'static str, Duration)>,
    adjust: impl FnOnce(&mut Config),
    cache: &mut Cache,
) -> Result<(Site, render::Theme), Diagnostics> {
    let mut config = timed(timings, "config", || Config::load(root))?;
    adjust(&mut config);
    // A theme kept from the last save is compiled already; otherwise its
    // files are read with the content, and compiled once it is resolved.
    let (theme, loaded) = timed(timings, "load", || {
        let theme = match cache.theme.take() {
            Some(theme) => Ok(ThemeSoFar::Compiled(Box::new(theme))),
            None => load::theme::read_theme(root, &config.theme, CONFIG_FILE).map(ThemeSoFar::Read),
        };
        // Dates come from git; a rebuild asks once and is told what changed.
        let dates = match cache.files {
            Some(_) => cache.dates.get_or_insert_with(|| load::Dates::read(root)).clone(),
            None => load::Dates::read(root),
        };
        (theme, load::load_content_kept(root, dates, cache.files.as_ref()))
    });
    let ids = match &theme {
        Ok(ThemeSoFar::Compiled(theme)) => theme.ids.clone(),
        Ok(ThemeSoFar::Read(files)) => files.page_ids(),
        Err(_) => {
            load::theme::read_theme(root, "default", CONFIG_FILE).map(|f| f.page_ids()).unwrap_or_default()
        }
    };
    let ids = resolve::TemplateIds::new(ids);
    let site = timed(timings, "resolve", || resolve_loaded(config, loaded, &ids, cache.markdown.as_ref()));
    let theme = theme.and_then(|theme| match theme {
        ThemeSoFar::Compiled(theme) => Ok(*theme),
        ThemeSoFar::Read(files) => timed(timings, "templates", || render::compile_theme(files)),
    });
    match (site, theme) {
        (Ok(site), Ok(theme)) => Ok((site, theme)),
        (site, theme) => {
            let mut diags = site.err().unwrap_or_default();
            match theme {
                Ok(theme) => cache.theme = Some(theme),
                Err(theme) => diags.extend(theme),
            }
            Err(diags)
        }
    }
}

/// The theme as [`prepare`] first has it: compiled, kept from the last
/// save, or its files just read, to compile once the content is resolved.
enum ThemeSoFar {
    Compiled(Box<render::Theme>),
    Read(load::theme::ThemeFiles),
}

/// Every file the site is made of, its pages queued: what every output
/// (a build, `accord check`, `accord serve`'s rebuilds) renders from.
pub fn plan<'a>(site: &'a Site, theme: &render::Theme) -> Result<render::Plan<'a>, Diagnostics> {
    let plan = render::plan_site(site, theme);
    check_unique_paths(plan.paths())?;
    Ok(plan)
}

/// Two outputs at one path would silently lose a page (an alias naming a live URL, say).
fn check_unique_paths<'a>(paths: impl IntoIterator<Item = &'a str>) -> Result<(), Diagnostics> {
    let mut seen = std::collections::HashSet::new();
    let mut diags = Diagnostics::default();
    for path in paths {
        if !seen.insert(path) {
            diags.push(Diagnostic::file(path, "two pages would be written to this path").with_help(
                "an alias or withdrawn URL names a page that still exists; remove that alias or withdrawal",
            ));
        }
    }
    diags.into_result()
}

/// How a build treats the URL lock.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildOptions {
    /// Fail, rather than update `urls.lock`, when the set of public URLs changes (for CI).
    pub locked: bool,
    /// Show the build's progress on standard error, if it is a terminal (the command line does).
    pub progress: bool,
}

/// Builds the site at `root` into `output`, replacing it only on success.
pub fn build(root: &Path, output: &Path) -> Result<BuildReport, Diagnostics> {
    build_with(root, output, BuildOptions::default())
}

pub fn build_with(root: &Path, output: &Path, options: BuildOptions) -> Result<BuildReport, Diagnostics> {
    let started = Instant::now();
    let progress = Progress::new(options.progress);
    let mut timings = Vec::new();
    let checking = progress.working("Checking the content");
    let (mut site, theme) = prepare(root, &mut timings, |_| {}, &mut Cache::default())?;
    checking.finish_and_clear();
    let plan = timed(&mut timings, "plan", || plan(&site, &theme))?;
    let planned: Vec<String> = plan.paths().map(str::to_owned).collect();
    let lock =
        timed(&mut timings, "url lock", || lock::check(root, &plan.urls(), options.locked, site.history))?;
    let search_files = write::HashNamed { folder: search::BUNDLE_DIR, is: search::is_content_named };
    let staging = write::Staging::open(root, output, Some(search_files))?;
    let (bundle, others) =
        write_everything(&site, &theme, plan, &staging, &planned, &mut timings, &progress)?;
    drop(progress);
    let finish = Instant::now();
    let notices = staging.notices.clone();
    let mut written = planned;
    written.extend(bundle.paths);
    written.extend(others);
    staging.finish(written.iter().map(String::as_str))?;
    timings.push(("finish", finish.elapsed()));
    let mut notices = notices;
    if !site.history {
        notices.push(
            "the content's git history is not available (not a git checkout, a shallow clone, or git is missing): each item's current text is published as its only version, and earlier versions' URLs stay in urls.lock for a build that has the history".to_owned(),
        );
    }
    if lock.changed {
        lock::write(root, &lock.new_contents)?;
        if let Some(added) = lock::describe_added(&lock.added) {
            notices.push(format!("{} records {added}", lock::LOCK_FILE));
        }
    }
    let warnings = std::mem::take(&mut site.warnings);
    // Freeing a large site's model takes tens of milliseconds the build has
    // no need to wait for (a command-line build exits without waiting at all).
    std::thread::spawn(move || drop((site, theme)));
    Ok(BuildReport {
        output: output.to_path_buf(),
        pages: written.iter().filter(|p| p.ends_with(".html")).count(),
        files: written.len(),
        search_records: bundle.records,
        search_index_bytes: bundle.index_bytes,
        search_shards: bundle.shards,
        search_shards_indexed: bundle.shards_indexed,
        warnings,
        notices,
        timings,
        total: started.elapsed(),
    })
}

/// Pages render on every core and go to disk as each is ready, after feeds
/// and open data, while the search index's shards are built and written
/// alongside, one per core at a time. Returns the search bundle and the
/// paths of files written that the plan did not name.
fn write_everything(
    site: &Site,
    theme: &render::Theme,
    mut plan: render::Plan,
    staging: &write::Staging,
    planned: &[String],
    timings: &mut Vec<(&'static str, Duration)>,
    progress: &Progress,
) -> Result<(search::WrittenBundle, Vec<String>), Diagnostics> {
    let all = Instant::now();
    let rest = plan.take_rest();
    let (pages_done, shards_done) =
        (progress.stage("Rendering pages", plan.pages()), progress.stage("Indexing for search", 0));
    let data_done = progress.counter("Writing feeds and open data", "files");
    // Feeds and open data are made first where a core is free (the pages
    // wait for them when there is none): their buffers, which grow with the
    // site, are then freed before the search index reaches its largest
    // rather than adding to it at the build's peak of memory.
    //
    // A pool of this build's own, so that builds side by side (the tests)
    // never run each other's pages. The search index is not in it: it
    // drives Pagefind from threads of its own (see `search`).
    let pool = rayon::ThreadPoolBuilder::new()
        .build()
        .map_err(|e| Diagnostic::file(".", format!("cannot start the build's threads: {e}")))?;
    let ((others, pages), bundle) = std::thread::scope(|scope| {
        let search = scope.spawn(|| {
            let start = Instant::now();
            let bundle = search::write_bundle(site, staging.dir(), Some(staging.output()), &shards_done);
            shards_done.finish_and_clear();
            bundle.map(|bundle| (bundle, start.elapsed()))
        });
        let pages = pool.install(|| {
            rayon::join(
                || {
                    let start = Instant::now();
                    let others = write_the_rest(staging, planned, rest, &data_done);
                    data_done.finish_and_clear();
                    others.map(|others| (others, start.elapsed()))
                },
                || {
                    let pages = plan.render_each(
                        site,
                        theme,
                        |_| true,
                        |_, file| {
                            staging.write(&file)?;
                            pages_done.inc(1);
                            Ok(())
                        },
                    );
                    pages_done.finish_and_clear();
                    pages
                },
            )
        });
        let bundle = search.join().unwrap_or_else(|_| {
            Err(Diagnostic::file(search::BUNDLE_DIR, "the search index's builder stopped unexpectedly")
                .with_help(
                    "this is a bug in accord or Pagefind; please report it with the content that triggers it",
                ))
        });
        (pages, bundle)
    });
    let ((_, page_times), (bundle, search_time), (others, rest_time)) = (pages?, bundle?, others?);
    timings.push(("pages, search and the rest together", all.elapsed()));
    timings.extend(page_times.stages());
    timings.push(("search index", search_time));
    timings.push(("feeds and open data", rest_time));
    Ok((bundle, others))
}

/// Writes the files made without a page template (feeds and open data are
/// made now, one group at a time). Returns the paths of those `planned`
/// does not already name.
fn write_the_rest(
    staging: &write::Staging,
    planned: &[String],
    rest: render::NonPageFiles,
    done: &ProgressBar,
) -> Result<Vec<String>, Diagnostic> {
    // The plan already named the static files among these.
    let known: std::collections::HashSet<&str> = planned.iter().map(String::as_str).collect();
    let mut others = Vec::new();
    let mut streamed = Vec::new();
    rest.for_each(
        |file| {
            if !known.contains(file.path.as_str()) {
                others.push(file.path.clone());
            }
            done.inc(1);
            staging.write(&file)
        },
        |file| {
            streamed.push(file.path.clone());
            done.inc(1);
            staging.write_streamed(file)
        },
    )?;
    // The plan names no streamed file (they are made only when written).
    others.extend(streamed);
    Ok(others)
}

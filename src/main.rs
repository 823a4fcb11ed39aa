//! The `accord` command line: parses flags, runs a command, sets the exit status.

use std::path::PathBuf;
use std::process::ExitCode;

/// Prints a line; a closed pipe (`accord build | head -1`) is not an error worth a panic.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

use clap::{Parser, Subcommand};

/// A build allocates on every core at once (page data, templates, the
/// minifier, the search index), where glibc's allocator spent much of its
/// time; mimalloc is built for that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "accord", version, about = "Build the National Partnership Agreements site")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder (replaced only if the build succeeds)
    Build {
        /// The site folder, holding accord.toml and content/
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: ROOT/public]
        #[arg(long)]
        output: Option<PathBuf>,
        /// Fail instead of updating urls.lock when the set of public URLs changes (for CI)
        #[arg(long)]
        locked: bool,
        /// Also write what the build did (pages, stage times, peak memory) as JSON to FILE, for tools
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
    },
    /// Build the site into a private folder, serve it on this machine, and
    /// rebuild and reload open pages whenever a file changes
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Address to listen on; 127.0.0.1 keeps the preview off the network
        #[arg(long, default_value = "127.0.0.1")]
        interface: std::net::IpAddr,
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
    },
    /// Create a new site in DIR: settings, an example agreement marked as
    /// example text, an empty templates/ for overrides and a README
    Init { dir: PathBuf },
    /// Build in memory and check links, anchors, alt text, headings, titles
    /// and the URL lock, without writing the output folder
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Also check links to other sites (needs a network)
        #[arg(long)]
        external: bool,
    },
    /// Rank pairs of items from different agreements by how alike their text
    /// is, to find cross-references the content does not make yet
    Suggest {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Rank every pair, including those already related or sharing a topic
        #[arg(long)]
        all: bool,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Show at most this many pairs [default: 25 for text, all for JSON]
        #[arg(long)]
        limit: Option<usize>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Suggest { root, all, format, limit } => suggest(&root, all, format, limit),
        Command::Check { root, external } => check(&root, external),
        Command::Init { dir } => match accord::init::init(&dir) {
            Ok(()) => {
                say!("Created a new site in {}. Run: accord serve --root {}", dir.display(), dir.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Command::Build { root, output, locked, report } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            build(&root, &output, accord::BuildOptions { locked, progress: true }, report.as_deref())
        }
        Command::Serve { root, interface, port } => {
            match accord::serve::dev::run(&root, std::net::SocketAddr::new(interface, port)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

/// Builds and prints the summary or every error; the exit status says which.
fn build(
    root: &std::path::Path,
    output: &std::path::Path,
    options: accord::BuildOptions,
    report_to: Option<&std::path::Path>,
) -> ExitCode {
    match accord::build_with(root, output, options) {
        Ok(report) => {
            if let Some(path) = report_to {
                if let Err(e) = std::fs::write(path, report_json(&report)) {
                    eprintln!("error: {}: cannot write the build report: {e}", path.display());
                    return ExitCode::FAILURE;
                }
            }
            for notice in &report.notices {
                say!("note: {notice}");
            }
            if !report.warnings.is_empty() {
                eprint!("{}", report.warnings.render());
            }
            let stages: Vec<String> = report
                .timings
                .iter()
                .map(|(s, d)| format!("{s} {:.1} ms", d.as_secs_f64() * 1000.0))
                .collect();
            let total = report.total.as_secs_f64() * 1000.0;
            say!(
                "accord {} built {} pages ({} files) into {} in {total:.0} ms ({})",
                accord::VERSION,
                report.pages,
                report.files,
                report.output.display(),
                stages.join(", ")
            );
            if let Some(kb) = peak_memory_kb() {
                say!("peak memory {:.0} MB", kb as f64 / 1024.0);
            }
            let shards = match (report.search_shards, report.search_shards_indexed) {
                (1, _) => String::new(),
                (all, indexed) if indexed == all => format!(" in {all} shards"),
                (all, indexed) => format!(" in {all} shards ({indexed} re-indexed, the others unchanged)"),
            };
            say!(
                "Search index: {} records, {:.1} KB of index files in {}/{shards}",
                report.search_records,
                report.search_index_bytes as f64 / 1024.0,
                accord::search::BUNDLE_DIR
            );
            ExitCode::SUCCESS
        }
        Err(diags) => {
            eprint!("{}", diags.render());
            eprintln!("Build failed; {} was left unchanged.", output.display());
            ExitCode::FAILURE
        }
    }
}

fn suggest(root: &std::path::Path, all: bool, format: Format, limit: Option<usize>) -> ExitCode {
    let site = match accord::resolve_site(root) {
        Ok(site) => site,
        Err(diags) => {
            eprint!("{}", diags.render());
            return ExitCode::FAILURE;
        }
    };
    let pairs = accord::suggest::rank_pairs(&site).into_iter().filter(|p| all || !p.related);
    match format {
        Format::Json => {
            let pairs: Vec<_> = pairs.take(limit.unwrap_or(usize::MAX)).collect();
            say!("{}", serde_json::to_string_pretty(&pairs).unwrap_or_default());
        }
        Format::Text => {
            say!("{:>6}  {:<7}  pair", "score", "related");
            for p in pairs.take(limit.unwrap_or(25)) {
                say!("{:>6.3}  {:<7}  {}  ~  {}", p.score, if p.related { "yes" } else { "no" }, p.a, p.b);
            }
        }
    }
    ExitCode::SUCCESS
}

fn check(root: &std::path::Path, external: bool) -> ExitCode {
    match accord::check::check(root, external) {
        Ok(report) => {
            if !report.warnings.is_empty() {
                eprint!("{}", report.warnings.render());
            }
            if report.errors.is_empty() {
                say!("Checked {} pages and {} internal links: no errors.", report.pages, report.links);
                ExitCode::SUCCESS
            } else {
                eprint!("{}", report.errors.render());
                ExitCode::FAILURE
            }
        }
        Err(diags) => {
            eprint!("{}", diags.render());
            ExitCode::FAILURE
        }
    }
}

/// What a build did, as JSON for tools (the benchmark reads it).
fn report_json(report: &accord::BuildReport) -> String {
    let ms = |d: &std::time::Duration| d.as_secs_f64() * 1000.0;
    let stages: Vec<serde_json::Value> =
        report.timings.iter().map(|(name, d)| serde_json::json!({ "stage": name, "ms": ms(d) })).collect();
    serde_json::json!({
        "accord": accord::VERSION,
        "pages": report.pages,
        "files": report.files,
        "total_ms": ms(&report.total),
        "stages": stages,
        "peak_memory_mb": peak_memory_kb().map(|kb| kb as f64 / 1024.0),
        "search_records": report.search_records,
        "search_index_bytes": report.search_index_bytes,
        "search_shards": report.search_shards,
        "search_shards_indexed": report.search_shards_indexed,
        "warnings": report.warnings.len(),
    })
    .to_string()
}

/// The process's peak resident memory, where the system reports it (Linux).
fn peak_memory_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

//! The `accord` command line: parses flags, runs a command, sets the exit status.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build { root, output } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            match accord::build(&root, &output) {
                Ok(report) => {
                    let stages: Vec<String> = report
                        .timings
                        .iter()
                        .map(|(s, d)| format!("{s} {:.1} ms", d.as_secs_f64() * 1000.0))
                        .collect();
                    let total: f64 = report.timings.iter().map(|(_, d)| d.as_secs_f64() * 1000.0).sum();
                    println!(
                        "Built {} pages ({} files) into {} in {total:.0} ms ({})",
                        report.pages,
                        report.files,
                        report.output.display(),
                        stages.join(", ")
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
    }
}

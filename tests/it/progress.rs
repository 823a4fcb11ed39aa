//! What the command line shows while it works: on a terminal, each stage and
//! how far it has got; into a pipe (a log, CI), the summary lines alone.

use std::process::Command;

use crate::common::*;

/// Runs `accord ARGS` with standard error a pipe, and again on a terminal
/// (`script` gives it one); returns what each printed, both streams together.
fn piped_and_on_a_terminal(args: &str) -> (String, String) {
    let bin = env!("CARGO_BIN_EXE_accord");
    // Progress shows at once rather than after a second, so a small site shows it.
    let piped = Command::new("sh")
        .args(["-c", &format!("{bin} {args} 2>&1")])
        .env("ACCORD_PROGRESS_DELAY_MS", "0")
        .output()
        .unwrap();
    let terminal = Command::new("script")
        .args(["--quiet", "--return", "--command", &format!("{bin} {args}"), "/dev/null"])
        .env("ACCORD_PROGRESS_DELAY_MS", "0")
        .env("COLUMNS", "120")
        .output()
        .expect("script (util-linux) runs a command on a terminal");
    assert!(piped.status.success() && terminal.status.success(), "{piped:?}\n{terminal:?}");
    (
        String::from_utf8_lossy(&piped.stdout).into_owned(),
        String::from_utf8_lossy(&terminal.stdout).into_owned(),
    )
}

#[test]
fn a_build_shows_its_progress_on_a_terminal_and_only_its_summary_in_a_pipe() {
    let site = copy_site(&repo());
    let root = site.path().display();
    let (piped, terminal) = piped_and_on_a_terminal(&format!("build --root {root}"));
    let summary = format!("accord {} built ", env!("CARGO_PKG_VERSION"));
    for (what, output) in [("into a pipe", &piped), ("on a terminal", &terminal)] {
        assert!(output.contains(&summary), "no summary naming the version {what}:\n{output}");
    }
    for stage in ["Rendering pages", "Indexing for search", "Writing feeds and open data"] {
        assert!(terminal.contains(stage), "the terminal was not shown `{stage}`:\n{terminal}");
        assert!(!piped.contains(stage), "progress went into the pipe:\n{piped}");
    }
    assert!(!piped.contains('\u{1b}'), "terminal escapes went into the pipe:\n{piped}");
}

#[test]
fn a_check_shows_its_progress_on_a_terminal_and_only_its_findings_in_a_pipe() {
    let site = copy_site(&repo());
    let (piped, terminal) = piped_and_on_a_terminal(&format!("check --root {}", site.path().display()));
    for output in [&piped, &terminal] {
        assert!(output.contains("no errors"), "{output}");
    }
    assert!(terminal.contains("Rendering pages"), "{terminal}");
    assert!(!piped.contains("Rendering pages"), "{piped}");
}

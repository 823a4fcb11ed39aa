//! `accord check`: findings in built pages, with file and line, and nothing written.

use std::process::Command;

use crate::common::*;

fn check(root: &std::path::Path) -> (bool, String) {
    let out =
        Command::new(env!("CARGO_BIN_EXE_accord")).args(["check", "--root"]).arg(root).output().unwrap();
    (
        out.status.success(),
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)),
    )
}

#[test]
fn the_real_site_and_fixture_pass() {
    let real = copy_site(&repo());
    let (ok, output) = check(real.path());
    assert!(ok, "{output}");
    assert!(output.contains("no errors"), "{output}");
    let (ok, output) = check(copy_site(&fixture("fourth-agreement")).path());
    assert!(ok, "{output}");
}

#[test]
fn a_planted_broken_anchor_and_missing_alt_text_are_found() {
    let site = copy_site(&fixture("fourth-agreement"));
    let page = site.path().join("content/pages/about-this-fixture.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(
        &page,
        format!("{text}\n\n<p><a href=\"/agreements/police-custody-2026-2029/#made-up-anchor\">Planted</a> <img src=\"/made-up.png\"></p>\n"),
    )
    .unwrap();
    let (ok, output) = check(site.path());
    assert!(!ok, "{output}");
    assert!(output.contains("public/about-this-fixture/index.html:"), "{output}");
    assert!(output.contains("link to `#made-up-anchor`, which is not an anchor on /agreements/police-custody-2026-2029/index.html"), "{output}");
    assert!(output.contains("image without alt text"), "{output}");
    assert!(output.contains("2 errors found"), "{output}");
    assert!(!site.path().join("public").exists(), "check writes nothing");
}

#[test]
fn a_broken_lock_is_an_error_and_shared_titles_a_warning() {
    let site = copy_site(&fixture("fourth-agreement"));
    let out = tempfile::tempdir().unwrap();
    accord::build(site.path(), &out.path().join("public")).unwrap();
    std::fs::remove_file(
        site.path().join("content/agreements/police-custody-2026-2029/items/principle-3.md"),
    )
    .unwrap();
    std::fs::write(
        site.path().join("content/pages/made-up-twin.md"),
        "+++\ntitle = \"About this fixture\"\n+++\nMade up for a test.\n",
    )
    .unwrap();
    let (ok, output) = check(site.path());
    assert!(!ok);
    assert!(output.contains("`/agreements/police-custody-2026-2029/principles/3/` was published but this build no longer produces it"), "{output}");
    assert!(output.contains("warning: 2 pages share the title"), "{output}");
}

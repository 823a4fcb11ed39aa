//! A build killed at any moment leaves the output path holding a complete
//! site, the old one or the new, and the next build cleans up after it.
//!
//! Builds run under `strace`, which kills them at a chosen system call (the
//! way a power cut, a CI time-out or Ctrl-C would stop them). `.ci/run`
//! installs strace.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;

/// Every file of a folder and its bytes.
type Tree = BTreeMap<PathBuf, Vec<u8>>;

/// Every file under `dir` and its bytes.
fn tree(dir: &Path) -> Tree {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect()
}

/// The paths at which two trees differ (never the bytes: they are pages long).
fn differences(a: &Tree, b: &Tree) -> Vec<String> {
    let paths: std::collections::BTreeSet<&PathBuf> = a.keys().chain(b.keys()).collect();
    paths.into_iter().filter(|p| a.get(*p) != b.get(*p)).map(|p| p.display().to_string()).collect()
}

/// `.accord-*` entries beside the output folder, but for the kept folder and
/// the folders' records.
fn leftovers(site: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| {
            n.starts_with(".accord") && n != ".accord-previous-public" && !n.starts_with(".accord-record-")
        })
        .collect();
    names.sort();
    names
}

fn accord() -> Command {
    Command::new(env!("CARGO_BIN_EXE_accord"))
}

/// Runs `accord build` under strace, killed at the `nth` call of `syscall`.
/// Returns whether the build was killed (it may finish before the nth call).
fn build_killed_at(root: &Path, syscall: &str, nth: usize, envs: &[(&str, &str)]) -> bool {
    let status = Command::new("strace")
        .args(["-f", "-qq", "-o", "/dev/null", "-e", &format!("inject={syscall}:signal=KILL:when={nth}")])
        .arg(env!("CARGO_BIN_EXE_accord"))
        .args(["build", "--root"])
        .arg(root)
        .envs(envs.iter().copied())
        .output()
        .expect("strace runs (.ci/run installs it: apt-get install strace)");
    !status.status.success()
}

fn build(root: &Path) -> String {
    let out = accord().args(["build", "--root"]).arg(root).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The fixture built twice (so a kept folder exists), then edited: returns
/// the site, the old site's files and the files the edited site builds to.
fn edited_fixture() -> (tempfile::TempDir, Tree, Tree) {
    let site = copy_site(&fixture("fourth-agreement"));
    build(site.path());
    build(site.path());
    let old = tree(&site.path().join("public"));
    let item = site.path().join("content/agreements/police-custody-2026-2029/items/principle-2.md");
    let text = std::fs::read_to_string(&item).unwrap();
    std::fs::write(
        &item,
        format!("{text}\nA made-up sentence added for a test, in every search record too.\n"),
    )
    .unwrap();
    let reference = copy_site(site.path());
    build(reference.path());
    let new = tree(&reference.path().join("public"));
    assert_ne!(old, new);
    (site, old, new)
}

/// After a kill: the output is one whole site, then the next build ends
/// with the new site, nothing left over and the search bundle as Pagefind
/// makes it from nothing.
fn assert_whole_then_repaired(site: &Path, old: &Tree, new: &Tree, when: &str) {
    assert!(site.join("public").is_dir(), "killed {when}: there is no output folder at all");
    let now = tree(&site.join("public"));
    assert!(
        &now == old || &now == new,
        "killed {when}: the output is neither the old site nor the new one: {:?} differ from the old",
        differences(&now, old)
    );
    build(site);
    let after = tree(&site.join("public"));
    assert!(
        &after == new,
        "killed {when}: the next build did not give the new site: {:?}",
        differences(&after, new)
    );
    assert_eq!(leftovers(site), Vec::<String>::new(), "killed {when}: leftovers");
    assert_same_bundle(site, &site.join("public"));
}

#[test]
fn a_build_killed_at_any_step_leaves_a_whole_site() {
    // Each of the first calls of every step of writing and swapping: files
    // being written, the sync, the record's rename and syncs, the swap
    // itself, and the folder sync after it.
    let mut stopped = Vec::new();
    for syscall in ["write", "syncfs", "fsync", "rename", "renameat2"] {
        for nth in 1..=3 {
            let (site, old, new) = edited_fixture();
            if build_killed_at(site.path(), syscall, nth, &[]) {
                assert_whole_then_repaired(site.path(), &old, &new, &format!("at {syscall} #{nth}"));
                stopped.push(format!("{syscall} #{nth}"));
            }
        }
    }
    for step in ["write #1", "syncfs #1", "fsync #3", "rename #1", "renameat2 #1"] {
        assert!(stopped.iter().any(|s| s == step), "the build was never stopped at {step}: {stopped:?}");
    }
}

#[test]
fn a_build_killed_between_the_two_halves_of_a_rename_swap_is_repaired() {
    // Where the exchange is unsupported, the swap is two renames (forced
    // here): the second rename is the third of the build, after the record's.
    let (site, old, new) = edited_fixture();
    assert!(build_killed_at(site.path(), "rename", 3, &[(accord::write::FORCE_RENAME_SWAP, "1")]));
    assert!(!site.path().join("public").exists(), "the kill did not fall between the two renames");
    let said = build(site.path());
    assert!(said.contains("put the previous site back"), "{said}");
    let after = tree(&site.path().join("public"));
    assert!(after == new, "{:?} differ from the new site", differences(&after, &new));
    assert_eq!(leftovers(site.path()), Vec::<String>::new());
    let _ = old;
}

#[test]
fn the_record_of_what_a_folder_holds_is_kept_beside_it_and_never_published() {
    let site = copy_site(&fixture("fourth-agreement"));
    build(site.path());
    build(site.path());
    let (public, kept) = (site.path().join("public"), site.path().join(".accord-previous-public"));
    let inside: Vec<PathBuf> =
        tree(&public).into_keys().filter(|p| p.to_string_lossy().contains("accord-record")).collect();
    assert!(inside.is_empty(), "published: {inside:?}");
    let mut records: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".accord-record-"))
        .collect();
    records.sort();
    let mut expected: Vec<String> = [&public, &kept]
        .iter()
        .map(|d| accord::write::record_path(d).unwrap().file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    expected.sort();
    assert_eq!(records, expected, "one record for each folder, which followed it through the swap");
    // The live site's record vouches for it: the next build reuses what it can and says nothing is left over.
    let said = build(site.path());
    assert!(!said.contains("did not finish"), "{said}");
}

#[test]
fn a_torn_search_file_in_the_kept_folder_is_never_published() {
    let site = copy_site(&fixture("fourth-agreement"));
    build(site.path());
    build(site.path());
    // The kept folder, as a killed build would leave it: a search file cut
    // short. Its record still names it at its full size, so it is found either way.
    let kept = site.path().join(".accord-previous-public");
    let fragment = walkdir::WalkDir::new(kept.join("pagefind/fragment"))
        .into_iter()
        .map(|e| e.unwrap())
        .find(|e| e.file_type().is_file())
        .unwrap()
        .into_path();
    let bytes = std::fs::read(&fragment).unwrap();
    std::fs::write(&fragment, &bytes[..bytes.len() / 2]).unwrap();
    build(site.path());
    assert_same_bundle(site.path(), &site.path().join("public"));

    // And with no record at all (a build killed while writing), nothing is
    // trusted. (The kept folder now holds the other site; the fragment has
    // the same name in both.)
    std::fs::write(&fragment, &bytes[..bytes.len() / 2]).unwrap();
    std::fs::remove_file(accord::write::record_path(&kept).unwrap()).unwrap();
    let said = build(site.path());
    assert!(said.contains("was left by a build that did not finish"), "{said}");
    assert_same_bundle(site.path(), &site.path().join("public"));
}

#[test]
fn folders_older_versions_left_are_removed_and_said_so() {
    let site = copy_site(&fixture("fourth-agreement"));
    build(site.path());
    let stale = site.path().join(".accord-old-4242-public");
    std::fs::create_dir_all(stale.join("agreements")).unwrap();
    std::fs::write(stale.join("index.html"), "made up").unwrap();
    let said = build(site.path());
    assert!(said.contains("removed") && said.contains(".accord-old-4242-public"), "{said}");
    assert_eq!(leftovers(site.path()), Vec::<String>::new());
}

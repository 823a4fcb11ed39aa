//! Permanent URLs: the lock, aliases that redirect, withdrawals that explain.

use std::path::Path;

use crate::common::*;

const ITEM: &str = "content/agreements/police-custody-2026-2029/items/principle-3.md";
const URL: &str = "/agreements/police-custody-2026-2029/principles/3/";

/// A copy of the fixture with its lock, as after a first published build.
fn published() -> tempfile::TempDir {
    let dir = copy_site(&fixture("fourth-agreement"));
    let out = tempfile::tempdir().unwrap();
    accord::build(dir.path(), &out.path().join("public")).unwrap();
    assert!(std::fs::read_to_string(dir.path().join("urls.lock")).unwrap().lines().any(|l| l == URL));
    dir
}

fn build(root: &Path) -> Result<BuiltSiteAt, String> {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    accord::build(root, &public).map(|_| BuiltSiteAt { _dir: out, public }).map_err(|e| e.render())
}

struct BuiltSiteAt {
    _dir: tempfile::TempDir,
    public: std::path::PathBuf,
}

#[test]
fn deleting_a_published_page_fails_the_build_naming_the_url() {
    let site = published();
    std::fs::remove_file(site.path().join(ITEM)).unwrap();
    // Its links would break first; remove the one that points at it.
    let errors = build(site.path()).err().expect("must fail");
    assert!(
        errors.contains(&format!("`{URL}` was published but this build no longer produces it")),
        "{errors}"
    );
    assert!(
        errors.contains(
            "principles/3 in content/agreements/police-custody-2026-2029/items/ was deleted or renumbered"
        ),
        "{errors}"
    );
    assert!(errors.contains("urls.lock:"), "the lock's line is named: {errors}");
}

#[test]
fn an_alias_on_the_new_page_keeps_the_old_url_working() {
    let site = published();
    std::fs::remove_file(site.path().join(ITEM)).unwrap();
    let new_home = site.path().join("content/agreements/police-custody-2026-2029/items/principle-2.md");
    let text = std::fs::read_to_string(&new_home).unwrap();
    std::fs::write(
        &new_home,
        text.replacen("number = 2\n", &format!("number = 2\naliases = [\"{URL}\"]\n"), 1),
    )
    .unwrap();
    let built = build(site.path()).expect("builds with the alias");
    let old =
        std::fs::read_to_string(built.public.join(URL.trim_start_matches('/')).join("index.html")).unwrap();
    let new_url = "/agreements/police-custody-2026-2029/principles/2/";
    assert!(old.contains(&format!("url={new_url}")), "meta refresh: {old}");
    assert!(
        old.contains(&format!("href={new_url}")) || old.contains(&format!("href=\"{new_url}\"")),
        "visible link and canonical: {old}"
    );
    assert!(old.contains("canonical"));
    let map = std::fs::read_to_string(built.public.join("_redirects")).unwrap();
    assert_eq!(map, format!("{URL} {new_url} 301\n"));
    // The old URL stays in the lock.
    assert!(std::fs::read_to_string(site.path().join("urls.lock")).unwrap().lines().any(|l| l == URL));
}

#[test]
fn a_withdrawal_explains_what_happened() {
    let site = published();
    std::fs::remove_file(site.path().join(ITEM)).unwrap();
    std::fs::write(
        site.path().join("content/withdrawn.toml"),
        format!("# Made up for a test.\n[[withdrawn]]\nurl = \"{URL}\"\ntitle = \"Principle 3\"\ndate = 2026-11-01\nreason = \"Made-up reason: merged into principle 2.\"\nsee_also = \"@/agreements/police-custody-2026-2029/principles/2\"\n"),
    )
    .unwrap();
    let built = build(site.path()).expect("builds with the withdrawal");
    let page =
        std::fs::read_to_string(built.public.join(URL.trim_start_matches('/')).join("index.html")).unwrap();
    assert!(page.contains("This page was withdrawn"), "{page}");
    assert!(
        page.contains("2026-11-01") && page.contains("Made-up reason: merged into principle 2."),
        "{page}"
    );
}

#[test]
fn locked_builds_fail_when_a_new_page_appears() {
    let site = published();
    let out = tempfile::tempdir().unwrap();
    let locked = accord::BuildOptions { locked: true };
    accord::build_with(site.path(), &out.path().join("public"), locked)
        .expect("an unchanged site passes --locked");
    std::fs::write(
        site.path().join("content/pages/made-up-new-page.md"),
        "+++\ntitle = \"Made-up new page\"\n+++\nMade up for a test.\n",
    )
    .unwrap();
    let errors =
        accord::build_with(site.path(), &out.path().join("public"), locked).expect_err("must fail").render();
    assert!(errors.contains("the build would change urls.lock (new URLs: /made-up-new-page/)"), "{errors}");
    // Without --locked the build adds it to the lock.
    accord::build(site.path(), &out.path().join("public")).unwrap();
    assert!(std::fs::read_to_string(site.path().join("urls.lock")).unwrap().contains("/made-up-new-page/\n"));
}

#[test]
fn the_committed_lock_matches_the_real_site() {
    let out = tempfile::tempdir().unwrap();
    let copy = copy_site(&repo());
    accord::build_with(copy.path(), &out.path().join("public"), accord::BuildOptions { locked: true })
        .unwrap_or_else(|e| {
            panic!("urls.lock is out of date; run accord build and commit it:\n{}", e.render())
        });
}

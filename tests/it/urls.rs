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

#[test]
fn deleting_a_published_page_fails_the_build_naming_the_url() {
    let site = published();
    std::fs::remove_file(site.path().join(ITEM)).unwrap();
    // Its links would break first; remove the one that points at it.
    let errors = BuiltSite::try_build(site.path()).err().expect("must fail");
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
    let built = BuiltSite::try_build(site.path()).expect("builds with the alias");
    let old =
        std::fs::read_to_string(built.out.join(URL.trim_start_matches('/')).join("index.html")).unwrap();
    let new_url = "/agreements/police-custody-2026-2029/principles/2/";
    assert!(old.contains(&format!("url={new_url}")), "meta refresh: {old}");
    assert!(
        old.contains(&format!("href={new_url}")) || old.contains(&format!("href=\"{new_url}\"")),
        "visible link and canonical: {old}"
    );
    assert!(old.contains("canonical"));
    let map = std::fs::read_to_string(built.out.join("_redirects")).unwrap();
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
    let built = BuiltSite::try_build(site.path()).expect("builds with the withdrawal");
    let page =
        std::fs::read_to_string(built.out.join(URL.trim_start_matches('/')).join("index.html")).unwrap();
    assert!(page.contains("This page was withdrawn"), "{page}");
    assert!(
        page.contains("1 November 2026") && page.contains("Made-up reason: merged into principle 2."),
        "{page}"
    );
}

#[test]
fn locked_builds_fail_when_a_new_page_appears() {
    let site = published();
    let out = tempfile::tempdir().unwrap();
    let locked = accord::BuildOptions { locked: true, ..Default::default() };
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
    let built = accord::build_with(
        copy.path(),
        &out.path().join("public"),
        accord::BuildOptions { locked: true, ..Default::default() },
    );
    assert!(
        built.is_ok(),
        "urls.lock is out of date; run accord build and commit it:\n{}",
        built.unwrap_err().render()
    );
    let committed = std::fs::read_to_string(repo().join("urls.lock")).unwrap();
    assert_eq!(std::fs::read_to_string(copy.path().join("urls.lock")).unwrap(), committed);
    // Every page the lock names was built.
    let site = BuiltSite::at(&out.path().join("public"));
    for url in committed.lines().filter(|l| l.starts_with('/') && !l.contains("/versions/")) {
        match url.split_once('#') {
            // A paragraph's anchor: on its page, or sent on from it to a version.
            Some((page, anchor)) => {
                let page = site.page(page);
                let moved = format!(".moved-paragraphs a[data-anchor='{anchor}']");
                assert!(
                    page.has_id(anchor) || !page.all(&moved).is_empty(),
                    "{url} is in urls.lock but not built"
                );
            }
            None => assert!(site.exists(url), "{url} is in urls.lock but was not built"),
        }
    }
}

#[test]
fn rebuilding_unchanged_content_is_byte_identical() {
    let site = copy_site(&fixture("fourth-agreement"));
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    accord::build(site.path(), &a.path().join("public")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    accord::build(site.path(), &b.path().join("public")).unwrap();
    let read = |d: &Path| {
        walkdir::WalkDir::new(d.join("public"))
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| (e.path().strip_prefix(d).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap()))
            .collect::<Vec<_>>()
    };
    let (first, second) = (read(a.path()), read(b.path()));
    assert!(first.len() > 50);
    for ((pa, ba), (pb, bb)) in first.iter().zip(&second) {
        assert_eq!(pa, pb);
        assert!(ba == bb, "{} differs between builds", pa.display());
    }
    assert_eq!(first.len(), second.len());
}

#[test]
fn every_agreement_and_item_page_has_canonical_and_a_cite_block() {
    let site = BuiltSite::build(&repo());
    for (url, page) in site.pages() {
        let canonical = page.one("link[rel=canonical]").value().attr("href").unwrap().to_owned();
        if page.all("meta[http-equiv=refresh]").is_empty() && url != "/404.html" {
            assert_eq!(canonical, format!("https://accord.example{url}"), "{url}");
        }
        assert!(
            page.one("meta[name=description]").value().attr("content").is_some_and(|c| !c.is_empty()),
            "{url}"
        );
        page.one("meta[property='og:title']");
        let is_item = ["/objectives/", "/priorities/", "/principles/"].iter().any(|k| url.contains(k));
        let is_agreement = url.starts_with("/agreements/") && url.matches('/').count() == 3;
        if is_item || is_agreement {
            for style in ["harvard", "apa", "oscola"] {
                let cite = page.text_of(&format!("#citation-{style}"));
                assert!(cite.contains(&canonical), "{url}: {cite}");
            }
            assert!(
                page.all(".cite time")
                    .iter()
                    .all(|t| t.value().attr("datetime").is_some_and(|d| d.len() == 10)),
                "{url}"
            );
        }
    }
    let item = site.page("/agreements/irc-2022-2025/priorities/10/");
    let cite = item.text_of("#citation-harvard");
    assert!(cite.starts_with("Home Office et al. (2022) Priority 10, National partnership agreement for immigration removal centre (IRC) healthcare in England 2022 – 2025. PR1836. Available at: https://accord.example/agreements/irc-2022-2025/priorities/10/"), "{cite}");
}

#[test]
fn sitemap_robots_and_atom_feed_follow_their_specifications() {
    let site = BuiltSite::build(&repo());
    let text = std::fs::read_to_string(site.file_for("/sitemap.xml")).unwrap();
    let sitemap = roxmltree::Document::parse(&text).unwrap();
    let root = sitemap.root_element();
    assert_eq!(root.tag_name().namespace(), Some("http://www.sitemaps.org/schemas/sitemap/0.9"));
    assert_eq!(root.tag_name().name(), "urlset");
    let mut locs = 0;
    for url in root.children().filter(|n| n.is_element()) {
        assert_eq!(url.tag_name().name(), "url");
        let loc = url.children().find(|n| n.has_tag_name("loc")).unwrap().text().unwrap();
        assert!(loc.starts_with("https://accord.example/"), "{loc}");
        assert!(
            site.exists(loc.trim_start_matches("https://accord.example")),
            "sitemap lists a missing page: {loc}"
        );
        if let Some(lastmod) = url.children().find(|n| n.has_tag_name("lastmod")) {
            let d = lastmod.text().unwrap();
            assert!(d.len() == 10 && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-', "{d}");
        }
        locs += 1;
    }
    assert!(locs > 60);
    let robots = std::fs::read_to_string(site.file_for("/robots.txt")).unwrap();
    assert!(robots.contains("Sitemap: https://accord.example/sitemap.xml"));

    // RFC 4287: feed has id, title, updated, an author and a self link; every entry has id, title, updated, link.
    let text = std::fs::read_to_string(site.file_for("/feed.xml")).unwrap();
    let feed = roxmltree::Document::parse(&text).unwrap();
    let root = feed.root_element();
    const ATOM: &str = "http://www.w3.org/2005/Atom";
    assert_eq!((root.tag_name().namespace(), root.tag_name().name()), (Some(ATOM), "feed"));
    let child = |n: roxmltree::Node<'_, '_>, name: &str| {
        n.children().filter(|c| c.has_tag_name((ATOM, name))).count()
    };
    for required in ["id", "title", "updated", "author"] {
        assert_eq!(child(root, required), 1, "feed/{required}");
    }
    assert!(root.children().any(|c| c.has_tag_name((ATOM, "link")) && c.attribute("rel") == Some("self")));
    let is_date_time = |s: &str| s.len() == 20 && s.ends_with('Z') && s.as_bytes()[10] == b'T';
    let mut entries = 0;
    for entry in root.children().filter(|c| c.has_tag_name((ATOM, "entry"))) {
        for required in ["id", "title", "updated"] {
            assert_eq!(child(entry, required), 1, "entry/{required}");
        }
        let updated = entry.children().find(|c| c.has_tag_name((ATOM, "updated"))).unwrap().text().unwrap();
        assert!(is_date_time(updated), "{updated}");
        let link =
            entry.children().find(|c| c.has_tag_name((ATOM, "link"))).unwrap().attribute("href").unwrap();
        // An entry for an edited section links to its place on the agreement's page.
        let (path, anchor) =
            link.trim_start_matches("https://accord.example").split_once('#').unwrap_or((link, ""));
        let path = path.trim_start_matches("https://accord.example");
        assert!(site.exists(path), "{link}");
        assert!(anchor.is_empty() || site.page(path).has_id(anchor), "{link}: no such anchor");
        entries += 1;
    }
    // One entry per commit that changed content (the latest 50), as git tells it; a merge
    // changes nothing itself, its parents' commits did.
    let log = std::process::Command::new("git")
        .args(["log", "--no-merges", "--format=%H", "--", "content"])
        .current_dir(repo())
        .output()
        .unwrap();
    let commits = String::from_utf8_lossy(&log.stdout).lines().count();
    assert_eq!(entries, commits.min(50), "one entry per change to content");
}

#[test]
fn a_site_published_under_a_path_links_only_under_it() {
    let site = copy_site(&repo());
    let settings = site.path().join("accord.toml");
    let text = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(&settings, text.replace("https://accord.example/", "https://www.example.gov.uk/npa/"))
        .unwrap();
    // Written where a host would serve it, /npa/ under the host's root, so links are followed as a browser would.
    let host = tempfile::tempdir().unwrap();
    accord::build(site.path(), &host.path().join("npa")).unwrap_or_else(|e| panic!("{}", e.render()));
    let built = BuiltSite::at(host.path());
    let (checked, broken) = built.broken_internal_links();
    assert!(checked > 1000, "only {checked} links followed");
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    for (url, page) in built.pages() {
        for href in page.hrefs().iter().filter(|h| h.starts_with('/')) {
            assert!(href.starts_with("/npa/"), "{url} links outside the site's path: {href}");
        }
        for script in page.all("script[src], link[href]") {
            let src = script.value().attr("src").or(script.value().attr("href")).unwrap_or_default();
            assert!(!src.starts_with('/') || src.starts_with("/npa/"), "{url} loads {src}");
        }
    }
}

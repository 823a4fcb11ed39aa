//! A made-up fourth agreement, written from docs/content-format.md alone,
//! builds into the same URL scheme with no code changes.

use crate::common::*;

const SLUG: &str = "/agreements/police-custody-2026-2029/";

#[test]
fn fourth_agreement_builds_into_the_url_scheme() {
    let site = BuiltSite::build(&fixture("fourth-agreement"));
    for url in ["/", "/agreements/", SLUG, "/about-this-fixture/", "/404.html"] {
        assert!(site.exists(url), "{url} missing");
    }
    for (plural, n) in [("objectives", 2), ("principles", 3)] {
        for i in 1..=n {
            assert!(site.exists(&format!("{SLUG}{plural}/{i}/")), "{plural}/{i} missing");
        }
        assert!(!site.exists(&format!("{SLUG}{plural}/{}/", n + 1)));
    }
    let page = site.page(SLUG);
    for id in ["purpose", "shared-objectives", "principles", "governance", "who-the-agreement-covers"] {
        assert!(page.has_id(id), "#{id} missing");
    }
    for (p, n) in [(1, 2), (2, 3), (3, 2)] {
        for m in 1..=n {
            assert!(page.has_id(&format!("principle-{p}-measure-{m}")));
        }
    }
    // Sections come out in file-name (document) order.
    let order: Vec<_> =
        page.all("section.agreement-section > h2").iter().filter_map(|h| h.value().attr("id")).collect();
    assert_eq!(
        order,
        ["purpose", "shared-objectives", "principles", "governance", "progress", "signatories"]
    );
}

#[test]
fn internal_links_become_real_links() {
    let site = BuiltSite::build(&fixture("fourth-agreement"));
    let page = site.page(SLUG);
    assert!(page.links_to("/agreements/police-custody-2026-2029/principles/2/"));
    assert!(page.links_to("/agreements/police-custody-2026-2029/#principle-2-measure-2"));
    assert!(!page.hrefs().iter().any(|h| h.starts_with('@')));
    assert!(site.page("/").links_to(SLUG));
    let (checked, broken) = site.broken_internal_links();
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    assert!(checked > 50, "{checked}");
}

#[test]
fn code_blocks_are_highlighted_with_classes_and_a_stylesheet() {
    let site = BuiltSite::build(&fixture("fourth-agreement"));
    let page = site.page("/about-this-fixture/");
    assert!(!page.all("pre.code code.language-json span[class]").is_empty());
    assert!(page.all("pre.code [style]").is_empty(), "no inline styles");
    assert!(page.links_to_stylesheet("/syntax.css"));
    assert!(site.exists("/syntax.css"));
    assert!(std::fs::read_to_string(site.file_for("/syntax.css")).unwrap().contains('{'));
    // A page without code does not load it.
    assert!(!site.page(SLUG).links_to_stylesheet("/syntax.css"));
}

#[test]
fn a_site_template_overrides_the_themes() {
    let dir = copy_site(&fixture("fourth-agreement"));
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}<h1>Overridden: {{ site.title }}</h1>{% endblock content %}",
    )
    .unwrap();
    let site = BuiltSite::build(dir.path());
    assert_eq!(site.page("/404.html").text_of("h1"), "Overridden: Fixture: a made-up fourth agreement");
    // Other templates still come from the theme.
    assert_eq!(site.page(SLUG).all("nav.toc").len(), 1);
}

#[test]
fn content_is_escaped_in_templates() {
    let dir = copy_site(&fixture("fourth-agreement"));
    let path = dir.path().join("content/agreements/police-custody-2026-2029/agreement.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replacen("short_title = \"", "short_title = \"<script>alert(1)</script>", 1);
    // The title reaches the citations, the head's tags and the JSON-LD.
    let text = text.replacen("\ntitle = \"", "\ntitle = \"</script><script>alert(2)</script> & ", 1);
    std::fs::write(&path, text).unwrap();
    let site = BuiltSite::build(dir.path());
    for url in [SLUG.to_owned(), format!("{SLUG}principles/1/")] {
        let page = site.page(&url);
        for script in page.all("script") {
            if script.value().attr("type") == Some("application/ld+json") {
                let ld: serde_json::Value = serde_json::from_str(&script.inner_html()).unwrap();
                assert!(
                    ld["name"].as_str().unwrap().starts_with("</script><script>alert(2)</script> & "),
                    "{ld}"
                );
            } else {
                assert!(script.value().attr("src").is_some(), "{url}: the title became markup");
            }
        }
        for style in ["harvard", "apa", "oscola"] {
            let citation = page.one(&format!("#citation-{style}"));
            assert!(
                citation.text().collect::<String>().contains("<script>alert(2)</script> &"),
                "{url} {style}"
            );
            assert!(citation.children().all(|c| c.value().as_element().is_none_or(|e| e.name() == "i")));
        }
        assert!(meta_content(&page, "citation_title").starts_with("</script><script>alert(2)</script> & "));
    }
    assert!(site.page(SLUG).text_of(".breadcrumbs li:last-child").contains("<script>alert(1)</script>"));
    let bib = std::fs::read_to_string(site.out.join("agreements/police-custody-2026-2029/cite.bib")).unwrap();
    assert!(
        bib.contains("{</script><script>alert(2)</script> \\& "),
        "BibTeX escapes its own specials: {bib}"
    );
}

fn meta_content(page: &Page, name: &str) -> String {
    page.one(&format!("meta[name='{name}']")).value().attr("content").unwrap().to_owned()
}

#[test]
fn minify_can_be_turned_off() {
    let dir = copy_site(&fixture("fourth-agreement"));
    let path = dir.path().join("accord.toml");
    let text = std::fs::read_to_string(&path).unwrap().replace("minify = true", "minify = false");
    std::fs::write(&path, text).unwrap();
    let plain = BuiltSite::build(dir.path());
    let minified = BuiltSite::build(&fixture("fourth-agreement"));
    let size = |s: &BuiltSite| std::fs::metadata(s.file_for(SLUG)).unwrap().len();
    assert!(size(&minified) < size(&plain), "{} !< {}", size(&minified), size(&plain));
    assert!(std::fs::read_to_string(plain.file_for(SLUG)).unwrap().contains("<!DOCTYPE html>"));
}

#[test]
fn each_build_writes_exactly_its_own_files_though_it_reuses_the_last_output() {
    type Files = std::collections::BTreeSet<std::path::PathBuf>;
    let split = |s: &Files| -> (Files, usize) {
        (
            s.iter().filter(|p| !p.starts_with("pagefind")).cloned().collect(),
            s.iter().filter(|p| p.starts_with("pagefind")).count(),
        )
    };
    let site = copy_site(&fixture("fourth-agreement"));
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    accord::build(site.path(), &public).unwrap();
    let first = files_under(&public);

    // New words change the search bundle's content-hashed file names; a stray
    // file planted in the folder kept for reuse must not reach the site.
    let page = site.path().join("content/pages/about-this-fixture.md");
    for round in 0..2 {
        let text = std::fs::read_to_string(&page).unwrap();
        std::fs::write(&page, format!("{text}\nMade-up zebraword{round} for a test.\n")).unwrap();
        let kept = out.path().join(".accord-previous-public");
        if kept.is_dir() {
            std::fs::write(kept.join("stray.html"), "made-up leftover").unwrap();
            // And deeper down: in a folder the site has, and in one it has not.
            std::fs::write(kept.join("search/stray.html"), "made-up leftover").unwrap();
            std::fs::create_dir_all(kept.join("search/stray/deeper")).unwrap();
            std::fs::write(kept.join("search/stray/deeper/index.html"), "made-up leftover").unwrap();
        }
        accord::build(site.path(), &public).unwrap();
        let now = files_under(&public);
        assert_eq!(split(&now), split(&first), "round {round}: the same pages, no stale search files");
        assert_ne!(now, first, "the search bundle changed");
        let html = std::fs::read_to_string(public.join("about-this-fixture/index.html")).unwrap();
        assert!(html.contains(&format!("zebraword{round}")));
        assert_same_bundle(site.path(), &public);
    }
    // Nothing is left beside the output but the one folder kept for the
    // next build, and the two folders' records.
    let mut beside: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    let kept = out.path().join(".accord-previous-public");
    let mut expected: Vec<String> = [&public, &kept]
        .iter()
        .map(|d| accord::write::record_path(d).unwrap().file_name().unwrap().to_string_lossy().into_owned())
        .chain([".accord-previous-public".to_owned(), "public".to_owned()])
        .collect();
    expected.sort();
    assert_eq!(beside, expected);
}

/// The fixture built twice into `out/public`, so the folder kept beside the
/// output (`.accord-previous-public`) is a whole earlier build, ready to tamper with.
fn fixture_built_twice() -> (tempfile::TempDir, tempfile::TempDir, std::path::PathBuf) {
    let site = copy_site(&fixture("fourth-agreement"));
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    accord::build(site.path(), &public).unwrap();
    accord::build(site.path(), &public).unwrap();
    (site, out, public)
}

#[test]
fn a_build_killed_half_way_leaves_no_cut_short_search_file_behind() {
    let (site, out, public) = fixture_built_twice();
    // As a build killed while Pagefind wrote would leave the folder kept for reuse:
    // its mark still there, and an index file cut short under its right name.
    let kept = out.path().join(".accord-previous-public");
    std::fs::write(kept.join(".accord-unfinished"), "").unwrap();
    let fragments = kept.join("pagefind/fragment");
    let fragment = std::fs::read_dir(&fragments).unwrap().next().unwrap().unwrap().path();
    let bytes = std::fs::read(&fragment).unwrap();
    std::fs::write(&fragment, &bytes[..bytes.len() / 2]).unwrap();

    accord::build(site.path(), &public).unwrap();
    assert_same_bundle(site.path(), &public);
    assert!(!public.join(".accord-unfinished").exists(), "the mark never goes live");
}

#[test]
fn two_builds_never_write_one_output_folder_at_once() {
    let site = copy_site(&fixture("fourth-agreement"));
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    let first = accord::write::Staging::open(site.path(), &public, None).unwrap();
    let errors = accord::build(site.path(), &public).expect_err("the folder is busy").render();
    assert!(errors.contains("another build is writing this output folder"), "{errors}");
    drop(first);
    accord::build(site.path(), &public).expect("builds once the other has finished");
}

#[test]
fn footnotes_in_two_sections_of_one_agreement_page_keep_their_own_anchors() {
    let site = copy_site(&fixture("fourth-agreement"));
    let sections = site.path().join("content/agreements/police-custody-2026-2029/sections");
    for name in ["01-purpose.md", "02-shared-objectives.md"] {
        let path = sections.join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{text}\nA made-up claim.[^1]\n\n[^1]: Made-up note from {name}.\n"))
            .unwrap();
    }
    let built = BuiltSite::build(site.path());
    let page = built.page("/agreements/police-custody-2026-2029/");
    let ids = page.ids();
    let unique: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate ids: {ids:?}");
    let references = page.all("sup.footnote-reference a");
    assert_eq!(references.len(), 2);
    // Each reference leads to the note written in its own file.
    for (reference, name) in references.iter().zip(["01-purpose.md", "02-shared-objectives.md"]) {
        let target = reference.value().attr("href").unwrap().trim_start_matches('#');
        let note = page.one(&format!("div.footnote-definition[id='{target}']"));
        assert!(note.text().collect::<String>().contains(name), "{target} should be the note from {name}");
    }
}

#[test]
fn a_file_where_a_search_folder_belongs_is_cleared_not_fatal() {
    let (site, out, public) = fixture_built_twice();
    // Pagefind would retry creating files under a file forever; the build clears it first.
    let fragments = out.path().join(".accord-previous-public/pagefind/fragment");
    std::fs::remove_dir_all(&fragments).unwrap();
    std::fs::write(&fragments, "made-up file in the way").unwrap();
    accord::build(site.path(), &public).unwrap();
    assert_same_bundle(site.path(), &public);
}

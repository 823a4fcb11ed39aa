//! Pinpoint citations: every paragraph and list item of an agreement's
//! sections has an anchor made of its own words, which keeps leading to
//! those words when other paragraphs come and go, and, once its own words
//! change, to the version that has them. Every edit and date here is made up
//! for the test; the words edited are the real content's.

use std::collections::BTreeMap;
use std::path::Path;

use crate::browser::{eval, open_url, wait_for};
use crate::common::*;

const IRC: &str = "/agreements/irc-2022-2025/";
const PURPOSE: &str = "content/agreements/irc-2022-2025/sections/01-purpose.md";
const WHO: &str = "content/agreements/irc-2022-2025/sections/02-who-we-are.md";
const SCRUTINY: &str = "content/agreements/irc-2022-2025/scrutiny.toml";
/// A section's own text, and what it says of each scrutiny body.
const SECTION_TEXT: &str = "section.agreement-section > div.prose";

/// Each paragraph anchor of the agreement's text on `page`, with its own
/// words (not its self-link, whose place is counted and so may change).
fn anchored(page: &Page) -> BTreeMap<String, String> {
    page.all(&format!("{SECTION_TEXT} p[id], {SECTION_TEXT} li[id]"))
        .into_iter()
        .map(|el| (el.value().id().unwrap().to_owned(), own_words(el)))
        .collect()
}

fn lock_lines(d: &Path) -> Vec<String> {
    std::fs::read_to_string(d.join("urls.lock")).unwrap().lines().map(str::to_owned).collect()
}

#[test]
fn every_paragraph_of_every_agreement_section_has_an_anchor_a_self_link_and_the_same_eid() {
    let site = real_site();
    let lock = lock_lines(&repo());
    for slug in ["irc-2022-2025", "prisons-probation-2022-2025", "children-secure-estate-2023-2025"] {
        let path = format!("/agreements/{slug}/");
        let page = site.page(&path);
        let blocks = page.all(&format!("{SECTION_TEXT} p, {SECTION_TEXT} li"));
        assert!(blocks.len() > 25, "{slug}: {} paragraphs", blocks.len());
        let mut ids = Vec::new();
        for el in &blocks {
            let id = el.value().id().unwrap_or_else(|| panic!("{slug}: no anchor on {}", el.html()));
            assert!(id.starts_with("p-"), "{id}");
            let link = el
                .select(&sel(":scope > a.para-link"))
                .next()
                .unwrap_or_else(|| panic!("{slug}: no self-link in {}", el.html()));
            assert_eq!(link.value().attr("href"), Some(format!("{path}#{id}").as_str()));
            let spoken = link.select(&sel(".visually-hidden")).next().unwrap().text().collect::<String>();
            assert!(spoken.starts_with("Paragraph "), "{spoken}");
            assert!(lock.contains(&format!("{path}#{id}")), "{path}#{id} is not in urls.lock");
            ids.push(id.to_owned());
        }
        // The same anchors in the Akoma Ntoso, on the same paragraphs, in order.
        let akn = std::fs::read_to_string(site.file_for(&format!("{path}akn.xml"))).unwrap();
        let eids: Vec<&str> = akn
            .split("eId=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .filter(|e| e.starts_with("p-"))
            .collect();
        assert_eq!(eids, ids, "{slug}");
        assert!(!akn.contains("para-link") && !akn.contains('¶'), "{slug}: a self-link in the Akoma Ntoso");
        // Open data keeps the anchors, not the page's links.
        let data = std::fs::read_to_string(site.file_for(&format!("{path}index.json"))).unwrap();
        assert!(data.contains(&format!("id=\\\"{}\\\"", ids[0])) && !data.contains("para-link"));
        // A version's page carries the anchors its paragraphs had when current.
        let versions = page.all("ol.versions a");
        let last = versions.first().unwrap().value().attr("href").unwrap();
        let version = site.page(last);
        assert_eq!(anchored(&version), anchored(&page), "{slug}: {last}");
    }
}

#[test]
fn an_anchor_keeps_to_its_words_and_a_reworded_paragraph_is_found_in_its_version() {
    let dir = copy_site(&repo());
    let d = dir.path();
    // A history of its own: the real lock names versions of this repository's.
    std::fs::remove_file(d.join("urls.lock")).unwrap();
    git(d, &["init", "-q"], "2026-01-05");
    git(d, &["add", "."], "2026-01-05");
    git(d, &["commit", "-q", "-m", "Made up: the real content, committed for a test"], "2026-01-05");
    let out = tempfile::tempdir().unwrap();
    build_into(d, out.path());
    let before = anchored(&BuiltSite::at(out.path()).page(IRC));

    // A paragraph inserted at the start of a section moves no other anchor.
    edit(d, PURPOSE, |t| {
        let body = t[3..].find("+++\n").unwrap() + 3 + 4;
        format!("{}MADE UP: a paragraph inserted at the start.\n\n{}", &t[..body], &t[body..])
    });
    build_into(d, out.path());
    let after = anchored(&BuiltSite::at(out.path()).page(IRC));
    assert_eq!(after.len(), before.len() + 1);
    for (id, words) in &before {
        assert_eq!(after.get(id), Some(words), "#{id} no longer leads to its words");
    }

    // A list item reworded and committed: its old anchor leads to the version with its words.
    let old_words = "NHS England: Health service commissioner";
    let old_id = before.iter().find(|(_, w)| *w == old_words).map(|(id, _)| id.clone()).unwrap();
    edit(d, WHO, |t| t.replacen(old_words, "NHS England: MADE UP health service commissioner", 1));
    // What the agreement says of a scrutiny body is its text too.
    let healthwatch = "An independent consumer champion for health and social care across England";
    let healthwatch_id =
        before.iter().find(|(_, w)| w.starts_with(healthwatch)).map(|(id, _)| id.clone()).unwrap();
    edit(d, SCRUTINY, |t| t.replacen(healthwatch, "MADE UP: a champion", 1));
    git(d, &["commit", "-q", "-am", "Made up: a rewording", "-m", "Text-change: correction"], "2026-02-10");
    build_into(d, out.path());
    let site = BuiltSite::at(out.path());
    let page = site.page(IRC);
    assert!(!page.has_id(&old_id));
    let moved = page.one(&format!(".moved-paragraphs a[data-anchor='{old_id}']"));
    let held = format!("{IRC}versions/2026-01-05/#{old_id}");
    assert_eq!(moved.value().attr("href"), Some(held.as_str()));
    let version = site.page(&format!("{IRC}versions/2026-01-05/"));
    assert_eq!(anchored(&version).get(&old_id).map(String::as_str), Some(old_words));
    let note = version.one(&format!("#{old_id} .para-note a"));
    assert_eq!(note.value().attr("href"), Some(format!("{IRC}versions/2026-02-10/#what-changed").as_str()));
    assert_eq!(anchored(&site.page(&format!("{IRC}versions/2026-02-10/"))), anchored(&page));
    assert!(lock_lines(d).contains(&format!("{IRC}#{old_id}")));
    assert!(!page.has_id(&healthwatch_id));
    page.one(&format!(".moved-paragraphs a[data-anchor='{healthwatch_id}']"));
    assert!(anchored(&version)[&healthwatch_id].starts_with(healthwatch));

    // In a browser, the old anchor sends the reader to the words, and a
    // current one offers its citation.
    let server = accord::serve::spawn(out.path(), "127.0.0.1:0".parse().unwrap()).unwrap();
    let tab = open_url(&format!("http://{}{IRC}#{old_id}", server.addr));
    let landed = wait_for(&tab, &format!("location.pathname + location.hash === '{held}' && location.href"));
    assert!(landed.as_str().unwrap().ends_with(&held), "{landed}");
    let (new_id, _) = anchored(&page).into_iter().find(|(_, w)| w.contains("MADE UP health")).unwrap();
    tab.navigate_to(&format!("http://{}{IRC}#{new_id}", server.addr))
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    let citation = wait_for(&tab, "document.getElementById('para-citation')?.textContent");
    let citation = citation.as_str().unwrap();
    assert!(citation.contains("“Who we are”, paragraph 1, item 3"), "{citation}");
    assert!(citation.contains("(the text corrected on this site on 10 February 2026)"), "{citation}");
    assert!(citation.ends_with(&format!("{IRC}#{new_id}")), "{citation}");
    assert_eq!(eval(&tab, "document.querySelectorAll('#para-cite').length"), 1);
    drop(tab);

    // An anchor published from a text never committed, whose words then
    // change again, has no version to send it to: the build says which.
    let first_edit = "NHS England: MADE UP health service commissioner";
    edit(d, WHO, |t| t.replacen(first_edit, "NHS England: MADE UP again", 1));
    build_into(d, out.path());
    let (uncommitted, _) = anchored(&BuiltSite::at(out.path()).page(IRC))
        .into_iter()
        .find(|(_, w)| w.contains("MADE UP again"))
        .unwrap();
    edit(d, WHO, |t| t.replacen("MADE UP again", "MADE UP once more", 1));
    let errors = accord::build(d, out.path()).expect_err("a lost anchor fails the build").render();
    assert!(
        errors.contains(&format!("the paragraph anchor `#{uncommitted}` of `{IRC}` was published")),
        "{errors}"
    );
    assert!(errors.contains("urls.lock"), "{errors}");
}

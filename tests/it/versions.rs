//! Versions from the content's git history: a fixture site committed in a
//! made-up history (every date and edit here is invented for the test) shows
//! each text an item has had at a URL in the lock, with what changed.

use std::path::Path;

use crate::common::*;

const ITEM: &str = "content/agreements/police-custody-2026-2029/items/principle-1.md";
const PAGE: &str = "/agreements/police-custody-2026-2029/principles/1/";
const SECTION: &str = "content/agreements/police-custody-2026-2029/sections/01-purpose.md";
const AGREEMENT: &str = "/agreements/police-custody-2026-2029/";

/// Replaces `from` with `to` in the item's file and commits it at `date`.
fn edit(dir: &Path, from: &str, to: &str, date: &str) {
    edit_file(dir, ITEM, from, to, date);
}

fn edit_file(dir: &Path, file: &str, from: &str, to: &str, date: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{from:?} not in {text}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    git(dir, &["commit", "-q", "-am", &format!("edit on {date}")], date);
}

fn versions_in_lock(dir: &Path) -> Vec<String> {
    versions_of(dir, PAGE)
}

fn versions_of(dir: &Path, page: &str) -> Vec<String> {
    std::fs::read_to_string(dir.join("urls.lock"))
        .unwrap()
        .lines()
        .filter(|l| l.starts_with(&format!("{page}versions/")))
        .map(str::to_owned)
        .collect()
}

#[test]
fn three_edits_to_one_item_make_three_versions_each_in_the_lock_with_its_diff() {
    let dir = copy_site(&fixture("fourth-agreement"));
    let d = dir.path();
    // A new site with a history of its own: the fixture's lock names the
    // versions of the fixture's history in this repository.
    std::fs::remove_file(d.join("urls.lock")).unwrap();
    git(d, &["init", "-q"], "2026-01-05T10:00:00Z");
    git(d, &["add", "."], "2026-01-05T10:00:00Z");
    git(d, &["commit", "-q", "-m", "first"], "2026-01-05T10:00:00Z");
    edit(d, "We share leadership", "We jointly share leadership", "2026-02-10T10:00:00Z");
    // A section's words: a version of the agreement, not of the item.
    edit_file(d, SECTION, "three invented partners", "three made-up partners", "2026-02-20T10:00:00Z");
    // Two edits on one day make one version: the day's last text.
    edit(d, "meet every quarter", "meet every month", "2026-03-15T09:00:00Z");
    edit(d, "meet every month", "meet every six weeks", "2026-03-15T17:00:00Z");
    // Neither metadata nor whitespace makes a version.
    edit(d, "number = 1\n", "number = 1\ntopics = []\n", "2026-04-01T10:00:00Z");
    edit(d, "This is made-up text", "This  is\nmade-up text", "2026-04-02T10:00:00Z");

    let site = BuiltSite::build(d);
    let lock = versions_in_lock(d);
    let expected: Vec<String> = ["2026-01-05", "2026-02-10", "2026-03-15"]
        .iter()
        .map(|date| format!("{PAGE}versions/{date}/"))
        .collect();
    assert_eq!(lock, expected, "one version per text, each in urls.lock");

    let first = site.page(&expected[0]);
    assert!(
        first.words_of(".banner").contains("This is not the current text."),
        "{}",
        first.words_of(".banner")
    );
    assert!(first.text_of(".item-text").contains("We share leadership"));
    assert!(first.words_of("#what-changed + p").contains("no earlier text to compare"));
    // The first text is the text as published, never named by the day it was committed.
    assert_eq!(first.text_of("h1"), "Principle 1: text as published (2026 to 2029)");
    assert!(!first.words_of("main").contains("5 January 2026"), "{}", first.words_of("main"));
    assert!(first.all(".diff").is_empty());

    let second = site.page(&expected[1]);
    assert_eq!(second.text_of(".diff ins"), "[added:] jointly");
    assert!(second.all(".diff del").is_empty(), "nothing was removed");
    assert!(second.text_of(".item-text").contains("We jointly share leadership"));
    assert!(second.words_of(".measures").contains("meet every quarter"), "the measures as they stood then");
    assert!(second.links_to(&expected[0]), "what changed links the version before");

    let third = site.page(&expected[2]);
    assert!(third.words_of(".banner").contains("This is the current text"));
    let removed: Vec<String> =
        third.all(".diff del").iter().map(|e| normalise(&e.text().collect::<String>())).collect();
    let added: Vec<String> =
        third.all(".diff ins").iter().map(|e| normalise(&e.text().collect::<String>())).collect();
    assert_eq!(removed, ["[removed:] quarter"], "the day's first edit is not a version of its own");
    assert_eq!(added, ["[added:] six weeks"]);
    assert!(third.words_of(".diff").contains("Measure 2: Made-up measure: the leads meet every"));
    // A version cites itself, and names the current text.
    assert!(third.text_of("#citation-harvard").contains(&format!("https://fixture.example{}", expected[2])));
    assert!(third
        .text_of("#citation-harvard")
        .contains("Principle 1, text changed on this site on 15 March 2026"));
    assert!(third.words_of(".cite dl").contains(&format!("Current text https://fixture.example{PAGE}")));

    // The current page says which version it shows, and lists them all.
    let current = site.page(PAGE);
    assert_eq!(current.text_of(".as-at"), "Text shown: the text changed on this site on 15 March 2026.");
    assert!(current.links_to(&expected[2]));
    let listed: Vec<&str> = current
        .all(".versions a[href*='/versions/']")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .filter(|h| !h.contains('#'))
        .collect();
    assert_eq!(listed, [&expected[2], &expected[1], &expected[0]], "newest first");
    assert!(current
        .words_of(".cite dl")
        .contains(&format!("Version shown https://fixture.example{}", expected[2])));

    // The page of changes and the feed list the text changes, newest first.
    let changes = site.page("/changes/");
    let days: Vec<String> =
        changes.all("h2 time").iter().map(|t| t.value().attr("datetime").unwrap().to_owned()).collect();
    assert_eq!(days, ["2026-03-15", "2026-02-20", "2026-02-10"], "the text as published is not a change");
    assert!(
        changes.links_to(&format!("{AGREEMENT}versions/2026-02-20/")),
        "a section's change, by its agreement's version"
    );
    assert!(changes.links_to(&format!("{}#what-changed", expected[1])));
    let feed = std::fs::read_to_string(site.file_for("/feed.xml")).unwrap();
    for version in &expected[1..] {
        assert!(
            feed.contains(&format!("https://fixture.example{version}#what-changed")),
            "{version} not in the feed"
        );
    }

    // The agreement has a version for each date any of its words changed,
    // each holding every section and item as it then read.
    let whole = versions_of(d, AGREEMENT);
    let dates = ["2026-01-05", "2026-02-10", "2026-02-20", "2026-03-15"];
    assert_eq!(whole, dates.map(|date| format!("{AGREEMENT}versions/{date}/")));
    let at = |i: usize| site.page(&whole[i]);
    assert!(at(0).words_of("#principle-1 + .prose").contains("We share leadership"));
    assert!(at(0).words_of("#purpose + .prose").contains("three invented partners"));
    assert!(at(1).words_of("#principle-1 + .prose").contains("We jointly share leadership"));
    assert!(at(1).links_to(&expected[1]), "each item links the version it is");
    assert!(at(2).words_of("#purpose + .prose").contains("three made-up partners"));
    assert_eq!(at(2).text_of(".changes .diff del"), "[removed:] invented");
    assert_eq!(at(2).text_of(".changes .diff ins"), "[added:] made-up");
    assert!(at(2).words_of(".banner").contains("This is not the current text."));
    assert!(at(3).words_of(".banner").contains("This is the current text"));
    assert!(at(3).links_to(&format!("{}#what-changed", expected[2])), "what changed links the item's diff");
    assert!(at(3).words_of("#principle-1-measure-2").contains("meet every six weeks"));
    let agreement = site.page(AGREEMENT);
    assert_eq!(agreement.text_of(".as-at"), "Text shown: the text changed on this site on 15 March 2026.");

    // An edit not yet committed shows on the page, and is not a version.
    let path = d.join(ITEM);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("six weeks", "fortnight")).unwrap();
    let site = BuiltSite::build(d);
    assert!(site.page(PAGE).text_of(".as-at").contains("edited after its last version"));
    assert_eq!(versions_in_lock(d), expected);
}

#[test]
fn without_history_the_build_says_so_once_and_keeps_version_urls_in_the_lock() {
    let dir = copy_site(&repo());
    let locked = std::fs::read_to_string(dir.path().join("urls.lock")).unwrap();
    let versions = locked.lines().filter(|l| l.contains("/versions/")).count();
    assert!(versions >= 30, "the real site's lock holds its items' versions ({versions})");
    let out = dir.path().join("public");
    let report = accord::build(dir.path(), &out).unwrap_or_else(|e| panic!("{}", e.render()));
    let said: Vec<&String> =
        report.notices.iter().filter(|n| n.contains("git history is not available")).collect();
    assert_eq!(said.len(), 1, "{:?}", report.notices);
    assert_eq!(std::fs::read_to_string(dir.path().join("urls.lock")).unwrap(), locked, "version URLs kept");
    let site = BuiltSite::at(&out);
    assert!(site
        .page("/agreements/irc-2022-2025/priorities/5/")
        .text_of(".as-at")
        .contains("only text of it published"));
    assert!(site.page("/changes/").words_of("main").contains("history was not available"));
}

#[test]
fn three_edits_to_one_priority_are_three_versions_and_its_page_says_which_it_shows() {
    let dir = copy_site(&fixture("fourth-agreement"));
    let d = dir.path();
    std::fs::remove_file(d.join("urls.lock")).unwrap();
    // MADE UP: a priority for this test only, in a section of its own.
    let agreement = d.join("content/agreements/police-custody-2026-2029");
    std::fs::write(
        agreement.join("sections/05-priorities.md"),
        "+++\ntitle = \"Made-up priorities\"\nitems = \"priority\"\n+++\nThis is made-up text for a test.\n",
    )
    .unwrap();
    let priority = "content/agreements/police-custody-2026-2029/items/priority-1.md";
    std::fs::write(
        d.join(priority),
        "+++\nkind = \"priority\"\nnumber = 1\n+++\nMade up: we will meet in spring.\n",
    )
    .unwrap();
    git(d, &["init", "-q"], "2026-01-05T10:00:00Z");
    git(d, &["add", "."], "2026-01-05T10:00:00Z");
    git(d, &["commit", "-q", "-m", "first"], "2026-01-05T10:00:00Z");
    edit_file(d, priority, "in spring", "in early spring", "2026-02-10T10:00:00Z");
    edit_file(d, priority, "early spring", "late summer", "2026-03-15T10:00:00Z");

    let site = BuiltSite::build(d);
    let page = "/agreements/police-custody-2026-2029/priorities/1/";
    let expected: Vec<String> = ["2026-01-05", "2026-02-10", "2026-03-15"]
        .iter()
        .map(|date| format!("{page}versions/{date}/"))
        .collect();
    assert_eq!(versions_of(d, page), expected, "three versions, each in urls.lock");
    let diff = |i: usize, what: &str| {
        site.page(&expected[i])
            .all(&format!(".diff {what}"))
            .iter()
            .map(|e| normalise(&e.text().collect::<String>()))
            .collect::<Vec<_>>()
    };
    assert_eq!(diff(1, "ins"), ["[added:] early"]);
    assert!(diff(1, "del").is_empty());
    // Word by word: the space between the two words is the same in both.
    assert_eq!(diff(2, "del"), ["[removed:] early", "[removed:] spring"]);
    assert_eq!(diff(2, "ins"), ["[added:] late", "[added:] summer"]);
    let current = site.page(page);
    assert_eq!(current.text_of(".as-at"), "Text shown: the text changed on this site on 15 March 2026.");
    assert!(current.text_of(".item-text").contains("late summer"));
}

#[test]
fn a_change_is_the_kind_its_editor_stated_when_committing_it() {
    let dir = copy_site(&fixture("fourth-agreement"));
    let d = dir.path();
    std::fs::remove_file(d.join("urls.lock")).unwrap();
    git(d, &["init", "-q"], "2026-01-05T10:00:00Z");
    git(d, &["add", "."], "2026-01-05T10:00:00Z");
    git(d, &["commit", "-q", "-m", "Made up: the fixture"], "2026-01-05T10:00:00Z");
    // MADE UP: a correction of the site's copy, and an amendment by the partners.
    let commit = |from: &str, to: &str, date: &str, trailers: &str| {
        let path = d.join(ITEM);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
        git(d, &["commit", "-q", "-am", "Made up: an edit", "-m", trailers], date);
    };
    commit(
        "We share leadership",
        "We share the leadership",
        "2026-02-10T10:00:00Z",
        "Text-change: correction",
    );
    commit(
        "meet every quarter",
        "meet every month",
        "2026-03-15T10:00:00Z",
        "Text-change: amendment\nAmendment-date: 2026-03-01\nAmendment-source: Made-up letter from the partners",
    );
    // A trailer that cannot be read is warned of, and the change is of no stated kind.
    commit("meet every month", "meet every week", "2026-04-20T10:00:00Z", "Text-change: tidy");
    let out = tempfile::tempdir().unwrap();
    let warnings = build_into(d, out.path()).warnings.render();
    let site = BuiltSite::at(out.path());
    assert!(
        warnings.contains("`Text-change: tidy` is not `correction` or `amendment`")
            && warnings.contains(ITEM),
        "{warnings}"
    );
    let page = |date: &str| site.page(&format!("{PAGE}versions/{date}/"));
    assert_eq!(page("2026-01-05").text_of("h1"), "Principle 1: text as published (2026 to 2029)");
    assert_eq!(
        page("2026-02-10").text_of("h1"),
        "Principle 1: text corrected on this site on 10 February 2026"
    );
    assert!(page("2026-02-10").words_of(".text-kind").contains("the partners' text did not change"));
    let amended = page("2026-03-15");
    assert_eq!(amended.text_of("h1"), "Principle 1: text amended by the partners from 1 March 2026");
    assert!(amended.words_of(".text-kind").contains("(Made-up letter from the partners)"));
    assert!(amended.words_of("#what-changed").contains("What changed from the text corrected on this site"));
    assert_eq!(page("2026-04-20").text_of("h1"), "Principle 1: text changed on this site on 20 April 2026");

    let changes = site.page("/changes/").words_of("main");
    assert!(changes.contains("corrected on this site"), "{changes}");
    // Each item by its number and its opening words, as every list names items.
    assert!(changes.contains("Principle 1: This is made-up text"), "{changes}");
    assert!(changes.contains("amended by the partners from 1 March 2026 (Made-up letter from the partners)"));
    assert!(!changes.contains("as published (2026"), "the text as published is not listed as a change");
    let feed = std::fs::read_to_string(site.file_for("/feed.xml")).unwrap();
    assert!(
        feed.contains("<title>Corrected on this site: Principle 1 · Police custody 2026–29</title>"),
        "{feed}"
    );
    assert!(feed.contains("<title>Amended by the partners: Principle 1 · Police custody 2026–29</title>"));
    // Open data refers to each version, and does not repeat its words.
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.file_for(&format!("{PAGE}index.json"))).unwrap()).unwrap();
    let versions = data["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 4);
    assert_eq!(versions[2]["kind"]["kind"], "amendment");
    assert_eq!(versions[2]["url"], format!("{PAGE}versions/2026-03-15/"));
    for v in versions {
        for field in ["html", "measures", "diff", "text"] {
            assert!(v.get(field).is_none(), "{field} in {v}");
        }
    }
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.file_for(&format!("{AGREEMENT}index.json"))).unwrap())
            .unwrap();
    assert!(data["versions"].as_array().unwrap().iter().all(|v| v.get("sections").is_none()));
    // The agreement's version of the day takes the item's kind.
    let whole = site.page(&format!("{AGREEMENT}versions/2026-03-15/"));
    assert!(whole.text_of("h1").ends_with(": text amended by the partners from 1 March 2026"));
}

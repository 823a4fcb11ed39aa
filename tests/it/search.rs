//! Search in a real browser: the Pagefind index built by `accord build`,
//! queried through the search page as a reader would.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

use serde_json::Value;

use crate::browser::*;
use crate::common::*;

const SUMMARY: &str = "document.querySelector('#search-summary').textContent";

/// Waits for the results of what the search box holds to be drawn in full,
/// and returns (summary, [(href, name)]) of the first `n`.
fn results(tab: &headless_chrome::Tab, n: usize) -> (String, Vec<(String, String)>) {
    let settled = format!(
        "(() => {{ const list = document.querySelector('#search-results'); \
         return list.getAttribute('aria-busy') === 'false' \
         && list.getAttribute('data-query') === document.querySelector('#search-input').value.trim() && {SUMMARY}; }})()"
    );
    let summary = wait_for(tab, &settled).as_str().unwrap().to_owned();
    let list = eval(
        tab,
        &format!(
            "JSON.stringify([...document.querySelectorAll('#search-results > li .search-result-title a')].slice(0, {n})\
             .map(a => [a.getAttribute('href'), a.textContent.trim()]))"
        ),
    );
    (summary, serde_json::from_str(list.as_str().unwrap()).unwrap())
}

/// How many pages a summary says were found.
fn count(summary: &str) -> usize {
    let first = summary.split_whitespace().next().unwrap();
    if first == "No" {
        0
    } else {
        first.parse().unwrap_or_else(|_| panic!("no count in {summary:?}"))
    }
}

#[test]
fn smoke_free_finds_irc_priority_5_first() {
    let tab = open("/search/?q=smoke+free");
    let (_, found) = results(&tab, 3);
    assert_eq!(found[0].0, "/agreements/irc-2022-2025/priorities/5/", "{found:?}");
    // Named by its number and its opening words, as the site's lists name it.
    assert_eq!(
        found[0].1,
        "Immigration removal centres 2022–25 · Priority 5: Ambition towards creating a smoke free detention estate mindful of …"
    );
}

#[test]
fn data_sharing_finds_all_three_agreements_items_in_the_top_five() {
    let tab = open("/search/?q=data+sharing");
    let (_, found) = results(&tab, 5);
    let top: Vec<&str> = found.iter().take(5).map(|(href, _)| href.as_str()).collect();
    for want in [
        "/agreements/irc-2022-2025/priorities/10/",
        "/agreements/prisons-probation-2022-2025/priorities/5/",
        "/agreements/children-secure-estate-2023-2025/principles/8/",
    ] {
        assert!(top.contains(&want), "{want} not in top five: {top:?}");
    }
}

#[test]
fn agreement_filter_from_the_url_limits_results() {
    // "data sharing" is in all three agreements: unfiltered, results come from more than one.
    let children = "/agreements/children-secure-estate-2023-2025/";
    let all = open("/search/?q=data+sharing");
    let (summary, unfiltered) = results(&all, 30);
    assert!(unfiltered.iter().any(|(href, _)| !href.starts_with(children)), "{summary}: {unfiltered:?}");
    drop(all);
    let tab =
        open("/search/?q=data+sharing&agreement=Children+and+young+people+secure+estate+2023%E2%80%9325");
    let (summary, found) = results(&tab, 30);
    assert!(!found.is_empty(), "{summary}");
    for (href, title) in &found {
        assert!(href.starts_with(children), "{href} {title} is not in the children's agreement");
    }
    assert!(
        found.iter().any(|(h, _)| h == "/agreements/children-secure-estate-2023-2025/principles/8/"),
        "{found:?}"
    );
    let pressed = eval(&tab, "[...document.querySelectorAll('#filter-agreement button[aria-pressed=true]')].map(b => b.textContent).join('|')");
    assert!(
        pressed.as_str().unwrap().starts_with("Children and young people secure estate 2023–25"),
        "{pressed}"
    );
}

#[test]
fn kind_filter_narrows_a_broad_query() {
    let all = open("/search/?q=health");
    let (all_summary, _) = results(&all, 1);
    drop(all);
    let only = open("/search/?q=health&kind=Priority");
    let (only_summary, found) = results(&only, 40);
    assert!(count(&only_summary) < count(&all_summary), "{only_summary} vs {all_summary}");
    assert!(found.iter().all(|(href, _)| href.contains("/priorities/")), "{found:?}");
}

#[test]
fn a_broad_query_fetches_its_results_a_batch_at_a_time_and_the_next_on_request() {
    let tab = open("/search/?q=health");
    let (summary, _) = results(&tab, 1);
    let found = count(&summary);
    assert!(found > 50, "{summary}");
    let drawn = || eval(&tab, "document.querySelectorAll('#search-results > li').length").as_u64().unwrap();
    assert_eq!(drawn(), 50, "only the first batch's texts are fetched");
    let button = wait_for(&tab, "!document.querySelector('#search-more').hidden && document.querySelector('#search-more button').textContent");
    assert!(button.as_str().unwrap().contains(&format!("({} not shown yet)", found - 50)), "{button}");
    eval(&tab, "document.querySelector('#search-more button').click()");
    wait_for(
        &tab,
        &format!("document.querySelectorAll('#search-results > li').length === {}", found.min(100)),
    );
    // The keyboard lands on the first of the new results.
    let focused =
        wait_for(&tab, "document.activeElement.closest('#search-results > li:nth-child(51)') !== null");
    assert_eq!(focused, Value::Bool(true));
}

#[test]
fn a_query_with_no_match_says_so() {
    let tab = open("/search/?q=xylophonequartz");
    let (summary, found) = results(&tab, 1);
    assert_eq!(summary, "No pages found for “xylophonequartz”");
    assert!(found.is_empty());
}

#[test]
fn typing_updates_the_url_and_back_restores_the_search() {
    let tab = open("/search/");
    wait_for(&tab, "document.querySelector('.search-ready') !== null");
    tab.find_element("#search-input").unwrap().click().unwrap();
    tab.type_str("mental health").unwrap();
    let (summary, _) = results(&tab, 1);
    assert!(summary.ends_with("for “mental health”"), "{summary}");
    wait_for(&tab, "location.search === '?q=mental+health'");
    // Follow the first result by keyboard, then come back.
    let first = eval(
        &tab,
        "(() => { const a = document.querySelector('#search-results a'); \
         a.focus(); return document.activeElement === a && a.getAttribute('href'); })()",
    );
    let first = first.as_str().expect("the first result link takes keyboard focus").to_owned();
    tab.press_key("Enter").unwrap();
    wait_for(&tab, &format!("location.pathname + location.hash === {first:?}"));
    eval(&tab, "history.back()");
    wait_for(&tab, "location.pathname === '/search/'");
    let (again, _) = results(&tab, 1);
    assert_eq!(again, summary);
    assert_eq!(eval(&tab, "document.querySelector('#search-input').value"), Value::from("mental health"));
}

/// Bytes a first visit downloads to show the first five results at `address`.
fn first_query_bytes(address: &str) -> f64 {
    // A fresh browser context has an empty cache, like a first visit.
    let browser = browser().lock().unwrap_or_else(|e| e.into_inner());
    let context = browser.new_context().unwrap();
    let tab = context.new_tab().unwrap();
    // Pagefind fetches its index from a web worker where the browser has
    // them, and a worker's downloads are not in the page's resource timing:
    // without workers, Pagefind fetches the same files from the page.
    tab.call_method(headless_chrome::protocol::cdp::Page::AddScriptToEvaluateOnNewDocument {
        source: "delete window.Worker;".to_owned(),
        world_name: None,
        include_command_line_api: None,
        run_immediately: None,
    })
    .unwrap();
    tab.navigate_to(address).unwrap().wait_until_navigated().unwrap();
    results(&tab, 5);
    let worker = eval(&tab, "typeof Worker");
    assert_eq!(worker, "undefined", "the page still had web workers, whose downloads would go uncounted");
    eval(
        &tab,
        "performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))\
         .reduce((sum, e) => sum + e.transferSize, 0)",
    )
    .as_f64()
    .unwrap()
}

#[test]
fn first_query_downloads_stay_small() {
    let bytes = first_query_bytes(&url("/search/?q=data+sharing"));
    println!("bytes downloaded for a first query on the real site: {:.1} KB", bytes / 1024.0);
    assert!(bytes > 10_000.0, "transfer sizes were not measured: {bytes}");
    // The page loads the text of every result of the list at once, a small
    // file each (44 of them here), so that every result is a link a keyboard
    // reaches; the budget has room for them.
    assert!(bytes < 200.0 * 1024.0, "first query downloaded {:.1} KB", bytes / 1024.0);
}

#[test]
fn without_javascript_the_search_page_points_to_the_a_to_z() {
    let (site, _) = server();
    let page = site.page("/search/");
    let noscript = page.one("noscript").inner_html();
    assert!(noscript.contains("Search needs JavaScript"), "{noscript}");
    assert!(noscript.contains("href=\"/a-z/\"") || noscript.contains("href=/a-z/"), "{noscript}");
    // The A to Z links every item page.
    let az = site.page("/a-z/");
    assert_eq!(az.all("section[aria-labelledby^=az-] li > a:first-child").len(), 2 + 3 + 3 + 10 + 10 + 9);
    // Every page has a search form in its header that works without JavaScript.
    let item = site.page("/agreements/irc-2022-2025/priorities/1/");
    assert_eq!(item.one("header form[role=search]").value().attr("action"), Some("/search/"));
    item.one("header form[role=search] input[name=q]");
}

/// A copy of the real content whose search index is split into shards of
/// at most `per_shard` records (the default holds the whole site in one).
fn sharded_copy(per_shard: usize) -> tempfile::TempDir {
    let site = copy_site(&repo());
    let settings = site.path().join("accord.toml");
    let text = std::fs::read_to_string(&settings).unwrap();
    std::fs::write(&settings, format!("{text}\n[search]\nrecords_per_shard = {per_shard}\n")).unwrap();
    site
}

/// The shards a bundle's manifest lists, by folder.
fn shard_paths(out: &Path) -> Vec<String> {
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(out.join("pagefind/accord-shards.json")).unwrap()).unwrap();
    manifest["shards"].as_array().unwrap().iter().map(|s| s["path"].as_str().unwrap().to_owned()).collect()
}

/// The real content with its index in shards of 60 records, built and served once.
fn sharded_server() -> &'static (tempfile::TempDir, std::net::SocketAddr) {
    static SHARDED: OnceLock<(tempfile::TempDir, std::net::SocketAddr)> = OnceLock::new();
    SHARDED.get_or_init(|| {
        let site = sharded_copy(60);
        let out = site.path().join("public");
        build_into(site.path(), &out);
        // Serves, on a thread of its own, until the test binary exits.
        let addr = accord::serve::spawn(&out, "127.0.0.1:0".parse().unwrap()).unwrap().addr;
        (site, addr)
    })
}

/// The summary and the set of results of `query` on a server.
fn found_at(address: &str) -> (String, BTreeSet<String>, Value) {
    let tab = open_url(address);
    let (summary, found) = results(&tab, 200);
    let pills = eval(
        &tab,
        "[...document.querySelectorAll('.search-filters button')].map(b => b.textContent.trim()).join('|')",
    );
    (summary, found.into_iter().map(|(href, _)| href).collect(), pills)
}

#[test]
fn an_index_in_shards_finds_what_one_index_finds_with_the_same_filters() {
    let (site, addr) = sharded_server();
    let shards = shard_paths(&site.path().join("public"));
    assert!(shards.len() >= 4, "the real content in shards of 60 records: {shards:?}");
    assert_eq!(shards[0], "", "the first shard is Pagefind's own bundle");
    for shard in &shards[1..] {
        let folder = site.path().join("public/pagefind").join(shard);
        assert!(folder.join("pagefind-entry.json").is_file(), "{shard}");
        assert!(!folder.join("pagefind.js").exists(), "{shard} carries Pagefind's browser code again");
    }
    for query in [
        "/search/?q=smoke+free",
        "/search/?q=data+sharing",
        "/search/?q=health&kind=Priority",
        "/search/?q=data+sharing&agreement=Children+and+young+people+secure+estate+2023%E2%80%9325",
        "/search/?q=medication",
        "/search/?q=xylophonequartz",
    ] {
        let one = found_at(&url(query));
        let sharded = found_at(&format!("http://{addr}{query}"));
        assert_eq!(sharded.0, one.0, "{query}: the summaries differ");
        assert_eq!(sharded.1, one.1, "{query}: the results differ");
        assert_eq!(sharded.2, one.2, "{query}: the filters' counts differ");
    }
    let tab = open_url(&format!("http://{addr}/search/?q=smoke+free"));
    let (_, found) = results(&tab, 3);
    assert_eq!(found[0].0, "/agreements/irc-2022-2025/priorities/5/", "{found:?}");
    drop(tab);
    let bytes = first_query_bytes(&format!("http://{addr}/search/?q=data+sharing"));
    println!("bytes downloaded for a first query on the real site in shards: {:.1} KB", bytes / 1024.0);
    assert!(bytes < 300.0 * 1024.0, "first query downloaded {:.1} KB", bytes / 1024.0);
}

#[test]
fn an_unchanged_shard_is_kept_and_an_edit_reindexes_one_shard() {
    let site = sharded_copy(60);
    let out = site.path().join("public");
    let first = build_into(site.path(), &out);
    assert!(first.search_shards >= 4, "{} shards", first.search_shards);
    assert_eq!(first.search_shards_indexed, first.search_shards);
    // The second build writes into a new folder: its shards are copied from the live site.
    let second = build_into(site.path(), &out);
    assert_eq!(second.search_shards_indexed, 0, "no record changed");
    assert_same_bundle(site.path(), &out);
    // The third writes into the folder of the first, whose shards are current.
    let third = build_into(site.path(), &out);
    assert_eq!(third.search_shards_indexed, 0, "no record changed");
    assert_same_bundle(site.path(), &out);

    let item = site.path().join("content/agreements/irc-2022-2025/items/priority-5.md");
    let text = std::fs::read_to_string(&item).unwrap();
    let edited =
        text.replace("smoke free detention estate", "smoke free detention estate (made-up edit for a test)");
    assert_ne!(edited, text);
    std::fs::write(&item, edited).unwrap();
    let fourth = build_into(site.path(), &out);
    assert_eq!(fourth.search_shards_indexed, 1, "one page changed, so one shard did");
    assert_same_bundle(site.path(), &out);
    // The fifth writes into the folder of the third, from before the edit:
    // the edited shard comes from the live site, not from a second indexing.
    let fifth = build_into(site.path(), &out);
    assert_eq!(fifth.search_shards_indexed, 0, "nothing changed since the last build");
    assert_same_bundle(site.path(), &out);
}

#[test]
fn the_preview_indexes_in_smaller_shards_and_finds_what_the_built_site_finds() {
    // The real content (208 records) in shards of 240: one shard when
    // built, shards of 60 under `accord serve`, which re-indexes the one
    // an edited page is in on every save.
    let site = sharded_copy(240);
    let out = site.path().join("public");
    assert_eq!(build_into(site.path(), &out).search_shards, 1);
    let server = accord::serve::dev::start(site.path(), "127.0.0.1:0".parse().unwrap()).unwrap();
    let shards = shard_paths(&server.out);
    assert!(shards.len() >= 4, "the preview's index in shards of 60 records: {shards:?}");
    for query in ["/search/?q=smoke+free", "/search/?q=data+sharing&kind=Priority", "/search/?q=medication"] {
        let built = found_at(&url(query));
        let preview = found_at(&format!("http://{}{query}", server.addr));
        assert_eq!(preview.0, built.0, "{query}: the summaries differ");
        assert_eq!(preview.1, built.1, "{query}: the results differ");
        assert_eq!(preview.2, built.2, "{query}: the filters' counts differ");
    }
}

/// Questions typed as a member of the public would, each with the pages
/// that answer it: one of them must be in the top five. Written for these
/// tests, in words the agreements mostly do not use.
const QUESTIONS: &[(&str, &[&str])] = &[
    ("drugs in prison", &["/agreements/prisons-probation-2022-2025/priorities/2/"]),
    ("self harm in immigration detention", &["/agreements/irc-2022-2025/priorities/3/"]),
    ("support for women in prison", &["/agreements/prisons-probation-2022-2025/priorities/6/"]),
    ("infectious disease outbreaks in removal centres", &["/agreements/irc-2022-2025/priorities/2/"]),
    ("do children leave custody healthier", &["/agreements/children-secure-estate-2023-2025/principles/6/"]),
    (
        "safeguarding children in secure homes",
        &["/agreements/children-secure-estate-2023-2025/principles/7/"],
    ),
    ("how do they reduce reoffending", &["/agreements/prisons-probation-2022-2025/objectives/2/"]),
    ("preventing deaths in custody", &["/agreements/prisons-probation-2022-2025/priorities/1/"]),
    (
        "healthcare for detainees when they are released",
        &["/agreements/irc-2022-2025/priorities/7/", "/agreements/irc-2022-2025/priorities/8/"],
    ),
    (
        "sharing health information between agencies",
        &[
            "/agreements/irc-2022-2025/priorities/10/",
            "/agreements/prisons-probation-2022-2025/priorities/5/",
            "/agreements/children-secure-estate-2023-2025/principles/8/",
        ],
    ),
    ("alcohol treatment instead of prison", &["/healthcare-for-offenders/"]),
    ("screening for diseases in prison", &["/agreements/prisons-probation-2022-2025/priorities/9/"]),
    ("suicide prevention in prison", &["/agreements/prisons-probation-2022-2025/priorities/1/"]),
    ("smoking ban", &["/agreements/irc-2022-2025/priorities/5/"]),
    ("womens health in prison", &["/agreements/prisons-probation-2022-2025/priorities/6/"]),
    ("continuity of care between prisons", &["/agreements/prisons-probation-2022-2025/objectives/3/"]),
    (
        "what happens when a young person leaves custody",
        &[
            "/agreements/children-secure-estate-2023-2025/principles/6/",
            "/agreements/children-secure-estate-2023-2025/objectives/3/",
        ],
    ),
    ("CQC inspections", &["/scrutiny/care-quality-commission/"]),
    (
        "care after release from prison",
        &[
            "/agreements/prisons-probation-2022-2025/objectives/3/",
            "/agreements/prisons-probation-2022-2025/priorities/2/",
        ],
    ),
];

/// Questions the search page used to answer badly, and the pages that answer them.
const ASKED_BEFORE: &[(&str, &[&str])] = &[
    ("stopping smoking in detention", &["/agreements/irc-2022-2025/priorities/5/"]),
    ("medicines", &["/agreements/irc-2022-2025/priorities/8/"]),
    (
        "help after leaving prison",
        &[
            "/agreements/prisons-probation-2022-2025/objectives/3/",
            "/agreements/prisons-probation-2022-2025/priorities/2/",
        ],
    ),
    ("what medicines do people get when they are removed", &["/agreements/irc-2022-2025/priorities/8/"]),
    ("mental health", &["/agreements/prisons-probation-2022-2025/priorities/4/"]),
];

/// Keyword searches whose first result was right before questions were
/// ranked by their words, and must stay first.
const KEYWORDS: &[(&str, &[&str])] = &[
    ("smoke free", &["/agreements/irc-2022-2025/priorities/5/"]),
    ("data sharing", &["/topics/data-sharing/"]),
    ("substance misuse", &["/topics/substance-misuse/"]),
    ("continuity of care", &["/topics/continuity-of-care/"]),
    ("SECURE STAIRS", &["/agreements/children-secure-estate-2023-2025/principles/2/"]),
    ("Jenny Harries", &["/people/jenny-harries/"]),
    ("Care Quality Commission", &["/scrutiny/care-quality-commission/"]),
    ("priority 5", &["/agreements/irc-2022-2025/priorities/5/"]),
    ("Healthwatch", &["/scrutiny/healthwatch/"]),
];

/// Asks each question at each width and returns every question whose
/// answers are not in its top five, with what was.
fn unanswered(questions: &[(&str, &[&str])], widths: &[u32]) -> Vec<String> {
    answered_in(questions, widths, 5)
}

/// [`unanswered`], the answers to be in the first `top` results.
fn answered_in(questions: &[(&str, &[&str])], widths: &[u32], top: usize) -> Vec<String> {
    let tab = open("/search/");
    let mut missed = Vec::new();
    for &width in widths {
        crate::quality::viewport(&tab, width);
        for (question, answers) in questions {
            tab.navigate_to(&url(&format!("/search/?q={}", question.replace(' ', "+"))))
                .unwrap()
                .wait_until_navigated()
                .unwrap();
            let (summary, found) = results(&tab, top);
            // A measure is on its principle's page.
            let found: Vec<&str> = found.iter().map(|(href, _)| href.split('#').next().unwrap()).collect();
            if !answers.iter().any(|a| found.contains(a)) {
                missed.push(format!("{question:?} at {width}px ({summary}): {found:?}"));
            }
        }
    }
    missed
}

#[test]
fn questions_in_plain_words_find_their_answers_in_the_top_five_on_a_phone_and_a_desktop() {
    let missed = unanswered(QUESTIONS, &[390, 1280]);
    assert!(missed.is_empty(), "answers not in the top five:\n{}", missed.join("\n"));
}

#[test]
fn questions_that_used_to_fail_find_their_answers_in_the_top_five() {
    let missed = unanswered(ASKED_BEFORE, &[390, 1280]);
    assert!(missed.is_empty(), "answers not in the top five:\n{}", missed.join("\n"));
}

#[test]
fn keyword_searches_keep_their_first_results() {
    let missed = answered_in(KEYWORDS, &[1280], 1);
    assert!(missed.is_empty(), "no longer first:\n{}", missed.join("\n"));
}

#[test]
fn a_result_says_which_words_it_has_and_the_summary_which_were_searched_for() {
    let tab = open("/search/?q=what+medicines+do+people+get+when+they+are+removed");
    let (summary, found) = results(&tab, 5);
    assert!(
        summary.ends_with(" found for “what medicines do people get when they are removed”"),
        "{summary}"
    );
    assert_eq!(found[0].0, "/agreements/irc-2022-2025/priorities/8/", "{found:?}");
    let first = eval(&tab, "document.querySelector('#search-results > li .search-result-words').textContent");
    // The page's own forms of the words, where they differ from the question's.
    assert_eq!(first, "Has 2 of 2 words: medicines (as “medication”), removed (as “removal”).");
    let words = eval(&tab, "document.querySelector('#search-words').innerText");
    let words = words.as_str().unwrap();
    assert!(words.contains("Searched for the words “medicines”, “removed”."), "{words}");
    assert!(words.contains("Left out as too common: what, do, people, get, when, they, are."), "{words}");
    // Words of the same meaning from the editors' list are said to be theirs.
    let editors = eval(&tab, "document.querySelector('#search-words .editorial').textContent");
    let editors = editors.as_str().unwrap();
    assert!(editors.starts_with("The site's editors' words"), "{editors}");
    assert!(editors.contains("“medication” for “medicines”"), "{editors}");
    drop(tab);
    // The glossary's abbreviations and expansions, both ways.
    for (query, answer, said) in [
        ("CQC", "/scrutiny/care-quality-commission/", "“Care Quality Commission” for “CQC”"),
        ("care quality commission", "/glossary/#term-cqc", "“CQC” for “care quality commission”"),
    ] {
        let tab = open(&format!("/search/?q={}", query.replace(' ', "+")));
        let (_, found) = results(&tab, 5);
        assert!(found.iter().any(|(href, _)| href == answer), "{query}: {found:?}");
        let words = eval(&tab, "document.querySelector('#search-words').innerText");
        assert!(words.as_str().unwrap().contains(said), "{query}: {words}");
    }
}

#[test]
fn tab_reaches_every_result_of_a_long_list_in_order_without_scrolling_first() {
    let tab = open("/search/?q=mental+health");
    let (summary, _) = results(&tab, 0);
    let total = count(&summary);
    assert!(total >= 20, "a long list: {summary}");
    let links = eval(&tab, "document.querySelectorAll('#search-results > li a').length");
    assert_eq!(links, total, "every result is a link once the list shows: {summary}");
    eval(
        &tab,
        "window.__reached = []; document.addEventListener('focusin', e => { \
         const all = [...document.querySelectorAll('#search-results > li a')]; \
         if (all.includes(e.target)) window.__reached.push(all.indexOf(e.target)); }); \
         document.querySelector('#search-input').focus()",
    );
    for _ in 0..total + 10 {
        tab.press_key("Tab").unwrap();
    }
    let reached = eval(&tab, "JSON.stringify(window.__reached)");
    let reached: Vec<usize> = serde_json::from_str(reached.as_str().unwrap()).unwrap();
    assert_eq!(reached, (0..total).collect::<Vec<_>>(), "Tab reached these results, in this order");
}

#[test]
fn filter_buttons_wrap_inside_a_phone_screen_and_read_as_buttons() {
    let tab = open("/search/");
    crate::quality::viewport(&tab, 320);
    tab.navigate_to(&url("/search/?q=health&kind=Priority")).unwrap().wait_until_navigated().unwrap();
    results(&tab, 0);
    assert_eq!(
        eval(&tab, "document.querySelector('#search-filters').open"),
        true,
        "a filter in the address opens the filters"
    );
    let measured = eval(
        &tab,
        "(() => { const luminance = c => { const [r, g, b] = c.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; }; \
         const ratio = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); }; \
         const buttons = [...document.querySelectorAll('.filter-buttons button')]; \
         return JSON.stringify({ count: buttons.length, width: innerWidth, scroll: document.documentElement.scrollWidth, \
           outside: buttons.filter(b => { const r = b.getBoundingClientRect(); return r.left < 0 || r.right > innerWidth; }).map(b => b.textContent), \
           faint: buttons.filter(b => { const s = getComputedStyle(b); return ratio(s.color, s.backgroundColor) < 4.5 || ratio(s.borderTopColor, 'rgb(255, 255, 255)') < 3 || s.opacity !== '1'; }).map(b => b.textContent) }); })()",
    );
    let measured: Value = serde_json::from_str(measured.as_str().unwrap()).unwrap();
    assert_eq!(measured["width"], 320);
    assert!(measured["count"].as_u64().unwrap() >= 10, "{measured}");
    assert_eq!(measured["scroll"], 320, "the page scrolls sideways: {measured}");
    assert_eq!(measured["outside"], serde_json::json!([]), "past the screen's edge: {measured}");
    assert_eq!(measured["faint"], serde_json::json!([]), "too faint to read as a button: {measured}");
    // The site's focus style, reached by keyboard from the filters' toggle.
    eval(&tab, "document.querySelector('#search-filters > summary').focus()");
    tab.press_key("Tab").unwrap();
    let focused = eval(
        &tab,
        "(() => { const e = document.activeElement; const s = getComputedStyle(e); \
         return e.closest('.filter-buttons') !== null && s.outlineStyle === 'solid' && s.outlineWidth === '3px' \
         && s.outlineColor === 'rgb(255, 221, 0)' && s.boxShadow.includes('0px 4px 0px'); })()",
    );
    assert_eq!(focused, true, "a filter button takes the site's focus style");
    // Pressed by keyboard, it narrows the list and keeps the keyboard's place.
    let name = eval(&tab, "document.activeElement.firstChild.textContent");
    let pressed = eval(&tab, "document.activeElement.getAttribute('aria-pressed')");
    eval(&tab, "document.querySelector('#search-results').setAttribute('aria-busy', 'waiting')");
    tab.press_key("Enter").unwrap();
    wait_for(&tab, "document.querySelector('#search-results').getAttribute('aria-busy') === 'false'");
    let now = eval(
        &tab,
        "JSON.stringify([document.activeElement.firstChild.textContent, document.activeElement.getAttribute('aria-pressed')])",
    );
    let flipped = if pressed == "true" { "false" } else { "true" };
    assert_eq!(
        now,
        Value::from(serde_json::json!([name, flipped]).to_string()),
        "focus after pressing {name}"
    );
}

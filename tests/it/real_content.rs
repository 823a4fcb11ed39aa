//! The bundled site: every permanent URL, anchor and word, checked against the seeds.

use std::collections::HashSet;

use crate::common::*;

struct Expect {
    slug: &'static str,
    seed: &'static str,
    reference: Option<&'static str>,
    objectives: u32,
    priorities: u32,
    /// Demonstrable measures per principle, in order.
    measures: &'static [u32],
    signatories: usize,
}

const AGREEMENTS: &[Expect] = &[
    Expect {
        slug: "irc-2022-2025",
        seed: "000_2dba8973bd4e685c.txt",
        reference: Some("PR1836"),
        objectives: 2,
        priorities: 10,
        measures: &[],
        signatories: 4,
    },
    Expect {
        slug: "prisons-probation-2022-2025",
        seed: "001_17a1bb753cac3418.txt",
        reference: None,
        objectives: 3,
        priorities: 10,
        measures: &[],
        signatories: 6,
    },
    Expect {
        slug: "children-secure-estate-2023-2025",
        seed: "002_ee9be3b1f4e69db1.txt",
        reference: Some("PR2070_i"),
        objectives: 3,
        priorities: 0,
        measures: &[7, 3, 5, 4, 1, 1, 2, 4, 2],
        signatories: 6,
    },
];

/// The real site, built once for all tests in this file.
fn site() -> &'static BuiltSite {
    real_site()
}

/// A seed's text as a reader sees it: whitespace collapsed, Markdown emphasis,
/// autolink brackets and link targets removed, so rendered text can be found in it.
fn seed_text(name: &str) -> String {
    let raw = std::fs::read_to_string(seeds_dir().join(name)).unwrap();
    let mut text = raw.replace("**", "").replace(['<', '>'], "");
    while let Some(start) = text.find("](") {
        let Some(len) = text[start..].find(')') else {
            break;
        };
        text.replace_range(start..start + len + 1, "");
    }
    normalise(&text.replace('[', ""))
}

fn item_urls(e: &Expect) -> Vec<(String, String)> {
    let mut urls = Vec::new();
    for (kind, plural, n) in [
        ("objective", "objectives", e.objectives),
        ("priority", "priorities", e.priorities),
        ("principle", "principles", e.measures.len() as u32),
    ] {
        for i in 1..=n {
            urls.push((format!("/agreements/{}/{plural}/{i}/", e.slug), format!("{kind}-{i}")));
        }
    }
    urls
}

#[test]
fn every_permanent_url_exists() {
    let site = site();
    for url in
        ["/", "/agreements/", "/404.html", "/healthcare-for-offenders/", "/nhs-england-health-and-justice/"]
    {
        assert!(site.exists(url), "{url} missing");
    }
    let mut count = 0;
    for e in AGREEMENTS {
        assert!(site.exists(&format!("/agreements/{}/", e.slug)));
        for (url, _) in item_urls(e) {
            assert!(site.exists(&url), "{url} missing");
            count += 1;
        }
    }
    assert_eq!(count, 2 + 3 + 3 + 10 + 10 + 9);
    // Numbers past the last item produce nothing.
    assert!(!site.exists("/agreements/irc-2022-2025/priorities/11/"));
    assert!(!site.exists("/agreements/children-secure-estate-2023-2025/priorities/1/"));
}

#[test]
fn agreement_pages_anchor_every_item_and_measure() {
    for e in AGREEMENTS {
        let page = site().page(&format!("/agreements/{}/", e.slug));
        for (url, anchor) in item_urls(e) {
            assert!(page.has_id(&anchor), "{} has no #{anchor}", e.slug);
            assert!(page.links_to(&url), "{} does not link to {url}", e.slug);
        }
        for (p, &n) in e.measures.iter().enumerate() {
            for m in 1..=n {
                let id = format!("principle-{}-measure-{m}", p + 1);
                assert!(page.has_id(&id), "{} has no #{id}", e.slug);
            }
            let beyond = format!("principle-{}-measure-{}", p + 1, n + 1);
            assert!(!page.has_id(&beyond), "{} has an extra measure #{beyond}", e.slug);
        }
    }
}

#[test]
fn item_text_is_the_seeds_word_for_word() {
    for e in AGREEMENTS {
        let seed = seed_text(e.seed);
        for (url, _) in item_urls(e) {
            let page = site().page(&url);
            let text = page.text_of(".item-text");
            assert!(text.len() > 40, "{url}: item text too short: {text:?}");
            assert!(seed.contains(&text), "{url}: text not found in {}:\n{text}", e.seed);
            for li in page.all(".measures li") {
                // The measure's words, without its "Link" to itself.
                let m = own_words(li);
                assert!(seed.contains(&m), "{url}: measure not in seed:\n{m}");
            }
        }
    }
}

#[test]
fn every_paragraph_and_list_item_of_every_agreement_is_in_its_seed() {
    for e in AGREEMENTS {
        let seed = seed_text(e.seed);
        let page = site().page(&format!("/agreements/{}/", e.slug));
        let blocks = page.all(".agreement-section .prose p, .agreement-section .prose li");
        assert!(blocks.len() > 20, "{}: only {} blocks", e.slug, blocks.len());
        for block in blocks {
            let text = own_words(block);
            assert!(seed.contains(&text), "{}: not in {}:\n{text}", e.slug, e.seed);
        }
    }
}

#[test]
fn section_order_follows_the_document() {
    for e in AGREEMENTS {
        let seed = seed_text(e.seed);
        let page = site().page(&format!("/agreements/{}/", e.slug));
        let mut last = 0;
        for block in page.all(".agreement-section .prose p") {
            let text = own_words(block);
            if text.len() < 60 {
                continue; // short lines ("Prison") recur; long ones are unique
            }
            let at = seed.find(&text).unwrap();
            assert!(at >= last, "{}: out of document order: {text}", e.slug);
            last = at;
        }
    }
}

#[test]
fn all_sixteen_signatories_are_printed_as_in_the_seeds() {
    let mut total = 0;
    for e in AGREEMENTS {
        let seed = seed_text(e.seed);
        let page = site().page(&format!("/agreements/{}/", e.slug));
        let lines = page.all(".signatories li");
        assert_eq!(lines.len(), e.signatories, "{}", e.slug);
        for line in lines {
            for part in [".signatory-name", ".signatory-role"] {
                let el = line.select(&sel(part)).next().unwrap();
                let text = normalise(&el.text().collect::<String>());
                assert!(seed.contains(&text), "{}: {part} {text:?} not in seed", e.slug);
            }
        }
        total += e.signatories;
    }
    assert_eq!(total, 16);
    let prisons = site().page("/agreements/prisons-probation-2022-2025/");
    assert!(prisons
        .text_of("#signatories + ul")
        .contains("Dame Jennifer Harries DBE, Chief Executive Officer"));
}

#[test]
fn publication_references_are_shown_on_agreement_and_item_pages() {
    for e in AGREEMENTS {
        let agreement = site().page(&format!("/agreements/{}/", e.slug));
        let item = site().page(&item_urls(e)[0].0);
        for page in [&agreement, &item] {
            let first = page.all("main dl.facts")[0];
            let facts = normalise(&first.text().collect::<Vec<_>>().join(" "));
            match e.reference {
                Some(r) => assert!(facts.contains(&format!("Publication reference {r}")), "{facts}"),
                None => assert!(!facts.contains("Publication reference"), "{facts}"),
            }
        }
    }
}

#[test]
fn item_page_shows_agreement_section_neighbours_and_way_back() {
    let page = site().page("/agreements/irc-2022-2025/priorities/10/");
    assert_eq!(page.text_of("h1"), "Priority 10");
    assert!(page
        .text_of(".item-text")
        .starts_with("Improve the quality of data and intelligence collection"));
    assert!(page.links_to("/agreements/irc-2022-2025/"));
    assert!(page.links_to("/agreements/irc-2022-2025/#our-priorities"));
    assert!(page.links_to("/agreements/irc-2022-2025/#priority-10"));
    assert!(page.links_to("/agreements/irc-2022-2025/priorities/9/"));
    assert!(page.all("a[rel=next]").is_empty(), "the last item has no next");

    // Crossing from objectives to priorities keeps document order.
    let page = site().page("/agreements/prisons-probation-2022-2025/objectives/3/");
    assert_eq!(
        page.one("a[rel=next]").value().attr("href"),
        Some("/agreements/prisons-probation-2022-2025/priorities/1/")
    );
    assert_eq!(
        page.one("a[rel=prev]").value().attr("href"),
        Some("/agreements/prisons-probation-2022-2025/objectives/2/")
    );

    let page = site().page("/agreements/children-secure-estate-2023-2025/principles/8/");
    assert_eq!(page.all(".measures li").len(), 4);
    assert!(page.has_id("principle-8-measure-3"));
}

#[test]
fn every_page_is_accessible_in_structure() {
    for (url, page) in site().pages() {
        assert_eq!(page.all("h1").len(), 1, "{url}: one h1");
        assert_eq!(page.one("html").value().attr("lang"), Some("en-GB"), "{url}");
        assert!(page.one("head > title").text().next().is_some_and(|t| !t.trim().is_empty()), "{url}: title");
        assert_eq!(page.one("a.skip-link").value().attr("href"), Some("#main-content"), "{url}");
        page.one("main#main-content");
        page.one("meta[name=viewport]");
        for h in page.all("main h2, main h3, main h4, main h5, main h6") {
            assert!(
                h.value().attr("id").is_some_and(|id| !id.is_empty()),
                "{url}: heading without id: {}",
                h.html()
            );
        }
        let ids = page.ids();
        let unique: HashSet<_> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "{url}: duplicate ids");
    }
}

#[test]
fn every_internal_link_and_anchor_resolves() {
    let (checked, broken) = site().broken_internal_links();
    assert!(broken.is_empty(), "{}", broken.join("\n"));
    assert!(checked > 500, "only {checked} links checked");
}

#[test]
fn context_pages_carry_the_web_pages() {
    let nhs = site().page("/nhs-england-health-and-justice/");
    let seed = seed_text("004_860d1b9889533726.txt");
    let areas = nhs.all("main ol li");
    assert_eq!(areas.len(), 7, "the seven priority areas of 2016–2020");
    for li in areas {
        assert!(seed.contains(&normalise(&li.text().collect::<String>())));
    }
    let offenders = site().page("/healthcare-for-offenders/");
    let text = normalise(&offenders.one("main").text().collect::<String>());
    for title in [
        "National Partnership Agreement for Prison Healthcare in England 2018 to 2021",
        "National Partnership Agreement: Commissioning delivery of Healthcare in Prisons 2015 - 2016",
    ] {
        assert!(text.contains(title), "missing {title}");
    }
    let home = site().page("/");
    assert!(home.links_to("/healthcare-for-offenders/"));
    for e in AGREEMENTS {
        assert!(home.links_to(&format!("/agreements/{}/", e.slug)));
    }
}

/// Wherever a list names objectives, priorities and principles (the table of
/// topics, each topic's page, the A to Z, the page of changes), each is
/// named by its number and its own opening words, cut at a word, never by
/// words the site made up.
#[test]
fn lists_name_items_by_their_number_and_opening_words() {
    let site = site();
    // An item's page, or one of its versions.
    let is_item = |href: &str| {
        let parts: Vec<&str> = href.trim_matches('/').split('/').collect();
        matches!(parts[..], ["agreements", _, "objectives" | "priorities" | "principles", n, ..]
            if n.parse::<u32>().is_ok() && (parts.len() == 4 || parts[4] == "versions"))
    };
    let topics = site.page("/topics/");
    let mut lists: Vec<(String, &str)> =
        vec![("/topics/".into(), "table a"), ("/a-z/".into(), "section[aria-labelledby^=az-] a")];
    // `/changes/` lists no item on the real content, whose words have not
    // changed since published; the versions tests check its names.
    for href in topics.hrefs() {
        if href.starts_with("/topics/") && href.len() > "/topics/".len() {
            lists.push((href, ".compare-item h4 a"));
        }
    }
    assert!(lists.len() > 10, "the topics' pages are not linked from /topics/");
    for (url, selector) in &lists {
        let page = site.page(url);
        let mut named = 0;
        for a in page.all(selector) {
            let href = a.value().attr("href").unwrap();
            if !is_item(href) {
                continue;
            }
            named += 1;
            let shown = normalise(&a.text().collect::<String>());
            let target = site.page(href);
            let heading = target.text_of("h1");
            let label = heading.split(':').next().unwrap();
            let text = target.text_of(".item-text");
            let opening = shown.strip_prefix(&format!("{label}: ")).unwrap_or_else(|| {
                panic!("{url}: {href} is shown as {shown:?}, not as {label:?} and its opening words")
            });
            let (words, cut) = match opening.strip_suffix(" …") {
                Some(words) => (words, true),
                None => (opening, false),
            };
            let count = words.split_whitespace().count();
            assert!(count <= 12 && (count >= 8 || words == text), "{url}: {href}: {opening:?}");
            let rest = text
                .strip_prefix(words)
                .unwrap_or_else(|| panic!("{url}: {href}: {opening:?} is not how {text:?} opens"));
            if cut {
                assert!(rest.starts_with([' ', ',', ';', ':']), "{url}: {href}: {opening:?} cuts a word");
            } else {
                assert!(
                    rest.is_empty() || words.ends_with('.'),
                    "{url}: {href}: {opening:?} is cut with no \"…\""
                );
            }
        }
        assert!(named > 0, "{url} names no item");
    }
}

/// The home page: its topics as a list, each agreement's period said once
/// on its card (the document's own title aside), and the accessibility
/// statement in the footer, not among the context for the agreements.
#[test]
fn the_home_page_lists_topics_says_each_period_once_and_leaves_the_statement_to_the_footer() {
    let home = site().page("/");
    let topics = site().page("/topics/");
    let topic_pages: Vec<String> = topics
        .hrefs()
        .into_iter()
        .filter(|h| h.starts_with("/topics/") && h.len() > "/topics/".len())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(topic_pages.len(), 16);
    let listed: Vec<&str> =
        home.all("main ul.topic-list > li > a").iter().filter_map(|a| a.value().attr("href")).collect();
    assert_eq!(listed.len(), topic_pages.len(), "every topic, one to a list item");
    assert!(listed.iter().all(|h| topic_pages.iter().any(|t| t == h)), "{listed:?}");
    for p in home.all("main p") {
        let links = p.select(&sel("a[href^='/topics/']")).count();
        assert!(
            links <= 1,
            "topics run together in a paragraph: {}",
            normalise(&p.text().collect::<String>())
        );
    }
    let cards = home.all("main .card");
    assert_eq!(cards.len(), AGREEMENTS.len());
    for card in cards {
        let title =
            card.select(&sel("p")).next().map(|p| p.text().collect::<Vec<_>>().join(" ")).unwrap_or_default();
        let words = normalise(&card.text().collect::<Vec<_>>().join(" "));
        let words = words.replacen(&normalise(&title), "", 1);
        let start = ["2022", "2023"].into_iter().find(|y| words.contains(y)).expect("a period");
        assert_eq!(words.matches(start).count(), 1, "the period said more than once: {words}");
    }
    assert!(home.all("main a[href='/accessibility/']").is_empty(), "the statement is listed as context");
    assert_eq!(home.all("footer a[href='/accessibility/']").len(), 1, "the footer links the statement");
}

/// The editors' words are labelled as theirs wherever they are shown, the
/// label before what it describes: each item's topic tags on its
/// agreement's page, the notes on an item's figures, topics and related
/// items; and the site's own listing of governance bodies is kept out of
/// the document's contents, under a label of its own.
#[test]
fn editors_words_are_labelled_before_what_they_describe() {
    let site = site();
    for e in AGREEMENTS {
        let url = format!("/agreements/{}/", e.slug);
        let page = site.page(&url);
        let mut tags = 0;
        for item in page.all("li.item") {
            for a in item.select(&sel("a[href^='/topics/']")) {
                tags += 1;
                let parent = scraper::ElementRef::wrap(a.parent().unwrap()).unwrap();
                let first = parent.first_child().and_then(scraper::ElementRef::wrap);
                let label = first.filter(|f| {
                    f.value().has_class("editorial-label", scraper::CaseSensitivity::CaseSensitive)
                });
                assert!(
                    parent.value().has_class("editorial", scraper::CaseSensitivity::CaseSensitive)
                        && label.is_some(),
                    "{url}: the topic tag {:?} is not labelled as the editors'",
                    a.text().collect::<String>()
                );
            }
        }
        assert!(tags > 0, "{url}: no item's topics shown");
        let document_contents: Vec<String> = page
            .one("nav.toc > ol")
            .select(&sel("a"))
            .filter_map(|a| a.value().attr("href").map(str::to_owned))
            .collect();
        assert!(
            !document_contents.contains(&"#governance-bodies".to_owned()),
            "{url}: {document_contents:?}"
        );
        if page.has_id("governance-bodies") {
            let apart = page.one("nav.toc > .toc-apart + ul");
            assert!(apart.select(&sel("a[href='#governance-bodies']")).next().is_some(), "{url}");
            assert!(page.text_of("nav.toc > .toc-apart").contains("site's"), "{url}");
        }
    }
    let mut notes = 0;
    for e in AGREEMENTS {
        for kind in ["objectives", "priorities", "principles"] {
            for n in 1..=12 {
                let url = format!("/agreements/{}/{kind}/{n}/", e.slug);
                if !site.exists(&url) {
                    continue;
                }
                let page = site.page(&url);
                for id in ["figures", "topics", "related"] {
                    let Some(heading) = page.all(&format!("main h2#{id}")).into_iter().next() else {
                        continue;
                    };
                    let next = heading.next_siblings().find_map(scraper::ElementRef::wrap).unwrap();
                    assert!(
                        next.value().has_class("editorial-note", scraper::CaseSensitivity::CaseSensitive),
                        "{url}: the editors' note on #{id} does not come before the list"
                    );
                    notes += 1;
                }
            }
        }
    }
    assert!(notes > 30, "only {notes} notes found");
}

#[test]
fn words_that_point_to_slides_pages_or_graphics_carry_an_editors_note() {
    let page = real_site().page("/agreements/prisons-probation-2022-2025/");
    let notes: Vec<String> = page
        .all(".agreement-section .leftovers .editorial")
        .iter()
        .map(|n| normalise(&n.text().collect::<String>()))
        .collect();
    for words in [
        "(as set out in Slide 4)",
        "(pages 5 and 6)",
        "5x",
        "people supervised on Probation in the community",
    ] {
        let note = notes
            .iter()
            .find(|n| n.contains(&format!("“{words}”")))
            .unwrap_or_else(|| panic!("no note on {words}: {notes:?}"));
        assert!(note.starts_with("Editors' note"), "the note is not labelled as the editors': {note}");
    }
    // The document's words themselves stay as printed.
    let text: String = page.all(".agreement-section .prose").iter().flat_map(|p| p.text()).collect();
    assert!(text.contains("5x") && text.contains("(pages 5 and 6)"));
}

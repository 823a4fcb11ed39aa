//! Cross-references: topics, relations, backlinks and `accord suggest`.

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

use crate::common::*;

const DATA_SHARING: [&str; 3] = [
    "/agreements/irc-2022-2025/priorities/10/",
    "/agreements/prisons-probation-2022-2025/priorities/5/",
    "/agreements/children-secure-estate-2023-2025/principles/8/",
];

fn real() -> &'static BuiltSite {
    real_site()
}

fn topic_ids() -> Vec<String> {
    let text = std::fs::read_to_string(repo().join("content/topics.toml")).unwrap();
    let value: toml::Value = toml::from_str(&text).unwrap();
    value["topic"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap().to_owned()).collect()
}

fn item_pages(site: &BuiltSite) -> Vec<String> {
    site.pages()
        .into_iter()
        .map(|(url, _)| url)
        .filter(|u| ["/objectives/", "/priorities/", "/principles/"].iter().any(|k| u.contains(k)))
        .filter(|u| !u.contains("/versions/"))
        .collect()
}

#[test]
fn every_item_is_on_a_topic_page_and_every_topic_has_items() {
    let site = real();
    let matrix = site.page("/topics/");
    let ids = topic_ids();
    assert!(ids.len() >= 10, "{ids:?}");
    let mut on_topic_pages = HashSet::new();
    for id in &ids {
        let url = format!("/topics/{id}/");
        assert!(matrix.links_to(&url), "/topics/ does not link {url}");
        let page = site.page(&url);
        let items: Vec<String> = page
            .all(".compare-item h4 a")
            .iter()
            .filter_map(|a| a.value().attr("href"))
            .map(str::to_owned)
            .collect();
        assert!(!items.is_empty(), "{url} lists no items");
        // The comparison shows each item's full text, not a summary.
        for article in page.all(".compare-item") {
            let href = article.select(&sel("h4 a")).next().unwrap().value().attr("href").unwrap();
            let shown = normalise(&article.select(&sel(".prose")).next().unwrap().text().collect::<String>());
            assert_eq!(shown, site.page(href).text_of(".item-text"), "{url}: {href}");
        }
        on_topic_pages.extend(items);
    }
    let all = item_pages(site);
    assert_eq!(all.len(), 37);
    for item in all {
        assert!(on_topic_pages.contains(&item), "{item} is on no topic page");
        assert!(
            !site.page(&item).all("#topics + .editorial-note + ul.tags a").is_empty(),
            "{item} shows no topic"
        );
    }
}

#[test]
fn the_three_data_sharing_items_link_each_other() {
    for from in DATA_SHARING {
        let page = real().page(from);
        let related: Vec<String> = page
            .all("#related + .editorial-note + ul > li > a")
            .iter()
            .filter_map(|a| a.value().attr("href"))
            .map(str::to_owned)
            .collect();
        for to in DATA_SHARING.iter().filter(|t| **t != from) {
            let at = related.iter().position(|r| r == to);
            assert!(at.is_some_and(|i| i < 2), "{from} should list {to} first among related: {related:?}");
        }
    }
    let topic = real().page("/topics/data-sharing/");
    for item in DATA_SHARING {
        assert!(topic.links_to(item), "data-sharing topic misses {item}");
    }
}

#[test]
fn topic_pages_show_nhs_priority_areas_as_context() {
    let page = real().page("/topics/continuity-of-care/");
    let text = page.words_of("main");
    assert!(text.contains("Supporting continuity of care, on reception and post release"), "{text}");
}

#[test]
fn links_in_text_become_referenced_from_backlinks() {
    let site = BuiltSite::build(&fixture("fourth-agreement"));
    let page = site.page("/agreements/police-custody-2026-2029/principles/2/");
    let back = page.one("#referenced-from + ul");
    let hrefs: Vec<_> = back.select(&sel("a")).filter_map(|a| a.value().attr("href")).collect();
    assert_eq!(hrefs, ["/agreements/police-custody-2026-2029/#governance"]);
}

#[test]
fn a_relation_to_a_missing_item_fails_with_file_and_line() {
    let item = "content/agreements/police-custody-2026-2029/items/principle-1.md";
    let errors = build_errors(&fixture("fourth-agreement"), |root| {
        let path = root.join(item);
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.replacen(
            "number = 1\n",
            "number = 1\nrelated = [\"@/agreements/police-custody-2026-2029/principles/9\"]\n",
            1,
        );
        std::fs::write(path, text).unwrap();
    });
    assert!(
        errors.contains(&format!(
            "{item}:4:12: related item `@/agreements/police-custody-2026-2029/principles/9` does not exist"
        )),
        "{errors}"
    );
}

#[test]
fn an_unknown_topic_fails_with_file_and_line() {
    let item = "content/agreements/police-custody-2026-2029/items/objective-2.md";
    let errors = build_errors(&fixture("fourth-agreement"), |root| {
        std::fs::write(
            root.join("content/topics.toml"),
            "[[topic]]\nid = \"made-up\"\ntitle = \"Made up\"\ndescription = \"Made up for a test.\"\n",
        )
        .unwrap();
        let path = root.join(item);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(
            path,
            text.replacen("number = 2\n", "number = 2\ntopics = [\"made-up\", \"nonsense\"]\n", 1),
        )
        .unwrap();
    });
    assert!(errors.contains(&format!("{item}:4:22: unknown topic `nonsense`")), "{errors}");
    assert!(errors.contains("use one of: made-up"), "{errors}");
}

fn suggest(root: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["suggest", "--format", "json", "--root"])
        .arg(root)
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap().as_array().unwrap().clone()
}

#[test]
fn suggest_all_ranks_the_data_sharing_items_in_each_others_top_three() {
    let pairs = suggest(&repo(), &["--all"]);
    let scores: Vec<f64> = pairs.iter().map(|p| p["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "sorted by score");
    assert_eq!(pairs.len(), 12 * 12 + 12 * 13 + 13 * 12, "every cross-agreement pair once");
    for item in DATA_SHARING {
        let top: Vec<&str> = pairs
            .iter()
            .filter_map(|p| match (p["a"].as_str().unwrap(), p["b"].as_str().unwrap()) {
                (a, b) if a == item => Some(b),
                (a, b) if b == item => Some(a),
                _ => None,
            })
            .take(3)
            .collect();
        for other in DATA_SHARING.iter().filter(|o| **o != item) {
            assert!(top.contains(other), "{other} not in the top three for {item}: {top:?}");
        }
    }
}

#[test]
fn suggest_lists_a_missed_pair_once_its_topic_and_relations_are_gone() {
    let plain = suggest(&repo(), &[]);
    let is_pair = |p: &serde_json::Value| {
        p["a"] == DATA_SHARING[0] && p["b"] == DATA_SHARING[1]
            || p["a"] == DATA_SHARING[1] && p["b"] == DATA_SHARING[0]
    };
    assert!(!plain.iter().any(is_pair), "already related, so not suggested");
    assert!(plain.iter().all(|p| p["related"] == false));

    let copy = copy_site(&repo());
    for entry in walkdir::WalkDir::new(copy.path().join("content/agreements")) {
        let path = entry.unwrap().into_path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let rel = path.strip_prefix(copy.path()).unwrap().to_string_lossy().into_owned();
        let is_data_item = [
            "irc-2022-2025/items/priority-10.md",
            "prisons-probation-2022-2025/items/priority-5.md",
            "children-secure-estate-2023-2025/items/principle-8.md",
        ]
        .iter()
        .any(|s| rel.ends_with(s));
        let kept: Vec<&str> = text
            .lines()
            .filter(|l| !(l.starts_with("related =") || is_data_item && l.starts_with("topics =")))
            .collect();
        std::fs::write(&path, kept.join("\n") + "\n").unwrap();
    }
    let missed = suggest(copy.path(), &[]);
    let found = missed.iter().position(is_pair).expect("the data-sharing pair is suggested");
    assert!(found < 3, "it ranks near the top: {found}");
    assert_eq!(missed[found]["related"], false);
}

/// The fixture with `count` more made-up objectives, all on one made-up topic, built.
fn fixture_with_objectives_on_a_topic(count: u32) -> BuiltSite {
    let dir = copy_site(&fixture("fourth-agreement"));
    let root = dir.path();
    std::fs::write(
        root.join("content/topics.toml"),
        "# MADE UP for a test\n[[topic]]\nid = \"made-up\"\ntitle = \"Made up\"\ndescription = \"Made up for a test.\"\n",
    )
    .unwrap();
    let items = root.join("content/agreements/police-custody-2026-2029/items");
    for n in 3..3 + count {
        let words = "This is made-up text for a test fixture, long enough to be cut short. ".repeat(8);
        std::fs::write(
            items.join(format!("objective-{n}.md")),
            format!("+++\nkind = \"objective\"\nnumber = {n}\ntopics = [\"made-up\"]\n+++\nObjective {n}. {words}\n"),
        )
        .unwrap();
    }
    BuiltSite::build(root)
}

#[test]
fn a_topic_quotes_its_items_whole_until_there_are_too_many_for_one_page() {
    let few = fixture_with_objectives_on_a_topic(60).page("/topics/made-up/");
    assert_eq!(few.all(".compare-item").len(), 60);
    assert_eq!(few.all(".compare-item .prose").len(), 60, "60 items are each quoted whole");
    let first = few.all(".compare-item .prose")[0].text().collect::<String>();
    let whole = format!(
        "Objective 3. {}",
        "This is made-up text for a test fixture, long enough to be cut short. ".repeat(8)
    );
    assert_eq!(first.trim(), whole.trim_end(), "the item's text is quoted whole");

    let site = fixture_with_objectives_on_a_topic(61);
    let many = site.page("/topics/made-up/");
    assert_eq!(many.all(".compare-item").len(), 61, "every item is still listed");
    assert!(many.all(".compare-item .prose").is_empty(), "61 items are not quoted whole");
    assert!(many.text_of("main").contains("This topic gathers 61 items, too many to quote whole"));
    for n in 3..64 {
        let url = format!("/agreements/police-custody-2026-2029/objectives/{n}/");
        assert!(many.links_to(&url), "the topic page does not link {url}");
        assert!(site.page(&url).text_of("main").contains(&format!("Objective {n}. This is made-up")));
    }
    let first = many.all(".compare-item p")[0].text().collect::<String>();
    assert!(first.starts_with("Objective 3. This is made-up text") && first.ends_with('…'), "{first}");
    assert!(first.chars().count() <= 301, "{first}");
}

/// The open data gives each item's text once, in its agreement: a topic's
/// items and an item's related items are references (label, agreement,
/// URL) to an item the data has, while the pages still quote them.
#[test]
fn open_data_refers_to_items_rather_than_repeating_them() {
    let read = |path: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(real().out.join(path.trim_start_matches('/'))).unwrap())
            .unwrap()
    };
    let data = read("data/accord.json");
    // The site-wide file refers to each agreement's own, which holds its text.
    let agreements: Vec<serde_json::Value> = data["agreements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            assert!(a.get("items").is_none() && a.get("sections").is_none(), "the text repeated in {a}");
            read(a["data"].as_str().unwrap().strip_prefix("https://accord.example").unwrap())
        })
        .collect();
    let mut texts = std::collections::HashMap::new();
    for a in &agreements {
        for i in a["items"].as_array().unwrap() {
            assert!(!i["html"].as_str().unwrap().is_empty(), "{}", i["url"]);
            // The words once: as HTML, not again as text.
            assert!(i.get("text").is_none(), "{}: text repeats html", i["url"]);
            texts.insert(i["url"].as_str().unwrap().to_owned(), i["html"].as_str().unwrap().to_owned());
        }
    }
    let assert_reference = |link: &serde_json::Value, whose: &str| {
        for field in ["html", "text"] {
            assert!(link.get(field).is_none(), "{whose}: {field} repeated in {link}");
        }
        for field in ["label", "anchor", "agreement"] {
            assert!(!link[field].as_str().unwrap().is_empty(), "{whose}: no {field} in {link}");
        }
        let url = link["url"].as_str().unwrap();
        assert!(texts.contains_key(url), "{whose}: {url} is not an item in the data");
    };
    let (mut in_topics, mut related) = (0, 0);
    for t in data["topics"].as_array().unwrap() {
        for column in t["columns"].as_array().unwrap() {
            for link in column["items"].as_array().unwrap() {
                assert_reference(link, t["id"].as_str().unwrap());
                in_topics += 1;
            }
        }
    }
    let item_url = "/agreements/irc-2022-2025/priorities/1/";
    let item = read(&format!("{item_url}index.json"));
    assert_eq!(item["html"].as_str(), texts.get(item_url).map(String::as_str));
    for r in item["related"].as_array().unwrap() {
        assert_reference(&r["item"], item_url);
        related += 1;
    }
    for a in &agreements {
        for i in a["items"].as_array().unwrap() {
            for r in i["related"].as_array().unwrap() {
                assert_reference(&r["item"], i["url"].as_str().unwrap());
            }
        }
    }
    assert!(in_topics > 50 && related > 0, "{in_topics} items under topics, {related} related");
    let topic = real().page("/topics/mental-health/");
    let quoted = topic.all(".compare-item p")[0].text().collect::<String>();
    assert!(quoted.len() > 40, "the topic page still quotes its items: {quoted}");
}

/// An agreement's page quotes every item but shows none of the lists only
/// each item's own page shows, and is given its items without them; the
/// agreement's data (and every other serialisation) still has them all.
#[test]
fn an_agreement_page_gets_its_items_in_brief_and_its_data_whole() {
    let site = accord::resolve_site(&repo()).unwrap();
    let agreement = site
        .agreements
        .iter()
        .find(|a| a.items.iter().any(|i| !i.related.is_empty()))
        .expect("an agreement with items that have related items");
    let whole = serde_json::to_value(agreement).unwrap();
    let brief = serde_json::to_value(accord::model::InBrief(agreement)).unwrap();
    let items = |v: &serde_json::Value| v["items"].as_array().unwrap().clone();
    let (whole_items, brief_items) = (items(&whole), items(&brief));
    assert_eq!(whole_items.len(), brief_items.len());
    for field in ["related", "referenced_from", "history", "versions"] {
        assert!(whole_items.iter().all(|i| i.get(field).is_some()), "{field} in the agreement's data");
        assert!(brief_items.iter().all(|i| i.get(field).is_none()), "{field} on the agreement's page");
    }
    for field in ["html", "measures", "topics", "mentions", "url", "anchor", "label"] {
        assert!(brief_items.iter().all(|i| i.get(field).is_some()), "{field} on the agreement's page");
    }
    assert_eq!(serde_json::to_value(agreement).unwrap(), whole, "brief ends with the agreement's page");
    let data: serde_json::Value = serde_json::from_slice(
        &std::fs::read(real().out.join(agreement.path.trim_start_matches('/')).join("index.json")).unwrap(),
    )
    .unwrap();
    assert!(items(&data).iter().any(|i| !i["related"].as_array().unwrap().is_empty()));
}

/// No open data file grows with the whole site's text past what a host
/// takes: the items' CSV is written in parts of whole agreements, each with
/// its header, listed on /data/ and in the site-wide file.
#[test]
fn the_items_csv_is_split_into_parts_a_host_accepts() {
    let out = tempfile::tempdir().unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["build", "--root"])
        .arg(repo())
        .arg("--output")
        .arg(out.path().join("public"))
        .env("ACCORD_CSV_PART_BYTES", "8000")
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let site = BuiltSite::at(&out.path().join("public"));
    let whole = std::fs::read_to_string(real().file_for("/data/items.csv")).unwrap();
    let header = whole.lines().next().unwrap();
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(site.file_for("/data/accord.json")).unwrap()).unwrap();
    let parts: Vec<&str> =
        data["items_csv"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert_eq!(parts.len(), 3, "one part an agreement at this size: {parts:?}");
    let mut rows = Vec::new();
    let mut agreements = Vec::new();
    for (n, url) in parts.iter().enumerate() {
        let path = url.strip_prefix("https://accord.example").unwrap();
        assert_eq!(
            path,
            if n == 0 { "/data/items.csv".to_owned() } else { format!("/data/items-{}.csv", n + 1) }
        );
        let text = std::fs::read_to_string(site.file_for(path)).unwrap();
        let mut lines = text.lines();
        assert_eq!(lines.next(), Some(header), "{path} has the header");
        let part: Vec<String> = lines.map(str::to_owned).collect();
        let slugs: std::collections::BTreeSet<&str> =
            part.iter().map(|l| l.split(',').next().unwrap()).collect();
        assert_eq!(slugs.len(), 1, "{path}: whole agreements, here one: {slugs:?}");
        agreements.extend(slugs.into_iter().map(str::to_owned));
        rows.extend(part);
        assert!(site.page("/data/").links_to(path), "/data/ lists {path}");
    }
    assert_eq!(agreements.len(), 3, "each agreement in one part");
    // Together, the parts are the one file a smaller site has.
    assert_eq!(rows, whole.lines().skip(1).map(str::to_owned).collect::<Vec<_>>());
}

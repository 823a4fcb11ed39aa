//! The site says only what is true: what it says of an agreement's
//! currency is worked out as at a date, the editors' words are marked as
//! theirs, abbreviations are expanded as the documents expand them, and the
//! feed and sitemap tell what changed and when.

use std::path::Path;
use std::process::Command;

use crate::common::*;

/// `accord build` of `root` into `out` as at `date` (SOURCE_DATE_EPOCH).
fn build_as_at(root: &Path, out: &Path, date: &str) -> String {
    let days = days_from_civil(date);
    let run = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .env("SOURCE_DATE_EPOCH", (days * 86_400).to_string())
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    String::from_utf8_lossy(&run.stderr).into_owned()
}

/// Days since 1970-01-01 of `YYYY-MM-DD`.
fn days_from_civil(date: &str) -> i64 {
    let parts: Vec<i64> = date.split('-').map(|p| p.parse().unwrap()).collect();
    let (y, m, d) = (parts[0] - i64::from(parts[1] <= 2), parts[1], parts[2]);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

const AGREEMENTS: &[&str] =
    &["irc-2022-2025", "prisons-probation-2022-2025", "children-secure-estate-2023-2025"];

#[test]
fn after_their_periods_no_agreement_claims_to_be_in_force() {
    let site = copy_site(&repo());
    let out = tempfile::tempdir().unwrap();
    build_as_at(site.path(), &out.path().join("public"), "2026-11-23");
    let built = BuiltSite::at(&out.path().join("public"));
    for (url, page) in built.pages() {
        let text = normalise(&page.html.root_element().text().collect::<String>());
        assert!(!text.contains("In force"), "{url} says an agreement is in force");
    }
    for slug in AGREEMENTS {
        let page = built.page(&format!("/agreements/{slug}/"));
        let status = page.words_of("#status");
        assert!(
            status.contains("This agreement covered 20")
                && status.contains(". No later agreement is recorded on this site (as at 23 November 2026)."),
            "{slug}: {status}"
        );
        assert_eq!(page.all("#status").len(), 1, "{slug}: said once");
        assert!(!page.words_of("main").contains("no successor"), "{slug}");
        // Item pages say the same, of the agreement they are part of.
        let item = built.page(&format!("/agreements/{slug}/objectives/1/"));
        let of_item = item.words_of("#status");
        assert!(of_item.starts_with("This objective is part of an agreement that covered 20"), "{of_item}");
        assert!(of_item.ends_with("No later agreement is recorded on this site (as at 23 November 2026)."));
    }
    // Within the periods, the same content says they are running.
    let during = tempfile::tempdir().unwrap();
    build_as_at(site.path(), &during.path().join("public"), "2024-06-30");
    let page = BuiltSite::at(&during.path().join("public")).page("/agreements/irc-2022-2025/");
    assert_eq!(
        page.words_of("#status"),
        "This agreement covers 2022 to 2025. Its period is running (as at 30 June 2024)."
    );
    assert!(page.all(".banner").is_empty());
}

#[test]
fn rebuilds_with_source_date_epoch_are_byte_identical() {
    let site = copy_site(&repo());
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    build_as_at(site.path(), &a.path().join("public"), "2026-12-01");
    // Touch every file, as a fresh checkout would: dates come from the epoch and content, not the clock.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    build_as_at(site.path(), &b.path().join("public"), "2026-12-01");
    let (ta, tb) = (files_under(&a.path().join("public")), files_under(&b.path().join("public")));
    assert_eq!(ta, tb);
    for f in ta {
        assert!(
            std::fs::read(a.path().join("public").join(&f)).unwrap()
                == std::fs::read(b.path().join("public").join(&f)).unwrap(),
            "{} differs",
            f.display()
        );
    }
}

#[test]
fn the_lineage_of_earlier_agreements_is_the_chain_it_is() {
    let page = real_site().page("/agreements/");
    let earlier = page.text_of("main");
    assert!(
        earlier.contains("Commissioning delivery of Healthcare in Prisons 2015 - 2016 (2015 to 2016): replaced by National Partnership Agreement for Prison Healthcare in England 2018 to 2021."),
        "{earlier}"
    );
    assert!(earlier.contains("Prison Healthcare in England 2018 to 2021 (2018 to 2021): replaced by Prisons and probation 2022–25."), "{earlier}");
}

#[test]
fn editors_words_are_marked_as_theirs() {
    let topic = real_site().page("/topics/mental-health/");
    assert_eq!(topic.text_of(".editorial .editorial-label"), "Editors' summary");
    let meta = topic.one("meta[name=description]").value().attr("content").unwrap().to_owned();
    assert!(meta.starts_with("Editors' summary:"), "{meta}");
    let data: serde_json::Value =
        serde_json::from_slice(&std::fs::read(real_site().out.join("data/accord.json")).unwrap()).unwrap();
    assert_eq!(data["version"], 4);
    for t in data["topics"].as_array().unwrap() {
        assert_eq!(t["description"]["editorial"], true, "{}", t["id"]);
    }
    let item = real_site().page("/agreements/irc-2022-2025/priorities/1/");
    for heading in ["topics", "related"] {
        // The note before the list it describes.
        let note = item.one(&format!("#{heading} + .editorial-note")).text().collect::<String>();
        assert!(note.contains("editors"), "#{heading}: {note}");
    }
    let footer = real_site().page("/").text_of(".site-footer p");
    assert!(footer.contains("are the site's editors' own, and are marked as theirs"), "{footer}");
}

#[test]
fn the_mental_health_topic_shows_what_the_childrens_agreement_says() {
    let topic = real_site().page("/topics/mental-health/");
    let children = topic.words_of("[aria-labelledby=col-children-secure-estate-2023-2025]");
    assert!(!children.contains("tagged nothing"), "{children}");
    assert!(children.contains("Children in custody recorded as having mental health concerns"), "{children}");
    assert!(children.contains("41%") && children.contains("33%"), "{children}");
    assert!(children.contains("SECURE STAIRS"), "{children}");
    assert!(children.contains("Our Cohort"), "the cohort section is listed: {children}");
}

#[test]
fn abbreviations_link_to_a_glossary_of_the_documents_own_expansions() {
    let glossary = real_site().page("/glossary/");
    let entry = glossary.words_of("main");
    assert!(entry.contains("ACDT assessment care in detention and teamwork"), "{entry}");
    assert!(entry.contains("“assessment care in detention and teamwork (ACDT)”"), "{entry}");
    let item = real_site().page("/agreements/irc-2022-2025/priorities/3/");
    let marked = item.all("main a.glossary-term abbr[title]");
    let acdt: Vec<_> = marked.iter().filter(|a| a.text().collect::<String>() == "ACDT").collect();
    assert_eq!(acdt.len(), 1, "ACDT marked once, at its first use");
    assert_eq!(acdt[0].value().attr("title"), Some("assessment care in detention and teamwork"));
    assert!(item.links_to("/glossary/#term-acdt"));
}

#[test]
fn a_glossary_quote_that_is_not_on_its_page_fails_the_build() {
    let site = copy_site(&repo());
    let path = site.path().join("content/glossary.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen(
            "assessment care in detention and teamwork (ACDT)",
            "Assessment, Care in Custody and Teamwork (ACDT)",
            1,
        ),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let errors = accord::build(site.path(), &out.path().join("public"))
        .expect_err("a made-up expansion fails")
        .render();
    assert!(
        errors.contains("content/glossary.toml:")
            && errors.contains("is not in the text of Immigration removal centres 2022–25 · Priority 3"),
        "{errors}"
    );
}

#[test]
fn context_pages_say_what_they_are_and_where_agreements_contradict_them() {
    let page = real_site().page("/healthcare-for-offenders/");
    let banner = page.words_of(".banner");
    assert!(banner.contains("This page is an undated copy of the government web page"), "{banner}");
    assert!(
        banner.contains(
            "The establishment of ICBs resulted in clinical commissioning groups (CCGs) being closed down"
        ),
        "{banner}"
    );
    assert!(banner.contains("Editors' note"), "{banner}");
    let source =
        real_site().page("/agreements/prisons-probation-2022-2025/").words_of("[aria-labelledby=source]");
    assert!(source.contains("restored from the names the agreement's purpose paragraph gives"), "{source}");
}

#[test]
fn figures_keep_their_units_and_periods() {
    let months = real_site().page("/figures/medication-at-point-of-removal/").text_of("main");
    assert!(months.contains("up to 3 months"), "{months}");
    assert!(real_site().page("/figures/medication-supply-on-release/").text_of("main").contains("28 days"));
    let rise = real_site().page("/figures/increase-in-12-month-plus-sentences/").text_of("main");
    assert!(rise.contains("2009 to 2019"), "{rise}");
}

#[test]
fn a_placeholder_base_url_is_a_warning_naming_its_line() {
    let out = Command::new(env!("CARGO_BIN_EXE_accord"))
        .args(["check", "--root"])
        .arg(copy_site(&repo()).path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: accord.toml:4:12: base_url is a placeholder (accord.example)"),
        "{stderr}"
    );
}

#[test]
fn the_sitemap_lists_every_page_with_its_last_change() {
    let sitemap = std::fs::read_to_string(real_site().out.join("sitemap.xml")).unwrap();
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let urls: Vec<roxmltree::Node> = doc.descendants().filter(|n| n.has_tag_name("url")).collect();
    for u in &urls {
        assert!(u.children().any(|c| c.has_tag_name("lastmod")), "no lastmod: {:?}", u.text());
    }
    let listed: std::collections::HashSet<String> = urls
        .iter()
        .filter_map(|u| u.children().find(|c| c.has_tag_name("loc")).and_then(|l| l.text()))
        .map(|l| l.trim_start_matches("https://accord.example").to_owned())
        .collect();
    for (url, page) in real_site().pages() {
        let redirect = !page.all("meta[http-equiv=refresh]").is_empty();
        if url.starts_with("/pagefind/") || url == "/404.html" || redirect {
            continue;
        }
        assert!(listed.contains(&url), "{url} is not in the sitemap");
    }
}

#[test]
fn the_feed_is_a_feed_of_content_changes_with_their_real_dates() {
    let site = copy_site(&fixture("fourth-agreement"));
    // A history of its own: the fixture's lock names the versions of this repository's.
    std::fs::remove_file(site.path().join("urls.lock")).unwrap();
    git(site.path(), &["init", "-q"], "2026-01-05");
    git(site.path(), &["add", "."], "2026-01-05");
    git(site.path(), &["commit", "-qm", "Made up: the fixture"], "2026-01-05");
    let item = site.path().join("content/agreements/police-custody-2026-2029/items/principle-2.md");
    let text = std::fs::read_to_string(&item).unwrap();
    std::fs::write(&item, format!("{text}\nA made-up sentence added in a second commit.\n")).unwrap();
    git(site.path(), &["commit", "-qam", "Made up: an edit"], "2026-03-09");
    let built = BuiltSite::build(site.path());
    let feed = std::fs::read_to_string(built.out.join("feed.xml")).unwrap();
    let doc = roxmltree::Document::parse(&feed).unwrap();
    let entries: Vec<(String, String)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .map(|e| {
            let child = |name: &str| {
                e.children()
                    .find(|c| c.has_tag_name(name))
                    .and_then(|c| c.text())
                    .unwrap_or_default()
                    .to_owned()
            };
            (child("title"), child("updated"))
        })
        .filter(|(title, _)| title.starts_with("Site updated"))
        .collect();
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert_eq!(
        entries[0],
        ("Site updated: Principle 2 · Police custody 2026–29".to_owned(), "2026-03-09T00:00:00Z".to_owned())
    );
    assert!(entries[1].1.starts_with("2026-01-05"), "{entries:?}");
    let page = built.page("/agreements/police-custody-2026-2029/");
    assert!(
        page.words_of("#status").contains("as at 9 March 2026"),
        "the as-at date is the latest content change"
    );
}

#[test]
fn a_citation_is_accessed_the_day_it_is_read_and_without_script_says_what_its_date_is() {
    // Built as at a day long past, so that day and today differ.
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build_as_at(&repo(), &public, "2025-01-15");
    let item = "agreements/irc-2022-2025/priorities/5/index.html";
    let html = std::fs::read_to_string(public.join(item)).unwrap();
    assert!(
        html.contains(
            "15 January 2025</time> <span data-accessed-note>(the date the site's text is as at)</span>"
        ),
        "without script, the accessed date is the as-at date, labelled as such"
    );
    let server = accord::serve::spawn(&public, "127.0.0.1:0".parse().unwrap()).unwrap();
    let page =
        crate::browser::open_url(&format!("http://{}/agreements/irc-2022-2025/priorities/5/", server.addr));
    let today = crate::browser::eval(
        &page.tab,
        "new Date().toLocaleDateString('en-GB', {day: 'numeric', month: 'long', year: 'numeric'})",
    );
    let today = today.as_str().unwrap().to_owned();
    let cited = crate::browser::eval(
        &page.tab,
        "[...document.querySelectorAll('.citation')].map(c => c.textContent).join('\\n')",
    );
    let cited = cited.as_str().unwrap();
    assert!(cited.contains(&format!("Accessed: {today}")), "{cited}");
    assert!(!cited.contains("15 January 2025"), "{cited}");
    let fact = crate::browser::eval(
        &page.tab,
        "document.querySelector('[data-accessed-on]').parentElement.textContent",
    );
    assert_eq!(fact.as_str().unwrap(), format!("{today} (today, the day you read this page)"));
}

/// An abbreviation the documents print two ways (MoJ and MOJ, IRC and IRCs)
/// is one glossary entry, shown once with its other spellings, each with the
/// words that define it; pages mark its first use in whichever spelling.
#[test]
fn an_abbreviation_printed_two_ways_is_one_entry_marked_in_either_spelling() {
    let glossary = real_site().page("/glossary/");
    let entries: Vec<String> =
        glossary.all("dl.glossary dt").iter().map(|dt| normalise(&dt.text().collect::<String>())).collect();
    for (term, other) in [("MoJ", "MOJ"), ("ICS", "ICSs"), ("IRC", "IRCs"), ("YOI", "YOIs")] {
        let shown: Vec<&String> = entries
            .iter()
            .filter(|e| {
                e.split_whitespace()
                    .any(|w| w.trim_end_matches(',') == term || w.trim_end_matches(',') == other)
            })
            .collect();
        assert_eq!(
            shown,
            [&format!("{term} also {other}")],
            "{term} and {other}: one entry, with its other spelling"
        );
    }
    let moj = glossary.words_of("main");
    assert!(
        moj.contains("“the Ministry of Justice (MoJ)”") && moj.contains("“The Ministry of Justice (MOJ)”"),
        "{moj}"
    );
    // Marked where a page first uses it, in the spelling that page uses.
    for (url, spelling, anchor, title) in [
        ("/healthcare-for-offenders/", "MOJ", "term-moj", "Ministry of Justice"),
        ("/agreements/irc-2022-2025/objectives/2/", "IRCs", "term-irc", "immigration removal centre"),
    ] {
        let page = real_site().page(url);
        let marked: Vec<_> = page
            .all("main a.glossary-term")
            .into_iter()
            .filter(|a| a.value().attr("href") == Some(&format!("/glossary/#{anchor}")))
            .collect();
        assert_eq!(marked.len(), 1, "{url}: {spelling} marked once, at the term's first use");
        assert_eq!(normalise(&marked[0].text().collect::<String>()), spelling, "{url}");
        let abbr = marked[0].select(&sel("abbr")).next().unwrap();
        assert_eq!(abbr.value().attr("title"), Some(title), "{url}");
    }
}

#[test]
fn a_spelling_is_checked_as_a_term_is_and_named_at_its_line() {
    let glossary = std::fs::read_to_string(repo().join("content/glossary.toml")).unwrap();
    let line_of = |text: &str, needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    // A made-up expansion for a spelling.
    let errors = build_errors(&repo(), |root| {
        edit(root, "content/glossary.toml", |t| {
            t.replace("The Ministry of Justice (MOJ)", "The Ministry Of Justice (MOJ)")
        })
    });
    let line = line_of(&glossary, "The Ministry of Justice (MOJ)");
    assert!(
        errors.contains(&format!("content/glossary.toml:{line}:"))
            && errors.contains("is not in the text of Healthcare for offenders"),
        "{errors}"
    );
    // A key a spelling does not have.
    let errors = build_errors(&repo(), |root| {
        edit(root, "content/glossary.toml", |t| {
            t.replace("abbreviation = \"MOJ\"\n", "abbreviation = \"MOJ\"\nplural = true\n")
        })
    });
    let line = line_of(&glossary, "abbreviation = \"MOJ\"") + 1;
    assert!(
        errors.contains(&format!("content/glossary.toml:{line}:")) && errors.contains("plural"),
        "{errors}"
    );
    // A spelling that is also an entry of its own.
    let errors = build_errors(&repo(), |root| {
        edit(root, "content/glossary.toml", |t| {
            t + "\n[[term]]\nabbreviation = \"MOJ\"\nexpansion = \"Ministry of Justice\"\ndefined = \"@/healthcare-for-offenders\"\nquote = \"The Ministry of Justice (MOJ)\"\n"
        })
    });
    let line = glossary.lines().count() + 3;
    assert!(
        errors.contains(&format!("content/glossary.toml:{line}:"))
            && errors.contains("`MOJ` is already a spelling of MoJ"),
        "{errors}"
    );
}

#[test]
fn licence_and_source_are_settings_shown_where_readers_and_data_users_look_and_warned_of_when_unset() {
    let site = copy_site(&repo());
    let out = tempfile::tempdir().unwrap();
    let warnings = build_into(site.path(), &out.path().join("unset")).warnings.render();
    assert!(warnings.contains("accord.toml:1:1: the site states no licence"), "{warnings}");
    for slug in AGREEMENTS {
        let file = format!("content/agreements/{slug}/agreement.toml");
        let text = std::fs::read_to_string(site.path().join(&file)).unwrap();
        let line = text.lines().position(|l| l == "[source]").unwrap() + 1;
        let at = format!("{file}:{line}:1: no source.url");
        assert!(warnings.contains(&at), "{slug}: {at} not in {warnings}");
    }
    // MADE UP for this test: the bundled content records neither, and nothing is invented for it.
    edit(site.path(), "accord.toml", |t| {
        format!("{t}\n[licence]\nname = \"Made-up Licence v1\"\nurl = \"https://licence.example/v1\"\n")
    });
    edit(site.path(), "content/agreements/irc-2022-2025/agreement.toml", |t| {
        t.replace("[source]\n", "[source]\nurl = \"https://publisher.example/irc\"\npublished = 2022-03-01\n")
    });
    let report = build_into(site.path(), &out.path().join("set"));
    let warnings = report.warnings.render();
    assert!(
        !warnings.contains("no licence") && !warnings.contains("irc-2022-2025/agreement.toml"),
        "{warnings}"
    );
    let built = BuiltSite::at(&out.path().join("set"));
    let footer = built.page("/").words_of(".site-footer .licence");
    assert!(footer.starts_with("The text and data on this site are published under the Made-up Licence v1"));
    assert!(built
        .page("/data/")
        .words_of("main")
        .contains("The data is published under the Made-up Licence v1"));
    let json = |path: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(built.out.join(path)).unwrap()).unwrap()
    };
    assert_eq!(json("data/accord.json")["licence"]["url"], "https://licence.example/v1");
    assert_eq!(
        json("agreements/irc-2022-2025/priorities/5/index.json")["licence"]["name"],
        "Made-up Licence v1"
    );
    let csl = json("agreements/irc-2022-2025/priorities/5/cite.json");
    assert_eq!(csl[0]["license"], "Made-up Licence v1 (https://licence.example/v1)", "{csl}");
    let page = built.page("/agreements/irc-2022-2025/");
    let details = page.words_of("#details");
    assert!(details.contains("Published at https://publisher.example/irc , on 1 March 2022"), "{details}");
    assert!(page.links_to("https://publisher.example/irc"));
}

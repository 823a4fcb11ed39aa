//! Figures, progress updates and open data.

use crate::common::*;

fn real() -> &'static BuiltSite {
    real_site()
}

fn figure_ids() -> Vec<String> {
    let text = std::fs::read_to_string(repo().join("content/figures.toml")).unwrap();
    let value: toml::Value = toml::from_str(&text).unwrap();
    value["figure"].as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn every_figure_is_on_the_figures_page_with_its_source_sentence() {
    let list = real().page("/figures/");
    let ids = figure_ids();
    assert!(ids.len() >= 20, "{}", ids.len());
    let seeds: String = std::fs::read_dir(seeds_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| normalise(&std::fs::read_to_string(p).unwrap().replace("**", "")))
        .collect::<Vec<_>>()
        .join(" ");
    for id in &ids {
        let url = format!("/figures/{id}/");
        assert!(list.links_to(&url), "/figures/ misses {id}");
        let page = real().page(&url);
        let sentence = normalise(&page.one("#source + blockquote").text().collect::<String>());
        assert!(seeds.contains(&sentence), "{id}: source sentence not in the seeds: {sentence}");
        // Every value in the table is printed in the sentence (as digits, or the seed's words).
        for cell in page.all("table.data tbody td") {
            let shown = normalise(&cell.text().collect::<String>());
            let digits: String = shown.chars().filter(|c| c.is_ascii_digit()).collect();
            let bare = digits.trim_start_matches('0');
            let plain = sentence.replace(',', "");
            let words = ["three", "five", "seven"];
            assert!(
                plain.contains(bare) || words.iter().any(|w| sentence.contains(w)),
                "{id}: {shown} not in: {sentence}"
            );
        }
        assert!(
            page.links_to_prefix("/agreements/")
                || page.links_to_prefix("/healthcare-for-offenders/")
                || page.links_to_prefix("/nhs-england-health-and-justice/"),
            "{id}: no source link"
        );
    }
}

#[test]
fn the_2009_to_2019_series_is_a_line_chart_with_its_table() {
    let page = real().page("/figures/children-in-youth-justice-settings/");
    let svg = page.one("figure.chart-figure svg[role=img]");
    assert!(svg.select(&sel("polyline.chart-line")).next().is_some());
    let desc = normalise(&svg.select(&sel("desc")).next().unwrap().text().collect::<String>());
    assert_eq!(
        desc,
        "Line chart of average number of children in youth justice settings. 2009: 2,881; 2019: 859."
    );
    let rows: Vec<String> = page
        .all("table.data tbody tr")
        .iter()
        .map(|r| normalise(&r.text().collect::<Vec<_>>().join(" ")))
        .collect();
    assert_eq!(rows, ["2009 2,881", "2019 859"]);
    let bars = real().page("/figures/mental-health-concerns-girls-and-boys/");
    assert_eq!(bars.all("svg rect.chart-bar").len(), 2, "a comparison is a bar chart");
    // The agreement page lists the figures it quotes; a related item lists its figures.
    assert!(real()
        .page("/agreements/children-secure-estate-2023-2025/")
        .links_to("/figures/children-in-youth-justice-settings/"));
    assert!(real()
        .page("/agreements/irc-2022-2025/priorities/8/")
        .links_to("/figures/medication-at-point-of-removal/"));
}

#[test]
fn csv_and_json_parse_and_match_the_html() {
    let site = real();
    let csv_text = std::fs::read_to_string(site.file_for("/data/figures.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let series: Vec<(String, String)> = rows
        .iter()
        .filter(|r| &r[0] == "children-in-youth-justice-settings")
        .map(|r| (r[4].to_owned(), r[7].to_owned()))
        .collect();
    assert_eq!(series, [("2009".to_owned(), "2881".to_owned()), ("2019".to_owned(), "859".to_owned())]);
    assert!(rows.iter().all(|r| r[8].starts_with("https://accord.example/figures/")));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.file_for("/data/accord.json")).unwrap()).unwrap();
    assert_eq!(json["version"], 4);
    assert_eq!(json["figures"].as_array().unwrap().len(), figure_ids().len());
    assert_eq!(json["agreements"].as_array().unwrap().len(), 3);
    let items = std::fs::read_to_string(site.file_for("/data/items.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(items.as_bytes());
    let items: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(items.len(), 37);
    for row in &items {
        let path = row[3].trim_start_matches("https://accord.example");
        assert_eq!(site.page(path).text_of(".item-text"), normalise(&row[6]), "{path}");
    }
    let updates = std::fs::read_to_string(site.file_for("/data/updates.csv")).unwrap();
    assert_eq!(updates.lines().count(), 1, "the bundled content publishes no progress updates");
    assert!(site.page("/data/").words_of("main").contains("No progress updates have been published"));
}

#[test]
fn each_figure_has_its_own_data_and_a_citation_of_where_it_is_quoted() {
    let site = real();
    let all = std::fs::read_to_string(site.file_for("/data/figures.csv")).unwrap();
    let header = all.lines().next().unwrap();
    for id in figure_ids() {
        let page = format!("/figures/{id}/");
        let own = std::fs::read_to_string(site.file_for(&format!("{page}data.csv"))).unwrap();
        let mut lines = own.lines();
        assert_eq!(lines.next(), Some(header), "{id}: the same columns as every figure's CSV");
        let rows: Vec<&str> = lines.collect();
        assert!(!rows.is_empty() && rows.iter().all(|r| r.starts_with(&format!("{id},"))), "{id}: {own}");
        let in_all = all.lines().filter(|l| l.starts_with(&format!("{id},"))).count();
        assert_eq!(rows.len(), in_all, "{id}: every row of the figure, and only its");
        let json: serde_json::Value =
            serde_json::from_slice(&std::fs::read(site.file_for(&format!("{page}index.json"))).unwrap())
                .unwrap();
        assert_eq!(json["id"], id.as_str());
        assert_eq!(json["permanent_url"], format!("https://accord.example{page}"));
        let html = site.page(&page);
        assert!(
            html.links_to(&format!("{page}data.csv")) && html.links_to(&format!("{page}index.json")),
            "{id}"
        );
    }
    // Quoted in an agreement: cited as the section it is quoted in, at the figure's own URL.
    let page = site.page("/figures/children-in-youth-justice-settings/");
    let harvard = page.text_of("#citation-harvard");
    assert!(
        harvard.contains("Available at: https://accord.example/figures/children-in-youth-justice-settings/"),
        "{harvard}"
    );
    assert!(
        harvard.contains("Health and Justice Children Programme national partnership agreement 2023-25"),
        "{harvard}"
    );
    assert!(page.links_to("/figures/children-in-youth-justice-settings/cite.bib"));
    let bib = std::fs::read_to_string(site.file_for("/figures/children-in-youth-justice-settings/cite.bib"))
        .unwrap();
    assert!(bib.contains("figure-children-in-youth-justice-settings"), "{bib}");
    // Quoted from a copy of a web page: the page says to cite that page.
    let copied = site.page("/figures/cstr-protocol-sites/");
    assert!(copied.words_of("main").contains("cite the page it comes from"));
    assert!(copied.all("#citation-harvard").is_empty());
}

#[test]
fn made_up_progress_updates_give_an_overview_history_and_list() {
    let site = BuiltSite::build(&fixture("fourth-agreement"));
    let agreement = site.page("/agreements/police-custody-2026-2029/");
    assert_eq!(agreement.text_of("#progress"), "Progress: 2026-Q2", "the latest period");
    let overview: Vec<String> =
        agreement.all(".status-list li").iter().map(|l| normalise(&l.text().collect::<String>())).collect();
    assert_eq!(overview, ["Principle 1: At risk", "Principle 2: Complete"]);
    let item = site.page("/agreements/police-custody-2026-2029/principles/2/");
    let history: Vec<String> = item
        .all("#progress + .table-scroll tbody tr")
        .iter()
        .map(|r| normalise(&r.text().collect::<Vec<_>>().join(" ")))
        .collect();
    assert_eq!(history, ["2026-Q1 On track", "2026-Q2 Complete"]);
    let list = site.page("/updates/");
    let order: Vec<String> =
        list.all("section.update > h2").iter().map(|h| normalise(&h.text().collect::<String>())).collect();
    assert_eq!(order, ["Police custody 2026–29: 2026-Q2", "Police custody 2026–29: 2026-Q1"], "newest first");
    let csv_text = std::fs::read_to_string(site.file_for("/data/updates.csv")).unwrap();
    assert_eq!(csv_text.lines().count(), 1 + 4);
    let feed = std::fs::read_to_string(site.file_for("/feed.xml")).unwrap();
    assert!(feed.contains("<title>Progress update: Police custody 2026–29, 2026-Q2</title>"), "{feed}");
    assert!(
        feed.contains("<id>https://fixture.example/updates/#police-custody-2026-2029-2026-q2</id>"),
        "{feed}"
    );
}

const FIGURE: &str = "# Made up for a test.\n[[figure]]\nid = \"made-up\"\nlabel = \"Made up\"\nunit = \"percent\"\nkind = \"series\"\nsource = \"police-custody-2026-2029\"\nsentence = \"Made up.\"\n";

#[test]
fn bad_data_fails_with_file_and_line() {
    let errors = build_errors(&fixture("fourth-agreement"), |root| {
        std::fs::write(root.join("content/figures.toml"), format!("{FIGURE}[[figure.value]]\nperiod = \"2020\"\nvalue = 120\n[[figure.value]]\nperiod = \"2020\"\nvalue = 50\n")).unwrap();
    });
    assert!(
        errors.contains("content/figures.toml:11:9: 120 is not a percentage between 0 and 100"),
        "{errors}"
    );
    assert!(
        errors.contains("content/figures.toml:13:10: period `2020` appears twice in this series"),
        "{errors}"
    );

    let update = "content/updates/2026-q1.toml";
    let errors = build_errors(&fixture("fourth-agreement"), |root| {
        let path = root.join(update);
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.replacen("status = \"not-started\"", "status = \"going-fine\"", 1).replacen(
            "principles/2\"",
            "principles/9\"",
            1,
        );
        std::fs::write(path, text).unwrap();
    });
    assert!(errors.contains(&format!("{update}:8:10: `going-fine` is not a status")), "{errors}");
    assert!(errors.contains("use one of: not-started, on-track, at-risk, off-track, complete"), "{errors}");
    assert!(
        errors.contains(&format!(
            "{update}:13:8: no item `@/agreements/police-custody-2026-2029/principles/9`"
        )),
        "{errors}"
    );
}

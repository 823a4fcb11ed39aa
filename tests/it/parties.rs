//! Signatories, organisations and scrutiny bodies: one page each, with every
//! agreement's own words.

use crate::common::*;

fn real() -> &'static BuiltSite {
    real_site()
}

/// (agreement link, printed name) rows of a person's page.
fn signatures(slug: &str) -> Vec<(String, String)> {
    let page = real().page(&format!("/people/{slug}/"));
    page.all("table.data tbody tr")
        .iter()
        .map(|row| {
            let link = row.select(&sel("th a")).next().unwrap().value().attr("href").unwrap().to_owned();
            let name = normalise(&row.select(&sel("td")).next().unwrap().text().collect::<String>());
            (link, name)
        })
        .collect()
}

#[test]
fn one_person_page_per_signatory_with_each_printed_name() {
    let harries = signatures("jenny-harries");
    assert_eq!(
        harries,
        [
            ("/agreements/irc-2022-2025/#signatories".to_owned(), "Jenny Harries".to_owned()),
            (
                "/agreements/prisons-probation-2022-2025/#signatories".to_owned(),
                "Dame Jennifer Harries DBE".to_owned()
            ),
            (
                "/agreements/children-secure-estate-2023-2025/#signatories".to_owned(),
                "Dr Jenny Harries".to_owned()
            ),
        ]
    );
    let davies: Vec<String> = signatures("kate-davies").into_iter().map(|(_, n)| n).collect();
    assert_eq!(davies, ["Kate Davies CBE", "Kate Davies, CBE", "Kate Davies"]);
    assert_eq!(signatures("matthew-style").len(), 3);
    assert_eq!(signatures("amy-rees").len(), 2);
    // Every signature on an agreement page links to its person.
    let mut lines = 0;
    for slug in ["irc-2022-2025", "prisons-probation-2022-2025", "children-secure-estate-2023-2025"] {
        for li in real().page(&format!("/agreements/{slug}/")).all(".signatories li") {
            assert!(li.select(&sel(".signatory-name a[href^='/people/']")).next().is_some(), "{}", li.html());
            lines += 1;
        }
    }
    assert_eq!(lines, 16);
    let index = real().page("/people/");
    assert_eq!(index.all("main ul.people > li").len(), 9);
}

#[test]
fn scrutiny_body_pages_quote_every_agreement_word_for_word() {
    let page = real().page("/scrutiny/care-quality-commission/");
    let quotes: Vec<(String, String)> = page
        .all(".compare-column")
        .iter()
        .map(|col| {
            let agreement = col.select(&sel("h2 a")).next().unwrap().value().attr("href").unwrap().to_owned();
            let text = normalise(&col.select(&sel("blockquote")).next().unwrap().text().collect::<String>());
            (agreement, text)
        })
        .collect();
    assert_eq!(quotes.len(), 2, "{quotes:?}");
    let irc = normalise(&std::fs::read_to_string(seeds_dir().join("000_2dba8973bd4e685c.txt")).unwrap());
    let prisons = normalise(&std::fs::read_to_string(seeds_dir().join("001_17a1bb753cac3418.txt")).unwrap());
    assert_eq!(quotes[0].0, "/agreements/irc-2022-2025/");
    assert!(irc.contains(&quotes[0].1), "{}", quotes[0].1);
    assert_eq!(quotes[1].0, "/agreements/prisons-probation-2022-2025/");
    assert!(prisons.contains(&quotes[1].1), "{}", quotes[1].1);
    // The agreement page renders the same paragraph from the same data, linked to the body.
    let agreement = real().page("/agreements/irc-2022-2025/");
    assert!(agreement.links_to("/scrutiny/care-quality-commission/"));
    assert!(agreement
        .words_of("#scrutiny-care-quality-commission + .prose")
        .contains("An independent regulator"));
}

#[test]
fn every_scrutiny_paragraph_is_in_content_exactly_once() {
    let mut content = String::new();
    for entry in walkdir::WalkDir::new(repo().join("content")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            content.push_str(&std::fs::read_to_string(entry.path()).unwrap());
            content.push('\n');
        }
    }
    let mut descriptions = 0;
    for slug in ["irc-2022-2025", "prisons-probation-2022-2025"] {
        let text =
            std::fs::read_to_string(repo().join(format!("content/agreements/{slug}/scrutiny.toml"))).unwrap();
        let value: toml::Value = toml::from_str(&text).unwrap();
        for d in value["description"].as_array().unwrap() {
            let paragraph = d["text"].as_str().unwrap();
            assert_eq!(content.matches(paragraph).count(), 1, "not exactly once: {paragraph}");
            descriptions += 1;
        }
    }
    // The IRC agreement describes 8 bodies and the prisons one 11 (the seeds README says 12, the text prints 11).
    assert_eq!(descriptions, 8 + 11);
    assert_eq!(real().page("/scrutiny/").all("main ul.people > li").len(), 11);
}

#[test]
fn organisation_pages_list_agreements_people_and_responsibilities() {
    let nhs = real().page("/organisations/nhs-england/");
    for slug in ["irc-2022-2025", "prisons-probation-2022-2025", "children-secure-estate-2023-2025"] {
        assert!(nhs.links_to(&format!("/agreements/{slug}/")), "{slug}");
    }
    let signed = nhs.words_of("#signatories + ul");
    assert!(signed.contains("Kate Davies CBE") && signed.contains("John Stewart"), "{signed}");
    let responsibilities = nhs.words_of("main");
    assert!(responsibilities.contains("Health service commissioner"), "IRC's words");
    assert!(
        responsibilities.contains("Commissioning body of the National Health Service in England"),
        "prisons' words"
    );
}

fn build_error(added: &str) -> String {
    build_errors(&fixture("fourth-agreement"), |dir| {
        edit(dir, "content/agreements/police-custody-2026-2029/agreement.toml", |text| {
            text.replacen("[[signatories]]\n", &format!("[[signatories]]\n{added}\n"), 1)
        })
    })
}

#[test]
fn an_unknown_person_or_organisation_in_a_signature_fails_with_file_and_line() {
    let file = "content/agreements/police-custody-2026-2029/agreement.toml";
    let text = std::fs::read_to_string(fixture("fourth-agreement").join(file)).unwrap();
    let line = text.lines().position(|l| l == "[[signatories]]").unwrap() + 2;
    let errors = build_error("person = \"nobody-at-all\"");
    assert!(errors.contains(&format!("{file}:{line}:10: unknown person `nobody-at-all`")), "{errors}");
    let errors = build_error("organisation_id = \"no-such-body\"");
    assert!(errors.contains(&format!("{file}:{line}:19: unknown organisation `no-such-body`")), "{errors}");
}

/// The `href`s inside one element of a page.
fn links_in(page: &Page, selector: &str) -> Vec<String> {
    page.one(selector).select(&sel("a")).filter_map(|a| a.value().attr("href").map(str::to_owned)).collect()
}

#[test]
fn governance_bodies_are_on_their_agreement_page_linked_to_organisations_the_text_names() {
    let irc = real().page("/agreements/irc-2022-2025/");
    let ids: Vec<String> = irc.ids().into_iter().filter(|id| id.starts_with("governance-")).collect();
    assert_eq!(
        ids,
        [
            "governance-bodies",
            "governance-irc-healthcare-partnership-group",
            "governance-local-delivery-boards",
            "governance-centre-partnership-boards",
            "governance-health-and-justice-data-intelligence-and-evidence-group"
        ]
    );
    // Co-chaired by each partner: every partner's page, and the section that says so.
    let group = links_in(&irc, "section[aria-labelledby='governance-irc-healthcare-partnership-group']");
    for org in
        ["home-office", "uk-health-security-agency", "department-of-health-and-social-care", "nhs-england"]
    {
        assert!(group.contains(&format!("/organisations/{org}/")), "{org}: {group:?}");
        assert!(real().exists(&format!("/organisations/{org}/")));
    }
    assert!(group.contains(&"#how-we-work-together".to_owned()) && irc.has_id("how-we-work-together"));
    // Led by "healthcare commissioners": no organisation is named, so none is linked.
    let cpb = links_in(&irc, "section[aria-labelledby='governance-centre-partnership-boards']");
    assert!(!cpb.iter().any(|l| l.starts_with("/organisations/")), "{cpb:?}");

    let home_office = real().page("/organisations/home-office/");
    assert!(home_office.links_to("/agreements/irc-2022-2025/#governance-local-delivery-boards"));
    assert!(home_office.words_of("main").contains("“led by the Home Office Service Delivery Managers”"));

    let prisons = real().page("/agreements/prisons-probation-2022-2025/");
    assert!(prisons.has_id("governance-health-and-justice-strategic-partnership-board"));
    let children = real().page("/agreements/children-secure-estate-2023-2025/");
    let forum = children.words_of("section[aria-labelledby='governance-secure-care-strategic-forum']");
    assert!(forum.contains("Also called Strategic Secure Care Forum"), "{forum}");
    assert!(children.links_to("#governance-bodies"), "in the contents");
}

#[test]
fn the_childrens_inspection_and_audit_mentions_link_to_scrutiny_bodies() {
    let principle = real().page("/agreements/children-secure-estate-2023-2025/principles/3/");
    let checks = principle.words_of(".mentions");
    assert!(checks.contains("“recommendations from inspection reports”"), "{checks}");
    assert!(principle.links_to("/scrutiny/care-quality-commission/"));
    assert!(principle.links_to("/scrutiny/hm-inspectorate-of-prisons/"));

    let cqc = real().page("/scrutiny/care-quality-commission/");
    assert!(cqc.links_to("/agreements/children-secure-estate-2023-2025/principles/3/"));
    // Still the two agreements' descriptions, side by side.
    assert_eq!(cqc.all(".compare-column").len(), 2);
    let internal = real().page("/scrutiny/internal-organisational-governance/");
    for n in [5, 7] {
        assert!(internal.links_to(&format!("/agreements/children-secure-estate-2023-2025/principles/{n}/")));
    }
    let index = real().page("/scrutiny/").words_of("main");
    assert!(
        index.contains("mentioned without its name by Children and young people secure estate"),
        "{index}"
    );
}

/// The real site with `edit` applied to one of its files, built: the errors.
fn real_site_error(file: &str, change: impl FnOnce(String) -> String) -> String {
    build_errors(&repo(), |dir| edit(dir, file, change))
}

#[test]
fn governance_and_mentions_that_misquote_the_agreement_fail_with_file_and_line() {
    let file = "content/agreements/irc-2022-2025/governance.toml";
    let text = std::fs::read_to_string(repo().join(file)).unwrap();
    let line = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;

    let errors = real_site_error(file, |t| t.replacen("led by the Home Office", "run by the Home Office", 1));
    let at = line("led by the Home Office");
    assert!(errors.contains(&format!("{file}:{at}:9: the quote “run by the Home Office")), "{errors}");
    assert!(errors.contains("is not in the agreement's text"), "{errors}");

    let errors = real_site_error(file, |t| t.replacen("id = \"home-office\"", "id = \"home-ofice\"", 1));
    let at = line("id = \"home-office\"");
    assert!(errors.contains(&format!("{file}:{at}:6: unknown organisation `home-ofice`")), "{errors}");

    let file = "content/agreements/children-secure-estate-2023-2025/scrutiny.toml";
    let errors = real_site_error(file, |t| t.replacen("inspection reports", "inspections", 1));
    assert!(errors.contains("“recommendations from inspections” is not in Principle 3"), "{errors}");
    let errors = real_site_error(file, |t| t.replacen("\"hm-inspectorate-of-prisons\"", "\"hmip\"", 1));
    assert!(errors.contains("unknown scrutiny body `hmip`"), "{errors}");

    // A section that fails to load is one error, not one more per quote from it.
    let section = "content/agreements/irc-2022-2025/sections/03-how-we-work-together.md";
    let errors =
        real_site_error(section, |t| t.replacen("title = \"How we work together\"", "title = \"How", 1));
    assert!(errors.contains("1 error found") && errors.contains(section), "{errors}");
}

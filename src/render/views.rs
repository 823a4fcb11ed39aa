//! The model shaped for what lists and pages show: an agreement in a list
//! carries its items' labels and first words, not every item's HTML; a
//! topic in the table of topics, links; the A to Z, every subject under its
//! letter; the page of changes, one day at a time.

use serde::Serialize;

use crate::model::{self, Agreement, Item, Site};

/// One letter of the A to Z: its anchor and what is under it.
#[derive(Serialize)]
pub(super) struct Letter {
    letter: String,
    id: String,
    entries: Vec<Subject>,
}

/// A subject a reader may look for, as the A to Z lists it.
#[derive(Serialize)]
pub(super) struct Subject {
    name: String,
    url: String,
    kind: &'static str,
}

/// Every subject a reader may look for (topics, glossary terms,
/// organisations, scrutiny bodies, governance bodies and people) under its
/// letter, A to Z; every letter is there, empty or not.
pub(super) fn a_to_z(site: &Site) -> Vec<Letter> {
    let mut subjects: Vec<(String, Subject)> = Vec::new();
    let mut add = |name: String, url: &str, kind: &'static str| {
        let key = name.trim_start_matches("The ").to_lowercase();
        subjects.push((key, Subject { name, url: url.to_owned(), kind }));
    };
    for t in &site.topics {
        add(t.title.clone(), t.url.as_str(), "Topic");
    }
    for t in &site.glossary.terms {
        let spellings: Vec<&str> =
            std::iter::once(t.abbreviation.as_str()).chain(t.spellings.iter().map(String::as_str)).collect();
        add(format!("{} ({})", spellings.join(" or "), t.expanded()), t.url.as_str(), "Abbreviation");
    }
    for o in &site.organisations {
        add(o.name.clone(), o.url.as_str(), "Organisation");
    }
    for b in &site.scrutiny_bodies {
        add(b.name.clone(), b.url.as_str(), "Scrutiny body");
    }
    for a in &site.agreements {
        for g in &a.governance {
            add(format!("{} ({})", g.name, a.short_title), a.url.at(&g.anchor).as_str(), "Governance body");
        }
    }
    for p in &site.people {
        // By surname, as a directory lists people.
        let name = match p.name.rsplit_once(' ') {
            Some((first, last)) => format!("{last}, {first}"),
            None => p.name.clone(),
        };
        add(name, p.url.as_str(), "Signatory");
    }
    subjects.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.name.cmp(&b.1.name)));
    let letter_of = |key: &str| key.chars().find(|c| c.is_alphanumeric()).map(|c| c.to_ascii_uppercase());
    ('A'..='Z')
        .map(|letter| Letter {
            letter: letter.to_string(),
            id: format!("letter-{}", letter.to_ascii_lowercase()),
            entries: subjects
                .iter()
                .filter(|(key, _)| letter_of(key) == Some(letter))
                .map(|(_, s)| Subject { name: s.name.clone(), url: s.url.clone(), kind: s.kind })
                .collect(),
        })
        .collect()
}

/// What an item page needs of its agreement (not every other item's HTML).
#[derive(Serialize)]
pub(super) struct AgreementSummary<'a> {
    slug: &'a str,
    url: &'a str,
    title: &'a str,
    short_title: &'a str,
    reference: Option<&'a str>,
    period: &'a crate::model::Period,
    currency: &'a crate::model::Currency,
    superseded_by: Option<&'a crate::model::Successor>,
    provenance: Option<&'a crate::model::Provenance>,
    updated: Option<&'a str>,
}

impl<'a> From<&'a Agreement> for AgreementSummary<'a> {
    fn from(a: &'a Agreement) -> Self {
        AgreementSummary {
            slug: &a.slug,
            url: a.url.as_str(),
            title: &a.title,
            short_title: &a.short_title,
            reference: a.reference.as_deref(),
            period: &a.period,
            currency: &a.currency,
            superseded_by: a.superseded_by.as_ref(),
            provenance: a.provenance.as_ref(),
            updated: a.updated.as_deref(),
        }
    }
}

/// A topic as lists of topics show it: without the items it gathers, which
/// carry every item's text (thousands of them on a large site).
#[derive(Serialize)]
pub(super) struct TopicSummary<'a> {
    id: &'a str,
    title: &'a str,
    description: &'a crate::model::Editorial,
    url: &'a str,
}

impl<'a> From<&'a crate::model::Topic> for TopicSummary<'a> {
    fn from(t: &'a crate::model::Topic) -> Self {
        TopicSummary { id: &t.id, title: &t.title, description: &t.description, url: t.url.as_str() }
    }
}

/// A topic as the table of topics shows it: which items of each agreement it
/// gathers, as links.
#[derive(Serialize)]
pub(super) struct TopicListing<'a> {
    #[serde(flatten)]
    summary: TopicSummary<'a>,
    columns: Vec<ColumnListing<'a>>,
}

impl<'a> From<&'a crate::model::Topic> for TopicListing<'a> {
    fn from(t: &'a crate::model::Topic) -> Self {
        TopicListing { summary: TopicSummary::from(t), columns: columns(t, ItemText::None) }
    }
}

/// A topic's page compares what each agreement says, quoting each item
/// whole while they number at most this; past it (a site of hundreds of
/// agreements, whose topic pages would weigh megabytes) each item is shown
/// by its opening words and links to its page.
const TOPIC_ITEMS_WHOLE: usize = 60;

/// A topic as its own page shows it (see [`TOPIC_ITEMS_WHOLE`]).
#[derive(Serialize)]
pub(super) struct TopicPage<'a> {
    #[serde(flatten)]
    summary: TopicSummary<'a>,
    path: &'a str,
    nhs_areas: &'a [crate::model::NhsArea],
    /// How many items the topic gathers, and whether each is quoted whole.
    items: usize,
    whole: bool,
    columns: Vec<ColumnListing<'a>>,
}

impl<'a> From<&'a crate::model::Topic> for TopicPage<'a> {
    fn from(t: &'a crate::model::Topic) -> Self {
        let items = t.columns.iter().map(|c| c.items.len()).sum();
        let whole = items <= TOPIC_ITEMS_WHOLE;
        let text = if whole { ItemText::Whole } else { ItemText::Excerpt };
        TopicPage {
            summary: TopicSummary::from(t),
            path: &t.path,
            nhs_areas: &t.nhs_areas,
            items,
            whole,
            columns: columns(t, text),
        }
    }
}

/// One agreement's column of a topic.
#[derive(Serialize)]
struct ColumnListing<'a> {
    agreement_slug: &'a str,
    short_title: &'a str,
    url: &'a str,
    items: Vec<ItemOnTopic<'a>>,
    sections: &'a [crate::model::SectionOnTopic],
    figures: &'a [crate::model::FigureLink],
}

/// An item in a topic's column, with its text whole, its first words, or neither.
#[derive(Serialize)]
struct ItemOnTopic<'a> {
    label: &'a str,
    anchor: &'a str,
    agreement: &'a str,
    url: &'a str,
    /// Its first words, which name it beside its number.
    opening: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    html: Option<model::Shared<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    excerpt: Option<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum ItemText {
    None,
    Whole,
    Excerpt,
}

fn columns(t: &crate::model::Topic, text: ItemText) -> Vec<ColumnListing<'_>> {
    t.columns
        .iter()
        .map(|c| ColumnListing {
            agreement_slug: &c.agreement_slug,
            short_title: &c.short_title,
            url: c.url.as_str(),
            sections: &c.sections,
            figures: &c.figures,
            items: c
                .items
                .iter()
                .map(|i| ItemOnTopic {
                    label: &i.label,
                    anchor: &i.anchor,
                    agreement: &i.agreement,
                    url: &i.url,
                    opening: &i.opening,
                    html: (text == ItemText::Whole).then_some(model::Shared(&i.html)),
                    excerpt: (text == ItemText::Excerpt).then(|| model::excerpt(&i.text, 300)),
                })
                .collect(),
        })
        .collect()
}

/// An agreement as lists show it: its facts and its items' labels and opening words.
#[derive(Serialize)]
pub(super) struct AgreementListing<'a> {
    #[serde(flatten)]
    summary: AgreementSummary<'a>,
    items: Vec<ItemListing<'a>>,
}

#[derive(Serialize)]
struct ItemListing<'a> {
    kind: crate::model::Kind,
    label: &'a str,
    url: &'a str,
    opening: &'a str,
}

impl<'a> From<&'a Agreement> for AgreementListing<'a> {
    fn from(a: &'a Agreement) -> Self {
        AgreementListing {
            summary: AgreementSummary::from(a),
            items: a
                .items
                .iter()
                .map(|i| ItemListing {
                    kind: i.kind,
                    label: &i.label,
                    url: i.url.as_str(),
                    opening: &i.opening,
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
pub(super) struct ItemLink<'a> {
    label: &'a str,
    url: &'a str,
}

/// One day's changes to the text, for the page of changes.
#[derive(Serialize)]
pub(super) struct ChangeDay<'a> {
    date: &'a str,
    long_date: &'a str,
    changes: Vec<TextChange<'a>>,
}

#[derive(Serialize)]
struct TextChange<'a> {
    item: &'a str,
    /// An item's first words; none for the whole agreement.
    opening: Option<&'a str>,
    agreement: &'a str,
    /// The version's page.
    url: &'a str,
    /// What the change is: `correction`, `amendment` or `change`.
    kind: &'a crate::model::TextKind,
    /// False for a text first added by an amendment (nothing to compare).
    changed: bool,
}

/// Every change to the text after it was published, grouped by the day it
/// was made on the site, newest day first; within a day in the agreements'
/// and items' own order. The texts as published are not listed: putting
/// them on the site did not change them.
pub(super) fn changes_by_day(site: &Site) -> Vec<ChangeDay<'_>> {
    // (date, long date, change): each agreement's versions before its items'.
    let mut all: Vec<(&str, &str, TextChange)> = Vec::new();
    for a in &site.agreements {
        for v in a.versions.iter().filter(|v| v.kind.kind != "published") {
            let change = TextChange {
                item: "The whole agreement",
                opening: None,
                agreement: &a.short_title,
                url: v.url.as_str(),
                kind: &v.kind,
                changed: v.previous.is_some(),
            };
            all.push((&v.date, &v.long_date, change));
        }
        for i in &a.items {
            for v in i.versions.iter().filter(|v| v.kind.kind != "published") {
                let change = TextChange {
                    item: &i.label,
                    opening: Some(&i.opening),
                    agreement: &a.short_title,
                    url: v.url.as_str(),
                    kind: &v.kind,
                    changed: v.diff.is_some(),
                };
                all.push((&v.date, &v.long_date, change));
            }
        }
    }
    // Stable: the agreements' and items' order is kept within a day.
    all.sort_by(|x, y| y.0.cmp(x.0));
    let mut days: Vec<ChangeDay> = Vec::new();
    for (date, long_date, change) in all {
        if days.last().is_none_or(|d| d.date != date) {
            days.push(ChangeDay { date, long_date, changes: Vec::new() });
        }
        days.last_mut().expect("a day was just pushed").changes.push(change);
    }
    days
}

/// A version as the list of an item's versions shows it: without its text.
#[derive(Serialize)]
pub(super) struct VersionListing<'a> {
    number: usize,
    date: &'a str,
    long_date: &'a str,
    /// What the text is, to follow "text".
    label: &'a str,
    url: &'a str,
    current: bool,
    changed: bool,
}

impl<'a> From<&'a crate::model::AgreementVersion> for VersionListing<'a> {
    fn from(v: &'a crate::model::AgreementVersion) -> Self {
        VersionListing {
            number: v.number,
            date: &v.date,
            long_date: &v.long_date,
            label: &v.kind.label,
            url: v.url.as_str(),
            current: v.current,
            changed: v.previous.is_some(),
        }
    }
}

impl<'a> From<&'a crate::model::Version> for VersionListing<'a> {
    fn from(v: &'a crate::model::Version) -> Self {
        VersionListing {
            number: v.number,
            date: &v.date,
            long_date: &v.long_date,
            label: &v.kind.label,
            url: v.url.as_str(),
            current: v.current,
            changed: v.diff.is_some(),
        }
    }
}

impl<'a> From<&'a Item> for ItemLink<'a> {
    fn from(i: &'a Item) -> Self {
        ItemLink { label: &i.label, url: i.url.as_str() }
    }
}

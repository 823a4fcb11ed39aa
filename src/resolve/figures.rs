//! Figures and progress updates: numbers as data, checked for sense (a
//! percentage over 100, a series with a repeated period, a status outside
//! the documented set, an update for an item that does not exist are all
//! errors with file and line), then joined to the items and agreements they
//! belong to.

use std::collections::HashSet;

use foldhash::{HashMap, HashMapExt};

use super::Resolver;
use crate::load::{FigureKind, RawFigure, RawUpdate, SourceFile, Unit};
use crate::model::*;
use crate::paths;

/// The statuses an item can have in a progress update, with their labels.
pub const STATUSES: &[(&str, &str)] = &[
    ("not-started", "Not started"),
    ("on-track", "On track"),
    ("at-risk", "At risk"),
    ("off-track", "Off track"),
    ("complete", "Complete"),
];

impl Resolver {
    pub(super) fn figures(&mut self, raw: Vec<(SourceFile, RawFigure)>, site: &SiteSoFar) -> Vec<Figure> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (file, f) in raw {
            let Some(id) = self.claim_figure_id(&mut seen, &file, &f.id) else { continue };
            let Some(source) = self.figure_source(&file, &f, site) else { continue };
            let values = self.figure_values(&file, &f);
            let topics = self.topic_refs(&file, 0, &f.topics);
            let items = f.items.iter().filter_map(|i| self.item_ref(&file, i, site)).collect();
            let path = paths::figure(&id);
            let from = Backlink { title: f.label.clone(), url: self.url(&path) };
            let rendered = self.markdown_field(&file, 0, &f.sentence, &from);
            self.anchors.insert(path.clone(), self.template_ids.of(crate::paths::PageKind::Figure));
            out.push(Figure {
                url: self.url(&path),
                path,
                id,
                label: f.label,
                unit: f.unit,
                kind: *f.kind.get_ref(),
                currency: f.currency,
                values,
                source,
                sentence_html: rendered.html.to_string(),
                sentence: rendered.text.to_string(),
                topics,
                items,
            });
        }
        out
    }

    fn claim_figure_id(
        &mut self,
        seen: &mut HashSet<String>,
        file: &SourceFile,
        id: &toml::Spanned<String>,
    ) -> Option<String> {
        if !super::is_slug(id.get_ref()) || !seen.insert(id.get_ref().clone()) {
            self.diags.push(
                file.error(id.span(), format!("figure id `{}` is not a valid, unique id", id.get_ref()))
                    .with_help("use lower-case letters, digits and hyphens, once per figure"),
            );
            return None;
        }
        Some(id.get_ref().clone())
    }

    fn figure_source(&mut self, file: &SourceFile, f: &RawFigure, site: &SiteSoFar) -> Option<FigureSource> {
        let source = f.source.get_ref();
        if let Some(slug) = source.strip_prefix("page:") {
            if let Some(page) = site.pages.iter().find(|p| p.slug == slug) {
                return Some(FigureSource {
                    document: page.title.clone(),
                    document_url: page.url.clone(),
                    section: None,
                    url: page.url.clone(),
                    id: source.clone(),
                });
            }
        } else if let Some(a) = site.agreement(source) {
            let section = f.section.as_ref().and_then(|s| match a.sections.iter().find(|sec| &sec.id == s.get_ref()) {
                Some(sec) => Some(sec),
                None => {
                    self.unknown(
                        super::DefinedIn::Page(&a.path),
                        file.error(s.span(), format!("agreement `{source}` has no section `{}`", s.get_ref()))
                            .with_help("use the id of one of its sections (its front matter id, or file name without the number)"),
                    );
                    None
                }
            });
            return Some(FigureSource {
                document: a.title.clone(),
                document_url: a.url.clone(),
                section: section.map(|s| s.title.clone()),
                url: section.map_or_else(|| a.url.clone(), |s| a.url.at(&s.id)),
                id: source.clone(),
            });
        }
        let page = match source.strip_prefix("page:") {
            Some(slug) => paths::page(slug),
            None => paths::agreement(source),
        };
        self.unknown(
            super::DefinedIn::Page(&page),
            file.error(f.source.span(), format!("no agreement or page `{source}`"))
                .with_help("write an agreement's folder name, or page:{slug} for a page in content/pages/"),
        );
        None
    }

    fn figure_values(&mut self, file: &SourceFile, f: &RawFigure) -> Vec<FigureValue> {
        let kind = *f.kind.get_ref();
        let mut periods = HashSet::new();
        let needed = if kind == FigureKind::Single { 1 } else { 2 };
        if f.value.len() < needed {
            self.diags.push(
                file.error(
                    f.kind.span(),
                    format!("a {kind:?} figure needs at least {needed} value(s)").to_lowercase(),
                )
                .with_help("add [[figure.value]] tables"),
            );
        }
        let mut out = Vec::new();
        for v in &f.value {
            let value = *v.value.get_ref();
            if f.unit == Unit::Percent && !(0.0..=100.0).contains(&value) {
                self.diags.push(
                    file.error(v.value.span(), format!("{value} is not a percentage between 0 and 100"))
                        .with_help("give percentages as printed (41 for 41%), or use another unit"),
                );
            }
            match (kind, &v.period, &v.group) {
                (FigureKind::Series, Some(p), _) if !periods.insert(p.get_ref().clone()) => self.diags.push(
                    file.error(p.span(), format!("period `{}` appears twice in this series", p.get_ref()))
                        .with_help("each value of a series is for a different period"),
                ),
                (FigureKind::Series, None, _) => self.diags.push(
                    file.error(v.value.span(), "a value in a series needs its period")
                        .with_help("add period = \"2009\" (the period this value describes)"),
                ),
                (FigureKind::Comparison, _, None) => self.diags.push(
                    file.error(v.value.span(), "a value in a comparison needs its group")
                        .with_help("add group = \"Girls\" (what this value is for)"),
                ),
                _ => {}
            }
            let period = v.period.as_ref().map(|p| p.get_ref().clone());
            out.push(FigureValue {
                label: v.group.clone().or_else(|| period.clone()).unwrap_or_default(),
                display: display(value, f.unit, f.currency.as_deref(), v.qualifier.as_deref()),
                period,
                group: v.group.clone(),
                value,
                qualifier: v.qualifier.clone(),
            });
        }
        out
    }

    /// An `@/` item path, checked against the resolved agreements.
    fn item_ref(
        &mut self,
        file: &SourceFile,
        raw: &toml::Spanned<String>,
        site: &SiteSoFar,
    ) -> Option<FigureItem> {
        let path = paths::from_reference(raw.get_ref());
        let found = path.as_ref().and_then(|p| site.items.get(p.as_str()).copied());
        // An item in an agreement whose files failed to load was already reported there.
        if found.is_none()
            && path.as_ref().is_some_and(|p| self.incomplete.iter().any(|a| p.starts_with(a.as_str())))
        {
            return None;
        }
        match found {
            Some((a, i)) => Some(FigureItem {
                label: i.label.clone(),
                agreement: a.short_title.clone(),
                url: i.url.clone(),
                path: i.path.clone(),
            }),
            None => {
                self.diags.push(file.error(raw.span(), format!("no item `{}`", raw.get_ref())).with_help(
                    "write an item as @/agreements/{agreement}/{kinds}/{number} for an item that exists",
                ));
                None
            }
        }
    }

    pub(super) fn updates(&mut self, raw: Vec<(SourceFile, RawUpdate)>, site: &SiteSoFar) -> Vec<Update> {
        let mut out: Vec<Update> = Vec::new();
        // (agreement, period) of each update so far: a large site has thousands.
        let mut reported: HashSet<(String, String)> = HashSet::new();
        for (file, u) in raw {
            let Some(agreement) = site.agreement(u.agreement.get_ref()) else {
                self.unknown(
                    super::DefinedIn::Page(&paths::agreement(u.agreement.get_ref())),
                    file.error(u.agreement.span(), format!("no agreement `{}`", u.agreement.get_ref()))
                        .with_help("use the folder name of an agreement under content/agreements/"),
                );
                continue;
            };
            let period = u.period.get_ref().clone();
            if !is_quarter(&period) {
                self.diags.push(
                    file.error(u.period.span(), format!("`{period}` is not a reporting period"))
                        .with_help("write periods as YYYY-Qn, e.g. \"2024-Q2\""),
                );
                continue;
            }
            if !reported.insert((agreement.slug.clone(), period.clone())) {
                self.diags.push(
                    file.error(
                        u.period.span(),
                        format!("a second update for {} in {period}", agreement.short_title),
                    )
                    .with_help("put every status for one period in one file"),
                );
                continue;
            }
            let mut statuses = Vec::new();
            for s in u.status {
                let Some(item) = self.item_ref(&file, &s.item, site) else { continue };
                if !item.path.starts_with(&agreement.path) {
                    self.diags.push(
                        file.error(
                            s.item.span(),
                            format!("{} is not an item of {}", s.item.get_ref(), agreement.short_title),
                        )
                        .with_help("an update reports on its own agreement's items"),
                    );
                    continue;
                }
                let Some(&(status, label)) = STATUSES.iter().find(|(id, _)| id == s.status.get_ref()) else {
                    let allowed: Vec<&str> = STATUSES.iter().map(|(id, _)| *id).collect();
                    self.diags.push(
                        file.error(s.status.span(), format!("`{}` is not a status", s.status.get_ref()))
                            .with_help(format!("use one of: {}", allowed.join(", "))),
                    );
                    continue;
                };
                let lead = s.lead.as_ref().and_then(|l| self.known_org(&file, l, site.orgs));
                let from = Backlink {
                    title: format!("Progress update: {}, {period}", agreement.short_title),
                    url: self.url(&paths::at(paths::UPDATES, &update_anchor(&agreement.slug, &period))),
                };
                let rendered = self.markdown_field(&file, 0, &s.narrative, &from);
                let measures = s
                    .measure
                    .into_iter()
                    .map(|m| ProgressMeasure {
                        label: m.label,
                        unit: m.unit,
                        baseline: m.baseline.map(|v| *v.get_ref()),
                        target: m.target.map(|v| *v.get_ref()),
                        latest: m.latest.map(|v| *v.get_ref()),
                    })
                    .collect();
                statuses.push(ItemStatus {
                    item,
                    status: status.to_owned(),
                    status_label: label.to_owned(),
                    lead,
                    html: rendered.html.to_string(),
                    text: rendered.text.to_string(),
                    measures,
                });
            }
            let anchor = update_anchor(&agreement.slug, &period);
            out.push(Update {
                agreement: AgreementLink::from(agreement),
                url: self.url(&paths::at(paths::UPDATES, &anchor)),
                anchor,
                period,
                published: u.published.to_string(),
                statuses,
            });
        }
        // Newest first; within a period, in agreement order.
        out.sort_by(|a, b| b.period.cmp(&a.period).then(a.agreement.slug.cmp(&b.agreement.slug)));
        if !out.is_empty() {
            let ids = out.iter().map(|u| u.anchor.clone()).collect();
            self.anchors.insert(paths::UPDATES.to_owned(), ids);
        }
        out
    }
}

/// What figures and updates need of the resolved site.
pub struct SiteSoFar<'a> {
    pub agreements: &'a [Agreement],
    pub pages: &'a [Page],
    pub orgs: &'a [OrgLink],
    /// Items by site path: updates name thousands of items in a large site.
    items: HashMap<&'a str, (&'a Agreement, &'a Item)>,
    /// Agreements by slug: a large site's figures and updates name hundreds.
    by_slug: HashMap<&'a str, &'a Agreement>,
}

impl<'a> SiteSoFar<'a> {
    pub fn new(agreements: &'a [Agreement], pages: &'a [Page], orgs: &'a [OrgLink]) -> Self {
        let items =
            agreements.iter().flat_map(|a| a.items.iter().map(move |i| (i.path.as_str(), (a, i)))).collect();
        let by_slug = agreements.iter().map(|a| (a.slug.as_str(), a)).collect();
        SiteSoFar { agreements, pages, orgs, items, by_slug }
    }

    fn agreement(&self, slug: &str) -> Option<&'a Agreement> {
        self.by_slug.get(slug).copied()
    }
}

/// Joins figures and updates to the agreements and items they concern.
pub fn attach(agreements: &mut [Agreement], figures: &[Figure], updates: &[Update]) {
    // Indexed by item path first: scanning every update for every item is
    // quadratic, and a large site has thousands of both.
    let mut figures_of: HashMap<&str, Vec<FigureLink>> = HashMap::new();
    for f in figures {
        for i in &f.items {
            figures_of.entry(i.path.as_str()).or_default().push(link(f));
        }
    }
    let mut history_of: HashMap<&str, Vec<StatusEntry>> = HashMap::new();
    for u in updates {
        for s in &u.statuses {
            history_of.entry(s.item.path.as_str()).or_default().push(StatusEntry {
                period: u.period.clone(),
                status: s.status.clone(),
                status_label: s.status_label.clone(),
                update_url: u.url.clone(),
            });
        }
    }
    let mut figures_from: HashMap<&str, Vec<FigureLink>> = HashMap::new();
    for f in figures {
        figures_from.entry(f.source.id.as_str()).or_default().push(link(f));
    }
    // The first update of each agreement in `updates` is its latest.
    let mut latest: HashMap<&str, &Update> = HashMap::new();
    for u in updates {
        latest.entry(u.agreement.slug.as_str()).or_insert(u);
    }
    for a in agreements.iter_mut() {
        a.figures = figures_from.remove(a.slug.as_str()).unwrap_or_default();
        a.latest_update = latest.get(a.slug.as_str()).map(|u| (*u).clone());
        for item in a.items.iter_mut() {
            item.figures = figures_of.remove(item.path.as_str()).unwrap_or_default();
            let mut history = history_of.remove(item.path.as_str()).unwrap_or_default();
            history.sort_by(|a, b| a.period.cmp(&b.period));
            item.history = history;
        }
    }
}

pub(super) fn link(f: &Figure) -> FigureLink {
    let values: Vec<String> = f
        .values
        .iter()
        .map(|v| if v.label.is_empty() { v.display.clone() } else { format!("{}: {}", v.label, v.display) })
        .collect();
    FigureLink { label: f.label.clone(), url: f.url.clone(), summary: values.join("; ") }
}

/// A progress update's anchor on `/updates/`: `{agreement}-{yyyy-qn}`.
fn update_anchor(agreement: &str, period: &str) -> String {
    format!("{agreement}-{}", period.to_lowercase())
}

fn is_quarter(p: &str) -> bool {
    let b = p.as_bytes();
    b.len() == 7 && b[..4].iter().all(u8::is_ascii_digit) && &p[4..6] == "-Q" && (b'1'..=b'4').contains(&b[6])
}

/// A value as printed: thousands separated, with its unit and qualifier;
/// whole millions of money as "£503 million", the way documents print them.
pub fn display(value: f64, unit: Unit, currency: Option<&str>, qualifier: Option<&str>) -> String {
    if unit == Unit::Money && value >= 1_000_000.0 && value % 1_000_000.0 == 0.0 {
        let millions = display(value / 1_000_000.0, Unit::Money, currency, qualifier);
        return format!("{millions} million");
    }
    let number = if value.fract() == 0.0 {
        let digits = format!("{}", value.abs() as u64);
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        if value < 0.0 {
            format!("-{grouped}")
        } else {
            grouped
        }
    } else {
        format!("{value}")
    };
    let shown = match (unit, currency) {
        (Unit::Percent, _) => format!("{number}%"),
        (Unit::Money, Some("GBP") | None) => format!("£{number}"),
        (Unit::Money, Some(c)) => format!("{number} {c}"),
        (Unit::Ratio, _) => format!("{number} to 1"),
        (Unit::Count, _) => number,
        (Unit::Months, _) => format!("{number} month{}", if value == 1.0 { "" } else { "s" }),
        (Unit::Days, _) => format!("{number} day{}", if value == 1.0 { "" } else { "s" }),
    };
    match qualifier {
        Some(q) => format!("{q} {shown}"),
        None => shown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_display_as_printed() {
        assert_eq!(display(2881.0, Unit::Count, None, None), "2,881");
        assert_eq!(display(41.0, Unit::Percent, None, None), "41%");
        assert_eq!(display(503_000_000.0, Unit::Money, Some("GBP"), None), "£503 million");
        assert_eq!(display(1_500.0, Unit::Money, Some("GBP"), None), "£1,500");
        assert_eq!(display(60.0, Unit::Percent, None, Some("over")), "over 60%");
        assert_eq!(display(3.0, Unit::Ratio, None, Some("around")), "around 3 to 1");
        assert_eq!(display(3.0, Unit::Months, None, Some("up to")), "up to 3 months");
        assert_eq!(display(28.0, Unit::Days, None, None), "28 days");
    }

    #[test]
    fn quarters() {
        assert!(is_quarter("2024-Q2"));
        assert!(!is_quarter("2024-Q5") && !is_quarter("2024-2") && !is_quarter("24-Q1"));
    }
}

//! Citations: one description of each agreement and item, and every form a
//! citer takes it in.
//!
//! A scrutiny body citing "priority 5" needs the same facts wherever it reads
//! them: the partners who published the agreement, its title, its publication
//! reference, its year, the permanent URL and the date the text was read.
//! So they are gathered once, as a CSL-JSON item ([`describe`]), and every
//! form is made from that one description: the "Cite this" text in three
//! styles (formatted by hayagriva, a CSL processor, from the official APA
//! and Harvard styles and our own OSCOLA-like style in `oscola-like.csl`),
//! the BibTeX, RIS and CSL-JSON downloads, and the Highwire Press, Dublin
//! Core and schema.org tags that reference managers and search engines read.
//!
//! Choices a citer may question, made once here:
//! - The partners are the authors, as institutions; they are also the
//!   publishers, so no publisher is given where a style would repeat them.
//! - The agreements print no publication date, so the year is the first year
//!   of their period (which is also the year they were signed), unless the
//!   content records the day the partners published it.
//! - The site's licence, where it states one, is in the CSL-JSON and JSON-LD.
//! - The access date is the date the site's text is as at
//!   ([`crate::load::AsAt`]), not the build clock, so rebuilding unchanged
//!   content gives the same citation.
//! - An item is cited as a part of its agreement: its label is the title,
//!   the agreement's title the container.
//! - A version of an item is cited at its own URL, what it is in its title
//!   ("Priority 5, text as published (2022 to 2025)", "…, text corrected
//!   on this site on 5 January 2027"), so the citation says which text was
//!   read and never dates the text as published by its transcription; the
//!   citation of the current page names the version it shows too.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use hayagriva::archive::{ArchivedStyle, LOCALES};
use hayagriva::citationberg::json::Item as CslItem;
use hayagriva::citationberg::{FontStyle, FontWeight, IndependentStyle, Locale, Style, VerticalAlign};
use hayagriva::{
    BibliographyDriver, BibliographyRequest, CitationItem, CitationRequest, ElemChild, ElemChildren,
};
use serde::Serialize;
use serde_json::json;

use crate::model::{Agreement, AgreementVersion, Figure, Item, Site, Version};
use crate::paths;
use crate::render::OutputFile;

/// What is cited: an agreement, or one of its items, at its permanent URL,
/// or one of their versions at its own.
#[derive(Clone, Copy)]
pub struct Work<'a> {
    pub agreement: &'a Agreement,
    pub item: Option<&'a Item>,
    pub version: Option<Dated<'a>>,
    /// A figure the agreement quotes: cited as the section it is quoted in,
    /// at the figure's own page.
    pub figure: Option<&'a Figure>,
}

/// A version, of an agreement or an item.
#[derive(Clone, Copy)]
pub struct Dated<'a> {
    path: &'a str,
    date: &'a str,
    /// What the text is, to follow "text": "as published (2022 to 2025)".
    label: &'a str,
}

impl<'a> Work<'a> {
    pub fn agreement(agreement: &'a Agreement) -> Work<'a> {
        Work { agreement, item: None, version: None, figure: None }
    }

    /// A figure quoted in `agreement` (its `source`).
    pub fn figure(agreement: &'a Agreement, figure: &'a Figure) -> Work<'a> {
        Work { agreement, item: None, version: None, figure: Some(figure) }
    }

    pub fn item(agreement: &'a Agreement, item: &'a Item) -> Work<'a> {
        Work { agreement, item: Some(item), version: None, figure: None }
    }

    pub fn version(agreement: &'a Agreement, item: &'a Item, v: &'a Version) -> Work<'a> {
        let dated = Dated { path: &v.path, date: &v.date, label: &v.kind.label };
        Work { agreement, item: Some(item), version: Some(dated), figure: None }
    }

    pub fn agreement_version(agreement: &'a Agreement, v: &'a AgreementVersion) -> Work<'a> {
        let dated = Dated { path: &v.path, date: &v.date, label: &v.kind.label };
        Work { agreement, item: None, version: Some(dated), figure: None }
    }

    /// The site path of the current text of what is cited.
    fn current_path(&self) -> &'a str {
        match (self.item, self.figure) {
            (Some(i), _) => &i.path,
            (None, Some(f)) => &f.path,
            (None, None) => &self.agreement.path,
        }
    }

    /// Whether what is cited is a part of the agreement (an item, or the
    /// section a figure is quoted in), the agreement then its container.
    fn is_part(&self) -> bool {
        self.item.is_some() || self.figure.is_some_and(|f| f.source.section.is_some())
    }

    /// The site path of the page cited.
    fn path(&self) -> &'a str {
        self.version.map_or_else(|| self.current_path(), |v| v.path)
    }

    /// `irc-2022-2025`, `irc-2022-2025-priority-5`, with `-2026-11-23` for
    /// a version: the key in BibTeX and CSL-JSON.
    fn key(&self) -> String {
        let mut key = self.agreement.slug.clone();
        if let Some(i) = self.item {
            key = format!("{key}-{}", i.anchor);
        }
        if let Some(f) = self.figure {
            key = format!("{key}-figure-{}", f.id);
        }
        if let Some(v) = self.version {
            key = format!("{key}-{}", v.date);
        }
        key
    }

    /// The cited text's own title: `Priority 5` for an item, the agreement's
    /// for an agreement, `, text as published (2022 to 2025)` after it for a version.
    fn own_title(&self) -> String {
        // A figure's name is the editors' words: the section's title is the document's.
        let section = self.figure.and_then(|f| f.source.section.as_ref());
        let title = self.item.map(|i| &i.label).or(section).unwrap_or(&self.agreement.title);
        match self.version {
            Some(v) => format!("{title}, text {}", v.label),
            None => title.clone(),
        }
    }

    /// One line: `Agreement title: Priority 5`, for formats without a container.
    fn flat_title(&self) -> String {
        if self.is_part() {
            format!("{}: {}", self.agreement.title, self.own_title())
        } else {
            self.own_title()
        }
    }
}

/// The facts every form of a citation is made from.
struct Description<'a> {
    work: Work<'a>,
    url: String,
    /// The agreement's permanent URL (the same as `url` for an agreement).
    agreement_url: String,
    authors: Vec<&'a str>,
    year: u16,
    /// `YYYY-MM-DD`.
    accessed: &'a str,
    /// The site's licence, if it states one.
    licence: Option<&'a crate::config::Licence>,
}

fn describe<'a>(site: &'a Site, work: Work<'a>) -> Description<'a> {
    Description {
        work,
        url: paths::absolute(&site.config.base_url, work.path()),
        agreement_url: paths::absolute(&site.config.base_url, &work.agreement.path),
        authors: work.agreement.partners.iter().map(|p| p.name.as_str()).collect(),
        year: work
            .agreement
            .provenance
            .as_ref()
            .and_then(|p| p.published.as_deref())
            .and_then(|d| d.get(..4)?.parse().ok())
            .unwrap_or(work.agreement.period.start),
        accessed: &site.as_at.date,
        licence: site.config.licence.as_ref(),
    }
}

impl Description<'_> {
    /// The CSL-JSON item: the description every style formats.
    fn csl_json(&self) -> serde_json::Value {
        let mut item = json!({
            "id": self.work.key(),
            "type": "report",
            "title": self.work.own_title(),
            "author": self.authors.iter().map(|a| json!({ "literal": a })).collect::<Vec<_>>(),
            "issued": { "date-parts": [[self.year]] },
            "accessed": { "date-parts": [date_parts(self.accessed)] },
            "URL": self.url,
            "language": "en-GB",
        });
        if self.work.is_part() {
            item["container-title"] = json!(self.work.agreement.title);
        }
        if let Some(reference) = &self.work.agreement.reference {
            item["number"] = json!(reference);
        }
        if let Some(licence) = self.licence {
            item["license"] = json!(format!("{} ({})", licence.name, licence.url));
        }
        item
    }

    fn bibtex(&self) -> String {
        use biblatex::{Chunk, Entry, EntryType, Spanned};
        // Names and the title are verbatim (braced), so BibTeX keeps their capitals.
        let verbatim = |s: &str| vec![Spanned::detached(Chunk::Verbatim(s.to_owned()))];
        let normal = |s: &str| vec![Spanned::detached(Chunk::Normal(s.to_owned()))];
        let mut names = Vec::new();
        for (i, author) in self.authors.iter().enumerate() {
            if i > 0 {
                names.push(Spanned::detached(Chunk::Normal(" and ".to_owned())));
            }
            names.push(Spanned::detached(Chunk::Verbatim((*author).to_owned())));
        }
        let mut entry = Entry::new(self.work.key(), EntryType::TechReport);
        entry.set("author", names.clone());
        entry.set("institution", names);
        entry.set("title", verbatim(&self.work.flat_title()));
        entry.set("year", normal(&self.year.to_string()));
        if let Some(reference) = &self.work.agreement.reference {
            entry.set("number", normal(reference));
        }
        entry.set("url", normal(&self.url));
        entry.set("urldate", normal(self.accessed));
        // BibTeX's own `@techreport`, which every reader of .bib knows, not biblatex's `@report`.
        let mut out = entry.to_bibtex_string().unwrap_or_else(|_| entry.to_biblatex_string());
        out.push('\n');
        out
    }

    /// RIS, the tagged format every reference manager imports: one tag a line.
    fn ris(&self) -> String {
        let one_line = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut lines = vec![("TY", "RPRT".to_owned())];
        lines.extend(self.authors.iter().map(|a| ("AU", one_line(a))));
        lines.push(("TI", one_line(&self.work.own_title())));
        if self.work.is_part() {
            lines.push(("T2", one_line(&self.work.agreement.title)));
        }
        lines.push(("PY", self.year.to_string()));
        if let Some(reference) = &self.work.agreement.reference {
            lines.push(("SN", one_line(reference)));
        }
        lines.push(("UR", self.url.clone()));
        lines.push(("Y2", self.accessed.replace('-', "/")));
        lines.push(("LA", "en-GB".to_owned()));
        lines.push(("ER", String::new()));
        lines.iter().map(|(tag, value)| format!("{tag}  - {value}\r\n")).collect()
    }
}

/// `2026-12-01` as `[2026, 12, 1]`.
fn date_parts(date: &str) -> Vec<u32> {
    date.split('-').filter_map(|p| p.parse().ok()).collect()
}

/// The citation of one page, as its template shows and its head declares it.
#[derive(Debug, Serialize)]
pub struct Citation {
    /// `Agreement title: Priority 5`.
    pub title: String,
    pub authors: Vec<String>,
    /// The year, as the styles give it.
    pub date: String,
    pub reference: Option<String>,
    /// The permanent URL cited.
    pub url: String,
    /// `YYYY-MM-DD`.
    pub accessed: String,
    /// `1 December 2026`.
    pub accessed_long: String,
    /// For an item: the agreement it is part of.
    pub part_of: Option<String>,
    pub part_of_url: Option<String>,
    /// The text to paste, in each style.
    pub styles: Vec<Styled>,
    /// schema.org JSON-LD, safe inside a `<script>` element.
    pub json_ld: String,
    /// Links to the BibTeX, RIS and CSL-JSON files.
    pub bibtex: paths::Link,
    pub ris: paths::Link,
    pub csl_json: paths::Link,
    /// For a version: the permanent URL of the current text.
    pub current_url: Option<String>,
    /// For an item's current page: the permanent URL of the version it shows.
    pub version_url: Option<String>,
    /// Links to the same text as data: JSON (not for a version), and for an
    /// agreement Akoma Ntoso.
    pub data_json: Option<paths::Link>,
    pub akoma_ntoso: Option<paths::Link>,
}

#[derive(Debug, Serialize)]
pub struct Styled {
    /// `harvard`: for the element's id.
    pub id: &'static str,
    pub name: &'static str,
    /// Escaped HTML: only `<i>`, `<b>` and `<sup>`/`<sub>` around escaped text.
    pub html: String,
}

/// The styles offered, each parsed once per process.
struct Styles {
    styles: Vec<(&'static str, &'static str, IndependentStyle)>,
    locales: Vec<Locale>,
}

fn styles() -> &'static Styles {
    static STYLES: OnceLock<Styles> = OnceLock::new();
    STYLES.get_or_init(|| {
        let archived = |style: ArchivedStyle| match style.get() {
            Style::Independent(style) => style,
            Style::Dependent(_) => unreachable!("the archive's APA and Harvard styles are independent"),
        };
        let oscola = IndependentStyle::from_xml(include_str!("oscola-like.csl"))
            .expect("the bundled OSCOLA-like style is valid CSL (a unit test parses it)");
        Styles {
            styles: vec![
                ("harvard", "Harvard (Cite Them Right)", archived(ArchivedStyle::HarvardCiteThemRight)),
                ("apa", "APA (7th edition)", archived(ArchivedStyle::AmericanPsychologicalAssociation)),
                ("oscola", "OSCOLA-like (UK government documents)", oscola),
            ],
            locales: english_locales(),
        }
    })
}

/// The archive's English locales (British, and American, which CSL falls
/// back on): reading all sixty-odd took a third of a small site's build.
/// A locale's bytes hold its language code as text, so only those that
/// mention one are read, and of those only the ones that are it are kept.
fn english_locales() -> Vec<Locale> {
    const WANTED: [&str; 2] = ["en-GB", "en-US"];
    LOCALES
        .iter()
        .filter(|bytes| WANTED.iter().any(|code| bytes.windows(code.len()).any(|w| w == code.as_bytes())))
        .filter_map(|bytes| ciborium::de::from_reader::<Locale, _>(*bytes).ok())
        .filter(|locale| locale.lang.as_ref().is_some_and(|lang| WANTED.contains(&lang.0.as_str())))
        .collect()
}

/// Stand-ins for the title, URL and container title in a shape's formatted
/// citations (Unicode private-use characters, which no plain text holds).
const TITLE_MARK: &str = "\u{E000}";
const URL_MARK: &str = "\u{E001}";
const CONTAINER_MARK: &str = "\u{E002}";

/// Titles and container titles the [`shape`] check fills in, in place of a
/// work's own: between them they have every character a [plain](is_plain)
/// title may have, a first letter in each case, lower-case words and words
/// title case leaves alone, and an end in a letter, a digit and a bracket.
const PROBES: [(&str, &str); 2] = [
    ("probe 1", "Probe of a container, as at 1 (2 to 3)"),
    ("Probe of a title, text as at 1 (2 to 3)", "probe container of the work"),
];
const PROBE_URL: &str = "https://probe.example/a-b/1/";

/// Text a CSL style is taken to copy as it is into a citation: ASCII
/// letters and digits, single spaces between words, commas, hyphens and
/// brackets. Quotation marks, apostrophes, colons and full stops, which
/// styles may change (curling them, or capitalising after them), are not.
fn is_plain(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with(' ')
        && !text.ends_with([' ', ','])
        && !text.contains("  ")
        && text.chars().all(|c| c.is_ascii_alphanumeric() || " ,-()".contains(c))
}

/// A URL as a style copies it.
fn is_plain_url(url: &str) -> bool {
    url.chars().all(|c| c.is_ascii_alphanumeric() || ":/.-_~%".contains(c))
}

/// The citation of `d` in each style, as escaped HTML.
///
/// A CSL processor is slow enough that formatting every agreement, item
/// and version in every style would cost a large site seconds, and works
/// differ mostly in their title, URL and container title. So works that
/// differ only in those (that have one shape) are formatted once, with
/// stand-ins for them ([`shape`]), and each work's own are filled in where
/// they are plain text; any other work is formatted in full.
fn styled(d: &Description) -> Vec<String> {
    styled_csl(&d.csl_json())
}

/// [`styled`], of the CSL-JSON item `genuine`.
fn styled_csl(genuine: &serde_json::Value) -> Vec<String> {
    let text = |field: &str| genuine.get(field).and_then(serde_json::Value::as_str);
    let (Some(title), Some(url)) = (text("title").filter(|t| is_plain(t)), text("URL")) else {
        return formatted(genuine);
    };
    if !is_plain_url(url) {
        return formatted(genuine);
    }
    let mut marked = genuine.clone();
    marked["id"] = json!("work");
    marked["title"] = json!(TITLE_MARK);
    marked["URL"] = json!(URL_MARK);
    let container = text("container-title").filter(|c| is_plain(c));
    if container.is_some() {
        marked["container-title"] = json!(CONTAINER_MARK);
    }
    match shape(&marked) {
        Some(templates) => {
            templates.iter().map(|t| fill(t, title, url, container.unwrap_or_default())).collect()
        }
        None => formatted(genuine),
    }
}

/// The citations of a shape (CSL-JSON with stand-ins), if filling them in
/// gives exactly what the styles make of every [probe](PROBES): then each
/// style copies the title, URL and container title as text, and filling in
/// a work's own is the same as formatting it. The check depends on the
/// shape alone, never on which work asked first, so a build's output is the
/// same every time. Remembered for the life of the process.
fn shape(marked: &serde_json::Value) -> Option<Vec<String>> {
    static SEEN: OnceLock<Mutex<HashMap<String, Option<Vec<String>>>>> = OnceLock::new();
    let seen = SEEN.get_or_init(Default::default);
    let key = marked.to_string();
    if let Some(known) = seen.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return known.clone();
    }
    let templates = formatted(marked);
    let has_container = marked.get("container-title").is_some_and(|c| c == CONTAINER_MARK);
    let faithful = PROBES.iter().all(|&(title, container)| {
        let mut probe = marked.clone();
        probe["title"] = json!(title);
        probe["URL"] = json!(PROBE_URL);
        let container = if has_container { container } else { "" };
        if has_container {
            probe["container-title"] = json!(container);
        }
        templates.iter().map(|t| fill(t, title, PROBE_URL, container)).eq(formatted(&probe))
    });
    let templates = faithful.then_some(templates);
    seen.lock().unwrap_or_else(|e| e.into_inner()).insert(key, templates.clone());
    templates
}

fn fill(template: &str, title: &str, url: &str, container: &str) -> String {
    use crate::markdown::escape_html;
    template
        .replace(TITLE_MARK, &escape_html(title))
        .replace(URL_MARK, &escape_html(url))
        .replace(CONTAINER_MARK, &escape_html(container))
}

/// The reference-list entry of a CSL-JSON item in each style, as escaped HTML.
///
/// Remembered for the life of the process, by the item's CSL-JSON (the
/// styles are fixed): `accord serve` plans the whole site again on every
/// save, and formatting the same works again was most of that. A build
/// keeps an entry of a few hundred bytes for each shape and for each work
/// formatted on its own.
fn formatted(csl: &serde_json::Value) -> Vec<String> {
    static SEEN: OnceLock<Mutex<HashMap<String, Vec<String>>>> = OnceLock::new();
    let seen = SEEN.get_or_init(Default::default);
    let key = csl.to_string();
    if let Some(known) = seen.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return known.clone();
    }
    let item: CslItem = serde_json::from_value(csl.clone()).expect("the CSL-JSON made here is CSL-JSON");
    let styles = styles();
    let made: Vec<String> =
        styles.styles.iter().map(|(_, _, style)| format(&item, style, &styles.locales)).collect();
    seen.lock().unwrap_or_else(|e| e.into_inner()).insert(key, made.clone());
    made
}

/// The citation a page shows and declares.
pub fn citation(site: &Site, work: Work) -> Citation {
    let d = describe(site, work);
    let html = styled(&d);
    let formatted =
        styles().styles.iter().zip(html).map(|((id, name, _), html)| Styled { id, name, html }).collect();
    let link = |name| paths::link(&site.config.base_path, &paths::beside(work.path(), name));
    Citation {
        title: work.flat_title(),
        authors: d.authors.iter().map(|a| (*a).to_owned()).collect(),
        date: d.year.to_string(),
        reference: work.agreement.reference.clone(),
        url: d.url.clone(),
        accessed: d.accessed.to_owned(),
        accessed_long: site.as_at.long(),
        part_of: work.is_part().then(|| work.agreement.title.clone()),
        part_of_url: work.is_part().then(|| d.agreement_url.clone()),
        styles: formatted,
        json_ld: json_ld(&d),
        bibtex: link(paths::BIBTEX),
        ris: link(paths::RIS),
        csl_json: link(paths::CSL_JSON),
        current_url: work.version.map(|_| paths::absolute(&site.config.base_url, work.current_path())),
        version_url: match work.version {
            Some(_) => None,
            None if work.figure.is_some() => None,
            None => work
                .item
                .map_or(&work.agreement.as_at, |i| &i.as_at)
                .version
                .as_ref()
                .map(|v| paths::absolute_from_link(&site.config.base_url, &site.config.base_path, &v.url)),
        },
        data_json: work.version.is_none().then(|| link(paths::JSON)),
        akoma_ntoso: (!work.is_part() && work.version.is_none()).then(|| link(paths::AKOMA_NTOSO)),
    }
}

/// The BibTeX, RIS and CSL-JSON files of an agreement, its items and
/// their versions, and the figures it quotes.
pub fn files(site: &Site, agreement: &Agreement) -> Vec<OutputFile> {
    let works = std::iter::once(Work::agreement(agreement))
        .chain(agreement.versions.iter().map(|v| Work::agreement_version(agreement, v)))
        .chain(agreement.items.iter().flat_map(|item| {
            std::iter::once(Work::item(agreement, item))
                .chain(item.versions.iter().map(move |v| Work::version(agreement, item, v)))
        }))
        .chain(figures_of(site, agreement).map(|f| Work::figure(agreement, f)));
    let mut out = Vec::new();
    for work in works {
        let d = describe(site, work);
        let file = |name, bytes: Vec<u8>| OutputFile {
            path: paths::beside(work.path(), name).trim_start_matches('/').to_owned(),
            bytes,
        };
        out.push(file(paths::BIBTEX, d.bibtex().into_bytes()));
        out.push(file(paths::RIS, d.ris().into_bytes()));
        let json = serde_json::to_vec_pretty(&[d.csl_json()]).unwrap_or_default();
        out.push(file(paths::CSL_JSON, json));
    }
    out
}

/// The figures `agreement` quotes.
pub fn figures_of<'a>(site: &'a Site, agreement: &'a Agreement) -> impl Iterator<Item = &'a Figure> {
    site.figures.iter().filter(|f| f.source.id == agreement.slug)
}

/// One reference-list entry in `style`, as escaped HTML.
fn format(item: &CslItem, style: &IndependentStyle, locales: &[Locale]) -> String {
    let mut driver = BibliographyDriver::new();
    driver.citation(CitationRequest::from_items(vec![CitationItem::with_entry(item)], style, locales));
    let locale = Some(hayagriva::citationberg::LocaleCode("en-GB".to_owned()));
    let rendered = driver.finish(BibliographyRequest::new(style, locale, locales));
    let mut html = String::new();
    for entry in rendered.bibliography.map(|b| b.items).unwrap_or_default() {
        write_children(&entry.content, &mut html);
    }
    html
}

/// hayagriva's own HTML puts formatting in `style` attributes (which the
/// site's CSP refuses) and writes text unescaped, so the tree is written here.
fn write_children(children: &ElemChildren, out: &mut String) {
    for child in &children.0 {
        match child {
            ElemChild::Text(text) => write_formatted(&text.text, text.formatting, out),
            ElemChild::Elem(elem) => write_children(&elem.children, out),
            ElemChild::Link { text, .. } => write_formatted(&text.text, text.formatting, out),
            ElemChild::Markup(text) => out.push_str(&crate::markdown::escape_html(text)),
            ElemChild::Transparent { .. } => {}
        }
    }
}

fn write_formatted(text: &str, formatting: hayagriva::Formatting, out: &mut String) {
    let mut tags = Vec::new();
    if formatting.font_style == FontStyle::Italic {
        tags.push("i");
    }
    if formatting.font_weight == FontWeight::Bold {
        tags.push("b");
    }
    match formatting.vertical_align {
        VerticalAlign::Sup => tags.push("sup"),
        VerticalAlign::Sub => tags.push("sub"),
        _ => {}
    }
    for tag in &tags {
        out.push_str(&format!("<{tag}>"));
    }
    out.push_str(&crate::markdown::escape_html(text));
    for tag in tags.iter().rev() {
        out.push_str(&format!("</{tag}>"));
    }
}

/// schema.org's `Report`, as JSON-LD that cannot end its `<script>` element.
fn json_ld(d: &Description) -> String {
    let mut report = json!({
        "@context": "https://schema.org",
        "@type": "Report",
        "@id": d.url,
        "url": d.url,
        "name": d.work.flat_title(),
        "author": d.authors.iter().map(|a| json!({ "@type": "Organization", "name": a })).collect::<Vec<_>>(),
        "datePublished": d.year.to_string(),
        "inLanguage": "en-GB",
    });
    if let Some(reference) = &d.work.agreement.reference {
        report["reportNumber"] = json!(reference);
    }
    if let Some(licence) = d.licence {
        report["license"] = json!(licence.url);
    }
    if d.work.is_part() {
        report["isPartOf"] = json!({
            "@type": "Report",
            "name": d.work.agreement.title,
            "url": d.agreement_url,
        });
    }
    // `<`, `>` and `&` as JSON escapes: the text can then never close the element.
    serde_json::to_string(&report)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::{formatted, shape, styled_csl, CONTAINER_MARK, TITLE_MARK, URL_MARK};
    use serde_json::json;

    /// Citations filled into a shape's are those the styles make of each
    /// work in full, whatever its title, container title and URL.
    #[test]
    fn a_shape_s_citations_are_each_work_s_own() {
        let work = |title: &str, container: Option<&str>, url: &str| {
            let mut item = json!({
                "id": format!("made-up-{title}"),
                "type": "report",
                "title": title,
                "author": [{ "literal": "Made-up Health" }, { "literal": "Made-up Justice" }],
                "issued": { "date-parts": [[2026]] },
                "accessed": { "date-parts": [[2026, 12, 6]] },
                "URL": url,
                "language": "en-GB",
            });
            if let Some(container) = container {
                item["container-title"] = json!(container);
            }
            item
        };
        let works = [
            work("Priority 5", Some("Made-up agreement 1"), "https://made-up.example/a/priorities/5/"),
            work(
                "Priority 12, text as published (2022 to 2025)",
                Some("Made-up agreement for health (MUA) 2022-25"),
                "https://made-up.example/a/priorities/12/versions/2026-11-23/",
            ),
            work("objective 3 of the text", Some("made-up agreement"), "https://made-up.example/b/3/"),
            work("Made-up agreement 2, text as published (2026 to 2029)", None, "https://made-up.example/b/"),
            work("Made-up agreement 3", None, "https://made-up.example/c/"),
            work("Children’s: “health” & care", Some("Made-up: agreement"), "https://made-up.example/d/"),
            work("Priority 5", Some("Made-up agreement – 2022 – 2025"), "https://made-up.example/e/5/"),
        ];
        for csl in &works {
            assert_eq!(styled_csl(csl), formatted(csl), "{csl}");
        }
        // And plain works are filled in, not each formatted in full.
        let mut marked = works[1].clone();
        marked["id"] = json!("work");
        marked["title"] = json!(TITLE_MARK);
        marked["URL"] = json!(URL_MARK);
        marked["container-title"] = json!(CONTAINER_MARK);
        assert!(shape(&marked).is_some(), "the styles copy plain titles as they are");
    }

    #[test]
    fn the_bundled_style_parses() {
        hayagriva::citationberg::IndependentStyle::from_xml(include_str!("oscola-like.csl")).unwrap();
    }

    #[test]
    fn the_english_locales_are_read_and_no_others() {
        let codes: Vec<String> =
            super::english_locales().into_iter().filter_map(|l| l.lang.map(|code| code.0)).collect();
        assert_eq!(codes, ["en-GB", "en-US"]);
    }
}

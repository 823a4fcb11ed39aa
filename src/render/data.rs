//! Open data: the whole model as versioned JSON, and CSV files for items,
//! figures and progress updates. URLs inside are the site's permanent URLs.

use serde::Serialize;

use crate::model::{
    Agreement, EarlierAgreement, Figure, OpenData, Organisation, Person, ScrutinyBody, Site, Topic, Update,
};
use crate::render::OutputFile;

/// Bumped when a field is removed or changes meaning; adding fields keeps it.
/// What each version changed is in CHANGELOG.md ("Open data schema").
pub const SCHEMA_VERSION: u32 = 4;

pub fn files(site: &Site) -> Result<Vec<OutputFile>, csv::Error> {
    Ok(vec![
        OutputFile {
            path: crate::paths::file_of(crate::paths::FIGURES_CSV),
            bytes: figures_csv(site, &site.figures)?,
        },
        OutputFile { path: crate::paths::file_of(crate::paths::UPDATES_CSV), bytes: updates_csv(site)? },
    ])
}

/// The open data files that grow with the whole site's text, written
/// straight to disk rather than held in memory whole; `parts` are the
/// site's [`items_csv_parts`].
pub fn streamed<'a>(site: &'a Site, parts: Vec<Vec<&'a Agreement>>) -> Vec<super::StreamedFile<'a>> {
    let count = parts.len();
    let mut out = vec![super::StreamedFile {
        path: crate::paths::file_of(crate::paths::DATA_JSON),
        write: Box::new(move |w| {
            serde_json::to_writer(w, &OpenData(&model(site, count))).map_err(std::io::Error::other)
        }),
    }];
    for (n, agreements) in parts.into_iter().enumerate() {
        out.push(super::StreamedFile {
            path: crate::paths::file_of(&crate::paths::items_csv_part(n + 1)),
            write: Box::new(move |w| items_csv(site, &agreements, w).map_err(std::io::Error::other)),
        });
    }
    out
}

/// The most bytes a part of the items' CSV is planned to hold: hosts take
/// files of up to 25 MiB (Cloudflare Pages), and the plan is an estimate.
/// `ACCORD_CSV_PART_BYTES` sets another, for a test to split a small site.
fn csv_part_bytes() -> usize {
    std::env::var("ACCORD_CSV_PART_BYTES").ok().and_then(|v| v.parse().ok()).unwrap_or(20 * 1024 * 1024)
}

/// The agreements whose items each part of the items' CSV holds, whole
/// agreements in order: one part for any site whose items fit in one file
/// a host takes, more for a larger one. Always at least one part, so the
/// file exists (with its header) on a site with no items.
pub fn items_csv_parts(site: &Site) -> Vec<Vec<&Agreement>> {
    // A row: its text (quotes doubled), section, URL and topics, and the rest.
    let bytes = |a: &Agreement| -> usize {
        a.items
            .iter()
            .map(|i| i.text.len() + i.text.matches('"').count() + i.section_title.len() + i.path.len() + 160)
            .sum()
    };
    let limit = csv_part_bytes();
    let mut parts: Vec<(Vec<&Agreement>, usize)> = vec![(Vec::new(), 0)];
    for a in &site.agreements {
        let size = bytes(a);
        let last = parts.last_mut().expect("there is always a part");
        if !last.0.is_empty() && last.1 + size > limit {
            parts.push((vec![a], size));
        } else {
            last.0.push(a);
            last.1 += size;
        }
    }
    parts.into_iter().map(|(agreements, _)| agreements).collect()
}

fn absolute_link(site: &Site, url: &crate::paths::Link) -> String {
    crate::paths::absolute_from_link(&site.config.base_url, &site.config.base_path, url)
}

/// The site as one file of open data: everything but the agreements' text,
/// which each agreement's own file holds, so that this one stays small
/// however large the site. Serialised straight from the model: no
/// intermediate JSON tree. `csv_parts` is how many parts the items' CSV has.
fn model(site: &Site, csv_parts: usize) -> impl Serialize + '_ {
    let absolute = |path: &str| crate::paths::absolute(&site.config.base_url, path);
    #[derive(Serialize)]
    struct Export<'a> {
        schema: &'static str,
        version: u32,
        /// The accord that wrote this file, e.g. `accord 0.1.0`.
        generator: String,
        /// What readers may do with this data, as the site's publisher states it.
        licence: Option<&'a crate::config::Licence>,
        site: ExportSite<'a>,
        /// Each agreement's own file holds its text: this one refers to them,
        /// so that no file grows with the whole site's text.
        agreements: Vec<AgreementEntry<'a>>,
        /// The items' CSV, in as many parts as it takes (see `items_csv_parts`).
        items_csv: Vec<String>,
        topics: &'a [Topic],
        people: &'a [Person],
        organisations: &'a [Organisation],
        scrutiny_bodies: &'a [ScrutinyBody],
        figures: &'a [Figure],
        updates: &'a [Update],
        earlier_agreements: &'a [EarlierAgreement],
    }
    #[derive(Serialize)]
    struct AgreementEntry<'a> {
        slug: &'a str,
        title: &'a str,
        short_title: &'a str,
        period: &'a crate::model::Period,
        reference: Option<&'a str>,
        currency: &'a crate::model::Currency,
        permanent_url: String,
        /// The agreement as data: its sections, items, signatories and the rest.
        data: String,
        akoma_ntoso: String,
    }
    #[derive(Serialize)]
    struct ExportSite<'a> {
        title: &'a str,
        base_url: &'a str,
        language: &'a str,
    }
    Export {
        schema: "https://accord.example/data/",
        version: SCHEMA_VERSION,
        generator: format!("accord {}", env!("CARGO_PKG_VERSION")),
        licence: site.config.licence.as_ref(),
        site: ExportSite {
            title: &site.config.title,
            base_url: &site.config.base_url,
            language: &site.config.language,
        },
        agreements: site
            .agreements
            .iter()
            .map(|a| AgreementEntry {
                slug: &a.slug,
                title: &a.title,
                short_title: &a.short_title,
                period: &a.period,
                reference: a.reference.as_deref(),
                currency: &a.currency,
                permanent_url: absolute(&a.path),
                data: absolute(&crate::paths::beside(&a.path, crate::paths::JSON)),
                akoma_ntoso: absolute(&crate::paths::beside(&a.path, crate::paths::AKOMA_NTOSO)),
            })
            .collect(),
        items_csv: (1..=csv_parts).map(|n| absolute(&crate::paths::items_csv_part(n))).collect(),
        topics: &site.topics,
        people: &site.people,
        organisations: &site.organisations,
        scrutiny_bodies: &site.scrutiny_bodies,
        figures: &site.figures,
        updates: &site.updates,
        earlier_agreements: &site.records,
    }
}

fn items_csv(site: &Site, agreements: &[&Agreement], out: &mut dyn std::io::Write) -> Result<(), csv::Error> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["agreement", "kind", "number", "url", "section", "topics", "text"])?;
    for a in agreements {
        for i in &a.items {
            let topics: Vec<&str> = i.topics.iter().map(|t| t.id.as_str()).collect();
            w.write_record([
                a.slug.as_str(),
                i.kind.id(),
                &i.number.to_string(),
                &absolute_link(site, &i.url),
                &i.section_title,
                &topics.join(";"),
                &i.text,
            ])?;
        }
    }
    w.flush()?;
    Ok(())
}

/// The rows of `figures`' values, under the same header whether of every figure or one.
fn figures_csv(site: &Site, figures: &[Figure]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "figure",
        "label",
        "unit",
        "kind",
        "period",
        "group",
        "qualifier",
        "value",
        "url",
        "source",
        "source_url",
        "sentence",
    ])?;
    for f in figures {
        for v in &f.values {
            w.write_record([
                f.id.as_str(),
                &f.label,
                &format!("{:?}", f.unit).to_lowercase(),
                &format!("{:?}", f.kind).to_lowercase(),
                v.period.as_deref().unwrap_or(""),
                v.group.as_deref().unwrap_or(""),
                v.qualifier.as_deref().unwrap_or(""),
                &v.value.to_string(),
                &absolute_link(site, &f.url),
                &f.source.document,
                &absolute_link(site, &f.source.url),
                &f.sentence,
            ])?;
        }
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

fn updates_csv(site: &Site) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["agreement", "period", "published", "item", "item_url", "status", "lead", "narrative"])?;
    for u in &site.updates {
        for s in &u.statuses {
            w.write_record([
                u.agreement.slug.as_str(),
                &u.period,
                &u.published,
                &s.item.label,
                &absolute_link(site, &s.item.url),
                &s.status,
                s.lead.as_ref().map_or("", |l| l.id.as_str()),
                &s.text,
            ])?;
        }
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// Beside each figure's page, its values as CSV (the whole site's figures
/// CSV, only its rows) and the figure as JSON, so that a reader citing one
/// figure can take away its data alone.
pub fn figure_files(site: &Site) -> Result<Vec<OutputFile>, csv::Error> {
    #[derive(Serialize)]
    struct FigureJson<'a> {
        schema: &'static str,
        version: u32,
        licence: Option<&'a crate::config::Licence>,
        permanent_url: String,
        #[serde(flatten)]
        figure: &'a Figure,
    }
    let mut out = Vec::with_capacity(site.figures.len() * 2);
    for f in &site.figures {
        let beside = |name: &str| crate::paths::beside(&f.path, name).trim_start_matches('/').to_owned();
        out.push(OutputFile {
            path: beside(crate::paths::FIGURE_CSV),
            bytes: figures_csv(site, std::slice::from_ref(f))?,
        });
        let json = FigureJson {
            schema: "https://accord.example/data/figure",
            version: SCHEMA_VERSION,
            licence: site.config.licence.as_ref(),
            permanent_url: crate::paths::absolute(&site.config.base_url, &f.path),
            figure: f,
        };
        let bytes = serde_json::to_vec(&OpenData(&json)).map_err(std::io::Error::from)?;
        out.push(OutputFile { path: beside(crate::paths::JSON), bytes });
    }
    Ok(out)
}

/// Beside an agreement's page and each of its items' pages, the same content
/// as JSON (`index.json`, linked from the page with `rel="alternate"`), and
/// beside the agreement its Akoma Ntoso document.
pub fn alternates(site: &Site, a: &Agreement) -> std::io::Result<Vec<OutputFile>> {
    #[derive(Serialize)]
    struct AgreementJson<'a> {
        schema: &'static str,
        version: u32,
        licence: Option<&'a crate::config::Licence>,
        permanent_url: String,
        akoma_ntoso: String,
        #[serde(flatten)]
        agreement: &'a Agreement,
    }
    #[derive(Serialize)]
    struct ItemJson<'a> {
        schema: &'static str,
        version: u32,
        licence: Option<&'a crate::config::Licence>,
        permanent_url: String,
        agreement: AgreementRef<'a>,
        #[serde(flatten)]
        item: &'a crate::model::Item,
    }
    #[derive(Serialize)]
    struct AgreementRef<'a> {
        slug: &'a str,
        title: &'a str,
        reference: Option<&'a str>,
        url: String,
    }
    let file = |page: &str, name: &str, bytes: Vec<u8>| OutputFile {
        path: crate::paths::beside(page, name).trim_start_matches('/').to_owned(),
        bytes,
    };
    let absolute = |path: &str| crate::paths::absolute(&site.config.base_url, path);
    let json = AgreementJson {
        schema: "https://accord.example/data/agreement",
        version: SCHEMA_VERSION,
        licence: site.config.licence.as_ref(),
        permanent_url: absolute(&a.path),
        akoma_ntoso: absolute(&crate::paths::beside(&a.path, crate::paths::AKOMA_NTOSO)),
        agreement: a,
    };
    let mut out = vec![
        file(&a.path, crate::paths::JSON, serde_json::to_vec(&OpenData(&json))?),
        file(&a.path, crate::paths::AKOMA_NTOSO, crate::render::akn::document(site, a)?),
    ];
    for item in &a.items {
        let json = ItemJson {
            schema: "https://accord.example/data/item",
            version: SCHEMA_VERSION,
            licence: site.config.licence.as_ref(),
            permanent_url: absolute(&item.path),
            agreement: AgreementRef {
                slug: &a.slug,
                title: &a.title,
                reference: a.reference.as_deref(),
                url: absolute(&a.path),
            },
            item,
        };
        out.push(file(&item.path, crate::paths::JSON, serde_json::to_vec(&OpenData(&json))?));
    }
    Ok(out)
}

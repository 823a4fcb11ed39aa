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
/// straight to disk rather than held in memory whole.
pub fn streamed(site: &Site) -> Vec<super::StreamedFile<'_>> {
    vec![
        super::StreamedFile {
            path: crate::paths::file_of(crate::paths::DATA_JSON),
            write: Box::new(move |w| {
                serde_json::to_writer(w, &OpenData(&model(site))).map_err(std::io::Error::other)
            }),
        },
        super::StreamedFile {
            path: crate::paths::file_of(crate::paths::ITEMS_CSV),
            write: Box::new(move |w| items_csv(site, w).map_err(std::io::Error::other)),
        },
    ]
}

fn absolute_link(site: &Site, url: &crate::paths::Link) -> String {
    crate::paths::absolute_from_link(&site.config.base_url, &site.config.base_path, url)
}

/// The whole model as the open data exports it, serialised straight from
/// it: no intermediate JSON tree, which at tens of thousands of items would
/// double the memory it needs.
fn model(site: &Site) -> impl Serialize + '_ {
    #[derive(Serialize)]
    struct Export<'a> {
        schema: &'static str,
        version: u32,
        /// The accord that wrote this file, e.g. `accord 0.1.0`.
        generator: String,
        /// What readers may do with this data, as the site's publisher states it.
        licence: Option<&'a crate::config::Licence>,
        site: ExportSite<'a>,
        agreements: &'a [Agreement],
        topics: &'a [Topic],
        people: &'a [Person],
        organisations: &'a [Organisation],
        scrutiny_bodies: &'a [ScrutinyBody],
        figures: &'a [Figure],
        updates: &'a [Update],
        earlier_agreements: &'a [EarlierAgreement],
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
        agreements: &site.agreements,
        topics: &site.topics,
        people: &site.people,
        organisations: &site.organisations,
        scrutiny_bodies: &site.scrutiny_bodies,
        figures: &site.figures,
        updates: &site.updates,
        earlier_agreements: &site.records,
    }
}

fn items_csv(site: &Site, out: &mut dyn std::io::Write) -> Result<(), csv::Error> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["agreement", "kind", "number", "url", "section", "topics", "text"])?;
    for a in &site.agreements {
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

//! The search index, built with Pagefind from the resolved model.
//!
//! In: a [`Site`]. Out: the files of a Pagefind bundle under `pagefind/`:
//! a chunked index the browser downloads piece by piece, and Pagefind's own
//! browser code (the modular UI and its WebAssembly), so the project writes
//! no search engine of its own. Records come straight from the model rather
//! than from re-parsing the HTML: every item, measure, agreement section and
//! page becomes one result with a title that says where it is.

use std::collections::BTreeMap;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::diagnostics::Diagnostic;
use crate::model::{Agreement, Site};
use crate::render::OutputFile;

/// Where the bundle lives in the output folder.
pub const BUNDLE_DIR: &str = "pagefind";

/// One search result as Pagefind will show it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Record {
    pub url: String,
    pub title: String,
    pub content: String,
    pub filters: BTreeMap<String, Vec<String>>,
}

/// The bundle's files and what the index weighs, for the build summary.
pub struct SearchBundle {
    pub files: Vec<OutputFile>,
    pub records: usize,
    /// Bytes of index, fragment, filter and metadata files (not the browser code).
    pub index_bytes: usize,
}

pub fn records(site: &Site) -> Vec<Record> {
    let mut out = Vec::new();
    for agreement in &site.agreements {
        agreement_records(agreement, &mut out);
    }
    for page in &site.pages {
        out.push(record(&page.url, page.title.clone(), &page.text, None, "Context page", &[]));
    }
    for figure in &site.figures {
        let values: Vec<String> =
            figure.values.iter().map(|v| format!("{} {}", v.label, v.display)).collect();
        let text = format!("{} {}", values.join(", "), figure.sentence);
        out.push(record(
            &figure.url,
            format!("Figure · {}", figure.label),
            &text,
            None,
            "Figure",
            &figure.topics,
        ));
    }
    for topic in &site.topics {
        out.push(record(
            &topic.url,
            format!("Topic · {}", topic.title),
            &topic.description,
            None,
            "Topic",
            &[],
        ));
    }
    for person in &site.people {
        let printed: Vec<String> = person
            .signatures
            .iter()
            .map(|s| format!("{}, {}, {}", s.signatory.name, s.signatory.role, s.agreement.short_title))
            .collect();
        let title = format!("Signatory · {}", person.name);
        out.push(record(&person.url, title, &printed.join(". "), None, "Person", &[]));
    }
    for org in &site.organisations {
        let mut text: Vec<String> = org.abbreviation.iter().cloned().collect();
        text.extend(org.responsibilities.iter().map(|r| r.text.clone()));
        let title = format!("Organisation · {}", org.name);
        out.push(record(&org.url, title, &text.join(" "), None, "Organisation", &[]));
    }
    for body in &site.scrutiny_bodies {
        let text: Vec<&str> = body.descriptions.iter().map(|d| d.text.as_str()).collect();
        let title = format!("Scrutiny body · {}", body.name);
        out.push(record(&body.url, title, &text.join(" "), None, "Scrutiny body", &[]));
    }
    out
}

fn agreement_records(agreement: &Agreement, out: &mut Vec<Record>) {
    let short = agreement.short_title.as_str();
    for section in &agreement.sections {
        if section.text.is_empty() {
            continue;
        }
        let url = format!("{}#{}", agreement.url, section.id);
        out.push(record(
            &url,
            format!("{short} · {}", section.title),
            &section.text,
            Some(short),
            "Section",
            &[],
        ));
    }
    for item in &agreement.items {
        let title = format!("{short} · {}", item.label);
        out.push(record(&item.url, title, &item.text, Some(short), item.kind.label(), &item.topics));
        for measure in &item.measures {
            let url = format!("{}#{}", item.url, measure.anchor);
            let title = format!("{short} · {} · Measure {}", item.label, measure.number);
            out.push(record(&url, title, &measure.text, Some(short), "Demonstrable measure", &item.topics));
        }
    }
}

fn record(
    url: &str,
    title: String,
    text: &str,
    agreement: Option<&str>,
    kind: &str,
    topics: &[crate::model::TopicRef],
) -> Record {
    let mut filters = BTreeMap::new();
    if let Some(a) = agreement {
        filters.insert("agreement".to_owned(), vec![a.to_owned()]);
    }
    filters.insert("kind".to_owned(), vec![kind.to_owned()]);
    if !topics.is_empty() {
        filters.insert("topic".to_owned(), topics.iter().map(|t| t.title.clone()).collect());
    }
    // The title is part of the content so "priority 5" finds Priority 5.
    Record { url: url.to_owned(), content: format!("{title}. {text}"), title, filters }
}

/// Indexes the records and returns the bundle's files, ready to write.
pub fn build_bundle(site: &Site) -> Result<SearchBundle, Diagnostic> {
    bundle(records(site), &site.config.language)
}

/// Indexes `records` in `language` (a BCP 47 tag such as `en-GB`).
pub fn bundle(records: Vec<Record>, language: &str) -> Result<SearchBundle, Diagnostic> {
    let count = records.len();
    let language = language.split('-').next().unwrap_or("en").to_lowercase();
    let files = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| search_error(e.to_string()))?
        .block_on(index(records, language))?;
    let index_bytes = files
        .iter()
        .filter(|f| {
            [".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter"].iter().any(|x| f.path.ends_with(x))
        })
        .map(|f| f.bytes.len())
        .sum();
    Ok(SearchBundle { files, records: count, index_bytes })
}

async fn index(records: Vec<Record>, language: String) -> Result<Vec<OutputFile>, Diagnostic> {
    let config = PagefindServiceConfig::builder().force_language(language.clone()).build();
    let mut index = PagefindIndex::new(Some(config)).map_err(|e| search_error(e.to_string()))?;
    for r in records {
        let meta = BTreeMap::from([("title".to_owned(), r.title)]);
        index
            .add_custom_record(r.url, r.content, language.clone(), Some(meta), Some(r.filters), None)
            .await
            .map_err(|e| search_error(e.to_string()))?;
    }
    let files = index.get_files().await.map_err(|e| search_error(e.to_string()))?;
    Ok(files
        .into_iter()
        .filter(|f| keep(&f.filename))
        .map(|f| OutputFile {
            path: format!("{BUNDLE_DIR}/{}", f.filename.to_string_lossy().replace('\\', "/")),
            bytes: f.contents,
        })
        .collect())
}

/// The modular UI is what the search page uses; the other UIs would only add weight to the deploy.
fn keep(name: &std::path::Path) -> bool {
    let name = name.to_string_lossy();
    !(name.starts_with("pagefind-ui.")
        || name.starts_with("pagefind-component-ui.")
        || name.starts_with("pagefind-highlight")
        || name.starts_with("playground"))
}

fn search_error(message: String) -> Diagnostic {
    Diagnostic::file(BUNDLE_DIR, format!("could not build the search index: {message}"))
        .with_help("this is a bug in accord or Pagefind; please report it with the content that triggers it")
}

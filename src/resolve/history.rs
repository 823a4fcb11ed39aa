//! The content's history as changes a reader can follow: each commit that
//! touched content, with the pages it changed (for the feed of changes).
//! Dates and files come from git; outside git there is no history to tell.

use std::path::Path;

use crate::load::Commit;
use crate::model::*;
use crate::paths::{self, Has};

pub fn changes(
    commits: &[Commit],
    agreements: &[Agreement],
    pages: &[Page],
    has: &Has,
    base_path: &str,
) -> Vec<Change> {
    let link =
        |title: &str, path: &str| Backlink { title: title.to_owned(), url: paths::link(base_path, path) };
    let page_of = |file: &Path| -> Option<Backlink> {
        for a in agreements {
            if let Some(item) = a.items.iter().find(|i| i.source_file == file) {
                return Some(Backlink {
                    title: format!("{} · {}", item.label, a.short_title),
                    url: item.url.clone(),
                });
            }
            if let Some(s) = a.sections.iter().find(|s| s.source_file == file) {
                return Some(Backlink {
                    title: format!("{} · {}", a.short_title, s.title),
                    url: a.url.at(&s.id),
                });
            }
            if file.starts_with(&a.source_file) && !a.source_file.as_os_str().is_empty() {
                return Some(Backlink { title: a.short_title.clone(), url: a.url.clone() });
            }
        }
        if let Some(p) = pages.iter().find(|p| p.source_file == file) {
            return Some(Backlink { title: p.title.clone(), url: p.url.clone() });
        }
        let name = file.strip_prefix("content").ok()?.to_string_lossy().replace('\\', "/");
        let listed = match name.as_str() {
            "_index.md" => Some(("Home", paths::HOME, true)),
            "topics.toml" | "nhs-priority-areas.toml" => Some(("Topics", paths::TOPICS, has.topics)),
            "figures.toml" => Some(("Figures", paths::FIGURES, has.figures)),
            "glossary.toml" => Some(("Glossary", paths::GLOSSARY, has.glossary)),
            "organisations.toml" => Some(("Organisations", paths::ORGANISATIONS, has.organisations)),
            "people.toml" => Some(("Signatories", paths::PEOPLE, has.people)),
            "scrutiny-bodies.toml" => Some(("Scrutiny bodies", paths::SCRUTINY, has.scrutiny_bodies)),
            "records.toml" => Some(("Agreements", paths::AGREEMENTS, true)),
            // The words search takes as the same change what the search page finds.
            "synonyms.toml" => Some(("Search", paths::SEARCH, true)),
            n if n.starts_with("updates/") => Some(("Progress updates", paths::UPDATES, has.updates)),
            _ => None,
        };
        listed.filter(|(_, _, built)| *built).map(|(title, path, _)| link(title, path))
    };
    commits
        .iter()
        .filter_map(|c| {
            let mut changed: Vec<Backlink> = Vec::new();
            for page in c.files.iter().filter_map(|f| page_of(f)) {
                if !changed.contains(&page) {
                    changed.push(page);
                }
            }
            (!changed.is_empty()).then(|| Change { date: c.date.clone(), id: c.hash.clone(), pages: changed })
        })
        .collect()
}

//! Reading a site folder into raw, unchecked values.
//!
//! In: a site root. Out: a [`RawSite`] holding every settings file, agreement,
//! section, item and page exactly as written, each with the file it came from
//! so later stages can point at the right line. Loading checks only what
//! parsing can check (UTF-8, TOML syntax, field names and types); rules that
//! need the whole site (unique numbers, known partners, links) live in
//! `resolve`. Every file is read even after an error, so one run reports
//! everything.

mod dates;
mod files;
mod raw;

use std::path::{Path, PathBuf};

pub use dates::Dates;
pub use files::{parse_toml, split_front_matter, Document, SourceFile};
pub use raw::*;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// Everything under `content/`, parsed but not yet checked against itself.
#[derive(Debug)]
pub struct RawSite {
    pub home: Option<Document<RawHome>>,
    pub organisations: Vec<(SourceFile, RawOrganisation)>,
    pub topics: Vec<(SourceFile, RawTopic)>,
    pub people: Vec<(SourceFile, RawPerson)>,
    pub bodies: Vec<(SourceFile, RawBody)>,
    pub withdrawn: Vec<(SourceFile, RawWithdrawn)>,
    pub records: Vec<(SourceFile, RawRecord)>,
    pub figures: Vec<(SourceFile, RawFigure)>,
    /// Progress updates from `content/updates/*.toml`.
    pub updates: Vec<(SourceFile, RawUpdate)>,
    pub areas: Vec<(SourceFile, RawArea)>,
    pub pages: Vec<Document<RawPage>>,
    pub agreements: Vec<RawAgreementDir>,
    /// When each file last changed.
    pub dates: Dates,
    pub root: PathBuf,
}

/// One folder under `content/agreements/`.
#[derive(Debug)]
pub struct RawAgreementDir {
    /// The folder name: the agreement's URL slug.
    pub slug: String,
    pub file: SourceFile,
    pub meta: RawAgreement,
    /// In file-name order, which is document order.
    pub sections: Vec<Document<RawSection>>,
    pub items: Vec<Document<RawItem>>,
    /// What the agreement says about its scrutiny bodies, with the file it came from.
    pub scrutiny: Option<(SourceFile, RawScrutiny)>,
    /// The boards and groups the agreement names (`governance.toml`).
    pub governance: Option<(SourceFile, RawGovernance)>,
    /// Some section or item file failed to load: checks that need all of
    /// them (links into this agreement, kinds listed) would only echo that error.
    pub incomplete: bool,
}

/// Reads every content file. Files that cannot be parsed are left out of the
/// returned site and reported in the diagnostics, so that `resolve` can still
/// check the rest and an editor sees every problem in one run.
pub fn load_content(root: &Path) -> (RawSite, Diagnostics) {
    load_content_dated(root, Dates::read(root))
}

/// Like [`load_content`], with last-changed dates already known (a rebuild
/// keeps them rather than asking git again on every save).
pub fn load_content_dated(root: &Path, dates: Dates) -> (RawSite, Diagnostics) {
    let content = root.join("content");
    let mut diags = Diagnostics::default();
    if !content.is_dir() {
        diags.push(
            Diagnostic::file("content", "the site has no content/ folder")
                .with_help("create content/ with content/agreements/ inside (see docs/content-format.md)"),
        );
        let empty = RawSite {
            home: None,
            organisations: Vec::new(),
            topics: Vec::new(),
            people: Vec::new(),
            bodies: Vec::new(),
            withdrawn: Vec::new(),
            records: Vec::new(),
            figures: Vec::new(),
            updates: Vec::new(),
            areas: Vec::new(),
            pages: Vec::new(),
            agreements: Vec::new(),
            dates: Dates::default(),
            root: root.to_path_buf(),
        };
        return (empty, diags);
    }

    let home =
        optional_path(&content.join("_index.md")).and_then(|p| collect(&mut diags, Document::load(root, &p)));
    let organisations =
        list_file(root, "organisations.toml", &mut diags, |l: RawOrganisations| l.organisation);
    let topics = list_file(root, "topics.toml", &mut diags, |l: RawTopics| l.topic);
    let people = list_file(root, "people.toml", &mut diags, |l: RawPeople| l.person);
    let bodies = list_file(root, "scrutiny-bodies.toml", &mut diags, |l: RawBodies| l.body);
    let withdrawn = list_file(root, "withdrawn.toml", &mut diags, |l: RawWithdrawals| l.withdrawn);
    let records = list_file(root, "records.toml", &mut diags, |l: RawRecords| l.record);
    let figures = list_file(root, "figures.toml", &mut diags, |l: RawFigures| l.figure);
    let updates = list_dir(root, &content.join("updates"), &mut diags)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .filter_map(|p| collect(&mut diags, load_toml_file(root, &p)))
        .collect();
    let areas = list_file(root, "nhs-priority-areas.toml", &mut diags, |l: RawAreas| l.area);
    let pages = markdown_files(root, &content.join("pages"), &mut diags)
        .into_iter()
        .filter_map(|p| collect(&mut diags, Document::load(root, &p)))
        .collect();
    let agreements =
        load_agreements(root, subfolders(root, &content.join("agreements"), &mut diags), &mut diags);

    (
        RawSite {
            home,
            organisations,
            topics,
            people,
            bodies,
            withdrawn,
            records,
            figures,
            updates,
            areas,
            pages,
            agreements,
            dates,
            root: root.to_path_buf(),
        },
        diags,
    )
}

/// Agreements are read on every core (a large site has hundreds, each with
/// its own files); their errors are reported in folder order all the same.
fn load_agreements(root: &Path, dirs: Vec<PathBuf>, diags: &mut Diagnostics) -> Vec<RawAgreementDir> {
    use rayon::prelude::*;
    let loaded: Vec<(Option<RawAgreementDir>, Diagnostics)> = dirs
        .par_iter()
        .map(|dir| {
            let mut own = Diagnostics::default();
            (load_agreement(root, dir, &mut own), own)
        })
        .collect();
    loaded
        .into_iter()
        .filter_map(|(agreement, own)| {
            diags.extend(own);
            agreement
        })
        .collect()
}

fn load_agreement(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Option<RawAgreementDir> {
    let slug = dir.file_name()?.to_string_lossy().into_owned();
    let meta_path = dir.join("agreement.toml");
    if !meta_path.is_file() {
        diags.push(
            Diagnostic::file(
                crate::diagnostics::display_path(root, dir),
                "agreement folder has no agreement.toml",
            )
            .with_help("add agreement.toml with title, short_title, period, status and partners"),
        );
        return None;
    }
    let errors_before = diags.len();
    let sections: Vec<_> = markdown_files(root, &dir.join("sections"), diags)
        .into_iter()
        .filter_map(|p| collect(diags, Document::load(root, &p)))
        .collect();
    let items: Vec<_> = markdown_files(root, &dir.join("items"), diags)
        .into_iter()
        .filter_map(|p| collect(diags, Document::load(root, &p)))
        .collect();
    let scrutiny =
        optional_path(&dir.join("scrutiny.toml")).and_then(|p| collect(diags, load_toml_file(root, &p)));
    let governance =
        optional_path(&dir.join("governance.toml")).and_then(|p| collect(diags, load_toml_file(root, &p)));
    let incomplete = diags.len() > errors_before;
    let (file, meta) = collect(diags, load_toml_file(root, &meta_path))?;
    Some(RawAgreementDir { slug, file, meta, sections, items, scrutiny, governance, incomplete })
}

/// `content/{name}`, a list of entries, if the site has one; its problems go to `diags`.
fn list_file<L: serde::de::DeserializeOwned, T>(
    root: &Path,
    name: &str,
    diags: &mut Diagnostics,
    entries: impl FnOnce(L) -> Vec<T>,
) -> Vec<(SourceFile, T)> {
    optional_path(&root.join("content").join(name))
        .and_then(|p| collect(diags, load_list(root, &p, entries)))
        .unwrap_or_default()
}

/// A TOML file holding a list of entries, each kept with its file for error reports.
fn load_list<L: serde::de::DeserializeOwned, T>(
    root: &Path,
    path: &Path,
    entries: impl FnOnce(L) -> Vec<T>,
) -> Result<Vec<(SourceFile, T)>, Diagnostic> {
    let (file, list) = load_toml_file(root, path)?;
    Ok(entries(list).into_iter().map(|e| (file.clone(), e)).collect())
}

fn load_toml_file<T: serde::de::DeserializeOwned>(
    root: &Path,
    path: &Path,
) -> Result<(SourceFile, T), Diagnostic> {
    let file = SourceFile::read(root, path)?;
    let value = parse_toml(&file, 0, file.text.len())?;
    Ok((file, value))
}

fn collect<T>(diags: &mut Diagnostics, result: Result<T, Diagnostic>) -> Option<T> {
    result.map_err(|d| diags.push(d)).ok()
}

fn optional_path(path: &Path) -> Option<PathBuf> {
    path.is_file().then(|| path.to_path_buf())
}

/// The `.md` files directly in `dir`, sorted by name (document order). A
/// missing folder is simply empty.
fn markdown_files(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    list_dir(root, dir, diags)
        .into_iter()
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "md"))
        .collect()
}

fn subfolders(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    list_dir(root, dir, diags).into_iter().filter(|p| p.is_dir()).collect()
}

fn list_dir(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut paths = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).max_depth(1).sort_by_file_name() {
        match entry {
            Ok(e) if !is_hidden(e.file_name()) => paths.push(e.into_path()),
            Ok(_) => {}
            Err(err) => diags.push(Diagnostic::file(
                crate::diagnostics::display_path(root, err.path().unwrap_or(dir)),
                format!("cannot read folder: {err}"),
            )),
        }
    }
    paths
}

/// Editors' backup and swap files (`.x.md.swp`, `x.md~`) are not content.
fn is_hidden(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name.ends_with('~')
}

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
mod history;
mod raw;
pub mod theme;

use std::path::{Path, PathBuf};

pub use dates::{is_iso_date, long_date, AsAt, AsAtSource, Commit, Dates, CHANGE_TRAILERS};
pub use files::{parse_toml, split_front_matter, Document, FilesRead, SourceFile};
pub use history::{History, Revision};
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
    /// `content/glossary.toml`, whole: its terms and what is left unexpanded.
    pub glossary: Vec<(SourceFile, RawGlossary)>,
    /// `content/synonyms.toml`: the editors' words of the same meaning, for search.
    pub synonyms: Vec<(SourceFile, RawSynonym)>,
    /// Progress updates from `content/updates/*.toml`.
    pub updates: Vec<(SourceFile, RawUpdate)>,
    /// `content/nhs-priority-areas.toml`, whole: the areas and the page they come from.
    pub areas: Vec<(SourceFile, RawAreas)>,
    pub pages: Vec<Document<RawPage>>,
    pub agreements: Vec<RawAgreementDir>,
    /// When each file last changed.
    pub dates: Dates,
    pub root: PathBuf,
    /// What could not be loaded, so checks that need it keep quiet.
    pub unloaded: Unloaded,
}

/// What failed to load. A check that needs it would only echo the error
/// already reported for the file (an unclosed string in
/// `organisations.toml` is one error, not one per partner it defines), so
/// such checks are skipped.
#[derive(Debug, Default, Clone)]
pub struct Unloaded {
    /// Lists under `content/` that failed (`organisations.toml`…).
    pub lists: std::collections::HashSet<&'static str>,
    /// Site paths of pages, and prefixes of pages, made from files that
    /// failed (`/agreements/x/`, `/organisations/`).
    pub paths: Vec<String>,
}

impl Unloaded {
    pub fn list(&self, name: &str) -> bool {
        self.lists.contains(name)
    }

    /// Whether `path` (a site path) is made from content that failed to load.
    pub fn covers(&self, path: &str) -> bool {
        self.paths.iter().any(|p| path.starts_with(p.as_str()))
    }
}

/// The lists under `content/`, with the site paths of the pages made from each.
const LISTS: &[(&str, Option<&str>)] = &[
    ("organisations.toml", Some(crate::paths::ORGANISATIONS)),
    ("topics.toml", Some(crate::paths::TOPICS)),
    ("people.toml", Some(crate::paths::PEOPLE)),
    ("scrutiny-bodies.toml", Some(crate::paths::SCRUTINY)),
    ("withdrawn.toml", None),
    ("records.toml", None),
    ("figures.toml", Some(crate::paths::FIGURES)),
    ("nhs-priority-areas.toml", None),
    ("glossary.toml", Some(crate::paths::GLOSSARY)),
    ("synonyms.toml", None),
];

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
    load_content_kept(root, Dates::read(root), None)
}

/// Like [`load_content`], with last-changed dates already known and the
/// files a rebuild read kept for the next (a rebuild keeps both rather than
/// asking git and the disk again on every save).
pub fn load_content_kept(root: &Path, dates: Dates, kept: Option<&FilesRead>) -> (RawSite, Diagnostics) {
    let read = Reader { root, kept };
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
            glossary: Vec::new(),
            synonyms: Vec::new(),
            updates: Vec::new(),
            areas: Vec::new(),
            pages: Vec::new(),
            agreements: Vec::new(),
            dates: Dates::default(),
            root: root.to_path_buf(),
            unloaded: Unloaded::default(),
        };
        diags.mark_roots();
        return (empty, diags);
    }

    // The agreements, most of a large site, are read on every core while
    // this thread reads the site-wide files; the errors of both are then
    // listed in the order the files are named here, as if read one by one.
    let mut unloaded = Unloaded::default();
    let (site_wide, (agreements, agreement_diags, agreement_unloaded)) = rayon::join(
        || {
            let mut diags = Diagnostics::default();
            let mut unloaded = Unloaded::default();
            let files = load_site_wide(&read, &content, &mut diags, &mut unloaded);
            (files, diags, unloaded)
        },
        || {
            let mut diags = Diagnostics::default();
            let mut unloaded = Unloaded::default();
            let dirs = subfolders(root, &content.join("agreements"), &mut diags);
            let agreements = load_agreements(&read, dirs, &mut diags, &mut unloaded);
            (agreements, diags, unloaded)
        },
    );
    let (site_wide, site_wide_diags, site_wide_unloaded) = site_wide;
    for (found, lost) in [(site_wide_diags, site_wide_unloaded), (agreement_diags, agreement_unloaded)] {
        diags.extend(found);
        unloaded.lists.extend(lost.lists);
        unloaded.paths.extend(lost.paths);
    }
    let SiteWide {
        home,
        organisations,
        topics,
        people,
        bodies,
        withdrawn,
        records,
        figures,
        areas,
        glossary,
        synonyms,
        updates,
        pages,
    } = site_wide;
    // Everything found so far is a file that did not load: listed first.
    diags.mark_roots();

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
            glossary,
            synonyms,
            updates,
            areas,
            pages,
            agreements,
            dates,
            root: root.to_path_buf(),
            unloaded,
        },
        diags,
    )
}

/// What `content/` holds besides its agreements, as read.
struct SiteWide {
    home: Option<Document<RawHome>>,
    organisations: Vec<(SourceFile, RawOrganisation)>,
    topics: Vec<(SourceFile, RawTopic)>,
    people: Vec<(SourceFile, RawPerson)>,
    bodies: Vec<(SourceFile, RawBody)>,
    withdrawn: Vec<(SourceFile, RawWithdrawn)>,
    records: Vec<(SourceFile, RawRecord)>,
    figures: Vec<(SourceFile, RawFigure)>,
    areas: Vec<(SourceFile, RawAreas)>,
    glossary: Vec<(SourceFile, RawGlossary)>,
    synonyms: Vec<(SourceFile, RawSynonym)>,
    updates: Vec<(SourceFile, RawUpdate)>,
    pages: Vec<Document<RawPage>>,
}

/// Reads the home page, the lists, the updates and the context pages.
fn load_site_wide(
    read: &Reader,
    content: &Path,
    diags: &mut Diagnostics,
    unloaded: &mut Unloaded,
) -> SiteWide {
    use rayon::prelude::*;
    let root = read.root;
    let home = optional_path(root, &content.join("_index.md"), diags)
        .and_then(|p| collect(diags, read.document(&p)));
    let mut lists = ListFiles { read, diags, unloaded };
    let organisations = lists.load("organisations.toml", |l: RawOrganisations| l.organisation);
    let topics = lists.load("topics.toml", |l: RawTopics| l.topic);
    let people = lists.load("people.toml", |l: RawPeople| l.person);
    let bodies = lists.load("scrutiny-bodies.toml", |l: RawBodies| l.body);
    let withdrawn = lists.load("withdrawn.toml", |l: RawWithdrawals| l.withdrawn);
    let records = lists.load("records.toml", |l: RawRecords| l.record);
    let figures = lists.load("figures.toml", |l: RawFigures| l.figure);
    let areas = lists.load("nhs-priority-areas.toml", |l: RawAreas| vec![l]);
    let glossary = lists.load("glossary.toml", |g: RawGlossary| vec![g]);
    let synonyms = lists.load("synonyms.toml", |l: RawSynonyms| l.synonym);
    let before = diags.len();
    // A large site has thousands of updates, a file each: parsed on every
    // core, their errors reported in folder order all the same.
    let paths: Vec<PathBuf> = list_dir(root, &content.join("updates"), diags)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    let parsed: Vec<_> = paths.par_iter().map(|p| read.toml(p)).collect();
    let updates = parsed.into_iter().filter_map(|u| collect(diags, u)).collect();
    if diags.len() > before {
        unloaded.paths.push(crate::paths::UPDATES.to_owned());
    }
    let mut pages = Vec::new();
    for path in markdown_files(root, &content.join("pages"), diags) {
        match read.document(&path) {
            Ok(page) => pages.push(page),
            Err(d) => {
                diags.push(d);
                let slug = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                unloaded.paths.push(crate::paths::page(&slug));
            }
        }
    }
    SiteWide {
        home,
        organisations,
        topics,
        people,
        bodies,
        withdrawn,
        records,
        figures,
        areas,
        glossary,
        synonyms,
        updates,
        pages,
    }
}

/// Agreements are read on every core (a large site has hundreds, each with
/// its own files); their errors are reported in folder order all the same.
fn load_agreements(
    read: &Reader,
    dirs: Vec<PathBuf>,
    diags: &mut Diagnostics,
    unloaded: &mut Unloaded,
) -> Vec<RawAgreementDir> {
    use rayon::prelude::*;
    let loaded: Vec<(&PathBuf, Option<RawAgreementDir>, Diagnostics)> = dirs
        .par_iter()
        .map(|dir| {
            let mut own = Diagnostics::default();
            (dir, load_agreement(read, dir, &mut own), own)
        })
        .collect();
    loaded
        .into_iter()
        .filter_map(|(dir, agreement, own)| {
            if !own.is_empty() {
                let slug = dir.file_name().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                unloaded.paths.push(crate::paths::agreement(&slug));
            }
            diags.extend(own);
            agreement
        })
        .collect()
}

fn load_agreement(read: &Reader, dir: &Path, diags: &mut Diagnostics) -> Option<RawAgreementDir> {
    let root = read.root;
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
        .filter_map(|p| collect(diags, read.document(&p)))
        .collect();
    let items: Vec<_> = markdown_files(root, &dir.join("items"), diags)
        .into_iter()
        .filter_map(|p| collect(diags, read.document(&p)))
        .collect();
    let scrutiny =
        optional_path(root, &dir.join("scrutiny.toml"), diags).and_then(|p| collect(diags, read.toml(&p)));
    let governance =
        optional_path(root, &dir.join("governance.toml"), diags).and_then(|p| collect(diags, read.toml(&p)));
    let incomplete = diags.len() > errors_before;
    let (file, meta) = collect(diags, read.toml(&meta_path))?;
    Some(RawAgreementDir { slug, file, meta, sections, items, scrutiny, governance, incomplete })
}

/// Loads the lists under `content/`, noting each that fails.
struct ListFiles<'a> {
    read: &'a Reader<'a>,
    diags: &'a mut Diagnostics,
    unloaded: &'a mut Unloaded,
}

impl ListFiles<'_> {
    /// `content/{name}`, a list of entries, if the site has one.
    fn load<L: serde::de::DeserializeOwned, T>(
        &mut self,
        name: &'static str,
        entries: impl FnOnce(L) -> Vec<T>,
    ) -> Vec<(SourceFile, T)> {
        let path = self.read.root.join("content").join(name);
        let loaded = match follow_link(self.read.root, &path) {
            Ok(()) if !path.is_file() => return Vec::new(),
            Ok(()) => self
                .read
                .toml(&path)
                .map(|(file, list)| entries(list).into_iter().map(|e| (file.clone(), e)).collect()),
            Err(d) => Err(d),
        };
        match loaded {
            Ok(list) => list,
            Err(d) => {
                self.diags.push(d);
                self.unloaded.lists.insert(name);
                if let Some((_, Some(pages))) = LISTS.iter().find(|(n, _)| *n == name) {
                    self.unloaded.paths.push((*pages).to_owned());
                }
                Vec::new()
            }
        }
    }
}

/// Reads content files, keeping them for the next rebuild if asked to.
struct Reader<'a> {
    root: &'a Path,
    kept: Option<&'a FilesRead>,
}

impl Reader<'_> {
    fn file(&self, path: &Path) -> Result<SourceFile, Diagnostic> {
        match self.kept {
            Some(kept) => kept.read(self.root, path),
            None => SourceFile::read(self.root, path),
        }
    }

    fn document<T: serde::de::DeserializeOwned>(&self, path: &Path) -> Result<Document<T>, Diagnostic> {
        Document::parse(self.file(path)?)
    }

    /// A TOML file, parsed whole.
    fn toml<T: serde::de::DeserializeOwned>(&self, path: &Path) -> Result<(SourceFile, T), Diagnostic> {
        let file = self.file(path)?;
        let value = parse_toml(&file, 0, file.text.len())?;
        Ok((file, value))
    }
}

fn collect<T>(diags: &mut Diagnostics, result: Result<T, Diagnostic>) -> Option<T> {
    result.map_err(|d| diags.push(d)).ok()
}

/// `path`, if there is a file there. A symbolic link there that leads
/// nowhere, or out of the site, is reported rather than taken for no file.
fn optional_path(root: &Path, path: &Path, diags: &mut Diagnostics) -> Option<PathBuf> {
    if let Err(d) = follow_link(root, path) {
        diags.push(d);
        return None;
    }
    path.is_file().then(|| path.to_path_buf())
}

/// Checks a symbolic link in the content: it must lead to something, and
/// stay inside the site folder (so content can never publish a file from
/// elsewhere on the machine). A path that is not a link is fine as it is.
fn follow_link(root: &Path, path: &Path) -> Result<(), Diagnostic> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(());
    }
    let shown = crate::diagnostics::display_path(root, path);
    let target = std::fs::read_link(path).map(|t| t.display().to_string()).unwrap_or_default();
    match std::fs::canonicalize(path) {
        Ok(real) => {
            let site = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
            if real.starts_with(&site) {
                Ok(())
            } else {
                Err(Diagnostic::file(shown, format!("a symbolic link to {target}, outside the site folder"))
                    .with_help("copy the file into the site, or link to a file inside the site folder"))
            }
        }
        Err(e) if e.raw_os_error() == Some(rustix::io::Errno::LOOP.raw_os_error()) => Err(Diagnostic::file(
            shown,
            format!("a symbolic link in a loop (to {target}), which leads nowhere"),
        )
        .with_help("remove the link, or point it at the file or folder it should stand for")),
        Err(_) => Err(Diagnostic::file(shown, format!("a symbolic link to {target}, which does not exist"))
            .with_help("remove the link, or point it at a file or folder that exists")),
    }
}

/// The `.md` files directly in `dir`, sorted by name (document order). A
/// missing folder is simply empty.
fn markdown_files(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    list_dir(root, dir, diags)
        .into_iter()
        .filter(|(p, kind)| kind.is_file() && p.extension().is_some_and(|e| e == "md"))
        .map(|(p, _)| p)
        .collect()
}

fn subfolders(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<PathBuf> {
    list_dir(root, dir, diags).into_iter().filter(|(_, kind)| kind.is_dir()).map(|(p, _)| p).collect()
}

/// What is directly in `dir`, sorted by name, each with its type: as the
/// folder listing gives it (no look at each file: a site has thousands),
/// or for a symbolic link, the type of what it leads to.
fn list_dir(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<(PathBuf, std::fs::FileType)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut paths = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).max_depth(1).sort_by_file_name() {
        match entry {
            Ok(e) if is_hidden(e.file_name()) => {}
            Ok(e) if !e.path_is_symlink() => {
                let kind = e.file_type();
                paths.push((e.into_path(), kind));
            }
            Ok(e) => match follow_link(root, e.path()).and_then(|()| link_type(root, e.path())) {
                Ok(kind) => paths.push((e.into_path(), kind)),
                Err(d) => diags.push(d),
            },
            Err(err) => diags.push(Diagnostic::file(
                crate::diagnostics::display_path(root, err.path().unwrap_or(dir)),
                format!("cannot read folder: {err}"),
            )),
        }
    }
    paths
}

/// The type of what the symbolic link at `path` leads to.
fn link_type(root: &Path, path: &Path) -> Result<std::fs::FileType, Diagnostic> {
    std::fs::metadata(path).map(|m| m.file_type()).map_err(|e| {
        Diagnostic::file(crate::diagnostics::display_path(root, path), format!("cannot read file: {e}"))
    })
}

/// Editors' backup and swap files (`.x.md.swp`, `x.md~`) are not content.
fn is_hidden(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.') || name.ends_with('~')
}

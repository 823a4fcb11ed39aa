//! The search index, built with Pagefind from the resolved model.
//!
//! In: a [`Site`]. Out: the files of a Pagefind bundle under `pagefind/`:
//! a chunked index the browser downloads piece by piece, and Pagefind's own
//! browser code (its search API and WebAssembly), so the project writes
//! no search engine of its own. Records come straight from the model rather
//! than from re-parsing the HTML: every item, measure, agreement section and
//! page becomes one result with a title that says where it is. A large
//! site's index is several Pagefind indexes (shards) built side by side and
//! searched as one; `shards.rs` says how and why.
//!
//! The search page (`themes/default/static/search.js`) asks Pagefind for
//! each meaningful word of a question, and for the words the glossary and
//! the editors' `synonyms.toml` take as the same ([`query_words`]), and
//! ranks the pages by how many of the question's words they have, then by
//! Pagefind's score weighed by the kind of record ([`Kind::weight`]): the
//! index stays Pagefind's, and what the page adds is written into it as
//! data, never as markup.

use std::collections::BTreeMap;
use std::path::Path;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;
use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::model::{Agreement, Site};
use crate::output::OutputFile;
use crate::progress::ProgressBar;

mod bundle;
mod shards;

pub use bundle::{browser_files, BrowserFiles};
use bundle::{bundle_files, bundle_files_as_they_are};
pub use bundle::{is_content_named, BUNDLE_DIR};
pub use shards::MANIFEST;

/// One search result as Pagefind will show it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SearchRecord {
    pub url: String,
    /// What the result is called: where it is, and for an item or measure
    /// its opening words too ([`crate::model::opening_words`]), as the
    /// site's lists name it.
    pub title: String,
    pub content: String,
    pub filters: BTreeMap<String, Vec<String>>,
}

/// What a record is: the value of its `kind` filter, and how far up the
/// results it ranks. The agreements' commitments come first; lists of
/// names, figures and glossary entries are there to be found by name, and
/// rank below a commitment that has as many of a question's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Item(crate::paths::Kind),
    Measure,
    Section,
    Page,
    Topic,
    Figure,
    Person,
    Organisation,
    GlossaryTerm,
    ScrutinyBody,
}

impl Kind {
    pub const ALL: [Kind; 12] = [
        Kind::Item(crate::paths::Kind::Objective),
        Kind::Item(crate::paths::Kind::Priority),
        Kind::Item(crate::paths::Kind::Principle),
        Kind::Measure,
        Kind::Section,
        Kind::Page,
        Kind::Topic,
        Kind::Figure,
        Kind::Person,
        Kind::Organisation,
        Kind::GlossaryTerm,
        Kind::ScrutinyBody,
    ];

    /// The `kind` filter's value, as the filter buttons show it.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Item(kind) => kind.label(),
            Kind::Measure => "Demonstrable measure",
            Kind::Section => "Section",
            Kind::Page => "Context page",
            Kind::Topic => "Topic",
            Kind::Figure => "Figure",
            Kind::Person => "Person",
            Kind::Organisation => "Organisation",
            Kind::GlossaryTerm => "Glossary term",
            Kind::ScrutinyBody => "Scrutiny body",
        }
    }

    /// What the search page multiplies a result's score by: commitments
    /// whole, and so the topics, which set every agreement's commitments on
    /// a subject side by side; an agreement's other sections nearly so; the
    /// context pages less; and lists of names, figures and abbreviations least.
    pub fn weight(self) -> f64 {
        match self {
            Kind::Item(_) | Kind::Measure | Kind::Topic => 1.0,
            Kind::Section => 0.8,
            Kind::Page => 0.6,
            Kind::Figure | Kind::ScrutinyBody => 0.4,
            Kind::GlossaryTerm | Kind::Person | Kind::Organisation => 0.3,
        }
    }
}

/// The bundle's files and what the index weighs, for the build summary.
pub struct SearchBundle {
    pub files: Vec<OutputFile>,
    pub records: usize,
    /// Bytes of index, fragment, filter and metadata files (not the browser code).
    pub index_bytes: usize,
}

pub fn records(site: &Site) -> Vec<SearchRecord> {
    // Most records are the agreements': made on every core (in order), as
    // `accord serve` makes them all again for each edit.
    let mut out: Vec<SearchRecord> = site
        .agreements
        .par_iter()
        .flat_map_iter(|agreement| {
            let mut records = Vec::new();
            agreement_records(agreement, &mut records);
            records
        })
        .collect();
    for page in &site.pages {
        out.push(record(page.url.as_str(), page.title.clone(), &page.text, None, Kind::Page, &[]));
    }
    for figure in &site.figures {
        let values: Vec<String> =
            figure.values.iter().map(|v| format!("{} {}", v.label, v.display)).collect();
        let text = format!("{} {}", values.join(", "), figure.sentence);
        out.push(record(
            figure.url.as_str(),
            format!("Figure · {}", figure.label),
            &text,
            None,
            Kind::Figure,
            &figure.topics,
        ));
    }
    for topic in &site.topics {
        out.push(record(
            topic.url.as_str(),
            format!("Topic · {}", topic.title),
            &format!("Editors' summary: {}", topic.description.text),
            None,
            Kind::Topic,
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
        out.push(record(person.url.as_str(), title, &printed.join(". "), None, Kind::Person, &[]));
    }
    for org in &site.organisations {
        let mut text: Vec<String> = org.abbreviation.iter().cloned().collect();
        text.extend(org.responsibilities.iter().map(|r| r.text.clone()));
        let title = format!("Organisation · {}", org.name);
        out.push(record(org.url.as_str(), title, &text.join(" "), None, Kind::Organisation, &[]));
    }
    for term in &site.glossary.terms {
        let expansions: Vec<&str> = term.expansions.iter().map(|e| e.expansion.as_str()).collect();
        let text = format!("{}: {}", term.abbreviation, expansions.join("; "));
        out.push(record(
            term.url.as_str(),
            format!("Glossary · {}", term.abbreviation),
            &text,
            None,
            Kind::GlossaryTerm,
            &[],
        ));
    }
    for body in &site.scrutiny_bodies {
        let text: Vec<&str> = body.descriptions.iter().map(|d| d.text.as_str()).collect();
        let title = format!("Scrutiny body · {}", body.name);
        out.push(record(body.url.as_str(), title, &text.join(" "), None, Kind::ScrutinyBody, &[]));
    }
    out
}

fn agreement_records(agreement: &Agreement, out: &mut Vec<SearchRecord>) {
    let short = agreement.short_title.as_str();
    for section in &agreement.sections {
        if section.text.is_empty() {
            continue;
        }
        let url = agreement.url.at(&section.id);
        out.push(record(
            url.as_str(),
            format!("{short} · {}", section.title),
            &section.text,
            Some(short),
            Kind::Section,
            &[],
        ));
    }
    for item in &agreement.items {
        let title = format!("{short} · {}", item.label);
        let mut own =
            record(item.url.as_str(), title, &item.text, Some(short), Kind::Item(item.kind), &item.topics);
        named_by_opening(&mut own, &item.opening);
        out.push(own);
        for measure in &item.measures {
            let url = item.url.at(&measure.anchor);
            let title = format!("{short} · {} · Measure {}", item.label, measure.number);
            let mut own =
                record(url.as_str(), title, &measure.text, Some(short), Kind::Measure, &item.topics);
            named_by_opening(&mut own, &crate::model::opening_words(&measure.text));
            out.push(own);
        }
    }
}

fn record(
    url: &str,
    title: String,
    text: &str,
    agreement: Option<&str>,
    kind: Kind,
    topics: &[crate::model::TopicRef],
) -> SearchRecord {
    let mut filters = BTreeMap::new();
    if let Some(a) = agreement {
        filters.insert("agreement".to_owned(), vec![as_html(a)]);
    }
    filters.insert("kind".to_owned(), vec![as_html(kind.label())]);
    if !topics.is_empty() {
        filters.insert("topic".to_owned(), topics.iter().map(|t| as_html(&t.title)).collect());
    }
    // The title is part of the content so "priority 5" finds Priority 5.
    let content = inert(&as_html(&format!("{title}. {text}")));
    SearchRecord { url: url.to_owned(), content, title, filters }
}

/// Names an item or measure by its opening words after its number. Pagefind
/// ranks a match in a title above one in the text, so a question that a
/// commitment's opening words answer finds it before a page that mentions
/// those words in passing.
fn named_by_opening(record: &mut SearchRecord, opening: &str) {
    record.title = format!("{}: {opening}", record.title);
}

/// Text as HTML. Pagefind's browser code puts a result's excerpt and a
/// filter's name into the page as HTML (the title it sets as text), so
/// content whose words include `<img onerror=…>` must reach it escaped, as
/// the text of an HTML page would: shown as typed, never run. The search
/// page shows neither as HTML, but an index is read by more than one page.
fn as_html(text: &str) -> String {
    crate::markdown::escape_html(text)
}

/// Content with Pagefind's own markers made plain words. Pagefind reads a
/// word of a record's content that starts with `___PAGEFIND_` (or
/// `___END_PAGEFIND_`) as an instruction, to weigh the words after it or
/// mark an anchor, not as text: a zero-width space after its first
/// underscore keeps it a word (Pagefind drops zero-width spaces from what
/// it indexes and shows, so the word still reads as typed).
fn inert(content: &str) -> String {
    content
        .replace("___PAGEFIND_", "_\u{200B}__PAGEFIND_")
        .replace("___END_PAGEFIND_", "_\u{200B}__END_PAGEFIND_")
}

/// What the search page needs besides the index, written into it as JSON:
/// the groups of words search takes as the same, from the glossary (an
/// abbreviation, in every spelling, with each of its expansions) and from
/// the editors' `synonyms.toml`, and the weight of each kind of record.
#[derive(Debug, serde::Serialize)]
pub struct QueryWords {
    pub groups: Vec<WordGroup>,
    /// Each `kind` filter's value and its weight ([`Kind::weight`]), in
    /// the order the filter's buttons come in: commitments first.
    pub kinds: Vec<(&'static str, f64)>,
}

#[derive(Debug, serde::Serialize)]
pub struct WordGroup {
    pub words: Vec<String>,
    /// `glossary` or `editors`: whose the equivalence is, which the page says.
    pub from: &'static str,
}

/// [`QueryWords`] for `site`.
pub fn query_words(site: &Site) -> QueryWords {
    let mut groups = Vec::new();
    for term in &site.glossary.terms {
        let mut expansions: Vec<&str> = Vec::new();
        for e in &term.expansions {
            if !expansions.iter().any(|x| x.eq_ignore_ascii_case(&e.expansion)) {
                expansions.push(&e.expansion);
            }
        }
        // One group for each expansion: HMIP is "HM Inspector of Prisons" or
        // "HM Inspector of Probation", but those two are not the same.
        for expansion in expansions {
            let mut words = vec![term.abbreviation.clone()];
            words.extend(term.spellings.iter().cloned());
            words.push(expansion.to_owned());
            groups.push(WordGroup { words, from: "glossary" });
        }
    }
    for synonyms in &site.synonyms {
        groups.push(WordGroup { words: synonyms.words.clone(), from: "editors" });
    }
    let kinds = Kind::ALL.iter().map(|k| (k.label(), k.weight())).collect();
    QueryWords { groups, kinds }
}

/// Indexes the site and returns the bundle's files, ready to write: the
/// one way of indexing ([`write_records`]) into a folder of its own, read
/// back. Each shard indexed is counted in `done`.
pub fn build_bundle(site: &Site, done: &ProgressBar) -> Result<SearchBundle, Diagnostic> {
    let work = tempfile::Builder::new().prefix("accord-search-").tempdir().map_err(|e| {
        Diagnostic::file(BUNDLE_DIR, format!("cannot create a folder for the search index: {e}"))
            .with_help("check the system's temporary folder exists and has space")
    })?;
    let written = write_bundle(site, work.path(), None, done)?;
    let files = written
        .paths
        .iter()
        .map(|path| match std::fs::read(work.path().join(path)) {
            Ok(bytes) => Ok(OutputFile { path: path.clone(), bytes }),
            Err(e) => Err(Diagnostic::file(path, format!("cannot read the search index back: {e}"))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(SearchBundle { files, records: written.records, index_bytes: written.index_bytes })
}

/// Whether an output file is part of the search index's bundle.
pub fn is_bundle_file(path: &str) -> bool {
    path.strip_prefix(BUNDLE_DIR).is_some_and(|rest| rest.starts_with('/'))
}

/// A bundle Pagefind wrote straight into a folder.
pub struct WrittenBundle {
    /// Every file of the bundle, relative to the folder (`pagefind/...`).
    pub paths: Vec<String>,
    pub records: usize,
    pub index_bytes: usize,
    /// How many shards the index has, and how many of them were indexed
    /// (the others were kept as an earlier build left them).
    pub shards: usize,
    pub shards_indexed: usize,
}

/// Indexes the site into `out/pagefind/`, where an earlier build's bundle
/// may already be. A shard whose records have not changed since that
/// bundle was written is kept as it is (see `shards.rs`); in a shard that
/// has, Pagefind names index files by a hash of their content and leaves a
/// file of that name alone, so only what changed is compressed and written.
///
/// Files the new bundle does not use stay in the folder; [`WrittenBundle::paths`]
/// names exactly the ones it does (read from each shard's own metadata), so
/// the build can delete the rest.
///
/// `live`, if given, is the site the last build put live: a shard it has with
/// the same fingerprint is copied from it rather than indexed again (the
/// folder written into is the build's before last, see `write.rs`).
///
/// Each shard written is counted in `done`.
pub fn write_bundle(
    site: &Site,
    out: &Path,
    live: Option<&Path>,
    done: &ProgressBar,
) -> Result<WrittenBundle, Diagnostic> {
    write_records(records(site), &site.config.language, site.config.records_per_shard, out, live, done)
}

/// [`write_bundle`] for records already made.
pub fn write_records(
    records: Vec<SearchRecord>,
    language: &str,
    per_shard: usize,
    out: &Path,
    live: Option<&Path>,
    done: &ProgressBar,
) -> Result<WrittenBundle, Diagnostic> {
    let count = records.len();
    let dir = out.join(BUNDLE_DIR);
    let before = shards::read_manifest(&dir);
    let live = live.map(|l| l.join(BUNDLE_DIR));
    let live_before = live.as_deref().map(shards::read_manifest).unwrap_or_default();
    // Gone until every shard is written: a build that fails half way
    // leaves no manifest to vouch for shards it may have half written.
    let manifest = dir.join(MANIFEST);
    if let Err(e) = std::fs::remove_file(&manifest) {
        if e.kind() != std::io::ErrorKind::NotFound {
            return Err(Diagnostic::file(
                &manifest,
                format!("cannot replace the search index's manifest: {e}"),
            ));
        }
    }
    let shards = shards::split(records, per_shard, language);
    done.set_length(shards.len() as u64);
    let listed: Vec<(String, usize, String)> =
        shards.iter().map(|s| (s.path.clone(), s.records.len(), s.fingerprint.clone())).collect();
    let written = shards::each_in_parallel(shards, |shard| {
        let kept = before.get(&shard.path) == Some(&shard.fingerprint);
        let from = live.as_deref().filter(|_| live_before.get(&shard.path) == Some(&shard.fingerprint));
        let written = write_shard(shard, language, &dir, kept, from);
        done.inc(1);
        written
    });
    let mut paths = Vec::new();
    let mut shards_indexed = 0;
    let mut index_bytes = 0;
    for (shard, (names, indexed)) in listed.iter().zip(written.into_iter().collect::<Result<Vec<_>, _>>()?) {
        shards_indexed += usize::from(indexed);
        for name in names {
            let path = format!("{}{name}", shard.0);
            if is_content_named(&path) {
                index_bytes += std::fs::metadata(dir.join(&path)).map(|m| m.len() as usize).unwrap_or(0);
            }
            paths.push(format!("{BUNDLE_DIR}/{path}"));
        }
    }
    std::fs::write(&manifest, shards::manifest(&listed))
        .map_err(|e| Diagnostic::file(&manifest, format!("cannot write the search index's manifest: {e}")))?;
    paths.push(format!("{BUNDLE_DIR}/{MANIFEST}"));
    Ok(WrittenBundle { paths, records: count, index_bytes, shards: listed.len(), shards_indexed })
}

/// Writes one shard into its folder under `bundle`: keeps the one there if
/// `kept` (the manifest vouches its records are unchanged) and all of its
/// files are in place, or copies the same shard from the live bundle
/// `from`, or indexes it. Returns the shard's files, relative to its
/// folder, and whether it was indexed.
fn write_shard(
    shard: shards::Shard,
    language: &str,
    bundle: &Path,
    kept: bool,
    from: Option<&Path>,
) -> Result<(Vec<String>, bool), Diagnostic> {
    let dir = bundle.join(&shard.path);
    let primary = shard.is_primary();
    if kept {
        if let Ok(files) = bundle_files(&dir, primary) {
            if files.iter().all(|f| dir.join(f).is_file()) {
                return Ok((files, false));
            }
        }
    }
    if let Some(files) = from.and_then(|live| copy_shard(&live.join(&shard.path), &dir, primary)) {
        return Ok((files, false));
    }
    prepare_folders(&dir)?;
    let target = dir.to_string_lossy().into_owned();
    // Pagefind panics if a write fails (a full disk, say); that is this
    // build's error to report, not a crash.
    let written = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        run(async {
            let mut index = index(shard.records, language).await?;
            index.write_files(Some(target)).await.map_err(|e| search_error(e.to_string()))
        })
    }));
    match written {
        Ok(result) => result?,
        Err(_) => {
            return Err(search_error(format!("writing the search index into {} failed", dir.display())))
        }
    };
    let files = bundle_files(&dir, primary).map_err(|e| {
        search_error(format!("cannot read the bundle Pagefind wrote in {}: {e}", dir.display()))
    })?;
    Ok((files, true))
}

/// Copies a shard's files from the live bundle's folder `from` into `to`
/// (a file named by its content that is already there, at the same size, is
/// the same file). `None` if the live shard is not whole or a copy fails:
/// the shard is then indexed instead.
fn copy_shard(from: &Path, to: &Path, primary: bool) -> Option<Vec<String>> {
    let files = bundle_files_as_they_are(from, primary).ok()?;
    for name in &files {
        let (source, target) = (from.join(name), to.join(name));
        let size = std::fs::metadata(&source).ok()?.len();
        let same = is_content_named(name)
            && std::fs::metadata(&target).is_ok_and(|m| m.is_file() && m.len() == size);
        if !same {
            std::fs::create_dir_all(target.parent()?).ok()?;
            if std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir()) {
                std::fs::remove_dir_all(&target).ok()?;
            }
            std::fs::copy(&source, &target).ok()?;
        }
    }
    Some(files)
}

/// Makes the bundle's folders (clearing a file in the way) and proves each
/// can be written to: Pagefind retries a file it cannot create forever, so
/// a folder it cannot write would hang the build rather than fail it.
fn prepare_folders(dir: &Path) -> Result<(), Diagnostic> {
    for sub in ["", "fragment", "index", "filter"] {
        let folder = dir.join(sub);
        if folder.is_file() {
            let _ = std::fs::remove_file(&folder);
        }
        std::fs::create_dir_all(&folder).map_err(|e| {
            Diagnostic::file(&folder, format!("cannot create the search index's folder: {e}"))
        })?;
        let probe = folder.join(".accord-probe");
        let ready = std::fs::write(&probe, b"").and_then(|_| std::fs::remove_file(&probe));
        if let Err(e) = ready {
            return Err(Diagnostic::file(&folder, format!("cannot write the search index here: {e}"))
                .with_help(
                    "check the output folder's permissions, and that nothing but accord writes in it",
                ));
        }
    }
    Ok(())
}

fn run<T>(work: impl std::future::Future<Output = Result<T, Diagnostic>>) -> Result<T, Diagnostic> {
    tokio::runtime::Builder::new_current_thread()
        // Pagefind writes each file from a blocking task: with tokio's
        // default of 512 threads, thousands of files at once contend for
        // the file system and for the cores the pages render on.
        .max_blocking_threads(2)
        .build()
        .map_err(|e| search_error(e.to_string()))?
        .block_on(work)
}

/// The most fragment files (each result's text, for its excerpt) one shard
/// writes: a shard with more records groups them into this many shared
/// files, of at most `records_per_shard / MAX_FRAGMENTS` results each (7 at
/// the default). A site whose shards hold fewer records keeps a file a
/// result, as Pagefind writes by default.
pub const MAX_FRAGMENTS: u32 = 300;

async fn index(records: Vec<SearchRecord>, language: &str) -> Result<PagefindIndex, Diagnostic> {
    let language = language.split('-').next().unwrap_or("en").to_lowercase();
    let config = PagefindServiceConfig::builder()
        .force_language(language.clone())
        .max_fragments(MAX_FRAGMENTS)
        .build();
    let mut index = PagefindIndex::new(Some(config)).map_err(|e| search_error(e.to_string()))?;
    for r in records {
        let meta = BTreeMap::from([("title".to_owned(), r.title)]);
        index
            .add_custom_record(r.url, r.content, language.clone(), Some(meta), Some(r.filters), None)
            .await
            .map_err(|e| search_error(e.to_string()))?;
    }
    Ok(index)
}

fn search_error(message: String) -> Diagnostic {
    Diagnostic::file(BUNDLE_DIR, format!("could not build the search index: {message}"))
        .with_help("this is a bug in accord or Pagefind; please report it with the content that triggers it")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagefind_s_markers_in_content_stay_words() {
        let r = record(
            "/p/",
            "Made-up page".to_owned(),
            "a ___PAGEFIND_WEIGHT___0 b ___END_PAGEFIND_WEIGHT___ c",
            None,
            Kind::Page,
            &[],
        );
        let words: Vec<&str> = r.content.split_whitespace().collect();
        assert!(
            words.iter().all(|w| !w.starts_with("___PAGEFIND_") && !w.starts_with("___END_PAGEFIND_")),
            "{words:?}"
        );
        assert_eq!(
            r.content.replace('\u{200B}', ""),
            "Made-up page. a ___PAGEFIND_WEIGHT___0 b ___END_PAGEFIND_WEIGHT___ c"
        );
    }

    #[test]
    fn commitments_outrank_lists_of_names_figures_and_abbreviations() {
        let commitment = Kind::Item(crate::paths::Kind::Priority).weight();
        for kind in Kind::ALL {
            assert!(kind.weight() > 0.0 && kind.weight() <= commitment, "{kind:?}");
        }
        for list in [Kind::Person, Kind::Organisation, Kind::ScrutinyBody, Kind::Figure, Kind::GlossaryTerm] {
            assert!(list.weight() < Kind::Section.weight(), "{list:?}");
        }
        let labels: std::collections::BTreeSet<&str> = Kind::ALL.iter().map(|k| k.label()).collect();
        assert_eq!(labels.len(), Kind::ALL.len(), "each kind its own filter value");
    }
}

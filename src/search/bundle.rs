//! What accord knows of the layout of a bundle Pagefind writes: which
//! files are named by a hash of their content (and so never need writing
//! twice), which of Pagefind's browser files the site uses, and which index
//! files a bundle's metadata names.
//!
//! The last is read from Pagefind's own, undocumented metadata format
//! (gzip around `pagefind_dcd` and CBOR), so `Cargo.toml` pins Pagefind to
//! the exact version this decodes, and a test fails loudly if a bundle's
//! metadata stops naming exactly the files the bundle has.

use std::path::Path;

/// Where the bundle lives in the output folder.
pub const BUNDLE_DIR: &str = "pagefind";

/// What the search page loads of the bundle, as site paths, so the theme
/// never spells Pagefind's file names: the bundle's folder, Pagefind's API
/// module, and the list of shards.
#[derive(Debug, serde::Serialize)]
pub struct BrowserFiles {
    pub bundle: crate::paths::Link,
    pub api: crate::paths::Link,
    pub shards: crate::paths::Link,
}

/// [`BrowserFiles`], as links under `base_path`.
pub fn browser_files(base_path: &str) -> BrowserFiles {
    let at = |name: &str| crate::paths::link(base_path, &format!("/{BUNDLE_DIR}/{name}"));
    BrowserFiles { bundle: at(""), api: at("pagefind.js"), shards: at(super::MANIFEST) }
}

/// Whether a bundle file is one of the index's own (metadata, word index,
/// fragment or filter). These are named by a hash of their content, so a
/// file of that name, once written, never needs writing again.
pub fn is_content_named(path: &str) -> bool {
    [".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter"].iter().any(|x| path.ends_with(x))
}

/// Whether a file Pagefind writes belongs in a shard other than the first:
/// its entry point and its index, not the browser code the first shard has.
pub(super) fn is_shard_file(name: &Path) -> bool {
    let name = name.to_string_lossy();
    name == "pagefind-entry.json" || is_content_named(&name)
}

/// The files of the bundle (or shard, if not `primary`) in `dir`, relative
/// to it: Pagefind's browser code (the parts [`keep`] keeps, or none in a
/// shard; the others are deleted) and the index files the current metadata
/// names. Anything else is from an older build.
pub(super) fn bundle_files(dir: &Path, primary: bool) -> Result<Vec<String>, String> {
    files_of(dir, primary, true)
}

/// [`bundle_files`] without deleting anything: for reading a live site.
pub(super) fn bundle_files_as_they_are(dir: &Path, primary: bool) -> Result<Vec<String>, String> {
    files_of(dir, primary, false)
}

fn files_of(dir: &Path, primary: bool, tidy: bool) -> Result<Vec<String>, String> {
    let entry: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("pagefind-entry.json")).map_err(|e| e.to_string())?)
            .map_err(|e| e.to_string())?;
    let languages = entry["languages"].as_object().ok_or("pagefind-entry.json names no languages")?;
    let mut files = Vec::new();
    let mut wasm = vec!["wasm.unknown.pagefind".to_owned()];
    for language in languages.values() {
        let hash = language["hash"].as_str().ok_or("a language has no index hash")?;
        let meta = format!("pagefind.{hash}.pf_meta");
        files.extend(hashed_files(&std::fs::read(dir.join(&meta)).map_err(|e| e.to_string())?)?);
        files.push(meta);
        if let Some(w) = language["wasm"].as_str() {
            wasm.push(format!("wasm.{w}.pagefind"));
        }
    }
    for item in std::fs::read_dir(dir).map_err(|e| e.to_string())? {
        let item = item.map_err(|e| e.to_string())?;
        let name = item.file_name().to_string_lossy().into_owned();
        if !item.file_type().map_err(|e| e.to_string())?.is_file()
            || name.ends_with(".pf_meta")
            || name == super::MANIFEST
        {
            continue;
        }
        let wanted = if primary { keep(Path::new(&name)) } else { is_shard_file(Path::new(&name)) };
        if !wanted {
            if tidy {
                std::fs::remove_file(item.path()).map_err(|e| e.to_string())?;
            }
        } else if !name.starts_with("wasm.") || wasm.contains(&name) {
            files.push(name);
        }
    }
    files.sort();
    Ok(files)
}

/// The fragment, word-index and filter files named by a `.pf_meta` file:
/// gzip around `pagefind_dcd` and CBOR of Pagefind 1.6's `MetaIndex`
/// (version, pages, index chunks, filters, …, each an array).
fn hashed_files(meta: &[u8]) -> Result<Vec<String>, String> {
    use std::io::Read;
    let mut cbor = Vec::new();
    flate2::read::GzDecoder::new(meta).read_to_end(&mut cbor).map_err(|e| e.to_string())?;
    let cbor = cbor.strip_prefix(b"pagefind_dcd".as_slice()).ok_or("the metadata has no Pagefind header")?;
    let meta: ciborium::Value =
        ciborium::from_reader(cbor).map_err(|e| format!("unexpected metadata: {e}"))?;
    let unexpected = || "unexpected metadata: not Pagefind 1.6's MetaIndex".to_owned();
    // The MetaIndex's fields in order: version, pages, index chunks, filters, …
    let list = |n: usize| meta.as_array().and_then(|fields| fields.get(n)?.as_array()).ok_or_else(unexpected);
    let text = |entry: &ciborium::Value, n: usize| {
        entry.as_array().and_then(|fields| fields.get(n)?.as_text()).map(str::to_owned).ok_or_else(unexpected)
    };
    let mut files = std::collections::BTreeSet::new();
    // A page: its hash, word count and group. Small pages share a fragment file named by their group.
    for page in list(1)? {
        let group = text(page, 2)?;
        files.insert(format!(
            "fragment/{}.pf_fragment",
            if group.is_empty() { text(page, 0)? } else { group }
        ));
    }
    // An index chunk: its first word, last word and hash.
    for chunk in list(2)? {
        files.insert(format!("index/{}.pf_index", text(chunk, 2)?));
    }
    // A filter: its name and hash.
    for filter in list(3)? {
        files.insert(format!("filter/{}.pf_filter", text(filter, 1)?));
    }
    Ok(files.into_iter().collect())
}

/// The search page uses Pagefind's API and draws its own results
/// (`search.js`); Pagefind's ready-made UIs would only add weight to the deploy.
pub(super) fn keep(name: &Path) -> bool {
    let name = name.to_string_lossy();
    !(name.starts_with("pagefind-ui.")
        || name.starts_with("pagefind-modular-ui.")
        || name.starts_with("pagefind-component-ui.")
        || name.starts_with("pagefind-highlight")
        || name.starts_with("playground"))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    /// The index files of a bundle of `count` made-up records, as its
    /// metadata names them and as they are on disk.
    fn named_and_written(count: usize) -> (BTreeSet<String>, BTreeSet<String>) {
        let records = (1..=count)
            .map(|n| super::super::SearchRecord {
                url: format!("/made-up/{n}/"),
                title: format!("Made-up record {n}"),
                content: format!(
                    "Made-up words for a test, record {n}: health justice partnership {}",
                    "word ".repeat(n % 50)
                ),
                filters: [("kind".to_owned(), vec![format!("kind {}", n % 3)])].into(),
            })
            .collect();
        let out = tempfile::tempdir().unwrap();
        let hidden = crate::progress::ProgressBar::hidden();
        super::super::write_records(records, "en", count, out.path(), None, &hidden).unwrap();
        let dir = out.path().join(BUNDLE_DIR);
        let on_disk: Vec<String> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/"))
            .collect();
        let meta = on_disk.iter().find(|p| p.ends_with(".pf_meta")).expect("a metadata file");
        let named: BTreeSet<String> = hashed_files(&std::fs::read(dir.join(meta)).unwrap())
            .expect("Pagefind's metadata decodes")
            .into_iter()
            .collect();
        let written: BTreeSet<String> =
            on_disk.iter().filter(|p| is_content_named(p) && !p.ends_with(".pf_meta")).cloned().collect();
        (named, written)
    }

    /// The format is Pagefind's own and undocumented: if a new version
    /// changes it, this fails rather than the build publishing a bundle
    /// with files missing (or keeping stale ones).
    #[test]
    fn the_metadata_names_exactly_the_index_files_of_a_bundle() {
        let (named, written) = named_and_written(40);
        assert!(!written.is_empty());
        assert_eq!(named, written, "Pagefind's metadata format has changed: update bundle.rs for it");
    }

    /// A shard with more records than `MAX_FRAGMENTS` writes their text
    /// into that many shared files, not a file each, and the metadata still
    /// names every file the bundle has.
    #[test]
    fn a_large_shard_shares_its_fragment_files() {
        let count = super::super::MAX_FRAGMENTS as usize * 2 + 1;
        let (named, written) = named_and_written(count);
        assert_eq!(named, written, "Pagefind's metadata format has changed: update bundle.rs for it");
        let fragments = written.iter().filter(|p| p.starts_with("fragment/")).count();
        assert!(
            fragments > 0 && fragments <= super::super::MAX_FRAGMENTS as usize,
            "{fragments} fragment files"
        );
    }
}

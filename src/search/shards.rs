//! The search index as shards: how records are split, what a bundle says
//! about its shards, and running one Pagefind index per shard on every core.
//!
//! Pagefind builds an index on one thread and holds all of it in memory
//! until it is written: on a large site, most of a build's time on one core,
//! and gigabytes of memory. Split into shards
//! of at most `records_per_shard` records, each its own `PagefindIndex`
//! written and dropped as soon as it is built, the index is built on every
//! core, and memory holds only the shards being built at once (one per
//! core), however large the site. The browser searches them as one with
//! Pagefind's documented `mergeIndex` (see `themes/default/static/search.js`):
//! one search box, one result list ranked by score, filter counts added up.
//!
//! A record goes to a shard by a hash of its page's URL (without the
//! `#fragment`), so a page and its measures share a shard, and an edit to
//! one page changes one shard's records and leaves the others as they
//! were. Each shard's records have a fingerprint, kept in the bundle's
//! manifest (`pagefind/accord-shards.json`): a build that finds a shard with
//! the same fingerprint already in the folder it writes into keeps it as it
//! is, and one that finds it in the site live now (the last build's) copies
//! it from there, so an edit re-indexes one shard, not the site.
//!
//! Shard 0 is Pagefind's bundle at `pagefind/`, with Pagefind's browser
//! code; shard `n` is at `pagefind/shard-n/` and holds only its index
//! (Pagefind loads the code and the WebAssembly once, for all of them). A
//! site with no more records than one shard holds, like the bundled
//! content, has one shard and the bundle it always had.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::SearchRecord;

/// The bundle's list of its shards, read by the search page and by the next build.
pub const MANIFEST: &str = "accord-shards.json";

/// One shard's records, and where in the bundle they go.
pub(super) struct Shard {
    /// Folder under the bundle's: `""` for the first shard, `shard-n/` for the others.
    pub path: String,
    pub records: Vec<SearchRecord>,
    /// A hash of everything the shard's index is made from.
    pub fingerprint: String,
}

impl Shard {
    /// Whether this is the shard whose folder holds Pagefind's browser code.
    pub fn is_primary(&self) -> bool {
        self.path.is_empty()
    }
}

/// Splits `records` into as few shards as hold at most `per_shard` each,
/// keeping their order within each shard (so the index is the same bytes
/// for the same content).
pub(super) fn split(records: Vec<SearchRecord>, per_shard: usize, language: &str) -> Vec<Shard> {
    let count = records.len().div_ceil(per_shard.max(1)).max(1);
    let mut split: Vec<Vec<SearchRecord>> = (0..count).map(|_| Vec::new()).collect();
    for record in records {
        let page = record.url.split('#').next().unwrap_or_default();
        let n = (twox_hash::XxHash3_128::oneshot(page.as_bytes()) % count as u128) as usize;
        split[n].push(record);
    }
    split
        .into_iter()
        .enumerate()
        .map(|(n, records)| Shard {
            path: if n == 0 { String::new() } else { format!("shard-{n}/") },
            fingerprint: fingerprint(&records, language),
            records,
        })
        .collect()
}

/// What a shard's index depends on: its records, the language they are
/// stemmed in, how many fragment files it may have, and the version of
/// accord (and so of Pagefind) indexing them.
fn fingerprint(records: &[SearchRecord], language: &str) -> String {
    let mut hash = twox_hash::XxHash3_128::new();
    let mut part = |bytes: &[u8], end: u8| {
        hash.write(bytes);
        hash.write(&[end]);
    };
    part(env!("CARGO_PKG_VERSION").as_bytes(), 0);
    part(language.as_bytes(), 0);
    part(&super::MAX_FRAGMENTS.to_le_bytes(), 0);
    for record in records {
        for field in [&record.url, &record.title, &record.content] {
            part(field.as_bytes(), 0);
        }
        for (name, values) in &record.filters {
            part(name.as_bytes(), 1);
            for value in values {
                part(value.as_bytes(), 1);
            }
            part(&[], 0);
        }
        part(&[], 2);
    }
    format!("{:032x}", hash.finish_128())
}

#[derive(Serialize, Deserialize)]
struct Manifest {
    shards: Vec<ManifestShard>,
}

#[derive(Serialize, Deserialize)]
struct ManifestShard {
    /// Relative to the bundle's folder, `""` for the bundle itself.
    path: String,
    records: usize,
    fingerprint: String,
}

/// The manifest's bytes for `shards` (path, record count, fingerprint).
pub(super) fn manifest(shards: &[(String, usize, String)]) -> Vec<u8> {
    let shards = shards
        .iter()
        .map(|(path, records, fingerprint)| ManifestShard {
            path: path.clone(),
            records: *records,
            fingerprint: fingerprint.clone(),
        })
        .collect();
    let mut bytes = serde_json::to_vec(&Manifest { shards }).expect("a manifest is plain data");
    bytes.push(b'\n');
    bytes
}

/// Each shard's fingerprint, by path, as the manifest in `bundle` (an
/// earlier build's) records it; empty if there is none or it is unreadable.
pub(super) fn read_manifest(bundle: &Path) -> HashMap<String, String> {
    let Ok(bytes) = std::fs::read(bundle.join(MANIFEST)) else { return HashMap::new() };
    match serde_json::from_slice::<Manifest>(&bytes) {
        Ok(m) => m.shards.into_iter().map(|s| (s.path, s.fingerprint)).collect(),
        Err(_) => HashMap::new(),
    }
}

/// Runs `work` on each of `items`, on as many threads as there are cores
/// (or items, if fewer), and returns the results in the items' order.
///
/// Plain threads rather than rayon's: Pagefind drives its work from a tokio
/// runtime and uses rayon inside it, and a rayon worker waiting on that
/// work could pick up another shard and start a second runtime inside the
/// first. Called from a plain thread, Pagefind's rayon work goes to rayon's
/// global pool, which never runs a shard.
pub(super) fn each_in_parallel<T: Send, R: Send>(items: Vec<T>, work: impl Fn(T) -> R + Sync) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = cores.min(items.len()).max(1);
    let count = items.len();
    let queue = Mutex::new(items.into_iter().enumerate().collect::<std::collections::VecDeque<_>>());
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..count).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| loop {
                let next = queue.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
                let Some((n, item)) = next else { break };
                let result = work(item);
                results.lock().unwrap_or_else(|e| e.into_inner())[n] = Some(result);
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.expect("every item was run"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(url: &str, words: &str) -> SearchRecord {
        SearchRecord {
            url: url.to_owned(),
            title: url.to_owned(),
            content: words.to_owned(),
            filters: [("kind".to_owned(), vec!["Priority".to_owned()])].into(),
        }
    }

    fn made_up(n: usize) -> Vec<SearchRecord> {
        (0..n).map(|i| record(&format!("/made-up/{i}/"), &format!("made-up words {i}"))).collect()
    }

    #[test]
    fn shards_hold_at_most_their_share_and_a_page_stays_with_its_measures() {
        let mut records = made_up(100);
        records.push(record("/made-up/7/#measure-1", "a measure of page seven"));
        let shards = split(records, 30, "en");
        assert_eq!(shards.len(), 4);
        assert_eq!(shards.iter().map(|s| s.records.len()).sum::<usize>(), 101);
        assert!(shards.iter().all(|s| !s.records.is_empty()), "the hash spreads 101 records over 4 shards");
        let home = |url: &str| shards.iter().position(|s| s.records.iter().any(|r| r.url == url));
        assert_eq!(home("/made-up/7/"), home("/made-up/7/#measure-1"));
        assert_eq!(shards[0].path, "");
        assert_eq!(shards[3].path, "shard-3/");
    }

    #[test]
    fn an_edit_changes_one_shard_s_fingerprint() {
        let before = split(made_up(100), 30, "en");
        let mut edited = made_up(100);
        edited[42].content.push_str(" and one more word");
        let after = split(edited, 30, "en");
        let changed: Vec<&str> = before
            .iter()
            .zip(&after)
            .filter(|(b, a)| b.fingerprint != a.fingerprint)
            .map(|(_, a)| a.path.as_str())
            .collect();
        assert_eq!(changed.len(), 1, "{changed:?}");
        let other_language = split(made_up(100), 30, "cy");
        assert!(before.iter().zip(&other_language).all(|(b, o)| b.fingerprint != o.fingerprint));
    }

    #[test]
    fn the_manifest_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let shards = vec![(String::new(), 3, "aa".to_owned()), ("shard-1/".to_owned(), 2, "bb".to_owned())];
        std::fs::write(dir.path().join(MANIFEST), manifest(&shards)).unwrap();
        let read = read_manifest(dir.path());
        assert_eq!(read.get(""), Some(&"aa".to_owned()));
        assert_eq!(read.get("shard-1/"), Some(&"bb".to_owned()));
        std::fs::write(dir.path().join(MANIFEST), b"{ half a manifest").unwrap();
        assert!(read_manifest(dir.path()).is_empty());
    }

    #[test]
    fn work_runs_on_every_item_and_keeps_their_order() {
        let out = each_in_parallel((0..50).collect(), |n: u32| n * 2);
        assert_eq!(out, (0..50).map(|n| n * 2).collect::<Vec<_>>());
    }
}

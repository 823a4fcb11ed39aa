//! The record of what a written folder holds: each file's size and a hash
//! of its bytes. A staging folder is trusted only as far as its record
//! vouches for each file, and the record is written last and removed first,
//! so a build killed part way leaves a folder that vouches for nothing.
//!
//! The record is kept beside the folder, not in it, so that no host
//! publishes it: it is named by the folder's device and inode numbers
//! (`.accord-record-{dev}-{ino}`), which travel with the folder when the
//! staging folder and the live site trade places, so the record follows
//! the folder it describes through the atomic exchange.

use std::collections::HashMap;
use std::path::Path;

use super::{io_error, sync_entries};
use crate::diagnostics::Diagnostic;

/// How the name of a folder's record begins, beside the folder.
const RECORD: &str = ".accord-record";
const RECORD_HEADER: &str = "accord-record 1";

/// Where the record of the folder `dir` is kept: beside it, named by the
/// folder's identity on disk; `None` if the folder cannot be read.
pub fn record_path(dir: &Path) -> Option<std::path::PathBuf> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(dir).ok()?;
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    Some(parent.join(format!("{RECORD}-{:x}-{:x}", meta.dev(), meta.ino())))
}

/// One file as the record knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct RecordedFile {
    pub(super) size: u64,
    pub(super) hash: u128,
}

impl RecordedFile {
    pub(super) fn of(bytes: &[u8]) -> RecordedFile {
        RecordedFile { size: bytes.len() as u64, hash: content_hash(bytes) }
    }
}

/// The hash an output file's bytes are known by, here and in `accord serve`'s rebuilds.
pub fn content_hash(bytes: &[u8]) -> u128 {
    twox_hash::XxHash3_128::oneshot(bytes)
}

/// The record in `dir`, if it has a whole one.
pub(super) fn read_record(dir: &Path) -> Option<HashMap<String, RecordedFile>> {
    let text = std::fs::read_to_string(record_path(dir)?).ok()?;
    let mut lines = text.lines();
    if lines.next()? != RECORD_HEADER {
        return None;
    }
    let mut out = HashMap::new();
    let mut ended = false;
    for line in lines {
        if line == "end" {
            ended = true;
            break;
        }
        let mut fields = line.splitn(3, '\t');
        let hash = u128::from_str_radix(fields.next()?, 16).ok()?;
        let size = fields.next()?.parse().ok()?;
        out.insert(fields.next()?.to_owned(), RecordedFile { size, hash });
    }
    // A record cut short vouches for nothing.
    ended.then_some(out)
}

/// Writes the record whole (to a temporary name, synced, then renamed).
pub(super) fn write_record(dir: &Path, record: &[(String, RecordedFile)]) -> Result<(), Diagnostic> {
    use std::io::Write;
    let mut text = String::with_capacity(record.len() * 64);
    text.push_str(RECORD_HEADER);
    text.push('\n');
    let mut sorted: Vec<&(String, RecordedFile)> = record.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, entry) in sorted {
        text.push_str(&format!("{:032x}\t{}\t{path}\n", entry.hash, entry.size));
    }
    text.push_str("end\n");
    let path = record_path(dir).ok_or_else(|| {
        io_error(dir, "cannot read the staging folder", std::io::ErrorKind::NotFound.into())
    })?;
    let temporary = path.with_extension("tmp");
    let written = std::fs::File::create(&temporary).and_then(|mut f| {
        f.write_all(text.as_bytes())?;
        f.sync_all()
    });
    written.map_err(|e| io_error(&temporary, "cannot write the record of the new site", e))?;
    std::fs::rename(&temporary, &path)
        .map_err(|e| io_error(&temporary, "cannot write the record of the new site", e))?;
    sync_entries(path.parent().unwrap_or(dir))
}

/// Removes the record before the folder is written again, for good (synced):
/// from now on, a build killed half way leaves a folder that vouches for nothing.
pub(super) fn forget_record(dir: &Path) -> Result<(), Diagnostic> {
    let Some(path) = record_path(dir) else { return Ok(()) };
    // Builds before records moved out kept theirs inside the folder.
    let inside = [dir.join(RECORD), dir.join(format!("{RECORD}.tmp"))];
    for file in [path.with_extension("tmp"), path.clone()].iter().chain(&inside) {
        match std::fs::remove_file(file) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(io_error(file, "cannot clear the staging folder", e))
            }
            _ => {}
        }
    }
    sync_entries(path.parent().unwrap_or(dir))
}

/// Removes the records in `parent` of folders no longer there (deleted by
/// hand, or by a clean-up of what older builds left), so that records do
/// not pile up beside the output; a folder that is there keeps its record.
pub(super) fn forget_orphans(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    let (mut folders, mut records) = (std::collections::HashSet::new(), Vec::new());
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with(&format!("{RECORD}-")) {
            records.push(path);
        } else if path.is_dir() {
            folders.extend(record_path(&path));
        }
    }
    for record in records {
        let own = record.with_extension("");
        if !folders.contains(&record) && !folders.contains(&own) {
            let _ = std::fs::remove_file(&record);
        }
    }
}

/// A stage that keeps files by name (see [`super::HashNamed`]) would keep
/// a file cut short by a build that was killed too: every file in `folder`
/// the record does not vouch for, by name and size, is removed first.
pub(super) fn clear_unvouched(
    dir: &Path,
    folder: &str,
    vouched: &HashMap<String, RecordedFile>,
) -> Result<(), Diagnostic> {
    let bundle = dir.join(folder);
    if !bundle.is_dir() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(&bundle).into_iter().filter_map(Result::ok) {
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path()).to_string_lossy().replace('\\', "/");
        let size = entry.metadata().map(|m| m.len()).ok();
        if vouched.get(&rel).map(|e| e.size) != size || !entry.file_type().is_file() {
            std::fs::remove_file(entry.path())
                .map_err(|e| io_error(entry.path(), "cannot clear the staging folder", e))?;
        }
    }
    Ok(())
}

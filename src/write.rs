//! Putting the built files on disk so that the output path always holds a
//! complete site: the old one or the new one, whatever moment a build is
//! killed at.
//!
//! Files are written into a staging folder beside the output folder. When
//! every file is written, the site is made durable (one `syncfs`), a record
//! of what the folder holds is written beside the files, and the staging
//! folder and the output folder trade places in one atomic step
//! (`renameat2` with `RENAME_EXCHANGE` on Linux, `renameatx_np` on macOS).
//! There is no moment at which the output path is missing or half written.
//!
//! The site that was replaced is not deleted: it stays, hidden, as the next
//! build's staging folder. Creating folders is by far the slowest part of
//! writing a site (on the machines measured, a new folder costs twenty times
//! a file written into an existing one), so a staging folder that already
//! has nearly every folder makes the write several times faster. What is
//! in it is trusted only as far as its record vouches for each file (size
//! and a hash of its bytes), and the record is removed before the folder is
//! written again: a build killed while writing leaves a folder with no
//! record, nothing in it is trusted, and the next build writes every file.
//!
//! Where the exchange is not supported (another system, or a file system
//! that refuses it), the swap falls back to two renames; a build killed
//! between them leaves the old site under a hidden name, and the next build
//! puts it back before anything else.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::render::OutputFile;

/// The record of what a written folder holds, kept inside it.
pub const RECORD: &str = ".accord-record";
const RECORD_HEADER: &str = "accord-record 1";

/// One file as the record knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    size: u64,
    hash: u128,
}

impl Entry {
    fn of(bytes: &[u8]) -> Entry {
        Entry { size: bytes.len() as u64, hash: content_hash(bytes) }
    }
}

/// The hash an output file's bytes are known by, here and in `accord serve`'s rebuilds.
pub fn content_hash(bytes: &[u8]) -> u128 {
    twox_hash::XxHash3_128::oneshot(bytes)
}

/// Writes `files` as the whole site at `output`. Returns what was cleaned up
/// from an earlier build that did not finish.
pub fn write_site(root: &Path, output: &Path, files: &[OutputFile]) -> Result<Vec<String>, Diagnostic> {
    let staging = Staging::open(root, output)?;
    files.par_iter().try_for_each(|file| staging.write(file))?;
    let notices = staging.notices.clone();
    staging.finish(files.iter().map(|f| f.path.as_str()))?;
    Ok(notices)
}

/// The folder a build writes into before it goes live. Files can be written
/// into it from many threads as soon as each is ready, so a big site never
/// needs all its pages in memory.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    /// Held while the build writes, so two builds never share the staging folder.
    lock: (PathBuf, std::fs::File),
    /// Made by this build (not kept from the last): removed if the build fails.
    fresh: bool,
    finished: bool,
    /// What the folder's record vouched for when the build began.
    vouched: HashMap<String, Entry>,
    /// What this build has put in the folder (written, or found as it should be).
    written: Mutex<HashMap<String, Entry>>,
    /// What was found and cleaned up from a build that did not finish, to say so.
    pub notices: Vec<String>,
}

impl Drop for Staging {
    fn drop(&mut self) {
        // A kept folder stays, with no record, for the next build to rewrite.
        if self.fresh && !self.finished {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
        // Removed while still held, so the next build finds nothing beside the output.
        let _ = std::fs::remove_file(&self.lock.0);
    }
}

impl Staging {
    /// Checks `output` is safe to replace, repairs what an interrupted build
    /// left, and opens the staging folder beside it (the previous build's
    /// output, kept for reuse, if there is one).
    pub fn open(root: &Path, output: &Path) -> Result<Staging, Diagnostic> {
        guard_output(root, output)?;
        let parent = parent_of(output);
        std::fs::create_dir_all(&parent).map_err(|e| io_error(&parent, "cannot create folder", e))?;
        let lock_path = sibling(output, "lock");
        let lock = std::fs::File::create(&lock_path)
            .map_err(|e| io_error(&lock_path, "cannot create the build's lock file", e))?;
        if let Err(e) = lock.try_lock() {
            return Err(Diagnostic::file(
                output,
                format!("another build is writing this output folder ({e})"),
            )
            .with_help("wait for it to finish, or build into another --output"));
        }
        let mut notices = repair(output)?;
        let dir = previous_folder(output);
        let fresh = !dir.is_dir();
        let vouched = if !fresh {
            let vouched = read_record(&dir);
            if vouched.is_none() {
                notices.push(format!(
                    "{} was left by a build that did not finish: nothing in it is reused",
                    dir.display()
                ));
            }
            forget_record(&dir)?;
            let vouched = vouched.unwrap_or_default();
            clear_unvouched_search_files(&dir, &vouched)?;
            vouched
        } else {
            let _ = std::fs::remove_file(&dir);
            std::fs::create_dir(&dir).map_err(|e| io_error(&dir, "cannot create a staging folder", e))?;
            HashMap::new()
        };
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            lock: (lock_path, lock),
            fresh,
            finished: false,
            vouched,
            written: Mutex::new(HashMap::new()),
            notices,
        })
    }

    /// The site live now (the last build's), which this build will replace.
    pub fn output(&self) -> &Path {
        &self.output
    }

    /// The folder itself, for writers that put files there on their own (Pagefind).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn write(&self, file: &OutputFile) -> Result<(), Diagnostic> {
        let path = self.dir.join(&file.path);
        let entry = Entry::of(&file.bytes);
        let found = std::fs::symlink_metadata(&path).ok();
        // Most of a site is the same from one build to the next: a file the
        // record vouches for, with the same bytes, is left as it is (which
        // also keeps its modification time, for tools that sync a deploy).
        let unchanged = found.as_ref().is_some_and(|meta| {
            meta.is_file() && meta.len() == entry.size && self.vouched.get(&file.path) == Some(&entry)
        });
        if !unchanged {
            make_room(&path, found.as_ref())?;
            write_out(&path, &file.bytes).map_err(|e| io_error(&path, "cannot write file", e))?;
        }
        self.written.lock().unwrap_or_else(|e| e.into_inner()).insert(file.path.clone(), entry);
        Ok(())
    }

    /// Writes a file as it is made, through a buffer, never whole in memory.
    pub fn write_streamed(&self, file: crate::render::StreamedFile) -> Result<(), Diagnostic> {
        use std::io::Write;
        let path = self.dir.join(&file.path);
        make_room(&path, std::fs::symlink_metadata(&path).ok().as_ref())?;
        let created = std::fs::File::create(&path).map_err(|e| io_error(&path, "cannot write file", e))?;
        // Buffered before the hash, so the hash and the disk see large writes,
        // not the few bytes at a time a serialiser makes.
        let mut out = std::io::BufWriter::with_capacity(
            1 << 20,
            Hashing { inner: created, hash: twox_hash::XxHash3_128::new(), size: 0 },
        );
        (file.write)(&mut out)
            .and_then(|()| out.flush())
            .map_err(|e| io_error(&path, "cannot write file", e))?;
        let out = out.into_parts().0;
        let entry = Entry { size: out.size, hash: out.hash.finish_128() };
        self.written.lock().unwrap_or_else(|e| e.into_inner()).insert(file.path, entry);
        Ok(())
    }

    /// Deletes whatever the folder holds besides `written` (left from an
    /// older build), makes the new site durable, records what it holds, and
    /// puts it live in place of the output in one step.
    pub fn finish<'a>(mut self, written: impl IntoIterator<Item = &'a str>) -> Result<(), Diagnostic> {
        let written: Vec<&str> = written.into_iter().collect();
        prune(&self.dir, &written.iter().map(Path::new).collect())?;
        let record = self.record(&written)?;
        // Everything on disk before the record that vouches for it, and the
        // record on disk before the swap: a power cut at any point leaves
        // either the old site live or the new one whole.
        sync_folder(&self.dir)?;
        write_record(&self.dir, &record)?;
        swap_into_place(&self.dir, &self.output)?;
        self.finished = true;
        sync_entries(&parent_of(&self.output))
    }

    /// The record of every file in `written`: as this build wrote it, or,
    /// for files Pagefind wrote, as the old record vouched (for the
    /// content-named ones Pagefind kept) or read back from disk.
    fn record(&self, written: &[&str]) -> Result<Vec<(String, Entry)>, Diagnostic> {
        let mine = self.written.lock().unwrap_or_else(|e| e.into_inner());
        written
            .par_iter()
            .map(|&path| {
                if let Some(entry) = mine.get(path) {
                    return Ok((path.to_owned(), *entry));
                }
                let on_disk = self.dir.join(path);
                let size = std::fs::metadata(&on_disk).map(|m| m.len()).ok();
                match self.vouched.get(path) {
                    // A file named by a hash of its content, that Pagefind kept
                    // because the record vouched for it: the same bytes as then.
                    Some(entry) if Some(entry.size) == size && crate::search::is_content_named(path) => {
                        Ok((path.to_owned(), *entry))
                    }
                    _ => std::fs::read(&on_disk)
                        .map(|bytes| (path.to_owned(), Entry::of(&bytes)))
                        .map_err(|e| io_error(&on_disk, "cannot read back a written file", e)),
                }
            })
            .collect()
    }
}

/// Clears the way for a file at `path`, where `found` is what is there now:
/// a folder from an older build where this build has a file is removed, and
/// a file new here may need its folder made too.
fn make_room(path: &Path, found: Option<&std::fs::Metadata>) -> Result<(), Diagnostic> {
    match found {
        Some(meta) if meta.is_dir() => {
            std::fs::remove_dir_all(path).map_err(|e| io_error(path, "cannot clear the staging folder", e))
        }
        Some(_) => Ok(()),
        None => match path.parent().filter(|p| !p.is_dir()) {
            Some(parent) => make_folder(parent),
            None => Ok(()),
        },
    }
}

/// Writes `bytes` as the file at `path` and starts putting it on disk.
fn write_out(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = std::fs::File::create(path)?;
    file.write_all(bytes)?;
    start_writeback(&file);
    Ok(())
}

/// Asks the kernel to start writing `file` to disk now, without waiting
/// for it. The build ends with one `syncfs` that waits for the whole site
/// to be on disk; a site of 10,000 long pages is 1.5 GB, and left to the
/// end that was a second with every core idle. Started as each file is
/// written, the disk works while the build goes on and the sync finds
/// little left. Only a hint: where it is not available, the sync does it all.
fn start_writeback(file: &std::fs::File) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: the descriptor is open for as long as `file` is borrowed,
        // and the call reads no memory of ours.
        let _ = unsafe { libc::sync_file_range(file.as_raw_fd(), 0, 0, libc::SYNC_FILE_RANGE_WRITE) };
    }
    #[cfg(not(target_os = "linux"))]
    let _ = file;
}

/// A file that hashes and counts what is written to it, for the record,
/// and starts each stretch of it on its way to disk as it goes.
struct Hashing {
    inner: std::fs::File,
    hash: twox_hash::XxHash3_128,
    size: u64,
}

/// How much of a streamed file is written between two [`start_writeback`]s.
const WRITEBACK_STRETCH: u64 = 16 << 20;

impl std::io::Write for Hashing {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.write(&buf[..n]);
        let before = self.size;
        self.size += n as u64;
        if before / WRITEBACK_STRETCH != self.size / WRITEBACK_STRETCH {
            start_writeback(&self.inner);
        }
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()?;
        start_writeback(&self.inner);
        Ok(())
    }
}

/// The record in `dir`, if it has a whole one.
fn read_record(dir: &Path) -> Option<HashMap<String, Entry>> {
    let text = std::fs::read_to_string(dir.join(RECORD)).ok()?;
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
        out.insert(fields.next()?.to_owned(), Entry { size, hash });
    }
    // A record cut short vouches for nothing.
    ended.then_some(out)
}

/// Writes the record whole (to a temporary name, synced, then renamed).
fn write_record(dir: &Path, record: &[(String, Entry)]) -> Result<(), Diagnostic> {
    use std::io::Write;
    let mut text = String::with_capacity(record.len() * 64);
    text.push_str(RECORD_HEADER);
    text.push('\n');
    let mut sorted: Vec<&(String, Entry)> = record.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, entry) in sorted {
        text.push_str(&format!("{:032x}\t{}\t{path}\n", entry.hash, entry.size));
    }
    text.push_str("end\n");
    let temporary = dir.join(format!("{RECORD}.tmp"));
    let written = std::fs::File::create(&temporary).and_then(|mut f| {
        f.write_all(text.as_bytes())?;
        f.sync_all()
    });
    written.map_err(|e| io_error(&temporary, "cannot write the record of the new site", e))?;
    std::fs::rename(&temporary, dir.join(RECORD))
        .map_err(|e| io_error(&temporary, "cannot write the record of the new site", e))?;
    sync_entries(dir)
}

/// Removes the record before the folder is written again, for good (synced):
/// from now on, a build killed half way leaves a folder that vouches for nothing.
fn forget_record(dir: &Path) -> Result<(), Diagnostic> {
    for name in [RECORD.to_owned(), format!("{RECORD}.tmp")] {
        match std::fs::remove_file(dir.join(&name)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(io_error(&dir.join(name), "cannot clear the staging folder", e))
            }
            _ => {}
        }
    }
    sync_entries(dir)
}

/// Pagefind keeps any index file whose name it would write (the name is a
/// hash of the content), so a file cut short by a build that was killed
/// would be kept too: every search file the record does not vouch for, by
/// name and size, is removed before Pagefind writes.
fn clear_unvouched_search_files(dir: &Path, vouched: &HashMap<String, Entry>) -> Result<(), Diagnostic> {
    let bundle = dir.join(crate::search::BUNDLE_DIR);
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

/// Makes the names in `dir` durable (files created, renamed or removed there).
fn sync_entries(dir: &Path) -> Result<(), Diagnostic> {
    let folder = std::fs::File::open(dir).map_err(|e| io_error(dir, "cannot open folder", e))?;
    rustix::fs::fsync(&folder).map_err(|e| io_error(dir, "cannot write the folder out to disk", e.into()))
}

/// Flushes everything written on the file system that holds `dir`: one
/// call for the whole site, where a sync per file would cost a disk
/// round trip per file.
fn sync_folder(dir: &Path) -> Result<(), Diagnostic> {
    let folder = std::fs::File::open(dir).map_err(|e| io_error(dir, "cannot open folder", e))?;
    rustix::fs::syncfs(&folder).map_err(|e| io_error(dir, "cannot write the site out to disk", e.into()))
}

/// Creates a folder and its parents; a file in the way (from an older build) is removed.
pub(crate) fn make_folder(dir: &Path) -> Result<(), Diagnostic> {
    if let Err(e) = std::fs::create_dir_all(dir) {
        let blocking = dir.ancestors().find(|a| a.is_file());
        match blocking {
            Some(file) => {
                std::fs::remove_file(file)
                    .map_err(|e| io_error(file, "cannot clear the staging folder", e))?;
                std::fs::create_dir_all(dir).map_err(|e| io_error(dir, "cannot create folder", e))?;
            }
            None => return Err(io_error(dir, "cannot create folder", e)),
        }
    }
    Ok(())
}

/// Where the output a build replaces is kept, to be the next build's staging folder.
pub fn previous_folder(output: &Path) -> PathBuf {
    sibling(output, "previous")
}

/// A hidden folder beside `output`, on the same file system so renames are atomic.
fn sibling(output: &Path, what: &str) -> PathBuf {
    let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    output.with_file_name(format!(".accord-{what}-{name}"))
}

fn parent_of(output: &Path) -> PathBuf {
    match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Where the fallback swap moves the old site while the new one goes in.
fn aside(output: &Path) -> PathBuf {
    sibling(output, "old")
}

/// Puts right what a build killed part way through its swap left: the old
/// site back at the output path if it is missing, and every other leftover
/// folder beside it removed. Says what it did.
fn repair(output: &Path) -> Result<Vec<String>, Diagnostic> {
    let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let parent = parent_of(output);
    let mut leftovers: Vec<PathBuf> = std::fs::read_dir(&parent)
        .map_err(|e| io_error(&parent, "cannot read folder", e))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let file = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            // `.accord-old-{name}`, and `.accord-old-{pid}-{name}` from older versions of accord.
            file.starts_with(".accord-old-") && file.ends_with(&format!("-{name}"))
        })
        .collect();
    leftovers.sort();
    let mut notices = Vec::new();
    for leftover in leftovers {
        // It was the live site, complete, when it was moved aside.
        if !output.exists() {
            std::fs::rename(&leftover, output)
                .map_err(|e| io_error(output, "cannot put the previous site back in place", e))?;
            notices.push(format!(
                "a build stopped while swapping sites: put the previous site back at {}",
                output.display()
            ));
        } else {
            std::fs::remove_dir_all(&leftover)
                .or_else(|_| std::fs::remove_file(&leftover))
                .map_err(|e| io_error(&leftover, "cannot remove a leftover folder", e))?;
            notices.push(format!("removed {}, left by a build that did not finish", leftover.display()));
        }
    }
    Ok(notices)
}

/// Deletes whatever in the staging folder is not one of `wanted` (or a
/// folder on the way to one), so that it holds exactly the new site.
///
/// Folders are read on every core: at 10,000 pages this is ten thousand
/// folders to list, the last thing a build does before it goes live, and
/// nothing else is running by then.
fn prune(staging: &Path, wanted: &HashSet<&Path>) -> Result<(), Diagnostic> {
    let folders: HashSet<&Path> = wanted.iter().flat_map(|p| p.ancestors().skip(1)).collect();
    prune_folder(staging, Path::new(""), wanted, &folders)
}

/// [`prune`] for the folder `rel` of `staging` and everything under it.
fn prune_folder(
    staging: &Path,
    rel: &Path,
    wanted: &HashSet<&Path>,
    folders: &HashSet<&Path>,
) -> Result<(), Diagnostic> {
    let dir = staging.join(rel);
    let unreadable = |e: std::io::Error| Diagnostic::file(&dir, format!("cannot read staging folder: {e}"));
    let entries =
        std::fs::read_dir(&dir).map_err(unreadable)?.collect::<Result<Vec<_>, _>>().map_err(unreadable)?;
    entries.par_iter().try_for_each(|entry| {
        let rel = rel.join(entry.file_name());
        // The entry itself, not what a symbolic link points to: a link is removed like a file.
        let is_dir = entry.file_type().map_err(unreadable)?.is_dir();
        if is_dir && folders.contains(rel.as_path()) {
            return prune_folder(staging, &rel, wanted, folders);
        }
        if !is_dir && wanted.contains(rel.as_path()) {
            return Ok(());
        }
        let removed =
            if is_dir { std::fs::remove_dir_all(entry.path()) } else { std::fs::remove_file(entry.path()) };
        removed.map_err(|e| io_error(&entry.path(), "cannot clear the staging folder", e))
    })
}

/// Puts `staging` in place of `output`; the old output becomes the next staging folder.
fn swap_into_place(staging: &Path, output: &Path) -> Result<(), Diagnostic> {
    if !output.exists() {
        return std::fs::rename(staging, output)
            .map_err(|e| io_error(output, "cannot move the new site into place", e));
    }
    if std::env::var_os(FORCE_RENAME_SWAP).is_none() {
        match exchange(staging, output) {
            Ok(()) => return Ok(()),
            Err(e) if !exchange_unsupported(&e) => {
                return Err(io_error(output, "cannot swap the new site into place", e))
            }
            Err(_) => {}
        }
    }
    // Two renames, then: a build killed between them leaves the old site at
    // `aside`, which the next build puts back (see `repair`).
    let old = aside(output);
    std::fs::rename(output, &old).map_err(|e| io_error(output, "cannot move the previous site aside", e))?;
    if let Err(e) = std::fs::rename(staging, output) {
        let _ = std::fs::rename(&old, output);
        return Err(io_error(output, "cannot move the new site into place", e));
    }
    // Kept for the next build; if that fails, it is only a cache.
    if std::fs::rename(&old, staging).is_err() {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(())
}

/// Set (to anything) to swap with two renames even where the exchange
/// works, so the tests can stop a build between them.
pub const FORCE_RENAME_SWAP: &str = "ACCORD_SWAP_BY_RENAMES";

/// Swaps two paths in one system call.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(Into::into)
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

/// Whether the exchange failed because this system or file system lacks it.
fn exchange_unsupported(e: &std::io::Error) -> bool {
    matches!(e.kind(), std::io::ErrorKind::Unsupported | std::io::ErrorKind::InvalidInput)
        || matches!(e.raw_os_error(), Some(code) if code == rustix::io::Errno::NOSYS.raw_os_error()
            || code == rustix::io::Errno::OPNOTSUPP.raw_os_error())
}

/// Updates a folder already written: writes `files` (each to a temporary
/// name, then renamed, so a reader never sees half a file) and deletes
/// `removed`. For `accord serve`, whose folder is private; a deployable
/// build always goes through [`write_site`].
pub fn update_in_place(output: &Path, files: &[OutputFile], removed: &[String]) -> Result<(), Diagnostic> {
    for file in files {
        let path = output.join(&file.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| io_error(dir, "cannot create folder", e))?;
        }
        let temporary = path.with_file_name(format!(
            ".accord-{}",
            path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
        ));
        std::fs::write(&temporary, &file.bytes).map_err(|e| io_error(&temporary, "cannot write file", e))?;
        std::fs::rename(&temporary, &path).map_err(|e| io_error(&path, "cannot replace file", e))?;
    }
    for file in removed {
        match std::fs::remove_file(output.join(file)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(io_error(&output.join(file), "cannot remove file", e))
            }
            _ => {}
        }
    }
    Ok(())
}

/// The output folder is replaced whole, so it must never be (or hold) the site itself.
fn guard_output(root: &Path, output: &Path) -> Result<(), Diagnostic> {
    let abs = |p: &Path| {
        std::fs::canonicalize(p).unwrap_or_else(|_| std::env::current_dir().unwrap_or_default().join(p))
    };
    let (root_abs, out_abs) = (abs(root), abs(output));
    if root_abs.starts_with(&out_abs) || (output.is_dir() && output.join(crate::config::CONFIG_FILE).exists())
    {
        return Err(Diagnostic::file(output, "the output folder contains the site's own files").with_help(
            "choose an output folder of its own, such as public/ (it is replaced on every build)",
        ));
    }
    if output.exists() && !output.is_dir() {
        return Err(Diagnostic::file(output, "the output path is a file, not a folder")
            .with_help("remove it or choose another --output"));
    }
    Ok(())
}

fn io_error(path: &Path, what: &str, err: std::io::Error) -> Diagnostic {
    Diagnostic::file(path, format!("{what}: {err}"))
        .with_help("check the folder exists and you can write to it")
}

//! The staging folder a build writes into before its site goes live: files
//! written from many threads as each is ready, a file the record vouches
//! for left as it is, and whatever the new site does not hold pruned away.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use super::record::{
    clear_unvouched, forget_orphans, forget_record, read_record, write_record, RecordedFile,
};
use super::swap::{parent_of, previous_folder, repair, sibling, swap_into_place};
use super::{io_error, sync_entries, sync_folder};
use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;

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
    vouched: HashMap<String, RecordedFile>,
    /// Files a later stage keeps by name alone (see [`HashNamed`]).
    hash_named: Option<HashNamed>,
    /// What this build has put in the folder (written, or found as it should be).
    written: Mutex<HashMap<String, RecordedFile>>,
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

/// Files a stage of the build keeps when it finds them already in the
/// staging folder, by name alone, because each is named by a hash of its
/// content (the search index's): the folder they are in, and which they are.
/// The record vouches for them by name and size; the rest of that folder is
/// cleared before the build, so no file a killed build cut short is kept.
#[derive(Clone, Copy)]
pub struct HashNamed {
    /// Relative to the output folder.
    pub folder: &'static str,
    pub is: fn(&str) -> bool,
}

impl Staging {
    /// Checks `output` is safe to replace, repairs what an interrupted build
    /// left, and opens the staging folder beside it (the previous build's
    /// output, kept for reuse, if there is one).
    pub fn open(root: &Path, output: &Path, hash_named: Option<HashNamed>) -> Result<Staging, Diagnostic> {
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
        forget_orphans(&parent);
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
            if let Some(hash_named) = &hash_named {
                clear_unvouched(&dir, hash_named.folder, &vouched)?;
            }
            vouched
        } else {
            let _ = std::fs::remove_file(&dir);
            std::fs::create_dir(&dir).map_err(|e| io_error(&dir, "cannot create a staging folder", e))?;
            // A record left for a folder long gone that had the same inode vouches for nothing here.
            forget_record(&dir)?;
            HashMap::new()
        };
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            lock: (lock_path, lock),
            fresh,
            finished: false,
            vouched,
            hash_named,
            written: Mutex::new(HashMap::new()),
            notices,
        })
    }

    /// The site live now (the last build's), which this build will replace.
    pub fn output(&self) -> &Path {
        &self.output
    }

    /// The folder itself, for writers that put files there on their own (the search index).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn write(&self, file: &OutputFile) -> Result<(), Diagnostic> {
        let path = self.dir.join(&file.path);
        let entry = RecordedFile::of(&file.bytes);
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
        let entry = RecordedFile { size: out.size, hash: out.hash.finish_128() };
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
    /// for files written there on their own, as the old record vouched (for the
    /// hash-named ones kept) or read back from disk.
    fn record(&self, written: &[&str]) -> Result<Vec<(String, RecordedFile)>, Diagnostic> {
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
                    // A file named by a hash of its content, kept because the
                    // record vouched for it: the same bytes as then.
                    Some(entry)
                        if Some(entry.size) == size && self.hash_named.is_some_and(|h| (h.is)(path)) =>
                    {
                        Ok((path.to_owned(), *entry))
                    }
                    _ => std::fs::read(&on_disk)
                        .map(|bytes| (path.to_owned(), RecordedFile::of(&bytes)))
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
/// to be on disk; left to the end, that wait has every core idle. Started
/// as each file is written, the disk works while the build goes on and the
/// sync finds little left. Only a hint: where it is not available, the sync does it all.
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

/// Creates a folder and its parents; a file in the way (from an older build) is removed.
fn make_folder(dir: &Path) -> Result<(), Diagnostic> {
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

/// Deletes whatever in the staging folder is not one of `wanted` (or a
/// folder on the way to one), so that it holds exactly the new site.
///
/// Folders are read on every core: a large site has a folder per page to
/// list, it is the last thing a build does before it goes live, and
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

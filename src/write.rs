//! Putting the built files on disk without ever leaving a half-written site.
//!
//! Files are written into a staging folder beside the output folder; only
//! when every file is written does that folder replace the old output (by
//! renames). A failed build, or one killed half way, leaves the previous
//! site exactly as it was.
//!
//! The replaced output is not deleted: it is kept, hidden, as the next
//! build's staging folder. Creating folders is by far the slowest part of
//! writing a site (on the machines measured, a new folder costs twenty times
//! a file written into an existing one), so a staging folder that already
//! has nearly every folder makes the write several times faster. It is
//! brought exactly to the new set of files (extra files deleted, every file
//! written) before it goes live.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::render::OutputFile;

pub fn write_site(root: &Path, output: &Path, files: &[OutputFile]) -> Result<(), Diagnostic> {
    let staging = Staging::open(root, output)?;
    files.par_iter().try_for_each(|file| staging.write(file))?;
    staging.finish(files.iter().map(|f| f.path.as_str()))
}

/// The folder a build writes into before it goes live. Files can be written
/// into it from many threads as soon as each is ready, so a big site never
/// needs all its pages in memory.
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    /// Made by this build (not kept from the last): removed if the build fails.
    fresh: bool,
    finished: bool,
    /// Held while the build writes, so two builds never share the staging folder.
    lock: (PathBuf, std::fs::File),
}

impl Drop for Staging {
    fn drop(&mut self) {
        // A reused folder stays, half updated, for the next build to prune.
        if self.fresh && !self.finished {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
        // Removed while still held, so the next build finds nothing beside the output.
        let _ = std::fs::remove_file(&self.lock.0);
    }
}

impl Staging {
    /// Checks `output` is safe to replace, and opens the staging folder beside it
    /// (the previous build's output, kept for reuse, if there is one).
    pub fn open(root: &Path, output: &Path) -> Result<Staging, Diagnostic> {
        guard_output(root, output)?;
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
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
        let dir = previous_folder(output);
        let fresh = !dir.is_dir();
        if fresh {
            let _ = std::fs::remove_file(&dir);
            std::fs::create_dir(&dir).map_err(|e| io_error(&dir, "cannot create a staging folder", e))?;
        }
        mark_unfinished(&dir)?;
        Ok(Staging { dir, output: output.to_path_buf(), fresh, finished: false, lock: (lock_path, lock) })
    }

    /// The folder itself, for writers that put files there on their own (Pagefind).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn write(&self, file: &OutputFile) -> Result<(), Diagnostic> {
        let path = self.dir.join(&file.path);
        match std::fs::symlink_metadata(&path) {
            // Most of a site is the same from one build to the next, and
            // comparing is far cheaper than writing (it also keeps the file's
            // modification time, which helps tools that sync a deploy).
            Ok(meta)
                if meta.is_file() && meta.len() == file.bytes.len() as u64 && holds(&path, &file.bytes) =>
            {
                return Ok(());
            }
            // A folder from an older build where this build has a file.
            Ok(meta) if meta.is_dir() => std::fs::remove_dir_all(&path)
                .map_err(|e| io_error(&path, "cannot clear the staging folder", e))?,
            Ok(_) => {}
            // New here: its folder may be new too.
            Err(_) => {
                if let Some(parent) = path.parent().filter(|p| !p.is_dir()) {
                    make_folder(parent)?;
                }
            }
        }
        std::fs::write(&path, &file.bytes).map_err(|e| io_error(&path, "cannot write file", e))
    }

    /// Deletes whatever the folder holds besides `written` (left from an
    /// older build), then puts it live in place of the output.
    pub fn finish<'a>(mut self, written: impl IntoIterator<Item = &'a str>) -> Result<(), Diagnostic> {
        prune(&self.dir, &written.into_iter().map(Path::new).collect())?;
        swap_into_place(&self.dir, &self.output)?;
        self.finished = true;
        Ok(())
    }
}

/// Whether the file at `path` holds exactly `bytes`: read a piece at a time,
/// so a large file (the open data is ~100 MB at 10,000 pages) is never held
/// twice in memory just to find it unchanged.
fn holds(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    let Ok(mut file) = std::fs::File::open(path) else { return false };
    let mut piece = [0u8; 16 * 1024];
    let mut rest = bytes;
    loop {
        match file.read(&mut piece) {
            Ok(0) => return rest.is_empty(),
            Ok(n) if n <= rest.len() && piece[..n] == rest[..n] => rest = &rest[n..],
            Ok(_) => return false,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

/// Marks `dir` as being written until [`Staging::finish`] prunes the mark.
///
/// Pagefind keeps any index file whose name it would write (the name is a
/// hash of the content), so a file cut short by a build that was killed
/// would be kept too: if the mark is already there, the last build in this
/// folder never finished, and the search bundle is cleared to be written whole.
fn mark_unfinished(dir: &Path) -> Result<(), Diagnostic> {
    let mark = dir.join(UNFINISHED);
    if mark.exists() {
        let bundle = dir.join(crate::search::BUNDLE_DIR);
        match std::fs::remove_dir_all(&bundle) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(io_error(&bundle, "cannot clear the staging folder", e))
            }
            _ => {}
        }
    }
    std::fs::write(&mark, b"").map_err(|e| io_error(&mark, "cannot write to the staging folder", e))
}

/// Left in a staging folder while a build writes into it.
const UNFINISHED: &str = ".accord-unfinished";

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
    let old = sibling(output, &format!("old-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&old);
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

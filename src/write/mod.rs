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
//! writing a site, so a staging folder that already has nearly every
//! folder makes the write several times faster. What is in it is trusted
//! only as far as its record vouches for each file (size and a hash of its
//! bytes), and the record is removed before the folder is written again: a
//! build killed while writing leaves a folder with no record, nothing in it
//! is trusted, and the next build writes every file.
//!
//! `staging` writes the folder, `record` says what it holds, and
//! `swap` puts it live and repairs what an interrupted swap left.
//!
//! Where the exchange is not supported (another system, or a file system
//! that refuses it), the swap falls back to two renames; a build killed
//! between them leaves the old site under a hidden name, and the next build
//! puts it back before anything else.

mod record;
mod staging;
mod swap;

pub use record::{content_hash, record_path};
pub use staging::{HashNamed, Staging};
pub use swap::{previous_folder, FORCE_RENAME_SWAP};

use std::path::Path;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;

/// Writes `files` as the whole site at `output`. Returns what was cleaned up
/// from an earlier build that did not finish.
pub fn write_site(root: &Path, output: &Path, files: &[OutputFile]) -> Result<Vec<String>, Diagnostic> {
    let staging = Staging::open(root, output, None)?;
    files.par_iter().try_for_each(|file| staging.write(file))?;
    let notices = staging.notices.clone();
    staging.finish(files.iter().map(|f| f.path.as_str()))?;
    Ok(notices)
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

fn io_error(path: &Path, what: &str, err: std::io::Error) -> Diagnostic {
    Diagnostic::file(path, format!("{what}: {err}"))
        .with_help("check the folder exists and you can write to it")
}

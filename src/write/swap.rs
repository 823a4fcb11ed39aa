//! Putting a staged site live in one step, and putting right what a build
//! killed during that step left: the exchange of two folders where the
//! system has it, two renames where it does not.

use std::path::{Path, PathBuf};

use super::io_error;
use crate::diagnostics::Diagnostic;

/// Where the output a build replaces is kept, to be the next build's staging folder.
pub fn previous_folder(output: &Path) -> PathBuf {
    sibling(output, "previous")
}

/// A hidden folder beside `output`, on the same file system so renames are atomic.
pub(super) fn sibling(output: &Path, what: &str) -> PathBuf {
    let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    output.with_file_name(format!(".accord-{what}-{name}"))
}

pub(super) fn parent_of(output: &Path) -> PathBuf {
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
pub(super) fn repair(output: &Path) -> Result<Vec<String>, Diagnostic> {
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

/// Puts `staging` in place of `output`; the old output becomes the next staging folder.
pub(super) fn swap_into_place(staging: &Path, output: &Path) -> Result<(), Diagnostic> {
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

//! Putting the built files on disk without ever leaving a half-written site.
//!
//! Files are written into a fresh temporary folder beside the output folder;
//! only when every file is written does that folder replace the old output
//! (two renames). A failed build, or one killed half way, leaves the previous
//! site exactly as it was.

use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::render::OutputFile;

pub fn write_site(root: &Path, output: &Path, files: &[OutputFile]) -> Result<(), Diagnostic> {
    guard_output(root, output)?;
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| io_error(&parent, "cannot create folder", e))?;
    let staging = tempfile::Builder::new()
        .prefix(".accord-staging-")
        .tempdir_in(&parent)
        .map_err(|e| io_error(&parent, "cannot create a temporary folder", e))?;
    let dirs: std::collections::BTreeSet<PathBuf> =
        files.iter().filter_map(|f| staging.path().join(&f.path).parent().map(Path::to_path_buf)).collect();
    for dir in &dirs {
        std::fs::create_dir_all(dir).map_err(|e| io_error(dir, "cannot create folder", e))?;
    }
    use rayon::prelude::*;
    files.par_iter().try_for_each(|file| {
        let path = staging.path().join(&file.path);
        std::fs::write(&path, &file.bytes).map_err(|e| io_error(&path, "cannot write file", e))
    })?;
    swap_into_place(staging.keep(), output)
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

/// Replaces `output` by `staging`, keeping the old output until the new one is in place.
fn swap_into_place(staging: PathBuf, output: &Path) -> Result<(), Diagnostic> {
    let old = if output.exists() {
        let old = output.with_file_name(format!(
            ".accord-old-{}-{}",
            output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&old);
        std::fs::rename(output, &old).map_err(|e| {
            let _ = std::fs::remove_dir_all(&staging);
            io_error(output, "cannot move the previous site aside", e)
        })?;
        Some(old)
    } else {
        None
    };
    if let Err(e) = std::fs::rename(&staging, output) {
        if let Some(old) = &old {
            let _ = std::fs::rename(old, output);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(io_error(output, "cannot move the new site into place", e));
    }
    if let Some(old) = old {
        let _ = std::fs::remove_dir_all(old);
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

//! Reading one file: UTF-8 text, TOML front matter, and TOML errors mapped
//! back to the line and column in the file the editor has open.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::de::DeserializeOwned;

use crate::diagnostics::{display_path, Diagnostic};

/// A content file's text and the path editors know it by (relative to the site root).
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: Arc<str>,
    /// When the file was last modified, asked as it was read (the date a
    /// page shows outside git), or `None` for text not read from a file.
    pub modified: Option<std::time::SystemTime>,
}

impl SourceFile {
    pub fn read(root: &Path, path: &Path) -> Result<SourceFile, Diagnostic> {
        use std::io::Read;
        let shown = display_path(root, path);
        let cannot = |e: std::io::Error| Diagnostic::file(&shown, format!("cannot read file: {e}"));
        let mut file = std::fs::File::open(path).map_err(cannot)?;
        let meta = file.metadata().map_err(cannot)?;
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.read_to_end(&mut bytes).map_err(cannot)?;
        let text = String::from_utf8(bytes).map_err(|e| not_utf8(&shown, e))?;
        Ok(SourceFile { path: shown, text: text.into(), modified: meta.modified().ok() })
    }

    /// An error at a byte range of this file.
    pub fn error(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(&self.path, self.text.clone(), span, message)
    }
}

/// The content files a rebuild read, kept for the next one, which reads
/// only those it is told changed: `accord serve` tells it each file its
/// watcher saw change, and everything when the watcher lost track (opening
/// and reading every file is most of what loading costs). Trusting the watcher is what
/// the last-changed dates already do ([`super::Dates::forget`]); a folder's
/// listing is still read every time, so files added or removed are seen.
#[derive(Debug, Default)]
pub struct FilesRead {
    files: Mutex<HashMap<PathBuf, SourceFile>>,
}

impl FilesRead {
    /// The file at `path`, read now unless it is kept.
    pub fn read(&self, root: &Path, path: &Path) -> Result<SourceFile, Diagnostic> {
        if let Some(file) = self.lock().get(path) {
            return Ok(file.clone());
        }
        let file = SourceFile::read(root, path)?;
        // A watcher sees an edit to a linked file at the file, not the link.
        if !std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
            self.lock().insert(path.to_path_buf(), file.clone());
        }
        Ok(file)
    }

    /// Forgets `path` (absolute) and, if it is a folder, every file in it.
    pub fn forget(&self, path: &Path) {
        self.lock().retain(|kept, _| !kept.starts_with(path));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<PathBuf, SourceFile>> {
        self.files.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Points at the first byte that is not UTF-8, showing the text before it.
fn not_utf8(path: &Path, err: std::string::FromUtf8Error) -> Diagnostic {
    let valid = err.utf8_error().valid_up_to();
    let bytes = err.into_bytes();
    let before = String::from_utf8_lossy(&bytes[..valid]).into_owned();
    let mut text = before.clone();
    text.push('\u{FFFD}');
    let line_end = bytes[valid..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |i| valid + i);
    text.push_str(&String::from_utf8_lossy(&bytes[(valid + 1).min(line_end)..line_end]));
    Diagnostic::at(
        path,
        text.as_str(),
        before.len()..before.len() + '\u{FFFD}'.len_utf8(),
        "file is not valid UTF-8",
    )
    .with_help("save the file as UTF-8 in your editor (it may be Windows-1252 or Latin-1)")
}

/// Parses `file.text[start..end]` as TOML, reporting errors at their place in the whole file.
pub fn parse_toml<T: DeserializeOwned>(file: &SourceFile, start: usize, end: usize) -> Result<T, Diagnostic> {
    toml::from_str(&file.text[start..end]).map_err(|err| {
        let span = err.span().map_or(start..start, |s| start + s.start..start + s.end);
        let message = err.message().trim().to_owned();
        let help = toml_help(&message);
        let d = file.error(span, message);
        match help {
            Some(help) => d.with_help(help),
            None => d,
        }
    })
}

fn toml_help(message: &str) -> Option<String> {
    if message.starts_with("unknown field") {
        Some("remove this key or correct its spelling (docs/content-format.md lists every key of content files, docs/configuration.md every setting)".to_owned())
    } else if let Some(rest) = message.strip_prefix("missing field") {
        Some(format!("add{rest} to this table (docs/content-format.md shows an example)"))
    } else if message.starts_with("invalid type") {
        Some("check the value's type: text needs \"quotes\", numbers and true/false do not".to_owned())
    } else if message.starts_with("unknown variant") {
        Some("use one of the values listed above".to_owned())
    } else {
        None
    }
}

/// The front matter (between `+++` lines) and body of a Markdown file, as byte ranges.
pub struct Split {
    pub front: Range<usize>,
    pub body: Range<usize>,
}

pub fn split_front_matter(file: &SourceFile) -> Result<Split, Diagnostic> {
    let text = &*file.text;
    let text_start = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    let first_line_end = text[text_start..].find('\n').map_or(text.len(), |i| text_start + i + 1);
    if text[text_start..first_line_end].trim_end() != "+++" {
        return Err(file
            .error(text_start..first_line_end.max(text_start), "file does not start with front matter")
            .with_help("begin the file with a line `+++`, the TOML front matter, and another line `+++`"));
    }
    let mut pos = first_line_end;
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        if text[pos..line_end].trim_end() == "+++" {
            return Ok(Split { front: first_line_end..pos, body: line_end..text.len() });
        }
        pos = line_end;
    }
    Err(file
        .error(text_start..first_line_end, "front matter is never closed")
        .with_help("add a line `+++` after the last line of front matter"))
}

/// A Markdown file: typed front matter plus its body.
#[derive(Debug, Clone)]
pub struct Document<T> {
    pub file: SourceFile,
    pub front: T,
    /// Where the front matter starts in the file: spans from `toml::Spanned` are relative to it.
    pub front_start: usize,
    /// Where the body starts in the file, so Markdown problems can name their line.
    pub body_start: usize,
}

impl<T: DeserializeOwned> Document<T> {
    /// The document a file holds: its front matter parsed, its body found.
    pub fn parse(file: SourceFile) -> Result<Document<T>, Diagnostic> {
        let split = split_front_matter(&file)?;
        let front = parse_toml(&file, split.front.start, split.front.end)?;
        Ok(Document { file, front, front_start: split.front.start, body_start: split.body.start })
    }
}

impl<T> Document<T> {
    pub fn body(&self) -> &str {
        &self.file.text[self.body_start..]
    }

    /// The file's stem: `priority-10` for `items/priority-10.md`.
    pub fn stem(&self) -> String {
        self.file.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
    }

    /// An error at a span of a front-matter value (`Spanned::span`).
    pub fn front_error(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        self.file.error(self.front_start + span.start..self.front_start + span.end, message)
    }

    /// An error at a range of the body.
    pub fn body_error(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        self.file.error(self.body_start + span.start..self.body_start + span.end, message)
    }
}

//! Errors that content editors read.
//!
//! Every problem the build finds becomes a [`Diagnostic`] naming the file, the
//! line and column, what is wrong and how to fix it. The build collects them
//! all in a [`Diagnostics`] list instead of stopping at the first, so an editor
//! can fix ten mistakes in one pass. Rendering (with the offending source line
//! underlined) is delegated to `codespan-reporting`.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term;

/// How much a problem matters: an error stops the build; a warning is
/// printed and the build goes on (content that is shown other than as
/// written, say, where the site still tells the reader the truth).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Severity {
    #[default]
    Error,
    Warning,
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A file that could not be read or parsed: what else is wrong may
    /// follow from it, so it is listed first.
    pub root: bool,
    pub path: PathBuf,
    /// Byte range in the file, when the problem has a place more precise than the file.
    pub span: Option<Range<usize>>,
    /// The whole file, kept so the report can show the offending line.
    pub source: Option<Arc<str>>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    /// A problem with a whole file (unreadable, misplaced, missing).
    pub fn file(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            root: false,
            path: path.into(),
            span: None,
            source: None,
            message: message.into(),
            help: None,
        }
    }

    /// A problem at a byte range of a file whose text we have.
    pub fn at(
        path: impl Into<PathBuf>,
        source: impl Into<Arc<str>>,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let source = source.into();
        let end = span.end.min(source.len());
        let start = span.start.min(end);
        Diagnostic {
            severity: Severity::Error,
            root: false,
            path: path.into(),
            span: Some(start..end),
            source: Some(source),
            message: message.into(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The same problem, reported as a warning: the build goes on.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// 1-based line and column of the start of the span (1:1 without one).
    pub fn line_col(&self) -> (usize, usize) {
        match (&self.source, &self.span) {
            (Some(source), Some(span)) => line_col(source, span.start),
            _ => (1, 1),
        }
    }

    /// `path:line:col`, the form editors and their tools jump to.
    pub fn location(&self) -> String {
        let (line, col) = self.line_col();
        format!("{}:{line}:{col}", self.path.display())
    }

    /// The full report: location, message, source excerpt and help.
    pub fn render(&self) -> String {
        let mut files = SimpleFiles::new();
        let report = match self.severity {
            Severity::Error => Report::error(),
            Severity::Warning => Report::warning(),
        };
        let mut report = report.with_message(format!("{}: {}", self.location(), self.message));
        if let (Some(source), Some(span)) = (&self.source, &self.span) {
            let id = files.add(self.path.display().to_string(), &**source);
            report = report.with_labels(vec![Label::primary(id, span.clone())]);
        }
        if let Some(help) = &self.help {
            report = report.with_notes(vec![format!("help: {help}")]);
        }
        let config = term::Config::default();
        term::emit_into_string(&config, &files, &report)
            .unwrap_or_else(|_| format!("{}: {}: {}\n", self.severity.word(), self.location(), self.message))
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)?;
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

impl Severity {
    fn word(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// 1-based line and character column of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let offset = (0..=offset).rev().find(|&i| source.is_char_boundary(i)).unwrap_or(0);
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = source[line_start..offset].chars().count() + 1;
    (line, col)
}

/// Every problem a build found, in the order found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Diagnostics {
    found: Vec<Diagnostic>,
    /// A hash of each problem's place and words, so a large site's
    /// thousands of warnings are told apart without comparing each with every other.
    seen: std::collections::HashSet<u64>,
}

impl Diagnostics {
    /// Adds a problem; the same problem found twice (a template that fails
    /// on every page that uses it) is reported once.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        let key = {
            let d = &diagnostic;
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            (d.severity as u8, &d.path, &d.span, &d.message, &d.help).hash(&mut hasher);
            hasher.finish()
        };
        if self.seen.insert(key) || !self.found.contains(&diagnostic) {
            self.found.push(diagnostic);
        }
    }

    pub fn extend(&mut self, other: Diagnostics) {
        other.found.into_iter().for_each(|d| self.push(d));
    }

    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    pub fn len(&self) -> usize {
        self.found.len()
    }

    /// Marks every problem here as a root cause (files that did not load).
    pub fn mark_roots(&mut self) {
        self.found.iter_mut().for_each(|d| d.root = true);
    }

    /// `Err(self)` when anything was found: the pipeline's gate between stages.
    pub fn into_result(self) -> Result<(), Diagnostics> {
        if self.found.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }

    /// All reports: files that did not load first (the rest may follow
    /// from them), then by file and position so related problems sit together.
    pub fn render(&self) -> String {
        let mut sorted: Vec<&Diagnostic> = self.found.iter().collect();
        sorted.sort_by_key(|d| (!d.root, d.path.clone(), d.line_col()));
        let mut out: String = sorted.iter().map(|d| d.render()).collect();
        let count = |severity| self.found.iter().filter(|d| d.severity == severity).count();
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        match (count(Severity::Error), count(Severity::Warning)) {
            (0, 0) => {}
            (0, w) => out.push_str(&format!("{}\n", plural(w, "warning"))),
            (e, 0) => out.push_str(&format!("{} found\n", plural(e, "error"))),
            (e, w) => out.push_str(&format!("{} found, and {}\n", plural(e, "error"), plural(w, "warning"))),
        }
        out
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        let mut all = Diagnostics::default();
        iter.into_iter().for_each(|d| all.push(d));
        all
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        let mut all = Diagnostics::default();
        all.push(d);
        all
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

impl std::error::Error for Diagnostics {}

/// A path shown relative to the site root, so messages are short and stable.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let src = "a = 1\nbé = 2\n";
        assert_eq!(line_col(src, 0), (1, 1));
        assert_eq!(line_col(src, 6), (2, 1));
        assert_eq!(line_col(src, 9), (2, 3));
    }

    #[test]
    fn a_problem_found_twice_is_kept_once_and_every_other_is_kept() {
        let mut all = Diagnostics::default();
        for n in 0..2_000 {
            all.push(Diagnostic::file(format!("content/items/{n}.md"), "no title").warning());
        }
        all.push(Diagnostic::file("content/items/7.md", "no title").warning());
        assert_eq!(all.len(), 2_000);
        // The same place and words, but a different kind of problem: both stay.
        all.push(Diagnostic::file("content/items/7.md", "no title"));
        // The same place, kind and words, in another copy of the file's text: both stay.
        all.push(Diagnostic::at("content/items/7.md", "a", 0..1, "bad"));
        all.push(Diagnostic::at("content/items/7.md", "b", 0..1, "bad"));
        all.push(Diagnostic::at("content/items/7.md", "b", 0..1, "bad"));
        assert_eq!(all.len(), 2_003);
    }

    #[test]
    fn report_names_file_line_and_help() {
        let d = Diagnostic::at("x.toml", "a = 1\nb = 2\n", 6..7, "unknown key `b`").with_help("remove it");
        let text = d.render();
        assert!(text.contains("x.toml:2:1: unknown key `b`"), "{text}");
        assert!(text.contains("help: remove it"), "{text}");
        assert!(text.contains("b = 2"), "{text}");
    }
}

//! When each content file last changed, for "last changed" dates, the
//! sitemap and the feed.
//!
//! Dates come from the content's own history, never from the build clock,
//! so rebuilding unchanged content gives byte-identical pages: the date of
//! the last commit that touched a file, or, for a file with uncommitted
//! changes (or a site outside git), its modification date.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::UNIX_EPOCH;

/// Last-changed date (`YYYY-MM-DD`) by path relative to the site root, and
/// the commits that changed the content, newest first.
#[derive(Debug, Default, Clone)]
pub struct Dates {
    dates: HashMap<PathBuf, String>,
    commits: Vec<Commit>,
    /// The committed texts of item and section files, for versions (shared: a rebuild
    /// keeps it, since editing a file does not change what was committed).
    history: std::sync::Arc<super::History>,
}

/// One commit of the content's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    pub hash: String,
    /// `YYYY-MM-DD`, the commit's date.
    pub date: String,
    /// The content files it changed, relative to the site root.
    pub files: Vec<PathBuf>,
    /// The trailers of its message that say what a change to the text is
    /// (`Text-change: correction`), as written: resolve says what they mean.
    pub trailers: Vec<(String, String)>,
}

/// The folder, under the site's root, of the files that have dates.
const CONTENT: &str = "content";

/// The trailers an editor writes at the end of a commit message to say what
/// kind of change to an agreement's words it is.
pub const CHANGE_TRAILERS: [&str; 3] = ["Text-change", "Amendment-date", "Amendment-source"];

impl Dates {
    pub fn read(root: &Path) -> Dates {
        let mut dates = HashMap::new();
        let mut commits = Vec::new();
        // Each commit's hash, date and trailers on one line, then its files.
        let format = format!(
            "--format=%x00%H %cs%x1f%(trailers:{}unfold,separator=%x1e)",
            CHANGE_TRAILERS.map(|k| format!("key={k},")).concat()
        );
        // Only content files have dates and make commits worth listing: asked
        // of the whole folder, git would list every file of every commit (a
        // site kept in a project's repository, as the bundled one is, took it
        // ten times as long). What is uncommitted is asked at the same time.
        let (log, (changed, untracked)) = std::thread::scope(|scope| {
            let changed =
                scope.spawn(|| git(root, &["diff", "--name-only", "--relative", "HEAD", "--", CONTENT]));
            let untracked =
                scope.spawn(|| git(root, &["ls-files", "--others", "--exclude-standard", "--", CONTENT]));
            let log = git(root, &["log", &format, "--name-only", "--relative", "--", CONTENT]);
            let joined = |t: std::thread::ScopedJoinHandle<Option<String>>| t.join().ok().flatten();
            (log, (joined(changed).unwrap_or_default(), joined(untracked).unwrap_or_default()))
        });
        if let Some(log) = log {
            for commit in log.split('\0').filter(|c| !c.trim().is_empty()) {
                let mut lines = commit.lines();
                let Some((head, trailers)) = lines.next().and_then(|l| l.split_once('\x1f')) else {
                    continue;
                };
                let Some((hash, date)) = head.trim().split_once(' ') else { continue };
                let trailers = trailers
                    .split('\x1e')
                    .filter_map(|t| t.split_once(':'))
                    .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                    .collect();
                let mut files = Vec::new();
                for file in lines.map(str::trim).filter(|l| !l.is_empty()) {
                    dates.entry(PathBuf::from(file)).or_insert_with(|| date.to_owned());
                    if file.starts_with("content/") {
                        files.push(PathBuf::from(file));
                    }
                }
                if !files.is_empty() {
                    commits.push(Commit { hash: hash.to_owned(), date: date.to_owned(), files, trailers });
                }
            }
        }
        for file in changed.lines().chain(untracked.lines()).map(str::trim).filter(|l| !l.is_empty()) {
            dates.remove(Path::new(file));
        }
        let mut dates = Dates { dates, commits, history: Default::default() };
        // Items, sections, and what an agreement says of its scrutiny bodies:
        // the words a version holds.
        let versioned = |p: &Path| {
            p.starts_with("content/agreements")
                && (p.parent().and_then(Path::file_name).is_some_and(|d| d == "items" || d == "sections")
                    && p.extension().is_some_and(|e| e == "md")
                    || p.file_name().is_some_and(|f| f == "scrutiny.toml"))
        };
        dates.history = std::sync::Arc::new(super::History::read(root, &dates, versioned));
        dates
    }

    /// The committed texts of each item and section file, and of each `scrutiny.toml`.
    pub fn history(&self) -> &super::History {
        &self.history
    }

    /// The date `file` first appeared in the history:
    /// the oldest commit that changed it, else its last-changed date.
    pub fn first(&self, file: &super::SourceFile) -> Option<String> {
        self.commits
            .iter()
            .rev()
            .find(|c| c.files.contains(&file.path))
            .map(|c| c.date.clone())
            .or_else(|| self.of(file))
    }

    /// The commits that changed content, newest first (none outside git).
    pub fn commits(&self) -> &[Commit] {
        &self.commits
    }

    /// Forgets what git said of `path` (relative to the root): it has just
    /// been edited, so its date is its modification date from now on.
    pub fn forget(&mut self, path: &Path) {
        self.dates.remove(path);
    }

    /// The date a build's statements of fact are made as at: `SOURCE_DATE_EPOCH`
    /// when set (the reproducible-builds convention), else the date of the
    /// content's latest change in its history, else today. Unchanged content
    /// in git therefore builds to the same words, whatever day it is built.
    pub fn as_at(&self) -> AsAt {
        if let Some(secs) = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|v| v.trim().parse::<u64>().ok())
        {
            return AsAt { date: civil_date(secs / 86_400), source: AsAtSource::SourceDateEpoch };
        }
        if let Some(latest) = self.commits.first().map(|c| &c.date) {
            return AsAt { date: latest.clone(), source: AsAtSource::LatestChange };
        }
        let now = std::time::SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        AsAt { date: civil_date(now / 86_400), source: AsAtSource::BuildDate }
    }

    /// The date of `file`: from git, else when it was last modified.
    pub fn of(&self, file: &super::SourceFile) -> Option<String> {
        self.dates.get(&file.path).cloned().or_else(|| file.modified.and_then(day_of))
    }
}

/// The date a site's statements of currency are made as at.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AsAt {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub source: AsAtSource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AsAtSource {
    SourceDateEpoch,
    LatestChange,
    BuildDate,
}

impl AsAt {
    pub fn year(&self) -> u16 {
        self.date.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0)
    }

    /// `1 December 2026`.
    pub fn long(&self) -> String {
        long_date(&self.date)
    }
}

/// `2026-12-01` as `1 December 2026`; anything else as it is.
/// Whether `date` is a calendar date written `YYYY-MM-DD`.
pub fn is_iso_date(date: &str) -> bool {
    let b = date.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && digits(0..4)
        && digits(5..7)
        && digits(8..10)
        && matches!(date[5..7].parse::<u8>(), Ok(1..=12))
        && matches!(date[8..10].parse::<u8>(), Ok(1..=31))
}

pub fn long_date(date: &str) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let mut parts = date.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return date.to_owned();
    };
    match (m.parse::<usize>(), d.parse::<u32>()) {
        (Ok(m @ 1..=12), Ok(d)) => format!("{d} {} {y}", MONTHS[m - 1]),
        _ => date.to_owned(),
    }
}

fn git(root: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git").arg("-C").arg(root).args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn day_of(time: std::time::SystemTime) -> Option<String> {
    let secs = time.duration_since(UNIX_EPOCH).ok()?.as_secs();
    Some(civil_date(secs / 86_400))
}

/// Days since 1970-01-01 to `YYYY-MM-DD` in the proleptic Gregorian calendar.
fn civil_date(days: u64) -> String {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::civil_date;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(19_723), "2024-01-01");
        assert_eq!(civil_date(20_415), "2025-11-23");
        assert_eq!(civil_date(11_016), "2000-02-29");
    }
}

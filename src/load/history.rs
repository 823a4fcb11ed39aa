//! Every committed text of each item and section file, from the content's git history,
//! for the versions a citer can point at.
//!
//! The commits and the files each changed are already known ([`Dates`]);
//! the texts are read in one `git cat-file --batch` for the whole site
//! rather than one `git show` a file a commit, which on a history of
//! thousands of edits is the difference between milliseconds and minutes.
//! Which of these texts make a version (not those that changed only
//! metadata or whitespace) is for resolve to say.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::Dates;

/// The committed texts of the files asked for, each oldest first.
#[derive(Debug, Default)]
pub struct History {
    available: bool,
    texts: HashMap<PathBuf, Vec<Revision>>,
}

/// A file's text as one commit left it.
#[derive(Debug, Clone)]
pub struct Revision {
    pub commit: String,
    /// Where the commit is in [`Dates::commits`], for what its message says.
    pub commit_index: usize,
    /// `YYYY-MM-DD`, the commit's date.
    pub date: String,
    pub text: String,
}

impl History {
    /// Reads, for each file under `root` that `wanted` accepts (paths relative
    /// to the root), its text at every commit that changed it.
    pub fn read(root: &Path, dates: &Dates, wanted: impl Fn(&Path) -> bool) -> History {
        // A shallow clone's oldest commit seems to add every file: its
        // dates would be wrong, so such a history is as good as none.
        if dates.commits().is_empty() || is_shallow(root) {
            return History::default();
        }
        // Oldest first, so each file's texts come out in the order they were written.
        let asked: Vec<(usize, &str, &str, &Path)> = dates
            .commits()
            .iter()
            .enumerate()
            .rev()
            .flat_map(|(i, c)| {
                c.files
                    .iter()
                    .filter(|f| wanted(f))
                    .map(move |f| (i, c.hash.as_str(), c.date.as_str(), f.as_path()))
            })
            .collect();
        let mut history = History { available: true, texts: HashMap::new() };
        let Ok(blobs) =
            cat_files(root, asked.iter().map(|(_, hash, _, file)| format!("{hash}:./{}", file.display())))
        else {
            return History::default();
        };
        for ((index, hash, date, file), blob) in asked.iter().zip(blobs) {
            // A commit that deleted the file left no text: not a version.
            if let Some(text) = blob {
                history.texts.entry(file.to_path_buf()).or_default().push(Revision {
                    commit: (*hash).to_owned(),
                    commit_index: *index,
                    date: (*date).to_owned(),
                    text,
                });
            }
        }
        history
    }

    /// Whether the content's history could be read at all.
    pub fn available(&self) -> bool {
        self.available
    }

    /// The committed texts of `path` (relative to the root), oldest first.
    pub fn of(&self, path: &Path) -> &[Revision] {
        self.texts.get(path).map_or(&[], Vec::as_slice)
    }
}

fn is_shallow(root: &Path) -> bool {
    Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--is-shallow-repository"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "true")
}

/// The objects named (`commit:./path`), in order: each text, or `None`
/// where the commit has no such file.
fn cat_files(root: &Path, names: impl Iterator<Item = String>) -> std::io::Result<Vec<Option<String>>> {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let names: Vec<String> = names.collect();
    let count = names.len();
    let mut stdin = child.stdin.take().expect("stdin was piped");
    // Written from another thread: git answers as it reads, and a full pipe
    // either way would otherwise wait forever.
    let writer = std::thread::spawn(move || -> std::io::Result<()> {
        for name in names {
            writeln!(stdin, "{name}")?;
        }
        Ok(())
    });
    let mut out = BufReader::new(child.stdout.take().expect("stdout was piped"));
    let mut texts = Vec::with_capacity(count);
    let mut header = String::new();
    for _ in 0..count {
        header.clear();
        out.read_line(&mut header)?;
        // `<oid> blob <size>`, or `<name> missing`.
        let mut fields = header.split_whitespace();
        let (Some(_), Some(kind), Some(size)) = (fields.next(), fields.next(), fields.next()) else {
            texts.push(None);
            continue;
        };
        let size: usize = size.parse().map_err(|_| std::io::Error::other("git cat-file: bad size"))?;
        let mut bytes = vec![0; size + 1];
        out.read_exact(&mut bytes)?;
        bytes.pop();
        texts.push((kind == "blob").then(|| String::from_utf8_lossy(&bytes).into_owned()));
    }
    writer.join().map_err(|_| std::io::Error::other("git cat-file: writer panicked"))??;
    child.wait()?;
    Ok(texts)
}

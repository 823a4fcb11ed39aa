//! The URL lock: the promise that a published URL never breaks.
//!
//! Every successful build records the sorted list of public URLs it produced
//! (the site paths of the pages it plans, redirects and withdrawals included)
//! in `urls.lock` at the site root, which is committed like `Cargo.lock`. A
//! URL in the lock that a build no longer produces fails the build, naming
//! the URL and the likely cause, unless the content says where it went (an
//! alias, which makes a redirect page) or that it was withdrawn on purpose
//! (which makes a page explaining why). With `--locked`, a build also fails
//! when the lock would change, so CI catches a new URL nobody committed.

use std::collections::BTreeSet;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics};

pub const LOCK_FILE: &str = "urls.lock";

const HEADER: &str = "\
# Every public URL this site has published, one per line, sorted.
# Written by `accord build`; commit it. A URL listed here must keep working:
# if its page moves, give the new page `aliases = [\"<old URL>\"]`; if it is
# removed on purpose, add it to content/withdrawn.toml. A URL with a
# paragraph's anchor (#p-…) must keep leading to its words: on the page,
# or in an earlier version of its text.
";

/// What the lock says now, and what it should say after this build.
pub struct LockCheck {
    pub new_contents: String,
    pub changed: bool,
    /// URLs this build publishes that the lock does not list yet.
    pub added: Vec<String>,
}

/// Compares `produced` with the committed lock. Without the content's git
/// history (`history` false: a copy outside git, a shallow clone) a build
/// cannot make the pages of earlier versions; those it keeps in the lock,
/// unbroken, for the next build that has the history to make them again.
pub fn check(
    root: &Path,
    produced: &BTreeSet<String>,
    locked: bool,
    history: bool,
) -> Result<LockCheck, Diagnostics> {
    let path = root.join(LOCK_FILE);
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    let mut diags = Diagnostics::default();
    let mut offset = 0;
    let mut produced = produced.clone();
    for line in old.split_inclusive('\n') {
        let url = line.trim();
        let anchored = url.split_once('#').filter(|(page, _)| !page.is_empty());
        // Without the history, whether an earlier version still has a
        // paragraph's words cannot be known: its anchor is kept, as versions are.
        let unmakeable = !history
            && (matches!(crate::paths::shape(url), crate::paths::Shape::Version { .. })
                || anchored.is_some());
        if unmakeable {
            produced.insert(url.to_owned());
        }
        if !url.is_empty() && !url.starts_with('#') && !produced.contains(url) {
            let start = offset + line.find(url).unwrap_or(0);
            if let Some((page, anchor)) = anchored {
                // A page gone is reported once, at its own line.
                if produced.contains(page) {
                    diags.push(lost_anchor(&old, start..start + url.len(), page, anchor));
                }
                offset += line.len();
                continue;
            }
            diags.push(
                Diagnostic::at(LOCK_FILE, old.as_str(), start..start + url.len(), format!("`{url}` was published but this build no longer produces it"))
                    .with_help(format!(
                        "{} If the page moved, add aliases = [\"{url}\"] to the page that holds it now; if it was removed on purpose, add a [[withdrawn]] entry for it to content/withdrawn.toml.",
                        likely_cause(url)
                    )),
            );
        }
        offset += line.len();
    }
    let new_contents = format!("{HEADER}{}\n", produced.iter().cloned().collect::<Vec<_>>().join("\n"));
    let changed = new_contents != old;
    let old_urls: BTreeSet<&str> =
        old.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect();
    let added: Vec<String> = produced.iter().filter(|u| !old_urls.contains(u.as_str())).cloned().collect();
    if locked && changed && diags.is_empty() {
        diags.push(
            Diagnostic::file(
                LOCK_FILE,
                format!("the build would change urls.lock (new URLs: {})", added.join(", ")),
            )
            .with_help("run accord build without --locked and commit urls.lock"),
        );
    }
    diags.into_result()?;
    Ok(LockCheck { new_contents, changed, added })
}

/// A sentence naming the URLs a build adds to the lock: a new URL is a
/// promise to every reader who cites it, so it is said out loud.
pub fn describe_added(added: &[String]) -> Option<String> {
    const SHOWN: usize = 10;
    let (first, rest) = added.split_at(added.len().min(SHOWN));
    let list = first.join(", ");
    match (first.len(), rest.len()) {
        (0, _) => None,
        (1, _) => Some(format!("1 new URL: {list}")),
        (n, 0) => Some(format!("{n} new URLs: {list}")),
        (_, more) => Some(format!("{} new URLs: {list} and {more} more", added.len())),
    }
}

/// A paragraph anchor that a build would lose: its words are in no text
/// the build makes, so a link cited to it could no longer be sent to them.
fn lost_anchor(old: &str, span: std::ops::Range<usize>, page: &str, anchor: &str) -> Diagnostic {
    Diagnostic::at(
        LOCK_FILE,
        old,
        span,
        format!("the paragraph anchor `#{anchor}` of `{page}` was published, but no text this build makes has its words"),
    )
    .with_help(
        "Its paragraph was reworded or removed before the text that had it was committed, so no version keeps it. \
         Commit that text (each committed text stays on the site as a version), or, if it was never published, \
         delete this line.",
    )
}

/// A guess from the URL's shape at what removed it.
fn likely_cause(url: &str) -> String {
    use crate::paths::Shape;
    match crate::paths::shape(url) {
        Shape::Item { agreement, kinds, number } => format!(
            "Likely cause: the item file for {kinds}/{number} in content/agreements/{agreement}/items/ was deleted or renumbered."
        ),
        Shape::Agreement(agreement) => {
            format!("Likely cause: the folder content/agreements/{agreement}/ was renamed or removed.")
        }
        Shape::Entry { folder, .. } => {
            format!("Likely cause: an entry behind /{folder}/ was renamed or removed (its id changed).")
        }
        Shape::Page(page) => format!("Likely cause: content/pages/{page}.md was renamed or removed."),
        Shape::Version { agreement, item, date } => format!(
            "Likely cause: the content's git history no longer has the text of {} as committed on {date} (rewritten history, or a shallow clone).",
            item.map_or_else(|| format!("content/agreements/{agreement}/"), |(kinds, number)| format!("{kinds}/{number} in content/agreements/{agreement}/items/"))
        ),
        Shape::Other => "Likely cause: the content that produced it was renamed or removed.".to_owned(),
    }
}

/// Writes the new lock beside the content, atomically.
pub fn write(root: &Path, contents: &str) -> Result<(), Diagnostic> {
    let tmp = root.join(format!(".{LOCK_FILE}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, contents).and_then(|_| std::fs::rename(&tmp, root.join(LOCK_FILE))).map_err(|e| {
        Diagnostic::file(LOCK_FILE, format!("cannot write the URL lock: {e}"))
            .with_help("check the site folder is writable")
    })
}

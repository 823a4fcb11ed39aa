//! How the model is serialised: thread-local modes that leave out what a
//! page does not show, give references rather than copies in open data,
//! and stand a digest in for shared text when only a fingerprint is wanted.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::sync::Arc;

use serde::{Serialize, Serializer};

use super::Agreement;

thread_local! {
    /// Whether items are serialised without what only their own page shows (see [`InBrief`]).
    static BRIEF: Cell<bool> = const { Cell::new(false) };
    /// Whether the model is serialised as open data (see [`OpenData`]).
    static OPEN_DATA: Cell<bool> = const { Cell::new(false) };
    /// Whether shared text is serialised as its digest on this thread (see [`with_digests`]).
    static DIGESTING: Cell<bool> = const { Cell::new(false) };
    /// Each shared text's digest, by the text's address. An entry keeps its
    /// text alive, so no other text can take that address while it is here.
    static DIGESTS: RefCell<HashMap<usize, (Arc<str>, u64)>> = RefCell::new(HashMap::new());
}

/// Runs `f` with shared text ([`Item::html`](super::Item::html),
/// [`ItemLink::text`](super::ItemLink::text)…) serialised as a digest of its
/// bytes, each text's computed once on this thread until
/// [`forget_unused_digests`] finds it unused. A page's fingerprint is a hash
/// of its serialised data, and topic pages list nearly every item whole:
/// without digests each item's text would be hashed once a page, not once.
pub fn with_digests<T>(f: impl FnOnce() -> T) -> T {
    with_mode(&DIGESTING, f)
}

/// Runs `f` with one of this thread's serialising modes on, and puts it back as it was after.
fn with_mode<T>(mode: &'static std::thread::LocalKey<Cell<bool>>, f: impl FnOnce() -> T) -> T {
    struct Restore(&'static std::thread::LocalKey<Cell<bool>>, bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            self.0.set(self.1);
        }
    }
    let _restore = Restore(mode, mode.replace(true));
    f()
}

/// Frees the digests [`with_digests`] kept on this thread of texts nothing
/// else holds any more. A text still held (by the site, or by the Markdown
/// kept for the next rebuild) keeps its digest: a rebuild of `accord serve`
/// then hashes only the texts that changed, not all of them again.
pub fn forget_unused_digests() {
    DIGESTS.with_borrow_mut(|digests| digests.retain(|_, (text, _)| Arc::strong_count(text) > 1));
}

/// An agreement as its own page is given it: each item without what only
/// the item's own page shows (its related items, the pages that link to
/// it, its status history and its earlier versions). The agreement's page
/// quotes every item whole but shows none of those lists, so they need not
/// be serialised for its fingerprint nor made into template values.
pub struct InBrief<'a>(pub &'a Agreement);

impl Serialize for InBrief<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        with_mode(&BRIEF, || self.0.serialize(s))
    }
}

pub(super) fn in_brief<T>(_: &T) -> bool {
    BRIEF.get()
}

/// Part of the model as the open data files give it: where one record
/// refers to an item (a topic's items, an item's related items) it gives
/// the item's label, agreement and URL, not its text again, which is in
/// the agreement's `items` and beside the item's own page. A page quotes
/// the items it lists, so templates get the text; a data file that
/// repeated it would be largely copies.
pub struct OpenData<'a, T: ?Sized>(pub &'a T);

impl<T: Serialize + ?Sized> Serialize for OpenData<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        with_mode(&OPEN_DATA, || self.0.serialize(s))
    }
}

pub(super) fn in_open_data<T>(_: &T) -> bool {
    OPEN_DATA.get()
}

/// A section's HTML: as the page shows it, or in open data without each
/// paragraph's self-link (its anchor stays), which only a page can use.
pub(super) fn section_html<S: Serializer>(html: &str, s: S) -> Result<S::Ok, S::Error> {
    if OPEN_DATA.get() {
        s.serialize_str(&crate::markdown::without_paragraph_links(html))
    } else {
        s.serialize_str(html)
    }
}

/// Shared text given to a template as it is (an item's text as a page's
/// description), serialised as [`Item::text`](super::Item::text) is.
pub struct Shared<'a>(pub &'a Arc<str>);

impl Serialize for Shared<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        shared_text(self.0, s)
    }
}

pub(super) fn shared_text<S: Serializer>(text: &Arc<str>, s: S) -> Result<S::Ok, S::Error> {
    if !DIGESTING.get() {
        return s.serialize_str(text);
    }
    let digest = DIGESTS.with_borrow_mut(|digests| {
        let key = Arc::as_ptr(text) as *const u8 as usize;
        digests
            .entry(key)
            .or_insert_with(|| (text.clone(), twox_hash::XxHash3_64::oneshot(text.as_bytes())))
            .1
    });
    s.serialize_u64(digest)
}

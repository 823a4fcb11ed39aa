//! Rendered texts kept from one build to the next, for `accord serve`,
//! which resolves the whole site again on each save: a text whose source,
//! context and page ids would give the same rendering is not rendered again.

use std::sync::{Arc, Mutex};

use super::anchors::IdAsked;
use super::{render, IdSet, MarkdownContext, Rendered};

/// Rendered texts kept from one build to the next: what `accord serve`
/// resolves with, for on each save it resolves the whole site again (see
/// `rebuild`), and rendering Markdown is a large part of that, nearly all
/// of it for texts that had not changed.
///
/// A text is found by a hash of its source and its [`MarkdownContext`],
/// which with the page's ids are all a rendering reads. The ids are
/// checked, not hashed: the questions the rendering asked of the page's
/// [`IdSet`] (claim `overview`, reserve `aims`) are asked again, and the
/// kept rendering is used only if every answer is the same, so a heading's
/// anchor is what rendering afresh would give it. A text not rendered in a
/// build is forgotten at the next [`Cache::end_build`].
#[derive(Default)]
pub struct Cache {
    generations: Mutex<Generations>,
    /// How many renderings were kept rather than made again.
    reused: std::sync::atomic::AtomicUsize,
}

#[derive(Default)]
struct Generations {
    /// Texts rendered (or found) in this build, by a hash already: hashed
    /// again only to place it (quickly, as the lock is held meanwhile).
    current: foldhash::HashMap<u128, Arc<Remembered>>,
    /// Texts of the build before, not yet asked for in this one.
    previous: foldhash::HashMap<u128, Arc<Remembered>>,
}

struct Remembered {
    rendered: Rendered,
    asked: Vec<IdAsked>,
}

impl Cache {
    /// [`render`], or the rendering kept from an earlier build if it would be the same.
    pub fn render(&self, src: &str, cx: &MarkdownContext, ids: &mut IdSet) -> Rendered {
        let key = {
            let mut hash = twox_hash::XxHash3_128::new();
            let links = cx.paragraphs.map_or(["", ""], |l| [l.page, l.part]);
            hash.write(&[cx.paragraphs.is_some() as u8]);
            for part in [src, cx.base_path, links[0], links[1]] {
                hash.write(&(part.len() as u64).to_le_bytes());
                hash.write(part.as_bytes());
            }
            hash.write(&[cx.min_heading_level, cx.raw_html as u8]);
            hash.finish_128()
        };
        let kept = {
            let mut generations = self.generations.lock().unwrap_or_else(|e| e.into_inner());
            let found = generations.previous.remove(&key);
            match found {
                Some(kept) => Some(generations.current.entry(key).or_insert(kept).clone()),
                None => generations.current.get(&key).cloned(),
            }
        };
        if let Some(kept) = kept.filter(|kept| ids.replay(&kept.asked)) {
            self.reused.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            return kept.rendered.clone();
        }
        let outer = ids.log.replace(Vec::new());
        let rendered = render(src, cx, ids);
        let asked = std::mem::replace(&mut ids.log, outer).unwrap_or_default();
        let kept = Arc::new(Remembered { rendered: rendered.clone(), asked });
        self.generations.lock().unwrap_or_else(|e| e.into_inner()).current.insert(key, kept);
        rendered
    }

    /// How many renderings have been kept rather than made again, in every build so far.
    pub fn reused(&self) -> usize {
        self.reused.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Forgets the texts the build that just ended did not render.
    pub fn end_build(&self) {
        let mut generations = self.generations.lock().unwrap_or_else(|e| e.into_inner());
        generations.previous = std::mem::take(&mut generations.current);
    }
}

//! The `@/` links content makes, checked once every page and anchor is
//! known: each must land on a page that exists and an anchor on it.

use super::Resolver;
use crate::load::SourceFile;
use crate::markdown::InternalLink;
use crate::model::Backlink;

/// The `@/` links found while rendering one text, with the file it is in
/// and the page (or place on a page) it appears on, for "Referenced from"
/// lists. One per text, not per link: a large site has hundreds of
/// thousands of links, and each would otherwise copy its text's file name
/// and page.
pub(super) struct LinkSite {
    pub(super) file: SourceFile,
    pub(super) body_start: usize,
    pub(super) links: std::sync::Arc<[InternalLink]>,
    pub(super) from: std::sync::Arc<Backlink>,
}

impl Resolver {
    pub(super) fn check_links(&mut self) {
        for site in std::mem::take(&mut self.links) {
            for link in site.links.iter() {
                if self.check_link(&site, link) {
                    self.resolved_links.push((site.from.clone(), link.path.clone()));
                }
            }
        }
    }

    /// Whether `link` (written in `site`) lands on a page and anchor that
    /// exist; if not, the problem is reported. A link into content that
    /// did not load is neither.
    fn check_link(&mut self, site: &LinkSite, link: &InternalLink) -> bool {
        if self.incomplete.iter().any(|p| link.path.starts_with(p.as_str())) {
            return false;
        }
        let span = site.body_start + link.span.start..site.body_start + link.span.end;
        let Some(anchors) = self.anchors.get(&link.path) else {
            self.diags.push(
                site.file
                    .error(
                        span,
                        format!("link to `@{}`, a page that does not exist", link.path.trim_end_matches('/')),
                    )
                    .with_help(nearest_page_help(&link.path, self.anchors.keys())),
            );
            return false;
        };
        if let Some(anchor) = &link.anchor {
            if !anchors.contains(anchor) {
                let mut known: Vec<_> = anchors.iter().filter(|a| *a != "main-content").cloned().collect();
                known.sort();
                self.diags.push(
                    site.file
                        .error(span, format!("link to `#{anchor}`, which is not an anchor on {}", link.path))
                        .with_help(format!("anchors on that page: {}", known.join(", "))),
                );
                return false;
            }
        }
        true
    }
}

/// Suggests the page whose path shares the longest prefix with a broken one.
pub(super) fn nearest_page_help<'a>(path: &str, pages: impl Iterator<Item = &'a String>) -> String {
    let best = pages.max_by_key(|p| {
        (p.chars().zip(path.chars()).take_while(|(a, b)| a == b).count(), std::cmp::Reverse(p.len()))
    });
    match best {
        Some(p) if p != "/" => {
            format!("check the path; the nearest existing page is @{}", p.trim_end_matches('/'))
        }
        _ => "check the path: internal links look like @/agreements/{agreement}/{kinds}/{number}".to_owned(),
    }
}

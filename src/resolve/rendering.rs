//! Content Markdown rendered for the resolver: each problem reported at
//! its place in the content file, and each `@/` link kept to be checked
//! once every page is known.

use super::links::LinkSite;
use super::Resolver;
use crate::diagnostics::Severity;
use crate::load::{Document, SourceFile};
use crate::markdown::{self, IdSet, MarkdownContext, ParagraphLinks, Rendered};
use crate::model::Backlink;

impl Resolver {
    pub(super) fn cx(&self, min_heading_level: u8) -> MarkdownContext<'_> {
        MarkdownContext {
            base_path: &self.base_path,
            min_heading_level,
            raw_html: self.raw_html,
            paragraphs: None,
        }
    }

    /// Markdown to HTML, kept from the build before where it can be.
    pub(super) fn render_markdown(&self, text: &str, min_heading_level: u8, ids: &mut IdSet) -> Rendered {
        self.render_markdown_in(text, min_heading_level, None, ids)
    }

    /// [`Resolver::render_markdown`], giving each paragraph an anchor and a
    /// self-link when `paragraphs` says where (an agreement's sections).
    pub(super) fn render_markdown_in(
        &self,
        text: &str,
        min_heading_level: u8,
        paragraphs: Option<ParagraphLinks>,
        ids: &mut IdSet,
    ) -> Rendered {
        let cx = MarkdownContext { paragraphs, ..self.cx(min_heading_level) };
        match &self.markdown {
            Some(cache) => cache.render(text, &cx, ids),
            None => markdown::render(text, &cx, ids),
        }
    }

    /// Renders a document's body, keeping its links for checking and reporting its problems.
    pub(super) fn markdown<T>(
        &mut self,
        doc: &Document<T>,
        from: Backlink,
        min_heading_level: u8,
        ids: &mut IdSet,
    ) -> Rendered {
        self.markdown_at(&doc.file, doc.body_start, doc.body(), &from, (min_heading_level, None), ids)
    }

    /// Renders an agreement section's body, each paragraph anchored and
    /// linking in `links`; otherwise as [`Resolver::markdown`].
    pub(super) fn section_markdown<T>(
        &mut self,
        doc: &Document<T>,
        from: Backlink,
        links: ParagraphLinks,
        ids: &mut IdSet,
    ) -> Rendered {
        self.markdown_at(&doc.file, doc.body_start, doc.body(), &from, (3, Some(links)), ids)
    }

    /// Renders Markdown held in a TOML string (a measure, a description, a
    /// figure's sentence…): its problems and links point into the string,
    /// `base` being where the TOML the span counts from starts in the file.
    pub(super) fn markdown_field(
        &mut self,
        file: &SourceFile,
        base: usize,
        text: &toml::Spanned<String>,
        from: &Backlink,
    ) -> Rendered {
        let start = base + string_start(&file.text, base + text.span().start);
        self.markdown_at(file, start, text.get_ref(), from, (7, None), &mut IdSet::default())
    }

    /// [`Resolver::markdown_field`] for a whole TOML file's string that is
    /// part of an agreement's text, its paragraphs anchored on the page `ids` holds.
    pub(super) fn markdown_field_in(
        &mut self,
        file: &SourceFile,
        text: &toml::Spanned<String>,
        from: &Backlink,
        paragraphs: Option<ParagraphLinks>,
        ids: &mut IdSet,
    ) -> Rendered {
        let start = string_start(&file.text, text.span().start);
        self.markdown_at(file, start, text.get_ref(), from, (7, paragraphs), ids)
    }

    /// The one way content Markdown is rendered here: every problem is
    /// reported at its place in `file` (`start` is where the text begins),
    /// and every `@/` link is kept, to be checked once every page is known.
    pub(super) fn markdown_at(
        &mut self,
        file: &SourceFile,
        start: usize,
        text: &str,
        from: &Backlink,
        (min_heading_level, paragraphs): (u8, Option<ParagraphLinks>),
        ids: &mut IdSet,
    ) -> Rendered {
        let rendered = self.render_markdown_in(text, min_heading_level, paragraphs, ids);
        for p in rendered.problems.iter() {
            let d = file
                .error(start + p.span.start..start + p.span.end, p.message.clone())
                .with_help(p.help.clone());
            match p.severity {
                Severity::Error => self.diags.push(d),
                Severity::Warning => self.warnings.push(d.warning()),
            }
        }
        if !rendered.links.is_empty() {
            self.links.push(LinkSite {
                file: file.clone(),
                body_start: start,
                links: rendered.links.clone(),
                from: std::sync::Arc::new(from.clone()),
            });
        }
        rendered
    }
}

/// Where the characters of the TOML string whose value starts at `at`
/// begin: after its opening quotes, and after the line break that TOML
/// drops when a multi-line string opens with one. (Within a string with
/// escapes, later places are only close.)
fn string_start(text: &str, at: usize) -> usize {
    let rest = text.get(at..).unwrap_or_default();
    let quotes = if rest.starts_with("\"\"\"") || rest.starts_with("'''") {
        3
    } else if rest.starts_with('"') || rest.starts_with('\'') {
        1
    } else {
        0
    };
    let after = &rest[quotes..];
    let skip = if quotes == 3 && after.starts_with("\r\n") {
        2
    } else if quotes == 3 && after.starts_with('\n') {
        1
    } else {
        0
    };
    at + quotes + skip
}

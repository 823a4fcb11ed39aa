//! The home page and the free-standing pages of `content/pages/`.

use super::{is_slug, Resolver};
use crate::diagnostics::Diagnostic;
use crate::load::{Document, RawHome, RawPage};
use crate::model::{Backlink, Home, Page, StatementDates};
use crate::paths::{self, PageKind};

impl Resolver {
    pub(super) fn home(&mut self, raw: Option<Document<RawHome>>) -> Home {
        let mut ids = self.template_ids.reserved(PageKind::Fixed(paths::HOME));
        let home = match raw {
            Some(doc) => {
                let from = Backlink { title: "Home".to_owned(), url: self.url("/") };
                let rendered = self.markdown(&doc, from, 2, &mut ids);
                Home { title: doc.front.title, html: rendered.html.to_string() }
            }
            None => Home { title: String::new(), html: String::new() },
        };
        self.anchors.insert("/".to_owned(), ids.into_inner());
        home
    }

    pub(super) fn page(&mut self, doc: Document<RawPage>) -> Option<Page> {
        let slug = doc.stem();
        if !is_slug(&slug) || paths::reserved_slugs().any(|r| r == slug) {
            let reserved: Vec<&str> = paths::reserved_slugs().collect();
            self.diags.push(
                Diagnostic::file(&doc.file.path, format!("`{slug}` cannot be a page's URL"))
                    .with_help(format!(
                        "rename the file using lower-case letters, digits and hyphens, avoiding the site's own names ({})",
                        reserved.join(", ")
                    )),
            );
            return None;
        }
        let mut ids = self.template_ids.reserved(PageKind::Page);
        let path = paths::page(&slug);
        let from = Backlink { title: doc.front.title.clone(), url: self.url(&path) };
        let rendered = self.markdown(&doc, from, 2, &mut ids);
        self.aliases(
            &doc.file,
            doc.front_start,
            &doc.front.aliases,
            self.url(&path).as_str(),
            &doc.front.title,
        );
        self.anchors.insert(path.clone(), ids.into_inner());
        if !doc.front.later.is_empty() {
            self.later.push((path.clone(), doc.file.clone(), doc.front_start, doc.front.later.clone()));
        }
        Some(Page {
            copy_of: doc.front.copy_of,
            contradicted: Vec::new(),
            statement: doc.front.accessibility_statement.then(|| StatementDates {
                prepared: self.dates.first(&doc.file).unwrap_or_default(),
                reviewed: self.date(&doc.file).unwrap_or_default(),
            }),
            url: self.url(&path),
            slug,
            title: doc.front.title,
            description: doc.front.description,
            source: doc.front.source,
            html: rendered.html.to_string(),
            text: rendered.text.to_string(),
            has_code: rendered.has_code,
            updated: self.date(&doc.file),
            source_file: doc.file.path.clone(),
        })
    }
}

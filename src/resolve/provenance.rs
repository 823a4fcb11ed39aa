//! Where the text comes from: each agreement's source document and every
//! repair made in transcribing it (data in the content, shown on its page),
//! and, for context pages (copies of web pages), where an agreement later
//! says otherwise. Quotes on both sides are checked word for word.

use super::Resolver;
use crate::load::{RawSource, SourceFile};
use crate::markdown::InternalLink;
use crate::model::*;
use crate::paths;

impl Resolver {
    /// An agreement's `[source]`, each repair's place kept as a link to check.
    pub(super) fn provenance(&mut self, file: &SourceFile, raw: RawSource, page: &Backlink) -> Provenance {
        let repairs = raw
            .repair
            .into_iter()
            .map(|r| {
                let place = r.place.and_then(|place| {
                    let (path, anchor) = match place.get_ref().split_once('#') {
                        Some((p, a)) => (p.to_owned(), Some(a.to_owned())),
                        None => (place.get_ref().clone(), None),
                    };
                    let Some(site_path) = paths::from_reference(&path) else {
                        self.diags.push(
                            file.error(place.span(), format!("`{}` is not an @/ path", place.get_ref()))
                                .with_help("write where = \"@/agreements/{agreement}#{section}\""),
                        );
                        return None;
                    };
                    let url = self.url(&match &anchor {
                        Some(a) => paths::at(&site_path, a),
                        None => site_path.clone(),
                    });
                    let link = InternalLink { path: site_path, anchor, span: place.span() };
                    self.links.push(super::LinkSite {
                        file: file.clone(),
                        body_start: 0,
                        links: std::sync::Arc::new([link]),
                        from: std::sync::Arc::new(page.clone()),
                    });
                    Some(Backlink { title: place.into_inner(), url })
                });
                Repair { what: r.what, place }
            })
            .collect();
        let url = raw.url.and_then(|url| {
            let ok = ["https://", "http://"]
                .iter()
                .any(|scheme| url.get_ref().strip_prefix(scheme).is_some_and(|rest| !rest.is_empty()));
            if !ok {
                self.diags.push(
                    file.error(url.span(), "source.url must be an absolute http or https URL").with_help(
                        "write url = \"https://www.gov.uk/…\", the address the partners publish it at",
                    ),
                );
            }
            ok.then(|| url.into_inner())
        });
        let published = raw.published.and_then(|date| {
            let text = date.get_ref().to_string();
            let ok = date.get_ref().time.is_none() && crate::load::is_iso_date(&text);
            if !ok {
                self.diags.push(
                    file.error(date.span(), "source.published must be a date alone")
                        .with_help("write published = 2022-03-01 (no quotes, no time)"),
                );
            }
            ok.then_some(text)
        });
        if url.is_none() {
            // At the table the key belongs in.
            let at = file.text.find("[source]").map_or(0..0, |start| start..start + "[source]".len());
            self.warnings.push(
                file.error(
                    at,
                    "no source.url: readers are not shown where the partners publish this agreement",
                )
                .with_help("add url = \"https://…\" under [source], the address of the published document")
                .warning(),
            );
        }
        Provenance {
            document: raw.document,
            transcribed_from: raw.transcribed_from,
            url,
            published_long: published.as_deref().map(crate::load::long_date),
            published,
            repairs,
        }
    }

    /// Checks every context page's `[[later]]` against the page and the
    /// agreement it names, and attaches what holds to the page.
    pub(super) fn contradictions(&mut self, pages: &mut [Page], agreements: &[Agreement]) {
        for (path, file, offset, entries) in std::mem::take(&mut self.later) {
            let span = |s: &toml::Spanned<String>| offset + s.span().start..offset + s.span().end;
            let Some(page) = pages.iter_mut().find(|p| paths::page(&p.slug) == path) else { continue };
            let page_text = super::governance::normalise(&page.text);
            for entry in entries {
                if !page_text.contains(&super::governance::normalise(entry.says.get_ref())) {
                    self.diags.push(
                        file.error(
                            span(&entry.says),
                            format!("“{}” is not in this page's text", entry.says.get_ref()),
                        )
                        .with_help("copy the page's words exactly"),
                    );
                    continue;
                }
                let Some(target) = paths::from_reference(entry.agreement.get_ref()) else {
                    self.diags.push(
                        file.error(span(&entry.agreement), format!("`{}` is not an @/ path", entry.agreement.get_ref()))
                            .with_help("name the agreement or item that says otherwise, e.g. \"@/agreements/prisons-probation-2022-2025\""),
                    );
                    continue;
                };
                let Some((title, text)) = super::glossary::page_text(&target, agreements, &[]) else {
                    self.unknown(
                        super::DefinedIn::Page(&target),
                        file.error(
                            span(&entry.agreement),
                            format!("no agreement or item `{}`", entry.agreement.get_ref()),
                        )
                        .with_help("name an agreement or an item of one"),
                    );
                    continue;
                };
                if let Some(words) = &entry.agreement_says {
                    if !text.contains(&super::governance::normalise(words.get_ref())) {
                        self.diags.push(
                            file.error(
                                span(words),
                                format!("“{}” is not in the text of {title}", words.get_ref()),
                            )
                            .with_help("copy the agreement's words exactly"),
                        );
                        continue;
                    }
                } else if entry.note.is_none() {
                    self.diags.push(
                        file.error(span(&entry.agreement), "say how the agreement contradicts the page: quote it (agreement_says) or explain (note)")
                            .with_help("add agreement_says = \"its words\", or note = \"the editors' explanation\""),
                    );
                    continue;
                }
                page.contradicted.push(Contradiction {
                    says: entry.says.into_inner(),
                    agreement: Backlink { title, url: self.url(&target) },
                    agreement_says: entry.agreement_says.map(toml::Spanned::into_inner),
                    note: entry.note.map(Editorial::new),
                });
            }
        }
    }
}

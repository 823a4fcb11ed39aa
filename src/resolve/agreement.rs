//! One agreement's folder to its resolved [`Agreement`]: the agreement's
//! own settings checked, its items numbered and its sections listing them,
//! every id on its page reserved before any heading claims one, and its
//! sections and items rendered in document order.

use std::collections::{BTreeMap, HashMap};

use super::{is_slug, DefinedIn, Registries, Resolver};
use crate::diagnostics::Diagnostic;
use crate::load::{
    Document, Kind, RawAgreement, RawAgreementDir, RawExtension, RawItem, RawMention, RawScrutiny,
    RawSection, SourceFile,
};
use crate::markdown::{IdSet, ParagraphLinks};
use crate::model::*;
use crate::paths::{self, PageKind};
use crate::paths::{item_anchor, measure_anchor, measures_anchor};

/// Where an item sits: what its URL, title and "in section" link are made of.
#[derive(Clone, Copy)]
struct ItemPlace<'a> {
    slug: &'a str,
    agreement_path: &'a str,
    short_title: &'a str,
    section_id: &'a str,
    section_title: &'a str,
    /// What its first text is called ("as published (2022 to 2025)").
    as_published: &'a str,
}

/// An agreement's sections and items as rendered, and whether any holds code.
struct Text {
    sections: Vec<Section>,
    items: Vec<Item>,
    has_code: bool,
}

impl Resolver {
    pub(super) fn agreement(&mut self, raw: RawAgreementDir, parties: &Registries) -> Option<Agreement> {
        let RawAgreementDir { slug, file, meta, sections, items, scrutiny, governance, incomplete } = raw;
        // The items' own dates join these once the items are resolved.
        let files_updated = std::iter::once(&file)
            .chain(sections.iter().map(|d| &d.file))
            .chain(scrutiny.iter().map(|(f, _)| f))
            .chain(governance.iter().map(|(f, _)| f))
            .filter_map(|f| self.date(f))
            .max();
        if !is_slug(&slug) {
            self.diags.push(
                Diagnostic::file(&file.path, format!("agreement folder name `{slug}` cannot be a URL"))
                    .with_help(
                        "rename the folder using lower-case letters, digits and hyphens, e.g. irc-2022-2025",
                    ),
            );
            return None;
        }
        let partners = self.check_settings(&file, &meta, parties.orgs);
        let signatories = self.signatories(&file, meta.signatories, parties.people, parties.orgs);
        let page = Backlink { title: meta.short_title.clone(), url: self.url(&paths::agreement(&slug)) };
        let provenance = meta.source.map(|source| self.provenance(&file, source, &page));
        self.aliases(&file, 0, &meta.aliases, self.url(&paths::agreement(&slug)).as_str(), &meta.short_title);
        if let Some(successor) = meta.superseded_by {
            self.lineage.push((slug.clone(), file.clone(), successor));
        }

        let path = paths::agreement(&slug);
        if incomplete {
            self.incomplete.push(path.clone());
        }
        let items = self.check_items(items);
        let sections = self.check_sections(sections, &items, incomplete);
        let mut ids = self.agreement_ids(&sections, &items);
        let page = Backlink { title: meta.short_title.clone(), url: self.url(&path) };
        let (scrutiny, mentions) =
            self.agreement_scrutiny(&file, scrutiny, &sections, parties, &page, &mut ids);
        let as_published = super::versions::as_published(
            Period { start: meta.period.get_ref().start, end: meta.period.get_ref().end },
            provenance.as_ref().and_then(|p| p.published.as_deref()),
        );
        // Where the agreement's items sit, but for their section, set as each section is rendered.
        let place = ItemPlace {
            slug: &slug,
            agreement_path: &path,
            short_title: &meta.short_title,
            section_id: "",
            section_title: "",
            as_published: &as_published,
        };
        let mut text = self.text(place, sections, &items, &mut ids);
        // Quotes are checked against the text only when all of it loaded: a
        // section with a typo in its front matter must not also fail every quote in it.
        let (governance, mentions) = if incomplete { (None, None) } else { (governance, mentions) };
        let governance = self.governance(governance, (&text.sections, &text.items), parties.orgs, &mut ids);
        if let Some((file, mentions)) = mentions {
            self.mentions(&file, mentions, &mut text.items, parties.bodies);
        }
        self.anchors.insert(path.clone(), ids.into_inner());
        let updated =
            files_updated.into_iter().chain(text.items.iter().filter_map(|i| i.updated.clone())).max();

        Some(
            Agreement {
                url: self.url(&path),
                path,
                slug,
                period: Period { start: meta.period.get_ref().start, end: meta.period.get_ref().end },
                title: meta.title,
                short_title: meta.short_title,
                reference: meta.reference,
                currency: pending_currency(meta.extension),
                weight: meta.weight.unwrap_or(i64::MAX),
                partners,
                signatories,
                scrutiny,
                governance,
                superseded_by: None,
                earlier: Vec::new(),
                provenance,
                updated,
                figures: Vec::new(),
                latest_update: None,
                source_file: file.path.parent().map(std::path::Path::to_path_buf).unwrap_or_default(),
                sections: text.sections,
                items: text.items,
                versions: Vec::new(),
                moved_paragraphs: Vec::new(),
                as_at: TextAsAt::default(),
                has_code: text.has_code,
            }
            .with_versions(self),
        )
    }

    /// Checks the agreement's period, status and extension, and returns its
    /// partners, each a known organisation.
    fn check_settings(&mut self, file: &SourceFile, meta: &RawAgreement, orgs: &[OrgLink]) -> Vec<OrgLink> {
        let period = *meta.period.get_ref();
        if period.start > period.end {
            self.diags.push(
                file.error(meta.period.span(), "the period ends before it starts")
                    .with_help("write period = { start = 2022, end = 2025 } with start no later than end"),
            );
        }
        let partners = meta
            .partners
            .iter()
            .filter_map(|p| match orgs.iter().find(|o| &o.id == p.get_ref()) {
                Some(org) => Some(org.clone()),
                None => {
                    self.unknown(
                        DefinedIn::List("organisations.toml"),
                        file.error(p.span(), format!("unknown partner `{}`", p.get_ref()))
                            .with_help("partners are ids of [[organisation]] entries in content/organisations.toml; add it there or fix the id"),
                    );
                    None
                }
            })
            .collect();
        if let Some(status) = &meta.status {
            self.warnings.push(
                file.error(status.span(), "`status` is no longer read")
                    .with_help("whether an agreement is current is worked out from its period, superseded_by and extension; remove this line")
                    .warning(),
            );
        }
        if let Some(ext) = &meta.extension {
            if ext.end <= period.end || ext.quote.trim().is_empty() || ext.source.trim().is_empty() {
                self.diags.push(
                    file.error(meta.period.span(), "an extension needs a later end year, its source and its words quoted")
                        .with_help("write extension = { end = 2026, source = \"the document that extends it\", quote = \"its words, exactly\" }"),
                );
            }
        }
        partners
    }

    /// Every id on the agreement page, reserved before any Markdown heading claims one.
    fn agreement_ids(
        &self,
        sections: &[(String, Document<RawSection>)],
        items: &BTreeMap<(Kind, u32), Document<RawItem>>,
    ) -> IdSet {
        let mut ids = self.template_ids.reserved(PageKind::Agreement);
        for (id, _) in sections {
            ids.reserve(id);
        }
        for ((kind, number), doc) in items {
            ids.reserve(&item_anchor(*kind, *number));
            for m in 1..=measure_count(doc) {
                ids.reserve(&measure_anchor(*kind, *number, m));
            }
            ids.reserve(&measures_anchor(*kind, *number));
        }
        ids
    }

    /// The agreement's scrutiny descriptions, checked to be listed by one
    /// section, and its mentions, kept until the items they are in are rendered.
    fn agreement_scrutiny(
        &mut self,
        file: &SourceFile,
        scrutiny: Option<(SourceFile, RawScrutiny)>,
        sections: &[(String, Document<RawSection>)],
        parties: &Registries,
        page: &Backlink,
        ids: &mut IdSet,
    ) -> (Vec<Scrutiny>, Option<(SourceFile, Vec<RawMention>)>) {
        // Mentions need the rendered items; descriptions are listed by a section.
        let (scrutiny, mentions) = match scrutiny {
            Some((f, mut raw)) => {
                let mentions = std::mem::take(&mut raw.mention);
                (Some((f.clone(), raw)), Some((f, mentions)))
            }
            None => (None, None),
        };
        let scrutiny_file =
            scrutiny.as_ref().filter(|(_, raw)| !raw.description.is_empty()).map(|(f, _)| f.path.clone());
        let scrutiny = self.scrutiny(scrutiny, parties.bodies, page, ids);
        let listed = sections.iter().filter(|(_, d)| d.front.scrutiny).count();
        match (scrutiny_file, listed) {
            (Some(path), 0) => self.diags.push(
                Diagnostic::file(path, "no section lists this agreement's scrutiny descriptions")
                    .with_help("add scrutiny = true to the front matter of the section they belong in"),
            ),
            (None, n) if n > 0 => self.diags.push(
                Diagnostic::file(
                    &file.path,
                    "a section sets scrutiny = true but the agreement has no scrutiny.toml",
                )
                .with_help("add scrutiny.toml beside agreement.toml, or remove scrutiny = true"),
            ),
            (_, n) if n > 1 => self.diags.push(
                Diagnostic::file(&file.path, "more than one section sets scrutiny = true")
                    .with_help("list the scrutiny descriptions in one section only"),
            ),
            _ => {}
        }
        (scrutiny, mentions)
    }

    /// The agreement's sections rendered in document order, each followed
    /// by the items it lists.
    fn text(
        &mut self,
        agreement: ItemPlace,
        sections: Vec<(String, Document<RawSection>)>,
        items: &BTreeMap<(Kind, u32), Document<RawItem>>,
        ids: &mut IdSet,
    ) -> Text {
        let mut text = Text { sections: Vec::new(), items: Vec::new(), has_code: false };
        for (id, doc) in sections {
            let from = Backlink {
                title: format!("{} · {}", agreement.short_title, doc.front.title),
                url: self.url(agreement.agreement_path).at(&id),
            };
            let page = self.url(agreement.agreement_path).to_string();
            let links = ParagraphLinks { page: &page, part: &doc.front.title };
            let rendered = self.section_markdown(&doc, from, links, ids);
            text.has_code |= rendered.has_code;
            let kind = doc.front.items.as_ref().map(|k| *k.get_ref());
            if let Some(kind) = kind {
                let place = ItemPlace { section_id: &id, section_title: &doc.front.title, ..agreement };
                for ((_, number), item_doc) in items.range((kind, 0)..=(kind, u32::MAX)) {
                    let item = self.item(&place, kind, *number, item_doc, ids);
                    text.has_code |= item.1;
                    text.items.push(item.0);
                }
            }
            let leftovers = self.leftovers(&doc, &rendered.text);
            text.sections.push(Section {
                leftovers,
                id,
                title: doc.front.title,
                html: rendered.html.to_string(),
                text: rendered.text.to_string(),
                paragraphs: rendered.paragraphs.to_vec(),
                items: kind,
                scrutiny: doc.front.scrutiny,
                topics: self.topic_refs(&doc.file, doc.front_start, &doc.front.topics),
                source_file: doc.file.path.clone(),
            });
        }
        text
    }

    /// A section's `[[leftover]]` notes, each checked to quote the section's
    /// own words (`text`, as rendered), so a note never explains words the
    /// page does not have.
    fn leftovers(&mut self, doc: &Document<RawSection>, text: &str) -> Vec<crate::model::Leftover> {
        let words = super::governance::normalise(text);
        let mut out = Vec::new();
        for leftover in &doc.front.leftover {
            if !words.contains(&super::governance::normalise(leftover.says.get_ref())) {
                self.diags.push(
                    doc.front_error(
                        leftover.says.span(),
                        format!("the section does not say \"{}\"", leftover.says.get_ref()),
                    )
                    .with_help("quote the section's words exactly as the page shows them, without Markdown"),
                );
                continue;
            }
            out.push(crate::model::Leftover {
                says: leftover.says.get_ref().clone(),
                note: crate::model::Editorial::new(leftover.note.clone()),
            });
        }
        out
    }

    /// Items keyed by (kind, number); duplicates and bad numbers reported.
    fn check_items(&mut self, items: Vec<Document<RawItem>>) -> BTreeMap<(Kind, u32), Document<RawItem>> {
        let mut by_key: BTreeMap<(Kind, u32), Document<RawItem>> = BTreeMap::new();
        for doc in items {
            let kind = *doc.front.kind.get_ref();
            let number_span = doc.front.number.span();
            let number = match u32::try_from(*doc.front.number.get_ref()) {
                Ok(n) if n >= 1 => n,
                _ => {
                    self.diags.push(
                        doc.front_error(number_span, "an item number must be a whole number from 1")
                            .with_help("number items as the document does: 1, 2, 3…"),
                    );
                    continue;
                }
            };
            if let Some(measures) = &doc.front.measures {
                if kind != Kind::Principle {
                    self.diags.push(
                        doc.front_error(
                            measures.span(),
                            format!("a {} cannot have demonstrable measures", kind.id()),
                        )
                        .with_help(
                            "only principles have [[measures]]; remove them or set kind = \"principle\"",
                        ),
                    );
                }
            }
            if let Some(first) = by_key.get(&(kind, number)) {
                self.diags.push(
                    doc.front_error(number_span, format!("{} {number} is defined twice", kind.label()))
                        .with_help(format!(
                            "{} already defines {} {number}; change this number or remove one of the files",
                            first.file.path.display(),
                            kind.id()
                        )),
                );
                continue;
            }
            by_key.insert((kind, number), doc);
        }
        by_key
    }

    /// Sections with their resolved ids; checks that each kind of item is listed exactly once.
    fn check_sections(
        &mut self,
        sections: Vec<Document<RawSection>>,
        items: &BTreeMap<(Kind, u32), Document<RawItem>>,
        incomplete: bool,
    ) -> Vec<(String, Document<RawSection>)> {
        let mut seen_ids: HashMap<String, std::path::PathBuf> = HashMap::new();
        let mut listed: HashMap<Kind, std::path::PathBuf> = HashMap::new();
        let mut out = Vec::new();
        for doc in sections {
            let id = match &doc.front.id {
                Some(id) => id.get_ref().clone(),
                None => doc
                    .stem()
                    .trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_')
                    .to_owned(),
            };
            let id_span = doc.front.id.as_ref().map(|i| i.span());
            let at = |span: Option<std::ops::Range<usize>>| match span {
                Some(s) => doc.front_error(s, ""),
                None => Diagnostic::file(&doc.file.path, ""),
            };
            if !is_slug(&id)
                || crate::paths::is_item_anchor_shaped(&id)
                || self.template_ids.contains(PageKind::Agreement, &id)
            {
                let mut d = at(id_span.clone());
                d.message = format!("`{id}` cannot be a section id");
                self.diags.push(d.with_help(
                    "set id = \"…\" using lower-case letters, digits and hyphens, not starting with an item kind",
                ));
                continue;
            }
            if let Some(other) = seen_ids.insert(id.clone(), doc.file.path.clone()) {
                let mut d = at(id_span);
                d.message = format!("section id `{id}` is used twice");
                self.diags.push(
                    d.with_help(format!("{} has the same id; give one of them id = \"…\"", other.display())),
                );
                continue;
            }
            if let Some(kind) = &doc.front.items {
                let k = *kind.get_ref();
                if let Some(other) = listed.insert(k, doc.file.path.clone()) {
                    self.diags.push(
                        doc.front_error(kind.span(), format!("{} are listed by two sections", k.plural()))
                            .with_help(format!(
                                "{} lists them already; remove `items` from one",
                                other.display()
                            )),
                    );
                } else if !incomplete && !items.keys().any(|(ik, _)| *ik == k) {
                    self.diags.push(
                        doc.front_error(
                            kind.span(),
                            format!("this section lists {} but the agreement has none", k.plural()),
                        )
                        .with_help(format!("add items/{}-1.md or remove `items`", k.id())),
                    );
                }
            }
            out.push((id, doc));
        }
        for k in Kind::ALL.into_iter().filter(|_| !incomplete) {
            if let (Some(((_, n), doc)), false) =
                (items.range((k, 0)..=(k, u32::MAX)).next(), listed.contains_key(&k))
            {
                self.diags.push(
                    doc.front_error(
                        doc.front.kind.span(),
                        format!("no section lists the agreement's {}", k.plural()),
                    )
                    .with_help(format!(
                        "add items = \"{}\" to the front matter of the section where {} {n} appears",
                        k.id(),
                        k.plural()
                    )),
                );
            }
        }
        out
    }

    fn item(
        &mut self,
        place: &ItemPlace,
        kind: Kind,
        number: u32,
        doc: &Document<RawItem>,
        ids: &mut IdSet,
    ) -> (Item, bool) {
        let path = paths::item(place.slug, kind, number);
        let label = format!("{} {number}", kind.label());
        let from = Backlink { title: format!("{} · {label}", place.short_title), url: self.url(&path) };
        let rendered = self.markdown(doc, from.clone(), 4, ids);
        let mut has_code = rendered.has_code;
        let mut page_ids = self.template_ids.of(PageKind::Item);
        page_ids.extend(rendered.headings.iter().map(|h| h.id.clone()));
        let measures = doc
            .front
            .measures
            .iter()
            .flat_map(|m| m.get_ref().iter())
            .zip(1..)
            .map(|(m, n)| {
                let rendered = self.markdown_field(&doc.file, doc.front_start, &m.text, &from);
                has_code |= rendered.has_code;
                let anchor = measure_anchor(kind, number, n);
                page_ids.insert(anchor.clone());
                Measure {
                    number: n,
                    anchor,
                    html: rendered.html.to_string(),
                    text: rendered.text.to_string(),
                }
            })
            .collect();
        let anchor = item_anchor(kind, number);
        self.anchors.insert(path.clone(), page_ids);
        let topics = self.item_topics(doc);
        let title = format!("{label} · {}", place.short_title);
        self.aliases(&doc.file, doc.front_start, &doc.front.aliases, self.url(&path).as_str(), &title);
        let (versions, as_at) = self.versions(&path, (kind, number), doc, place.as_published);
        self.item_relations(doc, &path);
        let item = Item {
            kind,
            number,
            label,
            url: self.url(&path),
            path,
            in_agreement_url: self.url(place.agreement_path).at(&anchor),
            anchor,
            section_id: place.section_id.to_owned(),
            section_title: place.section_title.to_owned(),
            html: rendered.html,
            opening: crate::model::opening_words(&rendered.text).into(),
            text: rendered.text,
            topics,
            measures,
            related: Vec::new(),
            referenced_from: Vec::new(),
            figures: Vec::new(),
            history: Vec::new(),
            mentions: Vec::new(),
            updated: self.date(&doc.file),
            versions,
            as_at,
            source_file: doc.file.path.clone(),
        };
        (item, has_code)
    }
}

/// An agreement's currency until what replaced it is known (worked out in
/// `resolve`), with the extension it records.
fn pending_currency(extension: Option<RawExtension>) -> Currency {
    Currency {
        state: "current",
        label: String::new(),
        sentence: String::new(),
        covers: String::new(),
        then: String::new(),
        detail: String::new(),
        extension: extension.map(|e| Extension { end: e.end, source: e.source, quote: e.quote }),
    }
}

fn measure_count(doc: &Document<RawItem>) -> u32 {
    doc.front.measures.as_ref().map_or(0, |m| m.get_ref().len() as u32)
}

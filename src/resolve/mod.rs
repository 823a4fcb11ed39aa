//! Raw files to the resolved [`Site`], checking everything that needs more
//! than one file to check.
//!
//! In: the [`RawSite`] from `load`. Out: a [`Site`] whose items are numbered
//! uniquely, whose partners exist, whose Markdown is rendered and whose `@/`
//! links all land on a page and anchor that exist — or every problem found.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::load::{Document, Kind, RawAgreementDir, RawItem, RawPage, RawSection, RawSite, SourceFile};
use crate::markdown::{self, IdSet, InternalLink, MarkdownContext, Rendered};
use crate::model::*;
use crate::paths::{self, PageKind};

/// The ids the theme's templates put on each kind of page, whatever its
/// content (`main-content`, `cite-this`, `progress`…): read from the
/// templates themselves (see `render::theme`), so a section or heading can
/// never take one, and a link to one (`@/…#cite-this`) is checked against
/// the page as it will be.
#[derive(Debug, Clone, Default)]
pub struct TemplateIds(HashMap<PageKind, HashSet<String>>);

impl TemplateIds {
    pub fn new(ids: HashMap<PageKind, HashSet<String>>) -> TemplateIds {
        TemplateIds(ids)
    }

    /// The ids every page of `kind` has.
    pub fn of(&self, kind: PageKind) -> HashSet<String> {
        self.0.get(&kind).cloned().unwrap_or_default()
    }

    fn contains(&self, kind: PageKind, id: &str) -> bool {
        self.0.get(&kind).is_some_and(|ids| ids.contains(id))
    }

    /// An id set for a page of `kind`, its template ids reserved.
    fn reserved(&self, kind: PageKind) -> IdSet {
        let mut ids = IdSet::default();
        for id in self.0.get(&kind).into_iter().flatten() {
            ids.reserve(id);
        }
        ids
    }
}

mod crossref;
pub mod figures;
mod glossary;
mod governance;
mod history;
mod lineage;
mod parties;
mod provenance;
mod topics;
mod versions;

/// The `@/` links found while rendering one text, with the file it is in
/// and the page (or place on a page) it appears on, for "Referenced from"
/// lists. One per text, not per link: a large site has hundreds of
/// thousands of links, and each would otherwise copy its text's file name
/// and page.
struct LinkSite {
    file: SourceFile,
    body_start: usize,
    links: std::sync::Arc<[InternalLink]>,
    from: std::sync::Arc<Backlink>,
}

/// A `related = [...]` entry, checked once every item is known.
struct RelationSite {
    file: SourceFile,
    span: std::ops::Range<usize>,
    from: String,
    to: String,
}

#[derive(Default)]
struct Resolver {
    diags: Diagnostics,
    /// Problems the build reports and goes on past (raw HTML shown as text, say).
    warnings: Diagnostics,
    links: Vec<LinkSite>,
    /// Every page's site path and the anchors on it.
    anchors: foldhash::HashMap<String, HashSet<String>>,
    base_path: String,
    /// Paths of agreements with files that failed to load; links into them are not checked.
    incomplete: Vec<String>,
    /// Topics by id, for checking the ids items are tagged with.
    topics: HashMap<String, TopicRef>,
    relations: Vec<RelationSite>,
    /// Internal links that resolved: (where the link is, site path it points to).
    resolved_links: Vec<(std::sync::Arc<Backlink>, String)>,
    redirects: Vec<Redirect>,
    /// Shared with the resolvers of single agreements: a large site's git history names thousands of files.
    dates: std::sync::Arc<crate::load::Dates>,
    root: std::path::PathBuf,
    /// `superseded_by` entries, checked once every agreement is known: (agreement, file, value).
    lineage: Vec<(String, SourceFile, toml::Spanned<String>)>,
    raw_html: crate::config::RawHtml,
    /// What failed to load: references to it are not reported again.
    unloaded: std::sync::Arc<crate::load::Unloaded>,
    template_ids: std::sync::Arc<TemplateIds>,
    /// Context pages' `[[later]]` entries, checked once the agreements are known:
    /// (page's site path, its file, where its front matter starts, entries).
    later: Vec<(String, SourceFile, usize, Vec<crate::load::RawLater>)>,
    /// Renderings kept from the build before (`accord serve`); none in `accord build`.
    markdown: Option<std::sync::Arc<markdown::Cache>>,
}

/// Where the thing a reference names would be defined.
enum DefinedIn<'a> {
    /// A list under `content/` (`organisations.toml`).
    List(&'static str),
    /// The content of a page, by its site path (`/agreements/x/`).
    Page(&'a str),
}

/// Resolves `raw`, rendering its Markdown with `markdown` if given (and
/// ending that cache's build when done).
pub fn resolve(
    config: Config,
    raw: RawSite,
    template_ids: &TemplateIds,
    markdown: Option<&std::sync::Arc<markdown::Cache>>,
) -> Result<Site, Diagnostics> {
    let site = resolve_site(config, raw, template_ids, markdown);
    if let Some(cache) = markdown {
        cache.end_build();
    }
    site
}

fn resolve_site(
    config: Config,
    raw: RawSite,
    template_ids: &TemplateIds,
    markdown: Option<&std::sync::Arc<markdown::Cache>>,
) -> Result<Site, Diagnostics> {
    let mut r = Resolver {
        markdown: markdown.cloned(),
        warnings: config.warnings.iter().cloned().collect(),
        template_ids: std::sync::Arc::new(template_ids.clone()),
        base_path: config.base_path.clone(),
        dates: std::sync::Arc::new(raw.dates.clone()),
        root: raw.root.clone(),
        raw_html: config.raw_html,
        incomplete: raw.unloaded.paths.clone(),
        unloaded: std::sync::Arc::new(raw.unloaded.clone()),
        ..Default::default()
    };
    let orgs = r.organisations(raw.organisations);
    let people = r.people(raw.people);
    let bodies = r.bodies(raw.bodies);
    let topic_defs = r.topics(raw.topics, raw.areas);
    let home = r.home(raw.home);
    let mut pages: Vec<Page> = raw.pages.into_iter().filter_map(|p| r.page(p)).collect();
    let parties = Registries { orgs: &orgs.links, people: &people, bodies: &bodies };
    // Agreements need nothing of each other until cross-referencing: each is
    // resolved on its own, on every core, and what each found joins the rest.
    let resolved: Vec<(Option<Agreement>, Resolver)> = raw
        .agreements
        .into_par_iter()
        .map(|a| {
            let mut own = r.for_agreement();
            (own.agreement(a, &parties), own)
        })
        .collect();
    let mut agreements = Vec::with_capacity(resolved.len());
    for (agreement, own) in resolved {
        r.absorb(own);
        agreements.extend(agreement);
    }
    agreements.sort_by(|a, b| (a.weight, &a.slug).cmp(&(b.weight, &b.slug)));
    let orgs_for_figures = orgs.links.clone();
    let parties = r.parties(orgs, people, bodies, &agreements);
    let as_at = raw.dates.as_at();
    let records = r.records(raw.records, &agreements, &as_at);
    for (slug, file, successor) in std::mem::take(&mut r.lineage) {
        let link = r.successor(&file, &successor, &agreements);
        if let Some(a) = agreements.iter_mut().find(|a| a.slug == slug) {
            a.superseded_by = link;
        }
    }
    for a in &mut agreements {
        a.currency =
            lineage::currency(a.period, a.superseded_by.as_ref(), a.currency.extension.as_ref(), &as_at);
        a.earlier = lineage::lineage(&records, &a.slug);
    }
    let so_far = figures::SiteSoFar::new(&agreements, &pages, &orgs_for_figures);
    let figures = r.figures(raw.figures, &so_far);
    let updates = r.updates(raw.updates, &so_far);
    let glossary = r.glossary(raw.glossary, &agreements, &pages);
    r.contradictions(&mut pages, &agreements);
    let has = paths::Has {
        topics: !topic_defs.is_empty(),
        people: !parties.people.is_empty(),
        organisations: !parties.organisations.is_empty(),
        scrutiny_bodies: !parties.bodies.is_empty(),
        figures: !figures.is_empty(),
        updates: !updates.is_empty(),
        glossary: !glossary.terms.is_empty(),
    };
    for path in paths::fixed(&has) {
        let ids = r.template_ids.of(PageKind::Fixed(path));
        r.anchors.entry(path.to_owned()).or_default().extend(ids);
    }
    // Every page and anchor is known now, and every text rendered: each
    // `@/` link, wherever it was written, is checked against them.
    r.check_links();
    let withdrawn = r.withdrawn(raw.withdrawn);
    let relations = r.check_relations(&agreements);
    let topics =
        crossref::cross_reference(&mut agreements, &topic_defs, &figures, &relations, &r.resolved_links);
    figures::attach(&mut agreements, &figures, &updates);
    let redirects = std::mem::take(&mut r.redirects);
    let changes = history::changes(raw.dates.commits(), &agreements, &pages, &has, &r.base_path);
    let (diags, warnings) = (std::mem::take(&mut r.diags), std::mem::take(&mut r.warnings));
    // What is left is freed on another core, not waited for: at 10,000
    // pages it holds some 680,000 links, each with where it was written.
    rayon::spawn(move || drop(r));
    diags.into_result()?;
    Ok(Site {
        history: raw.dates.history().available(),
        changes,
        config,
        has,
        as_at,
        warnings,
        home,
        organisations: parties.organisations,
        agreements,
        pages,
        topics,
        people: parties.people,
        scrutiny_bodies: parties.bodies,
        redirects,
        withdrawn,
        records,
        figures,
        glossary,
        updates,
    })
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

/// Lower-case ASCII letters, digits and single hyphens: safe in a URL forever.
fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
}

impl Resolver {
    /// A resolver for one agreement: what every agreement reads (topics,
    /// dates, the base path), with nothing found yet.
    fn for_agreement(&self) -> Resolver {
        Resolver {
            base_path: self.base_path.clone(),
            topics: self.topics.clone(),
            dates: self.dates.clone(),
            root: self.root.clone(),
            raw_html: self.raw_html,
            unloaded: self.unloaded.clone(),
            template_ids: self.template_ids.clone(),
            markdown: self.markdown.clone(),
            ..Default::default()
        }
    }

    /// Reports a reference to something that does not exist, unless the
    /// file that would define it failed to load: that was reported already,
    /// as the cause, and this would only echo it.
    fn unknown(&mut self, defined_in: DefinedIn, d: Diagnostic) {
        let unloaded = match defined_in {
            DefinedIn::List(name) => self.unloaded.list(name),
            DefinedIn::Page(path) => {
                self.unloaded.covers(path) || self.incomplete.iter().any(|p| path.starts_with(p.as_str()))
            }
        };
        if !unloaded {
            self.diags.push(d);
        }
    }

    /// Takes in what a resolver from [`Resolver::for_agreement`] found.
    fn absorb(&mut self, other: Resolver) {
        // Named field by field, so a new field cannot be forgotten here.
        let Resolver {
            diags,
            warnings,
            links,
            anchors,
            base_path: _,
            incomplete,
            topics: _,
            relations,
            resolved_links,
            redirects,
            dates: _,
            root: _,
            lineage,
            raw_html: _,
            unloaded: _,
            template_ids: _,
            later: _,
            markdown: _,
        } = other;
        self.diags.extend(diags);
        self.warnings.extend(warnings);
        self.links.extend(links);
        self.anchors.extend(anchors);
        self.incomplete.extend(incomplete);
        self.relations.extend(relations);
        self.resolved_links.extend(resolved_links);
        self.redirects.extend(redirects);
        self.lineage.extend(lineage);
    }

    fn cx(&self, min_heading_level: u8) -> MarkdownContext<'_> {
        MarkdownContext { base_path: &self.base_path, min_heading_level, raw_html: self.raw_html }
    }

    /// Markdown to HTML, kept from the build before where it can be.
    fn render_markdown(&self, text: &str, min_heading_level: u8, ids: &mut IdSet) -> Rendered {
        let cx = self.cx(min_heading_level);
        match &self.markdown {
            Some(cache) => cache.render(text, &cx, ids),
            None => markdown::render(text, &cx, ids),
        }
    }

    /// Renders a document's body, keeping its links for checking and reporting its problems.
    fn markdown<T>(
        &mut self,
        doc: &Document<T>,
        from: Backlink,
        min_heading_level: u8,
        ids: &mut IdSet,
    ) -> Rendered {
        self.markdown_at(&doc.file, doc.body_start, doc.body(), &from, min_heading_level, ids)
    }

    /// Renders Markdown held in a TOML string (a measure, a description, a
    /// figure's sentence…): its problems and links point into the string,
    /// `base` being where the TOML the span counts from starts in the file.
    fn markdown_field(
        &mut self,
        file: &SourceFile,
        base: usize,
        text: &toml::Spanned<String>,
        from: &Backlink,
    ) -> Rendered {
        let start = base + string_start(&file.text, base + text.span().start);
        self.markdown_at(file, start, text.get_ref(), from, 7, &mut IdSet::default())
    }

    /// The one way content Markdown is rendered here: every problem is
    /// reported at its place in `file` (`start` is where the text begins),
    /// and every `@/` link is kept, to be checked once every page is known.
    fn markdown_at(
        &mut self,
        file: &SourceFile,
        start: usize,
        text: &str,
        from: &Backlink,
        min_heading_level: u8,
        ids: &mut IdSet,
    ) -> Rendered {
        let rendered = self.render_markdown(text, min_heading_level, ids);
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

    fn home(&mut self, raw: Option<Document<crate::load::RawHome>>) -> Home {
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

    fn page(&mut self, doc: Document<RawPage>) -> Option<Page> {
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
        self.aliases(&doc.file, doc.front_start, &doc.front.aliases, &self.url(&path), &doc.front.title);
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

    /// When a content file last changed.
    fn date(&self, file: &SourceFile) -> Option<String> {
        self.dates.of(file)
    }

    fn url(&self, path: &str) -> String {
        paths::link(&self.base_path, path)
    }

    fn agreement(&mut self, raw: RawAgreementDir, parties: &Registries) -> Option<Agreement> {
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
            .filter_map(|p| match parties.orgs.iter().find(|o| &o.id == p.get_ref()) {
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
        let signatories = self.signatories(&file, meta.signatories, parties.people, parties.orgs);
        let page = Backlink { title: meta.short_title.clone(), url: self.url(&paths::agreement(&slug)) };
        let provenance = meta.source.map(|source| self.provenance(&file, source, &page));
        self.aliases(&file, 0, &meta.aliases, &self.url(&paths::agreement(&slug)), &meta.short_title);
        if let Some(successor) = meta.superseded_by {
            self.lineage.push((slug.clone(), file.clone(), successor));
        }

        let path = paths::agreement(&slug);
        if incomplete {
            self.incomplete.push(path.clone());
        }
        let items = self.check_items(items);
        let sections = self.check_sections(sections, &items, incomplete);

        // Every id on the agreement page, reserved before any Markdown heading claims one.
        let mut ids = self.template_ids.reserved(PageKind::Agreement);
        for (id, _) in &sections {
            ids.reserve(id);
        }
        for ((kind, number), doc) in &items {
            ids.reserve(&item_anchor(*kind, *number));
            for m in 1..=measure_count(doc) {
                ids.reserve(&measure_anchor(*kind, *number, m));
            }
            ids.reserve(&format!("{}-measures", item_anchor(*kind, *number)));
        }
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
        let page = Backlink { title: meta.short_title.clone(), url: self.url(&path) };
        let scrutiny = self.scrutiny(scrutiny, parties.bodies, &page, &mut ids);
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

        let mut has_code = false;
        let mut out_sections = Vec::new();
        let mut out_items = Vec::new();
        for (id, doc) in sections {
            let from = Backlink {
                title: format!("{} · {}", meta.short_title, doc.front.title),
                url: format!("{}#{id}", self.url(&path)),
            };
            let rendered = self.markdown(&doc, from, 3, &mut ids);
            has_code |= rendered.has_code;
            let kind = doc.front.items.as_ref().map(|k| *k.get_ref());
            if let Some(kind) = kind {
                let place = ItemPlace {
                    slug: &slug,
                    agreement_path: &path,
                    short_title: &meta.short_title,
                    section_id: &id,
                    section_title: &doc.front.title,
                };
                for ((_, number), item_doc) in items.range((kind, 0)..=(kind, u32::MAX)) {
                    let item = self.item(&place, kind, *number, item_doc, &mut ids);
                    has_code |= item.1;
                    out_items.push(item.0);
                }
            }
            out_sections.push(Section {
                id,
                title: doc.front.title,
                html: rendered.html.to_string(),
                text: rendered.text.to_string(),
                items: kind,
                scrutiny: doc.front.scrutiny,
                topics: self.topic_refs(&doc.file, doc.front_start, &doc.front.topics),
                source_file: doc.file.path.clone(),
            });
        }
        // Quotes are checked against the text only when all of it loaded: a
        // section with a typo in its front matter must not also fail every quote in it.
        let (governance, mentions) = if incomplete { (None, None) } else { (governance, mentions) };
        let governance = self.governance(governance, (&out_sections, &out_items), parties.orgs, &mut ids);
        if let Some((file, mentions)) = mentions {
            self.mentions(&file, mentions, &mut out_items, parties.bodies);
        }
        self.anchors.insert(path.clone(), ids.into_inner());
        let updated =
            files_updated.into_iter().chain(out_items.iter().filter_map(|i| i.updated.clone())).max();

        Some(
            Agreement {
                url: self.url(&path),
                path,
                slug,
                title: meta.title,
                short_title: meta.short_title,
                period: Period { start: period.start, end: period.end },
                reference: meta.reference,
                // Worked out once what replaced it is known (see `resolve`).
                currency: Currency {
                    state: "current",
                    label: String::new(),
                    sentence: String::new(),
                    extension: meta.extension.map(|e| Extension {
                        end: e.end,
                        source: e.source,
                        quote: e.quote,
                    }),
                },
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
                sections: out_sections,
                items: out_items,
                versions: Vec::new(),
                as_at: TextAsAt::default(),
                has_code,
            }
            .with_versions(self),
        )
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
                || id.starts_with("objective-")
                || id.starts_with("priority-")
                || id.starts_with("principle-")
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
        self.aliases(&doc.file, doc.front_start, &doc.front.aliases, &self.url(&path), &title);
        let (versions, as_at) = self.versions(&path, kind, number, doc);
        self.item_relations(doc, &path);
        let item = Item {
            kind,
            number,
            label,
            url: self.url(&path),
            path,
            in_agreement_url: format!("{}#{anchor}", self.url(place.agreement_path)),
            anchor,
            section_id: place.section_id.to_owned(),
            section_title: place.section_title.to_owned(),
            html: rendered.html,
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

    fn check_links(&mut self) {
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

/// The people, organisations and scrutiny bodies content may name.
struct Registries<'a> {
    orgs: &'a [OrgLink],
    people: &'a HashMap<String, PersonLink>,
    bodies: &'a [(BodyLink, Option<String>)],
}

/// Where an item sits: what its URL, title and "in section" link are made of.
struct ItemPlace<'a> {
    slug: &'a str,
    agreement_path: &'a str,
    short_title: &'a str,
    section_id: &'a str,
    section_title: &'a str,
}

/// Suggests the page whose path shares the longest prefix with a broken one.
fn nearest_page_help<'a>(path: &str, pages: impl Iterator<Item = &'a String>) -> String {
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

fn measure_count(doc: &Document<RawItem>) -> u32 {
    doc.front.measures.as_ref().map_or(0, |m| m.get_ref().len() as u32)
}

pub fn item_anchor(kind: Kind, number: u32) -> String {
    format!("{}-{number}", kind.id())
}

pub fn measure_anchor(kind: Kind, number: u32, measure: u32) -> String {
    format!("{}-{number}-measure-{measure}", kind.id())
}

//! Raw files to the resolved [`Site`], checking everything that needs more
//! than one file to check.
//!
//! In: the [`RawSite`] from `load`. Out: a [`Site`] whose items are numbered
//! uniquely, whose partners exist, whose Markdown is rendered and whose `@/`
//! links all land on a page and anchor that exist — or every problem found.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{AsAt, RawAgreementDir, RawRecord, RawSite, SourceFile};
use crate::markdown::{self, IdSet};
use crate::model::*;
use crate::paths::{self, PageKind};

mod agreement;
mod crossref;
pub mod figures;
mod glossary;
mod governance;
mod history;
mod lineage;
mod links;
mod pages;
mod parties;
mod provenance;
mod rendering;
mod synonyms;
mod topics;
mod versions;

use links::{nearest_page_help, LinkSite};

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
    let mut r = Resolver::for_site(&config, &raw, template_ids, markdown);
    let orgs = r.organisations(raw.organisations);
    let people = r.people(raw.people);
    let bodies = r.bodies(raw.bodies);
    let topic_defs = r.topics(raw.topics, &raw.areas);
    let home = r.home(raw.home);
    let mut pages: Vec<Page> = raw.pages.into_iter().filter_map(|p| r.page(p)).collect();
    let nhs_areas_from = r.areas_source(&raw.areas, &pages);
    let registries = Registries { orgs: &orgs.links, people: &people, bodies: &bodies };
    let mut agreements = r.agreements(raw.agreements, &registries);
    let orgs_for_figures = orgs.links.clone();
    let parties = r.parties(orgs, people, bodies, &agreements);
    let as_at = raw.dates.as_at();
    let records = r.succession(raw.records, &mut agreements, &as_at);
    let so_far = figures::SiteSoFar::new(&agreements, &pages, &orgs_for_figures);
    let figures = r.figures(raw.figures, &so_far);
    let updates = r.updates(raw.updates, &so_far);
    let glossary = r.glossary(raw.glossary, &agreements, &pages);
    let synonyms = r.synonyms(raw.synonyms, &agreements, &pages, &glossary);
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
    r.fixed_pages(&has);
    // Every page and anchor is known now, and every text rendered: each
    // `@/` link, wherever it was written, is checked against them.
    r.check_links();
    r.check_trailers();
    let withdrawn = r.withdrawn(raw.withdrawn);
    let relations = r.check_relations(&agreements);
    let topics =
        crossref::cross_reference(&mut agreements, &topic_defs, &figures, &relations, &r.resolved_links);
    figures::attach(&mut agreements, &figures, &updates);
    let redirects = std::mem::take(&mut r.redirects);
    let changes = history::changes(raw.dates.commits(), &agreements, &pages, &has, &r.base_path);
    let (diags, warnings) = (std::mem::take(&mut r.diags), std::mem::take(&mut r.warnings));
    // What is left is freed on another core, not waited for: it holds every
    // link of the site, each with where it was written.
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
        synonyms,
        updates,
        nhs_areas_from,
    })
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
    /// The resolver of the whole site: its settings, and what every part of
    /// it reads (dates, template ids, what failed to load).
    fn for_site(
        config: &Config,
        raw: &RawSite,
        template_ids: &TemplateIds,
        markdown: Option<&std::sync::Arc<markdown::Cache>>,
    ) -> Resolver {
        Resolver {
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
        }
    }

    /// Every agreement resolved, in the site's order (by weight, then folder name).
    fn agreements(&mut self, raw: Vec<RawAgreementDir>, parties: &Registries) -> Vec<Agreement> {
        // Agreements need nothing of each other until cross-referencing: each is
        // resolved on its own, on every core, and what each found joins the rest.
        let resolved: Vec<(Option<Agreement>, Resolver)> = raw
            .into_par_iter()
            .map(|a| {
                let mut own = self.for_agreement();
                (own.agreement(a, parties), own)
            })
            .collect();
        let mut agreements = Vec::with_capacity(resolved.len());
        for (agreement, own) in resolved {
            self.absorb(own);
            agreements.extend(agreement);
        }
        agreements.sort_by(|a, b| (a.weight, &a.slug).cmp(&(b.weight, &b.slug)));
        agreements
    }

    /// The earlier agreements known only as records, and, now that every
    /// agreement is known, what replaced each agreement and its currency.
    fn succession(
        &mut self,
        raw: Vec<(SourceFile, RawRecord)>,
        agreements: &mut [Agreement],
        as_at: &AsAt,
    ) -> Vec<EarlierAgreement> {
        let records = self.records(raw, agreements, as_at);
        for (slug, file, successor) in std::mem::take(&mut self.lineage) {
            let link = self.successor(&file, &successor, agreements);
            if let Some(a) = agreements.iter_mut().find(|a| a.slug == slug) {
                a.superseded_by = link;
            }
        }
        for a in agreements.iter_mut() {
            a.currency =
                lineage::currency(a.period, a.superseded_by.as_ref(), a.currency.extension.as_ref(), as_at);
            a.earlier = lineage::lineage(&records, &a.slug);
        }
        records
    }

    /// The anchors of the pages the site always has (or has for its content), from their templates.
    fn fixed_pages(&mut self, has: &paths::Has) {
        for path in paths::fixed(has) {
            let ids = self.template_ids.of(PageKind::Fixed(path));
            self.anchors.entry(path.to_owned()).or_default().extend(ids);
        }
    }

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

    /// When a content file last changed.
    fn date(&self, file: &SourceFile) -> Option<String> {
        self.dates.of(file)
    }

    fn url(&self, path: &str) -> paths::Link {
        paths::link(&self.base_path, path)
    }
}

/// The people, organisations and scrutiny bodies content may name.
struct Registries<'a> {
    orgs: &'a [OrgLink],
    people: &'a HashMap<String, PersonLink>,
    bodies: &'a [(BodyLink, Option<String>)],
}

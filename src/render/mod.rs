//! The resolved site to files: every page through its Tera template, then
//! minified; plus the theme's static files and highlighting CSS.
//!
//! In: a [`Site`] and a [`Theme`]. Out: a [`Plan`] of every file, whose
//! pages render on every core and are handed over one by one as each is
//! ready (the build writes them into its staging folder, never straight
//! into the output folder), then the files made without a page template.

mod akn;
mod charts;
pub mod cite;
pub mod data;
mod feeds;
mod glossary;
pub mod headers;
pub mod theme;

use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{self, Agreement, Item, Site};
use crate::paths::{self, PageKind};
pub use theme::{load_theme, Theme};

/// A page's data as a [`Data`] closure: `data!({ "name": value, ... })`,
/// each value handed to a [`Sink`] when the page renders or is fingerprinted.
macro_rules! data {
    ({ $($key:literal : $value:expr),* $(,)? }) => {
        Box::new(move |sink: &mut Sink| { $( sink.field($key, &$value)?; )* Ok(()) }) as Data<'_>
    };
}

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Relative to the output folder, `/`-separated: `agreements/irc-2022-2025/index.html`.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Agreements named in every page's header before it links to the full list instead.
const NAV_LIMIT: usize = 6;

/// What every template gets, whatever the page (plus `current_path`, the
/// page's site-relative path, and `canonical`, its permanent absolute URL).
#[derive(Serialize)]
struct Common<'a> {
    site: &'a crate::config::Config,
    nav: Vec<NavLink<'a>>,
    more_agreements: bool,
    /// So shared templates link only to pages this site has.
    has_topics: bool,
    has_people: bool,
    has_organisations: bool,
    has_scrutiny: bool,
    has_figures: bool,
    has_updates: bool,
    has_glossary: bool,
    /// The link to the page that is the site's accessibility statement, if one is.
    accessibility_statement: Option<&'a str>,
}

#[derive(Serialize)]
struct NavLink<'a> {
    title: &'a str,
    url: &'a str,
    path: &'a str,
}

struct Renderer<'a> {
    files: Vec<OutputFile>,
    later: Vec<Later<'a>>,
    streamed: Vec<Streamed<'a>>,
    jobs: Vec<Job<'a>>,
}

/// Every file of the site, its pages queued but not yet rendered, so a
/// rebuild can render only the pages whose inputs changed.
pub struct Plan<'a> {
    jobs: Vec<Job<'a>>,
    rest: Rest<'a>,
}

/// Files made without a page template: static files now, feeds and open
/// data when they are asked for.
pub struct Rest<'a> {
    files: Vec<OutputFile>,
    later: Vec<Later<'a>>,
    streamed: Vec<Streamed<'a>>,
}

type Later<'a> = Box<dyn FnOnce() -> Result<Vec<OutputFile>, Diagnostic> + Send + 'a>;

/// A file too large to hold whole (the open data of a large site): made
/// straight into wherever it is written.
pub struct Streamed<'a> {
    pub path: String,
    pub write: WriteInto<'a>,
}

/// Writes a [`Streamed`] file's bytes into the writer it is given.
pub type WriteInto<'a> = Box<dyn FnOnce(&mut dyn std::io::Write) -> std::io::Result<()> + Send + 'a>;

impl Streamed<'_> {
    /// The file made in memory, for builds that keep every file.
    pub fn into_file(self) -> Result<OutputFile, Diagnostic> {
        let mut bytes = Vec::new();
        (self.write)(&mut bytes)
            .map_err(|e| Diagnostic::file(&self.path, format!("cannot make the open data: {e}")))?;
        Ok(OutputFile { path: self.path, bytes })
    }
}

impl Rest<'_> {
    /// Only the site's data (feeds, open data, citations, each page's data),
    /// not the static files.
    pub fn site_data(self) -> Self {
        Rest { files: Vec::new(), ..self }
    }

    /// Hands over every file whole, streamed ones made in memory, in the
    /// order [`Rest::for_each`] hands them over.
    pub fn each_in_memory(
        self,
        mut f: impl FnMut(OutputFile) -> Result<(), Diagnostic>,
    ) -> Result<(), Diagnostic> {
        let Rest { files, later, streamed } = self;
        files.into_iter().try_for_each(&mut f)?;
        for make in later {
            make()?.into_iter().try_for_each(&mut f)?;
        }
        streamed.into_iter().try_for_each(|file| f(file.into_file()?))
    }

    /// Hands over every file, making the later ones one group at a time,
    /// then each streamed file.
    pub fn for_each(
        self,
        mut f: impl FnMut(OutputFile) -> Result<(), Diagnostic>,
        mut stream: impl FnMut(Streamed) -> Result<(), Diagnostic>,
    ) -> Result<(), Diagnostic> {
        self.files.into_iter().try_for_each(&mut f)?;
        for make in self.later {
            make()?.into_iter().try_for_each(&mut f)?;
        }
        self.streamed.into_iter().try_for_each(&mut stream)
    }
}

impl<'p> Plan<'p> {
    /// For each queued page, in order: its file and a hash of everything its
    /// HTML is made from (its template and the templates that uses, the data
    /// it is given, and what every page is given).
    ///
    /// The data is serialised as CBOR, whose strings are written as they
    /// are, where JSON escaped every quote and angle bracket of every item's
    /// HTML; and an item's text, which a topic page lists with nearly every
    /// other item's, is hashed once, not once a page ([`model::with_digests`]).
    /// At 10,000 documentation-length pages that took `accord serve`'s
    /// fingerprints from 340 ms to 145 ms a rebuild.
    pub fn fingerprints(&self, site: &Site, theme: &Theme) -> Vec<(String, u64)> {
        self.fingerprints_where(site, theme, |_| true).into_iter().map(|(_, file, fp)| (file, fp)).collect()
    }

    /// [`Plan::fingerprints`] of the queued pages whose index `wanted`
    /// accepts, each with its index.
    pub fn fingerprints_where(
        &self,
        site: &Site,
        theme: &Theme,
        wanted: impl Fn(usize) -> bool + Sync,
    ) -> Vec<(usize, String, u64)> {
        let common = fingerprint(&common(site));
        let fingerprints = self
            .jobs
            .par_iter()
            .enumerate()
            .filter(|(i, _)| wanted(*i))
            .map(|(i, job)| {
                let mut bytes = Vec::new();
                let _ = model::with_digests(|| (job.data)(&mut Sink::Fingerprint(&mut bytes)));
                let mut hasher = twox_hash::XxHash3_64::new();
                (common, theme.fingerprints.get(job.template), &job.path, &job.file).hash(&mut hasher);
                hasher.write(&bytes);
                (i, job.file.clone(), hasher.finish())
            })
            .collect();
        rayon::broadcast(|_| model::forget_unused_digests());
        fingerprints
    }

    /// How many pages are queued.
    pub fn pages(&self) -> usize {
        self.jobs.len()
    }

    /// Leaves out the site's data (feeds, open data, citations, each page's
    /// data): `accord serve` refreshes it after the pages, so an open page
    /// reloads without waiting for files that grow with the whole site.
    pub fn defer_site_data(&mut self) {
        self.rest.later.clear();
        self.rest.streamed.clear();
    }

    /// Takes the files made without a page template, so they can be made
    /// alongside the pages rather than after them.
    pub fn take_rest(&mut self) -> Rest<'p> {
        std::mem::replace(&mut self.rest, Rest { files: Vec::new(), later: Vec::new(), streamed: Vec::new() })
    }

    /// The site path of every page this plan makes: the site's public URLs
    /// (redirects and withdrawals included, for they are promises too).
    pub fn urls(&self) -> std::collections::BTreeSet<String> {
        self.jobs.iter().map(|j| j.path.clone()).collect()
    }

    /// The pages and static files this plan makes (not feeds and open data,
    /// whose fixed names are known only once they are made).
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.jobs.iter().map(|j| j.file.as_str()).chain(self.rest.files.iter().map(|f| f.path.as_str()))
    }

    /// Renders the queued pages whose index `wanted` accepts, counting each
    /// in `done`, and returns them (in queue order) followed by every other file.
    pub fn render(
        self,
        site: &Site,
        theme: &Theme,
        wanted: impl Fn(usize) -> bool + Sync,
        done: &crate::progress::ProgressBar,
    ) -> Result<Vec<OutputFile>, Diagnostics> {
        let pages = std::sync::Mutex::new(Vec::new());
        let (rest, _) = self.render_each(site, theme, wanted, |i, file| {
            pages.lock().unwrap_or_else(|e| e.into_inner()).push((i, file));
            done.inc(1);
            Ok(())
        })?;
        let mut pages = pages.into_inner().unwrap_or_else(|e| e.into_inner());
        pages.sort_unstable_by_key(|(i, _)| *i);
        let mut out: Vec<OutputFile> = pages.into_iter().map(|(_, f)| f).collect();
        rest.each_in_memory(|file| {
            out.push(file);
            Ok(())
        })?;
        Ok(out)
    }

    /// Renders the wanted pages across all cores, handing each to `sink`
    /// (with its queue index) as soon as it is ready, so none has to wait in
    /// memory for the others. Returns the files not made from a page
    /// template, and where the time went.
    pub fn render_each(
        mut self,
        site: &Site,
        theme: &Theme,
        wanted: impl Fn(usize) -> bool + Sync,
        sink: impl Fn(usize, OutputFile) -> Result<(), Diagnostic> + Sync,
    ) -> Result<(Rest<'p>, PageTimes), Diagnostics> {
        let jobs: Vec<(usize, Job)> =
            std::mem::take(&mut self.jobs).into_iter().enumerate().filter(|(i, _)| wanted(*i)).collect();
        let times = PageTimes::default();
        render_jobs(site, theme, jobs, &times, &sink)?;
        Ok((self.rest, times))
    }
}

/// Time spent on pages, summed over every thread (so on two cores it can be
/// up to twice the wall-clock time).
#[derive(Debug, Default)]
pub struct PageTimes {
    render: AtomicU64,
    minify: AtomicU64,
    write: AtomicU64,
}

impl PageTimes {
    fn add(counter: &AtomicU64, since: Instant) {
        counter.fetch_add(since.elapsed().as_nanos() as u64, Ordering::Relaxed);
    }

    /// (stage, time) for the build summary.
    pub fn stages(&self) -> [(&'static str, Duration); 3] {
        let get = |c: &AtomicU64| Duration::from_nanos(c.load(Ordering::Relaxed));
        [("render", get(&self.render)), ("minify", get(&self.minify)), ("write", get(&self.write))]
    }
}

/// A hash of a value's serialised form: cheap, and exactly what a template sees.
fn fingerprint(value: &impl Serialize) -> u64 {
    let mut hasher = twox_hash::XxHash3_64::new();
    let _ = ciborium::into_writer(value, HashWriter(&mut hasher));
    hasher.finish()
}

/// Feeds serialised bytes straight into a hasher, with no string in between.
struct HashWriter<'a, H: Hasher>(&'a mut H);

impl<H: Hasher> std::io::Write for HashWriter<'_, H> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The template each kind of page is rendered with.
pub fn template_of(kind: PageKind) -> &'static str {
    const FIXED: &[(&str, &str)] = &[
        (paths::HOME, "home.html"),
        (paths::AGREEMENTS, "agreements.html"),
        (paths::SEARCH, "search.html"),
        (paths::A_Z, "a-z.html"),
        (paths::DATA, "data.html"),
        (paths::TOPICS, "topics.html"),
        (paths::PEOPLE, "people.html"),
        (paths::ORGANISATIONS, "organisations.html"),
        (paths::SCRUTINY, "scrutiny-bodies.html"),
        (paths::FIGURES, "figures.html"),
        (paths::UPDATES, "updates.html"),
        (paths::GLOSSARY, "glossary.html"),
        (paths::CHANGES, "changes.html"),
        (paths::NOT_FOUND, "404.html"),
    ];
    match kind {
        PageKind::Fixed(path) => FIXED.iter().find(|(p, _)| *p == path).map_or("page.html", |(_, t)| t),
        PageKind::Agreement => "agreement.html",
        PageKind::Item => "item.html",
        PageKind::Page => "page.html",
        PageKind::Topic => "topic.html",
        PageKind::Person => "person.html",
        PageKind::Organisation => "organisation.html",
        PageKind::ScrutinyBody => "scrutiny-body.html",
        PageKind::Figure => "figure.html",
        PageKind::Version => "version.html",
        PageKind::AgreementVersion => "agreement-version.html",
        PageKind::Redirect => "redirect.html",
        PageKind::Withdrawn => "withdrawn.html",
    }
}

/// Queues every page and makes every other file.
pub fn plan_site<'a>(site: &'a Site, theme: &Theme) -> Plan<'a> {
    // Lists of agreements carry only what a list shows, not every item's HTML.
    let listings: Arc<Vec<AgreementListing>> =
        Arc::new(site.agreements.iter().map(AgreementListing::from).collect());
    let mut r = Renderer { files: Vec::new(), later: Vec::new(), streamed: Vec::new(), jobs: Vec::new() };
    r.fixed(
        paths::HOME,
        data!({
            "page_title": site.home.title,
            "home": site.home,
            "agreements": site.agreements.iter().map(AgreementSummary::from).collect::<Vec<_>>(),
            "pages": site.pages,
            "topics": site.topics.iter().map(TopicSummary::from).collect::<Vec<_>>(),
        }),
    );
    if site.has.topics {
        r.fixed(
            paths::TOPICS,
            data!({
                "page_title": "Topics",
                "topics": site.topics.iter().map(TopicListing::from).collect::<Vec<_>>(),
                "agreements": site.agreements.iter().map(AgreementSummary::from).collect::<Vec<_>>(),
            }),
        );
        for topic in &site.topics {
            r.page(
                &topic.path,
                PageKind::Topic,
                data!({
                    "page_title": topic.title,
                    "topic": TopicPage::from(topic),
                    "description": format!("Editors' summary: {}", topic.description.text),
                }),
            );
        }
    }
    let all = listings.clone();
    r.fixed(
        paths::AGREEMENTS,
        data!({ "page_title": "Agreements", "agreements": all.as_slice(), "records": site.records }),
    );
    for agreement in &site.agreements {
        r.agreement(site, agreement);
    }
    for page in &site.pages {
        r.page(
            &paths::page(&page.slug),
            PageKind::Page,
            data!({
                "page_title": page.title,
                "page": page,
                "has_code": page.has_code,
                "description": page.description.as_deref().unwrap_or(&page.title),
            }),
        );
    }
    if site.has.people {
        r.fixed(paths::PEOPLE, data!({ "page_title": "Signatories", "people": site.people }));
        for p in &site.people {
            r.page(&p.path, PageKind::Person, data!({ "page_title": p.name, "person": p }));
        }
    }
    if site.has.organisations {
        r.fixed(
            paths::ORGANISATIONS,
            data!({ "page_title": "Organisations", "organisations": site.organisations }),
        );
        for o in &site.organisations {
            r.page(&o.path, PageKind::Organisation, data!({ "page_title": o.name, "organisation": o }));
        }
    }
    if site.has.scrutiny_bodies {
        r.fixed(paths::SCRUTINY, data!({ "page_title": "Scrutiny bodies", "bodies": site.scrutiny_bodies }));
        for b in &site.scrutiny_bodies {
            r.page(&b.path, PageKind::ScrutinyBody, data!({ "page_title": b.name, "body": b }));
        }
    }
    for redirect in &site.redirects {
        r.page(
            &redirect.from,
            PageKind::Redirect,
            data!({ "page_title": redirect.title, "redirect": redirect }),
        );
    }
    for w in &site.withdrawn {
        r.page(
            &w.path,
            PageKind::Withdrawn,
            data!({ "page_title": format!("Withdrawn: {}", w.title), "withdrawn": w }),
        );
    }
    if !site.redirects.is_empty() {
        let map: String = site
            .redirects
            .iter()
            .map(|rd| format!("{}{} {} 301\n", site.config.base_path.trim_end_matches('/'), rd.from, rd.to))
            .collect();
        r.files.push(OutputFile { path: "_redirects".to_owned(), bytes: map.into_bytes() });
    }
    r.files.push(headers::file(&site.config.base_path));
    r.fixed(paths::SEARCH, data!({ "page_title": "Search" }));
    r.fixed(
        paths::A_Z,
        data!({ "page_title": "A to Z", "letters": a_to_z(site), "agreements": listings.as_slice() }),
    );
    r.fixed(paths::NOT_FOUND, data!({ "page_title": "Page not found" }));
    // Feeds and open data grow with the whole site: made when written, not held meanwhile.
    r.later.push(Box::new(move || {
        data::files(site).map_err(|e| Diagnostic::file("data", format!("cannot write the open data: {e}")))
    }));
    r.streamed.extend(data::streamed(site));
    // Citations and each page's data, an agreement at a time: at 10,000
    // pages, all of them at once held several hundred MB until the last was written.
    for agreement in &site.agreements {
        r.later.push(Box::new(move || {
            let mut files = cite::files(site, agreement);
            files.extend(data::alternates(site, agreement).map_err(|e| {
                Diagnostic::file(&agreement.path, format!("cannot write a page's data: {e}"))
            })?);
            Ok(files)
        }));
    }
    r.fixed(paths::DATA, data!({ "page_title": "Open data", "version": data::SCHEMA_VERSION, "has_updates": site.has.updates }));
    if site.has.figures {
        r.fixed(paths::FIGURES, data!({ "page_title": "Figures", "figures": site.figures }));
        for f in &site.figures {
            r.page(
                &f.path,
                PageKind::Figure,
                data!({
                    "page_title": f.label,
                    "figure": f,
                    "chart": charts::chart(f),
                    "alt": charts::alt_text(f),
                    "description": charts::alt_text(f),
                }),
            );
        }
    }
    if site.has.updates {
        r.fixed(paths::UPDATES, data!({ "page_title": "Progress updates", "updates": site.updates }));
    }
    r.fixed(
        paths::CHANGES,
        data!({ "page_title": "Changes to the text", "days": changes_by_day(site), "history": site.history }),
    );
    if site.has.glossary {
        r.fixed(
            paths::GLOSSARY,
            data!({
                "page_title": "Glossary",
                "glossary": site.glossary,
                "description": "The abbreviations the agreements use, expanded as the documents expand them",
            }),
        );
    }
    for (path, bytes) in &theme.static_files {
        r.files.push(OutputFile { path: path.clone(), bytes: bytes.clone() });
    }
    if site.agreements.iter().any(|a| a.has_code) || site.pages.iter().any(|p| p.has_code) {
        r.files.push(OutputFile { path: "syntax.css".to_owned(), bytes: syntax_css().into_bytes() });
    }
    // Every page a reader may land on, for the sitemap: not redirects,
    // withdrawals or the page for unknown addresses.
    let listed: Vec<String> = r
        .jobs
        .iter()
        .filter(|j| {
            !matches!(j.kind, PageKind::Redirect | PageKind::Withdrawn | PageKind::Fixed(paths::NOT_FOUND))
        })
        .map(|j| j.path.clone())
        .collect();
    r.later.insert(0, Box::new(move || Ok(feeds::files(site, &listed))));
    Plan { jobs: r.jobs, rest: Rest { files: r.files, later: r.later, streamed: r.streamed } }
}

impl<'a> Renderer<'a> {
    /// Queues an agreement's page, its items' and their versions', sharing
    /// the agreement's [`Citations`] among them.
    fn agreement(&mut self, site: &'a Site, agreement: &'a Agreement) {
        let cite = |work| cite::citation(site, work);
        let citations = Arc::new(Citations::new(site, agreement));
        let own = citations.clone();
        self.page(
            &agreement.path,
            PageKind::Agreement,
            data!({
                "page_title": agreement.short_title,
                "agreement": model::InBrief(agreement),
                "has_code": agreement.has_code,
                "description": agreement.title,
                "og_type": "article",
                "citation": own.agreement(),
                "versions": agreement.versions.iter().map(VersionListing::from).collect::<Vec<_>>(),
            }),
        );
        for version in &agreement.versions {
            self.page(
                &version.path,
                PageKind::AgreementVersion,
                data!({
                    "page_title": format!("{} as at {}", agreement.short_title, version.long_date),
                    "agreement": AgreementSummary::from(agreement),
                    "version": version,
                    "versions": agreement.versions.iter().map(VersionListing::from).collect::<Vec<_>>(),
                    "has_code": agreement.has_code,
                    "description": format!("{} as its text stood from {}", agreement.title, version.long_date),
                    "og_type": "article",
                    "citation": cite(cite::Work::agreement_version(agreement, version)),
                }),
            );
        }
        for (i, item) in agreement.items.iter().enumerate() {
            let citations = citations.clone();
            let prev = i.checked_sub(1).map(|p| &agreement.items[p]);
            let next = agreement.items.get(i + 1);
            self.page(
                &item.path,
                PageKind::Item,
                data!({
                    "page_title": format!("{} · {}", item.label, agreement.short_title),
                    "agreement": AgreementSummary::from(agreement),
                    "item": item,
                    "prev": prev.map(ItemLink::from),
                    "next": next.map(ItemLink::from),
                    "has_code": agreement.has_code,
                    "description": model::Shared(&item.text),
                    "og_type": "article",
                    "citation": citations.item(i),
                    "versions": item.versions.iter().map(VersionListing::from).collect::<Vec<_>>(),
                }),
            );
            for version in &item.versions {
                self.page(
                    &version.path,
                    PageKind::Version,
                    data!({
                        "page_title": format!("{} as at {} · {}", item.label, version.long_date, agreement.short_title),
                        "agreement": AgreementSummary::from(agreement),
                        "item": ItemLink::from(item),
                        "version": version,
                        "versions": item.versions.iter().map(VersionListing::from).collect::<Vec<_>>(),
                        "has_code": agreement.has_code,
                        "description": format!("{} of {} as the text stood from {}", item.label, agreement.short_title, version.long_date),
                        "og_type": "article",
                        "citation": cite(cite::Work::version(agreement, item, version)),
                    }),
                );
            }
        }
    }

    /// Queues one of the fixed pages.
    fn fixed(&mut self, path: &'static str, data: Data<'a>) {
        self.page(path, PageKind::Fixed(path), data);
    }

    /// Queues a page at a site path (`/x/y/` is written to `x/y/index.html`,
    /// `/x.html` to `x.html`); pages render in parallel once all are known.
    fn page(&mut self, path: &str, kind: PageKind, data: Data<'a>) {
        let template = template_of(kind);
        self.jobs.push(Job { file: paths::file_of(path), path: path.to_owned(), kind, template, data });
    }
}

/// An agreement's citations and its items', each formatted when a page
/// first asks for it and kept for the next ask (a page's data is read for
/// its fingerprint and again to render it). Formatting citations is the
/// one costly part of an agreement's or item's data: at 10,000 items, more
/// than the rest of planning the site, which `accord serve` does on every
/// save only to render the edited page.
struct Citations<'a> {
    site: &'a Site,
    agreement: &'a Agreement,
    /// The items' citations formatted once, with stand-ins for what differs.
    batch: OnceLock<Option<cite::Batch>>,
    own: OnceLock<cite::Citation>,
    items: Vec<OnceLock<cite::Citation>>,
}

impl<'a> Citations<'a> {
    fn new(site: &'a Site, agreement: &'a Agreement) -> Self {
        let items = agreement.items.iter().map(|_| OnceLock::new()).collect();
        Citations { site, agreement, batch: OnceLock::new(), own: OnceLock::new(), items }
    }

    fn agreement(&self) -> &cite::Citation {
        self.own.get_or_init(|| cite::citation(self.site, cite::Work::agreement(self.agreement)))
    }

    fn item(&self, i: usize) -> &cite::Citation {
        let work = |i: usize| cite::Work::item(self.agreement, &self.agreement.items[i]);
        self.items[i].get_or_init(|| {
            let batch = self.batch.get_or_init(|| {
                (!self.agreement.items.is_empty()).then(|| cite::Batch::new(self.site, work(0)))
            });
            cite::citation_in(self.site, work(i), batch.as_ref())
        })
    }
}

/// What every page's template gets, the same for the whole site.
fn common(site: &Site) -> Common<'_> {
    Common {
        site: &site.config,
        // The header names a few agreements; a site with many links to the full list instead.
        nav: site
            .agreements
            .iter()
            .take(NAV_LIMIT)
            .map(|a| NavLink { title: &a.short_title, url: &a.url, path: &a.path })
            .collect(),
        more_agreements: site.agreements.len() > NAV_LIMIT,
        has_topics: site.has.topics,
        has_people: site.has.people,
        has_organisations: site.has.organisations,
        has_scrutiny: site.has.scrutiny_bodies,
        has_figures: site.has.figures,
        has_updates: site.has.updates,
        has_glossary: site.has.glossary,
        accessibility_statement: site.pages.iter().find(|p| p.statement.is_some()).map(|p| p.url.as_str()),
    }
}

/// Renders pages across all cores, each handed to `sink` when done.
fn render_jobs(
    site: &Site,
    theme: &Theme,
    jobs: Vec<(usize, Job)>,
    times: &PageTimes,
    sink: &(impl Fn(usize, OutputFile) -> Result<(), Diagnostic> + Sync),
) -> Result<(), Diagnostics> {
    let common = Context::from_serialize(&common(site))
        .map_err(|e| Diagnostics::from(Diagnostic::file("templates", format!("internal error: {e}"))))?;
    let abbreviations = glossary::Marker::new(&site.glossary);
    let failures: Vec<Diagnostic> = jobs
        .into_par_iter()
        .filter_map(|(i, job)| {
            let start = Instant::now();
            let mut context = common.clone();
            context.insert("current_path", &job.path);
            context.insert("canonical", &paths::absolute(&site.config.base_url, &job.path));
            if let Err(e) = (job.data)(&mut Sink::Context(&mut context)) {
                let bug = "this is a bug in accord; please report it with the content that triggers it";
                return Some(
                    Diagnostic::file(&job.file, format!("internal error: this page's data: {e}"))
                        .with_help(bug),
                );
            }
            let html = match theme.tera.render(job.template, &context) {
                Ok(html) => html,
                Err(e) => return Some(theme::template_error(&e, &theme.templates)),
            };
            PageTimes::add(&times.render, start);
            let start = Instant::now();
            // The glossary page itself explains every term: nothing to mark there.
            let html = match &abbreviations {
                Some(marker) if job.kind != PageKind::Fixed(paths::GLOSSARY) => marker.mark(&html),
                _ => html,
            };
            let bytes = if site.config.minify { minify(html.as_bytes()) } else { html.into_bytes() };
            PageTimes::add(&times.minify, start);
            let start = Instant::now();
            let written = sink(i, OutputFile { path: job.file, bytes });
            PageTimes::add(&times.write, start);
            written.err()
        })
        .collect();
    let mut diags = Diagnostics::default();
    failures.into_iter().for_each(|d| diags.push(d));
    diags.into_result()
}

/// A page waiting to be rendered.
struct Job<'a> {
    file: String,
    path: String,
    kind: PageKind,
    template: &'static str,
    data: Data<'a>,
}

/// What a page's template is given, made when the page renders (and dropped
/// after), so a big site never holds every page's data at once.
type Data<'a> = Box<dyn Fn(&mut Sink) -> tera::TeraResult<()> + Send + Sync + 'a>;

/// Where a page's data goes, field by field: into its template's context
/// as Tera's values, or written as CBOR to be hashed. Written straight from
/// the model, a fingerprint skips making Tera's values for every page of the
/// site on every `accord serve` rebuild.
enum Sink<'s> {
    Context(&'s mut Context),
    Fingerprint(&'s mut Vec<u8>),
}

impl Sink<'_> {
    fn field<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> tera::TeraResult<()> {
        match self {
            Sink::Context(context) => context.insert_value(name, tera::Value::try_from_serializable(value)?),
            Sink::Fingerprint(out) => {
                // The model's values always serialise: the open data is made of them too.
                out.extend_from_slice(name.as_bytes());
                let _ = ciborium::into_writer(value, &mut **out);
            }
        }
        Ok(())
    }
}

/// One letter of the A to Z: its anchor and what is under it.
#[derive(Serialize)]
struct Letter {
    letter: String,
    id: String,
    entries: Vec<Subject>,
}

/// A subject a reader may look for, as the A to Z lists it.
#[derive(Serialize)]
struct Subject {
    name: String,
    url: String,
    kind: &'static str,
}

/// Every subject a reader may look for (topics, glossary terms,
/// organisations, scrutiny bodies, governance bodies and people) under its
/// letter, A to Z; every letter is there, empty or not.
fn a_to_z(site: &Site) -> Vec<Letter> {
    let mut subjects: Vec<(String, Subject)> = Vec::new();
    let mut add = |name: String, url: &str, kind: &'static str| {
        let key = name.trim_start_matches("The ").to_lowercase();
        subjects.push((key, Subject { name, url: url.to_owned(), kind }));
    };
    for t in &site.topics {
        add(t.title.clone(), &t.url, "Topic");
    }
    for t in &site.glossary.terms {
        let expansions: Vec<&str> = t.expansions.iter().map(|e| e.expansion.as_str()).collect();
        add(format!("{} ({})", t.abbreviation, expansions.join(" or ")), &t.url, "Abbreviation");
    }
    for o in &site.organisations {
        add(o.name.clone(), &o.url, "Organisation");
    }
    for b in &site.scrutiny_bodies {
        add(b.name.clone(), &b.url, "Scrutiny body");
    }
    for a in &site.agreements {
        for g in &a.governance {
            add(format!("{} ({})", g.name, a.short_title), &paths::at(&a.url, &g.anchor), "Governance body");
        }
    }
    for p in &site.people {
        // By surname, as a directory lists people.
        let name = match p.name.rsplit_once(' ') {
            Some((first, last)) => format!("{last}, {first}"),
            None => p.name.clone(),
        };
        add(name, &p.url, "Signatory");
    }
    subjects.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.name.cmp(&b.1.name)));
    let letter_of = |key: &str| key.chars().find(|c| c.is_alphanumeric()).map(|c| c.to_ascii_uppercase());
    ('A'..='Z')
        .map(|letter| Letter {
            letter: letter.to_string(),
            id: format!("letter-{}", letter.to_ascii_lowercase()),
            entries: subjects
                .iter()
                .filter(|(key, _)| letter_of(key) == Some(letter))
                .map(|(_, s)| Subject { name: s.name.clone(), url: s.url.clone(), kind: s.kind })
                .collect(),
        })
        .collect()
}

/// What an item page needs of its agreement (not every other item's HTML).
#[derive(Serialize)]
struct AgreementSummary<'a> {
    slug: &'a str,
    url: &'a str,
    title: &'a str,
    short_title: &'a str,
    reference: Option<&'a str>,
    period: &'a crate::model::Period,
    currency: &'a crate::model::Currency,
    updated: Option<&'a str>,
}

impl<'a> From<&'a Agreement> for AgreementSummary<'a> {
    fn from(a: &'a Agreement) -> Self {
        AgreementSummary {
            slug: &a.slug,
            url: &a.url,
            title: &a.title,
            short_title: &a.short_title,
            reference: a.reference.as_deref(),
            period: &a.period,
            currency: &a.currency,
            updated: a.updated.as_deref(),
        }
    }
}

/// A topic as lists of topics show it: without the items it gathers, which
/// carry every item's text (thousands of them on a large site).
#[derive(Serialize)]
struct TopicSummary<'a> {
    id: &'a str,
    title: &'a str,
    description: &'a crate::model::Editorial,
    url: &'a str,
}

impl<'a> From<&'a crate::model::Topic> for TopicSummary<'a> {
    fn from(t: &'a crate::model::Topic) -> Self {
        TopicSummary { id: &t.id, title: &t.title, description: &t.description, url: &t.url }
    }
}

/// A topic as the table of topics shows it: which items of each agreement it
/// gathers, as links.
#[derive(Serialize)]
struct TopicListing<'a> {
    #[serde(flatten)]
    summary: TopicSummary<'a>,
    columns: Vec<ColumnListing<'a>>,
}

impl<'a> From<&'a crate::model::Topic> for TopicListing<'a> {
    fn from(t: &'a crate::model::Topic) -> Self {
        TopicListing { summary: TopicSummary::from(t), columns: columns(t, ItemText::None) }
    }
}

/// A topic's page compares what each agreement says, quoting each item
/// whole while they number at most this; past it (a site of hundreds of
/// agreements, where one topic gathered 1,921 items and its page weighed
/// 17 MB) each item is shown by its opening words and links to its page.
/// The real agreements' largest topic has 11.
const TOPIC_ITEMS_WHOLE: usize = 60;

/// A topic as its own page shows it (see [`TOPIC_ITEMS_WHOLE`]).
#[derive(Serialize)]
struct TopicPage<'a> {
    #[serde(flatten)]
    summary: TopicSummary<'a>,
    path: &'a str,
    nhs_areas: &'a [crate::model::NhsArea],
    /// How many items the topic gathers, and whether each is quoted whole.
    items: usize,
    whole: bool,
    columns: Vec<ColumnListing<'a>>,
}

impl<'a> From<&'a crate::model::Topic> for TopicPage<'a> {
    fn from(t: &'a crate::model::Topic) -> Self {
        let items = t.columns.iter().map(|c| c.items.len()).sum();
        let whole = items <= TOPIC_ITEMS_WHOLE;
        let text = if whole { ItemText::Whole } else { ItemText::Excerpt };
        TopicPage {
            summary: TopicSummary::from(t),
            path: &t.path,
            nhs_areas: &t.nhs_areas,
            items,
            whole,
            columns: columns(t, text),
        }
    }
}

/// One agreement's column of a topic.
#[derive(Serialize)]
struct ColumnListing<'a> {
    agreement_slug: &'a str,
    short_title: &'a str,
    url: &'a str,
    items: Vec<ItemOnTopic<'a>>,
    sections: &'a [crate::model::SectionOnTopic],
    figures: &'a [crate::model::FigureLink],
}

/// An item in a topic's column, with its text whole, its first words, or neither.
#[derive(Serialize)]
struct ItemOnTopic<'a> {
    label: &'a str,
    anchor: &'a str,
    agreement: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    html: Option<model::Shared<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    excerpt: Option<String>,
}

#[derive(Clone, Copy, PartialEq)]
enum ItemText {
    None,
    Whole,
    Excerpt,
}

fn columns(t: &crate::model::Topic, text: ItemText) -> Vec<ColumnListing<'_>> {
    t.columns
        .iter()
        .map(|c| ColumnListing {
            agreement_slug: &c.agreement_slug,
            short_title: &c.short_title,
            url: &c.url,
            sections: &c.sections,
            figures: &c.figures,
            items: c
                .items
                .iter()
                .map(|i| ItemOnTopic {
                    label: &i.label,
                    anchor: &i.anchor,
                    agreement: &i.agreement,
                    url: &i.url,
                    html: (text == ItemText::Whole).then_some(model::Shared(&i.html)),
                    excerpt: (text == ItemText::Excerpt).then(|| model::excerpt(&i.text, 300)),
                })
                .collect(),
        })
        .collect()
}

/// An agreement as lists show it: its facts and its items' labels and excerpts.
#[derive(Serialize)]
struct AgreementListing<'a> {
    #[serde(flatten)]
    summary: AgreementSummary<'a>,
    items: Vec<ItemListing<'a>>,
}

#[derive(Serialize)]
struct ItemListing<'a> {
    kind: crate::model::Kind,
    label: &'a str,
    url: &'a str,
    text: String,
}

impl<'a> From<&'a Agreement> for AgreementListing<'a> {
    fn from(a: &'a Agreement) -> Self {
        AgreementListing {
            summary: AgreementSummary::from(a),
            items: a
                .items
                .iter()
                .map(|i| ItemListing {
                    kind: i.kind,
                    label: &i.label,
                    url: &i.url,
                    text: crate::model::excerpt(&i.text, 140),
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct ItemLink<'a> {
    label: &'a str,
    url: &'a str,
}

/// One day's changes to the text, for the page of changes.
#[derive(Serialize)]
struct ChangeDay<'a> {
    date: &'a str,
    long_date: &'a str,
    changes: Vec<TextChange<'a>>,
}

#[derive(Serialize)]
struct TextChange<'a> {
    item: &'a str,
    agreement: &'a str,
    /// The version's page.
    url: &'a str,
    /// False for an item's first version.
    changed: bool,
}

/// Every version of every item, grouped by day, newest day first; within a
/// day in the agreements' and items' own order.
fn changes_by_day(site: &Site) -> Vec<ChangeDay<'_>> {
    // (date, long date, change): each agreement's versions before its items'.
    let mut all: Vec<(&str, &str, TextChange)> = Vec::new();
    for a in &site.agreements {
        for v in &a.versions {
            let change = TextChange {
                item: "The whole agreement",
                agreement: &a.short_title,
                url: &v.url,
                changed: v.previous.is_some(),
            };
            all.push((&v.date, &v.long_date, change));
        }
        for i in &a.items {
            for v in &i.versions {
                let change = TextChange {
                    item: &i.label,
                    agreement: &a.short_title,
                    url: &v.url,
                    changed: v.diff.is_some(),
                };
                all.push((&v.date, &v.long_date, change));
            }
        }
    }
    // Stable: the agreements' and items' order is kept within a day.
    all.sort_by(|x, y| y.0.cmp(x.0));
    let mut days: Vec<ChangeDay> = Vec::new();
    for (date, long_date, change) in all {
        if days.last().is_none_or(|d| d.date != date) {
            days.push(ChangeDay { date, long_date, changes: Vec::new() });
        }
        days.last_mut().expect("a day was just pushed").changes.push(change);
    }
    days
}

/// A version as the list of an item's versions shows it: without its text.
#[derive(Serialize)]
struct VersionListing<'a> {
    number: usize,
    date: &'a str,
    long_date: &'a str,
    url: &'a str,
    current: bool,
    changed: bool,
}

impl<'a> From<&'a crate::model::AgreementVersion> for VersionListing<'a> {
    fn from(v: &'a crate::model::AgreementVersion) -> Self {
        VersionListing {
            number: v.number,
            date: &v.date,
            long_date: &v.long_date,
            url: &v.url,
            current: v.current,
            changed: v.previous.is_some(),
        }
    }
}

impl<'a> From<&'a crate::model::Version> for VersionListing<'a> {
    fn from(v: &'a crate::model::Version) -> Self {
        VersionListing {
            number: v.number,
            date: &v.date,
            long_date: &v.long_date,
            url: &v.url,
            current: v.current,
            changed: v.diff.is_some(),
        }
    }
}

impl<'a> From<&'a Item> for ItemLink<'a> {
    fn from(i: &'a Item) -> Self {
        ItemLink { label: &i.label, url: &i.url }
    }
}

/// Whitespace collapsed and comments removed, with `<pre>`, `<textarea>` and
/// scripts and styles left as written. html-minifier streams through the page
/// once, about five times faster than minify-html, which parsed every page
/// into a tree and weighed three quotings of every attribute value: a third of
/// a 10,000-page build. Its pages are 4% larger before gzip, 2% after.
/// Markup it cannot finish (an unclosed tag or comment at the very end) is
/// written as the template made it rather than cut short.
fn minify(html: &[u8]) -> Vec<u8> {
    let mut minifier = html_minifier::HTMLMinifier::new();
    minifier.set_minify_js(false);
    minifier.set_minify_css(false);
    // `into_html` finishes the input itself.
    match minifier.digest(html) {
        Ok(()) => minifier.into_html().unwrap_or_else(|_| html.to_vec()),
        Err(_) => html.to_vec(),
    }
}

/// Colours for highlighted code, from a light syntect theme, each darkened
/// where it needs to be to reach WCAG's 4.5:1 contrast on the code block's
/// background (the theme's `--panel`, `#f3f2f1`): the theme's own colours
/// fall short for some kinds of token.
fn syntax_css() -> String {
    use syntect::highlighting::ThemeSet;
    use syntect::html::{css_for_theme_with_class_style, ClassStyle};
    let themes = ThemeSet::load_defaults();
    let css = themes
        .themes
        .get("InspiredGitHub")
        .and_then(|t| css_for_theme_with_class_style(t, ClassStyle::Spaced).ok())
        .unwrap_or_default();
    let mut out = String::with_capacity(css.len());
    let mut rest = css.as_str();
    while let Some(at) = rest.find(" color: #") {
        let (before, after) = rest.split_at(at + " color: #".len());
        out.push_str(before);
        let hex = &after[..after.len().min(6)];
        match u32::from_str_radix(hex, 16) {
            Ok(rgb) if hex.len() == 6 => {
                out.push_str(&format!("{:06x}", legible_on(rgb, CODE_BACKGROUND)));
                rest = &after[6..];
            }
            _ => rest = after,
        }
    }
    out.push_str(rest);
    out
}

/// The background of a code block, as the theme's style sheet sets it (`--panel`).
const CODE_BACKGROUND: u32 = 0xf3f2f1;

/// `rgb`, darkened step by step until its contrast with `background` is at least 4.5:1.
fn legible_on(rgb: u32, background: u32) -> u32 {
    let channels = |rgb: u32| {
        [(rgb >> 16) as f64 / 255.0, ((rgb >> 8) & 0xff) as f64 / 255.0, (rgb & 0xff) as f64 / 255.0]
    };
    let luminance = |c: [f64; 3]| {
        let lin = |v: f64| if v <= 0.03928 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) };
        0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
    };
    let back = luminance(channels(background));
    let mut c = channels(rgb);
    while (back + 0.05) / (luminance(c) + 0.05) < 4.6 {
        c = c.map(|v| v * 0.9);
    }
    let byte = |v: f64| (v * 255.0).round() as u32;
    (byte(c[0]) << 16) | (byte(c[1]) << 8) | byte(c[2])
}

//! The plan: every file of the site, its pages queued but not yet rendered,
//! so a build renders all of them and a rebuild only those whose inputs
//! changed. Each page is a [`Job`]: where it goes, its template, and a
//! closure that hands its data to a [`Sink`], either a template's context or
//! a fingerprint of everything the page is made from.

use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use serde::Serialize;

use super::highlight::syntax_css;
use super::pages::{common, render_jobs, Data, Job, PageTimes, Sink};
use super::views::*;
use super::{charts, cite, data, feeds, headers, OutputFile, Theme};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::theme::template_of;
use crate::model::{self, Agreement, Site};
use crate::paths::{self, PageKind};

/// A page's data as a [`Data`] closure: `data!({ "name": value, ... })`,
/// each value handed to a [`Sink`] when the page renders or is fingerprinted.
macro_rules! data {
    ({ $($key:literal : $value:expr),* $(,)? }) => {
        Box::new(move |sink: &mut Sink| { $( sink.field($key, &$value)?; )* Ok(()) }) as Data<'_>
    };
}

/// Every file of the site, its pages queued but not yet rendered, so a
/// rebuild can render only the pages whose inputs changed.
pub struct Plan<'a> {
    jobs: Vec<Job<'a>>,
    rest: NonPageFiles<'a>,
    /// Every paragraph anchor the site answers for (`/agreements/x/#p-…`).
    anchors: Vec<String>,
}

/// What [`Plan::render`] made: the pages it rendered, in queue order, and
/// every file not made from a page template (static files, and feeds and
/// open data unless they were deferred).
pub struct Rendered {
    pub pages: Vec<OutputFile>,
    pub others: Vec<OutputFile>,
}

/// Files made without a page template: static files now, feeds and open
/// data when they are asked for.
pub struct NonPageFiles<'a> {
    files: Vec<OutputFile>,
    later: Vec<Deferred<'a>>,
    streamed: Vec<StreamedFile<'a>>,
}

type Deferred<'a> = Box<dyn FnOnce() -> Result<Vec<OutputFile>, Diagnostic> + Send + 'a>;

/// A file too large to hold whole (the open data of a large site): made
/// straight into wherever it is written.
pub struct StreamedFile<'a> {
    pub path: String,
    pub write: WriteInto<'a>,
}

/// Writes a [`StreamedFile`] file's bytes into the writer it is given.
pub type WriteInto<'a> = Box<dyn FnOnce(&mut dyn std::io::Write) -> std::io::Result<()> + Send + 'a>;

impl StreamedFile<'_> {
    /// The file made in memory, for builds that keep every file.
    pub fn into_file(self) -> Result<OutputFile, Diagnostic> {
        let mut bytes = Vec::new();
        (self.write)(&mut bytes)
            .map_err(|e| Diagnostic::file(&self.path, format!("cannot make the open data: {e}")))?;
        Ok(OutputFile { path: self.path, bytes })
    }
}

impl NonPageFiles<'_> {
    /// Only the site's data (feeds, open data, citations, each page's data),
    /// not the static files.
    pub fn site_data(self) -> Self {
        NonPageFiles { files: Vec::new(), ..self }
    }

    /// Hands over every file whole, streamed ones made in memory, in the
    /// order [`NonPageFiles::for_each`] hands them over.
    pub fn each_in_memory(
        self,
        mut f: impl FnMut(OutputFile) -> Result<(), Diagnostic>,
    ) -> Result<(), Diagnostic> {
        let NonPageFiles { files, later, streamed } = self;
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
        mut stream: impl FnMut(StreamedFile) -> Result<(), Diagnostic>,
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
    pub fn take_rest(&mut self) -> NonPageFiles<'p> {
        std::mem::replace(
            &mut self.rest,
            NonPageFiles { files: Vec::new(), later: Vec::new(), streamed: Vec::new() },
        )
    }

    /// The site path of every page this plan makes: the site's public URLs
    /// (redirects and withdrawals included, for they are promises too), and
    /// every paragraph anchor, on its page or sent on to a version.
    pub fn urls(&self) -> std::collections::BTreeSet<String> {
        self.jobs.iter().map(|j| j.path.clone()).chain(self.anchors.iter().cloned()).collect()
    }

    /// The pages and static files this plan makes (not feeds and open data,
    /// whose fixed names are known only once they are made).
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.jobs.iter().map(|j| j.file.as_str()).chain(self.rest.files.iter().map(|f| f.path.as_str()))
    }

    /// Renders the queued pages whose index `wanted` accepts, counting each
    /// in `done`, and makes every other file, all in memory.
    pub fn render(
        self,
        site: &Site,
        theme: &Theme,
        wanted: impl Fn(usize) -> bool + Sync,
        done: &crate::progress::ProgressBar,
    ) -> Result<Rendered, Diagnostics> {
        let pages = std::sync::Mutex::new(Vec::new());
        let (rest, _) = self.render_each(site, theme, wanted, |i, file| {
            pages.lock().unwrap_or_else(|e| e.into_inner()).push((i, file));
            done.inc(1);
            Ok(())
        })?;
        let mut pages = pages.into_inner().unwrap_or_else(|e| e.into_inner());
        pages.sort_unstable_by_key(|(i, _)| *i);
        let mut others = Vec::new();
        rest.each_in_memory(|file| {
            others.push(file);
            Ok(())
        })?;
        Ok(Rendered { pages: pages.into_iter().map(|(_, f)| f).collect(), others })
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
    ) -> Result<(NonPageFiles<'p>, PageTimes), Diagnostics> {
        let jobs: Vec<(usize, Job)> =
            std::mem::take(&mut self.jobs).into_iter().enumerate().filter(|(i, _)| wanted(*i)).collect();
        let times = PageTimes::default();
        render_jobs(site, theme, jobs, &times, &sink)?;
        Ok((self.rest, times))
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

/// Queues every page and makes every other file. The order is the
/// sitemap's, and each group is a step of its own.
pub fn plan_site<'a>(site: &'a Site, theme: &Theme) -> Plan<'a> {
    // Lists of agreements carry only what a list shows, not every item's HTML.
    let listings: Arc<Vec<AgreementListing>> =
        Arc::new(site.agreements.iter().map(AgreementListing::from).collect());
    let mut q = Queue { files: Vec::new(), later: Vec::new(), streamed: Vec::new(), jobs: Vec::new() };
    q.home_topics_and_agreements(site, &listings);
    for agreement in &site.agreements {
        q.agreement(site, agreement);
    }
    q.pages_people_and_bodies(site);
    q.moved_and_withdrawn(site);
    q.finding_aids(site, &listings);
    q.data_and_figures(site);
    q.changes_and_glossary(site);
    q.theme_files(site, theme);
    q.feeds(site);
    let anchors = site.agreements.iter().flat_map(|a| a.paragraph_urls()).collect();
    Plan {
        jobs: q.jobs,
        rest: NonPageFiles { files: q.files, later: q.later, streamed: q.streamed },
        anchors,
    }
}

struct Queue<'a> {
    files: Vec<OutputFile>,
    later: Vec<Deferred<'a>>,
    streamed: Vec<StreamedFile<'a>>,
    jobs: Vec<Job<'a>>,
}

impl<'a> Queue<'a> {
    /// The home page, the topics and their table, and the list of agreements.
    fn home_topics_and_agreements(&mut self, site: &'a Site, listings: &Arc<Vec<AgreementListing<'a>>>) {
        self.fixed(
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
            self.fixed(
                paths::TOPICS,
                data!({
                    "page_title": "Topics",
                    "topics": site.topics.iter().map(TopicListing::from).collect::<Vec<_>>(),
                    "agreements": site.agreements.iter().map(AgreementSummary::from).collect::<Vec<_>>(),
                }),
            );
            for topic in &site.topics {
                self.page(
                    &topic.path,
                    PageKind::Topic,
                    data!({
                        "page_title": topic.title,
                        "topic": TopicPage::from(topic),
                        "nhs_areas_from": site.nhs_areas_from,
                        "description": format!("Editors' summary: {}", topic.description.text),
                    }),
                );
            }
        }
        let all = listings.clone();
        self.fixed(
            paths::AGREEMENTS,
            data!({ "page_title": "Agreements", "agreements": all.as_slice(), "records": site.records }),
        );
    }

    /// Context pages, signatories, organisations and scrutiny bodies.
    fn pages_people_and_bodies(&mut self, site: &'a Site) {
        for page in &site.pages {
            self.page(
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
            self.fixed(paths::PEOPLE, data!({ "page_title": "Signatories", "people": site.people }));
            for p in &site.people {
                self.page(&p.path, PageKind::Person, data!({ "page_title": p.name, "person": p }));
            }
        }
        if site.has.organisations {
            self.fixed(
                paths::ORGANISATIONS,
                data!({ "page_title": "Organisations", "organisations": site.organisations }),
            );
            for o in &site.organisations {
                self.page(
                    &o.path,
                    PageKind::Organisation,
                    data!({ "page_title": o.name, "organisation": o }),
                );
            }
        }
        if site.has.scrutiny_bodies {
            self.fixed(
                paths::SCRUTINY,
                data!({ "page_title": "Scrutiny bodies", "bodies": site.scrutiny_bodies }),
            );
            for b in &site.scrutiny_bodies {
                self.page(&b.path, PageKind::ScrutinyBody, data!({ "page_title": b.name, "body": b }));
            }
        }
    }

    /// Pages for URLs that moved or were withdrawn, and the host's redirect and header files.
    fn moved_and_withdrawn(&mut self, site: &'a Site) {
        for redirect in &site.redirects {
            self.page(
                &redirect.from,
                PageKind::Redirect,
                data!({ "page_title": redirect.title, "redirect": redirect }),
            );
        }
        for w in &site.withdrawn {
            self.page(
                &w.path,
                PageKind::Withdrawn,
                data!({ "page_title": format!("Withdrawn: {}", w.title), "withdrawn": w }),
            );
        }
        if !site.redirects.is_empty() {
            let map: String = site
                .redirects
                .iter()
                .map(|rd| {
                    format!("{}{} {} 301\n", site.config.base_path.trim_end_matches('/'), rd.from, rd.to)
                })
                .collect();
            self.files
                .push(OutputFile { path: paths::file_of(paths::HOST_REDIRECTS), bytes: map.into_bytes() });
        }
        self.files.push(headers::file(&site.config.base_path));
    }

    /// Search, the A to Z and the page for unknown addresses.
    fn finding_aids(&mut self, site: &'a Site, listings: &Arc<Vec<AgreementListing<'a>>>) {
        let listings = listings.clone();
        // The words search takes as the same, as JSON in an attribute: the
        // template escapes it like any text, and the page reads it as data.
        let words = serde_json::to_string(&crate::search::query_words(site)).expect("words are plain data");
        self.fixed(
            paths::SEARCH,
            data!({
                "page_title": "Search",
                "search": crate::search::browser_files(&site.config.base_path),
                "search_words": words,
            }),
        );
        self.fixed(
            paths::A_Z,
            data!({ "page_title": "A to Z", "letters": a_to_z(site), "agreements": listings.as_slice() }),
        );
        self.fixed(paths::NOT_FOUND, data!({ "page_title": "Page not found" }));
    }

    /// Open data, citations and each page's data (made when written), and the figures and updates.
    fn data_and_figures(&mut self, site: &'a Site) {
        // Feeds and open data grow with the whole site: made when written, not held meanwhile.
        self.later.push(Box::new(move || {
            data::files(site)
                .map_err(|e| Diagnostic::file("data", format!("cannot write the open data: {e}")))
        }));
        // Planned once: the open data's JSON and the data page name each part.
        let csv_parts = data::items_csv_parts(site);
        let items_csv: Vec<paths::Link> = (1..=csv_parts.len())
            .map(|n| paths::link(&site.config.base_path, &paths::items_csv_part(n)))
            .collect();
        self.streamed.extend(data::streamed(site, csv_parts));
        // Citations and each page's data, an agreement at a time, so a large
        // site never holds all of them at once.
        for agreement in &site.agreements {
            self.later.push(Box::new(move || {
                let mut files = cite::files(site, agreement);
                files.extend(data::alternates(site, agreement).map_err(|e| {
                    Diagnostic::file(&agreement.path, format!("cannot write a page's data: {e}"))
                })?);
                Ok(files)
            }));
        }
        self.fixed(
            paths::DATA,
            data!({ "page_title": "Open data", "version": data::SCHEMA_VERSION, "has_updates": site.has.updates, "items_csv": items_csv }),
        );
        if site.has.figures {
            self.fixed(paths::FIGURES, data!({ "page_title": "Figures", "figures": site.figures }));
            for f in &site.figures {
                // A figure an agreement quotes is cited as the section it is quoted in.
                let quoted_in = site.agreements.iter().find(|a| a.slug == f.source.id);
                self.page(
                    &f.path,
                    PageKind::Figure,
                    data!({
                        "page_title": f.label,
                        "figure": f,
                        "chart": charts::chart(f),
                        "alt": charts::alt_text(f),
                        "description": charts::alt_text(f),
                        "agreement": quoted_in.map(AgreementSummary::from),
                        "citation": quoted_in.map(|a| cite::citation(site, cite::Work::figure(a, f))),
                        "csv": paths::link(&site.config.base_path, &paths::beside(&f.path, paths::FIGURE_CSV)),
                        "json": paths::link(&site.config.base_path, &paths::beside(&f.path, paths::JSON)),
                    }),
                );
            }
            self.later.push(Box::new(move || {
                data::figure_files(site)
                    .map_err(|e| Diagnostic::file("figures", format!("cannot write a figure's data: {e}")))
            }));
        }
        if site.has.updates {
            self.fixed(paths::UPDATES, data!({ "page_title": "Progress updates", "updates": site.updates }));
        }
    }

    /// The page of changes and the glossary.
    fn changes_and_glossary(&mut self, site: &'a Site) {
        self.fixed(
            paths::CHANGES,
            data!({ "page_title": "Changes to the text", "days": changes_by_day(site), "history": site.history }),
        );
        if site.has.glossary {
            self.fixed(
                paths::GLOSSARY,
                data!({
                    "page_title": "Glossary",
                    "glossary": site.glossary,
                    "description": "The abbreviations the agreements use, expanded as the documents expand them",
                }),
            );
        }
    }

    /// The theme's static files, and the style sheet for highlighted code if any page has code.
    fn theme_files(&mut self, site: &Site, theme: &Theme) {
        for (path, bytes) in &theme.static_files {
            self.files.push(OutputFile { path: path.clone(), bytes: bytes.clone() });
        }
        if site.agreements.iter().any(|a| a.has_code) || site.pages.iter().any(|p| p.has_code) {
            self.files.push(OutputFile {
                path: paths::file_of(paths::CODE_STYLES),
                bytes: syntax_css().into_bytes(),
            });
        }
    }

    /// The sitemap, robots.txt and the feed, made first of the files made when written.
    fn feeds(&mut self, site: &'a Site) {
        // Every page a reader may land on, for the sitemap: not redirects,
        // withdrawals or the page for unknown addresses.
        let listed: Vec<String> = self
            .jobs
            .iter()
            .filter(|j| {
                !matches!(
                    j.kind,
                    PageKind::Redirect | PageKind::Withdrawn | PageKind::Fixed(paths::NOT_FOUND)
                )
            })
            .map(|j| j.path.clone())
            .collect();
        self.later.insert(0, Box::new(move || Ok(feeds::files(site, &listed))));
    }
}

impl<'a> Queue<'a> {
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

/// An agreement's citations and its items', each made when a page first
/// asks for it and kept for the next ask (a page's data is read for its
/// fingerprint and again to render it). Citations are the one costly part
/// of an agreement's or item's data, more than the rest of planning the
/// site, which `accord serve` does on every save only to render the edited
/// page.
struct Citations<'a> {
    site: &'a Site,
    agreement: &'a Agreement,
    own: OnceLock<cite::Citation>,
    items: Vec<OnceLock<cite::Citation>>,
}

impl<'a> Citations<'a> {
    fn new(site: &'a Site, agreement: &'a Agreement) -> Self {
        let items = agreement.items.iter().map(|_| OnceLock::new()).collect();
        Citations { site, agreement, own: OnceLock::new(), items }
    }

    fn agreement(&self) -> &cite::Citation {
        self.own.get_or_init(|| cite::citation(self.site, cite::Work::agreement(self.agreement)))
    }

    fn item(&self, i: usize) -> &cite::Citation {
        self.items[i].get_or_init(|| {
            cite::citation(self.site, cite::Work::item(self.agreement, &self.agreement.items[i]))
        })
    }
}

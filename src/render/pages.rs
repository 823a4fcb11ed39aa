//! Rendering the queued pages: each through its template on every core,
//! abbreviations marked at their first use, minified, and handed to the
//! caller's sink as soon as it is ready, with where the time went.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::minify::minify;
use super::{glossary, theme, OutputFile, Theme};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::paths::{self, PageKind};

/// Agreements named in every page's header before it links to the full list instead.
const NAV_LIMIT: usize = 6;

/// What every template gets, whatever the page (plus `current_path`, the
/// page's site-relative path, and `canonical`, its permanent absolute URL).
#[derive(Serialize)]
pub(super) struct Common<'a> {
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

/// What every page's template gets, the same for the whole site.
pub(super) fn common(site: &Site) -> Common<'_> {
    Common {
        site: &site.config,
        // The header names a few agreements; a site with many links to the full list instead.
        nav: site
            .agreements
            .iter()
            .take(NAV_LIMIT)
            .map(|a| NavLink { title: &a.short_title, url: a.url.as_str(), path: &a.path })
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
pub(super) fn render_jobs(
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

/// A page waiting to be rendered.
pub(super) struct Job<'a> {
    pub(super) file: String,
    pub(super) path: String,
    pub(super) kind: PageKind,
    pub(super) template: &'static str,
    pub(super) data: Data<'a>,
}

/// What a page's template is given, made when the page renders (and dropped
/// after), so a big site never holds every page's data at once.
pub(super) type Data<'a> = Box<dyn Fn(&mut Sink) -> tera::TeraResult<()> + Send + Sync + 'a>;

/// Where a page's data goes, field by field: into its template's context
/// as Tera's values, or written as CBOR to be hashed. Written straight from
/// the model, a fingerprint skips making Tera's values for every page of the
/// site on every `accord serve` rebuild.
pub(super) enum Sink<'s> {
    Context(&'s mut Context),
    Fingerprint(&'s mut Vec<u8>),
}

impl Sink<'_> {
    pub(super) fn field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> tera::TeraResult<()> {
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

//! The URL scheme: where every page of the site lives.
//!
//! Permanent URLs are the site's main promise (README lists them), so they
//! are made here and nowhere else: one constructor per kind of page, the
//! table of fixed pages with the condition under which a site has each, the
//! names a free-standing page may not take, and the two ways a site path is
//! written out (as a link under the site's base path, as an absolute URL
//! under its base URL). Resolve names pages with these, the plan renders
//! them, the sitemap lists them, and the URL lock explains a lost one by them.
//!
//! A site path starts and ends with `/` (`/agreements/irc-2022-2025/`), or
//! names a file (`/404.html`).

use serde::Deserialize;

/// The kinds of numbered item an agreement can have. Fixed, because each has
/// its own place in the permanent URL scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Objective,
    Priority,
    Principle,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Objective, Kind::Priority, Kind::Principle];

    /// `priority`: the anchor prefix (`#priority-5`).
    pub fn id(self) -> &'static str {
        match self {
            Kind::Objective => "objective",
            Kind::Priority => "priority",
            Kind::Principle => "principle",
        }
    }

    /// `priorities`: the URL segment (`/priorities/5/`).
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Objective => "objectives",
            Kind::Priority => "priorities",
            Kind::Principle => "principles",
        }
    }

    /// `Priority`: how a reader sees it (`Priority 5`).
    pub fn label(self) -> &'static str {
        match self {
            Kind::Objective => "Objective",
            Kind::Priority => "Priority",
            Kind::Principle => "Principle",
        }
    }
}

pub const HOME: &str = "/";
pub const AGREEMENTS: &str = "/agreements/";
pub const TOPICS: &str = "/topics/";
pub const PEOPLE: &str = "/people/";
pub const ORGANISATIONS: &str = "/organisations/";
pub const SCRUTINY: &str = "/scrutiny/";
pub const FIGURES: &str = "/figures/";
pub const UPDATES: &str = "/updates/";
pub const DATA: &str = "/data/";
pub const SEARCH: &str = "/search/";
pub const A_Z: &str = "/a-z/";
pub const GLOSSARY: &str = "/glossary/";
pub const CHANGES: &str = "/changes/";
pub const NOT_FOUND: &str = "/404.html";

/// Every kind of page: each has its shape of URL here, and its template in
/// the theme (which also decides the ids on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKind {
    /// One of [`FIXED`], by its path.
    Fixed(&'static str),
    Agreement,
    Item,
    Page,
    Topic,
    Person,
    Organisation,
    ScrutinyBody,
    Figure,
    /// An item's text as it stood from a date.
    Version,
    /// A whole agreement's text as it stood from a date.
    AgreementVersion,
    /// An old URL that now redirects.
    Redirect,
    /// A URL taken down on purpose, explained.
    Withdrawn,
}

impl PageKind {
    /// Every kind, the fixed pages one by one.
    pub fn all() -> impl Iterator<Item = PageKind> {
        FIXED.iter().map(|(path, _)| PageKind::Fixed(path)).chain([
            PageKind::Agreement,
            PageKind::Item,
            PageKind::Page,
            PageKind::Topic,
            PageKind::Person,
            PageKind::Organisation,
            PageKind::ScrutinyBody,
            PageKind::Figure,
            PageKind::Version,
            PageKind::AgreementVersion,
            PageKind::Redirect,
            PageKind::Withdrawn,
        ])
    }
}

/// What a site has, for the pages that exist only when it has them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Has {
    pub topics: bool,
    pub people: bool,
    pub organisations: bool,
    pub scrutiny_bodies: bool,
    pub figures: bool,
    pub updates: bool,
    pub glossary: bool,
}

/// When a fixed page is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Always,
    Topics,
    People,
    Organisations,
    ScrutinyBodies,
    Figures,
    Updates,
    Glossary,
}

impl When {
    pub fn holds(self, has: &Has) -> bool {
        match self {
            When::Always => true,
            When::Topics => has.topics,
            When::People => has.people,
            When::Organisations => has.organisations,
            When::ScrutinyBodies => has.scrutiny_bodies,
            When::Figures => has.figures,
            When::Updates => has.updates,
            When::Glossary => has.glossary,
        }
    }
}

/// The pages every site has, or has when it has what they list, and the
/// folder (if any) whose pages they list.
pub const FIXED: &[(&str, When)] = &[
    (HOME, When::Always),
    (AGREEMENTS, When::Always),
    (SEARCH, When::Always),
    (A_Z, When::Always),
    (DATA, When::Always),
    (TOPICS, When::Topics),
    (PEOPLE, When::People),
    (ORGANISATIONS, When::Organisations),
    (SCRUTINY, When::ScrutinyBodies),
    (FIGURES, When::Figures),
    (UPDATES, When::Updates),
    (GLOSSARY, When::Glossary),
    (CHANGES, When::Always),
    (NOT_FOUND, When::Always),
];

/// The fixed pages by the names templates ask for them by
/// (`{{ url(page="search") }}`), so a theme never spells a site path.
pub const NAMED: &[(&str, &str)] = &[
    ("home", HOME),
    ("agreements", AGREEMENTS),
    ("search", SEARCH),
    ("a-z", A_Z),
    ("data", DATA),
    ("topics", TOPICS),
    ("people", PEOPLE),
    ("organisations", ORGANISATIONS),
    ("scrutiny", SCRUTINY),
    ("figures", FIGURES),
    ("updates", UPDATES),
    ("glossary", GLOSSARY),
    ("changes", CHANGES),
];

/// The site path of the fixed page named `name` (see [`NAMED`]).
pub fn named(name: &str) -> Option<&'static str> {
    NAMED.iter().find(|(n, _)| *n == name).map(|(_, path)| *path)
}

/// The site path of a file the site publishes at a fixed name (`feed.xml`,
/// `data/items.csv`, a theme's `style.css`), or `None` for a name that
/// could leave the site or is a page's path.
pub fn file(name: &str) -> Option<String> {
    let safe = !name.is_empty()
        && !name.starts_with('/')
        && !name.ends_with('/')
        && name.split('/').all(|part| !part.is_empty() && part != "." && part != "..");
    safe.then(|| format!("/{name}"))
}

/// The fixed pages a site with `has` builds.
pub fn fixed(has: &Has) -> impl Iterator<Item = &'static str> + '_ {
    FIXED.iter().filter(|(_, when)| when.holds(has)).map(|(path, _)| *path)
}

/// Top-level names the site uses for its own pages and files, now or in
/// planned features: a free-standing page cannot take one.
pub fn reserved_slugs() -> impl Iterator<Item = &'static str> {
    let fixed = FIXED.iter().filter_map(|(path, _)| path.strip_prefix('/')?.strip_suffix('/'));
    fixed.chain(["static", "pagefind", "404", "changes", "versions"])
}

pub fn agreement(slug: &str) -> String {
    format!("{AGREEMENTS}{slug}/")
}

pub fn item(agreement_slug: &str, kind: Kind, number: u32) -> String {
    format!("{AGREEMENTS}{agreement_slug}/{}/{number}/", kind.plural())
}

/// An agreement's or item's text as it stood from `date` (`YYYY-MM-DD`):
/// `{page}versions/{date}/`.
pub fn version(page: &str, date: &str) -> String {
    format!("{page}versions/{date}/")
}

pub fn topic(id: &str) -> String {
    format!("{TOPICS}{id}/")
}

pub fn person(id: &str) -> String {
    format!("{PEOPLE}{id}/")
}

pub fn organisation(id: &str) -> String {
    format!("{ORGANISATIONS}{id}/")
}

pub fn scrutiny_body(id: &str) -> String {
    format!("{SCRUTINY}{id}/")
}

pub fn figure(id: &str) -> String {
    format!("{FIGURES}{id}/")
}

/// Files the site publishes at fixed names, as site paths ([`file_of`] gives
/// where each is written). Not pages, so not in the URL lock, but as fixed.
pub const FEED: &str = "/feed.xml";
pub const SITEMAP: &str = "/sitemap.xml";
pub const ROBOTS: &str = "/robots.txt";
/// Redirects and headers for the hosts that read them (Netlify, Cloudflare Pages).
pub const HOST_REDIRECTS: &str = "/_redirects";
pub const HOST_HEADERS: &str = "/_headers";
/// The style sheet for highlighted code, where a page has code.
pub const CODE_STYLES: &str = "/syntax.css";
/// The open data: the whole model, and its tables.
pub const DATA_JSON: &str = "/data/accord.json";
pub const ITEMS_CSV: &str = "/data/items.csv";

/// The `n`th part (from 1) of the items' CSV: `ITEMS_CSV` itself, then
/// `/data/items-2.csv` and so on, for a site whose items would not fit in
/// one file a host takes.
pub fn items_csv_part(n: usize) -> String {
    match n {
        0 | 1 => ITEMS_CSV.to_owned(),
        n => format!("/data/items-{n}.csv"),
    }
}
pub const FIGURES_CSV: &str = "/data/figures.csv";
pub const UPDATES_CSV: &str = "/data/updates.csv";

/// Files published in an agreement's or item's folder, beside its page: the
/// same work as citation data and as data. Not pages, so not in the URL lock,
/// but their names are as fixed as the page's URL.
pub const BIBTEX: &str = "cite.bib";
pub const RIS: &str = "cite.ris";
pub const CSL_JSON: &str = "cite.json";
/// The page's content as JSON (`rel="alternate"`).
pub const JSON: &str = "index.json";
/// An agreement as an Akoma Ntoso 3.0 document.
pub const AKOMA_NTOSO: &str = "akn.xml";
/// A figure's values as CSV, beside its page (the rows of `FIGURES_CSV` that are its).
pub const FIGURE_CSV: &str = "data.csv";

/// A file beside the page at `page` (a site path ending in `/`): `/agreements/x/` + `cite.bib`.
pub fn beside(page: &str, name: &str) -> String {
    format!("{page}{name}")
}

/// A free-standing page from `content/pages/{slug}.md`.
pub fn page(slug: &str) -> String {
    format!("/{slug}/")
}

/// An item's permanent anchor on its agreement's page: `priority-5`.
pub fn item_anchor(kind: Kind, number: u32) -> String {
    format!("{}-{number}", kind.id())
}

/// A demonstrable measure's permanent anchor: `principle-8-measure-3`.
pub fn measure_anchor(kind: Kind, number: u32, measure: u32) -> String {
    format!("{}-{number}-measure-{measure}", kind.id())
}

/// The anchor of the list of an item's measures: `principle-8-measures`.
pub fn measures_anchor(kind: Kind, number: u32) -> String {
    format!("{}-measures", item_anchor(kind, number))
}

/// A governance body's anchor on its agreement's page: `governance-{id}`.
pub fn governance_anchor(id: &str) -> String {
    format!("governance-{id}")
}

/// Whether `id` has the shape of an item's anchor, which a section may not take.
pub fn is_item_anchor_shaped(id: &str) -> bool {
    Kind::ALL.iter().any(|kind| id.strip_prefix(kind.id()).is_some_and(|rest| rest.starts_with('-')))
}

/// `path#anchor`.
pub fn at(path: &str, anchor: &str) -> String {
    format!("{path}#{anchor}")
}

/// A link to a place on the site: its site path under the site's base path
/// (`/sub/agreements/x/` for `/agreements/x/` on a site published at
/// `/sub/`), as pages write it. Its own type so that a link is never taken
/// for a site path: made absolute as if it were one, it would name the base
/// path twice. [`absolute_from_link`] takes a link; [`absolute`] a site path:
///
/// ```
/// use accord::paths::{absolute, absolute_from_link, link};
/// let topics = link("/sub/", "/topics/");
/// let url = absolute_from_link("https://x.example/sub/", "/sub/", &topics);
/// assert_eq!(url, absolute("https://x.example/sub/", "/topics/"));
/// ```
///
/// ```compile_fail
/// // A link where a site path belongs does not compile.
/// let topics = accord::paths::link("/sub/", "/topics/");
/// accord::paths::absolute("https://x.example/sub/", &topics);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize)]
#[serde(transparent)]
pub struct Link(String);

impl Link {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// This link with `#anchor`.
    pub fn at(&self, anchor: &str) -> Link {
        Link(at(&self.0, anchor))
    }

    /// A link as a page wrote it (`href`), read back from the HTML.
    pub fn written(href: &str) -> Link {
        Link(href.to_owned())
    }

    /// The same place on the same page: `#anchor`.
    pub fn on_this_page(anchor: &str) -> Link {
        Link(at("", anchor))
    }
}

impl std::fmt::Display for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A site path as a link target: under the site's base path (`/` or `/sub/`).
pub fn link(base_path: &str, path: &str) -> Link {
    Link(format!("{}{path}", base_path.trim_end_matches('/')))
}

/// A site path as an absolute URL: under the site's base URL.
pub fn absolute(base_url: &str, path: &str) -> String {
    format!("{base_url}{}", path.trim_start_matches('/'))
}

/// A link target made by [`link`] back to its absolute URL.
pub fn absolute_from_link(base_url: &str, base_path: &str, link: &Link) -> String {
    let path = link.0.strip_prefix(base_path.trim_end_matches('/')).unwrap_or(&link.0);
    absolute(base_url, path)
}

/// The site path an `@/` reference names (`@/agreements/x/priorities/3` →
/// `/agreements/x/priorities/3/`, `@/` → `/`), or `None` if it is not one.
pub fn from_reference(reference: &str) -> Option<String> {
    let rest = reference.strip_prefix("@/")?.trim_matches('/');
    Some(if rest.is_empty() { HOME.to_owned() } else { format!("/{rest}/") })
}

/// The file a site path is written to, relative to the output folder:
/// `/x/y/` → `x/y/index.html`, `/x.html` → `x.html`.
pub fn file_of(path: &str) -> String {
    let rel = path.trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_owned()
    }
}

/// What kind of page a site path is, read from its shape, for messages
/// about a page that is gone.
pub enum Shape<'a> {
    Agreement(&'a str),
    Item {
        agreement: &'a str,
        kinds: &'a str,
        number: &'a str,
    },
    /// `/{folder}/{id}/`: a topic, person, organisation, scrutiny body or figure.
    Entry {
        folder: &'a str,
        id: &'a str,
    },
    Page(&'a str),
    /// An agreement's or item's text as at a date.
    Version {
        agreement: &'a str,
        /// The item's `kinds` and `number`; `None` for the whole agreement.
        item: Option<(&'a str, &'a str)>,
        date: &'a str,
    },
    Other,
}

pub fn shape(path: &str) -> Shape<'_> {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    match parts.as_slice() {
        ["agreements", agreement, "versions", date] => Shape::Version { agreement, item: None, date },
        ["agreements", agreement, kinds, number] => Shape::Item { agreement, kinds, number },
        ["agreements", agreement, kinds, number, "versions", date] => {
            Shape::Version { agreement, item: Some((kinds, number)), date }
        }
        ["agreements", agreement] => Shape::Agreement(agreement),
        [folder, id] => Shape::Entry { folder, id },
        [page] if !page.is_empty() => Shape::Page(page),
        _ => Shape::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_and_files() {
        assert_eq!(
            from_reference("@/agreements/x/priorities/3").as_deref(),
            Some("/agreements/x/priorities/3/")
        );
        assert_eq!(from_reference("@/agreements/x/").as_deref(), Some("/agreements/x/"));
        assert_eq!(from_reference("@/").as_deref(), Some("/"));
        assert_eq!(from_reference("/agreements/x"), None);
        assert_eq!(file_of("/"), "index.html");
        assert_eq!(file_of("/a-z/"), "a-z/index.html");
        assert_eq!(file_of("/404.html"), "404.html");
        assert_eq!(link("/sub/", "/topics/").as_str(), "/sub/topics/");
        assert_eq!(absolute("https://x.example/sub/", "/topics/"), "https://x.example/sub/topics/");
    }

    #[test]
    fn fixed_pages_follow_what_the_site_has() {
        let none = Has::default();
        assert!(fixed(&none).all(|p| p != FIGURES && p != PEOPLE));
        let figures = Has { figures: true, ..Has::default() };
        assert!(fixed(&figures).any(|p| p == FIGURES));
        assert!(reserved_slugs().any(|s| s == "figures") && reserved_slugs().any(|s| s == "a-z"));
    }

    #[test]
    fn every_fixed_page_but_the_404_has_a_name() {
        for (path, _) in FIXED.iter().filter(|(path, _)| *path != NOT_FOUND) {
            assert!(NAMED.iter().any(|(_, p)| p == path), "{path} has no name for templates");
        }
        assert_eq!(named("a-z"), Some(A_Z));
        assert_eq!(file("data/items.csv").as_deref(), Some("/data/items.csv"));
        assert_eq!(file("../secret"), None);
        assert_eq!(file("topics/"), None);
    }
}

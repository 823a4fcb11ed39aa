//! Machine-readable discovery: `sitemap.xml`, `robots.txt` and an Atom feed
//! of what changed. Written in code rather than templates because their
//! formats are fixed by their specifications, not by the theme; the XML
//! through quick-xml, as the Akoma Ntoso is, so escaping is its job.

use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

use crate::model::Site;
use crate::render::OutputFile;

/// A page for the sitemap, or an entry of the feed: absolute URL, title, last change, summary.
struct FeedEntry {
    url: String,
    /// The feed entry's permanent identity.
    id: String,
    title: String,
    updated: Option<String>,
    summary: String,
}

fn absolute(site: &Site, path: &str) -> String {
    crate::paths::absolute(&site.config.base_url, path)
}

/// The pages readers cite: agreements, items and pages, with their dates.
fn dated_entries(site: &Site) -> Vec<FeedEntry> {
    let mut out = Vec::new();
    for a in &site.agreements {
        out.push(FeedEntry {
            id: String::new(),
            url: absolute(site, &a.path),
            title: a.title.clone(),
            updated: a.updated.clone(),
            summary: a.title.clone(),
        });
        for i in &a.items {
            out.push(FeedEntry {
                id: String::new(),
                url: absolute(site, &i.path),
                title: format!("{} · {}", i.label, a.short_title),
                updated: i.updated.clone(),
                summary: i.text.to_string(),
            });
        }
    }
    for p in &site.pages {
        out.push(FeedEntry {
            id: String::new(),
            url: absolute(site, &crate::paths::page(&p.slug)),
            title: p.title.clone(),
            updated: p.updated.clone(),
            summary: p.description.clone().unwrap_or_else(|| p.title.clone()),
        });
    }
    out
}

/// The sitemap lists `listed` (site paths of the pages a reader may land on).
pub fn files(site: &Site, listed: &[String]) -> Vec<OutputFile> {
    vec![
        OutputFile {
            path: crate::paths::file_of(crate::paths::SITEMAP),
            bytes: sitemap(site, listed).into_bytes(),
        },
        OutputFile { path: crate::paths::file_of(crate::paths::ROBOTS), bytes: robots(site).into_bytes() },
        OutputFile { path: crate::paths::file_of(crate::paths::FEED), bytes: feed(site).into_bytes() },
    ]
}

/// Every page, with the date its content last changed where the content says.
fn sitemap(site: &Site, listed: &[String]) -> String {
    let dated: std::collections::HashMap<String, Option<String>> =
        dated_entries(site).into_iter().map(|e| (e.url, e.updated)).collect();
    // A page made from many files (a list, a topic) last changed no later
    // than the content's latest change.
    let latest = latest_change(site);
    xml_document("urlset", &[("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9")], |w| {
        for path in listed {
            let loc = absolute(site, path);
            let lastmod = dated.get(&loc).cloned().flatten().unwrap_or_else(|| latest.clone());
            w.create_element("url").write_inner_content(|w| {
                leaf(w, "loc", &loc)?;
                leaf(w, "lastmod", &lastmod)
            })?;
        }
        Ok(())
    })
}

/// The date of the content's latest change: from its history, else the as-at date.
fn latest_change(site: &Site) -> String {
    site.changes.first().map_or_else(|| site.as_at.date.clone(), |c| c.date.clone())
}

fn robots(site: &Site) -> String {
    format!("User-agent: *\nAllow: /\n\nSitemap: {}\n", absolute(site, crate::paths::SITEMAP))
}

/// How many changes the feed carries: the latest, as feed readers expect.
const FEED_ENTRIES: usize = 50;

/// Atom (RFC 4287): one entry per change to the content (each commit of its
/// history, dated as committed, naming the pages it changed) and per
/// progress update published, newest first.
fn feed(site: &Site) -> String {
    let entries = feed_entries(site);
    let newest =
        entries.iter().filter_map(|e| e.updated.clone()).max().unwrap_or_else(|| latest_change(site));
    let subtitle = if site.changes.is_empty() {
        "Changes to the agreements as they happen (this site's content has no history yet)"
    } else {
        "Every change to the agreements' text and the site's content, newest first"
    };
    let base = &site.config.base_url;
    let html = [("rel", "alternate"), ("type", "text/html")];
    xml_document("feed", &[("xmlns", "http://www.w3.org/2005/Atom")], |w| {
        leaf(w, "title", &format!("{}: changes", site.config.title))?;
        leaf(w, "subtitle", subtitle)?;
        let feed = absolute(site, crate::paths::FEED);
        w.create_element("link")
            .with_attributes([("rel", "self"), ("type", "application/atom+xml"), ("href", feed.as_str())])
            .write_empty()?;
        w.create_element("link")
            .with_attributes(html)
            .with_attribute(("href", base.as_str()))
            .write_empty()?;
        leaf(w, "id", base)?;
        leaf(w, "updated", &format!("{newest}T00:00:00Z"))?;
        w.create_element("generator")
            .with_attribute(("version", env!("CARGO_PKG_VERSION")))
            .write_text_content(BytesText::new("accord"))?;
        w.create_element("author").write_inner_content(|w| leaf(w, "name", &site.config.title))?;
        for e in entries {
            let updated = e.updated.unwrap_or_else(|| newest.clone());
            w.create_element("entry").write_inner_content(|w| {
                leaf(w, "title", &e.title)?;
                w.create_element("link")
                    .with_attributes(html)
                    .with_attribute(("href", e.url.as_str()))
                    .write_empty()?;
                leaf(w, "id", &e.id)?;
                leaf(w, "updated", &format!("{updated}T00:00:00Z"))?;
                leaf(w, "summary", &crate::model::excerpt(&e.summary, 600))
            })?;
        }
        Ok(())
    })
}

/// The feed's entries, newest first, at most [`FEED_ENTRIES`].
fn feed_entries(site: &Site) -> Vec<FeedEntry> {
    let host = site.config.base_url.split("://").nth(1).and_then(|r| r.split('/').next()).unwrap_or("accord");
    let mut entries: Vec<FeedEntry> = site
        .changes
        .iter()
        .map(|c| {
            let first = &c.pages[0];
            // A commit updates the site; whether it changed an agreement's
            // words, and how, is said by the entries for its versions below.
            let title = match c.pages.len() {
                1 => format!("Site updated: {}", first.title),
                n => format!(
                    "Site updated: {} and {} more page{}",
                    first.title,
                    n - 1,
                    if n == 2 { "" } else { "s" }
                ),
            };
            let pages: Vec<&str> = c.pages.iter().map(|p| p.title.as_str()).collect();
            FeedEntry {
                url: crate::paths::absolute_from_link(
                    &site.config.base_url,
                    &site.config.base_path,
                    &first.url,
                ),
                id: format!("tag:{host},{}:change-{}", c.date, c.id),
                title,
                updated: Some(c.date.clone()),
                summary: format!(
                    "This site was updated on {}: {}.",
                    crate::load::long_date(&c.date),
                    pages.join("; ")
                ),
            }
        })
        .collect();
    entries.extend(site.updates.iter().map(|u| {
        let url = crate::paths::absolute_from_link(&site.config.base_url, &site.config.base_path, &u.url);
        FeedEntry {
            id: url.clone(),
            url,
            title: format!("Progress update: {}, {}", u.agreement.short_title, u.period),
            updated: Some(u.published.clone()),
            summary: u
                .statuses
                .iter()
                .map(|s| format!("{}: {}", s.item.label, s.status_label))
                .collect::<Vec<_>>()
                .join("; "),
        }
    }));
    // Each change to an item's words after it was published, saying what
    // kind of change it is, linking the text as it then read and what changed.
    for a in &site.agreements {
        for i in &a.items {
            for v in i.versions.iter().filter(|v| v.kind.kind != "published") {
                let url = absolute(site, &v.path);
                let what = match v.kind.kind {
                    "correction" => "Corrected on this site",
                    "amendment" => "Amended by the partners",
                    _ => "Text changed on this site",
                };
                entries.push(FeedEntry {
                    id: url.clone(),
                    url: if v.diff.is_some() { format!("{url}#what-changed") } else { url },
                    title: format!("{what}: {} · {}", i.label, a.short_title),
                    updated: Some(v.date.clone()),
                    summary: format!(
                        "{}: the text {}. {}",
                        i.label,
                        v.kind.label,
                        crate::model::excerpt(&v.text, 300)
                    ),
                });
            }
        }
    }
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
    entries.truncate(FEED_ENTRIES);
    entries
}

/// An XML document: the declaration, then `root` with `attributes` and
/// what `content` writes inside it, indented.
fn xml_document(
    root: &str,
    attributes: &[(&str, &str)],
    content: impl FnOnce(&mut Writer<Vec<u8>>) -> std::io::Result<()>,
) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing into memory cannot fail.
    let _ = w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
    let _ = w.create_element(root).with_attributes(attributes.iter().copied()).write_inner_content(content);
    let mut xml = String::from_utf8(w.into_inner()).unwrap_or_default();
    xml.push('\n');
    xml
}

/// `<name>text</name>`, the text escaped (`<`, `>` and `&`: nothing else needs it there).
fn leaf(w: &mut Writer<Vec<u8>>, name: &str, text: &str) -> std::io::Result<()> {
    w.create_element(name).write_text_content(BytesText::from_escaped(partial_escape(text))).map(drop)
}

//! Each agreement as an Akoma Ntoso 3.0 document (OASIS LegalDocML), the
//! XML that legislation.gov.uk and many parliaments publish their texts in.
//!
//! The document is a `doc` (Akoma Ntoso's type for documents that are not
//! legislation, bills or judgments) named `nationalPartnershipAgreement`:
//! - `meta` identifies it in the FRBR scheme: the Work is the agreement,
//!   the Expression this site's English text of it (dated when its files
//!   last changed), the Manifestation this file (dated as at the site's
//!   date). The partners are the Work's authors, this site the others'.
//!   The agreements print no date, so the Work's date (which the schema
//!   requires) is the first day of its period's first year, named
//!   `periodStartYear` and said to be a placeholder in a comment.
//! - `preface` holds the title and publication reference; `preamble` the
//!   sections before the first that lists items; `mainBody` the rest, each
//!   section an `hcontainer`, each objective, priority and principle one
//!   inside it, each demonstrable measure one inside its principle;
//!   `conclusions` the signatures.
//! - Every `eId` is the id of the same place on the agreement's page
//!   (`priority-5`, `principle-8-measure-3`, a section's paragraph
//!   `p-this-document-sets-out-the-5f87`), so a reference made in one
//!   resolves in the other.
//!
//! Text comes from the HTML the site renders (so the two cannot say
//! different things), mapped onto Akoma Ntoso's HTML-like elements; links
//! become absolute URLs, and anything not a link, list, table or phrase
//! formatting keeps only its text.

use std::io;

use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use scraper::node::Node;
use scraper::{ElementRef, Html};

use crate::model::{Agreement, Site};
use crate::paths;

const NAMESPACE: &str = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0";

/// The Akoma Ntoso document of `agreement`.
pub fn document(site: &Site, agreement: &Agreement) -> io::Result<Vec<u8>> {
    let mut w = Akn { w: Writer::new(Vec::new()), site };
    w.w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.newline()?;
    w.open("akomaNtoso", &[("xmlns", NAMESPACE)])?;
    w.open("doc", &[("name", "nationalPartnershipAgreement")])?;
    w.meta(agreement)?;
    w.preface(agreement)?;
    let first_list = agreement.sections.iter().position(|s| s.items.is_some()).unwrap_or(0);
    let (preamble, body) = agreement.sections.split_at(first_list);
    if !preamble.is_empty() {
        w.open("preamble", &[])?;
        for section in preamble {
            // The preamble holds blocks, not a hierarchy.
            w.open("blockContainer", &[("eId", &section.id), ("class", "section")])?;
            w.leaf("heading", &[], &section.title)?;
            w.newline()?;
            w.blocks(&section.html)?;
            w.close("blockContainer")?;
        }
        w.close("preamble")?;
    }
    w.open("mainBody", &[])?;
    for section in body {
        w.section(agreement, section)?;
    }
    w.close("mainBody")?;
    if !agreement.signatories.is_empty() {
        w.conclusions(agreement)?;
    }
    w.close("doc")?;
    w.close("akomaNtoso")?;
    w.newline()?;
    Ok(w.w.into_inner())
}

struct Akn<'a> {
    w: Writer<Vec<u8>>,
    site: &'a Site,
}

impl Akn<'_> {
    fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.w.write_event(Event::Start(BytesStart::new(name).with_attributes(attrs.iter().copied())))
    }

    fn close(&mut self, name: &str) -> io::Result<()> {
        self.w.write_event(Event::End(BytesEnd::new(name)))?;
        self.newline()
    }

    fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.w.write_event(Event::Empty(BytesStart::new(name).with_attributes(attrs.iter().copied())))?;
        self.newline()
    }

    fn text(&mut self, text: &str) -> io::Result<()> {
        self.w.write_event(Event::Text(BytesText::new(text)))
    }

    /// An element holding only text.
    fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> io::Result<()> {
        self.open(name, attrs)?;
        self.text(text)?;
        self.w.write_event(Event::End(BytesEnd::new(name)))
    }

    /// Between elements only, where whitespace means nothing.
    fn newline(&mut self) -> io::Result<()> {
        self.w.get_mut().push(b'\n');
        Ok(())
    }

    fn meta(&mut self, a: &Agreement) -> io::Result<()> {
        let work = format!("/akn/gb/doc/nationalPartnershipAgreement/{}", a.slug);
        let text_date = a.updated.as_deref().unwrap_or(&self.site.as_at.date).to_owned();
        let expression = format!("{work}/eng@{text_date}");
        let manifestation =
            paths::absolute(&self.site.config.base_url, &paths::beside(&a.path, paths::AKOMA_NTOSO));
        let placeholder = format!("{}-01-01", a.period.start);
        self.open("meta", &[])?;
        self.open("identification", &[("source", "#accord")])?;

        self.open("FRBRWork", &[])?;
        self.empty("FRBRthis", &[("value", &format!("{work}/!main"))])?;
        self.empty("FRBRuri", &[("value", &work)])?;
        if let Some(reference) = &a.reference {
            self.empty("FRBRalias", &[("value", reference), ("name", "publicationReference")])?;
        }
        self.w.write_event(Event::Comment(BytesText::new(
            " The agreement prints no date: only the year its period starts is known; the day and month are placeholders the schema requires. ",
        )))?;
        self.empty("FRBRdate", &[("date", &placeholder), ("name", "periodStartYear")])?;
        for p in &a.partners {
            self.empty("FRBRauthor", &[("href", &format!("#{}", p.id))])?;
        }
        self.empty("FRBRcountry", &[("value", "gb")])?;
        if let Some(reference) = &a.reference {
            self.empty("FRBRnumber", &[("value", reference)])?;
        }
        self.empty("FRBRname", &[("value", &a.title)])?;
        self.close("FRBRWork")?;

        self.open("FRBRExpression", &[])?;
        self.empty("FRBRthis", &[("value", &format!("{expression}/!main"))])?;
        self.empty("FRBRuri", &[("value", &expression)])?;
        self.empty("FRBRdate", &[("date", &text_date), ("name", "lastChanged")])?;
        self.empty("FRBRauthor", &[("href", "#accord")])?;
        self.empty("FRBRlanguage", &[("language", "eng")])?;
        self.close("FRBRExpression")?;

        self.open("FRBRManifestation", &[])?;
        self.empty("FRBRthis", &[("value", &format!("{expression}/!main.xml"))])?;
        self.empty("FRBRuri", &[("value", &manifestation)])?;
        self.empty("FRBRdate", &[("date", &self.site.as_at.date.clone()), ("name", "asAt")])?;
        self.empty("FRBRauthor", &[("href", "#accord")])?;
        self.empty("FRBRformat", &[("value", "application/akn+xml")])?;
        self.close("FRBRManifestation")?;
        self.close("identification")?;

        self.open("references", &[("source", "#accord")])?;
        let title = self.site.config.title.clone();
        self.empty(
            "TLCOrganization",
            &[("eId", "accord"), ("href", "/ontology/organization/accord"), ("showAs", &title)],
        )?;
        for p in &a.partners {
            let href = format!("/ontology/organization/{}", p.id);
            self.empty("TLCOrganization", &[("eId", &p.id), ("href", &href), ("showAs", &p.name)])?;
        }
        let mut roles = Vec::new();
        for s in &a.signatories {
            let (id, href) = person(s);
            self.empty("TLCPerson", &[("eId", &id), ("href", &href), ("showAs", &s.name)])?;
            let role = format!("role-{}", slug::slugify(&s.role));
            if !roles.contains(&role) {
                let href = format!("/ontology/role/{}", slug::slugify(&s.role));
                self.empty("TLCRole", &[("eId", &role), ("href", &href), ("showAs", &s.role)])?;
                roles.push(role);
            }
        }
        self.close("references")?;
        self.close("meta")
    }

    fn preface(&mut self, a: &Agreement) -> io::Result<()> {
        self.open("preface", &[])?;
        self.open("longTitle", &[])?;
        self.open("p", &[])?;
        self.leaf("docTitle", &[], &a.title)?;
        self.close("p")?;
        self.close("longTitle")?;
        if let Some(reference) = &a.reference {
            self.open("p", &[])?;
            self.text("Publication reference: ")?;
            self.leaf("docNumber", &[], reference)?;
            self.close("p")?;
        }
        self.leaf("p", &[], &format!("{} to {}", a.period.start, a.period.end))?;
        self.newline()?;
        self.close("preface")
    }

    fn section(&mut self, a: &Agreement, s: &crate::model::Section) -> io::Result<()> {
        self.open("hcontainer", &[("name", "section"), ("eId", &s.id)])?;
        self.leaf("heading", &[], &s.title)?;
        self.newline()?;
        let scrutiny = if s.scrutiny { a.scrutiny.as_slice() } else { &[] };
        let items: Vec<_> = a.items.iter().filter(|i| Some(i.kind) == s.items).collect();
        if scrutiny.is_empty() && items.is_empty() {
            self.content("content", &s.html)?;
        } else {
            if !s.text.trim().is_empty() {
                self.content("intro", &s.html)?;
            }
            for d in scrutiny {
                self.open("hcontainer", &[("name", "scrutiny"), ("eId", &d.anchor)])?;
                self.leaf("heading", &[], &d.heading)?;
                self.content("content", &d.html)?;
                self.close("hcontainer")?;
            }
            for item in items {
                self.open("hcontainer", &[("name", item.kind.id()), ("eId", &item.anchor)])?;
                self.leaf("num", &[], &item.label)?;
                if item.measures.is_empty() {
                    self.content("content", &item.html)?;
                } else {
                    self.content("intro", &item.html)?;
                    for m in &item.measures {
                        self.open("hcontainer", &[("name", "measure"), ("eId", &m.anchor)])?;
                        self.leaf("num", &[], &m.number.to_string())?;
                        self.content("content", &m.html)?;
                        self.close("hcontainer")?;
                    }
                }
                self.close("hcontainer")?;
            }
        }
        self.close("hcontainer")
    }

    fn conclusions(&mut self, a: &Agreement) -> io::Result<()> {
        self.open("conclusions", &[])?;
        self.open("blockContainer", &[("eId", "signatories")])?;
        for s in &a.signatories {
            let (id, _) = person(s);
            self.open("p", &[])?;
            self.open("signature", &[])?;
            self.leaf("person", &[("refersTo", &format!("#{id}"))], &s.name)?;
            self.text(", ")?;
            self.leaf("role", &[("refersTo", &format!("#role-{}", slug::slugify(&s.role)))], &s.role)?;
            if let Some(org) = &s.organisation {
                self.text(", ")?;
                let refers =
                    s.organisation_link.as_ref().map_or("#accord".to_owned(), |o| format!("#{}", o.id));
                self.leaf("organization", &[("refersTo", &refers)], org)?;
            }
            self.w.write_event(Event::End(BytesEnd::new("signature")))?;
            self.close("p")?;
        }
        self.close("blockContainer")?;
        self.close("conclusions")
    }

    /// `html` (as the site renders it) inside a `content` or `intro`, whose
    /// children must be blocks.
    fn content(&mut self, wrapper: &str, html: &str) -> io::Result<()> {
        self.open(wrapper, &[])?;
        self.blocks(html)?;
        self.close(wrapper)
    }

    /// `html` as a sequence of blocks (at least one).
    fn blocks(&mut self, html: &str) -> io::Result<()> {
        let fragment = Html::parse_fragment(html);
        let mut loose = String::new();
        for child in fragment.root_element().children() {
            match child.value() {
                Node::Text(t) => loose.push_str(t),
                Node::Element(_) => {
                    let el = ElementRef::wrap(child).expect("an element node");
                    if is_block(el.value().name()) {
                        self.loose_text(&mut loose)?;
                        self.block(el)?;
                    } else {
                        loose.push_str(&el.text().collect::<String>());
                    }
                }
                _ => {}
            }
        }
        self.loose_text(&mut loose)?;
        if fragment.root_element().children().next().is_none() {
            self.empty("p", &[])?;
        }
        Ok(())
    }

    /// Text outside any block, as a paragraph of its own.
    fn loose_text(&mut self, loose: &mut String) -> io::Result<()> {
        let text = loose.split_whitespace().collect::<Vec<_>>().join(" ");
        loose.clear();
        if text.is_empty() {
            return Ok(());
        }
        self.leaf("p", &[], &text)?;
        self.newline()
    }

    fn block(&mut self, el: ElementRef) -> io::Result<()> {
        match el.value().name() {
            "p" | "li" | "td" | "th" => self.mixed(el.value().name(), el),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.open("p", &[("class", "heading")])?;
                self.inline_children(el)?;
                self.close("p")
            }
            "pre" => self
                .leaf("p", &[("class", "code")], &el.text().collect::<String>())
                .and_then(|()| self.newline()),
            "ul" | "ol" | "tr" => {
                let name = el.value().name();
                self.open(name, &[])?;
                for child in el.children().filter_map(ElementRef::wrap) {
                    self.block(child)?;
                }
                self.close(name)
            }
            "table" => {
                self.open("table", &[])?;
                for row in el.select(&scraper::Selector::parse("tr").expect("a valid selector")) {
                    self.block(row)?;
                }
                self.close("table")
            }
            "blockquote" => {
                self.open("blockContainer", &[("class", "quote")])?;
                for child in el.children().filter_map(ElementRef::wrap) {
                    self.block(child)?;
                }
                self.close("blockContainer")
            }
            _ => {
                // A container (`div`) or anything unexpected: its blocks, else its text.
                let blocks: Vec<_> = el
                    .children()
                    .filter_map(ElementRef::wrap)
                    .filter(|c| is_block(c.value().name()))
                    .collect();
                if blocks.is_empty() {
                    self.mixed("p", el)
                } else {
                    blocks.into_iter().try_for_each(|b| self.block(b))
                }
            }
        }
    }

    /// An element of text and phrases (`p`, `li`, a table cell), whose
    /// lists and paragraphs (in a loose list's items) are kept as blocks.
    /// A paragraph's anchor on the page is its `eId`.
    fn mixed(&mut self, name: &str, el: ElementRef) -> io::Result<()> {
        match el.value().id().filter(|id| id.starts_with(crate::markdown::PARAGRAPH_PREFIX)) {
            Some(id) => self.open(name, &[("eId", id)])?,
            None => self.open(name, &[])?,
        }
        self.inline_children(el)?;
        self.close(name)
    }

    fn inline_children(&mut self, el: ElementRef) -> io::Result<()> {
        for child in el.children() {
            match child.value() {
                Node::Text(t) => self.text(t)?,
                Node::Element(_) => self.inline(ElementRef::wrap(child).expect("an element node"))?,
                _ => {}
            }
        }
        Ok(())
    }

    fn inline(&mut self, el: ElementRef) -> io::Result<()> {
        // A paragraph's self-link is the page's, not the text's.
        if el.value().has_class("para-link", scraper::CaseSensitivity::CaseSensitive) {
            return Ok(());
        }
        let name = match el.value().name() {
            "em" | "i" => "i",
            "strong" | "b" => "b",
            "u" => "u",
            "sub" => "sub",
            "sup" => "sup",
            "abbr" => "abbr",
            "br" => return self.empty("br", &[]),
            "ul" | "ol" | "p" | "table" => return self.block(el),
            "a" => match el.value().attr("href").and_then(|h| self.link(h)) {
                Some(href) => {
                    self.open("a", &[("href", &href)])?;
                    self.inline_children(el)?;
                    return self.w.write_event(Event::End(BytesEnd::new("a")));
                }
                None => "span",
            },
            "code" => {
                self.open("span", &[("class", "code")])?;
                self.inline_children(el)?;
                return self.w.write_event(Event::End(BytesEnd::new("span")));
            }
            _ => "span",
        };
        self.open(name, &[])?;
        self.inline_children(el)?;
        self.w.write_event(Event::End(BytesEnd::new(name)))
    }

    /// A link as an absolute URL: the site's own under its base URL, the
    /// world's as written (web and mail only).
    fn link(&self, href: &str) -> Option<String> {
        let config = &self.site.config;
        if href.starts_with("https://") || href.starts_with("http://") || href.starts_with("mailto:") {
            Some(href.to_owned())
        } else if href.starts_with('/') {
            Some(paths::absolute_from_link(&config.base_url, &config.base_path, &paths::Link::written(href)))
        } else {
            None
        }
    }
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "ul"
            | "ol"
            | "table"
            | "pre"
            | "blockquote"
            | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "figure"
            | "section"
    )
}

/// A signatory's id in the document's references, and its ontology URI.
fn person(s: &crate::model::Signatory) -> (String, String) {
    let id = s.person.as_ref().map_or_else(|| slug::slugify(&s.name), |p| p.id.clone());
    let href = format!("/ontology/person/{id}");
    (format!("person-{id}"), href)
}

//! Topics and explicit relations: checking the ids and paths that items use
//! to say what they are about and which other items make the same commitment.

use std::collections::{HashMap, HashSet};

use super::{is_slug, RelationSite, Resolver};
use crate::load::{Document, RawAreas, RawItem, RawTopic, SourceFile};
use crate::model::{Agreement, Backlink, NhsArea, Page, TopicRef};

/// A topic as defined in `topics.toml`, before its items are gathered.
pub struct TopicDef {
    pub reference: TopicRef,
    pub description: String,
    pub nhs_areas: Vec<NhsArea>,
}

impl Resolver {
    /// The context page the NHS priority areas come from, which topic pages
    /// link to: `source` in `nhs-priority-areas.toml`, checked to name a page.
    pub(super) fn areas_source(
        &mut self,
        areas: &[(SourceFile, RawAreas)],
        pages: &[Page],
    ) -> Option<Backlink> {
        let (file, source) = areas.iter().find_map(|(file, list)| Some((file, list.source.as_ref()?)))?;
        let named = crate::paths::from_reference(source.get_ref());
        match pages.iter().find(|p| named.as_deref() == Some(crate::paths::page(&p.slug).as_str())) {
            Some(page) => Some(Backlink { title: page.title.clone(), url: page.url.clone() }),
            None => {
                self.diags.push(
                    file.error(source.span(), format!("`{}` is not a context page", source.get_ref()))
                        .with_help("name the page the areas are transcribed from: source = \"@/{page}\", a file of content/pages/"),
                );
                None
            }
        }
    }

    pub(super) fn topics(
        &mut self,
        raw: Vec<(SourceFile, RawTopic)>,
        areas: &[(SourceFile, RawAreas)],
    ) -> Vec<TopicDef> {
        let mut by_number: HashMap<u32, NhsArea> = HashMap::new();
        for (file, area) in areas.iter().flat_map(|(file, list)| list.area.iter().map(move |a| (file, a))) {
            let number = *area.number.get_ref();
            if by_number.insert(number, NhsArea { number, text: area.text.clone() }).is_some() {
                self.diags.push(
                    file.error(area.number.span(), format!("priority area {number} is defined twice"))
                        .with_help("number the areas 1, 2, 3… once each"),
                );
            }
        }
        let mut defs = Vec::new();
        for (file, topic) in raw {
            let id = topic.id.get_ref().clone();
            if !is_slug(&id) {
                self.diags.push(
                    file.error(topic.id.span(), format!("topic id `{id}` is not a valid id"))
                        .with_help("use lower-case letters, digits and hyphens, e.g. \"data-sharing\""),
                );
                continue;
            }
            let path = crate::paths::topic(&id);
            let reference = TopicRef { id: id.clone(), title: topic.title, url: self.url(&path) };
            if self.topics.insert(id.clone(), reference.clone()).is_some() {
                self.diags.push(
                    file.error(topic.id.span(), format!("topic `{id}` is defined twice"))
                        .with_help("remove one of the two [[topic]] entries"),
                );
                continue;
            }
            let mut nhs_areas = Vec::new();
            for n in &topic.nhs_priority_areas {
                match by_number.get(n.get_ref()) {
                    Some(area) => nhs_areas.push(area.clone()),
                    None => self.unknown(
                        super::DefinedIn::List("nhs-priority-areas.toml"),
                        file.error(n.span(), format!("there is no NHS priority area {}", n.get_ref()))
                            .with_help(
                                "use the numbers of [[area]] entries in content/nhs-priority-areas.toml",
                            ),
                    ),
                }
            }
            self.anchors.insert(path, self.template_ids.of(crate::paths::PageKind::Topic));
            defs.push(TopicDef { reference, description: topic.description, nhs_areas });
        }
        defs
    }

    /// The item's topics, each checked against `topics.toml`.
    pub(super) fn item_topics(&mut self, doc: &Document<RawItem>) -> Vec<TopicRef> {
        self.topic_refs(&doc.file, doc.front_start, &doc.front.topics)
    }

    /// Topic ids (from an item's front matter, or a figure) checked against
    /// `topics.toml`, duplicates dropped; `offset` places spans in the file.
    pub(super) fn topic_refs(
        &mut self,
        file: &SourceFile,
        offset: usize,
        topics: &[toml::Spanned<String>],
    ) -> Vec<TopicRef> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for t in topics {
            match self.topics.get(t.get_ref()) {
                Some(topic) if seen.insert(topic.id.clone()) => out.push(topic.clone()),
                Some(_) => {}
                None => {
                    let mut known: Vec<&str> = self.topics.keys().map(String::as_str).collect();
                    known.sort();
                    let help = if known.is_empty() {
                        "define topics in content/topics.toml (see docs/content-format.md)".to_owned()
                    } else {
                        format!("add it to content/topics.toml or use one of: {}", known.join(", "))
                    };
                    let span = offset + t.span().start..offset + t.span().end;
                    self.unknown(
                        super::DefinedIn::List("topics.toml"),
                        file.error(span, format!("unknown topic `{}`", t.get_ref())).with_help(help),
                    );
                }
            }
        }
        out
    }

    /// Records the item's `related = [...]` entries for checking once every item exists.
    pub(super) fn item_relations(&mut self, doc: &Document<RawItem>, from: &str) {
        for rel in &doc.front.related {
            let span = doc.front_start + rel.span().start..doc.front_start + rel.span().end;
            match crate::paths::from_reference(rel.get_ref()) {
                Some(to) => self.relations.push(RelationSite {
                    file: doc.file.clone(),
                    span,
                    from: from.to_owned(),
                    to,
                }),
                None => self.diags.push(
                    doc.file
                        .error(span, format!("`{}` is not an item path", rel.get_ref()))
                        .with_help("write related items as \"@/agreements/{agreement}/{kinds}/{number}\""),
                ),
            }
        }
    }

    /// Every relation points at an item that exists and is not the item itself.
    pub(super) fn check_relations(&mut self, agreements: &[Agreement]) -> Vec<(String, String)> {
        let items: HashSet<&str> =
            agreements.iter().flat_map(|a| a.items.iter().map(|i| i.path.as_str())).collect();
        let mut out = Vec::new();
        for rel in std::mem::take(&mut self.relations) {
            if self.incomplete.iter().any(|p| rel.to.starts_with(p.as_str())) {
                continue;
            }
            if rel.to == rel.from {
                self.diags.push(
                    rel.file
                        .error(rel.span, "an item cannot be related to itself")
                        .with_help("remove this entry"),
                );
            } else if !items.contains(rel.to.as_str()) {
                let d = rel
                    .file
                    .error(
                        rel.span,
                        format!("related item `@{}` does not exist", rel.to.trim_end_matches('/')),
                    )
                    .with_help(super::nearest_page_help(
                        &rel.to,
                        items.iter().map(|s| s.to_string()).collect::<Vec<_>>().iter(),
                    ));
                self.diags.push(d);
            } else {
                out.push((rel.from, rel.to));
            }
        }
        out
    }
}

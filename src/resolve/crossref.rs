//! How the agreements relate: for every item, what the other agreements say
//! on the same subject and what links to it; for every topic, its items from
//! each agreement side by side.
//!
//! Runs after every item is resolved and every relation checked, so it only
//! joins values that are known to exist.

use std::collections::{BTreeSet, HashMap};

use super::topics::TopicDef;
use crate::model::{excerpt, Agreement, Backlink, Item, ItemLink, Related, Topic, TopicColumn, TopicRef};

/// Position of an item: (agreement index, item index).
type At = (usize, usize);

/// Items that share a topic are listed up to this many per item page (the
/// topic pages list them all), so a large site's pages stay a readable, and
/// buildable, size: without a cap the lists grow with the square of the site.
const SHARED_TOPIC_LIMIT: usize = 12;
/// Items of other agreements considered per topic of an item, in document order.
const CANDIDATES_PER_TOPIC: usize = 200;

pub fn cross_reference(
    agreements: &mut [Agreement],
    topics: &[TopicDef],
    relations: &[(String, String)],
    links: &[(Backlink, String)],
) -> Vec<Topic> {
    let at: HashMap<String, At> = agreements
        .iter()
        .enumerate()
        .flat_map(|(a, agreement)| {
            agreement.items.iter().enumerate().map(move |(i, item)| (item.path.clone(), (a, i)))
        })
        .collect();
    let links_of = |a: &Agreement, i: &Item| ItemLink {
        label: i.label.clone(),
        anchor: i.anchor.clone(),
        agreement: a.short_title.clone(),
        url: i.url.clone(),
        html: i.html.clone(),
        text: i.text.clone(),
    };

    // Related lists show a short excerpt, not the whole item.
    let summary_of = |a: &Agreement, i: &Item| ItemLink {
        label: i.label.clone(),
        anchor: i.anchor.clone(),
        agreement: a.short_title.clone(),
        url: i.url.clone(),
        html: String::new(),
        text: excerpt(&i.text, 200),
    };

    let mut by_topic_index: HashMap<&str, Vec<At>> = HashMap::new();
    for (a, agreement) in agreements.iter().enumerate() {
        for (i, item) in agreement.items.iter().enumerate() {
            for t in &item.topics {
                by_topic_index.entry(t.id.as_str()).or_default().push((a, i));
            }
        }
    }

    // Relations are symmetric: writing one direction is enough.
    let mut explicit: HashMap<At, BTreeSet<At>> = HashMap::new();
    for (from, to) in relations {
        if let (Some(&f), Some(&t)) = (at.get(from), at.get(to)) {
            explicit.entry(f).or_default().insert(t);
            explicit.entry(t).or_default().insert(f);
        }
    }

    let mut related: HashMap<At, Vec<Related>> = HashMap::new();
    let mut referenced: HashMap<At, Vec<Backlink>> = HashMap::new();
    for (a, agreement) in agreements.iter().enumerate() {
        for (i, item) in agreement.items.iter().enumerate() {
            let mut list = Vec::new();
            let mine = explicit.get(&(a, i)).cloned().unwrap_or_default();
            for &(oa, oi) in &mine {
                let other = &agreements[oa].items[oi];
                list.push(Related {
                    item: summary_of(&agreements[oa], other),
                    explicit: true,
                    shared_topics: shared(&item.topics, &other.topics),
                });
            }
            let mut by_topic: Vec<(usize, At, Vec<TopicRef>)> = Vec::new();
            let mut seen = std::collections::HashSet::new();
            for topic in &item.topics {
                // Candidates come from each topic's items in document order, a bounded
                // number per topic, so large sites stay linear in size.
                let mut taken = 0;
                for &(oa, oi) in by_topic_index.get(topic.id.as_str()).into_iter().flatten() {
                    if oa == a || mine.contains(&(oa, oi)) || !seen.insert((oa, oi)) {
                        continue;
                    }
                    let common = shared(&item.topics, &agreements[oa].items[oi].topics);
                    by_topic.push((common.len(), (oa, oi), common));
                    taken += 1;
                    if taken >= CANDIDATES_PER_TOPIC {
                        break;
                    }
                }
            }
            // Most shared topics first; ties in agreement and document order.
            by_topic.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
            for (_, (oa, oi), common) in by_topic.into_iter().take(SHARED_TOPIC_LIMIT) {
                let other = &agreements[oa].items[oi];
                list.push(Related {
                    item: summary_of(&agreements[oa], other),
                    explicit: false,
                    shared_topics: common,
                });
            }
            related.insert((a, i), list);
        }
    }
    for (from, path) in links {
        if let Some(&target) = at.get(path) {
            let list = referenced.entry(target).or_default();
            let own = agreements[target.0].items[target.1].url.as_str();
            if !list.contains(from) && from.url != own {
                list.push(from.clone());
            }
        }
    }
    for (a, agreement) in agreements.iter_mut().enumerate() {
        for (i, item) in agreement.items.iter_mut().enumerate() {
            item.related = related.remove(&(a, i)).unwrap_or_default();
            item.referenced_from = referenced.remove(&(a, i)).unwrap_or_default();
        }
    }

    topics
        .iter()
        .map(|def| Topic {
            id: def.reference.id.clone(),
            title: def.reference.title.clone(),
            description: def.description.clone(),
            path: format!("/topics/{}/", def.reference.id),
            url: def.reference.url.clone(),
            nhs_areas: def.nhs_areas.clone(),
            columns: agreements
                .iter()
                .map(|agreement| TopicColumn {
                    agreement_slug: agreement.slug.clone(),
                    short_title: agreement.short_title.clone(),
                    url: agreement.url.clone(),
                    items: agreement
                        .items
                        .iter()
                        .filter(|i| i.topics.iter().any(|t| t.id == def.reference.id))
                        .map(|i| links_of(agreement, i))
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

fn shared(a: &[TopicRef], b: &[TopicRef]) -> Vec<TopicRef> {
    a.iter().filter(|t| b.contains(t)).cloned().collect()
}

//! How the agreements relate: for every item, what the other agreements say
//! on the same subject and what links to it; for every topic, its items from
//! each agreement side by side.
//!
//! Runs after every item is resolved and every relation checked, so it only
//! joins values that are known to exist.

use std::collections::BTreeSet;
use std::sync::Arc;

use foldhash::{HashMap, HashMapExt};
use rayon::prelude::*;

use super::topics::TopicDef;
use crate::model::{
    excerpt, Agreement, Backlink, Editorial, Figure, ItemLink, Related, SectionOnTopic, Topic, TopicColumn,
    TopicRef,
};

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
    figures: &[Figure],
    relations: &[(String, String)],
    links: &[(std::sync::Arc<Backlink>, String)],
) -> Vec<Topic> {
    let at: HashMap<String, At> = agreements
        .iter()
        .enumerate()
        .flat_map(|(a, agreement)| {
            agreement.items.iter().enumerate().map(move |(i, item)| (item.path.clone(), (a, i)))
        })
        .collect();

    let site = Positions::new(agreements);
    let explicit = explicit_relations(&at, relations);

    // Each item's list depends only on the others' topics: computed on every core,
    // each worker with its own record of the candidates already seen.
    let shared_agreements: &[Agreement] = agreements;
    let mut related: HashMap<At, Vec<Related>> = (0..site.items.len())
        .into_par_iter()
        .map_init(
            || vec![usize::MAX; site.items.len()],
            |seen, n| (site.items[n], related_items(shared_agreements, &site, n, &explicit, seen)),
        )
        .collect();
    let mut referenced = referenced_from(&at, links, agreements);
    for (a, agreement) in agreements.iter_mut().enumerate() {
        for (i, item) in agreement.items.iter_mut().enumerate() {
            item.related = related.remove(&(a, i)).unwrap_or_default();
            item.referenced_from = referenced.remove(&(a, i)).unwrap_or_default();
        }
    }
    topic_pages(topics, agreements, figures, &site)
}

/// The relations written in content, both ways: writing one direction is enough.
fn explicit_relations(at: &HashMap<String, At>, relations: &[(String, String)]) -> HashMap<At, BTreeSet<At>> {
    let mut explicit: HashMap<At, BTreeSet<At>> = HashMap::new();
    for (from, to) in relations {
        if let (Some(&f), Some(&t)) = (at.get(from), at.get(to)) {
            explicit.entry(f).or_default().insert(t);
            explicit.entry(t).or_default().insert(f);
        }
    }
    explicit
}

/// For each item, the pages and items whose text links to it (not itself), each once.
fn referenced_from(
    at: &HashMap<String, At>,
    links: &[(std::sync::Arc<Backlink>, String)],
    agreements: &[Agreement],
) -> HashMap<At, Vec<Backlink>> {
    let mut referenced: HashMap<At, Vec<Backlink>> = HashMap::new();
    for (from, path) in links {
        if let Some(&target) = at.get(path) {
            let list = referenced.entry(target).or_default();
            let own = &agreements[target.0].items[target.1].url;
            if !list.contains(from) && from.url != *own {
                list.push(Backlink::clone(from));
            }
        }
    }
    referenced
}

/// Each topic's page: a column for every agreement, listing that
/// agreement's items, sections and figures on the topic.
fn topic_pages(
    topics: &[TopicDef],
    agreements: &[Agreement],
    figures: &[Figure],
    site: &Positions,
) -> Vec<Topic> {
    let mut figures_from: HashMap<&str, Vec<&Figure>> = HashMap::new();
    for f in figures {
        figures_from.entry(f.source.id.as_str()).or_default().push(f);
    }
    topics
        .iter()
        .map(|def| Topic {
            id: def.reference.id.clone(),
            title: def.reference.title.clone(),
            description: Editorial::new(def.description.clone()),
            path: crate::paths::topic(&def.reference.id),
            url: def.reference.url.clone(),
            nhs_areas: def.nhs_areas.clone(),
            columns: agreements
                .iter()
                .zip(&site.number)
                .map(|(agreement, numbers)| {
                    topic_column(&def.reference.id, agreement, numbers, &figures_from, site)
                })
                .collect(),
        })
        .collect()
}

/// One agreement's column on a topic's page.
fn topic_column(
    topic: &str,
    agreement: &Agreement,
    numbers: &[usize],
    figures_from: &HashMap<&str, Vec<&Figure>>,
    site: &Positions,
) -> TopicColumn {
    TopicColumn {
        agreement_slug: agreement.slug.clone(),
        short_title: agreement.short_title.clone(),
        url: agreement.url.clone(),
        items: agreement
            .items
            .iter()
            .zip(numbers)
            .filter(|(i, _)| i.topics.iter().any(|t| t.id == topic))
            .map(|(i, &n)| ItemLink {
                html: i.html.clone(),
                text: i.text.clone(),
                ..site.summaries[n].clone()
            })
            .collect(),
        sections: agreement
            .sections
            .iter()
            .filter(|s| s.topics.iter().any(|t| t.id == topic))
            .map(|s| SectionOnTopic {
                title: s.title.clone(),
                url: agreement.url.at(&s.id),
                excerpt: excerpt(&s.text, 300),
            })
            .collect(),
        figures: figures_from
            .get(agreement.slug.as_str())
            .into_iter()
            .flatten()
            .filter(|f| f.topics.iter().any(|t| t.id == topic))
            .map(|f| super::figures::link(f))
            .collect(),
    }
}

/// Every item by a number, with its topics as numbers, so choosing related
/// items (hundreds of candidates for each of thousands of items) compares
/// integers rather than topic names.
struct Positions {
    items: Vec<At>,
    /// Item number by position: `number[a][i]`.
    number: Vec<Vec<usize>>,
    topics: Vec<Vec<u32>>,
    /// Item numbers by topic number, in agreement and document order.
    by_topic: Vec<Vec<usize>>,
    /// Each item as a related list shows it (with a short excerpt), made
    /// once though it is listed under many items.
    summaries: Vec<ItemLink>,
}

impl Positions {
    fn new(agreements: &[Agreement]) -> Positions {
        let mut ids: HashMap<&str, u32> = HashMap::new();
        let mut site = Positions {
            items: Vec::new(),
            number: Vec::new(),
            topics: Vec::new(),
            by_topic: Vec::new(),
            summaries: Vec::new(),
        };
        for (a, agreement) in agreements.iter().enumerate() {
            let mut numbers = Vec::with_capacity(agreement.items.len());
            for (i, item) in agreement.items.iter().enumerate() {
                let n = site.items.len();
                let topics: Vec<u32> = item
                    .topics
                    .iter()
                    .map(|t| {
                        let next = ids.len() as u32;
                        *ids.entry(t.id.as_str()).or_insert(next)
                    })
                    .collect();
                for &t in &topics {
                    if t as usize == site.by_topic.len() {
                        site.by_topic.push(Vec::new());
                    }
                    site.by_topic[t as usize].push(n);
                }
                site.items.push((a, i));
                site.topics.push(topics);
                numbers.push(n);
            }
            site.number.push(numbers);
        }
        // Related lists show a short excerpt, not the whole item.
        site.summaries = site
            .items
            .par_iter()
            .map(|&(a, i)| {
                let (agreement, item) = (&agreements[a], &agreements[a].items[i]);
                ItemLink {
                    label: item.label.as_str().into(),
                    anchor: item.anchor.as_str().into(),
                    agreement: agreement.short_title.as_str().into(),
                    url: item.url.as_str().into(),
                    html: Arc::from(""),
                    text: excerpt(&item.text, 200).into(),
                    opening: item.opening.clone(),
                }
            })
            .collect();
        site
    }
}

/// One item's related items: its explicit relations, then the items of other
/// agreements sharing most of its topics (a bounded number of candidates per
/// topic, so large sites stay linear in size). `seen` holds, per item number,
/// the last item whose candidates included it.
fn related_items(
    agreements: &[Agreement],
    site: &Positions,
    n: usize,
    explicit: &HashMap<At, BTreeSet<At>>,
    seen: &mut [usize],
) -> Vec<Related> {
    let (a, i) = site.items[n];
    let item = &agreements[a].items[i];
    let summary_of = |(oa, oi): At| site.summaries[site.number[oa][oi]].clone();
    let empty = BTreeSet::new();
    let mine = explicit.get(&(a, i)).unwrap_or(&empty);
    let mut list: Vec<Related> = mine
        .iter()
        .map(|&other| Related {
            item: summary_of(other),
            explicit: true,
            shared_topics: shared(&item.topics, &agreements[other.0].items[other.1].topics),
        })
        .collect();
    for &(oa, oi) in mine {
        seen[site.number[oa][oi]] = n;
    }
    let my_topics = &site.topics[n];
    let mut by_topic: Vec<(usize, usize)> = Vec::new();
    for &topic in my_topics {
        let fresh = site.by_topic[topic as usize].iter().filter(|&&other| {
            let new = site.items[other].0 != a && seen[other] != n;
            if new {
                seen[other] = n;
            }
            new
        });
        for &other in fresh.take(CANDIDATES_PER_TOPIC) {
            let common = site.topics[other].iter().filter(|t| my_topics.contains(t)).count();
            by_topic.push((common, other));
        }
    }
    // Most shared topics first; ties in agreement and document order (item numbers follow it).
    let order = |x: &(usize, usize), y: &(usize, usize)| y.0.cmp(&x.0).then(x.1.cmp(&y.1));
    list.extend(first_in_order(by_topic, SHARED_TOPIC_LIMIT, order).into_iter().map(|(_, other)| {
        let other = site.items[other];
        Related {
            item: summary_of(other),
            explicit: false,
            shared_topics: shared(&item.topics, &agreements[other.0].items[other.1].topics),
        }
    }));
    list
}

/// The first `n` of `list` in `order`, sorted: what sorting it all and
/// keeping `n` gives, without sorting the hundreds of candidates left out.
fn first_in_order<T>(mut list: Vec<T>, n: usize, order: impl Fn(&T, &T) -> std::cmp::Ordering) -> Vec<T> {
    if list.len() > n {
        list.select_nth_unstable_by(n, &order);
        list.truncate(n);
    }
    list.sort_by(order);
    list
}

fn shared(a: &[TopicRef], b: &[TopicRef]) -> Vec<TopicRef> {
    a.iter().filter(|t| b.contains(t)).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn the_first_few_in_order_are_those_a_whole_sort_puts_first(
            list in proptest::collection::vec((0usize..4, 0usize..50), 0..60),
            n in 0usize..20,
        ) {
            let order = |x: &(usize, usize), y: &(usize, usize)| y.0.cmp(&x.0).then(x.1.cmp(&y.1));
            let mut sorted = list.clone();
            sorted.sort_by(order);
            sorted.truncate(n);
            prop_assert_eq!(first_in_order(list, n, order), sorted);
        }
    }
}

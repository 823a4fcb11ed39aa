//! Suggesting cross-references an editor may have missed.
//!
//! In: the resolved [`Site`]. Out: every pair of items from different
//! agreements, scored by how much their text says the same thing (TF-IDF
//! over stemmed words, stop words removed, cosine similarity), and marked
//! `related` when the content already connects them (an explicit relation or
//! a shared topic). Editors audit the unrelated pairs at the top of the list.

use std::collections::{BTreeMap, HashMap, HashSet};

use pagefind_stem::{Algorithm, Stemmer};
use serde::Serialize;

use crate::model::{Item, Site};

/// Words too common in any English text to say what an item is about.
const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "are", "as", "at",
    "be", "because", "been", "before", "being", "between", "both", "but", "by", "can", "could", "did", "do",
    "does", "doing", "down", "during", "each", "eg", "either", "etc", "few", "for", "from", "further", "had",
    "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "i", "if", "in", "into", "is",
    "it", "its", "itself", "just", "may", "me", "more", "most", "must", "my", "no", "nor", "not", "now",
    "of", "off", "on", "once", "one", "only", "or", "other", "our", "ours", "out", "over", "own", "same",
    "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them", "then", "there",
    "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "us", "very", "was",
    "we", "were", "what", "when", "where", "whether", "which", "while", "who", "whom", "why", "will", "with",
    "within", "would", "you", "your",
];

/// One scored pair; `a` and `b` are the items' permanent URL paths.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Suggestion {
    pub a: String,
    pub b: String,
    pub score: f64,
    pub related: bool,
}

/// Every cross-agreement pair, highest score first.
pub fn rank_pairs(site: &Site) -> Vec<Suggestion> {
    let items: Vec<(usize, &Item)> = site
        .agreements
        .iter()
        .enumerate()
        .flat_map(|(a, agreement)| agreement.items.iter().map(move |i| (a, i)))
        .collect();
    let stemmer = Stemmer::create(Algorithm::English);
    let stop: HashSet<&str> = STOP_WORDS.iter().copied().collect();
    let terms: Vec<Vec<String>> =
        items.iter().map(|(_, item)| words(&item_text(item), &stemmer, &stop)).collect();
    let vectors = tf_idf(&terms);

    let mut pairs = Vec::new();
    for (x, (ax, ix)) in items.iter().enumerate() {
        for (y, (ay, iy)) in items.iter().enumerate().skip(x + 1) {
            if ax == ay {
                continue;
            }
            pairs.push(Suggestion {
                a: ix.path.clone(),
                b: iy.path.clone(),
                score: round(cosine(&vectors[x], &vectors[y])),
                related: already_related(ix, iy),
            });
        }
    }
    pairs.sort_by(|p, q| q.score.total_cmp(&p.score).then_with(|| (&p.a, &p.b).cmp(&(&q.a, &q.b))));
    pairs
}

/// What the content already says connects two items.
fn already_related(a: &Item, b: &Item) -> bool {
    a.related.iter().any(|r| r.explicit && *r.item.url == *b.url.as_str())
        || a.topics.iter().any(|t| b.topics.contains(t))
}

/// An item's own words and its measures': what it commits to.
fn item_text(item: &Item) -> String {
    let mut text = item.text.to_string();
    for m in &item.measures {
        text.push(' ');
        text.push_str(&m.text);
    }
    text
}

fn words(text: &str, stemmer: &Stemmer, stop: &HashSet<&str>) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.len() > 2 && !w.chars().all(|c| c.is_ascii_digit()) && !stop.contains(w.as_str()))
        .map(|w| stemmer.stem(&w).into_owned())
        .collect()
}

/// Sublinear term frequency times inverse document frequency, normalised to length 1.
fn tf_idf(docs: &[Vec<String>]) -> Vec<BTreeMap<String, f64>> {
    let mut df: HashMap<&str, usize> = HashMap::new();
    for doc in docs {
        for term in doc.iter().map(String::as_str).collect::<HashSet<_>>() {
            *df.entry(term).or_default() += 1;
        }
    }
    let n = docs.len() as f64;
    docs.iter()
        .map(|doc| {
            let mut tf: BTreeMap<String, f64> = BTreeMap::new();
            for term in doc {
                *tf.entry(term.clone()).or_default() += 1.0;
            }
            let mut v: BTreeMap<String, f64> = tf
                .into_iter()
                .map(|(t, f)| {
                    let idf = (n / df[t.as_str()] as f64).ln() + 1.0;
                    let w = (1.0 + f.ln()) * idf;
                    (t, w)
                })
                .collect();
            let norm = v.values().map(|w| w * w).sum::<f64>().sqrt();
            if norm > 0.0 {
                v.values_mut().for_each(|w| *w /= norm);
            }
            v
        })
        .collect()
}

fn cosine(a: &BTreeMap<String, f64>, b: &BTreeMap<String, f64>) -> f64 {
    a.iter().filter_map(|(t, w)| b.get(t).map(|v| w * v)).sum()
}

/// Four decimals: enough to rank, stable to print and compare.
fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stemmed_words_without_stop_words() {
        let stop: HashSet<&str> = STOP_WORDS.iter().copied().collect();
        let w = words(
            "Improve the sharing of data-sharing between partners, 2022",
            &Stemmer::create(Algorithm::English),
            &stop,
        );
        assert_eq!(w, ["improv", "share", "data", "share", "partner"]);
    }

    #[test]
    fn identical_texts_score_one_and_disjoint_zero() {
        let docs = vec![
            vec!["data".to_owned(), "share".to_owned()],
            vec!["data".to_owned(), "share".to_owned()],
            vec!["smoke".to_owned()],
        ];
        let v = tf_idf(&docs);
        assert!((cosine(&v[0], &v[1]) - 1.0).abs() < 1e-9);
        assert_eq!(cosine(&v[0], &v[2]), 0.0);
    }
}

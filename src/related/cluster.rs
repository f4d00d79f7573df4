//! Clusters of recurring failures, from the related lists.
//!
//! Inputs: the per-incident related lists and the archive's text vectors.
//! Outputs: [`Cluster`]s and each incident's cluster. Imports: model and the
//! related stage's own types.
//!
//! Two incidents are linked when each is in the other's top K and their
//! strength (the score without what a shared title added: a title names a
//! symptom, a cluster a failure) reaches the threshold. Asking for both
//! sides keeps a hub (an incident many others list) from pulling unrelated
//! groups together: it has only K places of its own.
//!
//! Links are taken strongest first, and two groups merge only when at
//! least half of the pairs between them are linked (average linkage): a
//! chain of pairs that each look alike no longer makes one cluster of a
//! certificate, a pool and a CSRF bug. Clusters are the groups of at least
//! [`MIN_CLUSTER_SIZE`] incidents; a pair is already shown by the related
//! lists, three make a pattern, and only when all three pairs are linked:
//! an incident that resembles two others which do not resemble each other
//! (a write-up of a pool exhausted and a disk filled) is their hub, not the
//! proof that they are one failure. Each is named by its most distinctive
//! failure or phrase.

use std::collections::HashMap;

use rayon::prelude::*;

use super::text::TextIndex;
use super::{Cluster, Related};
use crate::model::{Incident, IncidentIdx, indexed};

/// Fewest members a cluster has.
pub(crate) const MIN_CLUSTER_SIZE: usize = 3;
/// How many words a cluster's name has.
const NAME_WORDS: usize = 3;
/// How many distinctive words a cluster lists.
const TOP_TERMS: usize = 5;

/// Union-find over incident indices.
struct Components {
    parent: Vec<usize>,
    size: Vec<usize>,
}

impl Components {
    fn new(n: usize) -> Self {
        Components { parent: (0..n).collect(), size: vec![1; n] }
    }

    /// The root of `i`'s component, halving the path on the way.
    fn root(&mut self, mut i: usize) -> usize {
        while let Some(&parent) = self.parent.get(i).filter(|&&p| p != i) {
            let grandparent = self.parent.get(parent).copied().unwrap_or(parent);
            if let Some(slot) = self.parent.get_mut(i) {
                *slot = grandparent;
            }
            i = grandparent;
        }
        i
    }

    /// Joins the smaller of the two components to the larger.
    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.root(a), self.root(b));
        if a == b {
            return;
        }
        let size = |x: usize| self.size.get(x).copied().unwrap_or(0);
        let (big, small) = if size(a) < size(b) { (b, a) } else { (a, b) };
        let moved = size(small);
        if let Some(parent) = self.parent.get_mut(small) {
            *parent = big;
        }
        if let Some(size) = self.size.get_mut(big) {
            *size += moved;
        }
    }
}

/// Share of the pairs between two groups that must be linked for them to
/// merge.
const LINKAGE: f64 = 0.5;

/// Groups mutually related incidents whose strength (per related entry, in
/// `strengths`) reaches `threshold`.
pub(crate) fn clusters(
    incidents: &[Incident],
    related: &[Vec<Related>],
    strengths: &[Vec<f64>],
    text: &TextIndex,
    threshold: f64,
) -> (Vec<Cluster>, Vec<Option<usize>>) {
    let n = related.len();
    // Mutual links at the threshold, `(strength, i, j)` with `i < j`.
    let mut links: Vec<(f64, usize, usize)> = Vec::new();
    for ((i, list), strength) in indexed(related).zip(strengths) {
        for (r, &s) in list.iter().zip(strength) {
            let j = r.index;
            let mutual = j.of(related).is_some_and(|back| back.iter().any(|x| x.index == i));
            if i < j && s >= threshold && mutual {
                links.push((s, i.get(), j.get()));
            }
        }
    }
    links.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let linked: std::collections::HashSet<(usize, usize)> =
        links.iter().map(|&(_, i, j)| (i, j)).collect();
    let mut components = Components::new(n);
    // Per root, its members.
    let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
    for &(_, i, j) in &links {
        let (ri, rj) = (components.root(i), components.root(j));
        if ri == rj {
            continue;
        }
        let group = |r: usize, x: usize| members.get(&r).cloned().unwrap_or_else(|| vec![x]);
        let (a, b) = (group(ri, i), group(rj, j));
        let cross = a
            .iter()
            .flat_map(|&x| b.iter().map(move |&y| (x.min(y), x.max(y))))
            .filter(|pair| linked.contains(pair))
            .count();
        // The smallest cluster is a triangle: with one pair unlinked, three
        // incidents are two pairs that share a member, and the member that
        // resembles both (a hub) does not make the other two one failure.
        let pairs = a.len() * b.len();
        let needed = if a.len() + b.len() == MIN_CLUSTER_SIZE {
            pairs as f64
        } else {
            LINKAGE * pairs as f64
        };
        if (cross as f64) < needed {
            continue;
        }
        members.remove(&ri);
        members.remove(&rj);
        components.join(i, j);
        let mut all = a;
        all.extend(b);
        members.insert(components.root(i), all);
    }
    let mut groups: HashMap<usize, Vec<IncidentIdx>> = HashMap::new();
    for i in IncidentIdx::all(n) {
        let root = components.root(i.get());
        groups.entry(root).or_default().push(i);
    }
    let groups: Vec<Vec<IncidentIdx>> =
        groups.into_values().filter(|members| members.len() >= MIN_CLUSTER_SIZE).collect();
    let mut clusters: Vec<Cluster> = groups
        .into_par_iter()
        .map_init(
            || TermSums::new(text.df.len()),
            |sums, members| {
                let top_terms = distinctive_words(&members, text, sums);
                let name = name_of(&top_terms);
                Cluster { name, members, top_terms }
            },
        )
        .collect();
    // Members are in input order already (pushed by ascending index).
    clusters.sort_by(|a, b| {
        b.members.len().cmp(&a.members.len()).then_with(|| a.name.cmp(&b.name)).then_with(|| {
            let slug = |c: &Cluster| {
                c.members.first().and_then(|&m| m.of(incidents)).map(|x| x.slug.as_str())
            };
            slug(a).cmp(&slug(b))
        })
    });
    let mut cluster_of = vec![None; n];
    for (c, cluster) in clusters.iter().enumerate() {
        for &m in &cluster.members {
            #[allow(clippy::expect_used, reason = "members are drawn from `IncidentIdx::all(n)`")]
            let slot = m.of_mut(&mut cluster_of).expect("a member is one of the n incidents");
            *slot = Some(c);
        }
    }
    (clusters, cluster_of)
}

/// A cluster's name: its most distinctive failure or phrase (the first
/// term of more than one word), else its first [`NAME_WORDS`] words.
fn name_of(top_terms: &[String]) -> String {
    match top_terms.iter().find(|t| t.contains(' ')) {
        Some(phrase) => phrase.clone(),
        None => top_terms.iter().take(NAME_WORDS).cloned().collect::<Vec<_>>().join(" "),
    }
}

/// The words with the highest summed TF-IDF weight over `members`, shown as
/// written; a word only one member uses is not distinctive of the group.
fn distinctive_words(
    members: &[IncidentIdx],
    text: &TextIndex,
    sums: &mut TermSums,
) -> Vec<String> {
    for &m in members {
        for &(term, w) in text.vectors.at(m.get()) {
            sums.add(term, w);
        }
    }
    let mut ranked: Vec<(f32, &str)> = sums
        .drain()
        .into_iter()
        .filter(|&(_, _, count)| count >= 2)
        .filter_map(|(term, sum, _)| Some((sum, text.readable.get(term as usize)?.as_str())))
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    let mut out: Vec<String> = Vec::with_capacity(TOP_TERMS);
    for (_, word) in ranked {
        if out.len() == TOP_TERMS {
            break;
        }
        if !out.iter().any(|w| w == word || is_junction(w, word)) {
            out.push(word.to_string());
        }
    }
    out
}

/// Per term id, a sum of weights and how many were added, over every
/// term id: adding is an index, where a hash map hashed every term of
/// every member. Reused from cluster to cluster.
struct TermSums {
    /// Per term id, `(sum, count)`; `count` 0 when untouched.
    sums: Vec<(f32, u32)>,
    /// The term ids touched since the last [`TermSums::drain`].
    touched: Vec<u32>,
}

impl TermSums {
    fn new(terms: usize) -> TermSums {
        TermSums { sums: vec![(0.0, 0); terms], touched: Vec::new() }
    }

    /// Adds `w` to `term`'s sum, in the order called (a float sum depends
    /// on its order).
    fn add(&mut self, term: u32, w: f32) {
        if let Some((sum, count)) = self.sums.get_mut(term as usize) {
            if *count == 0 {
                self.touched.push(term);
            }
            *sum += w;
            *count += 1;
        }
    }

    /// Every touched `(term, sum, count)`, in no set order, leaving the
    /// sums at zero for the next cluster.
    fn drain(&mut self) -> Vec<(u32, f32, u32)> {
        let sums = &mut self.sums;
        let touched = self.touched.drain(..);
        touched
            .map(|term| {
                let (sum, count) = sums.get_mut(term as usize).map_or((0.0, 0), std::mem::take);
                (term, sum, count)
            })
            .collect()
    }
}

/// True when `pair` is the overlap of a CJK character pair with `chosen`
/// ("钟偏" after "时钟"): overlapping pairs repeat each other.
fn is_junction(chosen: &str, pair: &str) -> bool {
    let mut chars = pair.chars();
    let (Some(first), Some(last), None) = (chars.next(), chars.next(), chars.next()) else {
        return false;
    };
    super::tokenizer::is_cjk(first)
        && super::tokenizer::is_cjk(last)
        && (chosen.ends_with(first) || chosen.starts_with(last))
}

//! Stage 4, related: for every incident, the incidents most like it, and the
//! clusters of recurring failures they form.
//!
//! Inputs: the validated incidents, the [`LinkTable`] of the link stage and
//! [`RelatedConfig`]. Outputs: a [`RelatedGraph`]: per incident its top-K
//! related incidents with a score in [0, 1] and readable reasons, plus
//! clusters. Imports: config, model; nothing here does IO or fails.
//!
//! The algorithm, as this file runs it:
//!
//! 1. **Read** ([`features`]): every incident's whole write-up becomes a
//!    TF-IDF vector ([`text`]): words (stemmed English, CJK character pairs)
//!    and two-word phrases, weighted by the section they are in (cause and
//!    summary count double, through [`crate::sections`]), plus the failure
//!    concepts they name ([`concepts`]). Words most of this archive uses
//!    weigh nothing. Services, tags, dates and links are gathered beside.
//! 2. **Find candidates** ([`candidates`]): nothing compares all pairs. Each
//!    incident queries an inverted index with its strongest terms, and adds
//!    its neighbours in time on each service and tag, and its links. Its
//!    eight nearest by word overlap are kept for step 3.
//! 3. **Score** ([`score`]): five signals, each in [0, 1], combined as a
//!    weighted mean with the configured weights:
//!    - links: 1 when either incident wiki-links the other;
//!    - services and tags: the rarity of each shared name, `1 - ln(df)/ln(N)`,
//!      summed and divided by `sqrt(|A| |B|)`;
//!    - text: the cosine of the two vectors, blended with how alike the two
//!      incidents' nearest incidents are (so a family written in different
//!      words or languages meets through the members that bridge it), and
//!      raised when the titles are nearly the same;
//!    - time: on a shared service, `1 - days apart / time_window_days`.
//!
//!    Each incident scores its candidates and its neighbours' neighbours
//!    and keeps its best K. Every signal is symmetric, so lists are made
//!    symmetric: when `a` keeps `b`, `b` is offered `a`.
//! 4. **Explain** ([`reasons`]): each kept pair gets reasons a reader
//!    trusts: the link, the failure both describe, shared phrases and rare
//!    words, the shared service, the days apart.
//! 5. **Group** ([`cluster`]): mutual strong pairs form clusters of one
//!    failure, named by their most distinctive phrase; an incident whose
//!    best earlier match describes the same failure is its recurrence.
//!
//! Ties are broken by slug everywhere, so the output never depends on
//! thread scheduling, hash order or input order. The fast paths (dense
//! scoring in [`focus`], packed tokens in [`tokenizer`], reads started
//! early in [`prefetch`], compact lists in [`lists`], alike incidents
//! visited one after another in [`locality`]) sit behind plain
//! APIs; `reference.rs` scores every pair the plain way, and the tests hold
//! the stage to it.

mod candidates;
mod cluster;
mod concepts;
mod features;
mod focus;
mod labels;
mod lists;
mod locality;
mod postings;
mod prefetch;
mod reasons;
#[cfg(test)]
mod reference;
mod score;
mod stated;
mod stop_words;
#[cfg(test)]
mod tests;
mod text;
mod tokenizer;

use rayon::prelude::*;

use crate::config::RelatedConfig;
use crate::model::{Incident, IncidentIdx, LinkTable};

use self::features::{Features, never_stop};

/// What the related stage produced.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RelatedGraph {
    /// Per incident (indexed by [`IncidentIdx`], as the input), its top-K
    /// related incidents, best first.
    pub related: Vec<Vec<Related>>,
    /// Clusters of recurring failures, largest first, then by name.
    pub clusters: Vec<Cluster>,
    /// Per incident, the index into `clusters` of the cluster it belongs to.
    pub cluster_of: Vec<Option<usize>>,
    /// Per incident, the earlier incident it is a recurrence of: its best
    /// match, when that is dated before it and scores at least the
    /// recurrence threshold.
    pub recurrence_of: Vec<Option<IncidentIdx>>,
}

impl RelatedGraph {
    /// Incident `i`'s related incidents, best first; `i` is one of the
    /// incidents the graph was made from.
    #[allow(clippy::expect_used, reason = "`relate` gives a list per incident")]
    pub(crate) fn related_to(&self, i: IncidentIdx) -> &[Related] {
        i.of(&self.related).expect("a related list per incident")
    }

    /// The cluster incident `i` belongs to, if any, with its index in
    /// `clusters`.
    #[allow(clippy::expect_used, reason = "`cluster::clusters` fills `cluster_of` from `clusters`")]
    pub(crate) fn cluster_containing(&self, i: IncidentIdx) -> Option<(usize, &Cluster)> {
        let c = (*i.of(&self.cluster_of).expect("a cluster slot per incident"))?;
        Some((c, self.clusters.get(c).expect("`cluster_of` indexes `clusters`")))
    }

    /// The incidents `i` recurs, latest first: what it is a recurrence of,
    /// what that is a recurrence of, and so on. Dates fall strictly along
    /// the chain, so it ends.
    pub fn recurrence_chain(&self, i: IncidentIdx) -> Vec<IncidentIdx> {
        let mut chain = Vec::new();
        let mut at = i;
        while let Some(&Some(earlier)) = at.of(&self.recurrence_of) {
            if chain.contains(&earlier) || earlier == i {
                break;
            }
            chain.push(earlier);
            at = earlier;
        }
        chain
    }
}

/// One related incident.
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    /// The related incident.
    pub index: IncidentIdx,
    /// How related, in [0, 1]; the same seen from either side.
    pub score: f64,
    /// Why, for readers, strongest first: "links to it", "linked from it",
    /// "similar root cause: pool, max_connections", "shared service: x",
    /// "shared tag: y", "2 days apart on x".
    pub reasons: Vec<String>,
}

/// A group of incidents that share a failure mode.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// A short name made of the members' most distinctive words.
    pub name: String,
    /// The members, in input order.
    pub members: Vec<IncidentIdx>,
    /// The members' most distinctive words, strongest first.
    pub top_terms: Vec<String>,
}

/// How many candidates, at least, each incident scores exactly.
const MIN_CANDIDATES: usize = 40;

/// A sparse vector: `(index, weight)` pairs.
type Sparse = Vec<(u32, f32)>;

/// Finds each incident's related incidents and the clusters they form.
#[allow(clippy::expect_used, reason = "`relate_unless` gives up only when `stop` says so")]
pub fn relate(incidents: &[Incident], links: &LinkTable, config: &RelatedConfig) -> RelatedGraph {
    relate_unless(incidents, links, config, &never_stop).expect("never_stop never stops")
}

/// [`relate`], giving up with `None` soon after `stop` returns true: `serve`
/// drops a catch-up this way when a newer edit arrives, rather than make
/// the edit wait for a result it would throw away.
pub(crate) fn relate_unless(
    incidents: &[Incident],
    links: &LinkTable,
    config: &RelatedConfig,
    stop: &(dyn Fn() -> bool + Sync),
) -> Option<RelatedGraph> {
    if incidents.is_empty() {
        return Some(RelatedGraph::default());
    }
    // 1. Read every write-up, and gather what else is known.
    let mut features = Features::build_unless(incidents, links, config, stop)?;
    // 2. Find each incident's candidates, and its nearest by words.
    let candidates = features.find_neighbours((4 * config.k).max(MIN_CANDIDATES));
    let features = features;
    if stop() {
        return None;
    }
    // 3. Score: each incident keeps its best K, then each kept pair is
    //    offered to its other side, as scores are symmetric.
    let keep = |s: f64| s > 0.0 && s >= config.min_score;
    let own = features.best_of_each(candidates, config.k, &keep);
    if stop() {
        return None;
    }
    let kept = features.symmetric(own, config.k);
    // 4. Explain each kept pair.
    let related = features.explain(&kept);
    // 5. Group into clusters, and find recurrences.
    let strengths: Vec<Vec<f64>> =
        related.iter().map(|list| list.iter().map(|e| e.strength).collect()).collect();
    let texts: Vec<Vec<Likeness>> = related
        .iter()
        .map(|list| {
            list.iter()
                .map(|e| Likeness { text: e.text, direct: e.direct, title: e.title })
                .collect()
        })
        .collect();
    let related: Vec<Vec<Related>> =
        related.into_iter().map(|list| list.into_iter().map(|e| e.related).collect()).collect();
    let (clusters, cluster_of) = cluster::clusters(
        incidents,
        &related,
        &strengths,
        &features.text,
        config.cluster_threshold,
    );
    let stated = stated::stated_recurrences(incidents, links);
    let background = Background { sums: features.text.cosine_sums(), text: &features.text };
    let recurrence_of =
        recurrences(incidents, &related, &texts, &background, &stated, config.recurrence_threshold);
    Some(RelatedGraph { related, clusters, cluster_of, recurrence_of })
}

/// How alike two write-ups are: the text signal, and the part of it
/// their own words and titles give (see [`score`]).
#[derive(Debug, Clone, Copy)]
struct Likeness {
    text: f64,
    direct: f64,
    title: f64,
}

/// How many times more alike two write-ups' own words must be than
/// either is, on average, to the archive's other write-ups, for one to
/// recur the other. In an archive of one system, one team and one
/// template, every pair shares the system's words, the team's names and
/// the template's phrasing, and each write-up's nearest incidents are all
/// the others: the text signal of any pair can pass the threshold
/// without their failures having anything in common.
const STANDS_OUT: f64 = 2.0;

/// How alike the archive's write-ups are to each one anyway.
struct Background<'t> {
    /// Per incident, the sum of its cosines with every other.
    sums: Vec<f64>,
    text: &'t text::TextIndex,
}

impl Background<'_> {
    /// The larger of `a`'s and `b`'s mean cosines with the write-ups
    /// other than the two: a recurrence's partner is not part of what it
    /// must stand out from, so in an archive of three, two of them one
    /// failure, the third alone is.
    fn of_pair(&self, a: usize, b: usize) -> f64 {
        let others = self.sums.len().saturating_sub(2);
        if others == 0 {
            return 0.0;
        }
        let between = self.text.cosine(a, b);
        let mean = |i: usize| (self.sums.get(i).copied().unwrap_or(0.0) - between).max(0.0);
        mean(a).max(mean(b)) / others as f64
    }
}

/// Per incident, the earlier incident it recurs. First what its write-up
/// says (`stated`, per incident, see [`stated`]): of the incidents it says
/// it recurs, the one it is most like, else the first it names. Else its
/// best related entry dated strictly before it, when their write-ups'
/// similarity (`texts`, per related entry) reaches `threshold` and their
/// own words are [`STANDS_OUT`] times as alike as either write-up is to
/// the archive's others (`background`), and the write-up does not say its
/// cause differs from an earlier one's. A link, a shared
/// service or a day apart relate two incidents but do not make one a
/// recurrence of the other: only describing the same failure, or saying
/// so, does. Undated incidents recur nothing and are recurred by
/// nothing: "earlier" needs a date.
fn recurrences(
    incidents: &[Incident],
    related: &[Vec<Related>],
    texts: &[Vec<Likeness>],
    background: &Background<'_>,
    stated: &[Vec<IncidentIdx>],
    threshold: f64,
) -> Vec<Option<IncidentIdx>> {
    // On every core: a write-up about to be called a recurrence has its
    // text read for a denial.
    (0..incidents.len())
        .into_par_iter()
        .map(|at| {
            let incident = incidents.get(at)?;
            let list = related.get(at).map_or(&[][..], Vec::as_slice);
            let texts = texts.get(at).map_or(&[][..], Vec::as_slice);
            let stated = stated.get(at).map_or(&[][..], Vec::as_slice);
            if let Some(&first) = stated.first() {
                let best = list.iter().map(|r| r.index).find(|r| stated.contains(r));
                return Some(best.unwrap_or(first));
            }
            let mine = incident.date?;
            let earlier = |(r, _): &(&Related, &Likeness)| {
                r.index.of(incidents).and_then(|x| x.date).is_some_and(|d| d < mine)
            };
            let (best, like) = list.iter().zip(texts).find(earlier)?;
            let b = best.index.get();
            let usual = background.of_pair(at, b);
            let alike = like.text - like.title >= threshold && like.direct >= STANDS_OUT * usual;
            (alike && !stated::denies_recurrence(incident)).then_some(best.index)
        })
        .collect()
}

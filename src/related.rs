//! Stage 4, related: for every incident, the incidents most like it, and the
//! clusters of recurring failures they form.
//!
//! Inputs: the validated incidents, the [`LinkTable`] of the link stage and
//! [`RelatedConfig`]. Outputs: a [`RelatedGraph`]: per incident its top-K
//! related incidents with a score in [0, 1] and readable reasons, plus
//! clusters. Imports: config, model; nothing here does IO or fails.
//!
//! Five signals, each in [0, 1], are combined as a weighted mean with the
//! configured weights (so the weights are relative shares):
//!
//! - links: 1 when either incident wiki-links the other;
//! - services and tags: the rarity of each shared name, `1 - ln(df)/ln(N)`,
//!   summed and divided by `sqrt(|A| |B|)`; a name every incident carries
//!   says nothing;
//! - text: half the TF-IDF cosine of title, summary and root cause (stemmed
//!   English, CJK character pairs, filler dropped), half how alike the two
//!   incidents' eight nearest incidents by that cosine are, so a family
//!   written in different words, or partly in Chinese, meets through the
//!   members that bridge it;
//! - time: on a shared service, `1 - days apart / time_window_days`.
//!
//! Every signal is symmetric, so `score(a, b) == score(b, a)` exactly.
//! Nothing compares all pairs: candidates come from an inverted index over
//! text terms (each incident queries its strongest terms; terms used by
//! more than a tenth of the archive are skipped and each posting list keeps
//! only its strongest entries), from neighbours in time on each shared
//! service and tag, from links, and from the nearest incidents' own
//! nearest. So the work per incident is bounded and the stage grows
//! linearly with the archive. Candidates are scored in
//! parallel; lists are made symmetric (if `b` lists `a`, `a` considered `b`),
//! and ties are broken by slug, so the output never depends on thread
//! scheduling or hash order.

mod candidates;
mod cluster;
mod concepts;
mod focus;
mod labels;
mod lists;
mod stop_words;
mod text;
mod tokenizer;

use rayon::prelude::*;

use crate::config::RelatedConfig;
use crate::model::{Incident, LinkTable};

use self::focus::{Focus, Overlap};
use self::labels::Labels;
use self::lists::Lists;
use self::text::{Spread, TextIndex};

/// What the related stage produced.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RelatedGraph {
    /// Per incident (same index as the input), its top-K related incidents,
    /// best first.
    pub related: Vec<Vec<Related>>,
    /// Clusters of recurring failures, largest first, then by name.
    pub clusters: Vec<Cluster>,
    /// Per incident, the index into `clusters` of the cluster it belongs to.
    pub cluster_of: Vec<Option<usize>>,
    /// Per incident, the earlier incident it is a recurrence of: its best
    /// match, when that is dated before it and scores at least the
    /// recurrence threshold.
    pub recurrence_of: Vec<Option<usize>>,
}

impl RelatedGraph {
    /// The incidents `i` recurs, latest first: what it is a recurrence of,
    /// what that is a recurrence of, and so on. Dates fall strictly along
    /// the chain, so it ends.
    pub fn recurrence_chain(&self, i: usize) -> Vec<usize> {
        let mut chain = Vec::new();
        let mut at = i;
        while let Some(&Some(earlier)) = self.recurrence_of.get(at) {
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
    /// Index of the related incident in the input.
    pub index: usize,
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
    /// Indices of the members, in input order.
    pub members: Vec<usize>,
    /// The members' most distinctive words, strongest first.
    pub top_terms: Vec<String>,
}

/// A term used by more than this share of the archive finds no candidates...
const FREQUENT_SHARE: f64 = 0.10;
/// ...unless it is used by at most this many incidents, so a small archive
/// still compares on its common words.
const FREQUENT_MIN: usize = 20;
/// How many candidates, at least, each incident scores exactly.
const MIN_CANDIDATES: usize = 40;
/// Share of the text signal that comes from having the same nearest
/// incidents, the rest being direct word overlap.
const NEIGHBOUR_SHARE: f64 = 0.3;
/// How much of the gap to 1 a near-identical title closes in the text
/// signal.
const TITLE_SHARE: f64 = 0.5;
/// Text similarity below this is not worth a reason.
const TEXT_REASON_MIN: f64 = 0.05;
/// How many shared words a text reason names.
const REASON_WORDS: usize = 3;
/// How many shared services (and tags) the reasons name.
const REASON_LABELS: usize = 3;

/// A sparse vector: `(index, weight)` pairs.
type Sparse = Vec<(u32, f32)>;

/// The signal weights, made finite, non-negative and summing to 1.
#[derive(Debug, Clone, Copy)]
struct Weights {
    links: f64,
    services: f64,
    tags: f64,
    text: f64,
    time: f64,
}

impl Weights {
    fn new(config: &RelatedConfig) -> Weights {
        let clean = |w: f64| if w.is_finite() && w > 0.0 { w } else { 0.0 };
        let raw = [
            config.weight_links,
            config.weight_services,
            config.weight_tags,
            config.weight_text,
            config.weight_time,
        ]
        .map(clean);
        let total: f64 = raw.iter().sum();
        let [links, services, tags, text, time] =
            if total > 0.0 { raw.map(|w| w / total) } else { [0.0; 5] };
        Weights { links, services, tags, text, time }
    }
}

/// The list of incident `i` in a per-incident table (empty past its end).
fn list_at<T>(lists: &[Vec<T>], i: usize) -> &[T] {
    lists.get(i).map_or(&[], Vec::as_slice)
}

/// Whether incident `a`'s sorted list in `lists` holds `b`.
fn list_has(lists: &Lists<u32>, a: usize, b: usize) -> bool {
    lists.at(a).binary_search(&(b as u32)).is_ok()
}

/// The five signals of one pair, each in [0, 1].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Signals {
    link: f64,
    services: f64,
    tags: f64,
    text: f64,
    time: f64,
    /// The part of `text` a near-identical title added: evidence of a
    /// shared symptom, which clusters, made of shared failures, leave out.
    title: f64,
}

/// An incident scored against another: which, how much, and from what.
#[derive(Debug, Clone, Copy)]
struct Scored {
    index: u32,
    score: f64,
    signals: Signals,
}

/// What the stage knows of the archive besides its words.
struct Facts {
    days: Vec<Option<i64>>,
    outgoing: Lists<u32>,
    linked: Lists<u32>,
    rank: Vec<u32>,
    by_rank: Vec<u32>,
    services: Labels,
    tags: Labels,
}

impl Facts {
    fn gather(incidents: &[Incident], links: &LinkTable) -> Facts {
        let n = incidents.len();
        let days: Vec<Option<i64>> = incidents
            .iter()
            .map(|i| {
                let date = i.date?;
                Some(date.duration_since(jiff::civil::Date::MIN).as_secs().div_euclid(86_400))
            })
            .collect();
        let mut outgoing: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut linked: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (from, (targets, out)) in links.outgoing.iter().zip(&mut outgoing).enumerate() {
            for &to in targets.iter().filter(|&&to| to < n && to != from) {
                out.push(to as u32);
                if let Some(list) = linked.get_mut(from) {
                    list.push(to as u32);
                }
                if let Some(list) = linked.get_mut(to) {
                    list.push(from as u32);
                }
            }
        }
        for list in outgoing.iter_mut().chain(linked.iter_mut()) {
            list.sort_unstable();
            list.dedup();
        }
        let mut by_rank: Vec<u32> = (0..n as u32).collect();
        let slug = |i: u32| incidents.get(i as usize).map(|x| x.slug.as_str());
        // In input order where slugs tie, as a stable sort would leave them.
        by_rank.par_sort_unstable_by(|&a, &b| slug(a).cmp(&slug(b)).then(a.cmp(&b)));
        let mut rank = vec![0u32; n];
        for (r, &i) in by_rank.iter().enumerate() {
            if let Some(slot) = rank.get_mut(i as usize) {
                *slot = r as u32;
            }
        }
        let services = Labels::build(incidents.iter().map(|i| i.services.as_slice()), &days, &rank);
        let tags = Labels::build(incidents.iter().map(|i| i.tags.as_slice()), &days, &rank);
        Facts {
            days,
            outgoing: outgoing.into_iter().collect(),
            linked: linked.into_iter().collect(),
            rank,
            by_rank,
            services,
            tags,
        }
    }
}

/// A question the stage asks between pieces of work: should it give up?
type Stop<'a> = &'a (dyn Fn() -> bool + Sync);

fn never_stop() -> bool {
    false
}

/// Everything the stage knows about the archive, ready for scoring.
struct Features<'a> {
    incidents: &'a [Incident],
    /// Asked between pieces of work; see [`relate_unless`].
    stop: Stop<'a>,
    /// Per incident, its position in slug order: every tie is broken by it,
    /// so results do not depend on the order incidents arrive in.
    rank: Vec<u32>,
    /// Per slug position, the incident.
    by_rank: Vec<u32>,
    text: TextIndex,
    services: Labels,
    tags: Labels,
    /// Per incident, days since an arbitrary fixed day; `None` when undated.
    days: Vec<Option<i64>>,
    /// Per incident, the incidents it links to (sorted).
    outgoing: Lists<u32>,
    /// Per incident, the incidents linked with it either way (sorted).
    linked: Lists<u32>,
    /// Per term id, `(incident, weight)`, strongest first; empty for terms
    /// too rare or too common to find candidates with.
    postings: Vec<Sparse>,
    /// Per incident, its nearest incidents by word overlap as `(rank,
    /// cosine)`, sorted by rank; filled by [`Features::find_neighbours`].
    neighbours: Lists<(u32, f32)>,
    /// Per incident, the L2 norm of its `neighbours` cosines.
    neighbour_norms: Vec<f32>,
    weights: Weights,
    window_days: f64,
    /// Tags used by more than this many incidents find no candidates.
    max_df: usize,
}

impl<'a> Features<'a> {
    #[cfg(test)]
    fn build(incidents: &'a [Incident], links: &LinkTable, config: &RelatedConfig) -> Self {
        Self::build_unless(incidents, links, config, &never_stop).expect("never stopped")
    }

    /// The features, or `None` when `stop` said to give up.
    fn build_unless(
        incidents: &'a [Incident],
        links: &LinkTable,
        config: &RelatedConfig,
        stop: Stop<'a>,
    ) -> Option<Self> {
        let n = incidents.len();
        // Tokenizing is most of this; the rest is mostly serial and fills
        // in the gaps.
        let (text, facts) =
            rayon::join(|| TextIndex::build(incidents, stop), || Facts::gather(incidents, links));
        let text = text?;
        let Facts { days, outgoing, linked, rank, by_rank, services, tags } = facts;
        let max_df = ((n as f64 * FREQUENT_SHARE).ceil() as usize).max(FREQUENT_MIN);
        let postings = candidates::postings(&text, &rank, max_df);
        Some(Features {
            incidents,
            stop,
            rank,
            by_rank,
            text,
            services,
            tags,
            days,
            outgoing,
            linked,
            postings,
            neighbours: Lists::default(),
            neighbour_norms: Vec::new(),
            weights: Weights::new(config),
            window_days: f64::from(config.time_window_days),
            max_df,
        })
    }

    /// Days between two incidents and the rarest service they share, when
    /// they share one. `None` when either is undated: no closeness in time
    /// can be claimed for an incident without a date.
    fn apart_on_service(&self, a: usize, b: usize) -> Option<(i64, u32)> {
        let (day_a, day_b) = (self.day(a)?, self.day(b)?);
        let service = *self.services.shared_by_rarity(a, b).first()?;
        Some(((day_a - day_b).abs(), service))
    }

    /// Days from the fixed day to incident `i`; `None` when it is undated.
    fn day(&self, i: usize) -> Option<i64> {
        self.days.get(i).copied().flatten()
    }

    /// The signals of `a` and `b`, from their overlaps.
    fn signals_of(&self, a: usize, b: usize, overlap: &impl Overlap) -> Signals {
        let w = &self.weights;
        let time = match (self.day(a), self.day(b)) {
            (Some(day_a), Some(day_b))
                if w.time > 0.0 && self.window_days > 0.0 && overlap.share_service() =>
            {
                (1.0 - (day_a - day_b).abs() as f64 / self.window_days).max(0.0)
            }
            _ => 0.0,
        };
        let (text, title) =
            if w.text > 0.0 { self.text_similarity(a, b, overlap) } else { (0.0, 0.0) };
        Signals {
            link: if list_has(&self.linked, a, b) { 1.0 } else { 0.0 },
            services: if w.services > 0.0 { overlap.services() } else { 0.0 },
            tags: if w.tags > 0.0 { overlap.tags() } else { 0.0 },
            text,
            time,
            title,
        }
    }

    /// The signals of `a` and `b` by merging their lists: the reference
    /// the exact pass's [`Focus`] is held to.
    #[cfg(test)]
    fn signals(&self, a: usize, b: usize) -> Signals {
        self.signals_of(a, b, &focus::Merged { features: self, a, b })
    }

    /// Text similarity: direct word overlap (cosine), blended with how alike
    /// the two incidents' nearest incidents are. The second part lets a
    /// family written in different words (or languages) meet through the
    /// members that bridge them; it is symmetric because each side's
    /// neighbour list is fixed before any pair is scored.
    ///
    /// Returns the similarity and the part of it a near-identical title
    /// added.
    fn text_similarity(&self, a: usize, b: usize, overlap: &impl Overlap) -> (f64, f64) {
        let words = self.word_similarity(a, b, overlap);
        // A near-identical title closes part of the remaining gap.
        let title = self.text.title_likeness(a, b);
        let text = (words + (1.0 - words) * TITLE_SHARE * title).clamp(0.0, 1.0);
        (text, (text - words).max(0.0))
    }

    /// The words part of [`Features::text_similarity`].
    fn word_similarity(&self, a: usize, b: usize, overlap: &impl Overlap) -> f64 {
        let direct = overlap.cosine();
        let (Some(&norm_a), Some(&norm_b)) =
            (self.neighbour_norms.get(a), self.neighbour_norms.get(b))
        else {
            return direct;
        };
        let norm = f64::from(norm_a) * f64::from(norm_b);
        if norm <= 0.0 {
            return (1.0 - NEIGHBOUR_SHARE) * direct;
        }
        let shared = overlap.shared_neighbours();
        ((1.0 - NEIGHBOUR_SHARE) * direct + NEIGHBOUR_SHARE * (shared / norm).clamp(0.0, 1.0))
            .clamp(0.0, 1.0)
    }

    /// The incident among both sides' nearest that is most like both.
    fn bridge(&self, a: usize, b: usize) -> Option<usize> {
        let mut best: Option<(f32, u32)> = None;
        let (na, nb) = (self.neighbours.at(a), self.neighbours.at(b));
        text::merge_shared(na, nb, |c, x, y| {
            if best.is_none_or(|(v, _)| x * y > v) {
                best = Some((x * y, c));
            }
        });
        best.and_then(|(_, c)| self.by_rank.get(c as usize)).map(|&c| c as usize)
    }

    /// How strongly a pair holds a cluster together: its score without
    /// what a shared title added.
    fn strength(&self, s: &Signals) -> f64 {
        (self.score(s) - self.weights.text * s.title).max(0.0)
    }

    fn score(&self, s: &Signals) -> f64 {
        let w = &self.weights;
        (w.links * s.link
            + w.services * s.services
            + w.tags * s.tags
            + w.text * s.text
            + w.time * s.time)
            .clamp(0.0, 1.0)
    }

    /// Why `b` is related to `a`, from `a`'s side, strongest first; `a` is
    /// the incident in `spread`.
    fn reasons(&self, spread: &Spread, a: usize, b: usize, s: &Signals) -> Vec<String> {
        let w = &self.weights;
        // (contribution to the score, fixed order for ties, text)
        let mut out: Vec<(f64, usize, String)> = Vec::new();
        if w.links > 0.0 {
            if list_has(&self.outgoing, a, b) {
                out.push((w.links, 0, "links to it".into()));
            }
            if list_has(&self.outgoing, b, a) {
                out.push((w.links, 1, "linked from it".into()));
            }
        }
        if w.text * s.text > 0.0 && s.text >= TEXT_REASON_MIN {
            let share = w.text * s.text;
            if self.text.title_likeness(a, b) > 0.0 {
                out.push((share, 2, "near-identical title".into()));
            }
            let shared = self.text.top_shared(spread, b, 3 * REASON_WORDS);
            let Evidence { failures, phrases, words } = evidence(&shared);
            if !failures.is_empty() {
                out.push((share, 2, format!("similar failure: {}", failures.join(", "))));
            }
            if !phrases.is_empty() {
                out.push((share * 0.9, 2, format!("shared phrases: {}", phrases.join(", "))));
            }
            if !words.is_empty() {
                out.push((share * 0.8, 2, format!("shared terms: {}", words.join(", "))));
            }
            if failures.is_empty() && phrases.is_empty() && words.is_empty() {
                let bridge = self.bridge(a, b).and_then(|c| self.incidents.get(c));
                out.extend(bridge.map(|c| (share, 2, format!("both resemble \"{}\"", c.title))));
            }
        }
        for (labels, weight, kind, order) in
            [(&self.services, w.services, "service", 3), (&self.tags, w.tags, "tag", 4)]
        {
            let (la, lb) = (labels.of.at(a).len(), labels.of.at(b).len());
            let norm = ((la * lb) as f64).sqrt().max(1.0);
            for id in labels.shared_by_rarity(a, b).into_iter().take(REASON_LABELS) {
                let c = weight * labels.rarity_of(id) / norm;
                if c > 0.0 {
                    out.push((c, order, format!("shared {kind}: {}", labels.name(id))));
                }
            }
        }
        if s.time > 0.0 {
            if let Some((days, service)) = self.apart_on_service(a, b) {
                let name = self.services.name(service);
                let when = match days {
                    0 => "same day".to_string(),
                    1 => "1 day apart".to_string(),
                    d => format!("{d} days apart"),
                };
                out.push((w.time * s.time, 5, format!("{when} on {name}")));
            }
        }
        out.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        out.into_iter().map(|(_, _, r)| r).collect()
    }

    /// Second pass for incident `i`: scores its first-pass candidates
    /// (`found`, with their cosines) and its neighbours' neighbours exactly,
    /// and keeps its best `k`. `met` is all false, and left so.
    fn best_of(
        &self,
        focus: &mut Focus,
        met: &mut [bool],
        i: usize,
        found: Vec<(u32, f64)>,
        k: usize,
        keep: &dyn Fn(f64) -> bool,
    ) -> Vec<Scored> {
        focus.set(self, i);
        let by_rank = &self.by_rank;
        // The first-pass cosines are known; `None` marks those to compute.
        let mut candidates: Vec<(u32, Option<f64>)> =
            found.into_iter().map(|(j, cosine)| (j, Some(cosine))).collect();
        // Each incident once, and not `i`; the order does not matter,
        // as `top_k`'s order is total.
        let mut mark = |j: u32, on: bool| met.get_mut(j as usize).map(|m| std::mem::replace(m, on));
        for &(j, _) in &candidates {
            mark(j, true);
        }
        mark(i as u32, true);
        for &(c, _) in self.neighbours.at(i) {
            let Some(&c) = by_rank.get(c as usize) else { continue };
            for e in self.neighbours.at(c as usize) {
                let Some(&j) = by_rank.get(e.0 as usize) else { continue };
                if mark(j, true) == Some(false) {
                    candidates.push((j, None));
                }
            }
        }
        for &(j, _) in &candidates {
            mark(j, false);
        }
        mark(i as u32, false);
        for &(j, cosine) in &candidates {
            self.touch(j as usize, cosine.is_none());
        }
        let mut scored: Vec<Scored> = candidates
            .into_iter()
            .map(|(j, cosine)| self.scored(focus, j, cosine))
            .filter(|s| keep(s.score))
            .collect();
        top_k(&mut scored, k, |a, b| self.order(a, b));
        // Kept until every incident is scored: K, not fifty, each.
        scored.shrink_to_fit();
        scored
    }

    /// Reads what scoring incident `b` reads first ([`Lists::touch`]); its
    /// text terms only when its cosine is still to be computed.
    fn touch(&self, b: usize, text: bool) {
        if text {
            self.text.vectors.touch(b);
        }
        self.neighbours.touch(b);
        self.services.of.touch(b);
        self.tags.of.touch(b);
        std::hint::black_box((self.days.get(b).copied(), self.neighbour_norms.get(b).copied()));
    }

    /// `b` scored against the incident in `focus`, with their text cosine
    /// when it is known.
    fn scored(&self, focus: &Focus, b: u32, cosine: Option<f64>) -> Scored {
        let a = focus.incident();
        let signals = self.signals_of(a, b as usize, &focus.with(self, b as usize, cosine));
        Scored { index: b, score: self.score(&signals), signals }
    }

    /// Best first; ties by slug so the order never depends on input order.
    fn order(&self, a: &Scored, b: &Scored) -> std::cmp::Ordering {
        let rank = |s: &Scored| labels::rank_of(&self.rank, s.index);
        b.score.total_cmp(&a.score).then_with(|| rank(a).cmp(&rank(b)))
    }
}

/// Finds each incident's related incidents and the clusters they form.
pub fn relate(incidents: &[Incident], links: &LinkTable, config: &RelatedConfig) -> RelatedGraph {
    relate_unless(incidents, links, config, &never_stop).unwrap_or_default()
}

/// [`relate`], giving up with `None` soon after `stop` returns true: `serve`
/// drops a catch-up this way when a newer edit arrives, rather than make
/// the edit wait for a result it would throw away.
pub fn relate_unless(
    incidents: &[Incident],
    links: &LinkTable,
    config: &RelatedConfig,
    stop: &(dyn Fn() -> bool + Sync),
) -> Option<RelatedGraph> {
    let n = incidents.len();
    if n == 0 {
        return Some(RelatedGraph::default());
    }
    let mut features = Features::build_unless(incidents, links, config, stop)?;
    let k = config.k;
    let limit = (4 * k).max(MIN_CANDIDATES);
    let keep = |s: f64| s > 0.0 && s >= config.min_score;
    let candidates = features.find_neighbours(limit);
    let features = features;
    if stop() {
        return None;
    }

    // Each incident scores its candidates, and its neighbours' neighbours,
    // exactly and keeps its best K.
    let own: Vec<Vec<Scored>> = candidates
        .into_par_iter()
        .enumerate()
        .map_init(
            || (Focus::new(&features), vec![false; n]),
            |(focus, met), (i, found)| {
                if stop() {
                    return Vec::new();
                }
                features.best_of(focus, met, i, found, k, &keep)
            },
        )
        .collect();

    if stop() {
        return None;
    }
    // Scores are symmetric, so when `a` keeps `b`, `b` should have seen `a`
    // too: offer every kept pair to the other side.
    // The signals are symmetric too, so the offer carries them.
    let mut offers: Vec<Vec<Scored>> = vec![Vec::new(); n];
    for (i, list) in own.iter().enumerate() {
        for s in list {
            if let Some(offer) = offers.get_mut(s.index as usize) {
                offer.push(Scored { index: i as u32, ..*s });
            }
        }
    }
    let scored: Vec<Vec<(Related, f64, f64)>> = own
        .into_par_iter()
        .zip(offers)
        .enumerate()
        .map_init(
            || Spread::new(features.text.df.len()),
            |spread, (i, (mut list, offered))| {
                spread.set(&features.text.vectors, i);
                list.extend(offered);
                list.sort_by_key(|e| e.index);
                list.dedup_by_key(|e| e.index);
                top_k(&mut list, k, |a, b| features.order(a, b));
                list.into_iter()
                    .map(|s| {
                        let related = Related {
                            index: s.index as usize,
                            score: s.score,
                            reasons: features.reasons(spread, i, s.index as usize, &s.signals),
                        };
                        (related, features.strength(&s.signals), s.signals.text)
                    })
                    .collect()
            },
        )
        .collect();
    let strengths: Vec<Vec<f64>> =
        scored.iter().map(|list| list.iter().map(|(_, s, _)| *s).collect()).collect();
    let texts: Vec<Vec<f64>> =
        scored.iter().map(|list| list.iter().map(|(_, _, t)| *t).collect()).collect();
    let related: Vec<Vec<Related>> =
        scored.into_iter().map(|list| list.into_iter().map(|(r, _, _)| r).collect()).collect();

    let (clusters, cluster_of) = cluster::clusters(
        incidents,
        &related,
        &strengths,
        &features.text,
        config.cluster_threshold,
    );
    let recurrence_of = recurrences(incidents, &related, &texts, config.recurrence_threshold);
    Some(RelatedGraph { related, clusters, cluster_of, recurrence_of })
}

/// Per incident, the earlier incident it recurs: its best related entry
/// dated strictly before it, when their write-ups' similarity (`texts`,
/// per related entry) reaches `threshold`. A link, a shared service or a
/// day apart relate two incidents but do not make one a recurrence of the
/// other: only describing the same failure does. Undated incidents recur
/// nothing and are recurred by nothing: "earlier" needs a date.
fn recurrences(
    incidents: &[Incident],
    related: &[Vec<Related>],
    texts: &[Vec<f64>],
    threshold: f64,
) -> Vec<Option<usize>> {
    related
        .iter()
        .zip(texts)
        .enumerate()
        .map(|(i, (list, texts))| {
            let mine = incidents.get(i)?.date?;
            let earlier = |(r, _): &(&Related, &f64)| {
                incidents.get(r.index).and_then(|x| x.date).is_some_and(|d| d < mine)
            };
            let (best, &text) = list.iter().zip(texts).find(earlier)?;
            (text >= threshold).then_some(best.index)
        })
        .collect()
}

/// What two write-ups share that is worth naming to a reader.
#[derive(Debug, Default, PartialEq)]
struct Evidence<'t> {
    /// Failure concepts both describe ("clock skew").
    failures: Vec<&'t str>,
    /// Two-word phrases both write ("connection pool").
    phrases: Vec<&'t str>,
    /// Rare single words both write, not part of a named phrase.
    words: Vec<&'t str>,
}

/// The evidence worth naming, from the best shared terms (best first): up
/// to two failure concepts, two phrases and [`REASON_WORDS`] words.
fn evidence<'t>(shared: &[&'t str]) -> Evidence<'t> {
    let is_failure = |w: &str| concepts::CONCEPTS.iter().any(|c| c.label == w);
    let failures: Vec<&str> = shared.iter().filter(|w| is_failure(w)).take(2).copied().collect();
    let phrases: Vec<&str> =
        shared.iter().filter(|w| w.contains(' ') && !is_failure(w)).take(2).copied().collect();
    let in_phrase = |w: &str| phrases.iter().any(|p| p.split(' ').any(|x| x == w));
    let words: Vec<&str> = shared
        .iter()
        .filter(|w| !w.contains(' ') && !is_failure(w) && !in_phrase(w))
        .take(REASON_WORDS)
        .copied()
        .collect();
    Evidence { failures, phrases, words }
}

/// Keeps the `k` best of `items` under `order`, sorted.
fn top_k<T>(items: &mut Vec<T>, k: usize, order: impl Fn(&T, &T) -> std::cmp::Ordering) {
    if items.len() > k && k > 0 {
        items.select_nth_unstable_by(k, &order);
    }
    items.truncate(k);
    items.sort_by(order);
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::Path;

    use super::*;
    use crate::config::Config;
    use crate::load::{parse_document, source_from_bytes};
    use crate::validate::incident_from;

    /// One incident, through the real load and validate code.
    pub(super) fn incident(
        slug: &str,
        date: &str,
        services: &[&str],
        tags: &[&str],
        text: &str,
    ) -> Incident {
        let (title, rest) = text.split_once(". ").unwrap_or((text, ""));
        let (summary, root_cause) = rest.split_once(" | ").unwrap_or((rest, ""));
        let file = format!(
            "---\ntitle: \"{title}\"\ndate: {date}\nseverity: P2\nservices: [{}]\ntags: [{}]\n---\n\
             ## Summary\n\n{summary}\n\n## Root Cause\n\n{root_cause}\n",
            services.join(", "),
            tags.join(", "),
        );
        let rel = Path::new("content").join(format!("{slug}.md"));
        let source = source_from_bytes(&rel, file.into_bytes()).expect("text");
        let doc = parse_document(source).0.expect("parses");
        incident_from(doc, &Config::default()).0.expect("valid")
    }

    pub(super) fn no_links(n: usize) -> LinkTable {
        LinkTable { outgoing: vec![Vec::new(); n], ..LinkTable::default() }
    }

    fn slugs(incidents: &[Incident], list: &[Related]) -> Vec<String> {
        list.iter().map(|r| incidents[r.index].slug.clone()).collect()
    }

    fn index(incidents: &[Incident], slug: &str) -> usize {
        incidents.iter().position(|i| i.slug == slug).expect("slug exists")
    }

    const POOL: [&str; 3] = [
        "Checkout slow. Requests waited on the connection pool | The pool was exhausted by a batch job holding connections; max_connections reached",
        "Orders timing out. Database refused connections: too many clients | Each replica opened its own pool and the fleet passed max_connections",
        "Ledger stalled. Every connection in the pool was checked out | Pool exhaustion: batch workers kept connections and starved the API",
    ];
    const DNS: [&str; 3] = [
        "Upstream errors. Name resolution failed for upstream hosts | CoreDNS pods were overloaded and lookups timed out; resolver retries",
        "推荐服务超时. 容器内 DNS 解析失败，查询丢包 | CoreDNS 解析超时，resolver 等待重试",
        "购物车报错. DNS 解析失败，nameserver 已下线 | resolv.conf 指向已下线的 DNS 服务器，域名解析失败",
    ];
    const CERT: [&str; 3] = [
        "Partner handshake failures. TLS handshake failed: certificate has expired | The certificate renewal reminder was missed and the certificate expired",
        "Mobile app cannot connect. The load balancer certificate had expired | cert-manager failed to renew the certificate before expiry",
        "Staff cannot sign in. SAML signing certificate expired | The certificate was missing from the inventory so renewal never happened",
    ];

    /// Three families of three, on unrelated services, over a year.
    fn archive() -> Vec<Incident> {
        let mut out = Vec::new();
        for (f, family) in [("pool", POOL), ("dns", DNS), ("cert", CERT)].into_iter().enumerate() {
            for (m, text) in family.1.iter().enumerate() {
                let date = format!("2024-{:02}-{:02}", 1 + 4 * m + f, 3 + 7 * f);
                let service = format!("svc-{f}{m}");
                out.push(incident(&format!("{}-{m}", family.0), &date, &[&service], &[], text));
            }
        }
        out
    }

    #[test]
    fn families_find_each_other_in_any_language() {
        let incidents = archive();
        let graph = relate(&incidents, &no_links(incidents.len()), &RelatedConfig::default());
        for (i, list) in graph.related.iter().enumerate() {
            let family = incidents[i].slug.split('-').next().unwrap_or_default();
            let found = slugs(&incidents, list);
            assert!(found.len() >= 2, "{} found {found:?}", incidents[i].slug);
            for slug in found.iter().take(2) {
                assert!(slug.starts_with(family), "{} lists {slug}", incidents[i].slug);
            }
        }
        let pool = index(&incidents, "pool-0");
        let reason = &graph.related[pool][0].reasons;
        assert!(
            reason.iter().any(|r| r == "similar failure: connection pool exhaustion"),
            "{reason:?}"
        );
        assert!(
            reason
                .iter()
                .any(|r| r.starts_with("shared phrases: ") && r.contains("connection pool")),
            "{reason:?}"
        );
    }

    #[test]
    fn scores_are_symmetric_and_bounded() {
        let incidents = archive();
        let mut features =
            Features::build(&incidents, &no_links(incidents.len()), &RelatedConfig::default());
        features.find_neighbours(MIN_CANDIDATES);
        for a in 0..incidents.len() {
            for b in 0..incidents.len() {
                let (ab, ba) = (features.signals(a, b), features.signals(b, a));
                assert_eq!(ab, ba);
                let score = features.score(&ab);
                assert_eq!(score.to_bits(), features.score(&ba).to_bits());
                assert!((0.0..=1.0).contains(&score));
            }
        }
    }

    #[test]
    fn focused_signals_are_the_merged_signals_to_the_bit() {
        // Shared and distinct services and tags, dated and undated.
        let mut incidents = archive();
        for (i, incident) in incidents.iter_mut().enumerate() {
            incident.services.push(["db", "edge", "auth"][i % 3].to_string());
            incident.tags.extend(["network", "capacity"].iter().take(i % 3).map(|t| t.to_string()));
        }
        incidents[4].date = None;
        let config = RelatedConfig { time_window_days: 400, ..RelatedConfig::default() };
        let mut features = Features::build(&incidents, &no_links(incidents.len()), &config);
        features.find_neighbours(MIN_CANDIDATES);
        let mut focus = Focus::new(&features);
        let mut signals_seen = Signals::default();
        for a in (0..incidents.len()).rev().chain(0..incidents.len()) {
            focus.set(&features, a);
            for b in 0..incidents.len() {
                let focused = features.signals_of(a, b, &focus.with(&features, b, None));
                let merged = features.signals(a, b);
                let bits =
                    |s: Signals| [s.link, s.services, s.tags, s.text, s.time].map(f64::to_bits);
                assert_eq!(bits(focused), bits(merged), "{a} {b}");
                let cosine = Some(features.text.cosine(a, b));
                let known = features.signals_of(a, b, &focus.with(&features, b, cosine));
                assert_eq!(bits(known), bits(merged), "{a} {b} with the cosine known");
                for (seen, now) in [
                    (&mut signals_seen.services, focused.services),
                    (&mut signals_seen.tags, focused.tags),
                    (&mut signals_seen.text, focused.text),
                    (&mut signals_seen.time, focused.time),
                ] {
                    *seen = seen.max(now);
                }
            }
        }
        let Signals { services, tags, text, time, .. } = signals_seen;
        assert!(services > 0.0 && tags > 0.0 && text > 0.0 && time > 0.0, "{signals_seen:?}");
    }

    #[test]
    fn reason_words_are_the_best_shared_words_once_each() {
        let incidents = archive();
        let text = TextIndex::build(&incidents, &never_stop).expect("never stopped");
        let mut spread = Spread::new(text.df.len());
        let mut named = 0;
        for a in 0..incidents.len() {
            spread.set(&text.vectors, a);
            for b in 0..incidents.len() {
                // Every shared term, best first, then the first three words.
                let mut shared: Vec<(f32, &str)> = Vec::new();
                text::merge_shared(text.vectors.at(a), text.vectors.at(b), |id, wa, wb| {
                    shared.push((wa * wb, &text.readable[id as usize]));
                });
                shared.sort_by(|x, y| y.0.total_cmp(&x.0).then_with(|| x.1.cmp(y.1)));
                let mut expected: Vec<&str> = Vec::new();
                for (_, word) in shared {
                    if expected.len() < REASON_WORDS && !expected.contains(&word) {
                        expected.push(word);
                    }
                }
                assert_eq!(text.top_shared(&spread, b, REASON_WORDS), expected, "{a} {b}");
                named += usize::from(a != b && !expected.is_empty());
            }
        }
        assert!(named > 0, "some pairs share words");
    }

    #[test]
    fn a_spread_cosine_is_the_merged_cosine_to_the_bit() {
        let incidents = archive();
        let text = TextIndex::build(&incidents, &never_stop).expect("never stopped");
        let mut spread = Spread::new(text.df.len());
        // Out of order, and back again, so clearing the previous incident
        // is exercised too.
        for a in (0..incidents.len()).rev().chain(0..incidents.len()) {
            spread.set(&text.vectors, a);
            for b in 0..incidents.len() {
                assert_eq!(spread.cosine(&text, b).to_bits(), text.cosine(a, b).to_bits());
            }
        }
        assert!(text.cosine(0, 1) > 0.0, "the archive has overlapping texts");
    }

    #[test]
    fn output_is_deterministic_and_independent_of_input_order() {
        let incidents = archive();
        let links = no_links(incidents.len());
        let config = RelatedConfig::default();
        let first = relate(&incidents, &links, &config);
        assert_eq!(first, relate(&incidents, &links, &config));

        let reversed: Vec<Incident> = incidents.iter().rev().cloned().collect();
        let again = relate(&reversed, &links, &config);
        let by_slug =
            |inc: &[Incident], g: &RelatedGraph| -> BTreeMap<String, Vec<(String, u64)>> {
                g.related
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let l = l.iter().map(|r| (inc[r.index].slug.clone(), r.score.to_bits()));
                        (inc[i].slug.clone(), l.collect())
                    })
                    .collect()
            };
        assert_eq!(by_slug(&incidents, &first), by_slug(&reversed, &again));
    }

    #[test]
    fn ties_are_broken_by_slug() {
        let text = "Disk full. The log volume filled up | Log rotation was disabled";
        let incidents: Vec<Incident> = ["d", "b", "c", "a"]
            .iter()
            .map(|s| incident(s, "2024-01-01", &["x"], &[], text))
            .collect();
        let graph = relate(&incidents, &no_links(4), &RelatedConfig::default());
        assert_eq!(slugs(&incidents, &graph.related[0]), ["a", "b", "c"]);
        assert_eq!(slugs(&incidents, &graph.related[3]), ["b", "c", "d"]);
    }

    #[test]
    fn shared_names_count_by_rarity() {
        // Everyone runs on "platform"; only two incidents share "billing".
        let mut incidents: Vec<Incident> = (0..10)
            .map(|i| {
                let text = format!("T{i}. alpha{i} | beta{i}");
                incident(&format!("i{i}"), "2024-01-01", &["platform"], &[], &text)
            })
            .collect();
        incidents[0].services.push("billing".into());
        incidents[1].services.push("billing".into());
        let config = RelatedConfig { weight_time: 0.0, min_score: 0.0, ..RelatedConfig::default() };
        let features = Features::build(&incidents, &no_links(10), &config);
        let common = features.services.similarity(2, 3);
        let rare = features.services.similarity(0, 1);
        assert_eq!(common, 0.0, "a name every incident has says nothing");
        assert!(rare > 0.3, "{rare}");
        assert_eq!(labels::rarity(2, 100), 1.0 - 2f64.ln() / 100f64.ln());

        let graph = relate(&incidents, &no_links(10), &config);
        assert_eq!(slugs(&incidents, &graph.related[0])[..1], ["i1"]);
        assert_eq!(graph.related[0][0].reasons, ["shared service: billing"]);
    }

    #[test]
    fn closeness_in_time_on_a_shared_service() {
        let text = |i: usize| format!("T{i}. alpha{i} | beta{i}");
        let incidents = vec![
            incident("a", "2024-03-01", &["payment-svc"], &[], &text(0)),
            incident("b", "2024-03-03", &["Payment-Svc"], &[], &text(1)),
            incident("c", "2024-06-01", &["payment-svc"], &[], &text(2)),
            incident("d", "2024-03-02", &["other"], &[], &text(3)),
        ];
        let config = RelatedConfig { min_score: 0.0, ..RelatedConfig::default() };
        let graph = relate(&incidents, &no_links(4), &config);
        let a = &graph.related[0];
        assert_eq!(slugs(&incidents, a), ["b", "c"], "d shares no service");
        assert!(a[0].reasons.contains(&"2 days apart on payment-svc".to_string()), "{a:?}");
        assert!(a[0].score > a[1].score);
        assert!(!a[1].reasons.iter().any(|r| r.contains("apart")), "c is outside the window");
    }

    #[test]
    fn an_undated_incident_has_no_closeness_in_time() {
        // See: issue #10. Same service, one side undated: related by the
        // service alone, never "days apart".
        let text = |i: usize| format!("T{i}. alpha{i} | beta{i}");
        let mut incidents = vec![
            incident("a", "2024-03-01", &["payment-svc"], &[], &text(0)),
            incident("b", "2024-03-01", &["payment-svc"], &[], &text(1)),
            incident("c", "2024-03-01", &["other"], &[], &text(2)),
            incident("d", "2024-03-01", &["other"], &[], &text(3)),
        ];
        let config = RelatedConfig { min_score: 0.0, ..RelatedConfig::default() };
        let dated = relate(&incidents, &no_links(4), &config);
        incidents[1].date = None;
        let undated = relate(&incidents, &no_links(4), &config);
        for graph in [&dated, &undated] {
            assert_eq!(slugs(&incidents, &graph.related[0]), ["b"]);
        }
        assert!(dated.related[0][0].reasons.contains(&"same day on payment-svc".to_string()));
        for side in [&undated.related[0][0], &undated.related[1][0]] {
            assert_eq!(side.reasons, ["shared service: payment-svc"], "{side:?}");
        }
        assert!(undated.related[0][0].score < dated.related[0][0].score);
    }

    #[test]
    fn links_in_either_direction_with_their_reasons() {
        let text = |i: usize| format!("T{i}. alpha{i} | beta{i}");
        let incidents: Vec<Incident> =
            (0..3).map(|i| incident(&format!("s{i}"), "2024-01-01", &[], &[], &text(i))).collect();
        let links = LinkTable { outgoing: vec![vec![1], vec![], vec![0]], ..LinkTable::default() };
        let graph = relate(&incidents, &links, &RelatedConfig::default());
        let reasons = |i: usize| -> Vec<(String, Vec<String>)> {
            graph.related[i]
                .iter()
                .map(|r| (incidents[r.index].slug.clone(), r.reasons.clone()))
                .collect()
        };
        assert_eq!(
            reasons(0),
            [
                ("s1".to_string(), vec!["links to it".to_string()]),
                ("s2".to_string(), vec!["linked from it".to_string()])
            ]
        );
        assert_eq!(reasons(1), [("s0".to_string(), vec!["linked from it".to_string()])]);
    }

    #[test]
    fn k_and_min_score_are_respected() {
        // Three groups of four: a word every incident uses says nothing.
        let incidents: Vec<Incident> = (0..12)
            .map(|i| {
                let text = format!(
                    "Disk full on rack{0}. The log volume filled up | Log rotation was disabled on rack{0}",
                    i / 4
                );
                incident(&format!("d{i:02}"), "2024-01-01", &[], &[], &text)
            })
            .collect();
        let config = RelatedConfig { k: 3, ..RelatedConfig::default() };
        let graph = relate(&incidents, &no_links(12), &config);
        assert!(graph.related.iter().all(|l| l.len() == 3));
        let config = RelatedConfig { min_score: 1.0, ..RelatedConfig::default() };
        let graph = relate(&incidents, &no_links(12), &config);
        assert!(graph.related.iter().all(Vec::is_empty), "text alone never scores 1");
    }

    #[test]
    fn clusters_group_mutual_neighbours_and_are_named_by_their_words() {
        let mut incidents = archive();
        // An unrelated singleton stays out of every cluster.
        incidents.push(incident(
            "lone",
            "2024-12-01",
            &["x"],
            &[],
            "Typo. A typo in a banner | Spelling",
        ));
        // Short texts score lower than real postmortems.
        let config = RelatedConfig { cluster_threshold: 0.2, ..RelatedConfig::default() };
        let graph = relate(&incidents, &no_links(incidents.len()), &config);
        assert_eq!(graph.cluster_of.len(), incidents.len());
        assert_eq!(graph.cluster_of[index(&incidents, "lone")], None);
        let names: Vec<&str> = graph.clusters.iter().map(|c| c.name.as_str()).collect();
        assert!(!graph.clusters.is_empty(), "no cluster");
        for (c, cluster) in graph.clusters.iter().enumerate() {
            assert!(cluster.members.len() >= cluster::MIN_CLUSTER_SIZE);
            let family = incidents[cluster.members[0]].slug.split('-').next().unwrap_or_default();
            for &m in &cluster.members {
                assert!(incidents[m].slug.starts_with(family), "{names:?}");
                assert_eq!(graph.cluster_of[m], Some(c));
            }
            assert!(!cluster.top_terms.is_empty() && cluster.name.contains(&cluster.top_terms[0]));
        }
        let sizes: Vec<usize> = graph.clusters.iter().map(|c| c.members.len()).collect();
        assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "largest first");
        let pool = graph.cluster_of[index(&incidents, "pool-0")].map(|c| &graph.clusters[c]);
        assert!(pool.is_some_and(|c| c.top_terms.iter().any(|t| t.contains("pool"))), "{pool:?}");
    }

    #[test]
    fn issue_24_a_recurrence_names_its_earlier_match_and_the_chain() {
        // Three write-ups of one failure a year apart, one unrelated.
        let mut incidents = Vec::new();
        for (i, year) in [2022, 2023, 2024].into_iter().enumerate() {
            incidents.push(incident(
                &format!("pool-{year}"),
                &format!("{year}-03-01"),
                &[&format!("svc-{i}")],
                &[],
                POOL[i],
            ));
        }
        incidents.push(incident(
            "lone",
            "2023-06-01",
            &["x"],
            &[],
            "Typo. A typo in a banner | Spelling",
        ));
        let config = RelatedConfig { recurrence_threshold: 0.1, ..RelatedConfig::default() };
        let graph = relate(&incidents, &no_links(incidents.len()), &config);
        let at = |slug: &str| index(&incidents, slug);
        assert_eq!(graph.recurrence_of[at("pool-2022")], None, "the first has nothing earlier");
        assert!(graph.recurrence_of[at("pool-2023")] == Some(at("pool-2022")));
        assert!(graph.recurrence_of[at("pool-2024")].is_some());
        assert_eq!(graph.recurrence_of[at("lone")], None);
        let chain = graph.recurrence_chain(at("pool-2024"));
        assert!(!chain.is_empty() && chain.last() == Some(&at("pool-2022")), "{chain:?}");
        // Above every score: no recurrence.
        let config = RelatedConfig { recurrence_threshold: 1.0, ..RelatedConfig::default() };
        let graph = relate(&incidents, &no_links(incidents.len()), &config);
        assert!(graph.recurrence_of.iter().all(Option::is_none));
    }

    #[test]
    fn a_hub_does_not_merge_clusters() {
        // Two tight groups and one incident that mentions both mechanisms.
        let mut incidents = Vec::new();
        for i in 0..4 {
            let t = "Pool exhausted. connection pool exhausted | max_connections pool";
            incidents.push(incident(&format!("p{i}"), "2024-01-01", &[], &[], t));
            let t = "Disk full. log volume full disk | log rotation disk";
            incidents.push(incident(&format!("d{i}"), "2024-01-01", &[], &[], t));
        }
        let t = "Both. connection pool exhausted and disk full | max_connections log rotation";
        incidents.push(incident("hub", "2024-01-01", &[], &[], t));
        let config = RelatedConfig { k: 3, ..RelatedConfig::default() };
        let graph = relate(&incidents, &no_links(incidents.len()), &config);
        let p = graph.cluster_of[index(&incidents, "p0")];
        let d = graph.cluster_of[index(&incidents, "d0")];
        assert!(p.is_some() && d.is_some() && p != d, "{:?}", graph.clusters);
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        let config = RelatedConfig::default();
        assert_eq!(relate(&[], &LinkTable::default(), &config), RelatedGraph::default());
        let one = vec![incident("a", "2024-01-01", &[], &[], "A. b | c")];
        let graph = relate(&one, &LinkTable::default(), &config);
        assert_eq!(graph.related, [Vec::new()]);
        // A link table from another build: out-of-range targets are ignored.
        let two = vec![one[0].clone(), incident("b", "2024-01-02", &[], &[], "B. c | d")];
        let links = LinkTable { outgoing: vec![vec![1, 7]], ..LinkTable::default() };
        let graph = relate(&two, &links, &config);
        assert_eq!(graph.related[1][0].reasons, ["linked from it"]);
        // All weights zero: nothing is related.
        let zero = RelatedConfig {
            weight_links: 0.0,
            weight_services: 0.0,
            weight_tags: 0.0,
            weight_text: 0.0,
            weight_time: 0.0,
            min_score: 0.0,
            ..config
        };
        assert!(relate(&two, &links, &zero).related.iter().all(Vec::is_empty));
    }
}

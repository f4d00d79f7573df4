//! The related stage's first pass: finding, for each incident, the few
//! incidents worth scoring exactly, without comparing all pairs.
//!
//! Inputs: the stage's [`Features`]. Outputs: per incident its candidates
//! with their text cosines, and its nearest incidents by word overlap.
//! Imports: the stage's own types.
//!
//! Candidates come from an inverted index over text terms (each incident
//! looks up its strongest terms; each posting list keeps its strongest
//! entries), from neighbours in time on each shared service and tag, and
//! from links. Each source adds to a cheap estimate per touched incident,
//! and the best estimates are kept, so the work per incident is bounded.

use super::Sparse;
use super::features::{Features, list_at};
use super::labels::{rank_in_time_key, rank_of, time_key};
use super::postings::estimate_key;
use super::score::top_k;
use super::text::Spread;
use crate::model::IncidentIdx;

/// How many of its strongest terms an incident looks up.
const QUERY_TERMS: usize = 32;
/// How many neighbours in time, on each side, a shared service or tag adds.
const NEIGHBOURS_IN_TIME: usize = 16;
/// How many nearest incidents by text each incident remembers, for the
/// second-order text similarity.
pub(super) const TEXT_NEIGHBOURS: usize = 8;
/// An archive this small compares every pair: it costs less than a
/// millisecond, and its lists are then exactly what the definition gives.
pub(super) const COMPARE_ALL_BELOW: usize = 300;

impl Features<'_> {
    /// First pass: every incident's candidates with their text cosines,
    /// and from them its nearest incidents by word overlap.
    pub(super) fn find_neighbours(&mut self, limit: usize) -> Vec<Vec<(IncidentIdx, f64)>> {
        let n = self.incidents.len();
        let this = &*self;
        let found: Vec<(Vec<(IncidentIdx, f64)>, Sparse)> = this.each_incident(
            || (Scratch::new(n), Spread::new(this.text.df.len())),
            |(scratch, spread), i| {
                if (this.stop)() {
                    return (Vec::new(), Vec::new());
                }
                spread.set(&this.text.vectors, i);
                let found = if n <= COMPARE_ALL_BELOW {
                    let me = rank_of(&this.rank, i as u32);
                    (0..n as u32).filter(|&r| r != me).collect()
                } else {
                    this.candidate_ranks(i, limit, scratch)
                };
                let found: Vec<(u32, IncidentIdx)> =
                    found.into_iter().map(|r| (r, this.at_rank(r))).collect();
                for &(_, j) in &found {
                    this.text.vectors.touch(j.get());
                }
                let cosines: Vec<f64> =
                    found.iter().map(|&(_, j)| spread.cosine(&this.text, j.get())).collect();
                let mut near: Vec<(u32, f32)> = (found.iter().zip(&cosines))
                    .map(|(&(r, _), &cosine)| (r, cosine as f32))
                    .filter(|&(_, c)| c > 0.0)
                    .collect();
                let candidates =
                    found.iter().zip(cosines).map(|(&(_, j), cosine)| (j, cosine)).collect();
                top_k(&mut near, TEXT_NEIGHBOURS, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                near.sort_by_key(|e| e.0);
                (candidates, near)
            },
        );
        let (candidates, neighbours): (Vec<_>, Vec<_>) = found.into_iter().unzip();
        self.neighbour_norms = neighbours
            .iter()
            .map(|v: &Sparse| v.iter().map(|(_, c)| c * c).sum::<f32>().sqrt())
            .collect();
        self.neighbours = neighbours.into_iter().collect();
        candidates
    }

    /// The incidents worth scoring against `i`, found through the indexes;
    /// at most `limit` of them, the likeliest first by a cheap estimate.
    #[cfg(test)]
    fn candidates(&self, i: usize, limit: usize, scratch: &mut Scratch) -> Vec<IncidentIdx> {
        let ranks = self.candidate_ranks(i, limit, scratch);
        ranks.into_iter().map(|r| self.at_rank(r)).collect()
    }

    /// [`Features::candidates`] by slug rank. Estimates are kept by rank,
    /// which every tie is broken by: so the postings and label indexes
    /// hold ranks, and choosing the best of several hundred incidents
    /// touched needs no lookup per incident.
    fn candidate_ranks(&self, i: usize, limit: usize, scratch: &mut Scratch) -> Vec<u32> {
        let w = &self.weights;
        for &j in self.linked.at(i) {
            scratch.add(rank_of(&self.rank, j.to_u32()), w.links as f32);
        }
        let mut query: Vec<(u32, f32)> = self
            .text
            .vectors
            .at(i)
            .iter()
            .filter(|(t, _)| !list_at(&self.postings, *t as usize).is_empty())
            .copied()
            .collect();
        // The strongest first; terms are unique, so the order is total and
        // only the part looked up needs sorting.
        top_k(&mut query, QUERY_TERMS, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        for &(term, wi) in &query {
            for &(j, wj) in list_at(&self.postings, term as usize) {
                scratch.add(j, w.text as f32 * wi * wj);
            }
        }
        for (labels, weight, always) in
            [(&self.services, w.services, true), (&self.tags, w.tags, false)]
        {
            for &id in labels.of.at(i) {
                let members = list_at(&labels.members, id as usize);
                if !always && members.len() > self.max_df {
                    continue;
                }
                let bonus = (weight * labels.rarity_of(id)) as f32;
                // An undated incident has no neighbours in time, only in name.
                let time = if self.day(i).is_some() { (w.time as f32) * 0.5 } else { 0.0 };
                for r in self.neighbours_in_time(members, i) {
                    scratch.add(r, bonus + time);
                }
            }
        }
        scratch.take_best(rank_of(&self.rank, i as u32), limit)
    }

    /// The slug ranks of up to [`NEIGHBOURS_IN_TIME`] members on each side
    /// of `i` in time.
    fn neighbours_in_time<'m>(
        &self,
        members: &'m [u64],
        i: usize,
    ) -> impl Iterator<Item = u32> + 'm {
        let key = time_key(&self.days, &self.rank, i as u32);
        let at = members.partition_point(|&m| m < key);
        let start = at.saturating_sub(NEIGHBOURS_IN_TIME);
        let end = (at + 1 + NEIGHBOURS_IN_TIME).min(members.len());
        #[allow(
            clippy::expect_used,
            reason = "start <= at <= len and end is at least at, at most len"
        )]
        let near = members.get(start..end).expect("a window around a point inside the list");
        near.iter().map(|&m| rank_in_time_key(m))
    }
}

/// Per-thread accumulator for candidate estimates by slug rank, reused
/// across incidents.
struct Scratch {
    acc: Vec<f32>,
    /// The incidents touched so far are the first `count` entries. There
    /// is room for every incident, so that noting one is a store and an
    /// add: a branch here mispredicted on about half of all additions.
    touched: Vec<u32>,
    count: usize,
    /// `(key, incident)` of the touched incidents; kept for its capacity.
    found: Vec<(u64, u32)>,
}

impl Scratch {
    fn new(n: usize) -> Scratch {
        Scratch { acc: vec![0.0; n], touched: vec![0; n], count: 0, found: Vec::new() }
    }

    fn add(&mut self, j: u32, value: f32) {
        let Some(slot) = self.acc.get_mut(j as usize) else { return };
        if let Some(next) = self.touched.get_mut(self.count) {
            *next = j;
        }
        self.count += usize::from(*slot == 0.0);
        // A tiny floor keeps a touched slot distinguishable from an empty one.
        *slot += value.max(f32::MIN_POSITIVE);
    }

    /// The ranks of the `limit` best estimates other than `me` (ties by
    /// rank), and a clean accumulator for the next incident.
    #[allow(clippy::expect_used, reason = "`add` notes only ranks it found a slot for")]
    fn take_best(&mut self, me: u32, limit: usize) -> Vec<u32> {
        let mut found = std::mem::take(&mut self.found);
        found.clear();
        for &j in self.touched.iter().take(std::mem::take(&mut self.count)) {
            let slot = self.acc.get_mut(j as usize).expect("a touched rank has a slot");
            let estimate = std::mem::take(slot);
            if j != me {
                found.push((estimate_key(estimate, j), j));
            }
        }
        if let Some(slot) = self.acc.get_mut(me as usize) {
            *slot = 0.0;
        }
        // Keys are unique (ranks are), so the order is total.
        if found.len() > limit {
            found.select_nth_unstable(limit);
            found.truncate(limit);
        }
        found.sort_unstable();
        let best = found.iter().map(|&(_, j)| j).collect();
        self.found = found;
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RelatedConfig;
    use crate::model::Incident;
    use crate::related::features::FREQUENT_MIN;
    use crate::related::postings::POSTINGS_PER_TERM;
    use crate::related::relate;
    use crate::related::tests::{incident, no_links};

    #[test]
    fn frequent_terms_find_no_candidates() {
        // 60 incidents share "database"; pairs of them share a rare word.
        let incidents: Vec<Incident> = (0..60)
            .map(|i| {
                let text = format!("Database trouble. database database | rare{}", i / 2);
                incident(&format!("f{i:02}"), "2024-01-01", &[], &[], &text)
            })
            .collect();
        let features = Features::build(&incidents, &no_links(60), &RelatedConfig::default());
        assert_eq!(features.max_df, FREQUENT_MIN);
        let id = |word: &str| features.text.readable.iter().position(|w| w == word).unwrap();
        assert!(features.postings[id("database")].is_empty(), "used by all 60");
        assert_eq!(features.postings[id("rare7")].len(), 2);
        let mut scratch = Scratch::new(60);
        assert_eq!(features.candidates(14, 40, &mut scratch), [IncidentIdx::new(15)]);
        assert!(scratch.count == 0 && scratch.acc.iter().all(|&x| x == 0.0));
    }

    #[test]
    fn the_best_estimates_are_taken_best_first_and_the_scratch_left_clean() {
        // Scratch slots are slug ranks, so ties go to the lower slot.
        let mut scratch = Scratch::new(8);
        for (r, value) in [(3, 0.5), (1, 2.0), (6, 0.5), (0, 9.0), (5, 0.1), (3, 0.25), (2, 0.75)] {
            scratch.add(r, value);
        }
        assert_eq!(scratch.take_best(0, 3), [1, 2, 3], "0 is the incident itself");
        assert!(scratch.count == 0 && scratch.acc.iter().all(|&x| x == 0.0));
        scratch.add(6, 0.5);
        scratch.add(4, 0.5);
        assert_eq!(scratch.take_best(0, 9), [4, 6], "a tie goes by rank");
        scratch.add(4, 0.5);
        assert!(scratch.take_best(0, 0).is_empty());
        assert!(scratch.acc.iter().all(|&x| x == 0.0));
    }

    #[test]
    fn estimate_keys_order_highest_first_then_by_rank() {
        let mut keys = [
            (estimate_key(0.5, 3), "0.5 rank 3"),
            (estimate_key(f32::MIN_POSITIVE, 0), "tiny"),
            (estimate_key(2.0, 9), "2.0"),
            (estimate_key(0.5, 1), "0.5 rank 1"),
            (estimate_key(0.25, 0), "0.25"),
        ];
        keys.sort_unstable();
        let order: Vec<&str> = keys.iter().map(|k| k.1).collect();
        assert_eq!(order, ["2.0", "0.5 rank 1", "0.5 rank 3", "0.25", "tiny"]);
    }

    #[test]
    fn work_per_incident_is_bounded() {
        // Everyone shares every word: postings are capped, not all-pairs.
        let n = 400;
        let incidents: Vec<Incident> = (0..n)
            .map(|i| {
                let text = "Pool exhausted. connection pool exhausted | max_connections";
                incident(&format!("p{i:03}"), "2024-01-01", &["svc"], &["db"], text)
            })
            .collect();
        let config = RelatedConfig::default();
        let features = Features::build(&incidents, &no_links(n), &config);
        assert!(features.postings.iter().all(|p| p.len() <= POSTINGS_PER_TERM));
        let mut scratch = Scratch::new(n);
        assert!(features.candidates(0, 40, &mut scratch).len() <= 40);
        // The whole archive shares the title too: it is the archive's own
        // words, and no list is longer than asked for.
        let graph = relate(&incidents, &no_links(n), &config);
        assert!(graph.related.iter().all(|l| l.len() <= config.k));
    }
}

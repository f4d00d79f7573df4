//! Scoring a pair: its five signals, combined as a weighted mean, and each
//! incident's best K among its candidates.

use rayon::prelude::*;

use super::features::{Features, list_has};
use super::focus::{Focus, Overlap};
use crate::model::{IncidentIdx, indexed};

/// Share of the text signal that comes from having the same nearest
/// incidents, the rest being direct word overlap.
pub(super) const NEIGHBOUR_SHARE: f64 = 0.3;
/// The least norm a nearest-incidents vector is divided by.
pub(super) const NEIGHBOUR_NORM_FLOOR: f64 = 0.3;
/// How much of the gap to 1 a near-identical title closes in the text
/// signal.
pub(super) const TITLE_SHARE: f64 = 0.5;

/// The five signals of one pair, each in [0, 1].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(super) struct Signals {
    pub(super) link: f64,
    pub(super) services: f64,
    pub(super) tags: f64,
    pub(super) text: f64,
    pub(super) time: f64,
    /// The part of `text` a near-identical title added: evidence of a
    /// shared symptom, which clusters, made of shared failures, leave out.
    pub(super) title: f64,
    /// The text signal as the two write-ups' own words and titles give
    /// it, without what their nearest incidents add: what a recurrence,
    /// the same failure written up again, is judged by.
    pub(super) direct: f64,
}

/// An incident scored against another: which, how much, and from what.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scored {
    pub(super) index: IncidentIdx,
    pub(super) score: f64,
    pub(super) signals: Signals,
}

impl Features<'_> {
    /// Every incident's best `k` among its first-pass candidates (with
    /// their cosines) and its neighbours' neighbours, scored exactly.
    pub(super) fn best_of_each(
        &self,
        candidates: Vec<Vec<(IncidentIdx, f64)>>,
        k: usize,
        keep: &(dyn Fn(f64) -> bool + Sync),
    ) -> Vec<Vec<Scored>> {
        let n = self.incidents.len();
        self.each_incident(
            || (Focus::new(self), vec![false; n]),
            |(focus, met), i| {
                if (self.stop)() {
                    return Vec::new();
                }
                let found = candidates.get(i).map_or(&[][..], Vec::as_slice);
                self.best_of(focus, met, i, found, k, keep)
            },
        )
    }

    /// The lists made symmetric: when `a` keeps `b`, `b` should have seen
    /// `a` too, so every kept pair is offered to the other side, with its
    /// signals (they are symmetric too); each list keeps its best `k`.
    pub(super) fn symmetric(&self, own: Vec<Vec<Scored>>, k: usize) -> Vec<Vec<Scored>> {
        let mut offers: Vec<Vec<Scored>> = vec![Vec::new(); own.len()];
        for (i, list) in indexed(&own) {
            for s in list {
                if let Some(offer) = s.index.of_mut(&mut offers) {
                    offer.push(Scored { index: i, ..*s });
                }
            }
        }
        own.into_par_iter()
            .zip(offers)
            .map(|(mut list, offered)| {
                list.extend(offered);
                list.sort_by_key(|e| e.index);
                list.dedup_by_key(|e| e.index);
                top_k(&mut list, k, |a, b| self.order(a, b));
                list
            })
            .collect()
    }

    /// The signals of `a` and `b`, from their overlaps.
    pub(super) fn signals_of(&self, a: usize, b: usize, overlap: &impl Overlap) -> Signals {
        let w = &self.weights;
        let time = match (self.day(a), self.day(b)) {
            (Some(day_a), Some(day_b))
                if w.time > 0.0 && self.window_days > 0.0 && overlap.share_service() =>
            {
                (1.0 - (day_a - day_b).abs() as f64 / self.window_days).max(0.0)
            }
            _ => 0.0,
        };
        let (text, title, direct) =
            if w.text > 0.0 { self.text_similarity(a, b, overlap) } else { (0.0, 0.0, 0.0) };
        Signals {
            link: if list_has(&self.linked, a, b) { 1.0 } else { 0.0 },
            services: if w.services > 0.0 { overlap.services() } else { 0.0 },
            tags: if w.tags > 0.0 { overlap.tags() } else { 0.0 },
            text,
            time,
            title,
            direct,
        }
    }

    /// The signals of `a` and `b` by merging their lists: the reference
    /// the exact pass's [`Focus`] is held to.
    #[cfg(test)]
    pub(super) fn signals(&self, a: usize, b: usize) -> Signals {
        self.signals_of(a, b, &super::focus::Merged { features: self, a, b })
    }

    /// Text similarity: direct word overlap (cosine), blended with how alike
    /// the two incidents' nearest incidents are. The second part lets a
    /// family written in different words (or languages) meet through the
    /// members that bridge them; it is symmetric because each side's
    /// neighbour list is fixed before any pair is scored.
    ///
    /// Returns the similarity, the part of it a near-identical title
    /// added, and the similarity without the nearest incidents' part.
    pub(super) fn text_similarity(
        &self,
        a: usize,
        b: usize,
        overlap: &impl Overlap,
    ) -> (f64, f64, f64) {
        let words = self.word_similarity(a, b, overlap);
        // A near-identical title closes part of the remaining gap.
        let title = self.text.title_likeness(a, b);
        let with_title = |words: f64| (words + (1.0 - words) * TITLE_SHARE * title).clamp(0.0, 1.0);
        let text = with_title(words);
        (text, (text - words).max(0.0), with_title(overlap.cosine()))
    }

    /// The words part of [`Features::text_similarity`].
    pub(super) fn word_similarity(&self, a: usize, b: usize, overlap: &impl Overlap) -> f64 {
        let direct = overlap.cosine();
        let (Some(&norm_a), Some(&norm_b)) =
            (self.neighbour_norms.get(a), self.neighbour_norms.get(b))
        else {
            return direct;
        };
        // Weak neighbours are weak evidence: below the floor a norm counts
        // as the floor, so two write-ups whose only kin is one faint match
        // (a small archive of unrelated failures) are not made alike by it.
        let floored = |norm: f32| f64::from(norm).max(NEIGHBOUR_NORM_FLOOR);
        let norm = floored(norm_a) * floored(norm_b);
        if norm_a <= 0.0 || norm_b <= 0.0 {
            return (1.0 - NEIGHBOUR_SHARE) * direct;
        }
        let shared = overlap.shared_neighbours();
        ((1.0 - NEIGHBOUR_SHARE) * direct + NEIGHBOUR_SHARE * (shared / norm).clamp(0.0, 1.0))
            .clamp(0.0, 1.0)
    }

    /// How strongly a pair holds a cluster together: its score without
    /// what a shared title added.
    pub(super) fn strength(&self, s: &Signals) -> f64 {
        (self.score(s) - self.weights.text * s.title).max(0.0)
    }

    pub(super) fn score(&self, s: &Signals) -> f64 {
        let w = &self.weights;
        (w.links * s.link
            + w.services * s.services
            + w.tags * s.tags
            + w.text * s.text
            + w.time * s.time)
            .clamp(0.0, 1.0)
    }

    /// Second pass for incident `i`: scores its first-pass candidates
    /// (`found`, with their cosines) and its neighbours' neighbours exactly,
    /// and keeps its best `k`. `met` is all false, and left so.
    pub(super) fn best_of(
        &self,
        focus: &mut Focus,
        met: &mut [bool],
        i: usize,
        found: &[(IncidentIdx, f64)],
        k: usize,
        keep: &dyn Fn(f64) -> bool,
    ) -> Vec<Scored> {
        focus.set(self, i);
        // The first-pass cosines are known; `None` marks those to compute.
        let mut candidates: Vec<(IncidentIdx, Option<f64>)> =
            found.iter().map(|&(j, cosine)| (j, Some(cosine))).collect();
        // Each incident once, and not `i`; the order does not matter,
        // as `top_k`'s order is total.
        let mut mark = |j: IncidentIdx, on: bool| j.of_mut(met).map(|m| std::mem::replace(m, on));
        for &(j, _) in &candidates {
            mark(j, true);
        }
        mark(IncidentIdx::new(i), true);
        for &(c, _) in self.neighbours.at(i) {
            for e in self.neighbours.at(self.at_rank(c).get()) {
                let j = self.at_rank(e.0);
                if mark(j, true) == Some(false) {
                    candidates.push((j, None));
                }
            }
        }
        for &(j, _) in &candidates {
            mark(j, false);
        }
        mark(IncidentIdx::new(i), false);
        for &(j, cosine) in &candidates {
            self.touch(j.get(), cosine.is_none());
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

    /// `b` scored against the incident in `focus`, with their text cosine
    /// when it is known.
    pub(super) fn scored(&self, focus: &Focus, b: IncidentIdx, cosine: Option<f64>) -> Scored {
        let a = focus.incident();
        let signals = self.signals_of(a, b.get(), &focus.with(self, b.get(), cosine));
        Scored { index: b, score: self.score(&signals), signals }
    }

    /// Best first; ties by slug so the order never depends on input order.
    pub(super) fn order(&self, a: &Scored, b: &Scored) -> std::cmp::Ordering {
        let rank = |s: &Scored| super::labels::rank_of(&self.rank, s.index.to_u32());
        b.score.total_cmp(&a.score).then_with(|| rank(a).cmp(&rank(b)))
    }
}

/// Keeps the `k` best of `items` under `order`, sorted.
pub(super) fn top_k<T>(items: &mut Vec<T>, k: usize, order: impl Fn(&T, &T) -> std::cmp::Ordering) {
    if items.len() > k && k > 0 {
        items.select_nth_unstable_by(k, &order);
    }
    items.truncate(k);
    items.sort_by(order);
}

//! The dense side of comparing sparse lists: one incident's list spread
//! over every id ([`Spread`]), so that its overlap with another's is one
//! pass over the other's entries, and the plain merge of two sorted lists
//! ([`merge_shared`]) that defines what the overlap is.
//!
//! Inputs: [`Lists`] of `(id, weight)` sorted by id (text vectors,
//! nearest incidents). Outputs: dot products and cosines.
//! Imports: the stage's lists and the text index.

use super::TextIndex;
use crate::related::lists::Lists;

/// One incident's sparse list (its text vector, or its nearest incidents)
/// spread over every id, so that its overlap with another incident's list
/// is one pass over the other's entries instead of a merge of both.
pub(crate) struct Spread {
    weights: Vec<f32>,
    of: Option<usize>,
}

impl Spread {
    /// Room for ids below `len`.
    pub(crate) fn new(len: usize) -> Spread {
        Spread { weights: vec![0.0; len], of: None }
    }

    /// Spreads list `a` of `lists`, clearing the one spread before, which
    /// came from the same `lists`.
    pub(crate) fn set(&mut self, lists: &Lists<(u32, f32)>, a: usize) {
        if self.of == Some(a) {
            return;
        }
        if let Some(before) = self.of {
            for &(id, _) in lists.at(before) {
                self.put(id, 0.0);
            }
        }
        for &(id, w) in lists.at(a) {
            self.put(id, w);
        }
        self.of = Some(a);
    }

    /// The spread list's weight for `id`; 0 when it lacks it.
    pub(crate) fn weight(&self, id: u32) -> f32 {
        self.weights.get(id as usize).copied().unwrap_or(0.0)
    }

    fn put(&mut self, id: u32, weight: f32) {
        if let Some(slot) = self.weights.get_mut(id as usize) {
            *slot = weight;
        }
    }

    /// Sum of the products of the weights of the ids both lists hold, in
    /// the order of `other`. Every kept weight is positive, so a 0 means
    /// absent, and a sorted `other` gives [`merge_shared`]'s order: the
    /// result is the merge's to the last bit. An absent id adds +0.0, which
    /// leaves a sum of positive products unchanged; testing for it instead
    /// was a branch that mispredicted on every other term.
    pub(crate) fn dot(&self, other: &[(u32, f32)]) -> f64 {
        // From +0.0, as the merge starts: `sum()` would start from -0.0.
        other.iter().fold(0.0, |sum, &(id, wb)| sum + f64::from(self.weight(id)) * f64::from(wb))
    }

    /// The entries of `other` this list holds too, as `(id, weight here,
    /// weight in other)` in `other`'s order: for sorted lists, what
    /// [`merge_shared`] calls its function with, to the last bit. Each
    /// entry is written and kept when present, where a branch per entry
    /// mispredicted as often as the merge's did.
    pub(crate) fn shared(&self, other: &[(u32, f32)], out: &mut Vec<(u32, f32, f32)>) {
        out.clear();
        out.resize(other.len(), (0, 0.0, 0.0));
        let mut kept = 0;
        for &(id, wb) in other {
            let wa = self.weight(id);
            if let Some(slot) = out.get_mut(kept) {
                *slot = (id, wa, wb);
            }
            kept += usize::from(wa != 0.0);
        }
        out.truncate(kept);
    }

    /// [`TextIndex::cosine`] of the spread incident and `b`.
    pub(crate) fn cosine(&self, index: &TextIndex, b: usize) -> f64 {
        self.dot(index.vectors.at(b)).clamp(0.0, 1.0)
    }
}

/// Calls `f(term, weight in a, weight in b)` for every term both sorted
/// vectors hold, in term order.
pub(crate) fn merge_shared(a: &[(u32, f32)], b: &[(u32, f32)], mut f: impl FnMut(u32, f32, f32)) {
    // Each side steps on when its term is not the greater: two flags
    // added, where choosing between three branches mispredicted at about
    // every other step of two unrelated lists.
    let (mut i, mut j) = (0, 0);
    while let (Some(&(ta, wa)), Some(&(tb, wb))) = (a.get(i), b.get(j)) {
        if ta == tb {
            f(ta, wa, wb);
        }
        i += usize::from(ta <= tb);
        j += usize::from(tb <= ta);
    }
}

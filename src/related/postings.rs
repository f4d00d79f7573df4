//! The related stage's inverted index: per text term, the incidents that
//! use it, strongest first, for the candidate search to look up.
//!
//! Inputs: the [`TextIndex`] and each incident's slug rank. Outputs: one
//! posting list per term id. Imports: the stage's text and labels.

use rayon::prelude::*;

use super::Sparse;
use super::labels::rank_of;
use super::text::TextIndex;

/// How many entries, strongest first, each term's posting list keeps.
/// Longer lists found worse candidates, not better: a term shared by
/// hundreds of incidents filled the candidate list with incidents that
/// merely use it, crowding out those that share rarer terms. With the
/// labelled families mixed into 3,000 generated incidents (the ignored
/// `families_among_generated_incidents` measurement), recall@5 was 0.43
/// with 16 entries, 0.38 with 32 and 0.33 with 128, and the share of the
/// top five describing the same mechanism 0.75, 0.75 and 0.65. Scoring
/// every pair instead gives 0.34 and 0.76: with 16 entries the search
/// loses nothing to comparing all pairs, where with 128 it lost 0.11 of
/// the top five's share.
pub(super) const POSTINGS_PER_TERM: usize = 16;

/// Per term id, `(slug rank, weight)` by [`estimate_key`], at most
/// [`POSTINGS_PER_TERM`] of them; empty for terms used once (nobody to
/// find) or by more than `max_df` incidents (everybody).
pub(super) fn postings(text: &TextIndex, rank: &[u32], max_df: usize) -> Vec<Sparse> {
    let mut postings: Vec<Sparse> = text
        .df
        .iter()
        .map(|&df| {
            let df = df as usize;
            if (2..=max_df).contains(&df) { Vec::with_capacity(df) } else { Vec::new() }
        })
        .collect();
    for (i, vector) in text.vectors.iter().enumerate() {
        for &(term, w) in vector {
            if let Some(list) = postings.get_mut(term as usize).filter(|l| l.capacity() > 0) {
                list.push((rank_of(rank, i as u32), w));
            }
        }
    }
    postings.par_iter_mut().for_each(|list| {
        // Weights are positive, as estimates are. Keys are unique (ranks
        // are), so the best are the same whether the whole list is sorted
        // or only the part kept.
        let key = |&(r, w): &(u32, f32)| estimate_key(w, r);
        if list.len() > POSTINGS_PER_TERM {
            list.select_nth_unstable_by_key(POSTINGS_PER_TERM, key);
            list.truncate(POSTINGS_PER_TERM);
        }
        list.sort_unstable_by_key(key);
        list.shrink_to_fit();
    });
    postings
}

/// One integer that orders candidates as the estimate, highest first, then
/// the slug rank: comparing it is a single instruction where comparing the
/// pair was two lookups and a float comparison. Estimates are positive
/// (every addition is floored above zero), and positive floats order as
/// their bits.
pub(super) fn estimate_key(estimate: f32, rank: u32) -> u64 {
    (u64::from(!estimate.to_bits()) << 32) | u64::from(rank)
}

//! "Did you mean": the incident name (slug or title) closest to a link
//! that resolves to nothing, when it is at least 70% alike by edit
//! distance. Part of the link stage.
//!
//! Comparing a name with every incident's is linear in the archive, so
//! the link stage asks for at most [`SUGGEST_LIMIT`] distinct names per
//! build, and each comparison is screened first by bounds that never drop
//! a name close enough: the lengths, and how many of each character the
//! two hold. `did_you_mean` in the tests is the plain definition the fast
//! path must match.

use crate::model::Incident;

/// Suggestions are looked for for this many distinct unresolved names per
/// build, the first in incident order; past it, a broken link is still
/// named, without a suggestion. An archive with more has a pattern to fix
/// (a runbook prefix not configured, a renamed folder), which the first
/// ones show.
pub(super) const SUGGEST_LIMIT: usize = 200;

/// How alike, in [0, 1], a name must be to be suggested.
const MIN_LIKENESS: f64 = 0.7;

/// Every incident's slug and lower-cased title, with what screens them.
pub(super) struct Suggester {
    names: Vec<Name>,
}

struct Name {
    /// Compared, lower-cased.
    lower: String,
    /// Shown in the suggestion.
    shown: String,
    chars: usize,
    counts: Counts,
}

/// How many of each character a name holds, folded into 32 buckets: two
/// characters that share a bucket count as one, which only lowers the
/// difference, so it stays a bound.
type Counts = [u8; 32];

fn counts(s: &str) -> (usize, Counts) {
    let mut counts = [0u8; 32];
    let mut chars = 0;
    for c in s.chars() {
        chars += 1;
        if let Some(n) = counts.get_mut(c as usize % 32) {
            *n = n.saturating_add(1);
        }
    }
    (chars, counts)
}

impl Suggester {
    pub(super) fn new(incidents: &[Incident]) -> Self {
        let names = incidents
            .iter()
            .flat_map(|i| {
                [
                    (i.slug.to_string(), i.slug.to_string()),
                    (i.title.to_lowercase(), i.title.clone()),
                ]
            })
            .map(|(lower, shown)| {
                let (chars, counts) = counts(&lower);
                Name { lower, shown, chars, counts }
            })
            .collect();
        Suggester { names }
    }

    /// The name most like `target`, at least [`MIN_LIKENESS`] alike; of
    /// equally alike names, the first in alphabetical order.
    pub(super) fn suggest(&self, target: &str) -> Option<String> {
        let target = target.to_lowercase();
        let (chars, held) = counts(&target);
        let mut best: Option<(f64, &str)> = None;
        for name in &self.names {
            // Alike enough means at most 30% of the longer name's
            // characters edited; one more, so rounding never drops a name.
            let longer = chars.max(name.chars);
            let edits = 3 * longer / 10 + 1;
            if chars.abs_diff(name.chars) > edits {
                continue;
            }
            // An edit changes the counts by two at most.
            let apart: usize =
                held.iter().zip(&name.counts).map(|(a, b)| usize::from(a.abs_diff(*b))).sum();
            if apart > 2 * edits {
                continue;
            }
            let score = strsim::normalized_levenshtein(&target, &name.lower);
            let shown = name.shown.as_str();
            if score >= MIN_LIKENESS
                && best.is_none_or(|(b, s)| score > b || (score == b && shown < s))
            {
                best = Some((score, shown));
            }
        }
        best.map(|(_, s)| s.to_string())
    }
}

//! Why two incidents are related, in words a reader trusts: the link, the
//! failure they describe, shared phrases and rare words, shared services and
//! tags, closeness in time.

use super::Related;
use super::concepts;
use super::features::{Features, list_has};
use super::score::{Scored, Signals};
use super::text::{self, Spread};

/// Text similarity below this is not worth a reason.
pub(super) const TEXT_REASON_MIN: f64 = 0.05;
/// How many shared words a text reason names.
pub(super) const REASON_WORDS: usize = 3;
/// How many shared services (and tags) the reasons name.
pub(super) const REASON_LABELS: usize = 3;

/// A kept pair, explained, with what clusters and recurrences need.
pub(super) struct Explained {
    pub(super) related: Related,
    /// The score without what a shared title added.
    pub(super) strength: f64,
    /// The text signal.
    pub(super) text: f64,
    /// The text signal without the nearest incidents' part.
    pub(super) direct: f64,
    /// The part of the text signal a near-identical title added.
    pub(super) title: f64,
}

impl Features<'_> {
    /// Every kept pair with its reasons.
    pub(super) fn explain(&self, kept: &[Vec<Scored>]) -> Vec<Vec<Explained>> {
        let words = self.shared_words(kept);
        let words_of = |i: usize, at: usize| -> &[&str] {
            let here = words.get(i).and_then(|w| w.get(at));
            if let Some(Some(found)) = here {
                return found;
            }
            // Found from the other side (see `shared_words`).
            let Some(b) = kept.get(i).and_then(|l| l.get(at)).map(|s| s.index.get()) else {
                return &[];
            };
            let theirs = kept.get(b).and_then(|l| l.iter().position(|s| s.index.get() == i));
            let found = theirs.and_then(|p| words.get(b).and_then(|w| w.get(p)));
            found.and_then(Option::as_deref).unwrap_or_default()
        };
        self.each_incident(
            || (),
            |(), i| {
                let list = kept.get(i).map_or(&[][..], Vec::as_slice);
                (list.iter().enumerate())
                    .map(|(at, s)| Explained {
                        related: Related {
                            index: s.index,
                            score: s.score,
                            reasons: self.reasons(i, s.index.get(), &s.signals, words_of(i, at)),
                        },
                        strength: self.strength(&s.signals),
                        text: s.signals.text,
                        direct: s.signals.direct,
                        title: s.signals.title,
                    })
                    .collect()
            },
        )
    }

    /// Per kept pair (as `kept` lists them), the words its two write-ups
    /// share that a reason may name, best first, when its text is worth a
    /// reason from either side. They are the same seen from either side,
    /// so a pair both lists hold is read once, by its first incident, and
    /// left `None` in the other's list.
    fn shared_words(&self, kept: &[Vec<Scored>]) -> Vec<Vec<Option<Vec<&str>>>> {
        let worth = |s: &Scored| self.text_is_a_reason(&s.signals);
        self.each_incident(
            || (Spread::new(self.text.df.len()), Vec::new()),
            |(spread, shared), i| {
                let list = kept.get(i).map_or(&[][..], Vec::as_slice);
                list.iter()
                    .map(|s| {
                        let b = s.index.get();
                        let theirs =
                            kept.get(b).and_then(|l| l.iter().find(|t| t.index.get() == i));
                        if b < i && theirs.is_some() {
                            return None;
                        }
                        if !(worth(s) || theirs.is_some_and(worth)) {
                            return Some(Vec::new());
                        }
                        // One spread of `i`'s terms serves all of its pairs
                        // (`set` does nothing when `i` is spread already).
                        spread.set(&self.text.vectors, i);
                        Some(self.text.top_shared_with(spread, b, 3 * REASON_WORDS, shared))
                    })
                    .collect()
            },
        )
    }

    /// Whether a pair's text similarity is worth a reason: it counts
    /// toward the score, and reaches [`TEXT_REASON_MIN`].
    fn text_is_a_reason(&self, s: &Signals) -> bool {
        self.weights.text * s.text > 0.0 && s.text >= TEXT_REASON_MIN
    }

    /// Why `b` is related to `a`, from `a`'s side, strongest first. `words`
    /// are the words the two write-ups share, best first (see
    /// [`Features::shared_words`]).
    pub(super) fn reasons(&self, a: usize, b: usize, s: &Signals, words: &[&str]) -> Vec<String> {
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
        if self.text_is_a_reason(s) {
            let share = w.text * s.text;
            if self.text.title_likeness(a, b) > 0.0 {
                out.push((share, 2, "near-identical title".into()));
            }
            let Evidence { failures, phrases, words } = evidence(words);
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

    /// The incident among both sides' nearest that is most like both.
    pub(super) fn bridge(&self, a: usize, b: usize) -> Option<usize> {
        let mut best: Option<(f32, u32)> = None;
        let (na, nb) = (self.neighbours.at(a), self.neighbours.at(b));
        text::merge_shared(na, nb, |c, x, y| {
            if best.is_none_or(|(v, _)| x * y > v) {
                best = Some((x * y, c));
            }
        });
        best.map(|(_, c)| self.at_rank(c).get())
    }
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

//! What the related stage knows of the archive, gathered once before any
//! pair is scored: the text index, the services and tags, dates, links,
//! and the slug order every tie is broken by.

use rayon::prelude::*;

use crate::config::RelatedConfig;
use crate::model::{Incident, IncidentIdx, LinkTable, indexed};

use super::labels::Labels;
use super::lists::Lists;
use super::text::TextIndex;
use super::{Sparse, postings};

/// A term used by more than this share of the archive finds no candidates...
pub(super) const FREQUENT_SHARE: f64 = 0.10;
/// ...unless it is used by at most this many incidents, so a small archive
/// still compares on its common words.
pub(super) const FREQUENT_MIN: usize = 20;

/// The signal weights, made finite, non-negative and summing to 1.
#[derive(Debug, Clone, Copy)]
pub(super) struct Weights {
    pub(super) links: f64,
    pub(super) services: f64,
    pub(super) tags: f64,
    pub(super) text: f64,
    pub(super) time: f64,
}

impl Weights {
    pub(super) fn new(config: &RelatedConfig) -> Weights {
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
pub(super) fn list_at<T>(lists: &[Vec<T>], i: usize) -> &[T] {
    lists.get(i).map_or(&[], Vec::as_slice)
}

/// Whether incident `a`'s sorted list in `lists` holds `b`.
pub(super) fn list_has(lists: &Lists<IncidentIdx>, a: usize, b: usize) -> bool {
    lists.at(a).binary_search(&IncidentIdx::new(b)).is_ok()
}

/// What the stage knows of the archive besides its words.
struct Metadata {
    days: Vec<Option<i64>>,
    outgoing: Lists<IncidentIdx>,
    linked: Lists<IncidentIdx>,
    rank: Vec<u32>,
    by_rank: Vec<IncidentIdx>,
    services: Labels,
    tags: Labels,
}

impl Metadata {
    fn gather(incidents: &[Incident], links: &LinkTable) -> Metadata {
        let n = incidents.len();
        let days: Vec<Option<i64>> = incidents
            .iter()
            .map(|i| {
                let date = i.date?;
                Some(date.duration_since(jiff::civil::Date::MIN).as_secs().div_euclid(86_400))
            })
            .collect();
        let mut outgoing: Vec<Vec<IncidentIdx>> = vec![Vec::new(); n];
        let mut linked: Vec<Vec<IncidentIdx>> = vec![Vec::new(); n];
        for ((from, targets), out) in indexed(&links.outgoing).zip(&mut outgoing) {
            for &to in targets.iter().filter(|&&to| to.get() < n && to != from) {
                out.push(to);
                if let Some(list) = from.of_mut(&mut linked) {
                    list.push(to);
                }
                if let Some(list) = to.of_mut(&mut linked) {
                    list.push(from);
                }
            }
        }
        for list in outgoing.iter_mut().chain(linked.iter_mut()) {
            list.sort_unstable();
            list.dedup();
        }
        let mut by_rank: Vec<IncidentIdx> = IncidentIdx::all(n).collect();
        let slug = |i: IncidentIdx| i.of(incidents).map(|x| x.slug.as_str());
        // In input order where slugs tie, as a stable sort would leave them.
        by_rank.par_sort_unstable_by(|&a, &b| slug(a).cmp(&slug(b)).then(a.cmp(&b)));
        let mut rank = vec![0u32; n];
        for (r, &i) in by_rank.iter().enumerate() {
            if let Some(slot) = i.of_mut(&mut rank) {
                *slot = r as u32;
            }
        }
        let services = Labels::build(incidents.iter().map(|i| i.services.as_slice()), &days, &rank);
        let tags = Labels::build(incidents.iter().map(|i| i.tags.as_slice()), &days, &rank);
        Metadata {
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
pub(super) type Stop<'a> = &'a (dyn Fn() -> bool + Sync);

pub(super) fn never_stop() -> bool {
    false
}

/// Everything the stage knows about the archive, ready for scoring.
pub(super) struct Features<'a> {
    pub(super) incidents: &'a [Incident],
    /// Asked between pieces of work; see [`relate_unless`].
    pub(super) stop: Stop<'a>,
    /// Per incident, its position in slug order: every tie is broken by it,
    /// so results do not depend on the order incidents arrive in.
    pub(super) rank: Vec<u32>,
    /// Per slug position, the incident.
    pub(super) by_rank: Vec<IncidentIdx>,
    pub(super) text: TextIndex,
    pub(super) services: Labels,
    pub(super) tags: Labels,
    /// Per incident, days since an arbitrary fixed day; `None` when undated.
    pub(super) days: Vec<Option<i64>>,
    /// Per incident, the incidents it links to (sorted).
    pub(super) outgoing: Lists<IncidentIdx>,
    /// Per incident, the incidents linked with it either way (sorted).
    pub(super) linked: Lists<IncidentIdx>,
    /// Per term id, `(incident, weight)`, strongest first; empty for terms
    /// too rare or too common to find candidates with.
    pub(super) postings: Vec<Sparse>,
    /// Per incident, its nearest incidents by word overlap as `(rank,
    /// cosine)`, sorted by rank; filled by [`Features::find_neighbours`].
    pub(super) neighbours: Lists<(u32, f32)>,
    /// Per incident, the L2 norm of its `neighbours` cosines.
    pub(super) neighbour_norms: Vec<f32>,
    pub(super) weights: Weights,
    pub(super) window_days: f64,
    /// Tags used by more than this many incidents find no candidates.
    pub(super) max_df: usize,
    /// The order per-incident passes visit incidents in (see
    /// [`super::locality`]).
    pub(super) order: Vec<u32>,
}

impl<'a> Features<'a> {
    #[cfg(test)]
    pub(super) fn build(
        incidents: &'a [Incident],
        links: &LinkTable,
        config: &RelatedConfig,
    ) -> Self {
        Self::build_unless(incidents, links, config, &never_stop).expect("never stopped")
    }

    /// The features, or `None` when `stop` said to give up.
    pub(super) fn build_unless(
        incidents: &'a [Incident],
        links: &LinkTable,
        config: &RelatedConfig,
        stop: Stop<'a>,
    ) -> Option<Self> {
        let n = incidents.len();
        // Tokenizing is most of this; the rest is mostly serial and fills
        // in the gaps.
        let (text, metadata) = rayon::join(
            || TextIndex::build(incidents, stop),
            || Metadata::gather(incidents, links),
        );
        let text = text?;
        let Metadata { days, outgoing, linked, rank, by_rank, services, tags } = metadata;
        let max_df = ((n as f64 * FREQUENT_SHARE).ceil() as usize).max(FREQUENT_MIN);
        let postings = postings::postings(&text, &rank, max_df);
        let order = super::locality::locality_order(&text.vectors, &postings, &rank);
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
            order,
        })
    }

    /// Days between two incidents and the rarest service they share, when
    /// they share one. `None` when either is undated: no closeness in time
    /// can be claimed for an incident without a date.
    pub(super) fn apart_on_service(&self, a: usize, b: usize) -> Option<(i64, u32)> {
        let (day_a, day_b) = (self.day(a)?, self.day(b)?);
        let service = *self.services.shared_by_rarity(a, b).first()?;
        Some(((day_a - day_b).abs(), service))
    }

    /// The incident at slug rank `rank`. Every rank the stage stores (in
    /// postings, label members, neighbour lists, the candidate scratch) was
    /// read from `rank`, which is a permutation of `0..n` as `by_rank` is
    /// its inverse: so the lookup cannot miss, and a miss is a bug in the
    /// stage, not something input can cause.
    #[allow(clippy::expect_used, reason = "ranks are 0..n by construction, see above")]
    pub(super) fn at_rank(&self, rank: u32) -> IncidentIdx {
        *self.by_rank.get(rank as usize).expect("a slug rank names one of the n incidents")
    }

    /// Days from the fixed day to incident `i`; `None` when it is undated.
    pub(super) fn day(&self, i: usize) -> Option<i64> {
        self.days.get(i).copied().flatten()
    }
}

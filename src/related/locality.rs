//! The order the stage's per-incident passes visit incidents in: alike
//! incidents one after another, so that the lists one reads (posting
//! lists, its candidates' vectors) are still in the processor's caches
//! when the next reads them. Input order scatters them: at 100,000
//! incidents the vectors alone are far larger than any cache, and the
//! candidate and scoring passes grew twice as fast as the archive.
//!
//! Inputs: the text vectors and the posting lists. Outputs: a permutation
//! of the incidents, and [`Features::each_incident`], which runs a pass in
//! it and hands back the results in incident order. Nothing here changes
//! a result: every incident's work reads only what the earlier steps
//! built, and ties are broken by slug, never by when work was done.

use rayon::prelude::*;

use super::Sparse;
use super::features::{Features, list_at};
use super::lists::Lists;

/// Incidents by their strongest term that finds candidates (its id), then
/// by slug rank; incidents with no such term last.
pub(super) fn locality_order(
    vectors: &Lists<(u32, f32)>,
    postings: &[Sparse],
    rank: &[u32],
) -> Vec<u32> {
    let mut keyed: Vec<(u32, u32, u32)> = (0..rank.len())
        .into_par_iter()
        .map(|i| {
            let strongest = vectors
                .at(i)
                .iter()
                .filter(|(t, _)| !list_at(postings, *t as usize).is_empty())
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
                .map_or(u32::MAX, |&(t, _)| t);
            (strongest, rank.get(i).copied().unwrap_or(u32::MAX), i as u32)
        })
        .collect();
    keyed.par_sort_unstable();
    keyed.into_iter().map(|(_, _, i)| i).collect()
}

impl Features<'_> {
    /// `work(state, i)` for every incident `i`, in parallel and in
    /// [`locality_order`], each thread with its own `state`; the results in
    /// incident order.
    pub(super) fn each_incident<S, T: Send>(
        &self,
        state: impl Fn() -> S + Sync + Send,
        work: impl Fn(&mut S, usize) -> T + Sync + Send,
    ) -> Vec<T> {
        let mut done: Vec<(u32, T)> =
            self.order.par_iter().map_init(state, |s, &i| (i, work(s, i as usize))).collect();
        done.par_sort_unstable_by_key(|(i, _)| *i);
        done.into_iter().map(|(_, t)| t).collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::config::RelatedConfig;
    use crate::model::Incident;
    use crate::related::features::Features;
    use crate::related::tests::{incident, no_links};

    #[test]
    fn alike_incidents_are_visited_together_and_results_come_back_in_incident_order() {
        // Four failures, interleaved in input order.
        let topics = [
            "Certificate expired. certificate renewal failed",
            "Disk full. volume filled by debug logs",
            "Clock skew. NTP drift broke token checks",
            "Pool exhausted. connection pool saturated",
        ];
        let incidents: Vec<Incident> = (0..40)
            .map(|i| {
                let text = format!("{} | host{i}", topics[i % 4]);
                incident(&format!("x{i:02}"), "2024-01-01", &[], &[], &text)
            })
            .collect();
        let features = Features::build(&incidents, &no_links(40), &RelatedConfig::default());
        let mut visited = features.order.clone();
        let switches = visited.windows(2).filter(|w| w[0] % 4 != w[1] % 4).count();
        assert_eq!(switches, 3, "each failure's incidents one after another: {visited:?}");
        visited.sort_unstable();
        assert_eq!(visited, (0..40).collect::<Vec<u32>>(), "every incident once");
        let back = features.each_incident(|| (), |(), i| i);
        assert_eq!(back, (0..40).collect::<Vec<usize>>());
    }
}

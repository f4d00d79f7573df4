//! Service and tag names of the archive: ids, how rare each is, and who
//! carries it, for the related stage's label signals and candidates.
//!
//! Inputs: each incident's names, days and slug ranks. Outputs: [`Labels`].
//! Imports: the stage's [`Lists`].

use std::collections::BTreeMap;

use foldhash::HashMap;

use super::lists::Lists;

/// Service or tag names of the archive, matched case-insensitively.
#[derive(Debug, Default)]
pub(super) struct Labels {
    /// Per incident, sorted unique label ids.
    pub(super) of: Lists<u32>,
    /// Per label id, the name as shown.
    names: Vec<String>,
    /// Per label id, how telling sharing it is, in [0, 1].
    rarity: Vec<f64>,
    /// Per label id, its place when labels are listed rarest first, then
    /// by name.
    place: Vec<u32>,
    /// Per label id, the [`time_key`]s of the incidents carrying it,
    /// sorted: finding an incident's neighbours in time is then a search
    /// of one array, not a lookup of day and rank at every step.
    pub(super) members: Vec<Vec<u64>>,
}

impl Labels {
    pub(super) fn build<'a>(
        per_incident: impl Iterator<Item = &'a [String]>,
        days: &[Option<i64>],
        rank: &[u32],
    ) -> Labels {
        // An archive writes the same few dozen names over and over, so each
        // distinct way of writing one is trimmed, lower-cased and looked up
        // once, not once per incident.
        let mut form_ids: HashMap<&str, u32> = HashMap::default();
        let mut forms: Vec<(&str, usize)> = Vec::new();
        let per_incident: Vec<Vec<u32>> = per_incident
            .map(|names| {
                let ids = names.iter().map(|name| {
                    let id = *form_ids.entry(name.as_str()).or_insert_with(|| {
                        forms.push((name.as_str(), 0));
                        forms.len() as u32 - 1
                    });
                    if let Some((_, times)) = forms.get_mut(id as usize) {
                        *times += 1;
                    }
                    id
                });
                ids.collect()
            })
            .collect();
        let keyed: Vec<(String, &str, usize)> = forms
            .iter()
            .map(|&(form, times)| (form.trim().to_lowercase(), form.trim(), times))
            .collect();
        // Ids follow the sorted keys; of the ways a name is written, the
        // most used is shown (ties: the first in sort order).
        let mut written: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
        for (key, shown, times) in keyed.iter().filter(|(key, _, _)| !key.is_empty()) {
            *written.entry(key.as_str()).or_default().entry(shown).or_default() += times;
        }
        let ids: BTreeMap<&str, u32> =
            written.keys().enumerate().map(|(i, k)| (*k, i as u32)).collect();
        // Per form, its label; `None` for a blank name.
        let label_of: Vec<Option<u32>> =
            keyed.iter().map(|(key, _, _)| ids.get(key.as_str()).copied()).collect();
        let mut labels = Labels {
            of: Lists::default(),
            names: written
                .iter()
                .map(|(key, forms)| {
                    let shown = forms.iter().rev().max_by_key(|(_, n)| **n);
                    shown.map_or(*key, |(form, _)| *form).to_string()
                })
                .collect(),
            rarity: Vec::new(),
            place: Vec::new(),
            members: vec![Vec::new(); written.len()],
        };
        for (i, forms) in per_incident.iter().enumerate() {
            let mut of: Vec<u32> =
                forms.iter().filter_map(|&f| label_of.get(f as usize).copied().flatten()).collect();
            of.sort_unstable();
            of.dedup();
            for &id in &of {
                if let Some(members) = labels.members.get_mut(id as usize) {
                    members.push(time_key(days, rank, i as u32));
                }
            }
            labels.of.push(of);
        }
        let n = per_incident.len();
        labels.rarity = labels.members.iter().map(|m| rarity(m.len(), n)).collect();
        let mut by_rarity: Vec<u32> = (0..labels.names.len() as u32).collect();
        by_rarity.sort_by(|&x, &y| {
            labels
                .rarity_of(y)
                .total_cmp(&labels.rarity_of(x))
                .then_with(|| labels.name(x).cmp(labels.name(y)))
        });
        labels.place = vec![0; by_rarity.len()];
        for (place, &id) in by_rarity.iter().enumerate() {
            if let Some(slot) = labels.place.get_mut(id as usize) {
                *slot = place as u32;
            }
        }
        for members in &mut labels.members {
            // Keys are unique (ranks are), so the order is total.
            members.sort_unstable();
        }
        labels
    }

    /// Overlap of two incidents' labels: rarity of the shared ones over
    /// `sqrt(|A| |B|)`, in [0, 1]. The definition; scoring uses
    /// [`Marks::similarity`], which the tests hold to it.
    #[cfg(test)]
    pub(super) fn similarity(&self, a: usize, b: usize) -> f64 {
        let (la, lb) = (self.of.at(a), self.of.at(b));
        if la.is_empty() || lb.is_empty() {
            return 0.0;
        }
        let shared: f64 = shared_ids(la, lb).map(|id| self.rarity_of(id)).sum();
        (shared / ((la.len() * lb.len()) as f64).sqrt()).clamp(0.0, 1.0)
    }

    /// True when `a` and `b` share a label (see [`Marks::share_any`]).
    #[cfg(test)]
    pub(super) fn share_any(&self, a: usize, b: usize) -> bool {
        let (la, lb) = (self.of.at(a), self.of.at(b));
        shared_ids(la, lb).next().is_some()
    }

    /// Shared labels, rarest first (ties by name).
    pub(super) fn shared_by_rarity(&self, a: usize, b: usize) -> Vec<u32> {
        let (la, lb) = (self.of.at(a), self.of.at(b));
        let mut shared: Vec<u32> = shared_ids(la, lb).collect();
        shared.sort_unstable_by_key(|&id| self.place.get(id as usize));
        shared
    }

    /// How telling label `id` is (0 for an unknown id).
    pub(super) fn rarity_of(&self, id: u32) -> f64 {
        self.rarity.get(id as usize).copied().unwrap_or(0.0)
    }

    /// The name of label `id` as shown ("" for an unknown id).
    pub(super) fn name(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }
}

/// One incident's labels marked over every label id, so that what it
/// shares with another is one lookup per label of the other rather than a
/// merge of both lists.
#[derive(Debug)]
pub(super) struct Marks {
    marked: Vec<bool>,
    /// How many labels the marked incident has.
    count: usize,
    of: Option<usize>,
}

impl Marks {
    pub(super) fn new(labels: &Labels) -> Marks {
        Marks { marked: vec![false; labels.names.len()], count: 0, of: None }
    }

    /// Marks incident `a`'s labels, clearing the ones marked before.
    pub(super) fn set(&mut self, labels: &Labels, a: usize) {
        let of = |i: Option<usize>| i.map_or(&[][..], |i| labels.of.at(i));
        for (ids, on) in [(of(self.of), false), (of(Some(a)), true)] {
            for &id in ids {
                if let Some(slot) = self.marked.get_mut(id as usize) {
                    *slot = on;
                }
            }
        }
        self.count = of(Some(a)).len();
        self.of = Some(a);
    }

    fn has(&self, id: u32) -> bool {
        self.marked.get(id as usize).copied().unwrap_or(false)
    }

    /// [`Labels::similarity`] of the marked incident and `b`. The shared
    /// labels are summed in id order, as the merge does, so the result is
    /// the same to the last bit.
    pub(super) fn similarity(&self, labels: &Labels, b: usize) -> f64 {
        let lb = labels.of.at(b);
        if self.count == 0 || lb.is_empty() {
            return 0.0;
        }
        let shared: f64 =
            lb.iter().filter(|&&id| self.has(id)).map(|&id| labels.rarity_of(id)).sum();
        (shared / ((self.count * lb.len()) as f64).sqrt()).clamp(0.0, 1.0)
    }

    /// [`Labels::share_any`] of the marked incident and `b`.
    pub(super) fn share_any(&self, labels: &Labels, b: usize) -> bool {
        labels.of.at(b).iter().any(|&id| self.has(id))
    }
}

/// Incident `i`'s position in slug order (last when unknown).
pub(super) fn rank_of(rank: &[u32], i: u32) -> u32 {
    rank.get(i as usize).copied().unwrap_or(u32::MAX)
}

/// Incident `i`'s place in time as one integer, ordering incidents by day
/// (undated first), then by slug: the day in the high 32 bits, the slug rank
/// in the low ones, where [`rank_in_time_key`] finds it. Days count from the
/// earliest date there is, so every day fits.
pub(super) fn time_key(days: &[Option<i64>], rank: &[u32], i: u32) -> u64 {
    let last_day = u64::from(u32::MAX) - 1;
    let day = days.get(i as usize).copied().flatten();
    let day = day.map_or(0, |d| u64::try_from(d).unwrap_or(0).min(last_day) + 1);
    (day << 32) | u64::from(rank_of(rank, i))
}

/// The slug rank in a [`time_key`].
pub(super) fn rank_in_time_key(key: u64) -> u32 {
    key as u32
}

/// How telling it is to share a name that `df` of `n` incidents carry:
/// 1 for a name nobody else has, 0 for one everybody has.
pub(super) fn rarity(df: usize, n: usize) -> f64 {
    if n < 2 || df < 2 {
        return 1.0;
    }
    (1.0 - (df as f64).ln() / (n as f64).ln()).clamp(0.0, 1.0)
}

/// Ids present in both sorted lists, in order.
fn shared_ids<'a>(mut a: &'a [u32], mut b: &'a [u32]) -> impl Iterator<Item = u32> + 'a {
    std::iter::from_fn(move || {
        while let (Some((&x, rest_a)), Some((&y, rest_b))) = (a.split_first(), b.split_first()) {
            match x.cmp(&y) {
                std::cmp::Ordering::Less => a = rest_a,
                std::cmp::Ordering::Greater => b = rest_b,
                std::cmp::Ordering::Equal => {
                    (a, b) = (rest_a, rest_b);
                    return Some(x);
                }
            }
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(lists: &[&[&str]]) -> Vec<Vec<String>> {
        lists.iter().map(|l| l.iter().map(|s| s.to_string()).collect()).collect()
    }

    #[test]
    fn names_match_whatever_their_case_and_the_most_written_form_is_shown() {
        let lists = names(&[
            &["Postgres", " postgres "],
            &["POSTGRES", "redis", "Redis"],
            &["Postgres", "", "  "],
            &["redis", "Redis "],
            &[],
        ]);
        let days = [Some(30), Some(10), None, Some(10), Some(5)];
        let rank = [4, 3, 2, 1, 0];
        let labels = Labels::build(lists.iter().map(Vec::as_slice), &days, &rank);
        assert_eq!(
            labels.names,
            ["Postgres", "Redis"],
            "sorted by key; \"Redis\" is written twice"
        );
        let of: Vec<&[u32]> = (0..5).map(|i| labels.of.at(i)).collect();
        assert_eq!(of, [&[0][..], &[0, 1], &[0], &[1], &[]], "blank names are no label");
        // Undated first, then by day, then by slug rank.
        let members: Vec<Vec<u32>> = (labels.members.iter())
            .map(|m| m.iter().map(|&key| 4 - rank_in_time_key(key)).collect())
            .collect();
        assert_eq!(members, [vec![2, 1, 0], vec![3, 1]]);
        assert_eq!(labels.rarity_of(0), rarity(3, 5));
        assert_eq!(labels.rarity_of(7), 0.0);

        let tie = names(&[&["redis"], &["Redis"]]);
        let labels = Labels::build(tie.iter().map(Vec::as_slice), &days, &rank);
        assert_eq!(labels.names, ["Redis"], "a tie goes to the first in sort order");
    }

    #[test]
    fn time_keys_order_undated_first_then_by_day_then_by_rank() {
        let far = i64::from(u32::MAX) * 2;
        let days = [Some(3), None, Some(0), Some(3), Some(far), Some(far - 1)];
        let rank = [1, 4, 3, 0, 2, 5];
        let mut order: Vec<u32> = (0..6).collect();
        order.sort_by_key(|&i| time_key(&days, &rank, i));
        assert_eq!(order, [1, 2, 3, 0, 4, 5], "days past the last one share it, then go by rank");
        for (i, &r) in rank.iter().enumerate() {
            assert_eq!(rank_in_time_key(time_key(&days, &rank, i as u32)), r);
        }
    }

    #[test]
    fn shared_labels_are_listed_rarest_first_then_by_name() {
        let lists = names(&[&["a", "B", "common"], &["a", "B", "common"], &["common"]]);
        let labels = Labels::build(lists.iter().map(Vec::as_slice), &[None; 3], &[0, 1, 2]);
        assert_eq!(labels.names, ["a", "B", "common"]);
        // "B" sorts before "a" as shown, though after it as a key.
        assert_eq!(labels.shared_by_rarity(0, 1), [1, 0, 2]);
        assert_eq!(labels.shared_by_rarity(0, 2), [2]);
    }
}

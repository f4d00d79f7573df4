//! The related lists by their definition, for the tests to hold the stage
//! to: every pair scored the plain way (signals from merging two sorted
//! lists, the nearest incidents by comparing every pair), each incident's
//! best K by score, ties by slug. No inverted index, no candidate limit,
//! no dense scratch, no prefetching. Quadratic, so for fixtures only.

use std::path::Path;

use super::candidates::TEXT_NEIGHBOURS;
use super::features::Features;
use super::relate;
use super::score::top_k;
use crate::config::{Config, RelatedConfig};
use crate::model::{Incident, LinkTable};

/// Per incident, its related incidents as `(index, score)`, best first.
fn reference(
    incidents: &[Incident],
    links: &LinkTable,
    config: &RelatedConfig,
) -> Vec<Vec<(usize, f64)>> {
    let n = incidents.len();
    let mut features = Features::build(incidents, links, config);
    // Each incident's nearest by word overlap: every other incident's
    // cosine, the best few kept (ties by slug), listed by slug rank.
    let mut neighbours: Vec<Vec<(u32, f32)>> = Vec::with_capacity(n);
    for a in 0..n {
        let mut near: Vec<(u32, f32)> = (0..n)
            .filter(|&b| b != a)
            .map(|b| (features.rank[b], features.text.cosine(a, b) as f32))
            .filter(|&(_, c)| c > 0.0)
            .collect();
        top_k(&mut near, TEXT_NEIGHBOURS, |x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
        near.sort_by_key(|e| e.0);
        neighbours.push(near);
    }
    features.neighbour_norms =
        neighbours.iter().map(|v| v.iter().map(|(_, c)| c * c).sum::<f32>().sqrt()).collect();
    features.neighbours = neighbours.into_iter().collect();
    (0..n)
        .map(|a| {
            let mut scored: Vec<(usize, f64)> = (0..n)
                .filter(|&b| b != a)
                .map(|b| (b, features.score(&features.signals(a, b))))
                .filter(|&(_, s)| s > 0.0 && s >= config.min_score)
                .collect();
            let rank = |i: usize| features.rank[i];
            top_k(&mut scored, config.k, |x, y| {
                y.1.total_cmp(&x.1).then(rank(x.0).cmp(&rank(y.0)))
            });
            scored
        })
        .collect()
}

/// The stage and the reference on one fixture archive: how many incidents'
/// lists agree exactly (same incidents, same order, same scores).
fn agreement(fixture: &str) -> (usize, usize, Vec<String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(fixture);
    let path = root.join("hindsight.toml");
    let config = match std::fs::read_to_string(&path) {
        Ok(text) => Config::parse(&text, &path).expect("fixture config is valid"),
        Err(_) => Config::default(),
    };
    let loaded = crate::load::load_archive(&root, &config).expect("fixture loads");
    let validated = crate::validate::validate(loaded.documents, &config, false);
    let (links, _) = crate::links::link(&validated.incidents, &validated.drafts, &config);
    let incidents = &validated.incidents;
    let fast = relate(incidents, &links, &config.related);
    let plain = reference(incidents, &links, &config.related);
    let mut differ = Vec::new();
    for (i, (fast, plain)) in fast.related.iter().zip(&plain).enumerate() {
        let same = fast.len() == plain.len()
            && fast
                .iter()
                .zip(plain)
                .all(|(f, &(j, s))| f.index.get() == j && (f.score - s).abs() < 1e-9);
        if !same {
            let show = |l: Vec<(usize, f64)>| -> Vec<String> {
                l.into_iter().map(|(j, s)| format!("{} {s:.4}", incidents[j].slug)).collect()
            };
            differ.push(format!(
                "{}: stage {:?}, reference {:?}",
                incidents[i].slug,
                show(fast.iter().map(|r| (r.index.get(), r.score)).collect()),
                show(plain.clone()),
            ));
        }
    }
    (incidents.len() - differ.len(), incidents.len(), differ)
}

#[test]
fn the_stage_lists_what_scoring_every_pair_lists_on_the_quality_fixtures() {
    for fixture in ["related", "recurrences"] {
        let (agree, all, differ) = agreement(fixture);
        assert!(all >= 20, "{fixture}: only {all} incidents");
        assert!(differ.is_empty(), "{fixture}: {agree} of {all} agree; {differ:#?}");
    }
}

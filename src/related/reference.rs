//! The related lists by their definition, for the tests to hold the stage
//! to: every pair scored the plain way (signals from merging two sorted
//! lists, the nearest incidents by comparing every pair), each incident's
//! best K by score, ties by slug. No inverted index, no candidate limit,
//! no dense scratch, no prefetching. Quadratic, so for fixtures and a
//! made-up archive of 600 incidents only.

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

/// Pseudo-words the tokenizer keeps as they are: letters only, no stop
/// word, one per `n` (`tag` keeps the pools apart).
fn made_up_word(tag: &str, n: usize) -> String {
    const SYLLABLES: [&str; 12] =
        ["ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zi", "pu", "do", "fe"];
    let syllable = |k: usize| SYLLABLES.get(k % SYLLABLES.len()).copied().unwrap_or("ka");
    format!("{tag}{}{}{}", syllable(n), syllable(n / 12), syllable(n / 144))
}

/// An archive too large to compare every pair, made the way a real one
/// is: many write-ups per failure mechanism on many services, and, among
/// them, families of write-ups of one recurring failure that share a few
/// rare words besides their mechanism's. Returns the incidents and each
/// one's family, if it has one.
fn mixed_archive(distractors: usize, families: usize) -> (Vec<Incident>, Vec<Option<usize>>) {
    const MECHANISMS: usize = 10;
    const MEMBERS: usize = 4;
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |below: usize| {
        state =
            state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % below.max(1)
    };
    let filler: Vec<String> = (0..60).map(|n| made_up_word("f", n)).collect();
    let mechanism: Vec<Vec<String>> =
        (0..MECHANISMS).map(|m| (0..8).map(|n| made_up_word("m", m * 8 + n)).collect()).collect();
    let mut incidents = Vec::new();
    let mut family_of = Vec::new();
    let total = distractors + families * MEMBERS;
    for i in 0..total {
        let family = (i >= distractors).then(|| (i - distractors) / MEMBERS);
        let m = family.map_or_else(|| next(MECHANISMS), |f| f % MECHANISMS);
        let own: Vec<String> = family
            .map_or_else(Vec::new, |f| (0..3).map(|n| made_up_word("r", f * 3 + n)).collect());
        let sentence = |words: usize, next: &mut dyn FnMut(usize) -> usize| -> String {
            (0..words)
                .map(|_| match next(10) {
                    0..=4 => filler[next(filler.len())].as_str(),
                    5..=7 => mechanism[m][next(8)].as_str(),
                    _ if !own.is_empty() => own[next(own.len())].as_str(),
                    _ => filler[next(filler.len())].as_str(),
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        let summary = format!("{}. {}", sentence(10, &mut next), sentence(10, &mut next));
        let cause = format!("{}. {}", sentence(12, &mut next), sentence(12, &mut next));
        let text = format!("Incident report {i}. {summary} | {cause}");
        let service = format!("svc{}", next(30));
        let date = format!("20{:02}-{:02}-{:02}", 18 + next(8), 1 + next(12), 1 + next(28));
        incidents.push(super::tests::incident(&format!("i{i:04}"), &date, &[&service], &[], &text));
        family_of.push(family);
    }
    (incidents, family_of)
}

/// Of each family member's relatives, the share its related list holds.
fn family_recall(lists: &[Vec<usize>], family_of: &[Option<usize>]) -> f64 {
    let (mut found, mut wanted) = (0usize, 0usize);
    for (i, list) in lists.iter().enumerate() {
        let Some(family) = family_of[i] else { continue };
        let relatives = family_of.iter().enumerate().filter(|&(j, f)| j != i && *f == Some(family));
        wanted += relatives.clone().count();
        found += relatives.filter(|(j, _)| list.contains(j)).count();
    }
    found as f64 / wanted.max(1) as f64
}

#[test]
fn the_candidate_search_finds_the_families_that_scoring_every_pair_finds() {
    // Above the size that compares every pair, so the stage searches for
    // candidates; each mechanism's words are shared by dozens of incidents,
    // more than a posting list keeps.
    let (incidents, family_of) = mixed_archive(520, 20);
    assert!(incidents.len() > super::candidates::COMPARE_ALL_BELOW);
    let config = RelatedConfig::default();
    let links = super::tests::no_links(incidents.len());
    let stage = relate(&incidents, &links, &config);
    let stage: Vec<Vec<usize>> =
        stage.related.iter().map(|l| l.iter().map(|r| r.index.get()).collect()).collect();
    let plain: Vec<Vec<usize>> = reference(&incidents, &links, &config)
        .into_iter()
        .map(|l| l.into_iter().map(|(j, _)| j).collect())
        .collect();
    let (stage, plain) = (family_recall(&stage, &family_of), family_recall(&plain, &family_of));
    eprintln!("family recall: stage {stage:.3}, every pair {plain:.3}");
    assert!(plain >= 0.9, "the made-up families are found by scoring every pair: {plain:.3}");
    assert!(
        stage >= plain - 0.01,
        "the search found {stage:.3} of relatives, every pair {plain:.3}"
    );
}

//! Quality of the related stage, measured on a labelled archive.
//!
//! `tests/fixtures/related/` holds families of incidents that share one
//! failure mechanism, written in different words on different services (two
//! families partly in Chinese), and distractors that share services and
//! tags with them but not the mechanism. For every family member we look at
//! its related list: precision@5 and @3 count the members of its own family,
//! MRR the rank of the first one. The same figures for a baseline that ranks
//! by shared services alone show what the text signal adds.

// Tests may unwrap: a failure is the point.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hindsight::config::Config;
use hindsight::model::Incident;
use hindsight::related::{RelatedGraph, relate};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/related")
}

/// Slug → family name; distractors are left out.
fn families(root: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(root.join("families.toml")).expect("families.toml");
    let table: toml::Table = toml::from_str(&text).expect("families.toml parses");
    let families = table["families"].as_table().expect("[families]");
    let mut out = BTreeMap::new();
    for (family, slugs) in families {
        if family == "distractors" {
            continue;
        }
        for slug in slugs.as_array().expect("a list of slugs") {
            out.insert(slug.as_str().expect("a slug").to_string(), family.clone());
        }
    }
    out
}

fn build(root: &Path) -> (Vec<Incident>, RelatedGraph) {
    let path = root.join("hindsight.toml");
    let config = match std::fs::read_to_string(&path) {
        Ok(text) => Config::parse(&text, &path).expect("fixture config is valid"),
        Err(_) => Config::default(),
    };
    let loaded = hindsight::load::load_archive(root, &config).expect("fixture loads");
    let validated = hindsight::validate::validate(loaded.documents, &config, false);
    let (table, _) = hindsight::links::link(&validated.incidents, &validated.drafts, &config);
    let graph = relate(&validated.incidents, &table, &config.related);
    (validated.incidents, graph)
}

#[derive(Debug, Default, Clone, Copy)]
struct Figures {
    p3: f64,
    p5: f64,
    mrr: f64,
}

/// Averages precision@3, precision@5 and MRR over every family member,
/// given each incident's ranking (slugs, best first).
fn measure(
    incidents: &[Incident],
    family_of: &BTreeMap<String, String>,
    ranking: impl Fn(usize) -> Vec<String>,
) -> Figures {
    let mut sum = Figures::default();
    let mut count = 0.0;
    for (i, incident) in incidents.iter().enumerate() {
        let Some(family) = family_of.get(&incident.slug) else { continue };
        let relevant: Vec<bool> =
            ranking(i).iter().map(|s| family_of.get(s) == Some(family)).collect();
        let hits = |n: usize| relevant.iter().take(n).filter(|r| **r).count() as f64;
        sum.p3 += hits(3) / 3.0;
        sum.p5 += hits(5) / 5.0;
        sum.mrr += relevant.iter().position(|r| *r).map_or(0.0, |p| 1.0 / (p + 1) as f64);
        count += 1.0;
    }
    Figures { p3: sum.p3 / count, p5: sum.p5 / count, mrr: sum.mrr / count }
}

/// The baseline: others ranked by how many services they share, then slug.
fn by_shared_services(incidents: &[Incident], i: usize) -> Vec<String> {
    let services = |x: &Incident| -> Vec<String> {
        x.services.iter().map(|s| s.trim().to_lowercase()).collect()
    };
    let mine = services(&incidents[i]);
    let mut others: Vec<(usize, &str)> = incidents
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != i)
        .map(|(_, x)| (services(x).iter().filter(|s| mine.contains(s)).count(), x.slug.as_str()))
        .filter(|(shared, _)| *shared > 0)
        .collect();
    others.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    others.into_iter().map(|(_, slug)| slug.to_string()).collect()
}

#[test]
fn related_lists_find_the_same_failure_mode() {
    let root = fixture();
    let family_of = families(&root);
    let (incidents, graph) = build(&root);
    assert!(
        family_of.keys().all(|slug| incidents.iter().any(|i| &i.slug == slug)),
        "every labelled incident is in the build"
    );

    let ours = measure(&incidents, &family_of, |i| {
        graph.related[i].iter().map(|r| incidents[r.index].slug.clone()).collect()
    });
    let baseline = measure(&incidents, &family_of, |i| by_shared_services(&incidents, i));

    eprintln!("related quality over {} family members:", family_of.len());
    eprintln!("  {:<22} {:>6} {:>6} {:>6}", "", "P@3", "P@5", "MRR");
    for (name, f) in [("related stage", ours), ("shared services only", baseline)] {
        eprintln!("  {name:<22} {:>6.3} {:>6.3} {:>6.3}", f.p3, f.p5, f.mrr);
    }
    for (i, incident) in incidents.iter().enumerate() {
        let Some(family) = family_of.get(&incident.slug) else { continue };
        let misses: Vec<String> = graph.related[i]
            .iter()
            .filter(|r| family_of.get(&incidents[r.index].slug) != Some(family))
            .map(|r| {
                format!("{} ({:.2}: {})", incidents[r.index].slug, r.score, r.reasons.join("; "))
            })
            .collect();
        if !misses.is_empty() || graph.related[i].len() < 5 {
            eprintln!(
                "  {} [{family}] {} listed, off-family: {misses:?}",
                incident.slug,
                graph.related[i].len()
            );
        }
    }

    // Clusters: each is mostly one family, and most families are found.
    for cluster in &graph.clusters {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for &m in &cluster.members {
            let family = family_of.get(&incidents[m].slug).map_or("-", String::as_str);
            *counts.entry(family).or_default() += 1;
        }
        let (family, most) =
            counts.iter().max_by_key(|(_, n)| **n).map_or(("-", 0), |(f, n)| (*f, *n));
        eprintln!(
            "  cluster {:?} ({} members, {most} from {family}): {:?}",
            cluster.name,
            cluster.members.len(),
            cluster.top_terms
        );
        assert!(
            family != "-" && most * 5 >= cluster.members.len() * 4,
            "impure cluster {cluster:?}"
        );
    }
    assert!(graph.clusters.len() >= 3, "only {} clusters", graph.clusters.len());

    assert!(ours.p5 >= 0.85, "precision@5 {:.3} is below 0.85", ours.p5);
    assert!(ours.mrr >= 0.9, "MRR {:.3} is below 0.9", ours.mrr);
    assert!(ours.p5 > baseline.p5, "text must beat shared services alone");
}

#[test]
fn fixture_scores_are_bounded_symmetric_and_explained() {
    let (incidents, graph) = build(&fixture());
    assert_eq!(graph.related.len(), incidents.len());
    for (i, list) in graph.related.iter().enumerate() {
        for r in list {
            assert!((0.0..=1.0).contains(&r.score), "{} out of range", r.score);
            assert_ne!(r.index, i, "an incident is not related to itself");
            assert!(!r.reasons.is_empty(), "{} → {} has no reason", i, r.index);
            if let Some(back) = graph.related[r.index].iter().find(|x| x.index == i) {
                assert_eq!(back.score, r.score, "score is symmetric");
            }
        }
    }
    for cluster in &graph.clusters {
        assert!(cluster.members.len() >= 2 && !cluster.name.is_empty());
    }
}

/// Not a check but a measurement: times the related stage on archives made
/// by `shared/bench/gen_corpus.py`. Run with
/// `HINDSIGHT_SCALE_ROOTS=/tmp/a,/tmp/b cargo test --release --test
/// related_quality -- --ignored --nocapture`.
#[test]
#[ignore = "measurement; needs generated archives"]
fn scale() {
    let Ok(roots) = std::env::var("HINDSIGHT_SCALE_ROOTS") else { return };
    for root in roots.split(',') {
        let root = Path::new(root);
        let config = Config::default();
        let loaded = hindsight::load::load_archive(root, &config).expect("archive loads");
        let validated = hindsight::validate::validate(loaded.documents, &config, false);
        let (table, _) = hindsight::links::link(&validated.incidents, &validated.drafts, &config);
        let start = std::time::Instant::now();
        let graph = relate(&validated.incidents, &table, &config.related);
        let took = start.elapsed();
        let listed: usize = graph.related.iter().map(Vec::len).sum();
        eprintln!(
            "{} incidents: relate {:.2?}, {:.1} related each, {} clusters (largest {})",
            validated.incidents.len(),
            took,
            listed as f64 / validated.incidents.len().max(1) as f64,
            graph.clusters.len(),
            graph.clusters.first().map_or(0, |c| c.members.len()),
        );
    }
}

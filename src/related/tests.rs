use std::collections::BTreeMap;
use std::path::Path;

use super::features::Features;
use super::focus::Focus;
use super::reasons::REASON_WORDS;
use super::score::Signals;
use super::text::{Spread, TextIndex};
use super::*;
use crate::config::Config;
use crate::load::{parse_document, source_from_bytes};
use crate::model::IncidentIdx;
use crate::validate::incident_from;

/// One incident, through the real load and validate code.
pub(super) fn incident(
    slug: &str,
    date: &str,
    services: &[&str],
    tags: &[&str],
    text: &str,
) -> Incident {
    let (title, rest) = text.split_once(". ").unwrap_or((text, ""));
    let (summary, root_cause) = rest.split_once(" | ").unwrap_or((rest, ""));
    let file = format!(
        "---\ntitle: \"{title}\"\ndate: {date}\nseverity: P2\nservices: [{}]\ntags: [{}]\n---\n\
         ## Summary\n\n{summary}\n\n## Root Cause\n\n{root_cause}\n",
        services.join(", "),
        tags.join(", "),
    );
    let rel = Path::new("content").join(format!("{slug}.md"));
    let source = source_from_bytes(&rel, file.into_bytes()).expect("text");
    let doc = parse_document(source).0.expect("parses");
    incident_from(doc, &Config::default()).0.expect("valid")
}

/// Per-incident lists of plain indices, typed.
fn idx(lists: Vec<Vec<usize>>) -> Vec<Vec<IncidentIdx>> {
    lists.into_iter().map(|l| l.into_iter().map(IncidentIdx::new).collect()).collect()
}

pub(super) fn no_links(n: usize) -> LinkTable {
    LinkTable { outgoing: vec![Vec::new(); n], ..LinkTable::default() }
}

fn slugs(incidents: &[Incident], list: &[Related]) -> Vec<String> {
    list.iter().map(|r| incidents[r.index.get()].slug.to_string()).collect()
}

fn index(incidents: &[Incident], slug: &str) -> usize {
    incidents.iter().position(|i| i.slug == slug).expect("slug exists")
}

const POOL: [&str; 3] = [
    "Checkout slow. Requests waited on the connection pool | The pool was exhausted by a batch job holding connections; max_connections reached",
    "Orders timing out. Database refused connections: too many clients | Each replica opened its own pool and the fleet passed max_connections",
    "Ledger stalled. Every connection in the pool was checked out | Pool exhaustion: batch workers kept connections and starved the API",
];
const DNS: [&str; 3] = [
    "Upstream errors. Name resolution failed for upstream hosts | CoreDNS pods were overloaded and lookups timed out; resolver retries",
    "推荐服务超时. 容器内 DNS 解析失败，查询丢包 | CoreDNS 解析超时，resolver 等待重试",
    "购物车报错. DNS 解析失败，nameserver 已下线 | resolv.conf 指向已下线的 DNS 服务器，域名解析失败",
];
const CERT: [&str; 3] = [
    "Partner handshake failures. TLS handshake failed: certificate has expired | The certificate renewal reminder was missed and the certificate expired",
    "Mobile app cannot connect. The load balancer certificate had expired | cert-manager failed to renew the certificate before expiry",
    "Staff cannot sign in. SAML signing certificate expired | The certificate was missing from the inventory so renewal never happened",
];

/// Three families of three, on unrelated services, over a year.
fn archive() -> Vec<Incident> {
    let mut out = Vec::new();
    for (f, family) in [("pool", POOL), ("dns", DNS), ("cert", CERT)].into_iter().enumerate() {
        for (m, text) in family.1.iter().enumerate() {
            let date = format!("2024-{:02}-{:02}", 1 + 4 * m + f, 3 + 7 * f);
            let service = format!("svc-{f}{m}");
            out.push(incident(&format!("{}-{m}", family.0), &date, &[&service], &[], text));
        }
    }
    out
}

#[test]
fn families_find_each_other_in_any_language() {
    let incidents = archive();
    let graph = relate(&incidents, &no_links(incidents.len()), &RelatedConfig::default());
    for (i, list) in graph.related.iter().enumerate() {
        let family = incidents[i].slug.split('-').next().unwrap_or_default();
        let found = slugs(&incidents, list);
        assert!(found.len() >= 2, "{} found {found:?}", incidents[i].slug);
        for slug in found.iter().take(2) {
            assert!(slug.starts_with(family), "{} lists {slug}", incidents[i].slug);
        }
    }
    let pool = index(&incidents, "pool-0");
    let reason = &graph.related[pool][0].reasons;
    assert!(
        reason.iter().any(|r| r == "similar failure: connection pool exhaustion"),
        "{reason:?}"
    );
    assert!(
        reason.iter().any(|r| r.starts_with("shared phrases: ") && r.contains("connection pool")),
        "{reason:?}"
    );
}

/// The write-up's own list of related incidents describes other
/// write-ups: two failures that each list an earlier certificate incident
/// there are not alike for it, and no reason names a certificate.
#[test]
fn words_under_the_list_of_related_incidents_are_not_compared() {
    let write_up = |slug: &str, title: &str, what: &str| {
        let file = format!(
            "---\ntitle: \"{title}\"\ndate: 2024-01-01\nseverity: P2\n---\n\
             ## Summary\n\n{what}\n\n## Related incidents\n\n\
             - Earlier cert incident: the TLS certificate expired and every handshake failed\n\n\
             ## See also\n\n- The certificate renewal runbook\n"
        );
        let rel = Path::new("content").join(format!("{slug}.md"));
        let source = source_from_bytes(&rel, file.into_bytes()).expect("text");
        let doc = parse_document(source).0.expect("parses");
        incident_from(doc, &Config::default()).0.expect("valid")
    };
    let config = "A configuration push set the gateway routes to an empty map";
    let pool = "The orders database ran out of pooled connections under load";
    let incidents = vec![
        write_up("config-1", "Routes emptied by a configuration push", config),
        write_up("config-2", "Configuration push emptied the routes", config),
        write_up("pool-1", "Orders database pool exhausted", pool),
        write_up("pool-2", "Pool exhaustion on the orders database", pool),
    ];
    let graph = relate(&incidents, &no_links(incidents.len()), &RelatedConfig::default());
    for (i, list) in graph.related.iter().enumerate() {
        let family = incidents[i].slug.split('-').next().unwrap_or_default();
        let found = slugs(&incidents, list);
        assert!(
            found.iter().all(|s| s.starts_with(family)),
            "{} lists {found:?}",
            incidents[i].slug
        );
        for reason in list.iter().flat_map(|r| &r.reasons) {
            assert!(!reason.contains("certificate") && !reason.contains("cert"), "{reason}");
        }
    }
    assert_eq!(slugs(&incidents, &graph.related[0]), ["config-2"]);
}

/// A template's title on every write-up ("Incident report") is the
/// archive's own words: it makes no two write-ups alike.
#[test]
fn a_title_the_whole_archive_shares_relates_nothing() {
    let incidents: Vec<Incident> = archive()
        .iter()
        .zip([POOL, DNS, CERT].iter().flatten())
        .map(|(i, text)| {
            let rest = text.split_once(". ").map_or(*text, |(_, rest)| rest);
            let text = format!("Incident report. {rest}");
            incident(
                i.slug.as_str(),
                &i.date.map(|d| d.to_string()).unwrap_or_default(),
                &[],
                &[],
                &text,
            )
        })
        .collect();
    let graph = relate(&incidents, &no_links(incidents.len()), &RelatedConfig::default());
    for (i, list) in graph.related.iter().enumerate() {
        let family = incidents[i].slug.split('-').next().unwrap_or_default();
        for (slug, related) in slugs(&incidents, list).iter().zip(list) {
            assert!(
                slug.starts_with(family),
                "{} lists {slug}: {:?}",
                incidents[i].slug,
                related.reasons
            );
            assert!(!related.reasons.iter().any(|r| r.contains("title")), "{:?}", related.reasons);
        }
    }
}

#[test]
fn a_faint_match_in_common_does_not_make_unrelated_incidents_alike() {
    // A young archive: four unrelated failures, each sharing one word with
    // the same fifth write-up and nothing with each other. Each one's
    // nearest incident is that write-up, faintly; this must not read as
    // the four describing one failure.
    let hub = "Backup filled the disk. A nightly backup wrote to the data volume \
               | The backup job had no quota: rollout, schema, clock, lease";
    let others = [
        "Rollout stalled. The rollout paused on a failed health check | A probe path was renamed",
        "Consumers stopped. A producer added a field | Schema compatibility was checked one way",
        "Cron ran twice. Jobs ran twice after the clock change | The scheduler used local time",
        "Webhooks queued. The dispatcher lost its lease | Lease renewal trusted a timer that drifted",
    ];
    let mut incidents = vec![incident("hub", "2024-03-01", &[], &[], hub)];
    for (n, text) in others.iter().enumerate() {
        incidents.push(incident(
            &format!("other-{n}"),
            &format!("2024-03-0{}", n + 2),
            &[],
            &[],
            text,
        ));
    }
    let graph = relate(&incidents, &no_links(incidents.len()), &RelatedConfig::default());
    for (i, list) in graph.related.iter().enumerate().skip(1) {
        let listed = slugs(&incidents, list);
        assert!(listed.iter().all(|s| s == "hub"), "{} lists {listed:?}", incidents[i].slug);
    }
    assert_eq!(graph.recurrence_of, vec![None; incidents.len()]);
}

/// A pair's shared words are read once and serve both sides: each side
/// names the words the definition gives, from its own side too.
#[test]
fn both_sides_of_a_pair_name_the_words_they_share() {
    let incidents = archive();
    let graph = relate(&incidents, &no_links(incidents.len()), &RelatedConfig::default());
    let features =
        Features::build(&incidents, &no_links(incidents.len()), &RelatedConfig::default());
    let text_reasons = |reasons: &[String]| -> Vec<String> {
        let kinds = ["similar failure: ", "shared phrases: ", "shared terms: "];
        reasons.iter().filter(|r| kinds.iter().any(|k| r.starts_with(k))).cloned().collect()
    };
    let mut mutual = 0;
    for (a, list) in graph.related.iter().enumerate() {
        for entry in list {
            let b = entry.index.get();
            let Some(back) = graph.related[b].iter().find(|e| e.index.get() == a) else { continue };
            mutual += 1;
            assert_eq!(text_reasons(&entry.reasons), text_reasons(&back.reasons), "{a} {b}");
            // Whichever side read them, they are the definition's words.
            let words = features.text.top_shared(a, b, 3 * REASON_WORDS);
            for reason in text_reasons(&entry.reasons) {
                let (_, named) = reason.split_once(": ").unwrap();
                assert!(named.split(", ").all(|w| words.contains(&w)), "{reason} {words:?}");
            }
        }
    }
    assert!(mutual >= 9, "{mutual}");
}

#[test]
fn scores_are_symmetric_and_bounded() {
    let incidents = archive();
    let mut features =
        Features::build(&incidents, &no_links(incidents.len()), &RelatedConfig::default());
    features.find_neighbours(MIN_CANDIDATES);
    for a in 0..incidents.len() {
        for b in 0..incidents.len() {
            let (ab, ba) = (features.signals(a, b), features.signals(b, a));
            assert_eq!(ab, ba);
            let score = features.score(&ab);
            assert_eq!(score.to_bits(), features.score(&ba).to_bits());
            assert!((0.0..=1.0).contains(&score));
        }
    }
}

#[test]
fn focused_signals_are_the_merged_signals_to_the_bit() {
    // Shared and distinct services and tags, dated and undated.
    let mut incidents = archive();
    for (i, incident) in incidents.iter_mut().enumerate() {
        incident.services.push(["db", "edge", "auth"][i % 3].to_string());
        incident.tags.extend(["network", "capacity"].iter().take(i % 3).map(|t| t.to_string()));
    }
    incidents[4].date = None;
    let config = RelatedConfig { time_window_days: 400, ..RelatedConfig::default() };
    let mut features = Features::build(&incidents, &no_links(incidents.len()), &config);
    features.find_neighbours(MIN_CANDIDATES);
    let mut focus = Focus::new(&features);
    let mut signals_seen = Signals::default();
    for a in (0..incidents.len()).rev().chain(0..incidents.len()) {
        focus.set(&features, a);
        for b in 0..incidents.len() {
            let focused = features.signals_of(a, b, &focus.with(&features, b, None));
            let merged = features.signals(a, b);
            let bits = |s: Signals| [s.link, s.services, s.tags, s.text, s.time].map(f64::to_bits);
            assert_eq!(bits(focused), bits(merged), "{a} {b}");
            let cosine = Some(features.text.cosine(a, b));
            let known = features.signals_of(a, b, &focus.with(&features, b, cosine));
            assert_eq!(bits(known), bits(merged), "{a} {b} with the cosine known");
            for (seen, now) in [
                (&mut signals_seen.services, focused.services),
                (&mut signals_seen.tags, focused.tags),
                (&mut signals_seen.text, focused.text),
                (&mut signals_seen.time, focused.time),
            ] {
                *seen = seen.max(now);
            }
        }
    }
    let Signals { services, tags, text, time, .. } = signals_seen;
    assert!(services > 0.0 && tags > 0.0 && text > 0.0 && time > 0.0, "{signals_seen:?}");
}

#[test]
fn reason_words_are_the_best_shared_words_once_each() {
    let incidents = archive();
    let text = TextIndex::build(&incidents, &never_stop).expect("never stopped");
    let mut named = 0;
    for a in 0..incidents.len() {
        for b in 0..incidents.len() {
            // Every shared term, best first, then the first three words.
            let mut shared: Vec<(f32, &str)> = Vec::new();
            text::merge_shared(text.vectors.at(a), text.vectors.at(b), |id, wa, wb| {
                shared.push((wa * wb, &text.readable[id as usize]));
            });
            shared.sort_by(|x, y| y.0.total_cmp(&x.0).then_with(|| x.1.cmp(y.1)));
            let mut expected: Vec<&str> = Vec::new();
            for (_, word) in shared {
                if expected.len() < REASON_WORDS && !expected.contains(&word) {
                    expected.push(word);
                }
            }
            assert_eq!(text.top_shared(a, b, REASON_WORDS), expected, "{a} {b}");
            let mut spread = Spread::new(text.df.len());
            spread.set(&text.vectors, a);
            let fast = text.top_shared_with(&spread, b, REASON_WORDS, &mut Vec::new());
            assert_eq!(fast, expected, "{a} {b}, spread");
            named += usize::from(a != b && !expected.is_empty());
        }
    }
    assert!(named > 0, "some pairs share words");
}

#[test]
fn a_spread_cosine_is_the_merged_cosine_to_the_bit() {
    let incidents = archive();
    let text = TextIndex::build(&incidents, &never_stop).expect("never stopped");
    let mut spread = Spread::new(text.df.len());
    // Out of order, and back again, so clearing the previous incident
    // is exercised too.
    for a in (0..incidents.len()).rev().chain(0..incidents.len()) {
        spread.set(&text.vectors, a);
        for b in 0..incidents.len() {
            assert_eq!(spread.cosine(&text, b).to_bits(), text.cosine(a, b).to_bits());
        }
    }
    assert!(text.cosine(0, 1) > 0.0, "the archive has overlapping texts");
}

#[test]
fn output_is_deterministic_and_independent_of_input_order() {
    let incidents = archive();
    let links = no_links(incidents.len());
    let config = RelatedConfig::default();
    let first = relate(&incidents, &links, &config);
    assert_eq!(first, relate(&incidents, &links, &config));

    let reversed: Vec<Incident> = incidents.iter().rev().cloned().collect();
    let again = relate(&reversed, &links, &config);
    let by_slug = |inc: &[Incident], g: &RelatedGraph| -> BTreeMap<String, Vec<(String, u64)>> {
        g.related
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let l = l.iter().map(|r| (inc[r.index.get()].slug.to_string(), r.score.to_bits()));
                (inc[i].slug.to_string(), l.collect())
            })
            .collect()
    };
    assert_eq!(by_slug(&incidents, &first), by_slug(&reversed, &again));
}

#[test]
fn ties_are_broken_by_slug() {
    let text = "Disk full. The log volume filled up | Log rotation was disabled";
    let incidents: Vec<Incident> =
        ["d", "b", "c", "a"].iter().map(|s| incident(s, "2024-01-01", &["x"], &[], text)).collect();
    let graph = relate(&incidents, &no_links(4), &RelatedConfig::default());
    assert_eq!(slugs(&incidents, &graph.related[0]), ["a", "b", "c"]);
    assert_eq!(slugs(&incidents, &graph.related[3]), ["b", "c", "d"]);
}

#[test]
fn shared_names_count_by_rarity() {
    // Everyone runs on "platform"; only two incidents share "billing".
    let mut incidents: Vec<Incident> = (0..10)
        .map(|i| {
            let text = format!("T{i}. alpha{i} | beta{i}");
            incident(&format!("i{i}"), "2024-01-01", &["platform"], &[], &text)
        })
        .collect();
    incidents[0].services.push("billing".into());
    incidents[1].services.push("billing".into());
    let config = RelatedConfig { weight_time: 0.0, min_score: 0.0, ..RelatedConfig::default() };
    let features = Features::build(&incidents, &no_links(10), &config);
    let common = features.services.similarity(2, 3);
    let rare = features.services.similarity(0, 1);
    assert_eq!(common, 0.0, "a name every incident has says nothing");
    assert!(rare > 0.3, "{rare}");
    assert_eq!(labels::rarity(2, 100), 1.0 - 2f64.ln() / 100f64.ln());

    let graph = relate(&incidents, &no_links(10), &config);
    assert_eq!(slugs(&incidents, &graph.related[0])[..1], ["i1"]);
    assert_eq!(graph.related[0][0].reasons, ["shared service: billing"]);
}

#[test]
fn closeness_in_time_on_a_shared_service() {
    let text = |i: usize| format!("T{i}. alpha{i} | beta{i}");
    let incidents = vec![
        incident("a", "2024-03-01", &["payment-svc"], &[], &text(0)),
        incident("b", "2024-03-03", &["Payment-Svc"], &[], &text(1)),
        incident("c", "2024-06-01", &["payment-svc"], &[], &text(2)),
        incident("d", "2024-03-02", &["other"], &[], &text(3)),
    ];
    let config = RelatedConfig { min_score: 0.0, ..RelatedConfig::default() };
    let graph = relate(&incidents, &no_links(4), &config);
    let a = &graph.related[0];
    assert_eq!(slugs(&incidents, a), ["b", "c"], "d shares no service");
    assert!(a[0].reasons.contains(&"2 days apart on payment-svc".to_string()), "{a:?}");
    assert!(a[0].score > a[1].score);
    assert!(!a[1].reasons.iter().any(|r| r.contains("apart")), "c is outside the window");
}

#[test]
fn an_undated_incident_has_no_closeness_in_time() {
    // See: issue #10. Same service, one side undated: related by the
    // service alone, never "days apart".
    let text = |i: usize| format!("T{i}. alpha{i} | beta{i}");
    let mut incidents = vec![
        incident("a", "2024-03-01", &["payment-svc"], &[], &text(0)),
        incident("b", "2024-03-01", &["payment-svc"], &[], &text(1)),
        incident("c", "2024-03-01", &["other"], &[], &text(2)),
        incident("d", "2024-03-01", &["other"], &[], &text(3)),
    ];
    let config = RelatedConfig { min_score: 0.0, ..RelatedConfig::default() };
    let dated = relate(&incidents, &no_links(4), &config);
    incidents[1].date = None;
    let undated = relate(&incidents, &no_links(4), &config);
    for graph in [&dated, &undated] {
        assert_eq!(slugs(&incidents, &graph.related[0]), ["b"]);
    }
    assert!(dated.related[0][0].reasons.contains(&"same day on payment-svc".to_string()));
    for side in [&undated.related[0][0], &undated.related[1][0]] {
        assert_eq!(side.reasons, ["shared service: payment-svc"], "{side:?}");
    }
    assert!(undated.related[0][0].score < dated.related[0][0].score);
}

#[test]
fn links_in_either_direction_with_their_reasons() {
    let text = |i: usize| format!("T{i}. alpha{i} | beta{i}");
    let incidents: Vec<Incident> =
        (0..3).map(|i| incident(&format!("s{i}"), "2024-01-01", &[], &[], &text(i))).collect();
    let links = LinkTable { outgoing: idx(vec![vec![1], vec![], vec![0]]), ..LinkTable::default() };
    let graph = relate(&incidents, &links, &RelatedConfig::default());
    let reasons = |i: usize| -> Vec<(String, Vec<String>)> {
        graph.related[i]
            .iter()
            .map(|r| (incidents[r.index.get()].slug.to_string(), r.reasons.clone()))
            .collect()
    };
    assert_eq!(
        reasons(0),
        [
            ("s1".to_string(), vec!["links to it".to_string()]),
            ("s2".to_string(), vec!["linked from it".to_string()])
        ]
    );
    assert_eq!(reasons(1), [("s0".to_string(), vec!["linked from it".to_string()])]);
}

#[test]
fn k_and_min_score_are_respected() {
    // Three groups of four: a word every incident uses says nothing.
    let incidents: Vec<Incident> = (0..12)
        .map(|i| {
            let text = format!(
                "Disk full on rack{0}. The log volume filled up | Log rotation was disabled on rack{0}",
                i / 4
            );
            incident(&format!("d{i:02}"), "2024-01-01", &[], &[], &text)
        })
        .collect();
    let config = RelatedConfig { k: 3, ..RelatedConfig::default() };
    let graph = relate(&incidents, &no_links(12), &config);
    assert!(graph.related.iter().all(|l| l.len() == 3));
    let config = RelatedConfig { min_score: 1.0, ..RelatedConfig::default() };
    let graph = relate(&incidents, &no_links(12), &config);
    assert!(graph.related.iter().all(Vec::is_empty), "text alone never scores 1");
}

#[test]
fn clusters_group_mutual_neighbours_and_are_named_by_their_words() {
    let mut incidents = archive();
    // An unrelated singleton stays out of every cluster.
    incidents.push(incident(
        "lone",
        "2024-12-01",
        &["x"],
        &[],
        "Typo. A typo in a banner | Spelling",
    ));
    let graph = relate(&incidents, &no_links(incidents.len()), &RelatedConfig::default());
    assert_eq!(graph.cluster_of.len(), incidents.len());
    assert_eq!(graph.cluster_of[index(&incidents, "lone")], None);
    let names: Vec<&str> = graph.clusters.iter().map(|c| c.name.as_str()).collect();
    assert!(!graph.clusters.is_empty(), "no cluster");
    for (c, cluster) in graph.clusters.iter().enumerate() {
        assert!(cluster.members.len() >= cluster::MIN_CLUSTER_SIZE);
        let family = incidents[cluster.members[0].get()].slug.split('-').next().unwrap_or_default();
        for &m in &cluster.members {
            assert!(incidents[m.get()].slug.starts_with(family), "{names:?}");
            assert_eq!(graph.cluster_of[m.get()], Some(c));
        }
        assert!(!cluster.top_terms.is_empty() && cluster.name.contains(&cluster.top_terms[0]));
    }
    let sizes: Vec<usize> = graph.clusters.iter().map(|c| c.members.len()).collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "largest first");
    let pool = graph.cluster_of[index(&incidents, "pool-0")].map(|c| &graph.clusters[c]);
    assert!(pool.is_some_and(|c| c.top_terms.iter().any(|t| t.contains("pool"))), "{pool:?}");
}

#[test]
fn issue_24_a_recurrence_names_its_earlier_match_and_the_chain() {
    // Three write-ups of one failure a year apart, one unrelated.
    let mut incidents = Vec::new();
    for (i, year) in [2022, 2023, 2024].into_iter().enumerate() {
        incidents.push(incident(
            &format!("pool-{year}"),
            &format!("{year}-03-01"),
            &[&format!("svc-{i}")],
            &[],
            POOL[i],
        ));
    }
    incidents.push(incident(
        "lone",
        "2023-06-01",
        &["x"],
        &[],
        "Typo. A typo in a banner | Spelling",
    ));
    // Other failures of the archive: a recurrence stands out from how
    // alike the archive's write-ups are anyway (see `STANDS_OUT`), which a
    // failure three of four write-ups describe would not.
    for (i, text) in DNS.iter().chain(&CERT).enumerate() {
        incidents.push(incident(&format!("other-{i}"), "2023-07-01", &["y"], &[], text));
    }
    let config = RelatedConfig { recurrence_threshold: 0.1, ..RelatedConfig::default() };
    let graph = relate(&incidents, &no_links(incidents.len()), &config);
    let at = |slug: &str| index(&incidents, slug);
    assert_eq!(graph.recurrence_of[at("pool-2022")], None, "the first has nothing earlier");
    let idx = |slug: &str| IncidentIdx::new(at(slug));
    assert!(graph.recurrence_of[at("pool-2023")] == Some(idx("pool-2022")));
    assert!(graph.recurrence_of[at("pool-2024")].is_some());
    assert_eq!(graph.recurrence_of[at("lone")], None);
    let chain = graph.recurrence_chain(idx("pool-2024"));
    assert!(!chain.is_empty() && chain.last() == Some(&idx("pool-2022")), "{chain:?}");
    // A write-up that says its cause differs recurs nothing, however alike.
    let denying = format!("{} It turned out to be another\nroot cause than last year.", POOL[2]);
    let mut denied = incidents.clone();
    denied[2] = incident("pool-2024", "2024-03-01", &["svc-2"], &[], &denying);
    let graph_denied = relate(&denied, &no_links(denied.len()), &config);
    assert_eq!(graph_denied.recurrence_of[at("pool-2024")], None);
    assert!(graph_denied.recurrence_of[at("pool-2023")] == Some(idx("pool-2022")));
    // Above every score: no recurrence.
    let config = RelatedConfig { recurrence_threshold: 1.0, ..RelatedConfig::default() };
    let graph = relate(&incidents, &no_links(incidents.len()), &config);
    assert!(graph.recurrence_of.iter().all(Option::is_none));
}

#[test]
fn a_hub_does_not_merge_clusters() {
    // Two tight groups and one incident that mentions both mechanisms.
    let mut incidents = Vec::new();
    for i in 0..4 {
        let t = "Pool exhausted. connection pool exhausted | max_connections pool";
        incidents.push(incident(&format!("p{i}"), "2024-01-01", &[], &[], t));
        let t = "Disk full. log volume full disk | log rotation disk";
        incidents.push(incident(&format!("d{i}"), "2024-01-01", &[], &[], t));
    }
    let t = "Both. connection pool exhausted and disk full | max_connections log rotation";
    incidents.push(incident("hub", "2024-01-01", &[], &[], t));
    let config = RelatedConfig { k: 3, ..RelatedConfig::default() };
    let graph = relate(&incidents, &no_links(incidents.len()), &config);
    let p = graph.cluster_of[index(&incidents, "p0")];
    let d = graph.cluster_of[index(&incidents, "d0")];
    assert!(p.is_some() && d.is_some() && p != d, "{:?}", graph.clusters);
}

#[test]
fn three_incidents_are_a_cluster_only_when_each_is_related_to_both_others() {
    let pool = "Pool exhausted. connection pool exhausted | max_connections pool";
    let disk = "Disk full. log volume full disk | log rotation disk";
    let both = "Both. connection pool exhausted and disk full | max_connections log rotation";
    let others = [
        "Typo. A typo in a banner | Spelling",
        "Certificate expired. TLS handshake failed | renewal",
        "Clock skew. NTP drift on hosts | chrony",
        "Queue backlog. consumer lag grew | partitions",
    ];
    let with_others = |mut three: Vec<Incident>| {
        for (i, text) in others.iter().enumerate() {
            three.push(incident(&format!("other-{i}"), "2023-01-01", &[], &[], text));
        }
        three
    };
    let config = RelatedConfig::default();
    // A hub that resembles two incidents that do not resemble each other.
    let star = with_others(vec![
        incident("pool", "2024-01-01", &[], &[], pool),
        incident("hub", "2024-01-02", &[], &[], both),
        incident("disk", "2024-01-03", &[], &[], disk),
    ]);
    let graph = relate(&star, &no_links(star.len()), &config);
    let listed = |i: usize| graph.related[i].iter().map(|r| r.index.get()).collect::<Vec<_>>();
    assert!(listed(1).contains(&0) && listed(1).contains(&2), "the hub lists both");
    assert!(graph.clusters.is_empty(), "{:?}", graph.clusters);
    // Three write-ups of one failure are.
    let triangle = with_others(
        (0..3).map(|i| incident(&format!("p{i}"), "2024-01-01", &[], &[], pool)).collect(),
    );
    let graph = relate(&triangle, &no_links(triangle.len()), &config);
    assert_eq!(graph.clusters.len(), 1, "{:?}", graph.clusters);
}

#[test]
fn degenerate_inputs_do_not_panic() {
    let config = RelatedConfig::default();
    assert_eq!(relate(&[], &LinkTable::default(), &config), RelatedGraph::default());
    let one = vec![incident("a", "2024-01-01", &[], &[], "A. b | c")];
    let graph = relate(&one, &LinkTable::default(), &config);
    assert_eq!(graph.related, [Vec::new()]);
    // A link table from another build: out-of-range targets are ignored.
    let two = vec![one[0].clone(), incident("b", "2024-01-02", &[], &[], "B. c | d")];
    let links = LinkTable { outgoing: idx(vec![vec![1, 7]]), ..LinkTable::default() };
    let graph = relate(&two, &links, &config);
    assert_eq!(graph.related[1][0].reasons, ["linked from it"]);
    // All weights zero: nothing is related.
    let zero = RelatedConfig {
        weight_links: 0.0,
        weight_services: 0.0,
        weight_tags: 0.0,
        weight_text: 0.0,
        weight_time: 0.0,
        min_score: 0.0,
        ..config
    };
    assert!(relate(&two, &links, &zero).related.iter().all(Vec::is_empty));
}

#[test]
fn write_ups_of_one_system_are_no_recurrences_of_each_other() {
    // One team's archive: every write-up names the same system, runners,
    // queue and people, and each describes a failure of its own.
    let failures = [
        "Runners stopped. The buildfarm runners queue stalled, dana and li paged | \
         The layer cache filled the root volume of every runner",
        "Releases rejected. The buildfarm runners queue published packages, dana and li paged | \
         The signing key expired at midnight",
        "Fetches failing. The buildfarm runners queue jobs failed, dana and li paged | \
         The resolver upgrade dropped TCP fallback for truncated answers",
        "Nothing dispatched. The buildfarm runners queue stood still, dana and li paged | \
         Two scheduler workers deadlocked on row locks after an upgrade",
        "Builds slow. The buildfarm runners queue ran without cache, dana and li paged | \
         The cache bucket key was rotated and agents kept the old one",
    ];
    let incidents: Vec<Incident> = failures
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let date = format!("2024-0{}-10", i + 1);
            incident(&format!("farm-{i}"), &date, &["buildfarm"], &[], text)
        })
        .collect();
    let config = RelatedConfig { recurrence_threshold: 0.1, ..RelatedConfig::default() };
    let graph = relate(&incidents, &no_links(incidents.len()), &config);
    assert!(graph.related.iter().all(|list| !list.is_empty()), "they are related");
    assert!(graph.recurrence_of.iter().all(Option::is_none), "{:?}", graph.recurrence_of);
}

/// The reasons given in an archive of four different failures, each
/// written up as `write(title, what failed)`.
fn reasons_among_four_failures(write: impl Fn(&str, &str) -> String) -> Vec<String> {
    let failures = [
        "Disk full. The log volume filled up",
        "Certificate expired. The ingress certificate lapsed",
        "Pool exhausted. The connection pool ran dry",
        "Clock skew. Hosts drifted apart by minutes",
    ];
    let incidents: Vec<Incident> = failures
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let (title, what) = text.split_once(". ").unwrap_or((text, ""));
            let text = write(title, what);
            incident(
                &format!("failure-{i}"),
                &format!("2024-0{}-01", i + 1),
                &["fleet"],
                &[],
                &text,
            )
        })
        .collect();
    let graph = relate(&incidents, &no_links(incidents.len()), &RelatedConfig::default());
    graph.related.iter().flatten().flat_map(|r| r.reasons.clone()).collect()
}

#[test]
fn no_reason_is_a_piece_of_a_web_address() {
    // Each write-up cites the team's dashboards and runbooks by address;
    // what failed differs.
    let cited = "See https://grafana.corp.example.com/d/fleet-health and \
                 https://wiki.corp.example.com/runbooks/fleet for the graphs";
    let reasons =
        reasons_among_four_failures(|title, what| format!("{title}. {what}. {cited} | {what}"));
    let pieces = ["https", "grafana", "corp", "example", "com", "wiki", "runbooks", "fleet-health"];
    for reason in &reasons {
        assert!(!pieces.iter().any(|p| reason.contains(p)), "{reason}");
    }
}

#[test]
fn no_reason_is_a_tag_written_in_the_prose() {
    // Each write-up sets its lines apart with `<br>` and marks keys with
    // `<kbd>`; what failed differs.
    let reasons = reasons_among_four_failures(|title, what| {
        format!("{title}. {what}.<br> Paged at once.<br/> Pressed <kbd>restart</kbd>.<br> | {what}")
    });
    for reason in &reasons {
        let words: Vec<&str> = reason.split([':', ',', ' ']).collect();
        assert!(!words.iter().any(|w| ["br", "kbd"].contains(w)), "{reason}");
    }
}

#[test]
fn a_status_page_s_courtesies_relate_nothing() {
    // Short notices of a status page, each a different failure, written
    // with the same courtesies around it.
    let notices = [
        "Outage. We are experiencing an ongoing outage, sorry. We apologize for the \
         inconvenience | A schema migration ran out of memory during the deploy",
        "Builds failing. We are experiencing an ongoing outage, sorry. We apologize for the \
         inconvenience | The certificate of the artifact store expired",
        "Dashboard down. We are experiencing an ongoing outage, sorry. We apologise for the \
         inconvenience | The login provider rotated its signing keys",
    ];
    let incidents: Vec<Incident> = notices
        .iter()
        .enumerate()
        .map(|(i, text)| {
            incident(&format!("notice-{i}"), &format!("2023-0{}-15", i + 1), &[], &[], text)
        })
        .collect();
    let graph = relate(&incidents, &no_links(incidents.len()), &RelatedConfig::default());
    assert!(graph.recurrence_of.iter().all(Option::is_none), "{:?}", graph.recurrence_of);
    for reason in graph.related.iter().flatten().flat_map(|r| &r.reasons) {
        for courtesy in ["experienc", "ongoing", "sorry", "apolog", "inconvenience"] {
            assert!(!reason.contains(courtesy), "{reason}");
        }
    }
}

//! Tests of the link stage: the resolution rules in order, ambiguous,
//! broken and heading links, external prefixes, self links, and relinking
//! one edited incident.

use super::*;
use crate::load::{parse_document, source_from_bytes};
use crate::validate::validate;
use std::path::{Path, PathBuf};

/// The files (paths under `content/`, texts), parsed and validated.
fn validated<T: AsRef<str>>(files: &[(&str, T)], config: &Config) -> crate::validate::Validated {
    let docs = files
        .iter()
        .map(|(p, t)| {
            let rel = Path::new("content").join(p);
            let bytes = t.as_ref().as_bytes().to_vec();
            parse_document(source_from_bytes(&rel, bytes).unwrap()).0.unwrap()
        })
        .collect();
    validate(docs, config, false)
}

fn archive<T: AsRef<str>>(
    files: &[(&str, T)],
    config: &Config,
) -> (Vec<Incident>, LinkTable, Vec<Diagnostic>) {
    let v = validated(files, config);
    // Drafts left out are named by a note; nothing else is expected.
    let unexpected: Vec<_> = v.diagnostics.iter().filter(|d| d.code != "RCA009").collect();
    assert!(unexpected.is_empty(), "{unexpected:?}");
    let (table, diags) = link(&v.incidents, &v.drafts, config);
    (v.incidents, table, diags)
}

fn fm(title: &str, date: &str, extra: &str, body: &str) -> String {
    format!("---\ntitle: \"{title}\"\ndate: {date}\nseverity: P2\n{extra}---\n{body}")
}

/// The incident called `slug`.
fn at(incidents: &[Incident], slug: &str) -> IncidentIdx {
    IncidentIdx::new(incidents.iter().position(|x| x.slug == slug).unwrap())
}

fn target_slugs(incidents: &[Incident], table: &LinkTable, slug: &str) -> Vec<String> {
    table.targets[at(incidents, slug).get()]
        .iter()
        .map(|t| match t {
            LinkTarget::Incident { index, anchor, .. } => {
                format!(
                    "{}{}",
                    incidents[index.get()].slug,
                    anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default()
                )
            }
            LinkTarget::External { url } => url.clone(),
            LinkTarget::Day => "DAY".into(),
            LinkTarget::Broken => "BROKEN".into(),
        })
        .collect()
}

#[test]
fn resolution_rules_in_order() {
    let files = [
        (
            "team/2024-01-01-pool.md",
            fm(
                "Pool exhausted",
                "2024-01-01",
                "slug: pool-jan\naliases: [the-pool]\n",
                "## Root Cause\nx\n",
            ),
        ),
        (
            "2024-02-01-other.md",
            fm(
                "Other",
                "2024-02-01",
                "",
                "[[pool-jan]] [[2024-01-01-pool]] [[team/2024-01-01-pool]] [[THE-POOL]] [[pool EXHAUSTED]] [[pool-jan#Root Cause]] [[#Notes]]\n## Notes\n",
            ),
        ),
    ];
    let (incidents, table, diags) = archive(&files, &Config::default());
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(
        target_slugs(&incidents, &table, "2024-02-01-other"),
        [
            "pool-jan",
            "pool-jan",
            "pool-jan",
            "pool-jan",
            "pool-jan",
            "pool-jan#root-cause",
            "2024-02-01-other#notes"
        ]
    );
    let pool = incidents.iter().position(|x| x.slug == "pool-jan").unwrap();
    let other = incidents.iter().position(|x| x.slug == "2024-02-01-other").unwrap();
    assert_eq!(table.outgoing[other], [IncidentIdx::new(pool)]);
    assert_eq!(table.backlinks[pool].len(), 1);
    assert!(table.outgoing[pool].is_empty(), "self links are not graph edges");
}

#[test]
fn slug_beats_title_of_another_incident() {
    let files = [
        ("a.md", fm("b", "2024-01-01", "", "")),
        ("b.md", fm("B title", "2024-01-02", "", "")),
        ("c.md", fm("C", "2024-01-03", "", "[[b]]")),
    ];
    let (incidents, table, _) = archive(&files, &Config::default());
    assert_eq!(target_slugs(&incidents, &table, "c"), ["b"]);
}

#[test]
fn ambiguity_broken_links_headings_and_externals() {
    let mut config = Config::default();
    config.wikilinks.external.insert("runbook-".into(), "https://rb.example/{name}".into());
    let files = [
        ("a.md", fm("Same title", "2024-01-01", "", "")),
        ("b.md", fm("Same title", "2024-01-02", "", "")),
        ("d.md", fm("Draft", "2024-01-02", "draft: true\n", "")),
        (
            "c.md",
            fm(
                "C",
                "2024-01-03",
                "",
                "[[same title]]\n\n[[runbook-db x]]\n\n[[a#Nope]]\n\n[[zzz]]\n\n[[d]]\n\n[[Same titel]]\n",
            ),
        ),
    ];
    let (incidents, table, diags) = archive(&files, &config);
    assert_eq!(
        target_slugs(&incidents, &table, "c"),
        ["a", "https://rb.example/db%20x", "a", "BROKEN", "BROKEN", "BROKEN"]
    );
    let found: Vec<_> = diags.iter().map(|d| (d.code, d.line().unwrap())).collect();
    assert_eq!(
        found,
        [("RCA031", 6), ("RCA032", 10), ("RCA030", 12), ("RCA030", 14), ("RCA030", 16)]
    );
    assert!(diags[3].message.contains("draft"));
    assert_eq!(diags[4].help.as_deref(), Some("did you mean `[[Same title]]`?"));
}

#[test]
fn headings_with_punctuation_and_non_ascii_resolve() {
    let files = [
        ("a.md", fm("A", "2024-01-01", "", "## What went well?\n## Ação: café\n## 根本原因\n")),
        (
            "b.md",
            fm(
                "B",
                "2024-01-02",
                "",
                "| x |\n|---|\n| [[a#What went well?]] |\n\n- [[a#Ação: café|c]]\n- [[a#根本原因]]\n",
            ),
        ),
    ];
    let (incidents, table, diags) = archive(&files, &Config::default());
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(
        target_slugs(&incidents, &table, "b"),
        ["a#what-went-well", "a#ação-café", "a#根本原因"]
    );
}

#[test]
fn self_links_resolve_to_the_page_but_are_not_graph_edges() {
    let files = [("a.md", fm("A", "2024-01-01", "", "See [[a#Impact]] and [[a]].\n\n## Impact\n"))];
    let (incidents, table, diags) = archive(&files, &Config::default());
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(target_slugs(&incidents, &table, "a"), ["a#impact", "a"]);
    assert!(table.outgoing[0].is_empty() && table.backlinks[0].is_empty());
}

#[test]
fn external_prefixes_never_shadow_incidents_and_longest_prefix_wins() {
    let mut config = Config::default();
    config.wikilinks.external.insert("runbook-".into(), "https://rb.example/{target}".into());
    config.wikilinks.external.insert("runbook-db-".into(), "https://db.example/{name}".into());
    let files = [
        ("runbook-x.md", fm("Runbook-named incident", "2024-01-01", "", "")),
        ("b.md", fm("B", "2024-01-02", "", "[[runbook-x]] [[runbook-y]] [[runbook-db-pg]]")),
    ];
    let (incidents, table, diags) = archive(&files, &config);
    assert!(diags.is_empty(), "{diags:?}");
    assert_eq!(
        target_slugs(&incidents, &table, "b"),
        ["runbook-x", "https://rb.example/runbook-y", "https://db.example/pg"]
    );
}

#[test]
fn relink_of_one_edited_incident_matches_a_full_link() {
    let files = [
        ("a.md", fm("A", "2024-01-01", "", "## Impact\n")),
        ("b.md", fm("B", "2024-01-02", "", "Caused by [[a]].\n")),
        ("c.md", fm("C", "2024-01-03", "", "Like [[a]] before.\n\nAnd [[b]].\n")),
        ("d.md", fm("D", "2024-01-04", "", "Unlike [[c]].\n")),
    ];
    let (mut incidents, mut table, _) = archive(&files, &Config::default());
    let resolver = Resolver::new(&incidents, &[]);
    let (a, b, c, d) =
        (at(&incidents, "a"), at(&incidents, "b"), at(&incidents, "c"), at(&incidents, "d"));
    // c stops linking to b, quotes a differently, and starts linking to d.
    let text = fm("C", "2024-01-03", "", "Unlike [[a#Impact]] now.\n\nSee [[d]] and [[zz]].\n");
    let rel = Path::new("content/c.md");
    let doc = parse_document(source_from_bytes(rel, text.into_bytes()).unwrap()).0.unwrap();
    let edited = crate::validate::incident_from(doc, &Config::default()).0.unwrap();
    let was = std::mem::replace(&mut incidents[c.get()], edited).doc.outline.links.clone();

    let (diags, touched) = relink(&mut table, &resolver, &incidents, (c, &was), &Config::default());
    assert_eq!(diags.iter().map(|d| d.code).collect::<Vec<_>>(), ["RCA030"]);
    let mut expected = vec![a, b, d];
    expected.sort_unstable();
    assert_eq!(touched, expected, "a is quoted anew, b lost its backlink, d gained one");

    let (full, _) = link(&incidents, &[], &Config::default());
    assert_eq!(table.targets, full.targets);
    assert_eq!(table.outgoing, full.outgoing);
    assert_eq!(table.backlinks, full.backlinks);

    // An edit that keeps every link and its sentence touches nobody.
    let now = incidents[c.get()].doc.outline.links.clone();
    let (_, touched) = relink(&mut table, &resolver, &incidents, (c, &now), &Config::default());
    assert!(touched.is_empty(), "{touched:?}");
}

/// An outliner's or a vault's journal day (`[[2023-03-21]]`, Logseq's
/// `[[Mar 21st, 2023]]`) is no incident and nothing wrong: shown as its
/// date, with no warning. A missing page whose name only opens with a date
/// is still broken, and a day an incident answers to links to it.
#[test]
fn a_journal_day_is_its_date_not_a_broken_link() {
    let body = "On [[2023-03-21]], [[Mar 21st, 2023]] and [[March 21, 2023]]; \
                see [[2023-03-21-db-outage]] and [[2024-01-02]].\n";
    let files = [
        ("a.md", fm("A", "2023-03-21", "", body)),
        ("b.md", fm("B", "2024-01-02", "aliases: [\"2024-01-02\"]\n", "x\n")),
    ];
    let (incidents, table, diags) = archive(&files, &Config::default());
    assert_eq!(target_slugs(&incidents, &table, "a"), ["DAY", "DAY", "DAY", "BROKEN", "b"]);
    let warned: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(warned, ["unresolved wiki link `[[2023-03-21-db-outage]]`"]);
}

/// The definition [`suggest::Suggester`] must match: every slug and title
/// compared with the target.
fn did_you_mean(target: &str, incidents: &[Incident]) -> Option<String> {
    let target = target.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for incident in incidents {
        for (candidate, shown) in [
            (incident.slug.to_string(), incident.slug.as_str()),
            (incident.title.to_lowercase(), incident.title.as_str()),
        ] {
            let score = strsim::normalized_levenshtein(&target, &candidate);
            if score >= 0.7 && best.is_none_or(|(b, s)| score > b || (score == b && shown < s)) {
                best = Some((score, shown));
            }
        }
    }
    best.map(|(_, s)| s.to_string())
}

#[test]
fn suggestions_match_comparing_every_name() {
    let titles = [
        "Checkout errors after pool change",
        "DNS resolver timeouts",
        "Disk full on logs-1",
        "Ünïcödé naming ☃ outage",
        "Redis failover",
        "Redis failovers",
        "x",
        "支付服务超时",
    ];
    let files: Vec<(String, String)> = titles
        .iter()
        .enumerate()
        .map(|(n, t)| (format!("i{n}.md"), fm(t, "2024-01-01", "", "")))
        .collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let (incidents, _, _) = archive(&files, &Config::default());
    let suggester = suggest::Suggester::new(&incidents);
    for target in [
        "Checkout erors after pool change",
        "dns resolver timeout",
        "disk ful on logs1",
        "unicode naming ☃ outage",
        "Ünïcödé naming ☃ outag",
        "redis failove",
        "Redis",
        "i3",
        "i12",
        "",
        "y",
        "支付服务超",
        "completely unrelated words here",
    ] {
        assert_eq!(suggester.suggest(target), did_you_mean(target, &incidents), "{target:?}");
    }
}

/// Many links to names no incident has: each is named, the first distinct
/// ones with a suggestion, and the stage stays linear (it compared every
/// name with every incident's, and 20,000 such links at 10,000 incidents
/// took minutes).
#[test]
fn many_broken_links_are_each_named_and_suggested_up_to_a_limit() {
    let n = suggest::SUGGEST_LIMIT + 50;
    let mut body = String::new();
    for k in 0..n {
        body.push_str(&format!("[[Pool exhausted {k:03}x]]\n\n"));
    }
    let mut files = vec![("a.md".to_string(), fm("A", "2024-01-01", "", &body))];
    for k in 0..n {
        files.push((
            format!("p{k:03}.md"),
            fm(&format!("Pool exhausted {k:03}"), "2024-01-02", "", ""),
        ));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let (_, _, diags) = archive(&files, &Config::default());
    let broken: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == "RCA030").collect();
    assert_eq!(broken.len(), n);
    let suggested = broken.iter().filter(|d| d.help.is_some()).count();
    assert_eq!(suggested, suggest::SUGGEST_LIMIT);
    // The first in the file get them, whatever the threads did.
    assert_eq!(broken[0].help.as_deref(), Some("did you mean `[[Pool exhausted 000]]`?"));
    assert!(broken[n - 1].help.is_none());
}

/// A link whose title thousands of files share is one warning of bounded
/// length, naming a few of them.
#[test]
fn an_ambiguous_link_names_a_few_of_its_matches() {
    let mut files = vec![("a.md".to_string(), fm("A", "2024-01-01", "", "[[DB outage]]\n"))];
    for k in 0..40 {
        files.push((format!("d{k:02}.md"), fm("DB outage", "2024-01-02", "", "")));
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let (_, _, diags) = archive(&files, &Config::default());
    let d = diags.iter().find(|d| d.code == "RCA031").expect("RCA031");
    assert!(d.message.contains("`d00`, `d01`, `d02`, `d03`, `d04`, and 35 more"), "{}", d.message);
}

/// On a page of many headings the index finds what walking them finds:
/// the first heading whose text (any ASCII case) or anchor is named.
#[test]
fn headings_are_found_alike_by_walking_and_by_the_index() {
    let heading = |text: &str, anchor: &str| crate::model::Heading {
        level: 2,
        text: text.into(),
        anchor: anchor.into(),
    };
    let mut many: Vec<crate::model::Heading> =
        (0..100).map(|k| heading(&format!("Notes {k}"), &format!("notes-{k}"))).collect();
    many.push(heading("Root Cause", "root-cause"));
    many.push(heading("root cause", "root-cause-1"));
    many.push(heading("Ünïcode Ä", "ünïcode-ä"));
    for wanted in
        ["ROOT CAUSE", "root-cause-1", "root cause", "Notes 99", "notes-7", "Ünïcode Ä", "nope", ""]
    {
        let walked = many.iter().find(|h| {
            h.text.eq_ignore_ascii_case(wanted)
                || h.anchor == slugify_heading(wanted)
                || h.anchor == wanted
        });
        let indexed = find_heading(&many, |h| Arc::new(HeadingIndex::of(h)), wanted);
        assert_eq!(indexed.map(|h| &h.anchor), walked.map(|h| &h.anchor), "{wanted:?}");
        let small = find_heading(&many[95..], |h| Arc::new(HeadingIndex::of(h)), wanted);
        let small_walked = many[95..].iter().find(|h| {
            h.text.eq_ignore_ascii_case(wanted)
                || h.anchor == slugify_heading(wanted)
                || h.anchor == wanted
        });
        assert_eq!(small.map(|h| &h.anchor), small_walked.map(|h| &h.anchor), "{wanted:?}");
    }
}

/// Dendron writes a link's label first, `[[the outage|note.name]]`: read
/// the other way round when only the label names an incident.
#[test]
fn a_label_first_link_resolves_by_its_label() {
    let files = [
        ("incidents.2024.pool.md", fm("Pool", "2024-01-01", "", "")),
        ("other.md", fm("Other", "2024-01-02", "", "")),
        (
            "c.md",
            fm(
                "C",
                "2024-01-03",
                "",
                "[[the pool outage|incidents.2024.pool]]\n\n[[other|incidents.2024.pool]]\n\n\
                 [[nothing here|nor here]]\n",
            ),
        ),
    ];
    let (incidents, table, diags) = archive(&files, &Config::default());
    assert_eq!(
        target_slugs(&incidents, &table, "c"),
        ["incidents-2024-pool", "other", "BROKEN"],
        "the target first when it names an incident"
    );
    assert_eq!(diags.iter().filter(|d| d.code == "RCA030").count(), 1);
}

#[test]
fn a_name_written_as_a_wiki_page_name_finds_the_file_a_github_wiki_gives_it() {
    // A GitHub wiki files `[[Ledger replica fell behind]]` as
    // `Ledger-replica-fell-behind.md`; a title of other words does not
    // stand in the way, and a name of no letter finds no placeholder slug.
    let files = [
        ("Ledger-replica-fell-behind.md", fm("Replica lag", "2024-01-01", "", "")),
        ("incident.md", fm("Placeholder", "2024-01-02", "", "")),
        ("c.md", fm("C", "2024-01-03", "", "[[Ledger replica fell behind]]\n\n[[???]]\n")),
    ];
    let (incidents, table, _) = archive(&files, &Config::default());
    assert_eq!(target_slugs(&incidents, &table, "c"), ["ledger-replica-fell-behind", "BROKEN"]);
}

#[test]
fn a_link_to_a_file_left_out_says_so_and_one_to_an_attachment_path_is_its_path() {
    let files = [
        ("a.md", fm("A", "2024-01-01", "", "[[Incident Index]]\n\n[[images/lag.svg]]\n")),
        ("team/b.md", fm("B", "2024-01-02", "", "[[graphs/p99.svg]]\n\n[[images/nope.svg]]\n")),
    ];
    let config = Config::default();
    let v = validated(&files, &config);
    let attachments = ["content/images/lag.svg", "content/team/graphs/p99.svg"].map(PathBuf::from);
    let resolver = Resolver::new(&v.incidents, &v.drafts)
        .with_attachments(&attachments, "content")
        .with_left_out(&[PathBuf::from("content/Incident-Index.md")], "content", LeftOut::Excluded);
    let (table, diags) = link_with(&resolver, &v.incidents, &config);
    assert_eq!(target_slugs(&v.incidents, &table, "a"), ["BROKEN", "images/lag.svg"]);
    assert_eq!(target_slugs(&v.incidents, &table, "b"), ["graphs/p99.svg", "BROKEN"]);
    // Newest first: b's warning, then a's.
    let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].starts_with("unresolved wiki link `[[images/nope.svg]]`"));
    assert!(messages[1].contains("points at content/Incident-Index.md, which `exclude`"));
}

#[test]
fn an_incidents_own_id_and_a_bundles_folder_are_names_links_may_use() {
    let files = [
        ("2024-03-01-payment.md", fm("Payment outage", "2024-03-01", "id: INC-1234\n", "")),
        ("team/2024-03-02-bundle/index.md", fm("Bundle", "2024-03-02", "", "")),
        ("notes.md", fm("Notes", "2024-03-03", "id: root\n", "")),
        ("c.md", fm("C", "2024-03-04", "", "[[inc-1234]] [[team/2024-03-02-bundle]] [[root]]\n")),
    ];
    let (incidents, table, _) = archive(&files, &Config::default());
    // `id: root` is no identifier a reader knows: the link stays broken.
    assert_eq!(
        target_slugs(&incidents, &table, "c"),
        ["2024-03-01-payment", "2024-03-02-bundle", "BROKEN"]
    );
}

#[test]
fn a_link_to_a_left_out_file_names_the_file_of_its_path() {
    // Each incident folder has its own `timeline.md`, left out: a link by
    // path names the one in its folder.
    let files = [
        ("a/index.md", fm("A", "2024-01-01", "", "[t](timeline.md)\n")),
        ("b/index.md", fm("B", "2024-01-02", "", "[t](timeline.md)\n")),
    ];
    let config = Config::default();
    let v = validated(&files, &config);
    let left_out = ["content/a/timeline.md", "content/b/timeline.md"].map(PathBuf::from);
    let resolver = Resolver::new(&v.incidents, &v.drafts).with_left_out(
        &left_out,
        "content",
        LeftOut::Excluded,
    );
    let (_, diags) = link_with(&resolver, &v.incidents, &config);
    let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].contains("content/b/timeline.md"), "{messages:?}");
    assert!(messages[1].contains("content/a/timeline.md"), "{messages:?}");
}

#[test]
fn a_link_found_by_its_label_shows_the_part_before_the_bar() {
    let files = [
        ("Ledger-replica-fell-behind.md", fm("Replica lag", "2024-01-01", "", "")),
        (
            "c.md",
            fm(
                "C",
                "2024-01-02",
                "",
                "[[Ledger replica|Ledger-replica-fell-behind]] [[Ledger-replica-fell-behind|the lag]] [[#Notes|the notes]]\n## Notes\n",
            ),
        ),
    ];
    let (incidents, table, _) = archive(&files, &Config::default());
    let c = incidents.iter().position(|x| x.slug == "c").unwrap();
    let shown: Vec<(String, bool)> = table.targets[c]
        .iter()
        .map(|t| match t {
            LinkTarget::Incident { label, label_first, .. } => (label.clone(), *label_first),
            other => panic!("{other:?}"),
        })
        .collect();
    // Label first: the text is the part before the bar. Target first, or
    // a heading of the page itself: the label as written, so the label
    // field, the text of a link without one, stays empty.
    assert_eq!(
        shown,
        [("Ledger replica".to_string(), true), (String::new(), false), (String::new(), false)]
    );
}

#[test]
fn a_title_shared_by_several_incidents_follows_their_retitles() {
    let files = [
        ("c.md", fm("Pool exhausted", "2024-01-03", "", "")),
        ("a.md", fm("Pool exhausted", "2024-01-01", "", "")),
        ("b.md", fm("Pool Exhausted", "2024-01-02", "", "")),
        ("z.md", fm("Other", "2024-01-04", "", "")),
    ];
    let (mut incidents, _, _) = archive(&files, &Config::default());
    let mut resolver = Resolver::new(&incidents, &[]);
    let slugs = |resolver: &Resolver, incidents: &[Incident], name: &str| {
        resolver.candidates(name).map(|(rule, found)| {
            let slugs: Vec<&str> = found.iter().map(|i| incidents[i.get()].slug.as_str()).collect();
            format!("{rule}: {}", slugs.join(" "))
        })
    };
    // Every incident of the title, by slug, whatever the case it is written in.
    assert_eq!(slugs(&resolver, &incidents, "pool EXHAUSTED").as_deref(), Some("title: a b c"));
    let retitle = |resolver: &mut Resolver, incidents: &mut [Incident], slug: &str, title: &str| {
        let i = at(incidents, slug);
        let old = std::mem::replace(&mut incidents[i.get()].title, title.to_string());
        resolver.retitle(incidents, i, &old);
    };
    retitle(&mut resolver, &mut incidents, "b", "Other");
    retitle(&mut resolver, &mut incidents, "a", "Lone");
    assert_eq!(slugs(&resolver, &incidents, "Pool exhausted").as_deref(), Some("title: c"));
    assert_eq!(slugs(&resolver, &incidents, "other").as_deref(), Some("title: b z"));
    assert_eq!(slugs(&resolver, &incidents, "lone").as_deref(), Some("title: a"));
    retitle(&mut resolver, &mut incidents, "c", "Lone");
    retitle(&mut resolver, &mut incidents, "z", "Zed");
    assert_eq!(slugs(&resolver, &incidents, "Pool exhausted"), None);
    assert_eq!(slugs(&resolver, &incidents, "lone").as_deref(), Some("title: a c"));
    assert_eq!(slugs(&resolver, &incidents, "other").as_deref(), Some("title: b"));
}

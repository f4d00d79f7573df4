//! Section recognition, heading by heading.

use super::*;

#[test]
fn the_write_ups_own_related_list_is_recognised() {
    assert!(is_related_heading("Related Incidents"));
    assert!(is_related_heading("4. See also"));
    assert!(!is_related_heading("Related work on the cache"));
    assert!(!is_related_heading("Impact"));
    assert!(is_recurrence_heading("Recurrence"));
    assert!(is_recurrence_heading("## Has this happened before?".trim_start_matches('#')));
    assert!(!is_recurrence_heading("Recurrence of the pool exhaustion"));
    for name in RECURRENCE_NAMES {
        assert!(is_recurrence_heading(&name.to_uppercase()), "{name}");
    }
    assert!(ends_with_word("Has It HAPPENED Before?", &["before"]));
    assert!(ends_with_word("⏱️ Milestones:", &["milestones"]));
    assert!(!ends_with_word("Impact", &["impacts"]));
    assert!(!ends_with_word("", &["impact"]));
    assert!(is_recurrence_heading("Has this happened before? (link it)"));
}

fn role(h: &str) -> Option<Role> {
    SectionNames::default().role_of(h)
}

/// Each heading has its role; each of `others` has none.
fn assert_roles(cases: &[(&str, Role)], others: &[&str]) {
    for (heading, expected) in cases {
        assert_eq!(role(heading), Some(*expected), "{heading}");
    }
    for other in others {
        assert_eq!(role(other), None, "{other}");
    }
}

#[test]
fn headings_of_blog_and_wiki_write_ups_get_their_roles() {
    let cases = [
        ("How we fixed it", Role::Resolution),
        ("What we did", Role::Resolution),
        ("II. Why did it happen?", Role::Cause),
        ("III. How did we fix it?", Role::Resolution),
        ("IV. How will we stop it from happening again?", Role::ActionItems),
        ("What we're changing", Role::ActionItems),
        ("Post-incident actions", Role::ActionItems),
        ("3) Root cause analysis", Role::Cause),
        ("🔥 Impact", Role::Impact),
    ];
    assert_roles(&cases, &["Background"]);
}

#[test]
fn headings_in_other_languages_get_their_roles() {
    let cases = [
        ("概要", Role::Summary),
        ("タイムライン", Role::Timeline),
        ("2. 根本原因", Role::Cause),
        ("影响范围", Role::Impact),
        ("再発防止策", Role::ActionItems),
        ("改进措施", Role::ActionItems),
        ("경과", Role::Timeline),
        ("원인 분석", Role::Cause),
        ("Zusammenfassung", Role::Summary),
        ("Ursachen", Role::Cause),
        ("Maßnahmen", Role::ActionItems),
        ("Causa raíz", Role::Cause),
        ("Lecciones aprendidas", Role::Lessons),
        ("Leçons apprises", Role::Lessons),
        ("Linha do tempo", Role::Timeline),
        ("Ações corretivas", Role::ActionItems),
        ("Acoes corretivas", Role::ActionItems),
        ("Résolution", Role::Resolution),
    ];
    assert_roles(
        &cases,
        &["対象システム", "参考資料", "関連リンク", "Anhang", "Annexe", "Glosario"],
    );
}

#[test]
fn template_headings_get_their_roles() {
    for (heading, expected) in [
        ("Summary", Role::Summary),
        ("Incident summary", Role::Summary),
        ("Overview", Role::Summary),
        ("Root Causes", Role::Cause),
        ("Trigger", Role::Cause),
        ("Contributing Factors", Role::Cause),
        ("Fault", Role::Cause),
        ("Leadup", Role::Cause),
        ("Five whys", Role::Cause),
        ("Contributors", Role::Cause),
        ("What Happened", Role::Cause),
        ("Impact", Role::Impact),
        ("Detection", Role::Detection),
        ("Resolution", Role::Resolution),
        ("Response", Role::Resolution),
        ("Recovery", Role::Resolution),
        ("Mitigators", Role::Resolution),
        ("Lessons Learned", Role::Lessons),
        ("How'd We Do?", Role::Lessons),
        ("What went well", Role::Lessons),
        ("Action Items", Role::ActionItems),
        ("Corrective actions", Role::ActionItems),
        ("Follow-ups", Role::ActionItems),
        ("Timeline (UTC)", Role::Timeline),
        ("Key timestamps", Role::Timeline),
    ] {
        assert_eq!(role(heading), Some(expected), "{heading}");
    }
}

#[test]
fn numbering_case_punctuation_and_prefixes() {
    assert_eq!(role("2. Timeline"), Some(Role::Timeline));
    assert_eq!(role("IV. Impact"), Some(Role::Impact));
    assert_eq!(role("ROOT CAUSE:"), Some(Role::Cause));
    assert_eq!(role("Root cause analysis (RCA)"), Some(Role::Cause));
    assert_eq!(role("Impact on customers"), Some(Role::Impact));
    assert_eq!(role("Action items & follow-ups"), Some(Role::ActionItems));
    assert_eq!(role("What we're doing about it"), Some(Role::ActionItems));
}

#[test]
fn a_number_set_off_by_a_colon_or_a_spaced_dash_is_numbering() {
    assert_eq!(role("3 - Impact"), Some(Role::Impact));
    assert_eq!(role("4 – Root cause"), Some(Role::Cause));
    assert_eq!(role("5: Action items"), Some(Role::ActionItems));
    assert_eq!(normal_form("3 - Impact"), "impact");
    // A number that is part of the words keeps its place.
    assert_eq!(normal_form("5 Whys"), "5 whys");
    assert_eq!(normal_form("24-7 Support"), "24 7 support");
    assert_eq!(normal_form("A - Team"), "a team");
}

#[test]
fn misspellings_within_an_edit_or_two() {
    assert_eq!(role("Sumary"), Some(Role::Summary));
    assert_eq!(role("Root Cuase"), Some(Role::Cause));
    assert_eq!(role("Action Itmes"), Some(Role::ActionItems));
    assert_eq!(role("Time line"), Some(Role::Timeline));
    assert_eq!(role("Follow ups"), Some(Role::ActionItems));
}

#[test]
fn other_headings_have_no_role() {
    for heading in ["Notes", "Direction", "Appendix", "Responders", "Glossary", "Fix it", "Why"] {
        let got = role(heading);
        if heading == "Why" {
            assert_eq!(got, Some(Role::Cause));
        } else if heading == "Fix it" {
            assert_eq!(got, Some(Role::Resolution), "prefix `fix`");
        } else {
            assert_eq!(got, None, "{heading}");
        }
    }
    assert_eq!(role("A very long heading that is really a sentence about the summary"), None);
}

#[test]
fn configured_names_come_first() {
    let mut extra = BTreeMap::new();
    extra.insert("cause".to_string(), vec!["Why it broke".to_string()]);
    extra.insert("lessons".to_string(), vec!["Background".to_string()]);
    let names = SectionNames::new(&extra);
    assert_eq!(names.role_of("Why it broke"), Some(Role::Cause));
    assert_eq!(names.role_of("Background"), Some(Role::Lessons));
    assert!(names.names_of(Role::Cause).any(|n| n == "why it broke"));
}

#[test]
fn role_keys_round_trip() {
    for r in Role::ALL {
        assert_eq!(Role::from_key(r.key()), Some(r));
    }
    assert_eq!(Role::from_key("root_cause"), None);
}

#[test]
fn letters_apart_never_exceeds_the_edit_distance() {
    // Every name against misspellings of names and against titles: the
    // bound may skip a name only when the distance is larger still.
    let names = SectionNames::default();
    let mut words: Vec<String> = names.compact.iter().map(|(c, _, _)| c.clone()).collect();
    for (c, _, _) in &names.compact {
        let mut swapped: Vec<char> = c.chars().collect();
        if swapped.len() > 3 {
            let cut: String = swapped.iter().take(swapped.len() - 1).collect();
            words.push(format!("{cut}x"));
            swapped.swap(1, 2);
            words.push(swapped.into_iter().collect());
        }
    }
    words.extend(["baddeployinledgersvc", "rootcuase", "timelnie", "", "a"].map(String::from));
    for a in &words {
        for b in names.compact.iter().map(|(c, _, _)| c) {
            assert!(letters_apart(a, b) <= strsim::osa_distance(a, b), "{a} / {b}");
        }
    }
    assert_eq!(letters_apart("rootcuase", "rootcause"), 0);
    assert_eq!(letters_apart("timeline", "timelines"), 1);
    assert_eq!(letters_apart("abc", "xyz"), 3);
    assert_eq!(letters_apart("überblick", "uberblick"), 0, "no bound off ASCII");
    assert_eq!(role("Root cuase"), Some(Role::Cause));
    assert_eq!(role("Timelnie"), Some(Role::Timeline));
}

#[test]
fn the_ascii_normal_form_is_the_normal_form() {
    let mut headings: Vec<String> = [
        "2. Timeline",
        "IV. Impact",
        "iv) scope",
        "a) Summary",
        "5 Whys",
        "3: Impact",
        "3 - Impact",
        "3 -Impact",
        "24-7 Support",
        "R&D",
        "&",
        "a&&b",
        "& more",
        "Impact (UTC)",
        "(draft)",
        "x (a) (b)",
        "  Root   cause  ",
        "Root cause (draft) more",
        "",
        "   ",
        "x)",
        "1.",
        "1. ",
        "Summary:",
        "3 ",
        "\u{b}Timeline\u{b}",
        "XIV. Lessons",
        "xvii. Lessons",
        "A. B",
        "10) Ten",
        "Q&A (notes)",
        "What went well?!",
        "__init__ fails",
        "##",
    ]
    .map(String::from)
    .to_vec();
    let names = SectionNames::default();
    headings.extend(names.names.iter().map(|(n, _)| n.clone()));
    // Every heading line of the fixture archives.
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for entry in walkdir::WalkDir::new(fixtures).into_iter().flatten() {
        if entry.path().extension().is_some_and(|e| e == "md") {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            headings.extend(
                text.lines()
                    .filter(|l| l.starts_with('#'))
                    .map(|l| l.trim_start_matches('#').into()),
            );
        }
    }
    let ascii: Vec<&String> = headings.iter().filter(|h| h.is_ascii()).collect();
    assert!(ascii.len() > 500, "{}", ascii.len());
    for h in ascii {
        assert_eq!(normal_form(h), any_normal_form(h), "{h:?}");
    }
    assert_eq!(normal_form("2. Root Cause (draft)"), "root cause");
    assert_eq!(normal_form("Q&A"), "q and a");
}

#[test]
fn a_heading_numbering_an_incident_heads_a_log_entry() {
    for heading in
        ["INCIDENTE 001", "Incident #3: DNS", "Vorfall Nr. 2", "incident 12 - disk", "Outage 4"]
    {
        assert!(super::numbers_an_incident(heading), "{heading}");
    }
    for heading in ["Incident response", "Incident summary", "Incidents", "Outage window", "Step 2"]
    {
        assert!(!super::numbers_an_incident(heading), "{heading}");
    }
    // A log numbered so is a log: one level of numbered headings, most of
    // its level.
    let headings = [
        (1, "Postmortems"),
        (1, "INCIDENTE 001"),
        (2, "Resumo"),
        (1, "INCIDENTE 002"),
        (2, "Resumo"),
        (1, "INCIDENTE 003"),
    ];
    let marks = super::dated_headings(headings.into_iter(), &SectionNames::default());
    assert_eq!(super::log_level(&marks), Some((1, 3)));
}

//! Tests of config.

use super::*;
use crate::sections::Role;

fn parse(text: &str) -> Result<Config> {
    Config::parse(text, Path::new("hindsight.toml"))
}

#[test]
fn empty_file_gives_defaults() {
    let config = parse("").unwrap();
    assert_eq!(config, Config::default());
    assert_eq!(config.severity_rank("sev1"), Some(1));
    assert_eq!(config.severity_rank("p4"), Some(4));
    assert_eq!(config.severity_rank("P9"), None);
    for (written, rank) in [
        ("Sev 1", 1),
        ("SEV_2", 2),
        ("S1", 1),
        ("Severity 3", 3),
        ("priority: 0", 0),
        ("1", 1),
        ("high", 1),
        ("Critical", 0),
    ] {
        assert_eq!(config.severity_rank(written), Some(rank), "{written}");
    }
    for unknown in ["Sev 9", "cosmic", "sev1a", "2024", ""] {
        assert_eq!(config.severity_rank(unknown), None, "{unknown}");
    }
    assert_eq!(config.status("Resolved"), Some("resolved"));
    assert_eq!(config.status("Closed"), Some("resolved"));
    assert_eq!(config.status("In Progress"), Some("investigating"));
    assert_eq!(config.status("in-progress"), Some("investigating"));
    assert_eq!(config.status("mitigated"), Some("monitoring"));
    assert_eq!(config.status("Resolved ✅"), Some("resolved"));
    assert_eq!(config.status("closed - fixed"), Some("resolved"));
    assert_eq!(config.status("Postmortem complete"), Some("resolved"));
    assert_eq!(config.status("Mitigated, in progress"), None);
    // A later clause about the follow-up work leaves the first one to say.
    assert_eq!(config.status("Complete, action items in progress"), Some("resolved"));
    assert_eq!(config.status("Resolved (postmortem in review)"), Some("resolved"));
    assert_eq!(config.status("In progress; RCA pending"), Some("investigating"));
    assert_eq!(config.status("not resolved"), None);
    assert_eq!(config.status("draft"), None);
    assert_eq!(config.status("postponed"), None);
    // A review that is over says the incident is.
    assert_eq!(config.status("Final"), Some("resolved"));
    assert_eq!(config.status("Published"), Some("resolved"));
    assert_eq!(config.status("Postmortem approved"), Some("resolved"));
    // In other languages.
    for resolved in ["Behoben", "Résolu", "Resuelto", "Resolvido", "解決済み", "已解决"] {
        assert_eq!(config.status(resolved), Some("resolved"), "{resolved}");
    }
    assert_eq!(config.status("En cours"), Some("investigating"));
    assert_eq!(config.status("offen"), Some("open"));
}

#[test]
fn unknown_key_is_an_error_naming_it_and_its_line() {
    let err = parse("title = \"x\"\ntitel = \"y\"\n").unwrap_err();
    let Error::Config { line, message, .. } = &err else { panic!("{err:?}") };
    assert_eq!(*line, Some(2));
    assert!(message.contains("titel"), "{message}");
}

#[test]
fn bad_values_name_their_key() {
    for (text, key) in [
        ("[[severity]]\nname = \"P1\"\ncolor = \"red\"\n", "severity[0].color"),
        ("required_fields = [\"tittle\"]", "required_fields"),
        ("[related]\nk = 0", "related.k"),
        ("[related]\nmin_score = 2.0", "related.min_score"),
        ("theme = \"../x\"", "theme"),
        ("default_severity = \"P9\"", "default_severity"),
        ("[fields]\nstart = [\"start_time\"]", "fields.start"),
        ("[fields]\ndate = []", "fields.date"),
        ("base_url = \"ftp://x\"", "base_url"),
        ("[lints]\nfuture-dates = \"off\"", "future-dates"),
        ("[lints]\nfuture-date = \"loud\"", "loud"),
        ("repo_url = \"git@x:y\"", "repo_url"),
        ("[lint_settings]\nrequired_sections_for = [\"P7\"]", "required_sections_for"),
        ("[wikilinks.external]\n\"runbook-\" = \"https://x\"", "wikilinks.external"),
        // Issue 26: script and data URLs are refused, however written.
        ("[wikilinks.external]\n\"js-\" = \"javascript:{name}\"", "wikilinks.external"),
        ("[wikilinks.external]\n\"js-\" = \" JaVa\\tScript:x({name})\"", "js-"),
        ("[wikilinks.external]\n\"d-\" = \"data:text/html,{name}\"", "d-"),
    ] {
        let err = parse(text).unwrap_err().to_string();
        assert!(err.contains(key), "{text:?} -> {err}");
    }
}

#[test]
fn issue_26_safe_external_templates_are_accepted() {
    for template in [
        "https://rb.example/{name}",
        "mailto:{name}@example.com",
        "/runbooks/{name}",
        "rb/{target}",
    ] {
        let text = format!("[wikilinks.external]\n\"p-\" = {template:?}");
        assert!(parse(&text).is_ok(), "{template}");
    }
}

#[test]
fn wrong_type_is_an_error_with_line() {
    let err = parse("title = \"x\"\nfeed_limit = \"ten\"\n").unwrap_err();
    let Error::Config { line, .. } = &err else { panic!("{err:?}") };
    assert_eq!(*line, Some(2));
}

#[test]
fn lint_levels_default_and_override() {
    use crate::diag::Level;
    let config = parse("[lints]\nfuture-date = \"error\"\nduplicate-title = \"off\"\n").unwrap();
    assert_eq!(config.lints.level("future-date"), Some(Level::Error));
    assert_eq!(config.lints.level("duplicate-title"), None);
    assert_eq!(config.lints.level("empty-section"), Some(Level::Warning));
    assert_eq!(config.lints.level("required-field"), Some(Level::Error));
}

#[test]
fn a_level_written_with_its_label_is_that_level() {
    let config = Config::default();
    let rank = |v: &str| config.severity_rank(v).map(|r| config.severity[r].name.as_str());
    assert_eq!(rank("P2 - Major"), Some("P2"));
    assert_eq!(rank("SEV1 (critical)"), Some("P1"));
    assert_eq!(rank("Sev 3: minor"), Some("P3"));
    assert_eq!(rank("P1 – High"), Some("P1"));
    assert_eq!(rank("2"), Some("P2"));
    // A code after the word is the level, whatever the word means on
    // another scale.
    assert_eq!(rank("Major / P2"), Some("P2"));
    assert_eq!(rank("Minor (P4)"), Some("P4"));
    assert_eq!(rank("Critical (SEV-1)"), Some("P1"));
    assert_eq!(rank("Major / whatever"), Some("P1"), "no code: the word");
    // Only the level before the label counts; a word no scale uses or a
    // level the scale lacks is still unknown.
    assert_eq!(rank("(cosmic)"), None);
    assert_eq!(rank("P9 - Cosmic"), None);
    assert_eq!(level_before_label("P2"), None);
}

#[test]
fn other_scales_words_and_decorated_values_are_the_level_they_mean() {
    let config = Config::default();
    let rank = |v: &str| config.severity_rank(v).map(|r| config.severity[r].name.as_str());
    assert_eq!(rank("Major"), Some("P1"));
    assert_eq!(rank("blocker"), Some("P0"));
    assert_eq!(rank("Trivial"), Some("P4"));
    assert_eq!(rank("moderate"), Some("P2"));
    assert_eq!(rank("🔴 Critical"), Some("P0"));
    assert_eq!(rank("*P1*"), Some("P1"));
    assert_eq!(rank("Level 2"), Some("P2"));
    assert_eq!(rank("lvl-3"), Some("P3"));
    // With the word for what the level grades.
    assert_eq!(rank("Major incident"), Some("P1"));
    assert_eq!(rank("high severity"), Some("P1"));
    assert_eq!(rank("Critical Impact"), Some("P0"));
    assert_eq!(rank("huge outage"), None);
    // In other languages.
    assert_eq!(rank("Kritisch"), Some("P0"));
    assert_eq!(rank("Alta"), Some("P1"));
    assert_eq!(rank("高"), Some("P1"));
    assert_eq!(rank("Média"), Some("P2"));
    assert_eq!(rank("niedrig"), Some("P3"));
    for unknown in ["🔴", "huge", "level", "-"] {
        assert_eq!(rank(unknown), None, "{unknown}");
    }
    // A scale's own names and labels come first; a synonym answers only
    // through a level labelled with the word it stands for.
    let text = "[[severity]]\nname = \"major\"\ncolor = \"#b42318\"\n\
                [[severity]]\nname = \"sev-b\"\nlabel = \"High\"\ncolor = \"#b7791f\"\n";
    let custom = parse(text).unwrap();
    let custom_rank = |v: &str| custom.severity_rank(v).map(|r| custom.severity[r].name.as_str());
    assert_eq!(custom_rank("Major"), Some("major"));
    assert_eq!(custom_rank("urgent"), Some("sev-b"));
    assert_eq!(custom_rank("trivial"), None);
}

/// See #23: a custom scale never trips over defaults naming P0..P2.
#[test]
fn issue_23_custom_severity_scale_needs_no_other_setting() {
    let text = "[[severity]]\nname = \"down\"\ncolor = \"#b42318\"\n\
                [[severity]]\nname = \"disrupted\"\ncolor = \"#b7791f\"\n\
                [[severity]]\nname = \"notice\"\ncolor = \"#2f6fb3\"\n";
    let config = parse(text).unwrap();
    assert_eq!(config.required_sections_severities(), ["down", "disrupted"]);
    assert_eq!(Config::default().required_sections_severities(), ["P0", "P1", "P2"]);
}

#[test]
fn archive_shape_keys_are_checked() {
    for (text, key) in [
        ("content_dir = \"../x\"", "content_dir"),
        ("exclude = [\"a[\"]", "exclude"),
        ("timezone = \"Mars/Olympus\"", "timezone"),
        ("[sections]\nroot_cause = [\"Why\"]", "sections.root_cause"),
        ("[values.colour]\nx = \"y\"", "values.colour"),
    ] {
        let err = parse(text).unwrap_err().to_string();
        assert!(err.contains(key), "{text:?} -> {err}");
    }
    let ok = parse(
        "content_dir = \"_posts\"\ntimezone = \"CET\"\n[sections]\ncause = [\"Why it broke\"]\n",
    )
    .unwrap();
    assert_eq!(ok.section_names().role_of("Why it broke"), Some(Role::Cause));
}

#[test]
fn duplicate_severity_alias_is_rejected() {
    let text = "[[severity]]\nname = \"P1\"\ncolor = \"#000000\"\naliases = [\"p2\"]\n\
                [[severity]]\nname = \"P2\"\ncolor = \"#000000\"\n";
    assert!(parse(text).unwrap_err().to_string().contains("used by levels 0 and 1"));
}

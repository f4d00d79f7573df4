//! Recurrences the write-ups state themselves: "a recurrence of
//! [[PIR-031]]", "the same failure as [last March](2023-03-02.md)", or a
//! `recurring` tag on an incident that links to an earlier one. The
//! people who wrote the archive know its repeats better than any
//! similarity does, and a repeat written in new words (the other side of
//! a certificate this time) may share too little text to be found.
//!
//! Inputs: the incidents (tags, and each link's sentence) and the link
//! stage's targets. Output: per incident, the earlier incidents it says it
//! recurs. Imports: model.

use rayon::prelude::*;

use crate::model::{Incident, IncidentIdx, LinkTable, LinkTarget};

/// Per incident, the incidents dated before it that it says it recurs,
/// in the order its links are written: those whose link stands in a
/// sentence that says so ([`says_recurrence`]), and, when a tag marks the
/// incident as a repeat ([`marks_recurrence`]), every incident it links
/// to. An undated incident states nothing: "earlier" needs a date.
pub(super) fn stated_recurrences(
    incidents: &[Incident],
    links: &LinkTable,
) -> Vec<Vec<IncidentIdx>> {
    incidents
        .par_iter()
        .enumerate()
        .map(|(i, incident)| {
            let i = IncidentIdx::new(i);
            let Some(mine) = incident.date else { return Vec::new() };
            let tagged = incident.tags.iter().any(|t| marks_recurrence(t));
            let targets = i.of(&links.targets).map_or(&[][..], Vec::as_slice);
            let mut earlier: Vec<IncidentIdx> = Vec::new();
            // Each once, in the order first named: a set, as a write-up may
            // link thousands.
            let mut seen = std::collections::HashSet::new();
            for (link, target) in incident.doc.outline.links.iter().zip(targets) {
                let LinkTarget::Incident { index, .. } = *target else { continue };
                let before = index.of(incidents).and_then(|x| x.date).is_some_and(|d| d < mine);
                if before
                    && index != i
                    && !seen.contains(&index)
                    && (tagged
                        || in_recurrence_section(&incident.doc.outline, link)
                        || says_recurrence(&link.context))
                {
                    seen.insert(index);
                    earlier.push(index);
                }
            }
            earlier
        })
        .collect()
}

/// Whether a write-up says its failure is not an earlier one's again: "it
/// turned out to be another root cause than seen on June 30", "not a
/// recurrence". Its likeness to that incident is then the system's, not
/// the failure's. Asked only of a write-up about to be called a
/// recurrence, so its text is read for a few incidents, not for all.
pub(super) fn denies_recurrence(incident: &Incident) -> bool {
    let body = incident.doc.source.text.get(incident.doc.body.clone()).unwrap_or_default();
    denial().is_match(body)
}

/// The sentences [`denies_recurrence`] looks for, in any case, however
/// the lines break them.
fn denial() -> &'static regex::Regex {
    static DENIAL: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    DENIAL.get_or_init(|| {
        const DENIALS: [&str; 8] = [
            "another root cause",
            "different root cause",
            "a different cause",
            "not a recurrence",
            "not a repeat",
            "unrelated to the previous",
            "unrelated to the earlier",
            "different from the previous incident",
        ];
        let words: Vec<String> =
            DENIALS.iter().map(|d| d.split(' ').collect::<Vec<_>>().join(r"\s+")).collect();
        #[allow(clippy::expect_used, reason = "a fixed pattern, tested")]
        regex::Regex::new(&format!(r"(?i-u)\b(?:{})\b", words.join("|")))
            .expect("valid denial pattern")
    })
}

/// Whether `link` stands in the write-up's "Recurrence" section (as the
/// Atlassian template has one) in a sentence that does not deny it: there,
/// an earlier incident named is one it recurs.
fn in_recurrence_section(outline: &crate::model::Outline, link: &crate::model::WikiLink) -> bool {
    let at = link.span.start;
    outline.recurrence_spans.iter().any(|span| span.contains(&at)) && !denies(&link.context)
}

/// Whether a tag marks its incident as a repeat: `recurring`,
/// `recurrence`, `repeat-incident`, `reoccurring`, ...
pub(super) fn marks_recurrence(tag: &str) -> bool {
    let tag: String =
        tag.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect();
    let tag = tag.strip_suffix("incident").unwrap_or(&tag);
    ["recurring", "recurrence", "recurrent", "reoccurring", "reoccurrence", "repeat", "repeated"]
        .contains(&tag)
}

/// Whether a sentence says that the incident it links to happened before:
/// a word of recurring ("recurrence", "recurred", "reoccurred"), "a repeat
/// of", "the second time", "happened (failed, broke, ...) again", "the
/// same failure (issue, outage, root cause, ...) as", "a duplicate of".
/// English only; the words are matched whole, so "repeated retries",
/// "duplicate messages" or "DNS again" say nothing, and a sentence that
/// denies ("not the same failure as", "unlike") says nothing either. A
/// clause after a colon, semicolon or dash is a sentence of its own: "a
/// recurrence of X: the fix covered backfills, not migrations" says so.
pub(super) fn says_recurrence(sentence: &str) -> bool {
    sentence.split([':', ';', '\u{2014}']).any(clause_says_recurrence)
}

fn clause_says_recurrence(sentence: &str) -> bool {
    let lower = sentence.to_lowercase().replace('\u{2019}', "'");
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .map(|w| w.trim_matches('\''))
        .filter(|w| !w.is_empty())
        .collect();
    if denies(sentence) {
        return false;
    }
    let pairs = words.iter().zip(words.iter().skip(1));
    words.iter().any(|w| w.starts_with("recurr") || w.starts_with("reoccur"))
        || pairs.clone().any(|(a, b)| match (*a, *b) {
            ("repeat" | "duplicate", "of") => true,
            ("second" | "third" | "fourth" | "fifth", "time") => true,
            (verb, "again") => AGAIN_AFTER.contains(&verb),
            ("same", noun) => SAME_WHAT.contains(&noun),
            _ => false,
        })
}

/// Whether a sentence denies what it would say: it holds "not", "never",
/// "no", "unlike", "unrelated" or a word ending in "n't".
fn denies(sentence: &str) -> bool {
    let lower = sentence.to_lowercase().replace('\u{2019}', "'");
    lower
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .map(|w| w.trim_matches('\''))
        .any(|w| ["not", "never", "no", "unlike", "unrelated"].contains(&w) || w.ends_with("n't"))
}

/// The verbs "again" follows when it says a failure happened before.
const AGAIN_AFTER: [&str; 9] =
    ["happened", "occurred", "failed", "broke", "expired", "crashed", "struck", "hit", "recurred"];

/// What "the same ..." names when it says a failure happened before.
const SAME_WHAT: [&str; 10] =
    ["failure", "issue", "problem", "outage", "incident", "bug", "cause", "root", "fault", "error"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_that_say_a_failure_happened_before() {
        for yes in [
            "This is a recurrence of PIR-031.",
            "It happened again, as in March.",
            "The certificate expired again.",
            "Same issue as last week’s outage",
            "Same root cause as the checkout outage.",
            "It recurred despite the fix from last year.",
            "A repeat of the DNS incident",
            "The second time the certificate expired on us.",
            "Reoccurred after the rollback",
            "This was the same failure as before",
            "A recurrence of the backfill lag: the throttle covered backfills, not migrations.",
        ] {
            assert!(says_recurrence(yes), "{yes}");
        }
        for no in [
            "See the runbook.",
            "Retries were repeated until the queue drained.",
            "Duplicate messages reached the consumer.",
            "The same team owns both services.",
            "Time to detect was the second longest this year.",
            "Related: the migration plan",
            "First guess was DNS again (after the resolver outage the week before).",
            "This is not the same failure as the 2023 expiry.",
            "It wasn't a recurrence of the March outage.",
            "Unlike the pool incident, nothing recurred.",
            "Not a recurrence; a new failure of the same pool.",
            "",
        ] {
            assert!(!says_recurrence(no), "{no}");
        }
    }

    #[test]
    fn tags_that_mark_a_repeat() {
        for yes in
            ["recurring", "Recurrence", "repeat-incident", "re-occurring", "recurring_incident"]
        {
            assert!(marks_recurrence(yes), "{yes}");
        }
        for no in ["certificate", "recurring-cost", "incident", "repeatable", ""] {
            assert!(!marks_recurrence(no), "{no}");
        }
    }
}

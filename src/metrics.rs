//! Time metrics of incidents: phases recognised in the typed timeline, the
//! derived times to detect, mitigate and resolve, and the percentiles the
//! stats page aggregates them with.
//!
//! Layer 2, pure derivations: inputs are [`Incident`]s (their typed
//! `timeline`, `started_at` and `duration_minutes`), outputs are plain
//! values; no IO, no rendering. Imports: model only.

use jiff::civil::DateTime;
use serde::Serialize;

use crate::model::{Incident, TimelineEntry};

/// A stage of incident response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Phase {
    /// Someone or something noticed: an alert fired, a page, a report.
    Detected,
    /// A responder acknowledged and started working on it.
    Responded,
    /// The impact stopped or was worked around.
    Mitigated,
    /// The incident was closed.
    Resolved,
}

impl Phase {
    /// Every phase, in the order incidents go through them.
    pub(crate) const ALL: [Phase; 4] =
        [Phase::Detected, Phase::Responded, Phase::Mitigated, Phase::Resolved];

    /// Lower-case name, also the CSS class suffix.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Phase::Detected => "detected",
            Phase::Responded => "responded",
            Phase::Mitigated => "mitigated",
            Phase::Resolved => "resolved",
        }
    }

    /// Words in an event that mark the phase, matched against the
    /// lower-cased event: first the words that name the phase itself
    /// ("mitigation applied"), then weaker hints ("rolled back"), so a
    /// rollback that did not help loses to the later explicit mitigation.
    fn keywords(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Phase::Detected => (
                &[
                    "alert",
                    "alarm",
                    "detected",
                    "detection",
                    // German, Spanish, French, Portuguese, Japanese, Chinese.
                    "erkannt",
                    "detectado",
                    "détecté",
                    "アラート",
                    "検知",
                    "告警",
                ],
                &["paged", "page fired", "pager", "noticed", "reported", "reports", "gemeldet"],
            ),
            Phase::Responded => (
                &["acknowledged", "acked", "responds", "responded", "responding"],
                &[
                    "incident declared",
                    "declared",
                    "joins",
                    "joined",
                    "investigating",
                    "begins investigat",
                    "started investigat",
                    "incident commander",
                    // incident.io's "Accepted at": someone took it on.
                    "accepted",
                ],
            ),
            Phase::Mitigated => (
                &["mitigat", "mitigiert", "entschärft", "mitigado", "atténué", "緩和", "缓解"],
                &[
                    "rollback",
                    "rolled back",
                    "roll back",
                    "failover",
                    "failed over",
                    "workaround",
                    "restored",
                    "recovered",
                    "drained",
                    "scaled up",
                    "reverted",
                    // incident.io's "Fixed at": the fix is out, before the
                    // incident is declared resolved.
                    "fixed",
                    // A status page's "Monitoring" update.
                    "monitoring -",
                    "monitoring:",
                    "monitoring –",
                    "monitoring —",
                    "fix has been implemented",
                    "fix has been deployed",
                    "fix was deployed",
                    "fix is out",
                    "deployed a fix",
                    // The same hints in other languages.
                    "zurückgesetzt",
                    "zurückgerollt",
                    "wiederhergestellt",
                    "revertido",
                    "restablecido",
                    "restaurado",
                    "rétabli",
                    "復旧",
                    "切り戻",
                    "回滚",
                ],
            ),
            Phase::Resolved => (
                &[
                    "resolved",
                    "resolution",
                    "behoben",
                    "gelöst",
                    "resuelto",
                    "résolu",
                    "resolvido",
                    "解決",
                    "解决",
                    "해결",
                ],
                // The Google SRE template marks the end of impact.
                &[
                    "all clear",
                    "closed",
                    "incident over",
                    "fully recovered",
                    "outage ends",
                    "outage ended",
                    "impact ends",
                    "impact ended",
                    "end of outage",
                    "end of impact",
                ],
            ),
        }
    }

    /// The phase's place in [`Phase::ALL`], which lists them in the order
    /// they are declared.
    fn index(self) -> usize {
        self as usize
    }

    /// Per phase (in [`Phase::ALL`] order), 0 when `event` names it
    /// outright, 1 when it only hints at it: the event read once for all.
    fn strengths_in(event: &Words) -> [Option<u8>; 4] {
        Phase::ALL.map(|phase| phase.strength_in(event))
    }

    /// Whether every hint of this phase in `event` is a word `subject`
    /// holds too.
    fn hints_in(self, event: &Words, subject: &Words) -> bool {
        let (_, weak) = self.keywords();
        let hints = weak.iter().filter(|k| event.names(k));
        let mut any = false;
        for hint in hints {
            if !subject.holds(hint) {
                return false;
            }
            any = true;
        }
        any
    }

    /// 0 when `event` names the phase outright, 1 when it only hints at
    /// it.
    fn strength_in(self, event: &Words) -> Option<u8> {
        let (strong, weak) = self.keywords();
        if strong.iter().any(|k| event.names(k)) {
            Some(0)
        } else if weak.iter().any(|k| event.names(k)) {
            Some(1)
        } else {
            None
        }
    }
}

/// True when `text` holds `word` at the start of one of its words (so a
/// stem such as "mitigat" still matches "mitigating"): "ausgelöst" (set
/// off) does not hold "gelöst" (solved), nor "unresolved" "resolved".
/// Words in a script written without spaces (Japanese, Chinese) match
/// anywhere. `starts` are where `text`'s words start ([`word_starts`]).
/// The definition; matching uses [`Words::holds`], which the tests hold
/// to it.
#[cfg(test)]
fn starts_a_word(text: &str, starts: &[usize], word: &str) -> bool {
    if !text.contains(word) {
        return false;
    }
    word.chars().next().is_some_and(crate::text::is_cjk)
        || starts.iter().any(|&at| text.get(at..).is_some_and(|rest| rest.starts_with(word)))
}

/// A text lower-cased, with where its words start: what the phase
/// keywords are matched against.
struct Words {
    lower: String,
    starts: Vec<usize>,
    /// The bytes its words start with, as a set of 256 bits: every event
    /// is asked for some ninety keywords, and most start with a letter no
    /// word of a short event starts with.
    firsts: [u64; 4],
}

impl Words {
    fn of(text: &str) -> Words {
        let lower = text.to_lowercase();
        let starts = word_starts(&lower);
        let mut firsts = [0u64; 4];
        for byte in starts.iter().filter_map(|&at| lower.as_bytes().get(at)) {
            if let Some(bits) = firsts.get_mut(usize::from(byte / 64)) {
                *bits |= 1 << (byte % 64);
            }
        }
        Words { lower, starts, firsts }
    }

    /// Whether a word of the text starts with `byte`.
    fn starts_with_byte(&self, byte: u8) -> bool {
        self.firsts.get(usize::from(byte / 64)).is_some_and(|bits| bits >> (byte % 64) & 1 == 1)
    }

    /// Whether the text holds `word` at the start of one of its words, or
    /// anywhere for a word in a script written without spaces: as
    /// `starts_a_word` says, asking first whether any word starts as
    /// `word` does.
    fn holds(&self, word: &str) -> bool {
        self.holds_where(word, |_| true)
    }

    /// Whether the text holds `word` as [`Words::holds`] does, somewhere
    /// it says what happened ([`Words::unrealised`]): what an event names.
    fn names(&self, word: &str) -> bool {
        self.holds_where(word, |at| !self.unrealised(at))
    }

    /// [`Words::holds`], at a word start `keep` accepts.
    fn holds_where(&self, word: &str, keep: impl Fn(usize) -> bool) -> bool {
        if word.chars().next().is_some_and(crate::text::is_cjk) {
            return self.lower.contains(word);
        }
        let Some(&first) = word.as_bytes().first() else { return !self.starts.is_empty() };
        self.starts_with_byte(first)
            && self.starts.iter().any(|&at| {
                self.lower.as_bytes().get(at) == Some(&first)
                    && self.lower.get(at..).is_some_and(|rest| rest.starts_with(word))
                    && keep(at)
            })
    }

    /// Whether the word at `at` names what did not happen, or has not yet:
    /// "no loss of service was detected", "conflicts waiting to be
    /// resolved", "it should have alerted", "it was being restored". The clause's few words before
    /// it are read, back to a comma or a word that starts another clause.
    fn unrealised(&self, at: usize) -> bool {
        const NOT: [&str; 17] = [
            "no", "not", "never", "without", "nothing", "none", "nobody", "cannot", "pending",
            "awaiting", "waiting", "before", "could", "would", "should", "might", "must",
        ];
        const NEW_CLAUSE: [&str; 6] = ["until", "when", "but", "and", "then", "after"];
        let before = self.lower.get(..at).unwrap_or_default();
        let clause =
            before.rsplit([',', '.', ';', ':', '(', ')', '!', '?']).next().unwrap_or_default();
        let words: Vec<&str> = clause.split_whitespace().collect();
        // "waiting to be resolved", "needs to get mitigated": what is
        // still to come ("appears to be resolved" has come).
        // "while it was being restored", "is being rolled back": under
        // way, not done.
        if words.last() == Some(&"being") {
            return true;
        }
        if let [.., before, "to", "be" | "get"] = words.as_slice() {
            const TO_COME: [&str; 16] = [
                "need", "needs", "needed", "has", "have", "had", "remains", "remain", "waiting",
                "yet", "going", "want", "wants", "wanted", "ought", "left",
            ];
            if TO_COME.contains(before) {
                return true;
            }
        }
        words
            .iter()
            .rev()
            .take(5)
            .take_while(|w| !NEW_CLAUSE.contains(w))
            .any(|w| NOT.contains(w) || w.ends_with("n't") || w.ends_with("n’t"))
    }
}

/// The byte offsets where `text`'s words start: its start, and after each
/// character that is not a letter or digit.
fn word_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut in_word = false;
    for (at, c) in text.char_indices() {
        let letter = c.is_alphanumeric();
        if letter && !in_word {
            starts.push(at);
        }
        // A keyword may start with a mark ("-"), or after one.
        if !letter {
            starts.push(at);
        }
        in_word = letter;
    }
    starts
}

/// When a phase happened, and whether the timeline said so or it was
/// inferred from the other events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) struct PhaseMark {
    /// Which phase.
    pub phase: Phase,
    /// The timeline row it was recognised in (the row it was inferred from
    /// when `inferred`).
    pub row: usize,
    /// When.
    pub at: DateTime,
    /// True when no event named the phase and a rule filled it in.
    pub inferred: bool,
}

/// The time metrics of one incident.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct IncidentMetrics {
    /// Start of impact: `started_at` from the front matter when it is not
    /// after the first phase, else the first timed event.
    pub start: Option<DateTime>,
    /// The first timed event: T+0 of the incident's timeline.
    pub first_event: Option<DateTime>,
    /// Recognised or inferred phases, in phase order.
    pub phases: Vec<PhaseMark>,
    /// Minutes from start to detection.
    pub time_to_detect: Option<i64>,
    /// Minutes from start to mitigation.
    pub time_to_mitigate: Option<i64>,
    /// Minutes from start to resolution.
    pub time_to_resolve: Option<i64>,
    /// Per time above (detect, mitigate, resolve), true when it comes from
    /// a phase the timeline did not name but was inferred.
    pub inferred: [bool; 3],
}

impl IncidentMetrics {
    /// Minutes of impact: `duration_minutes` when given, else the derived
    /// time to resolve.
    pub(crate) fn impact_minutes(&self, incident: &Incident) -> Option<u64> {
        incident
            .duration_minutes
            .or_else(|| self.time_to_resolve.and_then(|m| u64::try_from(m).ok()))
    }
}

/// Whole minutes from `a` to `b` (negative when `b` is earlier).
pub(crate) fn minutes_between(a: DateTime, b: DateTime) -> i64 {
    let seconds = b.duration_since(a).as_secs();
    seconds.div_euclid(60)
}

/// Recognises the phases of a timeline. A phase counts only at or after
/// the phase before it, so a resolution mentioned in passing early on does
/// not end the incident. Missing phases are inferred: detection at the
/// first event, resolution at the last event (when there are at least two),
/// mitigation at resolution. Response is never guessed.
#[cfg(test)]
pub(crate) fn detect_phases(timeline: &[TimelineEntry]) -> Vec<PhaseMark> {
    detect_phases_of(timeline, &String::new)
}

/// [`detect_phases`] of the incident whose title and tags are `title`. A
/// hint they hold names what went wrong, not a phase: in "Database
/// failover flapping" (or tagged `failover`), each "failover" of the
/// timeline is the failure again, not its mitigation. Nor is a hint at the
/// first event a mitigation or a resolution: that event is what started
/// the incident.
pub(crate) fn detect_phases_of(
    timeline: &[TimelineEntry],
    title: &dyn Fn() -> String,
) -> Vec<PhaseMark> {
    // Made only when an event hints at a phase: most timelines name theirs.
    let subject = std::cell::OnceCell::new();
    let subject = || subject.get_or_init(|| Words::of(&title()));
    // Each timed event with how strongly it names each phase.
    let mut timed: Vec<(usize, DateTime, [Option<u8>; 4])> = timeline
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let at = e.at?;
            let event = Words::of(&e.event);
            let mut strengths = Phase::strengths_in(&event);
            for phase in [Phase::Mitigated, Phase::Resolved] {
                let Some(slot) = strengths.get_mut(phase.index()) else { continue };
                if *slot == Some(1) && phase.hints_in(&event, subject()) {
                    *slot = None;
                }
            }
            Some((i, at, strengths))
        })
        .collect();
    if timed.len() >= 2 {
        if let Some((_, _, first)) = timed.first_mut() {
            for phase in [Phase::Mitigated, Phase::Resolved] {
                if let Some(slot) = first.get_mut(phase.index()).filter(|s| **s == Some(1)) {
                    *slot = None;
                }
            }
        }
        // Nor is a hint at the last event a detection: nothing followed it
        // ("01:05 reports published" ends a batch's night, it reports no
        // failure).
        if let Some((_, _, last)) = timed.last_mut() {
            if let Some(slot) = last.get_mut(Phase::Detected.index()).filter(|s| **s == Some(1)) {
                *slot = None;
            }
        }
    }
    let mut marks: Vec<PhaseMark> = Vec::new();
    let mut floor: Option<DateTime> = None;
    for phase in Phase::ALL {
        let candidates = || timed.iter().filter(|(_, at, _)| floor.is_none_or(|f| *at >= f));
        let named = |p: Phase| candidates().find(|(_, _, of)| of.get(p.index()) == Some(&Some(0)));
        // A hint that comes after a later phase is named outright is no
        // mark of this one ("writes accepted again" after "Mitigated: …"
        // is no response): it would hide the named phase behind it.
        let later_named_before = |at: DateTime| {
            Phase::ALL.iter().filter(|p| **p > phase).any(|p| named(*p).is_some_and(|n| n.1 < at))
        };
        let found = named(phase).or_else(|| {
            candidates()
                .find(|(_, _, of)| of.get(phase.index()) == Some(&Some(1)))
                .filter(|(_, at, _)| !later_named_before(*at))
        });
        if let Some(&(row, at, _)) = found {
            marks.push(PhaseMark { phase, row, at, inferred: false });
            floor = Some(at);
        }
    }
    let (Some(&(first_row, first_at, _)), Some(&(last_row, last_at, _))) =
        (timed.first(), timed.last())
    else {
        return marks;
    };
    let has = |marks: &[PhaseMark], p: Phase| marks.iter().any(|m| m.phase == p);
    if !has(&marks, Phase::Detected) {
        marks.push(PhaseMark {
            phase: Phase::Detected,
            row: first_row,
            at: first_at,
            inferred: true,
        });
    }
    if !has(&marks, Phase::Resolved) && timed.len() >= 2 {
        marks.push(PhaseMark {
            phase: Phase::Resolved,
            row: last_row,
            at: last_at,
            inferred: true,
        });
    }
    if !has(&marks, Phase::Mitigated) {
        if let Some(resolved) = marks.iter().find(|m| m.phase == Phase::Resolved).copied() {
            marks.push(PhaseMark { phase: Phase::Mitigated, inferred: true, ..resolved });
        }
    }
    marks.sort_by_key(|m| m.phase);
    marks
}

/// True for an event that says the impact begins: "OUTAGE BEGINS",
/// "impact starts", "<START OF OUTAGE>".
fn says_impact_begins(event: &str) -> bool {
    let lower = event.to_lowercase();
    const BEGINS: [&str; 7] = [
        "outage begins",
        "outage began",
        "outage starts",
        "impact begins",
        "impact starts",
        "start of outage",
        "start of impact",
    ];
    BEGINS.iter().any(|words| lower.contains(words))
}

/// Derives the metrics of one incident from its timeline and front matter.
pub(crate) fn incident_metrics(incident: &Incident) -> IncidentMetrics {
    // What the incident is about: its title and its tags.
    let subject = || {
        std::iter::once(incident.title.as_str())
            .chain(incident.tags.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" | ")
    };
    let phases = detect_phases_of(&incident.timeline, &subject);
    let first_event = incident.timeline.iter().find_map(|e| e.at);
    let declared = incident.started_at.map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).datetime());
    // A phase guessed from the first row ("detected (inferred)") says
    // nothing of when the impact began.
    let earliest_phase = phases.iter().filter(|m| !m.inferred).map(|m| m.at).min();
    // An event that says the impact begins (the Google SRE template's
    // "OUTAGE BEGINS") is the start, before a declared one (often when the
    // change that caused it began).
    let begins = incident.timeline.iter().find(|e| says_impact_begins(&e.event)).and_then(|e| e.at);
    // A declared start after the first phase contradicts the timeline; the
    // timeline wins, so no derived time is negative.
    let start = match (begins.or(declared), earliest_phase) {
        (Some(d), Some(p)) if d <= p => Some(d),
        (Some(d), None) => Some(d),
        _ => declared.filter(|&d| earliest_phase.is_none_or(|p| d <= p)).or(first_event),
    };
    // Minutes from the start to `phase`, when the timeline names it
    // (`inferred` false) or when it was inferred (`inferred` true).
    let since_start = |phase: Phase, inferred: bool| {
        let at = phases.iter().find(|m| m.phase == phase && m.inferred == inferred)?.at;
        let minutes = minutes_between(start?, at);
        // A detection guessed at the first row, before the impact began,
        // is at its start.
        let minutes = if inferred { minutes.max(0) } else { minutes };
        (minutes >= 0).then_some(minutes)
    };
    // Times the front matter gives (`detected_at`, as incident tools
    // export them) come first, then the phases the timeline names; then
    // the duration (written, or derived from an end time such as
    // `resolved_at`) and times the body states outright ("Time to
    // detection: 54 minutes"); a phase inferred from the timeline comes
    // last.
    let (fields, stated) = (incident.field_times, incident.doc.outline.stated);
    let minutes = |m: Option<u64>| m.and_then(|m| i64::try_from(m).ok());
    let known = |given: Option<i64>, phase: Phase, stated: Option<i64>| match given
        .or_else(|| since_start(phase, false))
        .or(stated)
    {
        Some(m) => (Some(m), false),
        None => (since_start(phase, true), true),
    };
    let (detect, detect_inferred) =
        known(minutes(fields.detect), Phase::Detected, minutes(stated.detect));
    let (mitigate, mitigate_inferred) =
        known(minutes(fields.mitigate), Phase::Mitigated, minutes(stated.mitigate));
    // The duration first: a stated "time to recovery" is counted from the
    // start in one write-up and from the detection in the next.
    let stated_resolve = minutes(incident.duration_minutes).or_else(|| minutes(stated.resolve));
    let (resolve, resolve_inferred) = known(None, Phase::Resolved, stated_resolve);
    // A guessed mitigation (at the guessed resolution, see `detect_phases`)
    // is never later than the resolution the write-up gives.
    let mitigate = match (mitigate, resolve) {
        (Some(m), Some(r)) if mitigate_inferred => Some(m.min(r)),
        _ => mitigate,
    };
    IncidentMetrics {
        start,
        first_event,
        time_to_detect: detect,
        time_to_mitigate: mitigate,
        time_to_resolve: resolve,
        inferred: [
            detect_inferred && detect.is_some(),
            mitigate_inferred && mitigate.is_some(),
            resolve_inferred && resolve.is_some(),
        ],
        phases,
    }
}

/// `T+0`, `T+12m`, `T+1h05m`, `T+2d3h`; negative offsets as `T-5m`.
pub(crate) fn format_offset(minutes: i64) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let m = minutes.unsigned_abs();
    let body = if m == 0 {
        "0".to_string()
    } else if m < 60 {
        format!("{m}m")
    } else if m < 24 * 60 {
        format!("{}h{:02}m", m / 60, m % 60)
    } else {
        format!("{}d{}h", m / (24 * 60), (m % (24 * 60)) / 60)
    };
    format!("T{sign}{body}")
}

/// The `p`-th percentile (0 < p ≤ 100) by the nearest-rank method: the
/// smallest value with at least `p`% of the values at or below it. Always
/// one of the inputs, so a median of minutes stays whole minutes.
pub(crate) fn percentile(values: &[i64], p: u32) -> Option<i64> {
    if values.is_empty() || p == 0 || p > 100 {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let n = sorted.len();
    let rank = (n * p as usize).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

/// Median and 90th percentile of a set of minutes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Spread {
    /// How many values.
    pub count: usize,
    /// Nearest-rank median.
    pub median: Option<i64>,
    /// Nearest-rank 90th percentile.
    pub p90: Option<i64>,
}

impl Spread {
    /// The spread of `values`.
    pub(crate) fn of(values: &[i64]) -> Spread {
        Spread { count: values.len(), median: percentile(values, 50), p90: percentile(values, 90) }
    }
}

#[cfg(test)]
mod tests;

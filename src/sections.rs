//! Section roles: which part of a postmortem a heading opens (summary,
//! timeline, cause, impact, detection, resolution, lessons, action items),
//! under the names the common templates give them.
//!
//! Layer 1, pure data. This is the one place headings are recognised: the
//! body scan (summary, timeline and action-item tables, the text of each
//! section), the required-section lint, `import`, `adopt` and the related
//! stage all ask [`SectionNames::role_of`]. Archives add their own spellings
//! under `[sections]` in hindsight.toml.
//!
//! Recognition, in order: the heading's normal form (lower case, numbering,
//! punctuation and a trailing parenthesis dropped) equals a name; it starts
//! with a name followed by a space ("Root cause analysis"); it equals a
//! name once spaces are removed ("Time line"); it is one edit from a name of
//! five letters or more, two from one of twelve or more ("Sumary", "Root
//! Cuase"). Names from the configuration are tried before the defaults.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

mod names;
#[cfg(test)]
mod tests;

use self::names::{DEFAULT_NAMES, OTHER_LANGUAGE_NAMES, RECURRENCE_NAMES, RELATED_NAMES};

/// The part of a postmortem a section holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// What happened, in a paragraph.
    Summary,
    /// Times and events.
    Timeline,
    /// Root causes, contributing factors, trigger, fault.
    Cause,
    /// Who and what was affected.
    Impact,
    /// How the problem was noticed.
    Detection,
    /// How it was mitigated, fixed and recovered.
    Resolution,
    /// What went well and badly, lessons learned.
    Lessons,
    /// Follow-up work.
    ActionItems,
}

impl Role {
    /// Every role, in the order a postmortem usually has them.
    pub const ALL: [Role; 8] = [
        Role::Summary,
        Role::Timeline,
        Role::Cause,
        Role::Impact,
        Role::Detection,
        Role::Resolution,
        Role::Lessons,
        Role::ActionItems,
    ];

    /// The key under `[sections]` in hindsight.toml.
    pub fn key(self) -> &'static str {
        match self {
            Role::Summary => "summary",
            Role::Timeline => "timeline",
            Role::Cause => "cause",
            Role::Impact => "impact",
            Role::Detection => "detection",
            Role::Resolution => "resolution",
            Role::Lessons => "lessons",
            Role::ActionItems => "action_items",
        }
    }

    /// The role a `[sections]` key names.
    pub fn from_key(key: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == key)
    }
}

/// Headings longer than this (in bytes, after normalising) are never
/// compared letter by letter: a sentence is not a section name.
const MAX_FUZZY_LEN: usize = 40;

/// Headings longer than this are not read as a section name followed by
/// more words ("Impact on customers"): a sentence is not a section.
const MAX_PREFIXED_LEN: usize = 64;

/// The names every role goes by: the defaults plus the archive's own.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionNames {
    /// Normal form → role, for the exact and prefix tests.
    exact: HashMap<String, Role>,
    /// Every name in normal form, configured ones first; the prefix and
    /// edit-distance tests walk it in order.
    names: Vec<(String, Role)>,
    /// The same names without spaces, with the edits each may be off by,
    /// computed once: headings are compared with them by the thousand.
    compact: Vec<(String, Role, usize)>,
    /// Tells this set of names from any other in the per-thread memo.
    id: u64,
}

/// Headings remembered per thread, with the role they were given.
const MEMO_SIZE: usize = 4096;

thread_local! {
    /// An archive's template repeats its headings in every file: the
    /// letter-by-letter comparison of a heading no name matches exactly is
    /// made once per thread and names, not once per file.
    static MEMO: std::cell::RefCell<HashMap<(u64, String), Option<Role>>> =
        std::cell::RefCell::new(HashMap::new());
}

impl Default for SectionNames {
    fn default() -> Self {
        SectionNames::new(&BTreeMap::new())
    }
}

impl SectionNames {
    /// The default names plus `extra` (`[sections]`: role key → names);
    /// unknown role keys are ignored here (the configuration refuses them).
    pub fn new(extra: &BTreeMap<String, Vec<String>>) -> Self {
        let mut names: Vec<(String, Role)> = Vec::new();
        for (key, list) in extra {
            let Some(role) = Role::from_key(key) else { continue };
            names.extend(list.iter().map(|n| (normal_form(n), role)));
        }
        for (role, list) in DEFAULT_NAMES.iter().chain(OTHER_LANGUAGE_NAMES) {
            names.extend(list.iter().map(|n| (normal_form(n), *role)));
        }
        names.retain(|(n, _)| !n.is_empty());
        let mut exact = HashMap::with_capacity(names.len());
        for (name, role) in &names {
            exact.entry(name.clone()).or_insert(*role);
        }
        let compact = names
            .iter()
            .map(|(name, role)| {
                let c: String = name.chars().filter(|c| *c != ' ').collect();
                let allowed = match c.chars().count() {
                    0..=4 => 0,
                    5..=11 => 1,
                    _ => 2,
                };
                (c, *role, allowed)
            })
            .collect();
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let id = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        SectionNames { exact, names, compact, id }
    }

    /// The role of a section opened by a heading with this text, if any.
    pub fn role_of(&self, heading: &str) -> Option<Role> {
        let h = normal_form(heading);
        if h.is_empty() {
            return None;
        }
        if let Some(role) = self.exact.get(&h) {
            return Some(*role);
        }
        // A sentence is no heading name: answered without the memo, which
        // a title per file would otherwise fill and flush.
        if h.len() > MAX_PREFIXED_LEN {
            return None;
        }
        let key = (self.id, h);
        if let Some(known) = MEMO.with(|m| m.borrow().get(&key).copied()) {
            return known;
        }
        let role = self.role_of_other(&key.1);
        MEMO.with(|m| {
            let mut memo = m.borrow_mut();
            if memo.len() >= MEMO_SIZE {
                memo.clear();
            }
            memo.insert(key, role);
        });
        role
    }

    /// Whether `heading` names a section only as its first words and then
    /// a subject of its own ("Summary of the cache stampede",
    /// "Retrospective: Order queue stalled"), where "Root cause analysis"
    /// or "Lessons learned from this incident" add only a template's
    /// words. Opening a file as its `# ` heading, such a heading is the
    /// write-up's title.
    pub fn names_a_subject(&self, heading: &str) -> bool {
        /// Words a template adds to a section's name.
        const TEMPLATE_WORDS: &[&str] = &[
            "a", "an", "analysis", "and", "event", "events", "for", "from", "in", "incident",
            "issue", "of", "on", "our", "outage", "report", "review", "the", "this", "that",
        ];
        let h = normal_form(heading);
        if self.exact.contains_key(&h) {
            return false;
        }
        let prefixed = self.longest_name_opening(&h).map(|(name, _)| name.len());
        let rest = prefixed.and_then(|at| h.get(at..)).unwrap_or_default();
        rest.split(' ').any(|w| !w.is_empty() && !TEMPLATE_WORDS.contains(&w))
    }

    /// The longest section name the normal form `h` opens with as whole
    /// words, and more after it ("root cause" of "root cause analysis").
    fn longest_name_opening(&self, h: &str) -> Option<&(String, Role)> {
        self.names
            .iter()
            .filter(|(n, _)| h.len() > n.len() && h.starts_with(n.as_str()))
            .filter(|(n, _)| h.as_bytes().get(n.len()) == Some(&b' '))
            .max_by_key(|(n, _)| n.len())
    }

    /// [`Self::role_of`] for a normal form no name equals: the prefix and
    /// edit-distance tests.
    fn role_of_other(&self, h: &str) -> Option<Role> {
        // "Root cause analysis", "Impact on customers": the longest name
        // the heading starts with.
        if let Some((_, role)) = self.longest_name_opening(h) {
            return Some(*role);
        }
        if h.len() > MAX_FUZZY_LEN {
            return None;
        }
        let compact: String = h.chars().filter(|c| *c != ' ').collect();
        let mut best: Option<(usize, Role)> = None;
        for (name, role, allowed) in &self.compact {
            if *name == compact {
                return Some(*role);
            }
            // Lengths further apart than the allowed edits cannot match,
            // nor can letters that differ by more (nearly every name, for
            // a heading that is a write-up's title).
            if *allowed == 0
                || compact.len().abs_diff(name.len()) > *allowed
                || letters_apart(&compact, name) > *allowed
            {
                continue;
            }
            let distance = strsim::osa_distance(&compact, name);
            if distance <= *allowed && best.is_none_or(|(d, _)| distance < d) {
                best = Some((distance, *role));
            }
        }
        best.map(|(_, role)| role)
    }

    /// Every name `role` goes by, in normal form, for `adopt` and the docs.
    pub fn names_of(&self, role: Role) -> impl Iterator<Item = &str> {
        self.names.iter().filter(move |(_, r)| *r == role).map(|(n, _)| n.as_str())
    }
}

/// A lower bound of the edits between `a` and `b`: how many more of some
/// letters one has than the other, on the side with more (each insertion,
/// deletion or substitution changes that by one at most; a transposition
/// leaves it). Counted over ASCII bytes; 0, no bound, when either is not
/// ASCII. Costs a pass over each, where the edit distance costs their
/// product and an allocation.
fn letters_apart(a: &str, b: &str) -> usize {
    if !a.is_ascii() || !b.is_ascii() {
        return 0;
    }
    let mut counts = [0i32; 128];
    for byte in a.bytes() {
        if let Some(n) = counts.get_mut(usize::from(byte)) {
            *n += 1;
        }
    }
    for byte in b.bytes() {
        if let Some(n) = counts.get_mut(usize::from(byte)) {
            *n -= 1;
        }
    }
    let (mut more_in_a, mut more_in_b) = (0usize, 0usize);
    for n in counts {
        if n > 0 {
            more_in_a += n.unsigned_abs() as usize;
        } else {
            more_in_b += n.unsigned_abs() as usize;
        }
    }
    more_in_a.max(more_in_b)
}

/// Whether `heading` opens the section that says whether the failure
/// happened before ("Recurrence", "Has this happened before?").
pub(crate) fn is_recurrence_heading(heading: &str) -> bool {
    // Every heading is asked: its last word spares most of them making a
    // normal form.
    ends_with_word(heading, &["recurrence", "recurrences", "before", "occurrences"])
        && RECURRENCE_NAMES.contains(&normal_form(heading).as_str())
}

/// Whether the last word of `text` (its last run of ASCII letters and
/// digits, whatever follows it: `?`, `:`, an emoji) is one of `words`
/// (lower case), whatever its case.
pub(crate) fn ends_with_word(text: &str, words: &[&str]) -> bool {
    // A parenthesis closing it is no part of its name, as in `normal_form`.
    let text = text.trim_end();
    let text = match text.rfind('(') {
        Some(open) if open > 0 && text.ends_with(')') => text.get(..open).unwrap_or(text),
        _ => text,
    };
    let bytes = text.trim_end_matches(|c: char| !c.is_ascii_alphanumeric()).as_bytes();
    let start = bytes.iter().rposition(|b| !b.is_ascii_alphanumeric()).map_or(0, |i| i + 1);
    let last = bytes.get(start..).unwrap_or_default();
    words.iter().any(|w| w.as_bytes().eq_ignore_ascii_case(last))
}

/// Whether `heading` opens the write-up's own list of related incidents
/// ("Related Incidents", "See also", "3. Related").
pub(crate) fn is_related_heading(heading: &str) -> bool {
    RELATED_NAMES.contains(&normal_form(heading).as_str())
}

/// An incident log needs at least this many dated entries: two dated
/// headings are as often a write-up's two days.
pub(crate) const MIN_LOG_ENTRIES: usize = 3;

/// The heading level (1 to 3) of an incident log's entries, and how many
/// there are, when `headings` (level, whether its text opens with a date)
/// are a log's: at one level, at least [`MIN_LOG_ENTRIES`] headings open
/// with a date, and they are most of that level's headings. A file that
/// keeps many incidents, each under its dated heading ("## 2024-03-05
/// Checkout errors"), as small teams keep them in a README or a wiki page.
pub(crate) fn log_level(headings: &[(u8, bool)]) -> Option<(u8, usize)> {
    (1..=3).find_map(|level| {
        let at_level = headings.iter().filter(|h| h.0 == level).count();
        let dated = headings.iter().filter(|h| h.0 == level && h.1).count();
        (dated >= MIN_LOG_ENTRIES && 2 * dated > at_level).then_some((level, dated))
    })
}

/// Per heading (level and text, in order): its level, and whether it may
/// head an incident log's entry: its text opens with a date
/// ([`opens_with_date`]) or numbers an incident ([`numbers_an_incident`]),
/// and no Timeline heading above it holds it. The
/// days of a timeline (`### 2019-09-01` under `## Timeline`) are one
/// incident's, however many there are.
pub(crate) fn dated_headings<'h>(
    headings: impl Iterator<Item = (u8, &'h str)>,
    names: &SectionNames,
) -> Vec<(u8, bool)> {
    let mut timeline: Option<u8> = None;
    headings
        .map(|(level, text)| {
            if timeline.is_some_and(|above| level <= above) {
                timeline = None;
            }
            let under_timeline = timeline.is_some();
            if !under_timeline && names.role_of(text) == Some(Role::Timeline) {
                timeline = Some(level);
            }
            (level, !under_timeline && (opens_with_date(text) || numbers_an_incident(text)))
        })
        .collect()
}

/// Whether a heading names a block of fields rather than a part of the
/// write-up: `# Metadata`, `## Document properties`, as exports and
/// templates head the table of date, severity and owner they open with.
pub(crate) fn is_metadata_heading(heading: &str) -> bool {
    matches!(
        normal_form(heading).as_str(),
        "metadata"
            | "meta data"
            | "document metadata"
            | "incident metadata"
            | "postmortem metadata"
            | "properties"
            | "page properties"
            | "document properties"
            | "document information"
            | "document info"
    )
}

/// Whether a heading names an incident by its number, as a log numbers
/// its entries: `INCIDENTE 001`, `Incident #3: DNS`, `Vorfall Nr. 2`.
/// "Incident response" or "Incident summary" names no entry.
pub(crate) fn numbers_an_incident(heading: &str) -> bool {
    let words = heading.trim_start_matches(|c: char| !c.is_alphanumeric());
    let (word, rest) = words.split_once(|c: char| !c.is_alphanumeric()).unwrap_or((words, ""));
    let names_one = matches!(
        word.to_lowercase().as_str(),
        "incident" | "incidente" | "incidencia" | "incidência" | "vorfall" | "störung" | "outage"
    );
    let rest = rest.trim_start_matches([' ', '#', ':', '-', '–']);
    // `Nr. 2`, `No. 3`, `nº 4`: a mark of number before it.
    let marked = ["no.", "nr.", "nº", "n°"].iter().find_map(|mark| {
        let head = rest.get(..mark.len()).filter(|h| h.eq_ignore_ascii_case(mark))?;
        rest.get(head.len()..)
    });
    let rest = marked.map_or(rest, str::trim_start);
    names_one && rest.starts_with(|c: char| c.is_ascii_digit())
}

/// Whether a heading's text opens with a date, after marks such as `[`
/// or `**`: an entry of an incident log. A date with its time of day
/// (`### 2018-10-09 17:15`, `### 2018-10-08 ~18:10`) heads a row of one
/// incident's timeline, not an incident.
pub(crate) fn opens_with_date(heading: &str) -> bool {
    let words = heading.trim_start_matches(|c: char| !c.is_alphanumeric());
    let Some((_, end)) = crate::dates::opening_date(words) else { return false };
    let rest = words.get(end..).unwrap_or_default();
    let rest = rest.trim_start_matches([' ', ',', '~', '@', 'T', '-', '–', '—']);
    let clock = rest.split(|c: char| c.is_whitespace()).next().unwrap_or_default();
    let timed = clock.split_once([':', '.']).is_some_and(|(h, m)| {
        let m = m.get(..2).unwrap_or(m);
        crate::dates::is_clock(h, m)
    });
    !timed
}

/// Whether a heading names the story of the incident ("What happened",
/// "Description"): read for its words as a cause, it still tells a reader
/// what the summary would, so a write-up that has one is not missing its
/// summary.
pub(crate) fn is_narrative(heading: &str) -> bool {
    matches!(
        normal_form(heading).as_str(),
        "what happened" | "description" | "incident description" | "narrative"
    )
}

/// A heading's normal form: lower case, a leading number or letter marker
/// ("2.", "3)", "IV.", "a)") and a trailing parenthesis ("(UTC)") dropped,
/// `&` read as "and", every other run of non-letters one space.
pub(crate) fn normal_form(heading: &str) -> String {
    if heading.is_ascii() { ascii_normal_form(heading) } else { any_normal_form(heading) }
}

/// [`normal_form`] of any text.
fn any_normal_form(heading: &str) -> String {
    let mut h = heading.trim().to_lowercase();
    if let Some(open) = h.rfind('(') {
        if h.trim_end().ends_with(')') && open > 0 {
            h.truncate(open);
        }
    }
    let h = h.replace('&', " and ");
    let mut words: Vec<&str> =
        h.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    if words.len() > 1 && opens_with_marker(heading) {
        words.remove(0);
    }
    words.join(" ")
}

/// [`normal_form`] of ASCII text, in one pass into one string: every
/// heading of every file is asked for its normal form, several times, and
/// nearly all are ASCII.
fn ascii_normal_form(heading: &str) -> String {
    let t = heading.trim();
    let body = match t.rfind('(') {
        Some(open) if open > 0 && t.ends_with(')') => t.get(..open).unwrap_or(t),
        _ => t,
    };
    let mut out = String::with_capacity(body.len() + 4);
    // Words written so far, whether one is being written, and where the
    // first ends in `out`.
    let (mut words, mut in_word, mut first_end) = (0usize, false, 0usize);
    for byte in body.bytes() {
        if byte.is_ascii_alphanumeric() {
            if !in_word {
                if words > 0 {
                    out.push(' ');
                }
                words += 1;
                in_word = true;
            }
            out.push(char::from(byte.to_ascii_lowercase()));
            continue;
        }
        if in_word && words == 1 {
            first_end = out.len();
        }
        in_word = false;
        if byte == b'&' {
            if words > 0 {
                out.push(' ');
            }
            out.push_str("and");
            words += 1;
            if words == 1 {
                first_end = out.len();
            }
        }
    }
    if words > 1 && opens_with_marker(heading) {
        // The marker is the first word: it and the space after it go.
        out.drain(..=first_end);
    }
    out
}

/// Whether `heading` opens with a list marker, which its normal form drops
/// when more words follow: "2. Timeline", "IV. Impact", "a) Summary"; a
/// marker is followed by `.` or `)`, so "5 Whys" keeps its number. A
/// number may also be set off by a colon or a spaced dash ("3: Impact",
/// "3 - Impact", "3 – Impact"), not by a dash inside a word ("24-7 Support").
fn opens_with_marker(heading: &str) -> bool {
    let t = heading.trim_start();
    let marker_len = t.find(|c: char| !c.is_alphanumeric()).unwrap_or(0);
    let (Some(marker), Some(after)) = (t.get(..marker_len), t.get(marker_len..)) else {
        return false;
    };
    if marker.is_empty() {
        return false;
    }
    // Lower case changes an ASCII marker's letters alone, which the tests
    // below read either way.
    let m = if marker.is_ascii() {
        std::borrow::Cow::Borrowed(marker)
    } else {
        std::borrow::Cow::Owned(marker.to_lowercase())
    };
    let numeric = m.chars().all(|c| c.is_ascii_digit());
    let set_off = after.starts_with(':')
        || after
            .strip_prefix(' ')
            .map(str::trim_start)
            .is_some_and(|a| a.strip_prefix(['-', '–', '—']).is_some_and(|a| a.starts_with(' ')));
    let roman =
        m.len() <= 4 && m.chars().all(|c| matches!(c.to_ascii_lowercase(), 'i' | 'v' | 'x'));
    (after.starts_with(['.', ')']) && (numeric || roman || m.chars().count() == 1))
        || (numeric && set_off)
}

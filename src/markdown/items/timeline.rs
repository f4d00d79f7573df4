//! The timeline and stated-time readers: a timeline written as lines
//! ("14:05 pager fires", "2024-03-05 14:05 UTC - failover"), the zone
//! stated for it ("All times in CET"), and times stated outright ("Time
//! to detection: 54 minutes").
//!
//! Pure functions of one line, or one paragraph, of plain text.

use crate::model::StatedTimes;

use super::patterns;

/// A time stated outright, in minutes, and which one it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stated {
    Detect(u64),
    Mitigate(u64),
    Resolve(u64),
    /// "Duration: 6h 33m": start to resolution, always.
    Duration(u64),
}

impl Stated {
    /// Records the time unless the body stated it already. A duration
    /// replaces a time to recovery: that is counted from the start in one
    /// write-up and from the detection in the next.
    pub(crate) fn fill(self, times: &mut StatedTimes) {
        let (slot, minutes) = match self {
            Stated::Detect(m) => (&mut times.detect, m),
            Stated::Mitigate(m) => (&mut times.mitigate, m),
            Stated::Resolve(m) => (&mut times.resolve, m),
            Stated::Duration(m) => {
                times.resolve = Some(m);
                return;
            }
        };
        slot.get_or_insert(minutes);
    }
}

/// "Time to detection: 54 minutes", "MTTR - 2h", "Duration: 1h 30m".
pub(crate) fn parse_stated_time(text: &str) -> Option<Stated> {
    if text.len() > 200 {
        return None;
    }
    let p = patterns();
    let c = p.stated.captures(text)?;
    let what = c[1].to_lowercase();
    let minutes = parse_span_minutes(&c[2])?;
    Some(if what.contains("detect") || what.contains("ack") || what == "mttd" || what == "mtta" {
        Stated::Detect(minutes)
    } else if what.contains("mitigat") || what == "mttm" {
        Stated::Mitigate(minutes)
    } else if what.contains("duration") || what == "downtime" || what.starts_with("length of") {
        Stated::Duration(minutes)
    } else {
        Stated::Resolve(minutes)
    })
}

/// `54 minutes`, `2h`, `1h 30m`, `1 hour 5 minutes`, `1.5 hours`, `2 days`.
pub(crate) fn parse_span_minutes(text: &str) -> Option<u64> {
    let p = patterns();
    let text = text.trim();
    let mut total = 0.0_f64;
    let mut found = false;
    let mut last_end = 0;
    for c in p.span.captures_iter(text) {
        let whole = c.get(0)?;
        // Spans must follow each other ("1h 30m"), not sit in a sentence.
        if !text.get(last_end..whole.start())?.trim().trim_matches(',').trim().is_empty()
            && !text.get(last_end..whole.start())?.trim().eq_ignore_ascii_case("and")
        {
            break;
        }
        let n: f64 = c[1].parse().ok()?;
        let unit = c[2].to_lowercase();
        total += match unit.chars().next() {
            Some('d') => n * 1440.0,
            Some('h') => n * 60.0,
            Some('m') => n,
            _ => n / 60.0,
        };
        found = true;
        last_end = whole.end();
    }
    (found && total.is_finite() && total < 1e9).then(|| total.round() as u64)
}

/// A timeline row written as a list item: `14:05 pager fires`, `14:05 -
/// pager fires`, `2024-02-03 14:05 UTC: …`, `2:05 PM …`. Returns the time
/// (in 24-hour form) and the event.
pub(crate) fn parse_timeline_item(text: &str) -> Option<(String, String)> {
    if let Some(row) = relative_item(text) {
        return Some(row);
    }
    if let Some(row) = unknown_time_row(text) {
        return Some(row);
    }
    // `~11:00 all clear`, `approx. 11:00 …`: a time the writer could only
    // guess is still the row's time, and its event says so.
    if let Some(rest) = after_approximation(text) {
        let (time, event) = parse_timeline_item(rest)?;
        return Some((time, format!("{event} {APPROXIMATE}")));
    }
    // "Day 2, 14:05 paged": a clock time on a day counted from the first.
    if let Some((days, rest)) = crate::dates::day_number(text) {
        let (time, event) = parse_timeline_item(rest)?;
        return Some((format!("Day {} {time}", days + 1), event));
    }
    if let Some(row) = bracketed_row(text) {
        return Some(row);
    }
    let (time, event) = clock_row(text)
        .or_else(|| dated_row(text))
        .or_else(|| yearless_row(text))
        .or_else(|| clock_row(&on_the_hour(text)?))?;
    Some(day_after_clock(time, event))
}

/// Whether `text` may open a row [`parse_timeline_item`] reads: with a
/// figure, `?`, a bracket, `T+`, `D2`, a word a guessed time opens with
/// ([`APPROXIMATE_BEFORE`]), "Day", or a month's name. A cheap look for
/// text that is most often prose; a yes is no promise.
pub(crate) fn may_open_row(text: &str) -> bool {
    let text = text.trim_start();
    let mut chars = text.chars();
    let Some(first) = chars.next() else { return false };
    let second = chars.next();
    if first.is_ascii_digit() || matches!(first, '?' | '[' | '(') {
        return true;
    }
    if matches!(first, 'T' | 't')
        && text.get(1..).is_some_and(|r| r.trim_start().starts_with(['+', '-', '−']))
    {
        return true;
    }
    if matches!(first, 'D' | 'd') && second.is_some_and(|c| c.is_ascii_digit()) {
        return true;
    }
    if APPROXIMATE_BEFORE.iter().any(|word| after_word(text, word).is_some()) {
        return true;
    }
    let word: String =
        text.chars().take_while(|c| c.is_alphabetic()).collect::<String>().to_lowercase();
    word == "day" || crate::dates::month_number(&word).is_some()
}

/// A row whose time nobody knows, written as one (`??:?? - Microsoft
/// ships an update`): kept with its time as written, which the validate
/// stage names as unreadable (RCA040), so the row shows and the rows
/// written after it on its lines are still read.
fn unknown_time_row(text: &str) -> Option<(String, String)> {
    let text = text.trim_start();
    if !text.starts_with('?') {
        return None;
    }
    let end = text.find(|c: char| !matches!(c, '?' | ':')).unwrap_or(text.len());
    let time = text.get(..end)?;
    let marks = time.bytes().filter(|&b| b == b'?').count();
    (time.contains(':') && marks >= 2).then_some(())?;
    let event = text.get(end..)?.trim_start_matches([' ', '-', '–', '—', ':']).trim();
    (!event.is_empty()).then(|| (time.to_string(), event.to_string()))
}

/// A day in brackets that opens an event, and the event after it:
/// `(April 5) - a CI run fails`, `(2025-04-06): paged`. The day is given
/// as written when it has no year (the incident's date gives it, as for
/// `April 5 23:00`), else as ISO's.
fn bracketed_day(text: &str) -> Option<(String, &str)> {
    let inner = text.strip_prefix('(')?;
    let close = inner.find(')')?;
    let (day, rest) = (inner.get(..close)?.trim(), inner.get(close + 1..)?);
    let rest = rest.trim_start_matches(SET_OFF).trim_start_matches(',').trim();
    if rest.is_empty() {
        return None;
    }
    if let Some(date) = crate::dates::only_date(day) {
        return Some((date.to_string(), rest));
    }
    let spaced = format!("{day} ");
    crate::dates::after_yearless_day(&spaced)?.is_empty().then(|| (day.to_string(), rest))
}

/// A row whose day follows its time (`4:33 PM April 6, 2025: paged`,
/// `16:37 UTC on 6 April 2025 - paged`): the day is moved before the time
/// and out of the event. Any other row is as it was.
fn day_after_clock(time: String, event: String) -> (String, String) {
    // A time with its day opens with the day: `2025-04-06 16:33`.
    let bare_clock = time
        .split(' ')
        .next()
        .is_some_and(|clock| clock.contains(':') && !clock.contains(['-', 'T', '/']));
    let text = event.strip_prefix("on ").unwrap_or(&event);
    if !bare_clock {
        return (time, event);
    }
    if let Some((day, rest)) = bracketed_day(text) {
        return (format!("{day} {time}"), rest.to_string());
    }
    let Some((day, end)) = crate::dates::opening_date(text) else { return (time, event) };
    let rest = text.get(end..).unwrap_or_default();
    // The day ends where the event is set off from it, not inside a word.
    if !rest.is_empty() && !rest.starts_with(SET_OFF) && !rest.starts_with(',') {
        return (time, event);
    }
    let rest = rest.trim_start_matches(SET_OFF).trim_start_matches(',').trim();
    if rest.is_empty() {
        return (time, event);
    }
    (format!("{day} {time}"), rest.to_string())
}

/// A row whose time is set in brackets, as a chat log or a script's
/// output writes it: `[09:12] on-call acknowledges`, `[Nov 6, 09:40 UTC]
/// volume resized`. The brackets hold any time a row may open with.
fn bracketed_row(text: &str) -> Option<(String, String)> {
    let inside = text.trim_start().strip_prefix('[')?;
    let (time, event) = inside.split_once(']')?;
    let (time, said) = time_alone(time)?;
    let event = event.trim_start_matches(SET_OFF).trim();
    (!event.is_empty()).then(|| (time, format!("{event}{said}")))
}

/// `text` with an hour written without its minutes on a 12-hour clock
/// (`11AM UTC - all clear`, `5 p.m. paged`) written with them (`11:00
/// AM UTC - all clear`), so that it reads as any other clock time; `None`
/// when it opens with no such hour.
fn on_the_hour(text: &str) -> Option<String> {
    let text = text.trim_start();
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let hour: u32 = text.get(..digits)?.parse().ok()?;
    (1..=12).contains(&hour).then_some(())?;
    let rest = text.get(digits..)?;
    let half = rest.trim_start();
    let mut letters = half.char_indices().filter(|(_, c)| *c != '.');
    let (_, a) = letters.next()?;
    let (m_at, m) = letters.next()?;
    (matches!(a, 'a' | 'A' | 'p' | 'P') && matches!(m, 'm' | 'M')).then_some(())?;
    let after = half.get(m_at + 1..)?;
    let after = after.strip_prefix('.').unwrap_or(after);
    // `5 amps`, `11 AMIs`: a word, not a clock.
    after.chars().next().is_none_or(|c| !c.is_alphanumeric()).then_some(())?;
    let marker = half.get(..half.len() - after.len())?;
    Some(format!("{hour}:00 {marker}{after}"))
}

/// Words before a time that say it is a guess (`~11:00`, `about 11:00`).
const APPROXIMATE_BEFORE: [&str; 9] =
    ["~", "≈", "approximately", "approx.", "approx", "about", "around", "circa", "ca."];

/// The same after it (`11:05 (approx.)`), as the event's first words.
const APPROXIMATE_AFTER: [&str; 6] =
    ["(approx.)", "(approx)", "(approximately)", "(estimated)", "(est.)", "(roughly)"];

/// What a row's event says of a time that was a guess.
const APPROXIMATE: &str = "(time approximate)";

/// `text` after a word that says its time is a guess, when a figure
/// follows it.
fn after_approximation(text: &str) -> Option<&str> {
    let text = text.trim_start();
    let rest = APPROXIMATE_BEFORE.iter().find_map(|word| {
        let rest = after_word(text, word)?;
        // A word ("about") ends before the time: "aboutface" is none.
        let whole = !word.ends_with(|c: char| c.is_ascii_alphabetic())
            || !rest.starts_with(char::is_alphabetic);
        whole.then_some(rest)
    })?;
    let rest = rest.trim_start();
    rest.starts_with(|c: char| c.is_ascii_digit()).then_some(rest)
}

/// `text` after `word` when it opens with it, whatever the case of its
/// ASCII letters.
fn after_word<'t>(text: &'t str, word: &str) -> Option<&'t str> {
    text.get(..word.len())?.eq_ignore_ascii_case(word).then(|| text.get(word.len()..)).flatten()
}

/// `time` read as a list row's time with a mark no text holds as its
/// event, and what the reading said after the mark: `""` for a time
/// alone, `" (until 10:30)"` for a span, `" (time approximate)"` for a
/// guess. Every way a row writes its time is then a heading's and a table
/// cell's too.
fn time_alone(time: &str) -> Option<(String, String)> {
    const MARK: &str = "\u{1}";
    let (time, said) = parse_timeline_item(&format!("{} {MARK}", time.trim()))?;
    let rest = said.strip_prefix(MARK)?;
    Some((time, rest.to_string()))
}

/// A timeline table's row whose time cell writes a span (`10:05–10:30`,
/// `10:31 - 10:50 UTC`) or a guess (`~11:00`, `11:05 (approx.)`), read
/// as the same row written in a list is: the span's start, its end said in
/// the event as `(until 10:30)`. `None` for any other cell, which the
/// validate stage reads as it is.
pub(crate) fn table_row(time: &str, event: &str) -> Option<(String, String)> {
    // Most cells are a plain time (`22:09`): only one with a dash, a
    // bracket, a tilde, a word or a character outside ASCII (`–`, `≈`) can
    // write a span or a guess, and reading the others cost the load stage
    // a tenth of its time.
    let may = time.bytes().any(|b| matches!(b, b'-' | b'(' | b'~') || !b.is_ascii())
        || time.trim_start().starts_with(|c: char| c.is_ascii_alphabetic());
    if !may {
        return None;
    }
    let (time, rest) = time_alone(time)?;
    (!rest.is_empty()).then(|| (time, format!("{event}{rest}").trim().to_string()))
}

/// The time a heading of a timeline names when that is all it says (`###
/// 14:05 UTC`, `### Mar 6, 2:10 AM`): the paragraph under it is the event.
pub(crate) fn heading_time(text: &str) -> Option<String> {
    let (time, rest) = time_alone(text)?;
    rest.is_empty().then_some(time)
}

/// [`heading_time`], or a span or a guess a heading writes in place of a
/// time (`### 8:20 - 8:24`, `### ~11:00`): its start, and what the event
/// under it is to say of it (`" (until 8:24)"`, `" (time approximate)"`).
pub(crate) fn heading_time_noted(text: &str) -> Option<(String, String)> {
    let (time, rest) = time_alone(text)?;
    (rest.is_empty() || rest.starts_with(" (")).then_some((time, rest))
}

/// A row that opens with its day but not its year: `Mar 6, 23:50 …`, `6
/// March 15:20 CET …`, as a table's time column may be written. The time
/// keeps the day as written; the validate stage gives it the incident's
/// year, as it does in a table.
fn yearless_row(text: &str) -> Option<(String, String)> {
    let text = text.trim_start();
    let rest = crate::dates::after_yearless_day(text)?;
    // A dash may set the day off from its time (`Nov 24 – 06:12 UTC`).
    let rest = rest.trim_start_matches(['-', '–', '—', '@', ' ']);
    rest.starts_with(|c: char| c.is_ascii_digit()).then_some(())?;
    let day = text.get(..text.len() - rest.len())?.trim_end_matches(['-', '–', '—', '@', ' ']);
    let (time, event) = clock_row(rest)?;
    Some((format!("{day} {time}"), event))
}

/// A row that opens with its day in words or figures other than ISO's:
/// `Jun 18, 2024 - 17:02 UTC Resolved`, `18 June 2024, 17:02 …`, as
/// status pages and exports date their updates. Read as the ISO day
/// before the clock.
fn dated_row(text: &str) -> Option<(String, String)> {
    let text = text.trim_start();
    let (day, end) = crate::dates::leading_date(text)?;
    let rest = text.get(end..)?.trim_start_matches([',', ' ', '-', '–', '—', '@']);
    let rest = rest.strip_prefix("at ").unwrap_or(rest);
    // `2025-10-20 ~14:15 UTC – …`: a guessed time on the day.
    if let Some(guess) = after_approximation(rest) {
        let (time, event) = clock_row(&format!("{day} {guess}"))?;
        return Some((time, format!("{event} {APPROXIMATE}")));
    }
    rest.starts_with(|c: char| c.is_ascii_digit()).then_some(())?;
    clock_row(&format!("{day} {rest}"))
}

/// A row that opens with a clock time, ISO's day before it or not.
fn clock_row(text: &str) -> Option<(String, String)> {
    let c = patterns().timeline_item.captures(text)?;
    let clock = c.get(1)?;
    // `14.05`, as much of Europe writes a time, is one when a space
    // follows it: `14.05.2024` is a day, `1.20.3` a version.
    if clock.as_str().contains('.') {
        let after = text.get(clock.end()..)?.chars().next();
        after.is_none_or(char::is_whitespace).then_some(())?;
    }
    let mut time = clock.as_str().replace('.', ":");
    if let Some(half) = c.get(2) {
        let pm = half.as_str().trim().to_lowercase().starts_with('p');
        let (day, clock) = match time.rsplit_once(' ') {
            Some((d, t)) => (format!("{d} "), t.to_string()),
            None => (String::new(), time.clone()),
        };
        let (h, rest) = clock.split_once([':', 'h', 'H'])?;
        let h = crate::dates::hour_of_day(h.parse().ok()?, pm);
        time = format!("{day}{h:02}:{rest}");
    }
    // A word in capitals after the time is its zone when it names one
    // ("14:05 PST"); otherwise it is the event's first word ("14:05 API
    // errors").
    // `02:00-04:30 maintenance`: a time right after the clock's dash ends
    // a span. An offset (`-04:30`) follows a clock with its day or its
    // seconds (`2024-10-24T02:00:00-04:30`), as machines write it.
    let span_end = c.get(3).map(|z| z.as_str()).filter(|z| {
        let bare = clock.as_str();
        let end = z.strip_prefix('-').and_then(|end| end.split_once(':'));
        c.get(2).is_none()
            && !bare.contains('T')
            && bare.matches(':').count() == 1
            && end.is_some_and(|(h, m)| crate::dates::is_clock(h, m))
    });
    let (zone, event): (Option<&str>, std::borrow::Cow<'_, str>) = match c.get(3) {
        Some(zone) if span_end.is_some() => {
            let end = zone.as_str().trim_start_matches('-');
            let (zone, event) = span(end, c[4].trim());
            (zone, event.into())
        }
        Some(zone) if names_zone(zone.as_str()) => (Some(zone.as_str().trim()), c[4].trim().into()),
        Some(word) => (None, text.get(word.start()..).unwrap_or_default().trim().into()),
        None => match range_end(text, c.get(4).map_or(0, |m| m.start())) {
            // `11:20–12:30 Testing the key`: a span of time, the row's time
            // its start.
            Some((end, event)) => {
                let (zone, event) = span(end, event);
                (zone, event.into())
            }
            None => (None, c[4].trim().into()),
        },
    };
    finish_row(time, zone, &event)
}

/// The zone and event of a row over a span of time that ends at `end`,
/// `event` the text after it: a zone after the span's end is its start's
/// too (`10:05 - 10:30 UTC: failover`), and the event says the end.
fn span<'t>(end: &str, event: &'t str) -> (Option<&'t str>, String) {
    let zone = event.split_once(' ').and_then(|(word, rest)| {
        let word = word.trim_end_matches([':', ',']);
        names_zone(word).then_some((word, rest))
    });
    let (zone, event) = zone.map_or((None, event), |(z, rest)| (Some(z), rest));
    let event = event.trim_start_matches(SET_OFF).trim();
    (zone, format!("{event} (until {end})"))
}

/// What sets a row's event off from its time: spaces, a colon, a dash, a
/// bar.
const SET_OFF: [char; 6] = [' ', ':', '-', '–', '—', '|'];

/// Whether `word` names a zone, bare or in brackets (`PST`, `(CEST)`).
fn names_zone(word: &str) -> bool {
    crate::dates::zone_of_suffix(word.trim().trim_matches(['(', ')'])).is_some()
}

/// A row of `time` (with `zone` after it, when one was written) and
/// `event`, `None` when the event is empty. A German `Uhr` ("o'clock")
/// opening the event belongs to the time (`9:30 Uhr: Alarm`).
fn finish_row(mut time: String, zone: Option<&str>, event: &str) -> Option<(String, String)> {
    if let Some(zone) = zone {
        time.push(' ');
        time.push_str(zone);
    }
    // `11:05 (approx.) postmortem opened`: the time was a guess.
    let guessed = APPROXIMATE_AFTER.iter().find_map(|mark| after_word(event, mark));
    if let Some(rest) = guessed {
        let (time, event) = finish_row(time, None, rest.trim_start_matches(SET_OFF))?;
        return Some((time, format!("{event} {APPROXIMATE}")));
    }
    let event = match after_word(event, "uhr") {
        Some(rest) if !rest.starts_with(char::is_alphanumeric) => rest.trim_start_matches(SET_OFF),
        _ => event,
    };
    (!event.is_empty()).then(|| (time, event.to_string()))
}

/// The end of a span of time written `11:20–12:30` and the event after it,
/// when the event text at `at` in `text` follows a dash and opens with a
/// clock time.
fn range_end(text: &str, at: usize) -> Option<(&str, &str)> {
    let before = text.get(..at)?.trim_end();
    before.ends_with(['-', '–', '—']).then_some(())?;
    let rest = text.get(at..)?;
    let (clock, event) = rest.split_once(' ')?;
    let (h, m) = clock.split_once(':')?;
    (crate::dates::is_clock(h, m) && !event.trim().is_empty()).then(|| (clock, event.trim()))
}

/// A row timed from the start: `T+6m: pager fires`, `T + 1h10m rollback`.
fn relative_item(text: &str) -> Option<(String, String)> {
    let t = text.trim_start();
    let after_t = t.strip_prefix(['T', 't'])?.trim_start();
    let sign = after_t.chars().next().filter(|c| matches!(c, '+' | '-' | '−'))?;
    let span = after_t.get(sign.len_utf8()..)?.trim_start();
    let end = span
        .char_indices()
        .find(|&(i, c)| {
            let digit_after =
                span.get(i + 1..).is_some_and(|r| r.starts_with(|d: char| d.is_ascii_digit()));
            !(c.is_ascii_alphanumeric() || (c == ':' && digit_after))
        })
        .map_or(span.len(), |(i, _)| i);
    let time = format!("T{sign}{}", span.get(..end)?);
    crate::dates::from_start(&time)?;
    let event = span.get(end..)?.trim_start_matches(SET_OFF).trim();
    (!event.is_empty()).then(|| (time, event.to_string()))
}

/// The timeline rows a paragraph writes as its lines, `(offset in the file,
/// time, event)`: `lines` gives where each line starts in `paragraph` and in
/// the file. Every line must read as a row (the first may state the zone),
/// but where `wraps`, a paragraph's line after a row that sets its event
/// off (`03:26pm: first noticed that the site was` / `giving an error.`)
/// and opens with no time is that row's event run on, as an editor wraps a
/// long line; prose that opens with a time ("14:05 is when it began") is
/// no row. Lines of code do not wrap: a code block that is not all rows is
/// left as code.
pub(crate) fn timeline_lines(
    paragraph: &str,
    lines: &[(usize, usize)],
    wraps: bool,
) -> Vec<(usize, String, String)> {
    let mut rows: Vec<(usize, String, String)> = Vec::with_capacity(lines.len());
    // Whether the last row set its event off from its time.
    let mut set_off = false;
    for (n, (offset, line)) in lines_of(paragraph, lines).enumerate() {
        let Some(line) = line else { return Vec::new() };
        if line.is_empty() || is_grid_border(line) {
            continue;
        }
        // A grid table as pandoc writes one: `| 10:07 | Error alert |`.
        let cells = grid_cells(line);
        let line = cells.as_ref().map_or(line.to_string(), |c| c.join(" | "));
        match parse_timeline_item(&line) {
            Some((time, event)) => {
                set_off = sets_off(&line, &event);
                rows.push((offset, time, event));
            }
            // "All times UTC" on the line above the rows.
            None if n == 0 && zone_statement(&line).is_some() => {}
            None => match (cells, rows.last_mut()) {
                // A grid table's header, and a cell's text run on to the
                // next line under an empty time.
                (Some(_), None) => {}
                (Some(cells), Some(last)) if cells.first().is_some_and(String::is_empty) => {
                    let more = cells.iter().skip(1).filter(|c| !c.is_empty());
                    for text in more {
                        last.2.push(' ');
                        last.2.push_str(text);
                    }
                }
                (None, Some(last)) if wraps && set_off => {
                    last.2.push(' ');
                    last.2.push_str(line.trim());
                }
                _ => return Vec::new(),
            },
        }
    }
    rows
}

/// Whether `line`, read as a row with `event`, sets the event off from its
/// time with a mark (`03:26pm: …`, `14:05 - …`, `**14:05** …`, `[14:05]
/// …`), as a row does and a sentence that opens with a time ("14:05 is
/// when it began") does not.
fn sets_off(line: &str, event: &str) -> bool {
    let Some(at) = line.find(event) else { return false };
    let before = line.get(..at).unwrap_or_default().trim_end();
    before.ends_with([':', '-', '–', '—', '|', ']', '*', ')'])
}

/// The timeline rows a list item writes as its lines, `(offset in the
/// file, time, event)`, `lines` as for [`timeline_lines`]: one, as a row
/// item does (`- 14:05 UTC: pager fires`), or one per line when lines after
/// the first open with a time of their own, as an item continued without a
/// bullet does (`14:20 UTC – rolled back`, on the next line). A line that
/// opens with no time goes on the row above it. Empty when the item's
/// first line writes no row.
pub(crate) fn item_rows(item: &str, lines: &[(usize, usize)]) -> Vec<(usize, String, String)> {
    let mut rows: Vec<(usize, String, String)> = Vec::new();
    for (offset, line) in lines_of(item, lines) {
        let line = line.unwrap_or_default();
        match (parse_timeline_item(line), rows.last_mut()) {
            (Some((time, event)), _) => rows.push((offset, time, event)),
            (None, Some((_, _, event))) if !line.is_empty() => {
                event.push(' ');
                event.push_str(line);
            }
            (None, Some(_)) => {}
            (None, None) => return Vec::new(),
        }
    }
    rows
}

/// Each line of `text`, trimmed, with where it starts in the file: `lines`
/// gives where each starts in `text` and in the file. `None` for a line
/// the positions do not cut on character boundaries.
fn lines_of<'t>(
    text: &'t str,
    lines: &'t [(usize, usize)],
) -> impl Iterator<Item = (usize, Option<&'t str>)> + 't {
    lines.iter().enumerate().map(move |(n, &(from, offset))| {
        let to = lines.get(n + 1).map_or(text.len(), |&(next, _)| next);
        (offset, text.get(from..to).map(str::trim))
    })
}

/// A grid table's border: `+-----+----+`, `+=====+====+`.
fn is_grid_border(line: &str) -> bool {
    line.starts_with('+')
        && line.len() > 2
        && line.bytes().all(|b| matches!(b, b'+' | b'-' | b'=' | b':'))
}

/// A grid table's row, as its cells: `| 10:07 | Error alert |`.
fn grid_cells(line: &str) -> Option<Vec<String>> {
    let inner = line.strip_prefix('|')?.strip_suffix('|')?;
    Some(inner.split('|').map(|c| c.trim().to_string()).collect())
}

/// The zone a line about timeline times names: "All times in CET", "Times
/// are US/Pacific", "all times in PST/PDT", a `Time (UTC)` column, "(Japan
/// time)". Only
/// abbreviations in capitals, `Area/City` names and a zone's name before
/// "time" count, so ordinary words are never zones.
pub(crate) fn zone_statement(text: &str) -> Option<String> {
    if text.len() > 160 || !text.to_lowercase().contains("time") {
        return None;
    }
    let in_word = |c: char| c.is_ascii_alphanumeric() || "/_+-:".contains(c);
    let abbreviation =
        |w: &str| (2..=5).contains(&w.len()) && w.chars().all(|c| c.is_ascii_uppercase());
    text.split(|c: char| !in_word(c))
        .map(|w| w.trim_matches([':', '-']))
        // "PST/PDT", "CET/CEST": a zone's standard and summer names, one zone.
        .map(|w| match w.split_once('/') {
            Some((standard, summer)) if abbreviation(standard) && abbreviation(summer) => standard,
            _ => w,
        })
        .filter(|w| {
            let caps = abbreviation(w);
            // "UTC+2", "GMT-05:00": an offset from UTC.
            let offset = ["UTC", "GMT"]
                .iter()
                .any(|z| w.strip_prefix(z).is_some_and(|o| o.starts_with(['+', '-'])));
            caps || offset || (w.contains('/') && w.len() > 3)
        })
        .find(|w| crate::dates::zone_of_suffix(w).is_some())
        .map(str::to_string)
        .or_else(|| crate::dates::zone_in_words(text).map(str::to_string))
}

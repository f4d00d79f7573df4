//! Dates and times as archives write them: in front matter, every form
//! Hugo, Jekyll and YAML accept (`2023-12-04T8:00:00-00:00`, `2020-06-13
//! 16:54:00`, `2022-05-03 10:22:00 +0200`, `2024-01-09`), read by
//! [`parse_when`]; in prose, "March 1, 2025", "1 March 2025", "7-27-2015",
//! "2024/3/1", "2024年3月1日" and `/2017/02/10/` in URLs, found by
//! [`find_dates`]; and the zones
//! people name (`UTC`, `CET`, `US/Pacific`, `Europe/Berlin`), by [`zone`].
//!
//! Layer 1, pure. Used by validate (dates, end times, timeline rows), by
//! the configuration (`timezone`) and by `import` and `adopt`; [`Quarter`]
//! groups dates for the charts of render.

use std::sync::OnceLock;

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, Zoned};
use regex::Regex;

#[cfg(test)]
use self::periods::period_end;
pub(crate) use self::periods::{
    Quarter, day_number, day_without_year, due_by, figures_without_year, first_day_in, first_month,
    month_start,
};
use self::printed::{compact_date, epoch_seconds, rewritten};
pub(crate) use self::spans::{from_start, span_minutes};

mod periods;
mod printed;
mod spans;

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Month names in German, French, Spanish and Portuguese (the languages,
/// with Japanese, Chinese and Korean, whose section names are known), in
/// month order, with and without accents where writers drop them, and
/// German's usual abbreviations.
const OTHER_MONTHS: [&[&str]; 12] = [
    &["januar", "jänner", "janvier", "enero", "janeiro"],
    &["februar", "février", "fevrier", "febrero", "fevereiro"],
    &["märz", "maerz", "mär", "mars", "marzo", "março", "marco"],
    &["avril", "abril"],
    &["mai", "mayo", "maio"],
    &["juni", "juin", "junio", "junho"],
    &["juli", "juillet", "julio", "julho"],
    &["août", "aout", "agosto"],
    &["septiembre", "setiembre", "setembro", "septembre"],
    &["oktober", "okt", "octobre", "octubre", "outubro"],
    &["novembre", "noviembre", "novembro"],
    &["dezember", "dez", "décembre", "decembre", "diciembre", "dezembro"],
];

/// The English month names and abbreviations every pattern here reads
/// (`Mar`, `March`, `Sept`), as a regex alternation.
const ENGLISH_MONTH_NAME: &str = r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?";

/// A month name or its abbreviation, as every pattern here reads one: in
/// English, or as [`OTHER_MONTHS`] names it (`März`, `marzo`, `juillet`),
/// without a following point; a regex group, built once from the two.
pub(crate) fn month_name() -> &'static str {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| {
        let other = OTHER_MONTHS.iter().flat_map(|names| names.iter()).copied();
        let names: Vec<&str> = std::iter::once(ENGLISH_MONTH_NAME).chain(other).collect();
        format!("(?:{})", names.join("|"))
    })
}

/// The month number of a month name or its abbreviation (see
/// [`month_name`]).
pub(crate) fn month_number(name: &str) -> Option<i8> {
    let name = name.trim_end_matches('.').to_lowercase();
    if name.chars().count() < 3 {
        return None;
    }
    let n = MONTHS
        .iter()
        .position(|m| m.starts_with(&name) && (name.len() == 3 || *m == name || name == "sept"))
        .or_else(|| OTHER_MONTHS.iter().position(|names| names.contains(&name.as_str())))?;
    i8::try_from(n + 1).ok()
}

#[allow(clippy::expect_used, reason = "the patterns are constants, checked by the tests")]
fn patterns() -> &'static [Regex; 10] {
    static P: OnceLock<[Regex; 10]> = OnceLock::new();
    P.get_or_init(|| {
        let month = format!(r"({})\.?", month_name());
        [
            Regex::new(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b").expect("valid ISO pattern"),
            Regex::new(&format!(r"(?i)\b{month} (\d{{1,2}})(?:st|nd|rd|th)?,? ((?:19|20)\d\d)\b")).expect("valid pattern"),
            // "5 March 2024", "5th of March, 2024", and "05-Mar-2024" or
            // "05/Mar/2024" as databases and logs print it.
            // Also "5. März 2024", "5 de marzo de 2024", "5 mars 2024".
            Regex::new(&format!(r"(?i)\b(\d{{1,2}})(?:st|nd|rd|th|\.)?(?: | of | de |-|/){month},?(?: | de |-|/)((?:19|20)\d\d)\b")).expect("valid pattern"),
            Regex::new(r"/((?:19|20)\d\d)/(\d\d)/(\d\d)(?:/|\b)").expect("valid URL pattern"),
            Regex::new(r"\b(\d{1,2})-(\d{1,2})-((?:19|20)\d\d)\b").expect("valid US pattern"),
            Regex::new(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)\b").expect("valid US slash pattern"),
            // Year first with slashes, as Japanese and Chinese write dates
            // in Latin digits: "2024/3/1".
            Regex::new(r"\b((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})\b").expect("valid year-first pattern"),
            // "2024年3月1日" (Chinese, Japanese), "2024년 3월 1일" (Korean).
            Regex::new(r"((?:19|20)\d\d)\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]").expect("valid CJK pattern"),
            // Dots, as German, Russian or Scandinavian teams write: day
            // first ("25.03.2024"), or year first ("2024.03.25").
            Regex::new(r"\b(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)\b").expect("valid dotted pattern"),
            Regex::new(r"\b((?:19|20)\d\d)\.(\d{1,2})\.(\d{1,2})\b").expect("valid dotted year-first pattern"),
        ]
    })
}

fn date(y: &str, m: i8, d: &str) -> Option<Date> {
    Date::new(y.parse().ok()?, m, d.parse().ok()?).ok()
}

/// Every date found in `text` with its byte offset, in text order.
pub(crate) fn find_dates(text: &str) -> Vec<(usize, Date)> {
    let mut found: Vec<(usize, Date)> =
        date_spans(text).into_iter().map(|(span, d)| (span.start, d)).collect();
    found.sort();
    found.dedup();
    found
}

/// The first date written in `text`.
pub(crate) fn first_date(text: &str) -> Option<Date> {
    first_date_written(text).map(|(date, _)| date)
}

/// The first date written in `text`, with how it is written.
pub(crate) fn first_date_written(text: &str) -> Option<(Date, &str)> {
    let (span, date) =
        date_spans(text).into_iter().min_by_key(|(span, date)| (span.start, *date))?;
    Some((date, text.get(span)?))
}

/// The date `text` opens with ("Jun 18, 2024 - 17:02", "18 June 2024,
/// 17:02") and the byte offset just past it. `None` when `text` does not
/// open with a date.
pub(crate) fn leading_date(text: &str) -> Option<(Date, usize)> {
    date_spans(text)
        .into_iter()
        .filter(|(span, _)| span.start == 0)
        .max_by_key(|(span, _)| span.end)
        .map(|(span, date)| (date, span.end))
}

/// [`leading_date`], asked only when `text`'s first word may open a date
/// (it starts with a figure, or is a month's name): headings and timeline
/// events are asked by the thousand, and most open with a word no date
/// opens with.
pub(crate) fn opening_date(text: &str) -> Option<(Date, usize)> {
    let first = text.split(|c: char| !c.is_alphanumeric()).next().unwrap_or_default();
    let may = first.starts_with(|c: char| c.is_ascii_digit()) || month_number(first).is_some();
    if may { leading_date(text) } else { None }
}

/// The date `text` is, when it writes a date and nothing else (spaces
/// aside): a timeline row's day alone, a day in brackets.
pub(crate) fn only_date(text: &str) -> Option<Date> {
    let text = text.trim();
    let (date, end) = opening_date(text)?;
    text.get(end..)?.trim().is_empty().then_some(date)
}

/// What follows a day written without its year that opens `text`
/// (`April 5 23:00` → `23:00`), when one does. Only whether a day is
/// written is asked, whatever the year: it is read in a leap year.
pub(crate) fn after_yearless_day(text: &str) -> Option<&str> {
    day_without_year(text, Date::constant(2000, 1, 1)).map(|(_, rest)| rest)
}

/// Every date found in `text` with where it is written, in no set order.
fn date_spans(text: &str) -> Vec<(std::ops::Range<usize>, Date)> {
    let [iso, month_day, day_month, url, us, us_slash, year_first, cjk, dotted, dotted_year_first] =
        patterns();
    let mut found = Vec::new();
    for c in iso.captures_iter(text) {
        if let Some(d) = c[2].parse().ok().and_then(|m| date(&c[1], m, &c[3])) {
            found.push((c.get(0).map_or(0..0, |m| m.range()), d));
        }
    }
    for c in month_day.captures_iter(text) {
        if let Some(d) = month_number(&c[1]).and_then(|m| date(&c[3], m, &c[2])) {
            found.push((c.get(0).map_or(0..0, |m| m.range()), d));
        }
    }
    for c in day_month.captures_iter(text) {
        if let Some(d) = month_number(&c[2]).and_then(|m| date(&c[3], m, &c[1])) {
            found.push((c.get(0).map_or(0..0, |m| m.range()), d));
        }
    }
    for c in url.captures_iter(text) {
        if let Some(d) = c[2].parse().ok().and_then(|m| date(&c[1], m, &c[3])) {
            found.push((c.get(0).map_or(0..0, |m| m.range()), d));
        }
    }
    for c in dotted.captures_iter(text) {
        if let Some(d) = c[2].parse().ok().and_then(|m| date(&c[3], m, &c[1])) {
            found.push((c.get(0).map_or(0..0, |m| m.range()), d));
        }
    }
    for c in (year_first.captures_iter(text))
        .chain(cjk.captures_iter(text))
        .chain(dotted_year_first.captures_iter(text))
    {
        if let Some(d) = c[2].parse().ok().and_then(|m| date(&c[1], m, &c[3])) {
            found.push((c.get(0).map_or(0..0, |m| m.range()), d));
        }
    }
    // Month first, as in the US, unless the first number cannot be a month
    // ("25/03/2024" is the 25th of March): see [`ambiguous_day_month`].
    for c in us.captures_iter(text).chain(us_slash.captures_iter(text)) {
        let (first, second) = (&c[1], &c[2]);
        let month_first = first.parse().ok().and_then(|m| date(&c[3], m, second));
        let day_first = || second.parse().ok().and_then(|m| date(&c[3], m, first));
        if let Some(d) = month_first.or_else(day_first) {
            found.push((c.get(0).map_or(0..0, |m| m.range()), d));
        }
    }
    found
}

/// The two readings of a date written with its day and month both 12 or
/// less, in either order, and different ("05/03/2024": 3 May as the US
/// reads it, 5 March elsewhere): `(month first, day first)`. `None` for any
/// other text, which reads one way only.
pub(crate) fn ambiguous_day_month(text: &str) -> Option<(Date, Date)> {
    with_day_month(text, |s, c| {
        // The date opens the text, alone or before a time of day.
        let end = c.get(0).filter(|m| m.start() == 0)?.end();
        let after = s.get(end..).unwrap_or_default();
        if !after.is_empty() && !after.starts_with(char::is_whitespace) {
            return None;
        }
        let (first, second): (i8, i8) = (c[1].parse().ok()?, c[2].parse().ok()?);
        if first == second {
            return None;
        }
        Some((date(&c[3], first, &c[2])?, date(&c[3], second, &c[1])?))
    })
}

/// `text`, a date [`ambiguous_day_month`] reads two ways, read the other
/// way: day first, with its time of day and zone as written.
pub(crate) fn day_first_reading(text: &str, zone: &TimeZone) -> Option<When> {
    with_day_month(text, |s, c| {
        let (first, second) = (c.get(1)?, c.get(2)?);
        let swapped = format!(
            "{}{}{}{}{}",
            s.get(..first.start())?,
            second.as_str(),
            s.get(first.end()..second.start())?,
            first.as_str(),
            s.get(second.end()..)?
        );
        parse_when(&swapped, zone)
    })
}

/// What `read` makes of `text` as the numeric day-and-month patterns
/// capture it (two numbers and a year, in the order written), given the
/// text they read: `text`, a tool's form of it rewritten (see
/// [`rewritten`]). Shared by both readings, so they read the same text.
fn with_day_month<T>(
    text: &str,
    read: impl FnOnce(&str, regex::Captures<'_>) -> Option<T>,
) -> Option<T> {
    let [.., us, us_slash, _, _, _, _] = patterns();
    let rewritten = rewritten(text.trim());
    let s = rewritten.as_deref().unwrap_or(text.trim());
    let c = us_slash.captures(s).or_else(|| us.captures(s))?;
    read(s, c)
}

/// A date as written, and the instant when a time of day came with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct When {
    /// The day as written (in the zone it was written in).
    pub date: Date,
    /// The instant, when a time of day was written; a time without a zone
    /// is read in the configured zone.
    pub at: Option<Timestamp>,
    /// The offset from UTC the text wrote with its time (`-08:00`, `PST`),
    /// if it wrote one.
    pub offset: Option<Offset>,
}

impl When {
    /// A day written without a time.
    pub(crate) fn day(date: Date) -> When {
        When { date, at: None, offset: None }
    }
}

#[allow(clippy::expect_used, reason = "the pattern is a constant, checked by the tests")]
fn when_pattern() -> &'static Regex {
    static P: OnceLock<Regex> = OnceLock::new();
    P.get_or_init(|| {
        Regex::new(
            r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*([Zz]|[+-]\d{1,2}(?::?\d{2})?|[A-Za-z][A-Za-z0-9_/+:-]*)?$",
        )
        .expect("valid date-time pattern")
    })
}

/// Reads a date or date-time in any form Hugo, Jekyll or YAML accept:
/// `T` or spaces between day and time, one-digit hours, seconds and
/// fractions optional, a zone as `Z`, `-00:00`, `+0100`, `-5`, a name
/// (`UTC`, `CET`, `Europe/Berlin`) or nothing (then `zone_less` applies).
/// Also a date in words on its own ("March 4, 2024"). A zone may be
/// written in brackets (`14:00 (UTC)`) or as an offset from UTC or GMT
/// (`UTC+2`, `GMT-05:00`, meant as people mean it, not as POSIX does).
/// `None` when the text is not one date.
pub(crate) fn parse_when(text: &str, zone_less: &TimeZone) -> Option<When> {
    let s = text.trim();
    // The form nearly every front matter writes, `2024-03-05`, read at
    // once; any other (and a day no calendar has) goes the long way.
    if let Some(date) = plain_iso_day(s) {
        return Some(When::day(date));
    }
    read_when(s, zone_less)
}

/// [`parse_when`] of trimmed text, without the quick reading of a plain
/// day: the definition the tests hold that reading to.
fn read_when(s: &str, zone_less: &TimeZone) -> Option<When> {
    let unbracketed = s
        .strip_suffix(')')
        .and_then(|r| r.rsplit_once('('))
        .filter(|(head, zone)| !head.trim().is_empty() && !zone.trim().contains(' '))
        .map(|(head, zone)| format!("{} {}", head.trim_end(), zone.trim()));
    let s = without_oclock(unbracketed.as_deref().unwrap_or(s));
    let s = s.as_ref();
    let rewritten = rewritten(s);
    let s = rewritten.as_deref().unwrap_or(s);
    one_when(s, zone_less)
        .or_else(|| compact_date(s))
        .or_else(|| epoch_seconds(s))
        .or_else(|| range_start(s, zone_less))
        .or_else(|| periods::day_span_start(s).map(When::day))
}

/// `s` when it is a day written `YYYY-MM-DD` and nothing else, and the
/// calendar has it.
fn plain_iso_day(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let shaped = b.len() == 10
        && b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && digits(0..4)
        && digits(5..7)
        && digits(8..10);
    if !shaped {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i16>().ok();
    Date::new(num(0..4)?, i8::try_from(num(5..7)?).ok()?, i8::try_from(num(8..10)?).ok()?).ok()
}

/// `s` without the word German writes after a time of day, which says
/// nothing a clock does not: at the end ("14:05 Uhr") or before a zone
/// ("14:05 Uhr MEZ").
pub(crate) fn without_oclock(s: &str) -> std::borrow::Cow<'_, str> {
    let trimmed = s.trim_end();
    let cut = trimmed.len().saturating_sub(4);
    match (trimmed.get(..cut), trimmed.get(cut..)) {
        (Some(head), Some(word)) if word.eq_ignore_ascii_case(" uhr") => head.trim_end().into(),
        _ => {
            let before_zone = [" Uhr ", " uhr "].iter().find_map(|w| Some((s.find(w)?, w.len())));
            match before_zone.and_then(|(at, len)| Some((s.get(..at)?, s.get(at + len..)?))) {
                Some((clock, zone)) => format!("{clock} {zone}").into(),
                None => s.into(),
            }
        }
    }
}

/// The start of a range, "2024-03-05 14:00 to 15:30 UTC": the incident
/// started at its first end. A zone written once at the far end applies to
/// the start too.
fn range_start(s: &str, zone_less: &TimeZone) -> Option<When> {
    let (start, end) = range_parts(s)?;
    let zone = end.rsplit(' ').next().filter(|z| z.chars().any(|c| c.is_ascii_alphabetic()));
    let zoned =
        zone.filter(|z| zone_of_suffix(z).is_some()).map(|z| format!("{} {z}", start.trim()));
    zoned.and_then(|s| one_when(&s, zone_less)).or_else(|| one_when(start.trim(), zone_less))
}

/// The end of a range as a date-time of its own: "2024-03-05 14:00 to
/// 15:30 UTC" ends at "2024-03-05 15:30 UTC" (the start's day, when the end
/// names none). `None` when `s` is no range or its end does not read.
pub(crate) fn range_end(s: &str) -> Option<String> {
    let s = s.trim();
    let end = range_parts(s)?.1.trim();
    let utc = TimeZone::UTC;
    if one_when(end, &utc).is_some() {
        return Some(end.to_string());
    }
    let day = range_start(s, &utc)?.date;
    let end = format!("{day} {end}");
    one_when(&end, &utc).is_some().then_some(end)
}

/// The two ends of a range as written, at its first " to ", " until " or
/// dash between spaces.
fn range_parts(s: &str) -> Option<(&str, &str)> {
    [" to ", " until ", " – ", " — ", " - "].iter().find_map(|sep| s.split_once(sep))
}

/// [`parse_when`] of a text that is one date or date-time.
fn one_when(s: &str, zone_less: &TimeZone) -> Option<When> {
    if let Some(c) = when_pattern().captures(s) {
        // Written as YYYY-MM-DD and the rest, it reads that way or not at
        // all, unless what looked like a zone is AM or PM (which no zone
        // is: read below, with the time of day).
        let half_day = c.get(8).is_some_and(|z| {
            matches!(z.as_str().to_ascii_lowercase().as_str(), "am" | "pm" | "a" | "p")
        });
        if !half_day {
            return iso_when(&c, zone_less);
        }
    }
    // "Fri, 05 Jan 2024 10:00:00 +0000", as mail and feeds write it. A
    // zone name RFC 2822 does not define (`CET`) it reads as UTC, as the
    // RFC says to; the readers below know it.
    let rfc2822 = || {
        let zone = s.rsplit(' ').next().unwrap_or_default();
        let named = !zone.is_empty() && zone.bytes().all(|b| b.is_ascii_alphabetic());
        let defined = ["UT", "GMT", "Z", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT"]
            .iter()
            .any(|z| zone.eq_ignore_ascii_case(z));
        if named && !defined {
            return None;
        }
        let zoned = jiff::fmt::rfc2822::parse(s).ok()?;
        Some(When { date: zoned.date(), at: Some(zoned.timestamp()), offset: Some(zoned.offset()) })
    };
    rfc2822()
        .or_else(|| date_then_time(s, zone_less))
        // A time that could not be read is not dropped for the day alone.
        .or_else(|| date_in_words(s).filter(|_| !s.contains(':')).map(When::day))
}

/// [`parse_when`] for `YYYY-MM-DD` with an optional time and zone, as
/// [`when_pattern`] captured it.
fn iso_when(c: &regex::Captures<'_>, zone_less: &TimeZone) -> Option<When> {
    let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<i32>().ok());
    let date = Date::new(
        i16::try_from(num(1)?).ok()?,
        i8::try_from(num(2)?).ok()?,
        i8::try_from(num(3)?).ok()?,
    )
    .ok()?;
    let Some(hour) = num(4) else {
        // A zone after a bare day changes nothing but must still be one.
        return match c.get(8) {
            Some(z) => zone_of_suffix(z.as_str()).map(|_| When::day(date)),
            None => Some(When::day(date)),
        };
    };
    let nanos = c.get(7).map_or(Some(0), |m| {
        let digits = format!("{:0<9}", m.as_str());
        digits.parse::<i32>().ok()
    })?;
    let time = Time::new(
        i8::try_from(hour).ok()?,
        i8::try_from(num(5)?).ok()?,
        i8::try_from(num(6).unwrap_or(0)).ok()?,
        nanos,
    )
    .ok()?;
    let civil = DateTime::from_parts(date, time);
    let zone = match c.get(8) {
        Some(z) => zone_of_suffix(z.as_str())?,
        None => zone_less.clone(),
    };
    let zoned: Zoned = civil.to_zoned(zone).ok()?;
    let offset = c.get(8).map(|_| zoned.offset());
    Some(When { date, at: Some(zoned.timestamp()), offset })
}

#[allow(clippy::expect_used, reason = "the patterns are constants, checked by the tests")]
fn clock_pattern() -> &'static Regex {
    static P: OnceLock<Regex> = OnceLock::new();
    P.get_or_init(|| {
        Regex::new(
            r"^(?i:,|at|@|T|um|à|a las|às)?\s*(\d{1,2})(?:[:h](\d{2})(?::(\d{2}))?)?\s*([AaPp]\.?[Mm]\.?)?\s*([Zz]|[+-]\d{1,2}(?::?\d{2})?|[A-Za-z][A-Za-z0-9_/+:-]*)?$",
        )
        .expect("valid clock pattern")
    })
}

/// A date in any form [`find_dates`] reads, after an optional weekday,
/// then nothing or a time of day with an optional AM/PM and zone:
/// "January 5, 2024 at 10:00 AM", "2024-01-05 10:00 PM PST", "Friday,
/// 5 Jan 2024 10:00".
fn date_then_time(s: &str, zone_less: &TimeZone) -> Option<When> {
    let s = skip_weekday(s);
    let found = date_spans(s);
    let (span, date) =
        found.iter().filter(|(span, _)| span.start == 0).max_by_key(|(span, _)| span.end)?;
    let rest = s.get(span.end..)?.trim();
    if rest.is_empty() {
        return Some(When::day(*date));
    }
    let c = clock_pattern().captures(rest)?;
    // An hour without minutes is a time only with AM or PM ("2pm").
    if c.get(2).is_none() && c.get(4).is_none() {
        return None;
    }
    let num = |i: usize| c.get(i).map_or(Some(0), |m| m.as_str().parse::<i8>().ok());
    let mut hour = num(1)?;
    if let Some(half) = c.get(4) {
        if !(1..=12).contains(&hour) {
            return None;
        }
        let pm = half.as_str().to_ascii_lowercase().starts_with('p');
        hour = i8::try_from(hour_of_day(hour.unsigned_abs().into(), pm)).ok()?;
    }
    let time = Time::new(hour, num(2)?, num(3)?, 0).ok()?;
    let zone = match c.get(5) {
        Some(z) => zone_of_suffix(z.as_str())?,
        None => zone_less.clone(),
    };
    let zoned = DateTime::from_parts(*date, time).to_zoned(zone).ok()?;
    let offset = c.get(5).map(|_| zoned.offset());
    Some(When { date: *date, at: Some(zoned.timestamp()), offset })
}

/// Whether `hour` and `minutes` are a clock's as written: one or two
/// digits, then two (`9` and `05`, `14` and `30`).
pub(crate) fn is_clock(hour: &str, minutes: &str) -> bool {
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    digits(hour, 1..=2) && digits(minutes, 2..=2)
}

/// The hour of the day a 12-hour clock's `hour` AM or PM is: 12 AM is 0,
/// 12 PM is 12, 3 PM is 15.
pub(crate) fn hour_of_day(hour: u32, pm: bool) -> u32 {
    match (pm, hour) {
        (true, 12) => 12,
        (true, h) => h + 12,
        (false, 12) => 0,
        (false, h) => h,
    }
}

/// `s` without a leading weekday name ("Fri, ", "Friday ", "Tues. ").
fn skip_weekday(s: &str) -> &str {
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let end = s.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(s.len());
    let word = s.get(..end).unwrap_or_default().to_ascii_lowercase();
    let named = DAYS.iter().any(|d| word.starts_with(d));
    let whole = word.len() == 3 || word.len() == 4 || word.ends_with("day");
    if named && whole { s.get(end..).unwrap_or(s).trim_start_matches(['.', ',', ' ']) } else { s }
}

/// A whole string that is one date in words: "March 4, 2024", "4 March 2024".
fn date_in_words(s: &str) -> Option<Date> {
    let found = find_dates(s);
    let [(0, date)] = found.as_slice() else { return None };
    // The date must be most of the text, not a date inside a sentence.
    (s.len() <= 24).then_some(*date)
}

/// The zone a suffix names: `Z`, an offset (`+01:00`, `+0100`, `-5`), an
/// offset from UTC or GMT (`UTC+2`), or a zone name.
pub(crate) fn zone_of_suffix(z: &str) -> Option<TimeZone> {
    if z.eq_ignore_ascii_case("z") {
        return Some(TimeZone::UTC);
    }
    // "UTC+2", "GMT-05:00": the offset after the name.
    let after_name = ["UTC", "GMT", "utc", "gmt"].iter().find_map(|name| z.strip_prefix(name));
    if let Some(offset) = after_name.filter(|o| o.starts_with(['+', '-'])) {
        return zone_of_suffix(offset);
    }
    if let Some(sign) =
        z.strip_prefix('+').map(|r| (1, r)).or_else(|| z.strip_prefix('-').map(|r| (-1, r)))
    {
        let (sign, rest) = sign;
        let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
        let (h, m) = match (rest.contains(':'), digits.len()) {
            (true, _) => {
                let (h, m) = rest.split_once(':')?;
                (h.parse::<i32>().ok()?, m.parse::<i32>().ok()?)
            }
            (false, 1 | 2) => (digits.parse::<i32>().ok()?, 0),
            (false, 3 | 4) => {
                let n = digits.parse::<i32>().ok()?;
                (n / 100, n % 100)
            }
            _ => return None,
        };
        if h > 23 || m > 59 {
            return None;
        }
        let offset = Offset::from_seconds(sign * (h * 3600 + m * 60)).ok()?;
        return Some(TimeZone::fixed(offset));
    }
    zone(z)
}

/// The zone a person names: `UTC`, `GMT`, an IANA name (`Europe/Berlin`,
/// `US/Pacific`), or a common abbreviation (`CET`, `PST`, `EDT`, `IST`),
/// which stands for the zone it is usually said in, daylight saving
/// included.
pub(crate) fn zone(name: &str) -> Option<TimeZone> {
    let name = name.trim();
    let iana = match name.to_ascii_uppercase().as_str() {
        "UTC" | "GMT" | "Z" | "ZULU" | "UTC+0" | "UTC+00:00" => return Some(TimeZone::UTC),
        "CET" | "CEST" | "MET" | "MEST" => "Europe/Paris",
        // German's names for the same.
        "MEZ" | "MESZ" => "Europe/Berlin",
        "WET" | "WEST" => "Europe/Lisbon",
        "EET" | "EEST" => "Europe/Athens",
        "BST" => "Europe/London",
        "PST" | "PDT" | "PT" | "PACIFIC" => "America/Los_Angeles",
        "MST" | "MDT" | "MT" | "MOUNTAIN" => "America/Denver",
        "CST" | "CDT" | "CT" | "CENTRAL" => "America/Chicago",
        "EST" | "EDT" | "ET" | "EASTERN" => "America/New_York",
        "IST" => "Asia/Kolkata",
        "JST" => "Asia/Tokyo",
        "KST" => "Asia/Seoul",
        "SGT" => "Asia/Singapore",
        "AEST" | "AEDT" => "Australia/Sydney",
        "NZST" | "NZDT" => "Pacific/Auckland",
        _ => name,
    };
    if iana.is_empty() || !iana.chars().all(|c| c.is_ascii_alphanumeric() || "/_+-".contains(c)) {
        return None;
    }
    TimeZone::get(iana).ok()
}

/// The zone a statement about times names in words, "Pacific time",
/// "all times are Eastern", "(Japan Standard Time)", as the abbreviation
/// [`zone`] reads. A name counts only before "time" (a "standard",
/// "daylight" or "summer" between) or right after "times", so "the central
/// database" names no zone.
pub(crate) fn zone_in_words(text: &str) -> Option<&'static str> {
    const NAMES: [(&[&str], &str); 15] = [
        (&["central", "european"], "CET"),
        (&["eastern", "european"], "EET"),
        (&["western", "european"], "WET"),
        (&["australian", "eastern"], "AEST"),
        (&["new", "zealand"], "NZST"),
        (&["coordinated", "universal"], "UTC"),
        (&["pacific"], "PT"),
        (&["eastern"], "ET"),
        (&["central"], "CT"),
        (&["mountain"], "MT"),
        (&["japan"], "JST"),
        (&["india"], "IST"),
        (&["korea"], "KST"),
        (&["singapore"], "SGT"),
        (&["british"], "BST"),
    ];
    let lower = text.to_lowercase();
    let words: Vec<&str> =
        lower.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()).collect();
    let named_before = |end: usize| {
        let before = words.get(..end).unwrap_or_default();
        NAMES.iter().find(|(name, _)| before.ends_with(name)).map(|&(_, zone)| zone)
    };
    words.iter().enumerate().find_map(|(i, &word)| match word {
        "time" => {
            let previous = i.checked_sub(1).and_then(|p| words.get(p));
            let qualified =
                previous.is_some_and(|w| matches!(*w, "standard" | "daylight" | "summer"));
            named_before(if qualified { i - 1 } else { i })
        }
        "times" => {
            let rest = words.get(i + 1..).unwrap_or_default();
            let skip = rest.iter().take_while(|w| matches!(**w, "are" | "in" | "shown")).count();
            let after = rest.get(skip..).unwrap_or_default();
            NAMES.iter().find(|(name, _)| after.starts_with(name)).map(|&(_, zone)| zone)
        }
        _ => None,
    })
}

#[cfg(test)]
mod tests;

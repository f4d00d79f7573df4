//! Dates and times as programs print them rather than people: a zone in
//! square brackets, the `date` command's output, Go's, ISO 8601's basic
//! form, two-digit years, seconds since 1970, `YYYYMMDD`.

use std::sync::OnceLock;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::{Offset, TimeZone};
use regex::Regex;

use super::{When, month_name, when_pattern};

/// A date-time as tools other than people print it, rewritten in a form
/// [`one_when`] reads: a zone in square brackets after the time (RFC 9557,
/// as Java and Temporal print it: `2024-03-01T14:05:00Z[UTC]`), the Unix
/// `date` command's `Fri Mar  1 14:05:00 UTC 2024`, and a two-digit year
/// (`03/01/24`, `1 Mar 24`, `01-Mar-24`), read as 1970 to 2069 as POSIX
/// does. `None` when `s` is none of these.
pub(super) fn rewritten(s: &str) -> Option<String> {
    if let Some((head, zone)) = s.strip_suffix(']').and_then(|r| r.rsplit_once('[')) {
        // An offset written before the brackets says the instant; the name
        // in them only says where.
        let has_offset = when_pattern().captures(head).is_some_and(|c| c.get(8).is_some());
        return Some(if has_offset { head.to_string() } else { format!("{head} {zone}") });
    }
    if let Some(extended) = basic_iso(s) {
        return Some(extended);
    }
    let [unix_date, short_numeric, short_named, go_time] = tool_patterns();
    // Go's way of printing a time, which Hugo reads: `2024-03-05 14:00:00
    // -0800 PST`, a monotonic clock's reading (` m=+0.01`) perhaps after
    // it. The offset says the instant; the name after it only says where.
    if let Some(c) = go_time.captures(s) {
        return Some(format!("{} {}", &c[1], &c[2]));
    }
    if let Some(c) = unix_date.captures(s) {
        let zone = c.get(4).map_or(String::new(), |z| format!(" {}", z.as_str()));
        return Some(format!("{} {} {} {}{zone}", &c[1], &c[2], &c[5], &c[3]));
    }
    // The separator is kept: dots are read day first, slashes and dashes
    // as the US writes them unless the first number cannot be a month.
    let c = short_numeric.captures(s).or_else(|| short_named.captures(s))?;
    let short: i32 = c[4].parse().ok()?;
    let year = if short < 70 { 2000 + short } else { 1900 + short };
    let rest = c.get(5).map_or("", |m| m.as_str());
    Some(format!("{}{sep}{}{sep}{year}{rest}", &c[1], &c[3], sep = &c[2]))
}

/// ISO 8601's basic form of a date and time, as calendars and some
/// incident tools write it (`20240305T1400Z`, `20240305T140000+0100`), in
/// the extended form the other readers take (`2024-03-05T14:00:00+0100`).
fn basic_iso(s: &str) -> Option<String> {
    let (date, rest) = s.split_once(['T', 't'])?;
    let clock_len = rest.bytes().take_while(u8::is_ascii_digit).count();
    let (clock, zone) = rest.split_at(clock_len);
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if date.len() != 8 || !digits(date) || !matches!(clock.len(), 4 | 6) {
        return None;
    }
    let zone_ok = zone.is_empty()
        || zone.eq_ignore_ascii_case("z")
        || (zone.starts_with(['+', '-']) && matches!(zone.len(), 3 | 5) && digits(&zone[1..]));
    if !zone_ok {
        return None;
    }
    let (h, m, sec) = (clock.get(..2)?, clock.get(2..4)?, clock.get(4..).unwrap_or("00"));
    let sec = if sec.is_empty() { "00" } else { sec };
    let (y, mo, d) = (date.get(..4)?, date.get(4..6)?, date.get(6..)?);
    Some(format!("{y}-{mo}-{d}T{h}:{m}:{sec}{zone}"))
}

#[allow(clippy::expect_used, reason = "the patterns are constants, checked by the tests")]
fn tool_patterns() -> &'static [Regex; 4] {
    static P: OnceLock<[Regex; 4]> = OnceLock::new();
    P.get_or_init(|| {
        let month = format!(r"{}\.?", month_name());
        [
            Regex::new(&format!(
                r"^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+({month})\s+(\d{{1,2}})\s+(\d{{1,2}}:\d{{2}}(?::\d{{2}})?)\s+(?:([A-Za-z][A-Za-z0-9_/+:-]*)\s+)?(\d{{4}})$"
            ))
            .expect("valid date-command pattern"),
            Regex::new(r"^(\d{1,2})([/.-])(\d{1,2})[/.-](\d{2})(\s.*)?$").expect("valid short-year pattern"),
            Regex::new(&format!(r"(?i)^(\d{{1,2}})([ /-])({month})[ /-](\d{{2}})(\s.*)?$"))
                .expect("valid short-year pattern"),
            Regex::new(
                r"^(\d{4}-\d{1,2}-\d{1,2}[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)\s+([+-]\d{2}:?\d{2})\s+[A-Za-z][A-Za-z0-9+-]{1,5}(?:\s+m=[+-][\d.]+)?$",
            )
            .expect("valid Go time pattern"),
        ]
    })
}

/// Seconds since 1970 (`1709301900`, `1709301900.5`), as logs, chat and
/// APIs export an instant, or milliseconds (13 digits): an instant in UTC.
/// Only the years 2001 to 2100, so that no count of something else reads
/// as a date.
pub(super) fn epoch_seconds(s: &str) -> Option<When> {
    let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
    if !whole.bytes().all(|b| b.is_ascii_digit()) || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let at = match whole.len() {
        10 if fraction.len() <= 9 => {
            let nanos = format!("{fraction:0<9}").parse().ok()?;
            Timestamp::new(whole.parse().ok()?, nanos).ok()?
        }
        13 if fraction.is_empty() => Timestamp::from_millisecond(whole.parse().ok()?).ok()?,
        _ => return None,
    };
    let date = at.to_zoned(TimeZone::UTC).date();
    (2001..=2100).contains(&date.year()).then_some(When {
        date,
        at: Some(at),
        offset: Some(Offset::UTC),
    })
}

/// `YYYYMMDD`, ISO 8601's basic form, as a whole value.
pub(super) fn compact_date(s: &str) -> Option<When> {
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) || !s.starts_with(['1', '2']) {
        return None;
    }
    let date =
        Date::new(s.get(..4)?.parse().ok()?, s.get(4..6)?.parse().ok()?, s.get(6..)?.parse().ok()?);
    date.ok().filter(|d| (1970..=2100).contains(&d.year())).map(When::day)
}

//! Months and quarters: a month written without a day, a day written
//! without a year, the last day of a period work is due in, the month
//! prose names, and calendar quarters.
//!
//! Part of [`crate::dates`], pure.

use std::sync::OnceLock;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use regex::Regex;

use super::{month_name, month_number, parse_when};

/// The first day of a month written without a day, as a whole value:
/// `2024-03`, `2024/03`, `March 2024`, `Mar. 2024`. Archives that only
/// kept the month still say when the incident was.
pub(crate) fn month_start(text: &str) -> Option<Date> {
    let s = text.trim();
    let (year, month) = match s.split_once(['-', '/']) {
        Some((y, m)) if y.len() == 4 && (1..=2).contains(&m.len()) => (y, m.parse::<i8>().ok()?),
        _ => {
            let (name, y) = s.rsplit_once(' ')?;
            (y, month_number(name.trim().trim_end_matches(','))?)
        }
    };
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Date::new(year.parse().ok()?, month, 1).ok().filter(|d| (1970..=2100).contains(&d.year()))
}

/// The last day of a period a due date may be written as, as a whole
/// value: a month (`June 2024`, `2024-06`) or a quarter (`Q3 2024`,
/// `2024 Q3`, `2024-Q3`, `Q3/2024`). Work due in a period is due by its end.
pub(crate) fn period_end(text: &str) -> Option<Date> {
    let s = text.trim();
    if let Some(first) = month_start(s) {
        return Some(first.last_of_month());
    }
    let upper = s.to_ascii_uppercase();
    let (q, year) = match upper.split_once(['-', ' ', '/']) {
        Some((q, y)) if q.starts_with('Q') => (q, y),
        Some((y, q)) if q.starts_with('Q') => (q, y),
        _ => return None,
    };
    let q: i8 = q.strip_prefix('Q')?.parse().ok().filter(|q| (1..=4).contains(q))?;
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let first = Date::new(year.parse().ok()?, 3 * q - 2, 1).ok()?;
    first.checked_add(jiff::Span::new().months(2)).ok().map(|last_month| last_month.last_of_month())
}

/// The day work written as due by `text` is due: a date in any form
/// [`parse_when`] reads, or the last day of a month or quarter.
pub(crate) fn due_by(text: &str) -> Option<Date> {
    // "end of June 2024", "the end of Q3 2024": the period's last day.
    let trimmed = text.trim();
    let period = ["the end of ", "end of "].iter().find_map(|lead| {
        let head = trimmed.get(..lead.len())?;
        head.eq_ignore_ascii_case(lead).then(|| trimmed.get(lead.len()..)).flatten()
    });
    if let Some(period) = period {
        return period_end(period);
    }
    parse_when(text, &TimeZone::UTC).map(|w| w.date).or_else(|| period_end(text))
}

/// The first month written with its year in prose (`in December 2019`,
/// `(August 2022)`, `Sept. 2019`), as the first day of that month, with
/// the words as written. Of two months named together ("February and
/// March 2026", "Dec-Jan 2020") the first is the start, in the year
/// before when it comes later in the calendar. The month is capitalised,
/// as a month in prose is: "may 2000" is a verb and a number more often
/// than a month.
pub(crate) fn first_month(text: &str) -> Option<(Date, &str)> {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    #[allow(clippy::expect_used, reason = "a constant pattern, checked by the tests")]
    let pattern = PATTERN.get_or_init(|| {
        let month = format!(r"{}\.?", month_name());
        Regex::new(&format!(
            r"\b({month})(?:(?:,? (?:and|to|or|through) |[-–/])({month}))?,? (?:of )?((?:19|20)\d\d)\b"
        ))
        .expect("valid month pattern")
    });
    pattern.captures_iter(text).find_map(|c| {
        let first = month_number(c.get(1)?.as_str())?;
        let year: i16 = c.get(3)?.as_str().parse().ok()?;
        let last = c.get(2).and_then(|m| month_number(m.as_str())).unwrap_or(first);
        let year = if first > last { year - 1 } else { year };
        let date = Date::new(year, first, 1).ok()?;
        Some((date, c.get(0)?.as_str()))
    })
}

/// A day of the month as written after or before the month's name: `5`,
/// `5th`, `22nd`.
const DAY: &str = r"(\d{1,2})(?:st|nd|rd|th)?";

/// The month and the day a pattern of a month's name and [`DAY`] captured,
/// in either order (`March 5` in groups 1 and 2, `5 March` in 3 and 4).
fn month_and_day(c: &regex::Captures<'_>) -> Option<(i8, i8)> {
    let (month, day) = match (c.get(1), c.get(2), c.get(3), c.get(4)) {
        (Some(m), Some(d), _, _) | (_, _, Some(d), Some(m)) => (m.as_str(), d.as_str()),
        _ => return None,
    };
    Some((month_number(month)?, day.parse().ok()?))
}

/// A day written without its year at the start of `text` ("Mar 6, 23:50",
/// "6 March 23:50", "March 7th at 02:10"), and what follows it. The day
/// falls in `near`'s year, or the next one when that puts it half a year
/// or more before `near` (a timeline that runs from Dec 31 into Jan 1).
pub(crate) fn day_without_year(text: &str, near: Date) -> Option<(Date, &str)> {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    #[allow(clippy::expect_used, reason = "a constant pattern, checked by the tests")]
    let pattern = PATTERN.get_or_init(|| {
        let month = format!(r"({})\.?", month_name());
        Regex::new(&format!(r"(?i)^(?:{month}\s+{DAY}|{DAY}\s+{month})\s*,?\s+(?:at\s+)?"))
            .expect("valid day pattern")
    });
    let c = pattern.captures(text.trim_start())?;
    let (month, day) = month_and_day(&c)?;
    let date = Date::new(near.year(), month, day).ok()?;
    let date = match near.since(date).ok()?.get_days() {
        183.. => Date::new(near.year().checked_add(1)?, month, day).ok()?,
        _ => date,
    };
    Some((date, text.trim_start().get(c.get(0)?.end()..)?))
}

/// The first day written without its year in prose ("Night of 14
/// November", "on March 5th"), in `year`, with the words as written; in
/// `month` only, when one is given. The month is capitalised, as in
/// [`first_month`]. A file kept in a folder per year, or named by its
/// month (`Redis failover 2023-11`), says the rest.
pub(crate) fn first_day_in(text: &str, year: i16, month: Option<i8>) -> Option<(Date, &str)> {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    #[allow(clippy::expect_used, reason = "a constant pattern, checked by the tests")]
    let pattern = PATTERN.get_or_init(|| {
        let month = format!(r"({})\.?", month_name());
        Regex::new(&format!(r"\b(?:{month}\s+{DAY}\b|{DAY}\s+(?:of\s+)?{month}\b)"))
            .expect("valid day pattern")
    });
    pattern.captures_iter(text).find_map(|c| {
        let (found, day) = month_and_day(&c)?;
        if month.is_some_and(|wanted| wanted != found) {
            return None;
        }
        let date = Date::new(year, found, day).ok()?;
        Some((date, c.get(0)?.as_str()))
    })
}

/// A calendar quarter. Orders by time; shows as `2024-Q1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Quarter {
    pub(crate) year: i16,
    /// 1 to 4.
    pub(crate) number: i8,
}

impl Quarter {
    /// The quarter `date` falls in.
    pub(crate) fn of(date: Date) -> Quarter {
        Quarter { year: date.year(), number: (date.month() - 1) / 3 + 1 }
    }

    /// The quarter after this one.
    pub(crate) fn next(self) -> Quarter {
        match self.number {
            4 => Quarter { year: self.year + 1, number: 1 },
            n => Quarter { number: n + 1, ..self },
        }
    }

    /// A time axis's label for this quarter: the year, under its first
    /// quarter or under the `first` one drawn.
    pub(crate) fn year_label(self, first: bool) -> Option<String> {
        (self.number == 1 || first).then(|| self.year.to_string())
    }
}

impl std::fmt::Display for Quarter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-Q{}", self.year, self.number)
    }
}

/// The first day of a span of days written in words, as a whole value:
/// "March 5-6, 2024", "5–6 March 2024", "Mar 30 - Apr 2, 2024". An
/// incident written up over two days started on the first.
pub(crate) fn day_span_start(text: &str) -> Option<Date> {
    static SPANS: OnceLock<[Regex; 2]> = OnceLock::new();
    #[allow(clippy::expect_used, reason = "constant patterns, checked by the tests")]
    let [month_first, day_first] = SPANS.get_or_init(|| {
        let dash = r"\s*[-–—]\s*";
        let month = month_name();
        [
            Regex::new(&format!(
                r"(?i)^({month})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?{dash}(?:(?:{month})\.?\s+)?\d{{1,2}}(?:st|nd|rd|th)?,?\s+(\d{{4}})$"
            ))
            .expect("valid month-first span"),
            Regex::new(&format!(
                r"(?i)^(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+({month})\.?)?{dash}\d{{1,2}}(?:st|nd|rd|th)?\s+({month})\.?,?\s+(\d{{4}})$"
            ))
            .expect("valid day-first span"),
        ]
    });
    let s = text.trim();
    let (month, day, year) = if let Some(c) = month_first.captures(s) {
        (c.get(1)?.as_str(), c.get(2)?.as_str(), c.get(3)?.as_str())
    } else {
        let c = day_first.captures(s)?;
        let month = c.get(2).or_else(|| c.get(3))?.as_str();
        (month, c.get(1)?.as_str(), c.get(4)?.as_str())
    };
    Date::new(year.parse().ok()?, month_number(month)?, day.parse().ok()?).ok()
}

/// A day counted from the incident's first, before a time, as multi-day
/// timelines write it: `Day 1, 09:00`, `Day 2 14:05`, `D3 08:00`. Returns
/// the days after the first (0 for day 1) and the rest of the text.
pub(crate) fn day_number(text: &str) -> Option<(i32, &str)> {
    let s = text.trim_start();
    let lower = s.get(..4).map(str::to_ascii_lowercase);
    let rest = match lower.as_deref() {
        Some("day ") => s.get(4..)?,
        _ => s.strip_prefix(['D', 'd']).filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))?,
    };
    let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    let n: i32 = rest.get(..digits)?.parse().ok()?;
    let after = rest.get(digits..)?;
    // A day alone is no time: a separator, then the time, must follow.
    let after = after
        .strip_prefix([',', ' ', '@', '–', '-'])
        .map(|a| a.trim_start_matches([',', ' ', '@']))?;
    (1..=366).contains(&n).then_some((n - 1, after))
}

/// A day written in figures without its year at the start of `text`
/// (`09-12 10:00`, `12/09 10:00`, `12.09. 10:00`), and what follows it.
/// Month first or day first is decided by `near`, the incident's day: of
/// the readings that are dates in `near`'s year (or the next or the one
/// before), the one closest to it, which a timeline stays near.
pub(crate) fn figures_without_year(text: &str, near: Date) -> Option<(Date, &str)> {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    #[allow(clippy::expect_used, reason = "a constant pattern, checked by the tests")]
    let pattern = PATTERN.get_or_init(|| {
        Regex::new(r"^(\d{1,2})([-/.])(\d{1,2})\.?(?:,\s*|\s+)").expect("valid figures pattern")
    });
    let s = text.trim_start();
    let c = pattern.captures(s)?;
    let (a, b): (i8, i8) = (c.get(1)?.as_str().parse().ok()?, c.get(3)?.as_str().parse().ok()?);
    let year = near.year();
    let readings = [(a, b), (b, a)].into_iter().flat_map(|(month, day)| {
        [year.checked_sub(1), Some(year), year.checked_add(1)]
            .into_iter()
            .flatten()
            .filter_map(move |y| Date::new(y, month, day).ok())
    });
    let distance = |d: &Date| near.since(*d).map_or(i32::MAX, |s| s.get_days().abs());
    let date = readings.min_by_key(|d| (distance(d), *d))?;
    Some((date, s.get(c.get(0)?.end()..)?))
}

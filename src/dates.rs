//! Dates written in prose: "March 1, 2025", "1 March 2025", "2025-03-01",
//! "7-27-2015", and `/2017/02/10/` in URLs.
//!
//! Layer 1, pure. Used when a file has no date field (the date is then
//! inferred from its text, with a warning) and by `import`.

use std::sync::OnceLock;

use jiff::civil::Date;
use regex::Regex;

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

/// The month number of an English month name or its abbreviation.
pub fn month_number(name: &str) -> Option<i8> {
    let name = name.trim_end_matches('.').to_lowercase();
    if name.len() < 3 {
        return None;
    }
    let n = MONTHS
        .iter()
        .position(|m| m.starts_with(&name) && (name.len() == 3 || *m == name || name == "sept"))?;
    i8::try_from(n + 1).ok()
}

#[allow(clippy::expect_used, reason = "the patterns are constants, checked by the tests")]
fn patterns() -> &'static [Regex; 6] {
    static P: OnceLock<[Regex; 6]> = OnceLock::new();
    P.get_or_init(|| {
        let month = r"(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?";
        [
            Regex::new(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b").expect("valid ISO pattern"),
            Regex::new(&format!(r"(?i)\b{month} (\d{{1,2}})(?:st|nd|rd|th)?,? ((?:19|20)\d\d)\b")).expect("valid pattern"),
            Regex::new(&format!(r"(?i)\b(\d{{1,2}})(?:st|nd|rd|th)? {month},? ((?:19|20)\d\d)\b")).expect("valid pattern"),
            Regex::new(r"/((?:19|20)\d\d)/(\d\d)/(\d\d)(?:/|\b)").expect("valid URL pattern"),
            Regex::new(r"\b(\d{1,2})-(\d{1,2})-((?:19|20)\d\d)\b").expect("valid US pattern"),
            Regex::new(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)\b").expect("valid US slash pattern"),
        ]
    })
}

fn date(y: &str, m: i8, d: &str) -> Option<Date> {
    Date::new(y.parse().ok()?, m, d.parse().ok()?).ok()
}

/// Every date found in `text` with its byte offset, in text order.
pub fn find_dates(text: &str) -> Vec<(usize, Date)> {
    let [iso, month_day, day_month, url, us, us_slash] = patterns();
    let mut found = Vec::new();
    for c in iso.captures_iter(text) {
        if let Some(d) = c[2].parse().ok().and_then(|m| date(&c[1], m, &c[3])) {
            found.push((c.get(0).map_or(0, |m| m.start()), d));
        }
    }
    for c in month_day.captures_iter(text) {
        if let Some(d) = month_number(&c[1]).and_then(|m| date(&c[3], m, &c[2])) {
            found.push((c.get(0).map_or(0, |m| m.start()), d));
        }
    }
    for c in day_month.captures_iter(text) {
        if let Some(d) = month_number(&c[2]).and_then(|m| date(&c[3], m, &c[1])) {
            found.push((c.get(0).map_or(0, |m| m.start()), d));
        }
    }
    for c in url.captures_iter(text) {
        if let Some(d) = c[2].parse().ok().and_then(|m| date(&c[1], m, &c[3])) {
            found.push((c.get(0).map_or(0, |m| m.start()), d));
        }
    }
    for c in us.captures_iter(text).chain(us_slash.captures_iter(text)) {
        if let Some(d) = c[1].parse().ok().and_then(|m| date(&c[3], m, &c[2])) {
            found.push((c.get(0).map_or(0, |m| m.start()), d));
        }
    }
    found.sort();
    found.dedup();
    found
}

/// The first date written in `text`.
pub fn first_date(text: &str) -> Option<Date> {
    find_dates(text).into_iter().next().map(|(_, d)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_dates_in_prose_and_urls() {
        let d = |y, m, d| Some(Date::constant(y, m, d));
        assert_eq!(first_date("Duration: March 1, 2025, 2:00 AM GMT"), d(2025, 3, 1));
        assert_eq!(first_date("on December 15th, 2021 we"), d(2021, 12, 15));
        assert_eq!(first_date("on 4 Sept 2019 at"), d(2019, 9, 4));
        assert_eq!(first_date("see https://x.org/blog/2017/02/10/post"), d(2017, 2, 10));
        assert_eq!(first_date("manta-postmortem-7-27-2015"), d(2015, 7, 27));
        assert_eq!(first_date("On 2023-07-20 between"), d(2023, 7, 20));
        assert_eq!(first_date("Jan. 5 2020"), d(2020, 1, 5));
        assert_eq!(first_date("created: 6/2/2026, 11:35:28 PM"), d(2026, 6, 2));
        assert_eq!(first_date("no date here, just 2025 and 13-45-2020"), None);
        assert_eq!(first_date("2021-02-30 is not a day"), None);
    }

    #[test]
    fn the_earliest_position_wins() {
        assert_eq!(first_date("June 3, 2020 then 2021-01-01"), Some(Date::constant(2020, 6, 3)));
    }

    #[test]
    fn month_names() {
        assert_eq!(month_number("Sept."), Some(9));
        assert_eq!(month_number("march"), Some(3));
        assert_eq!(month_number("Ma"), None);
        assert_eq!(month_number("Mayday"), None);
    }
}

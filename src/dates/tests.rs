//! Tests of dates.

use super::*;

#[test]
fn quarters_follow_the_calendar() {
    let q = |y, m, d| Quarter::of(jiff::civil::date(y, m, d));
    assert_eq!(q(2024, 1, 1).to_string(), "2024-Q1");
    assert_eq!(q(2024, 6, 30).to_string(), "2024-Q2");
    assert_eq!(q(2024, 12, 31).next(), q(2025, 2, 1));
    assert!(q(2023, 12, 31) < q(2024, 1, 1));
    assert_eq!(q(2024, 5, 1).year_label(false), None);
    assert_eq!(q(2024, 5, 1).year_label(true).as_deref(), Some("2024"));
}

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
    assert_eq!(first_date("発生日時: 2024年3月1日 14:05"), d(2024, 3, 1));
    assert_eq!(first_date("故障时间：2023年 11 月 7 日"), d(2023, 11, 7));
    assert_eq!(first_date("발생: 2022년 6월 30일"), d(2022, 6, 30));
    assert_eq!(first_date("日付 2024/3/1 10:00"), d(2024, 3, 1));
    assert_eq!(first_date("2024年13月1日 and 2024/2/30"), None);
    // Day first where the first number cannot be a month; dots are
    // always day first, or year first.
    assert_eq!(first_date("on 25/03/2024"), d(2024, 3, 25));
    assert_eq!(first_date("am 25.03.2024 um"), d(2024, 3, 25));
    assert_eq!(first_date("2024.03.25"), d(2024, 3, 25));
    assert_eq!(first_date("05/03/2024"), d(2024, 5, 3));
    assert_eq!(first_date("31.02.2024, 13/13/2024"), None);
    assert_eq!(first_date("no date here, just 2025 and 13-45-2020"), None);
    assert_eq!(first_date("2021-02-30 is not a day"), None);
}

#[test]
fn finds_a_month_written_with_its_year_in_prose() {
    let m = |y, mo| Some(Date::constant(y, mo, 1));
    let first = |text| first_month(text).map(|(d, _)| d);
    assert_eq!(first("on a Friday evening in December 2019, the"), m(2019, 12));
    assert_eq!(first("Query incident (August 2022)"), m(2022, 8));
    assert_eq!(first("late Sept. 2019 and May 2020"), m(2019, 9));
    assert_eq!(first("the third week of March of 2021"), m(2021, 3));
    assert_eq!(first_month("in Oct 2014,").map(|(_, w)| w), Some("Oct 2014"));
    assert_eq!(first("incidents in February and March 2026"), m(2026, 2));
    assert_eq!(first("the Dec-Jan 2020 freeze"), m(2019, 12));
    for none in ["it may 2000 times", "March 24", "Marching 2024", "Q4 2023", "in 2019"] {
        assert_eq!(first(none), None, "{none}");
    }
}

#[test]
fn finds_a_day_written_without_its_year_in_a_year_given() {
    let d = |m, day| Some(Date::constant(2023, m, day));
    let first = |text, month| first_day_in(text, 2023, month).map(|(d, _)| d);
    assert_eq!(first("Night of 14 November, 02:11 and 02:13.", None), d(11, 14));
    assert_eq!(first("On March 5th the pool ran dry", None), d(3, 5));
    assert_eq!(first("the 2nd of Feb", None), d(2, 2));
    assert_eq!(
        first_day_in("Night of 14 November", 2023, None).map(|(_, w)| w),
        Some("14 November")
    );
    // In the month given only; never a month with its year, a number or
    // a day that is none.
    assert_eq!(first("On March 5 and then 14 November", Some(11)), d(11, 14));
    for none in ["November 2023", "it may 5 times", "31 February", "in 14 days", "Marching 5"] {
        assert_eq!(first(none, None), None, "{none}");
    }
}

#[test]
fn a_month_without_a_day_starts_on_its_first() {
    let d = |y, m| Some(Date::constant(y, m, 1));
    assert_eq!(month_start("2024-03"), d(2024, 3));
    assert_eq!(month_start(" 2024/3 "), d(2024, 3));
    assert_eq!(month_start("March 2024"), d(2024, 3));
    assert_eq!(month_start("Mar. 2024"), d(2024, 3));
    assert_eq!(month_start("Sept, 2019"), d(2019, 9));
    for not_a_month in [
        "2024-13",
        "2024",
        "March",
        "Marching 2024",
        "2024-03-05",
        "03/2024",
        "Q1 2024",
        "March 24",
    ] {
        assert_eq!(month_start(not_a_month), None, "{not_a_month}");
    }
}

#[test]
fn zones_in_brackets_and_as_offsets_from_utc() {
    let at = |s: &str| parse_when(s, &TimeZone::UTC).and_then(|w| w.at).map(|t| t.to_string());
    let some = |s: &str| Some(s.to_string());
    assert_eq!(at("2024-03-05 14:00 UTC+2"), some("2024-03-05T12:00:00Z"));
    assert_eq!(at("2024-03-05 14:00 GMT-05:00"), some("2024-03-05T19:00:00Z"));
    assert_eq!(at("2024-03-05 14:00 (UTC)"), some("2024-03-05T14:00:00Z"));
    assert_eq!(at("2024-03-05 14:00 (CET)"), some("2024-03-05T13:00:00Z"));
    assert_eq!(at("2024-03-05 14:00 UTC+25"), None);
    assert_eq!(at("2024-03-05 14:00 (in the morning)"), None);
}

#[test]
fn date_times_as_tools_print_them() {
    let both = |d: &str, t: &str| Some((d.to_string(), Some(t.to_string())));
    let day = |d: &str| Some((d.to_string(), None));
    assert_eq!(when("2024-03-01T14:05:00Z[UTC]"), both("2024-03-01", "2024-03-01T14:05:00Z"));
    assert_eq!(
        when("2024-03-01T14:05:00+01:00[Europe/Paris]"),
        both("2024-03-01", "2024-03-01T13:05:00Z")
    );
    assert_eq!(
        when("2024-03-01T14:05:00[Europe/Berlin]"),
        both("2024-03-01", "2024-03-01T13:05:00Z")
    );
    assert_eq!(when("Fri Mar  1 14:05:00 UTC 2024"), both("2024-03-01", "2024-03-01T14:05:00Z"));
    assert_eq!(when("Fri Mar 1 14:05:00 CET 2024"), both("2024-03-01", "2024-03-01T13:05:00Z"));
    assert_eq!(when("Fri Mar 1 14:05:00 2024"), both("2024-03-01", "2024-03-01T14:05:00Z"));
    // Go's `time.String()`, which Hugo reads: the offset gives the instant.
    let go = both("2024-03-05", "2024-03-05T22:00:00Z");
    assert_eq!(when("2024-03-05 14:00:00 -0800 PST"), go);
    assert_eq!(
        when("2024-03-05 14:00:00.5 -0800 PST m=+0.016"),
        both("2024-03-05", "2024-03-05T22:00:00.5Z")
    );
    assert_eq!(when("2024-03-05 14:00:00 +0000 UTC"), both("2024-03-05", "2024-03-05T14:00:00Z"));
    assert_eq!(when("1709301900"), both("2024-03-01", "2024-03-01T14:05:00Z"));
    assert_eq!(when("1709301900.25"), both("2024-03-01", "2024-03-01T14:05:00.25Z"));
    assert_eq!(when("1709301900000"), both("2024-03-01", "2024-03-01T14:05:00Z"));
    // Two-digit years, 1970 to 2069; dots stay day first.
    assert_eq!(when("1 Mar 24"), day("2024-03-01"));
    assert_eq!(when("01-Mar-99"), day("1999-03-01"));
    assert_eq!(when("03/01/24"), day("2024-03-01"));
    assert_eq!(when("25/03/24 10:00"), both("2024-03-25", "2024-03-25T10:00:00Z"));
    assert_eq!(when("01.03.24"), day("2024-03-01"));
    assert_eq!(when("01.03.2024 14:05 Uhr"), both("2024-03-01", "2024-03-01T14:05:00Z"));
    assert_eq!(without_oclock("14:05 uhr "), "14:05");
    assert_eq!(without_oclock("Zeituhr"), "Zeituhr");
    assert_eq!(without_oclock("14:05 Uhr MEZ"), "14:05 MEZ");
    assert_eq!(
        ambiguous_day_month("03/01/24"),
        Some((Date::constant(2024, 3, 1), Date::constant(2024, 1, 3)))
    );
    for not_a_date in
        ["170930190", "99999999999", "0000000001", "1/2/3", "Fri Mar 1 2024 x", "[UTC]"]
    {
        assert_eq!(when(not_a_date), None, "{not_a_date}");
    }
}

#[test]
fn a_period_ends_on_its_last_day() {
    let d = |y, m, d| Some(Date::constant(y, m, d));
    assert_eq!(period_end("Q3 2024"), d(2024, 9, 30));
    assert_eq!(period_end("2024 q1"), d(2024, 3, 31));
    assert_eq!(period_end("2024-Q4"), d(2024, 12, 31));
    assert_eq!(period_end("Q2/2025"), d(2025, 6, 30));
    assert_eq!(period_end("June 2024"), d(2024, 6, 30));
    assert_eq!(period_end("2024-02"), d(2024, 2, 29));
    assert_eq!(due_by("end of June 2024"), d(2024, 6, 30));
    assert_eq!(due_by("The end of Q3 2024"), d(2024, 9, 30));
    assert_eq!(due_by("end of 2024-06-12"), None);
    for not_a_period in ["Q5 2024", "Q3", "Q3 24", "2024", "next quarter", "2024-06-01"] {
        assert_eq!(period_end(not_a_period), None, "{not_a_period}");
    }
}

#[test]
fn day_and_month_that_read_both_ways_are_ambiguous() {
    let both = |m: (i16, i8, i8), d: (i16, i8, i8)| {
        Some((Date::constant(m.0, m.1, m.2), Date::constant(d.0, d.1, d.2)))
    };
    assert_eq!(ambiguous_day_month("05/03/2024"), both((2024, 5, 3), (2024, 3, 5)));
    assert_eq!(ambiguous_day_month(" 5-3-2024 "), both((2024, 5, 3), (2024, 3, 5)));
    assert_eq!(ambiguous_day_month("05/03/2024 10:00"), both((2024, 5, 3), (2024, 3, 5)));
    for one_way in ["25/03/2024", "03/03/2024", "2024-03-05", "May 3, 2024", "on 05/03/2024"] {
        assert_eq!(ambiguous_day_month(one_way), None, "{one_way}");
    }
}

#[test]
fn the_earliest_position_wins() {
    assert_eq!(first_date("June 3, 2020 then 2021-01-01"), Some(Date::constant(2020, 6, 3)));
}

fn when(s: &str) -> Option<(String, Option<String>)> {
    parse_when(s, &TimeZone::UTC).map(|w| (w.date.to_string(), w.at.map(|t| t.to_string())))
}

#[test]
fn front_matter_dates_in_every_accepted_form() {
    let both = |d: &str, t: &str| Some((d.to_string(), Some(t.to_string())));
    assert_eq!(when("2024-01-09"), Some(("2024-01-09".into(), None)));
    assert_eq!(when("2023-12-04T8:00:00-00:00"), both("2023-12-04", "2023-12-04T08:00:00Z"));
    assert_eq!(when("2020-06-13 16:54:00"), both("2020-06-13", "2020-06-13T16:54:00Z"));
    assert_eq!(when("2020-06-13 16:54"), both("2020-06-13", "2020-06-13T16:54:00Z"));
    assert_eq!(when("2022-07-19T14:05:00+0100"), both("2022-07-19", "2022-07-19T13:05:00Z"));
    assert_eq!(when("2022-05-03 10:22:00 +0200"), both("2022-05-03", "2022-05-03T08:22:00Z"));
    assert_eq!(when("2001-12-14 21:59:43.10 -5"), both("2001-12-14", "2001-12-15T02:59:43.1Z"));
    assert_eq!(when("2024-02-11T14:02:00Z"), both("2024-02-11", "2024-02-11T14:02:00Z"));
    assert_eq!(when("2024-3-5"), Some(("2024-03-05".into(), None)));
    assert_eq!(when("2024-03-05 09:00 CET"), both("2024-03-05", "2024-03-05T08:00:00Z"));
    assert_eq!(when("March 4, 2024"), Some(("2024-03-04".into(), None)));
    assert_eq!(when("2024年3月4日"), Some(("2024-03-04".into(), None)));
    assert_eq!(when("January 5, 2024 at 10:00 AM"), both("2024-01-05", "2024-01-05T10:00:00Z"));
    // An hour alone is a time with AM or PM, and is none without.
    assert_eq!(when("March 5th 2024, 2pm"), both("2024-03-05", "2024-03-05T14:00:00Z"));
    assert_eq!(when("March 5, 2024 at 11 a.m. EST"), both("2024-03-05", "2024-03-05T16:00:00Z"));
    assert_eq!(when("March 5, 2024, 14"), Some(("2024-03-05".into(), None)));
    assert_eq!(when("2024-01-05 10:00 PM"), both("2024-01-05", "2024-01-05T22:00:00Z"));
    assert_eq!(when("2024-01-05 12:30 am CET"), both("2024-01-05", "2024-01-04T23:30:00Z"));
    assert_eq!(when("Fri, 05 Jan 2024 10:00:00 +0100"), both("2024-01-05", "2024-01-05T09:00:00Z"));
    assert_eq!(when("Friday, 5 Jan 2024 10:00"), both("2024-01-05", "2024-01-05T10:00:00Z"));
    assert_eq!(when("25.03.2024 14:05"), both("2024-03-25", "2024-03-25T14:05:00Z"));
    assert_eq!(when("2024/03/04"), Some(("2024-03-04".into(), None)));
    assert_eq!(when("05-Mar-2024"), Some(("2024-03-05".into(), None)));
    assert_eq!(when("5/Mar/2024 10:00"), both("2024-03-05", "2024-03-05T10:00:00Z"));
    assert_eq!(when("5th of March, 2024"), Some(("2024-03-05".into(), None)));
    assert_eq!(when("20240305"), Some(("2024-03-05".into(), None)));
    // ISO 8601's basic form with a time, as calendars write it.
    assert_eq!(when("20240305T1400Z"), both("2024-03-05", "2024-03-05T14:00:00Z"));
    assert_eq!(when("20240305T140030+0100"), both("2024-03-05", "2024-03-05T13:00:30Z"));
    assert_eq!(when("20240305T14"), None);
    // Mail's day-first form with a zone RFC 2822 does not name: the zone's
    // offset, not UTC; with one it names, as before.
    assert_eq!(when("5 Mar 2024 14:00 CET"), both("2024-03-05", "2024-03-05T13:00:00Z"));
    assert_eq!(when("Tue, 5 Mar 2024 14:00:00 PST"), both("2024-03-05", "2024-03-05T22:00:00Z"));
    // A range starts at its first end, in the zone written at its last.
    assert_eq!(when("2024-03-05 14:00 to 15:30 CET"), both("2024-03-05", "2024-03-05T13:00:00Z"));
    assert_eq!(
        when("2024-03-05 14:00 - 2024-03-06 01:00"),
        both("2024-03-05", "2024-03-05T14:00:00Z")
    );
    assert_eq!(when("March 5, 2024 – March 7, 2024"), Some(("2024-03-05".into(), None)));
    assert_eq!(range_end("2024-03-05 14:00 to 15:30 UTC").as_deref(), Some("2024-03-05 15:30 UTC"));
    assert_eq!(
        range_end("2024-03-05 23:00 - 2024-03-06 01:00").as_deref(),
        Some("2024-03-06 01:00")
    );
    assert_eq!(range_end("2024-03-05 14:00"), None);
    assert_eq!(range_end("2024-03-05 14:00 to lunch"), None);
    for bad in [
        "20241305",
        "12345678",
        "March 2024",
        "to be decided - later",
        "yesterday",
        "2024-13-01",
        "2024-02-30",
        "2024-01-01T25:00",
        "2024-01-01 10:00 +9999",
        "2024-01-01 10:00 Mars/Olympus",
        "in March 4, 2024 we saw",
        "2024-01-05 13:00 PM",
        "March 4, 2024 at 25:00",
    ] {
        assert_eq!(when(bad), None, "{bad}");
    }
}

#[test]
fn zone_less_times_take_the_configured_zone() {
    let berlin = zone("Europe/Berlin").unwrap();
    let w = parse_when("2024-07-01 12:00", &berlin).unwrap();
    assert_eq!(w.at.unwrap().to_string(), "2024-07-01T10:00:00Z");
    assert!(zone("US/Pacific").is_some());
    assert!(zone("cet").is_some());
    assert!(zone("../etc/passwd").is_none());
    assert!(zone("Nowhere/City").is_none());
}

#[test]
fn month_names() {
    assert_eq!(month_number("Sept."), Some(9));
    assert_eq!(month_number("march"), Some(3));
    assert_eq!(month_number("Ma"), None);
    assert_eq!(month_number("Mayday"), None);
    assert_eq!(month_number("März"), Some(3));
    assert_eq!(month_number("Dez."), Some(12));
    assert_eq!(month_number("juillet"), Some(7));
    assert_eq!(month_number("setiembre"), Some(9));
    assert_eq!(month_number("março"), Some(3));
}

#[test]
fn dates_in_words_of_other_languages() {
    let both = |d: &str, t: &str| Some((d.to_string(), Some(t.to_string())));
    assert_eq!(when("5. März 2024"), Some(("2024-03-05".into(), None)));
    assert_eq!(when("5. März 2024, 14:05 Uhr"), both("2024-03-05", "2024-03-05T14:05:00Z"));
    assert_eq!(when("5 de marzo de 2024 a las 14:05"), both("2024-03-05", "2024-03-05T14:05:00Z"));
    assert_eq!(when("5 mars 2024 à 14h05"), both("2024-03-05", "2024-03-05T14:05:00Z"));
    assert_eq!(when("5. März 2024, 14:05 Uhr MEZ"), both("2024-03-05", "2024-03-05T13:05:00Z"));
    assert_eq!(when("12 de dezembro de 2023"), Some(("2023-12-12".into(), None)));
    assert_eq!(first_date("Am 3. Juli 2024 fiel die Suche aus."), Some(Date::constant(2024, 7, 3)));
    // English words that are month names elsewhere name no date alone.
    assert_eq!(first_date("the mars rover in 2024"), None);
}

#[test]
fn a_day_without_its_year_takes_the_year_of_the_day_near_it() {
    let near = Date::constant(2024, 3, 6);
    let read =
        |s: &str| day_without_year(s, near).map(|(d, rest)| (d.to_string(), rest.to_string()));
    let some = |d: &str, rest: &str| Some((d.to_string(), rest.to_string()));
    assert_eq!(read("Mar 6, 23:50"), some("2024-03-06", "23:50"));
    assert_eq!(read("6 March 23:50"), some("2024-03-06", "23:50"));
    assert_eq!(read("March 7th at 2:10 AM"), some("2024-03-07", "2:10 AM"));
    assert_eq!(read("7 Mar. 02:10"), some("2024-03-07", "02:10"));
    // Past the turn of the year, from a timeline that began in December.
    let new_year = day_without_year("Jan 1, 00:10", Date::constant(2023, 12, 31));
    assert_eq!(new_year.map(|(d, _)| d.to_string()).as_deref(), Some("2024-01-01"));
    // Not a day: a month and year, a day that does not exist, prose.
    assert_eq!(read("Mar 2024 23:50"), None);
    assert_eq!(read("Feb 30, 10:00"), None);
    assert_eq!(read("Mayday called at 10:00"), None);
}

#[test]
fn a_span_of_days_in_words_starts_on_its_first_day() {
    let start = |s: &str| parse_when(s, &TimeZone::UTC).map(|w| w.date.to_string());
    for (written, day) in [
        ("March 5-6, 2024", "2024-03-05"),
        ("Mar. 5 – 6, 2024", "2024-03-05"),
        ("5-6 March 2024", "2024-03-05"),
        ("5th–6th March 2024", "2024-03-05"),
        ("Mar 30 - Apr 2, 2024", "2024-03-30"),
        ("30 March – 2 April 2024", "2024-03-30"),
    ] {
        assert_eq!(start(written).as_deref(), Some(day), "{written}");
    }
    for not_a_span in ["March 5-6", "5-6 2024", "March 32-33, 2024", "Version 5-6, 2024"] {
        assert_eq!(start(not_a_span), None, "{not_a_span}");
    }
}

#[test]
fn times_written_from_the_start() {
    let minutes = |s: &str| from_start(s).map(|seconds| seconds / 60);
    for (written, want) in [
        ("T+0", 0),
        ("T+6m", 6),
        ("T+1h10m", 70),
        ("T+1h10", 70),
        ("T+1:10", 70),
        ("T+25", 25),
        ("T + 2d", 2880),
        ("T-5m", -5),
        ("t+90min", 90),
    ] {
        assert_eq!(minutes(written), Some(want), "{written}");
    }
    for not_one in ["T+", "T+x", "T+5q", "Tuesday", "T+1:75", "+5m", "T+5s3"] {
        assert_eq!(from_start(not_one), None, "{not_one}");
    }
}

#[test]
fn a_day_in_figures_without_its_year_is_read_near_the_incident() {
    let near = jiff::civil::date(2019, 9, 17);
    let day =
        |s: &str| figures_without_year(s, near).map(|(d, rest)| (d.to_string(), rest.to_string()));
    let some = |d: &str, rest: &str| Some((d.to_string(), rest.to_string()));
    assert_eq!(day("09-12 10:00"), some("2019-09-12", "10:00"));
    assert_eq!(day("12/09 10:00"), some("2019-09-12", "10:00"), "day first, as it is nearer");
    assert_eq!(day("17.09. 08:00"), some("2019-09-17", "08:00"));
    assert_eq!(day("01-02 03:00"), some("2020-01-02", "03:00"), "into the next year");
    for not_one in ["09-12", "10:00 paged", "13-13 10:00", "2019-09-12 10:00"] {
        assert_eq!(day(not_one), None, "{not_one}");
    }
}

#[test]
fn a_plain_day_is_read_at_once_as_the_long_way_reads_it() {
    let zone = TimeZone::UTC;
    let mut texts: Vec<String> = Vec::new();
    // Every day of a leap year and of the year after, and days no calendar has.
    let mut day = jiff::civil::date(2024, 1, 1);
    while day.year() < 2026 {
        texts.push(day.to_string());
        day = day.tomorrow().unwrap();
    }
    texts.extend(
        ["2023-02-29", "2024-02-30", "2024-13-01", "2024-00-10", "2024-04-31", "0000-01-01"]
            .map(String::from),
    );
    texts.extend(
        ["9999-12-31", "2024-1-05", "2024/01/05", "2024-01-05 ", " 2024-01-05", "2024-01-0x"]
            .map(String::from),
    );
    for text in &texts {
        assert_eq!(parse_when(text, &zone), read_when(text.trim(), &zone), "{text:?}");
    }
    assert_eq!(plain_iso_day("2024-02-29"), Some(jiff::civil::date(2024, 2, 29)));
    assert_eq!(plain_iso_day("2023-02-29"), None);
    assert_eq!(plain_iso_day("2024-1-05"), None);
}

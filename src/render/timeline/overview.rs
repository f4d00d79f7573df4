//! The timeline page's overview strip: incidents per week (month, quarter
//! or year over longer spans), stacked by severity, each bar a link into
//! the list below.

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::{entry_anchor, monday_of, month_name, page_of, severity_series};
use crate::render::pager::page_file;
use crate::render::shared::Shared;
use crate::render::svg::{self, Column, Frame, Segment};

/// The most years the overview strip shows.
const STRIP_YEARS: i16 = 10;

/// The most columns a drawing of the overview strip has per 100 px of its
/// width: thinner columns cannot be told apart or clicked, and only add
/// bytes.
const COLUMNS_PER_100_PX: u32 = 14;

/// A column of the overview strip: a week, a month, a quarter or a year.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Bucket {
    Week,
    Month,
    Quarter,
    Year,
}

impl Bucket {
    /// The first day of `date`'s bucket.
    fn start(self, date: Date) -> Date {
        let month = |m: i8| Date::new(date.year(), m, 1).unwrap_or(date);
        match self {
            Bucket::Week => monday_of(date),
            Bucket::Month => date.first_of_month(),
            Bucket::Quarter => month((date.month() - 1) / 3 * 3 + 1),
            Bucket::Year => month(1),
        }
    }

    /// The first day of the next bucket.
    fn next(self, start: Date) -> Option<Date> {
        let span = match self {
            Bucket::Week => jiff::Span::new().days(7),
            Bucket::Month => jiff::Span::new().months(1),
            Bucket::Quarter => jiff::Span::new().months(3),
            Bucket::Year => jiff::Span::new().years(1),
        };
        start.checked_add(span).ok()
    }

    fn noun(self) -> &'static str {
        match self {
            Bucket::Week => "week",
            Bucket::Month => "month",
            Bucket::Quarter => "quarter",
            Bucket::Year => "year",
        }
    }

    fn name(self, start: Date) -> String {
        match self {
            Bucket::Week => format!("Week of {start}"),
            Bucket::Month => month_name(start),
            Bucket::Quarter => crate::dates::Quarter::of(start).to_string(),
            Bucket::Year => start.year().to_string(),
        }
    }

    /// The finest bucket that gives at most `columns` columns from
    /// `first` to `last`.
    fn fitting(first: Date, last: Date, columns: u32) -> Bucket {
        let days = (last - first).get_days().max(0) as f64 + 1.0;
        let columns = f64::from(columns.max(1));
        [(Bucket::Week, 7.0), (Bucket::Month, 30.44), (Bucket::Quarter, 91.3)]
            .into_iter()
            .find(|(_, length)| days / length + 1.0 <= columns)
            .map_or(Bucket::Year, |(bucket, _)| bucket)
    }
}

/// The overview strip: incidents per week (per month, quarter or year
/// when the archive spans more than a drawing's width holds), stacked by
/// severity, each part linking to the newest incident it counts in the
/// list below. Undated incidents have no column; the page says how many
/// are left off.
pub(super) fn overview_svg(ctx: &Shared<'_>) -> Option<String> {
    let dated: Vec<(Date, usize)> =
        ctx.input.incidents.iter().enumerate().filter_map(|(n, i)| Some((i.date?, n))).collect();
    let last = dated.iter().map(|(d, _)| *d).max()?;
    // A strip of centuries would be unreadable and huge: show the most
    // recent years at most; the list below still holds every incident.
    let horizon = Date::new(last.year().saturating_sub(STRIP_YEARS - 1), 1, 1).unwrap_or(last);
    let first = dated.iter().map(|(d, _)| *d).min()?.max(horizon);
    let (series, index) = severity_series(ctx);
    let frame = Frame {
        title: "Incidents per week, by severity",
        id: "overview",
        width: 960,
        height: 170,
        value_axis: "Incidents",
        minutes: false,
    };
    let draw = |f: &Frame<'_>| {
        let bucket = Bucket::fitting(first, last, f.width * COLUMNS_PER_100_PX / 100);
        let columns = overview_columns(ctx, &dated, &index, bucket, (first, last));
        let title = format!("Incidents per {}, by severity", bucket.noun());
        svg::stacked_columns(&Frame { title: &title, ..f.clone() }, &series, &columns)
    };
    Some(svg::responsive(&frame, draw))
}

/// The columns of the overview strip from `first` to `last`, one per
/// `bucket`, each segment counting one severity and linking to its newest
/// incident.
fn overview_columns(
    ctx: &Shared<'_>,
    dated: &[(Date, usize)],
    index: &BTreeMap<String, usize>,
    bucket: Bucket,
    (first, last): (Date, Date),
) -> Vec<Column> {
    // Bucket → severity → (count, newest incident's date and number).
    let mut buckets: BTreeMap<Date, BTreeMap<usize, (usize, Date, usize)>> = BTreeMap::new();
    for &(date, n) in dated.iter().filter(|(d, _)| *d >= first) {
        let Some(incident) = ctx.input.incidents.get(n) else { continue };
        let s = index.get(&incident.severity.name).copied().unwrap_or(0);
        let slot = buckets.entry(bucket.start(date)).or_default().entry(s).or_insert((0, date, n));
        slot.0 += 1;
        if date > slot.1 {
            (slot.1, slot.2) = (date, n);
        }
    }
    let mut columns = Vec::new();
    let mut at = bucket.start(first);
    let end = bucket.start(last);
    let mut previous_year = None;
    while at <= end {
        let label = (previous_year != Some(at.year())).then(|| at.year().to_string());
        previous_year = Some(at.year());
        let segments = buckets
            .get(&at)
            .map(|by_sev| {
                by_sev
                    .iter()
                    .map(|(&series, &(value, _, newest))| Segment {
                        series,
                        value,
                        href: ctx.input.incidents.get(newest).map(|i| {
                            format!("{}#{}", page_file(page_of(newest)), entry_anchor(&i.slug))
                        }),
                    })
                    .collect()
            })
            .unwrap_or_default();
        columns.push(Column { name: bucket.name(at), label, segments });
        let Some(next) = bucket.next(at) else { break };
        at = next;
    }
    columns
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn each_drawing_counts_in_the_finest_bucket_that_fits_its_width() {
        let (first, last) = (date(2015, 1, 1), date(2024, 12, 31));
        let wide = 960 * COLUMNS_PER_100_PX / 100;
        let narrow = 420 * COLUMNS_PER_100_PX / 100;
        assert_eq!(Bucket::fitting(date(2024, 1, 1), last, wide), Bucket::Week);
        assert_eq!(Bucket::fitting(first, last, wide), Bucket::Month);
        assert_eq!(Bucket::fitting(first, last, narrow), Bucket::Quarter);
        assert_eq!(Bucket::fitting(first, last, 5), Bucket::Year);
        // Walking the buckets from first to last gives no more columns
        // than the drawing has room for.
        for columns in [wide, narrow] {
            let bucket = Bucket::fitting(first, last, columns);
            let mut at = bucket.start(first);
            let mut n = 0;
            while at <= last {
                n += 1;
                at = bucket.next(at).unwrap();
            }
            assert!(n <= columns, "{bucket:?}: {n} columns for {columns}");
        }
        assert_eq!(Bucket::Quarter.start(date(2024, 5, 17)), date(2024, 4, 1));
        assert_eq!(Bucket::Quarter.name(date(2024, 4, 1)), "2024-Q2");
        assert_eq!(Bucket::Week.name(date(2024, 4, 1)), "Week of 2024-04-01");
    }
}

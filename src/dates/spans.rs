//! Spans of time as people write them: a duration (`1h30m`, `90 min`,
//! `1 hour 30 minutes`, ISO 8601's `PT1H30M`, `1:30`, `~2 hours`), and a
//! timeline's offset from the start (`T+6m`).
//!
//! Part of [`crate::dates`], pure. jiff reads the spans; this file reads
//! the forms it does not.

/// A span in words or ISO 8601, read with jiff's parser: an estimate
/// reads as its value (`~2 hours`, `about 90 min`), a clock reading as
/// hours and minutes (`1:30`; `None` past 59 minutes), and minutes after
/// hours need no unit (`2h15`).
fn span_of(text: &str) -> Option<jiff::Span> {
    let text = without_estimate(text.trim());
    if let Some((hours, minutes)) = text.split_once(':').filter(|(_, m)| m.len() == 2) {
        if let (Ok(h), Ok(m)) = (hours.parse::<i64>(), minutes.parse::<i64>()) {
            return (m < 60 && h >= 0).then(|| jiff::Span::new().hours(h).minutes(m));
        }
    }
    let unit_less = text
        .strip_suffix(|c: char| c.is_ascii_digit())
        .and_then(|t| t.trim_end_matches(|c: char| c.is_ascii_digit()).strip_suffix('h'))
        .filter(|hours| !hours.is_empty())
        .map(|_| format!("{text}m"));
    unit_less.as_deref().unwrap_or(text).parse().ok()
}

/// `span` in `unit`s, days counting 24 hours.
fn total(span: jiff::Span, unit: jiff::Unit) -> Option<f64> {
    span.total(jiff::SpanTotal::from(unit).days_are_24_hours()).ok()
}

/// The whole minutes of a span (see [`span_of`]); `None` when negative or
/// not a span.
pub(crate) fn span_minutes(text: &str) -> Option<u64> {
    let total = total(span_of(text)?, jiff::Unit::Minute)?;
    (0.0..1e9).contains(&total).then(|| total.round() as u64)
}

/// `text` without a word saying it is an estimate before it ("~",
/// "about", "approx.", "roughly"...).
fn without_estimate(text: &str) -> &str {
    const ESTIMATES: [&str; 10] = [
        "~",
        "≈",
        "about ",
        "approx. ",
        "approx ",
        "approximately ",
        "around ",
        "roughly ",
        "ca. ",
        "circa ",
    ];
    ESTIMATES
        .iter()
        .find_map(|word| {
            let head = text.get(..word.len())?;
            head.eq_ignore_ascii_case(word).then(|| text.get(word.len()..)).flatten()
        })
        .map_or(text, str::trim_start)
}

/// A time written as an offset from the incident's start, as some
/// templates keep their timelines: `T+0`, `T+6m`, `T+1h10m`, `T+1:10`,
/// `T+25` (minutes), `T-5m`, `T + 2d`. Returns the offset in seconds.
pub(crate) fn from_start(text: &str) -> Option<i64> {
    let rest = text.trim().strip_prefix(['T', 't'])?.trim_start();
    let (sign, rest) = match rest.chars().next()? {
        '+' => (1, rest.get(1..)?),
        '-' => (-1, rest.get(1..)?),
        '−' => (-1, rest.get('−'.len_utf8()..)?),
        _ => return None,
    };
    let span = rest.trim().to_ascii_lowercase();
    // A bare number is minutes (`T+25`); anything else a span.
    let seconds = match span.parse::<u32>() {
        Ok(minutes) => f64::from(minutes) * 60.0,
        Err(_) if span.starts_with(|c: char| c.is_ascii_digit()) => {
            total(span_of(&span)?, jiff::Unit::Second)?
        }
        Err(_) => return None,
    };
    (0.0..1e11).contains(&seconds).then(|| sign * seconds.round() as i64)
}

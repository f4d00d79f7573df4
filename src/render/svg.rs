//! SVG charts drawn at build time: stacked columns (incidents over time),
//! lines (trends of times) and grouped horizontal bars (times and top
//! lists).
//!
//! Inputs: plain numbers and labels from the page builders. Output: an
//! `<svg>` string to embed in a page. Every element is written through
//! quick-xml's writer, so labels (service names, tags) are escaped. Colours
//! come from CSS classes (`sev-<level>` sets `--sev`, `series-<n>`), and text
//! uses `currentColor`, so one chart reads in light and dark mode and the
//! pages need no inline style. Imports: nothing from the crate.

use std::borrow::Cow;

use super::xml::XmlWriter;

/// One series of a chart: its legend name and CSS class.
#[derive(Debug, Clone)]
pub(crate) struct Series {
    pub(crate) name: String,
    pub(crate) class: String,
}

/// One part of a stacked column.
#[derive(Debug, Clone)]
pub(crate) struct Segment {
    /// Index into the chart's series.
    pub(crate) series: usize,
    pub(crate) value: usize,
    /// Where a click on the segment goes (relative or `#fragment`).
    pub(crate) href: Option<String>,
}

/// One column: a category (a month, a week) and its stacked parts.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    /// Full name of the category, for the tooltip.
    pub(crate) name: String,
    /// Axis label under the column, if this column gets one.
    pub(crate) label: Option<String>,
    pub(crate) segments: Vec<Segment>,
}

/// Size and text of a chart.
#[derive(Debug, Clone)]
pub(crate) struct Frame<'a> {
    /// Shown above the chart and read by screen readers.
    pub(crate) title: &'a str,
    /// Unique on the page; used for `aria-labelledby`.
    pub(crate) id: &'a str,
    pub(crate) width: u32,
    pub(crate) height: u32,
    /// Axis caption of the value axis.
    pub(crate) value_axis: &'a str,
    /// The values are minutes: ticks fall on clock-friendly steps.
    pub(crate) minutes: bool,
}

/// A thin wrapper over quick-xml's writer for the few SVG shapes we draw.
struct Svg {
    w: XmlWriter,
}

/// The chart's element methods are the writer's.
impl std::ops::Deref for Svg {
    type Target = XmlWriter;
    fn deref(&self) -> &XmlWriter {
        &self.w
    }
}

impl std::ops::DerefMut for Svg {
    fn deref_mut(&mut self) -> &mut XmlWriter {
        &mut self.w
    }
}

impl Svg {
    fn new(frame: &Frame<'_>) -> Svg {
        let mut svg = Svg { w: XmlWriter::fragment() };
        let view_box = format!("0 0 {} {}", frame.width, frame.height);
        let title_id = format!("{}-title", frame.id);
        svg.open(
            "svg",
            &[
                ("xmlns", "http://www.w3.org/2000/svg"),
                ("class", "chart-svg"),
                ("viewBox", &view_box),
                ("role", "group"),
                ("aria-labelledby", &title_id),
            ],
        );
        svg.text("title", &[("id", &title_id)], frame.title);
        svg
    }

    fn finish(mut self) -> String {
        self.close("svg");
        String::from_utf8(self.w.into_bytes()).unwrap_or_default()
    }

    fn line(&mut self, class: &str, x1: f64, y1: f64, x2: f64, y2: f64) {
        self.empty(
            "line",
            &[
                ("class", class),
                ("x1", &num(x1)),
                ("y1", &num(y1)),
                ("x2", &num(x2)),
                ("y2", &num(y2)),
            ],
        );
    }

    fn label(&mut self, class: &str, x: f64, y: f64, anchor: &str, text: &str) {
        self.text(
            "text",
            &[("class", class), ("x", &num(x)), ("y", &num(y)), ("text-anchor", anchor)],
            text,
        );
    }

    /// The value axis of a plot `(left, top, width, height)`: a grid line
    /// and a tick label every `step` from 0 to `axis_max`, then the
    /// baseline.
    fn value_grid(
        &mut self,
        (left, top, plot_w, plot_h): (f64, f64, f64, f64),
        (axis_max, step): (f64, f64),
        format: &dyn Fn(f64) -> String,
    ) {
        let y_of = |v: f64| top + plot_h - v / axis_max * plot_h;
        let mut tick = 0.0;
        while tick <= axis_max + 1e-9 {
            let y = y_of(tick);
            self.line("grid", left, y, left + plot_w, y);
            self.label("tick", left - 6.0, y + 4.0, "end", &format(tick));
            tick += step;
        }
        self.line("baseline", left, top + plot_h, left + plot_w, top + plot_h);
    }

    /// A time-axis tick and its label at `x` below `baseline`, left out
    /// when closer than a year label's width (about four characters) to
    /// the last one drawn (`last`), so labels never overlap.
    fn time_tick(&mut self, x: f64, baseline: f64, label: &str, last: &mut f64) {
        if x - *last < 40.0 {
            return;
        }
        *last = x;
        self.line("tick-mark", x, baseline, x, baseline + 4.0);
        self.label("tick", x, baseline + 18.0, "middle", label);
    }

    /// A rectangle with a tooltip, wrapped in a link when `href` is given.
    fn bar(&mut self, class: &str, rect: [f64; 4], tip: &str, href: Option<&str>) {
        if let Some(href) = href {
            self.open("a", &[("href", href)]);
        }
        let [x, y, w, h] = rect;
        self.open(
            "rect",
            &[
                ("class", class),
                ("x", &num(x)),
                ("y", &num(y)),
                ("width", &num(w)),
                ("height", &num(h)),
            ],
        );
        self.text("title", &[], tip);
        self.close("rect");
        if href.is_some() {
            self.close("a");
        }
    }

    /// Legend swatches in one row from `(x, y)`.
    fn legend(&mut self, series: &[Series], x: f64, y: f64) {
        self.open("g", &[("class", "legend")]);
        let mut at = x;
        for s in series {
            self.empty(
                "rect",
                &[
                    ("class", &format!("swatch {}", s.class)),
                    ("x", &num(at)),
                    ("y", &num(y - 9.0)),
                    ("width", "10"),
                    ("height", "10"),
                ],
            );
            self.label("legend-label", at + 14.0, y, "start", &s.name);
            at += 24.0 + 7.0 * s.name.chars().count() as f64;
        }
        self.close("g");
    }
}

/// Coordinates with at most one decimal, so output is short and stable.
fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 { format!("{}", r as i64) } else { format!("{r:.1}") }
}

/// Steps a minutes axis may use: clock-friendly, not decimal.
const MINUTE_STEPS: [f64; 14] =
    [1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 180.0, 240.0, 360.0, 720.0, 1440.0, 2880.0];

/// A clock-friendly axis maximum and step for minutes up to `max`.
fn minutes_scale(max: f64) -> (f64, f64) {
    if max <= 0.0 {
        return (1.0, 1.0);
    }
    let step = MINUTE_STEPS
        .iter()
        .copied()
        .find(|s| max / s <= 5.0)
        .unwrap_or_else(|| (max / 5.0 / 1440.0).ceil() * 1440.0);
    ((max / step).ceil() * step, step)
}

/// A "nice" axis maximum and step for counts up to `max`.
fn nice_scale(max: f64) -> (f64, f64) {
    if max <= 0.0 {
        return (1.0, 1.0);
    }
    let raw = max / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let step = if max <= 4.0 { 1.0 } else { step.max(1.0) };
    ((max / step).ceil() * step, step)
}

/// Width of the phone drawing of a chart: at 350 CSS px its 12 px text
/// still shows at about 10 px, where the desktop drawing's shrank to 5.
const NARROW_WIDTH: u32 = 420;

/// A chart drawn twice, for wide screens and for phones, each shown by
/// the theme's CSS at its own widths (`.chart-wide`, `.chart-narrow`).
/// The phone drawing's ids end in `-narrow`, so ids stay unique.
pub(crate) fn responsive(frame: &Frame<'_>, draw: impl Fn(&Frame<'_>) -> String) -> String {
    let wide = draw(frame);
    let id = format!("{}-narrow", frame.id);
    let narrow = draw(&Frame { id: &id, width: NARROW_WIDTH.min(frame.width), ..frame.clone() });
    format!("<div class=\"chart-wide\">{wide}</div><div class=\"chart-narrow\">{narrow}</div>")
}

/// Stacked columns: one column per category, one stacked part per series.
pub(crate) fn stacked_columns(frame: &Frame<'_>, series: &[Series], columns: &[Column]) -> String {
    let mut svg = Svg::new(frame);
    let (left, right, top, bottom) = (44.0, 10.0, 30.0, 34.0);
    let plot_w = f64::from(frame.width) - left - right;
    let plot_h = f64::from(frame.height) - top - bottom;
    let max = columns
        .iter()
        .map(|c| c.segments.iter().map(|s| s.value).sum::<usize>())
        .max()
        .unwrap_or(0) as f64;
    let (axis_max, step) = nice_scale(max);
    let y_of = |v: f64| top + plot_h - v / axis_max * plot_h;

    svg.legend(series, left, 16.0);
    svg.open("g", &[("class", "axis")]);
    svg.value_grid((left, top, plot_w, plot_h), (axis_max, step), &num);
    svg.text(
        "text",
        &[
            ("class", "axis-title"),
            ("transform", &format!("translate(12 {}) rotate(-90)", num(top + plot_h / 2.0))),
            ("text-anchor", "middle"),
        ],
        frame.value_axis,
    );
    svg.close("g");

    let n = columns.len().max(1) as f64;
    let slot = plot_w / n;
    let gap = if slot > 6.0 { (slot * 0.2).min(6.0) } else { 0.5 };
    let mut last_label = f64::NEG_INFINITY;
    svg.open("g", &[("class", "bars")]);
    for (i, column) in columns.iter().enumerate() {
        let x = left + slot * i as f64;
        let mut base = 0.0;
        for segment in &column.segments {
            if segment.value == 0 {
                continue;
            }
            let Some(s) = series.get(segment.series) else { continue };
            let v = segment.value as f64;
            let (y0, y1) = (y_of(base), y_of(base + v));
            let tip = format!("{}: {} {}", column.name, segment.value, s.name);
            svg.bar(
                &format!("bar {}", s.class),
                [x + gap / 2.0, y1, (slot - gap).max(0.5), y0 - y1],
                &tip,
                segment.href.as_deref(),
            );
            base += v;
        }
        if let Some(label) = &column.label {
            svg.time_tick(x + slot / 2.0, top + plot_h, label, &mut last_label);
        }
    }
    svg.close("g");
    svg.finish()
}

/// One point in time of a line chart: its name (for tooltips), an axis
/// label if it gets one, and one value per series (`None`: no line there).
#[derive(Debug, Clone)]
pub(crate) struct LinePoint {
    pub(crate) name: String,
    pub(crate) label: Option<String>,
    pub(crate) values: Vec<Option<f64>>,
}

/// A trend over time: one line per series across evenly spaced points,
/// each value a dot with its tooltip; the line passes over points without
/// a value (a quarter without incidents), the dots show where values are.
/// Values are formatted by `format`; minute frames get clock steps.
pub(crate) fn lines(
    frame: &Frame<'_>,
    series: &[Series],
    points: &[LinePoint],
    format: &dyn Fn(f64) -> String,
) -> String {
    let mut svg = Svg::new(frame);
    // Room on the left for a tick such as "1 h 30 min".
    let (left, right, top, bottom) = (78.0, 16.0, 30.0, 34.0);
    let plot_w = f64::from(frame.width) - left - right;
    let plot_h = f64::from(frame.height) - top - bottom;
    let max = points.iter().flat_map(|p| p.values.iter().flatten()).fold(0.0f64, |a, &b| a.max(b));
    let (axis_max, step) = if frame.minutes { minutes_scale(max) } else { nice_scale(max) };
    let y_of = |v: f64| top + plot_h - v / axis_max * plot_h;
    let slot = plot_w / points.len().max(1) as f64;
    let x_of = |i: usize| left + slot * (i as f64 + 0.5);

    svg.legend(series, left, 16.0);
    svg.open("g", &[("class", "axis")]);
    svg.value_grid((left, top, plot_w, plot_h), (axis_max, step), format);
    let mut last_label = f64::NEG_INFINITY;
    for (i, point) in points.iter().enumerate() {
        if let Some(label) = &point.label {
            svg.time_tick(x_of(i), top + plot_h, label, &mut last_label);
        }
    }
    svg.close("g");

    for (k, s) in series.iter().enumerate() {
        svg.open("g", &[("class", &format!("line {}", s.class))]);
        let run: Vec<String> = points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let v = p.values.get(k).copied().flatten()?;
                Some(format!("{},{}", num(x_of(i)), num(y_of(v))))
            })
            .collect();
        if run.len() > 1 {
            svg.empty("polyline", &[("class", "trend"), ("points", &run.join(" "))]);
        }
        for (i, point) in points.iter().enumerate() {
            let Some(v) = point.values.get(k).copied().flatten() else { continue };
            svg.open(
                "circle",
                &[("class", "dot"), ("cx", &num(x_of(i))), ("cy", &num(y_of(v))), ("r", "3.5")],
            );
            svg.text("title", &[], &format!("{} · {}: {}", point.name, s.name, format(v)));
            svg.close("circle");
        }
        svg.close("g");
    }
    svg.finish()
}

/// One row of a horizontal bar chart: a label and one value per series.
#[derive(Debug, Clone)]
pub(crate) struct BarRow {
    pub(crate) label: String,
    pub(crate) href: Option<String>,
    pub(crate) values: Vec<Option<f64>>,
    /// What a missing value says in place of its bar.
    pub(crate) empty: &'static str,
}

/// Grouped horizontal bars, one group per row, one bar per series, each
/// with its value printed at its end by `format`. The frame's height is
/// ignored: it follows the number of rows.
pub(crate) fn horizontal_bars(
    frame: &Frame<'_>,
    series: &[Series],
    rows: &[BarRow],
    format: &dyn Fn(f64) -> String,
) -> String {
    let bar_h = 14.0;
    let per_row = bar_h * series.len().max(1) as f64 + 10.0;
    let narrow = frame.width < 600;
    let (left, right, top, bottom) =
        if narrow { (120.0, 62.0, 30.0, 34.0) } else { (170.0, 70.0, 30.0, 34.0) };
    let max_label = if narrow { 16 } else { 24 };
    let height = top + bottom + per_row * rows.len().max(1) as f64;
    let frame = Frame { height: height.ceil() as u32, ..frame.clone() };
    let mut svg = Svg::new(&frame);
    let plot_w = f64::from(frame.width) - left - right;
    let plot_h = height - top - bottom;
    let max = rows.iter().flat_map(|r| r.values.iter().flatten()).fold(0.0f64, |a, &b| a.max(b));
    let (axis_max, step) = if frame.minutes { minutes_scale(max) } else { nice_scale(max) };
    let x_of = |v: f64| left + v / axis_max * plot_w;

    if series.len() > 1 {
        svg.legend(series, left, 16.0);
    }
    svg.open("g", &[("class", "axis")]);
    let mut tick = 0.0;
    while tick <= axis_max + 1e-9 {
        let x = x_of(tick);
        svg.line("grid", x, top, x, top + plot_h);
        svg.label("tick", x, top + plot_h + 16.0, "middle", &format(tick));
        tick += step;
    }
    svg.line("baseline", left, top, left, top + plot_h);
    svg.label("axis-title", left + plot_w / 2.0, height - 4.0, "middle", frame.value_axis);
    svg.close("g");

    svg.open("g", &[("class", "bars")]);
    for (r, row) in rows.iter().enumerate() {
        let y = top + per_row * r as f64 + 5.0;
        let label: Cow<'_, str> = if row.label.chars().count() > max_label {
            Cow::Owned(format!("{}…", row.label.chars().take(max_label - 1).collect::<String>()))
        } else {
            Cow::Borrowed(&row.label)
        };
        let label_y = y + per_row / 2.0 - 1.0;
        match &row.href {
            Some(href) => {
                svg.open("a", &[("href", href)]);
                svg.label("row-label", left - 8.0, label_y, "end", &label);
                svg.close("a");
            }
            None => svg.label("row-label", left - 8.0, label_y, "end", &label),
        }
        for (k, s) in series.iter().enumerate() {
            let by = y + bar_h * k as f64;
            match row.values.get(k).copied().flatten() {
                Some(v) => {
                    let w = (x_of(v) - left).max(1.0);
                    let tip = format!("{} · {}: {}", row.label, s.name, format(v));
                    svg.bar(&format!("bar {}", s.class), [left, by, w, bar_h - 2.0], &tip, None);
                    svg.label("value", left + w + 4.0, by + bar_h - 4.0, "start", &format(v));
                }
                None => svg.label("value muted", left + 4.0, by + bar_h - 4.0, "start", row.empty),
            }
        }
    }
    svg.close("g");
    svg.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame() -> Frame<'static> {
        Frame {
            title: "A <b> & c",
            id: "t",
            width: 400,
            height: 200,
            value_axis: "Incidents",
            minutes: false,
        }
    }

    #[test]
    fn labels_are_escaped_and_the_svg_parses() {
        let series = vec![Series { name: "P1 <x>".into(), class: "sev-p1".into() }];
        let columns = vec![Column {
            name: "2024-01".into(),
            label: Some("Jan & co".into()),
            segments: vec![Segment { series: 0, value: 3, href: Some("#i-a&b".into()) }],
        }];
        let svg = stacked_columns(&frame(), &series, &columns);
        assert!(svg.contains("A &lt;b&gt; &amp; c"));
        assert!(svg.contains("Jan &amp; co"));
        assert!(!svg.contains("<x>"));
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let rects: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("rect") && n.attribute("class") == Some("bar sev-p1"))
            .collect();
        assert_eq!(rects.len(), 1);
        assert_eq!(
            doc.descendants().find(|n| n.has_tag_name("a")).unwrap().attribute("href"),
            Some("#i-a&b")
        );
    }

    #[test]
    fn bars_scale_to_the_largest_value() {
        let series = vec![Series { name: "count".into(), class: "series-0".into() }];
        let rows = vec![
            BarRow { label: "a".into(), href: None, values: vec![Some(10.0)], empty: "no data" },
            BarRow { label: "b".into(), href: None, values: vec![Some(5.0)], empty: "no data" },
            BarRow { label: "c".into(), href: None, values: vec![None], empty: "no data" },
        ];
        let svg = horizontal_bars(&frame(), &series, &rows, &|v| format!("{v}"));
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let widths: Vec<f64> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("bar series-0"))
            .map(|n| n.attribute("width").unwrap().parse().unwrap())
            .collect();
        assert_eq!(widths.len(), 2);
        assert!((widths[0] - 2.0 * widths[1]).abs() < 0.2, "{widths:?}");
        assert!(svg.contains("no data"));
    }

    #[test]
    fn minute_scales_fall_on_clock_steps() {
        assert_eq!(minutes_scale(45.0), (50.0, 10.0));
        assert_eq!(minutes_scale(620.0), (720.0, 180.0));
        assert_eq!(minutes_scale(0.0), (1.0, 1.0));
    }

    #[test]
    fn nice_scales() {
        assert_eq!(nice_scale(0.0), (1.0, 1.0));
        assert_eq!(nice_scale(3.0), (3.0, 1.0));
        assert_eq!(nice_scale(7.0), (8.0, 2.0));
        assert_eq!(nice_scale(45.0), (60.0, 20.0));
        assert_eq!(nice_scale(9.0), (10.0, 5.0));
    }
}

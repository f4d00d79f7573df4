//! The index's filter data: what `static/filters.js` loads, file by file,
//! when a reader filters or sorts the list, so a filter on 100,000
//! incidents downloads the columns it tests and the rows it shows, not
//! the whole list.
//!
//! Part of the render stage. Input: the incidents' list rows and their
//! rendered HTML. Output: the files under `list/`, each a script adding
//! itself to `self.hindsightList` (scripts, not JSON, so it works from
//! `file://`):
//!
//! - `list/index.js`: the number of incidents, rows per row file, and for
//!   each filter its values (the ones the form's controls hold);
//! - `list/c/<name>.js`: one column per filter, and the `date` and
//!   `duration` columns sorting reads: per incident, in archive order,
//!   the index of its value (a list of them for services and tags; `yes`
//!   or `no` for `recurring`, part of a recurring failure or not), the
//!   date (`""` when undated) or the duration in minutes (-1 when none);
//! - `list/r/<n>.js`: the rendered table rows of [`ROWS_PER_FILE`]
//!   incidents, as the index shows them.

use std::collections::BTreeMap;

use serde::Serialize;

use super::OutputFile;
use super::shared::Shared;
use super::views::Row;

/// Incidents per row file: the rows a filtered page shows are scattered
/// through the archive, so small files waste little.
const ROWS_PER_FILE: usize = 16;

/// The recurrence filter's values: part of a recurring failure, or not.
pub(super) const RECURRING: &str = "yes";
pub(super) const ONE_OFF: &str = "no";

/// The values of one filter, and each item's.
pub(super) struct Column {
    pub(super) values: Vec<String>,
    ids: BTreeMap<String, u32>,
}

impl Column {
    pub(super) fn new() -> Column {
        Column { values: Vec::new(), ids: BTreeMap::new() }
    }

    /// The id of `value`, given on first sight, in order.
    pub(super) fn id(&mut self, value: &str) -> u32 {
        if let Some(&id) = self.ids.get(value) {
            return id;
        }
        let id = u32::try_from(self.values.len()).unwrap_or(u32::MAX);
        self.values.push(value.to_string());
        self.ids.insert(value.to_string(), id);
        id
    }
}

/// `index.js` of a list's data: how many items, how many rows per row
/// file, and each filter's values, which the columns hold by id.
#[derive(Serialize)]
pub(super) struct Manifest<'a> {
    pub(super) n: usize,
    pub(super) per: usize,
    pub(super) values: BTreeMap<&'a str, &'a [String]>,
}

/// A value or several, as a column holds them: a number for one, a list
/// for any other count.
#[derive(Serialize)]
#[serde(untagged)]
pub(super) enum Cell {
    One(u32),
    Many(Vec<u32>),
}

/// Every file under `list/`.
pub(super) fn files(ctx: &Shared<'_>) -> Vec<OutputFile> {
    let rows: &[Row] = &ctx.views.rows;
    let (mut severity, mut status, mut year) = (Column::new(), Column::new(), Column::new());
    let (mut service, mut tag, mut recurring) = (Column::new(), Column::new(), Column::new());
    let mut cells: BTreeMap<&str, Vec<Cell>> = BTreeMap::new();
    for row in rows {
        let one = |c: &mut Column, v: &str| Cell::One(c.id(v));
        let many = |c: &mut Column, vs: &[super::views::TermRef]| {
            let ids: Vec<u32> = vs.iter().map(|t| c.id(&t.slug)).collect();
            match ids.as_slice() {
                [only] => Cell::One(*only),
                _ => Cell::Many(ids),
            }
        };
        cells.entry("severity").or_default().push(one(&mut severity, &row.severity.name));
        cells
            .entry("status")
            .or_default()
            .push(one(&mut status, row.status.as_deref().unwrap_or("")));
        cells.entry("year").or_default().push(one(&mut year, &row.year));
        cells.entry("service").or_default().push(many(&mut service, &row.services));
        cells.entry("tag").or_default().push(many(&mut tag, &row.tags));
        let recurs = if row.recurring { RECURRING } else { ONE_OFF };
        cells.entry("recurring").or_default().push(one(&mut recurring, recurs));
    }
    let mut out = Vec::new();
    for (name, column) in &cells {
        out.push(script(&format!("c/{name}"), column));
    }
    let dates: Vec<&str> = rows.iter().map(|r| r.date.as_deref().unwrap_or("")).collect();
    out.push(script("c/date", &dates));
    let durations: Vec<i64> = rows
        .iter()
        .map(|r| r.duration_minutes.map_or(-1, |m| i64::try_from(m).unwrap_or(i64::MAX)))
        .collect();
    out.push(script("c/duration", &durations));
    for (n, chunk) in ctx.top_rows().chunks(ROWS_PER_FILE).enumerate() {
        let html: Vec<&str> = chunk.iter().map(|h| h.trim()).collect();
        out.push(script(&format!("r/{n}"), &html));
    }
    let values = BTreeMap::from([
        ("severity", severity.values.as_slice()),
        ("service", service.values.as_slice()),
        ("tag", tag.values.as_slice()),
        ("status", status.values.as_slice()),
        ("year", year.values.as_slice()),
        ("recurring", recurring.values.as_slice()),
    ]);
    out.push(script("index", &Manifest { n: rows.len(), per: ROWS_PER_FILE, values }));
    out
}

/// `list/<name>.js`: a script adding `value` to `self.hindsightList`.
fn script(name: &str, value: &impl Serialize) -> OutputFile {
    data_script("list", name, value)
}

/// `<folder>/<name>.js`: a script adding `value` to `self.hindsightList`
/// under `name`. A page loads the data of one list, so names need only be
/// apart within a folder.
pub(super) fn data_script(folder: &str, name: &str, value: &impl Serialize) -> OutputFile {
    let mut bytes =
        format!("(self.hindsightList=self.hindsightList||{{}})[\"{name}\"]=").into_bytes();
    // Strings, numbers and lists of them always serialize.
    bytes.extend(serde_json::to_vec(value).unwrap_or_default());
    bytes.extend_from_slice(b";\n");
    OutputFile::bytes(format!("{folder}/{name}.js"), bytes)
}

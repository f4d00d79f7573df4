//! Follow-ups: `actions/index.html` and `actions.json`, every action item of
//! every incident, with open items past their due date marked overdue.
//!
//! Inputs: [`Shared`] (incidents and their typed `action_items`) and the
//! build date, the only clock the page reads (`SOURCE_DATE_EPOCH` when set).
//! Outputs: the pages of 200 items; the filter data under `actions/data/`
//! (as the index's `list/`, see [`super::list_data`]: `index.js`, one
//! column per filter under `c/`, the rows under `r/`), so a filter reaches
//! the items of every page; and the JSON file. Imports: model and render
//! views.

use std::collections::BTreeMap;

use serde::Serialize;

use super::OutputFile;
use super::list_data::{Cell, Column, Manifest, data_script};
use super::pager::{Pager, page_file};
use super::shared::Shared;
use super::views::SeverityView;
use crate::error::Result;

/// One action item with its incident, as the page and the JSON show it.
#[derive(Debug, Serialize)]
struct ActionView<'a> {
    action: &'a str,
    priority: Option<&'a str>,
    owner: Option<&'a str>,
    due: Option<jiff::civil::Date>,
    status: &'a str,
    done: bool,
    overdue: bool,
    /// Days past due for overdue items.
    days_overdue: Option<i32>,
    incident: &'a str,
    incident_title: &'a str,
    incident_severity: &'a str,
    /// The incident's slug, written out as its page's URL.
    #[serde(rename = "incident_url", serialize_with = "incident_url")]
    incident_slug: &'a str,
    #[serde(skip)]
    severity: &'a SeverityView,
}

#[derive(Serialize)]
struct ActionsJson<'a> {
    build_date: String,
    total: usize,
    open: usize,
    overdue: usize,
    items: &'a [ActionView<'a>],
}

fn incident_url<S: serde::Serializer>(slug: &&str, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.collect_str(&format_args!("incidents/{slug}/index.html"))
}

/// The owner value filters use for items without one.
const UNASSIGNED: &str = "unassigned";
/// The priority value filters use for items without one.
const NO_PRIORITY: &str = "none";
/// The status value filters give open items past their due date.
const OVERDUE: &str = "overdue";

/// How many days an open item is past its due date on `today` (the build
/// date), or `None` when it is done, undated or not yet due. The actions
/// page and the incident pages mark items by this one rule.
pub(super) fn days_overdue(
    item: &crate::model::ActionItem,
    today: jiff::civil::Date,
) -> Option<i32> {
    let due = item.due.filter(|d| !item.done && *d < today)?;
    Some((today - due).get_days())
}

/// How the incident page marks each of `incident`'s action items.
pub(super) fn marks(
    incident: &crate::model::Incident,
    today: jiff::civil::Date,
) -> Vec<crate::markdown::ActionMark> {
    incident
        .action_items
        .iter()
        .map(|item| crate::markdown::ActionMark {
            status: item.status.clone(),
            done: item.done,
            overdue_days: days_overdue(item, today),
        })
        .collect()
}

/// Every action item: open ones first (overdue first, then by due date,
/// undated last), then done ones; ties keep incident order (newest first)
/// and document order.
fn collect<'a>(ctx: &'a Shared<'a>) -> Vec<ActionView<'a>> {
    let today = ctx.input.build_date;
    let total = ctx.input.incidents.iter().map(|i| i.action_items.len()).sum();
    let mut items = Vec::with_capacity(total);
    for (incident, row) in ctx.input.incidents.iter().zip(&ctx.views.rows) {
        for item in &incident.action_items {
            let days_overdue = days_overdue(item, today);
            items.push(ActionView {
                action: &item.action,
                priority: item.priority.as_deref().filter(|p| !p.trim().is_empty()),
                owner: item.owner.as_deref().filter(|o| !o.trim().is_empty()),
                due: item.due,
                status: &item.status,
                done: item.done,
                overdue: days_overdue.is_some(),
                days_overdue,
                incident: &incident.slug,
                incident_title: &incident.title,
                incident_severity: &incident.severity.name,
                incident_slug: &incident.slug,
                severity: &row.severity,
            });
        }
    }
    items.sort_by(|a, b| {
        a.done.cmp(&b.done).then_with(|| b.overdue.cmp(&a.overdue)).then_with(|| {
            match (&a.due, &b.due) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
        })
    });
    items
}

/// Action items per page of `actions/`.
const ACTION_ROWS: usize = 200;

/// Action items per row file of `actions/data/r/`. It divides
/// [`ACTION_ROWS`], so each page's rows are whole files, written with it.
const ROWS_PER_FILE: usize = 25;

/// The template of one row of the actions table.
const ROW_TEMPLATE: &str = "partials/action_row.html";

/// The folder of the filter data, beside the pages.
const DATA: &str = "actions/data";

/// The table rows of `items`, rendered on all cores.
fn rows(ctx: &Shared<'_>, items: &[ActionView<'_>]) -> Result<Vec<String>> {
    use rayon::prelude::*;
    items
        .par_iter()
        .map(|item| {
            // Separate variables rather than one flattened struct: serde's
            // flatten goes through a map and was half the cost of a row.
            let mut page = tera::Context::new();
            page.insert("a", item);
            page.insert("severity", item.severity);
            page.insert("root", "../");
            ctx.render_text(ROW_TEMPLATE, &page).map(|row| row.trim().to_string())
        })
        .collect()
}

/// What `static/facets.js` filters every page's items by, whatever page
/// the reader is on: per filter (owner, priority, status), each item's
/// values, in page order, as ids into the filter's values. An overdue
/// item has the status `overdue` besides its own. Also gives each
/// filter's values sorted, as the form offers them.
fn filters(items: &[ActionView<'_>]) -> (Vec<OutputFile>, [Vec<String>; 3]) {
    let (mut owner, mut priority, mut status) = (Column::new(), Column::new(), Column::new());
    let mut cells: [Vec<Cell>; 3] = Default::default();
    let [owners, priorities, statuses] = &mut cells;
    for a in items {
        owners.push(Cell::One(owner.id(a.owner.unwrap_or(UNASSIGNED))));
        priorities.push(Cell::One(priority.id(a.priority.unwrap_or(NO_PRIORITY))));
        let own = status.id(a.status);
        statuses.push(if a.overdue {
            Cell::Many(vec![own, status.id(OVERDUE)])
        } else {
            Cell::One(own)
        });
    }
    let values = BTreeMap::from([
        ("owner", owner.values.as_slice()),
        ("priority", priority.values.as_slice()),
        ("status", status.values.as_slice()),
    ]);
    let manifest = Manifest { n: items.len(), per: ROWS_PER_FILE, values };
    let [owners, priorities, statuses] = &cells;
    let files = vec![
        data_script(DATA, "index", &manifest),
        data_script(DATA, "c/owner", owners),
        data_script(DATA, "c/priority", priorities),
        data_script(DATA, "c/status", statuses),
    ];
    let sorted = |column: Column| {
        let mut values = column.values;
        values.sort_unstable();
        values
    };
    (files, [sorted(owner), sorted(priority), sorted(status)])
}

/// `actions/index.html` (with `page-2.html` and on), the filter data under
/// `actions/data/`, and `actions.json`, handed to `out` one page after the
/// other so only one page's rows are in memory.
pub(crate) fn action_files(ctx: &Shared<'_>, emit: &dyn super::Emit) -> Result<()> {
    let items = collect(ctx);
    let open = items.iter().filter(|a| !a.done).count();
    let overdue = items.iter().filter(|a| a.overdue).count();
    let build_date = ctx.input.build_date.to_string();
    let (data, [owners, priorities, statuses]) = filters(&items);

    let mut page = ctx.context(1, "actions");
    page.insert("row_count", &items.len());
    page.insert("open", &open);
    page.insert("overdue", &overdue);
    page.insert("build_date", &build_date);
    page.insert("owners", &owners);
    page.insert("priorities", &priorities);
    page.insert("statuses", &statuses);
    // Pages of ACTION_ROWS items, each in the same folder, so no page
    // grows with the archive.
    let chunks: Vec<&[ActionView<'_>]> =
        if items.is_empty() { vec![&items[..]] } else { items.chunks(ACTION_ROWS).collect() };
    let pages = chunks.len();
    for (k, chunk) in chunks.into_iter().enumerate() {
        emit.wanted()?;
        let mut page = page.clone();
        let number = k + 1;
        if pages > 1 {
            let pager = Pager::new("Action items", number, pages, items.len(), ACTION_ROWS);
            page.insert("pager", &pager);
        }
        let rendered = rows(ctx, chunk)?;
        let path = format!("actions/{}", page_file(number));
        let room = rendered.iter().map(|r| r.len() + 1).sum();
        let html = ctx.render_with_rows("actions.html", page, path, room, |out| {
            for row in &rendered {
                out.extend_from_slice(row.as_bytes());
                out.push(b'\n');
            }
            Ok(())
        })?;
        emit.emit(html)?;
        let first_file = k * (ACTION_ROWS / ROWS_PER_FILE);
        for (j, file) in rendered.chunks(ROWS_PER_FILE).enumerate() {
            emit.emit(data_script(DATA, &format!("r/{}", first_file + j), &file))?;
        }
    }
    if !items.is_empty() {
        data.into_iter().try_for_each(|f| emit.emit(f))?;
    }

    let data = ActionsJson { build_date, total: items.len(), open, overdue, items: &items };
    // Compact: no whitespace between values; escaped for HTML as written.
    let room = super::data::json_room(&items);
    emit.emit(OutputFile::bytes("actions.json", super::data::json_file(&data, room, emit)?))
}

//! The catalogue of diagnostic codes: what each means, how to fix it, and,
//! for the configurable ones (lints), the name used in `[lints]`.
//!
//! Layer 0: data only, no imports beyond [`crate::diag`]. `hindsight check
//! --explain CODE` prints an entry; [`crate::config`] checks `[lints]` keys
//! against [`CODES`]; the lint stage and the validate stage read levels
//! through [`crate::config::LintLevels`]. A code, once published, keeps its
//! meaning: tests and CI filters match on codes, not on wording.

use crate::diag::Level;

/// One diagnostic code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    /// The stable code, e.g. `RCA030`.
    pub code: &'static str,
    /// The lint name under `[lints]` when the level is configurable.
    pub lint: Option<&'static str>,
    /// Level when the configuration says nothing.
    pub level: Level,
    /// One line: what is wrong.
    pub summary: &'static str,
    /// Why it matters and how to fix it.
    pub explanation: &'static str,
}

const fn code(
    code: &'static str,
    level: Level,
    summary: &'static str,
    explanation: &'static str,
) -> Code {
    Code { code, lint: None, level, summary, explanation }
}

const fn lint(
    code: &'static str,
    name: &'static str,
    level: Level,
    summary: &'static str,
    explanation: &'static str,
) -> Code {
    Code { code, lint: Some(name), level, summary, explanation }
}

use Level::{Error, Warning};

/// Every code hindsight reports, in code order.
pub const CODES: &[Code] = &[
    code(
        "RCA001",
        Error,
        "file unreadable or binary",
        "The file could not be read as text: it is unreadable, or binary (it holds a NUL byte and \
         no UTF-16 byte-order mark). Text in another encoding is read with RCA033 instead. Move \
         binary files beside the RCA without the .md extension so they are copied as attachments.",
    ),
    code(
        "RCA002",
        Error,
        "front matter never closed",
        "The file starts with `---` (or `+++`) but no closing delimiter follows, so the whole file \
         would be front matter. Add the closing `---` (or `+++`) line after the last field (a YAML \
         block may also end with `...`, as pandoc writes it).",
    ),
    code(
        "RCA003",
        Error,
        "front matter is not valid YAML / TOML / JSON",
        "The front matter does not parse. The diagnostic points at the line the parser stopped on. \
         Common causes: a colon inside an unquoted value (quote it), a tab used for indentation, an \
         unclosed bracket or quote.",
    ),
    code(
        "RCA004",
        Error,
        "front matter is not a mapping",
        "The front matter parsed, but it is a list or a plain value instead of `key: value` lines. \
         Write one field per line, e.g. `title: \"Checkout outage\"`.",
    ),
    code(
        "RCA005",
        Error,
        "file larger than 16 MiB",
        "Markdown files over 16 MiB are refused to keep builds fast and memory bounded. Move logs \
         and dumps into attachments (files without the .md extension) and link to them.",
    ),
    code(
        "RCA006",
        Warning,
        "symbolic link skipped",
        "hindsight never follows symbolic links under content/, so a link cannot pull files from \
         outside the archive into the site. Replace the link with the file itself. The content \
         folder itself may be a link (`content -> ../docs/postmortems`): it is read.",
    ),
    code(
        "RCA007",
        Warning,
        "attachment name cannot be published",
        "A file beside an RCA has a name with a control character, `\\` or `:`, which cannot stand in a \
         URL path on every host, so it is not copied into the site. Rename it (letters, digits, `-`, \
         `_`, `.`) and link to the new name.",
    ),
    code(
        "RCA008",
        Level::Note,
        "file left out on purpose",
        "A file or folder of the content folder is not read: it is hidden (its name starts with `.`, \
         like `.obsidian/` or `.git/`), or it matches an `exclude` pattern of hindsight.toml. Or it \
         is the page of the folder around the postmortems, with no date and no severity: a Hugo or \
         Zola section's `_index.md`, or at the top of the content folder a `README.md`, `index.md`, \
         `Home.md`, `SUMMARY.md` or a wiki's `_Sidebar.md` or `_Footer.md` (give it a date and a \
         severity to publish it as a postmortem). This is a note, so every file of the archive is \
         accounted for; it never fails a run.",
    ),
    code(
        "RCA009",
        Level::Note,
        "draft left out",
        "The file says `draft: true`, so it is built only with `--drafts`. This note accounts for \
         it; remove `draft` (or set it to false) to publish it. A draft still missing a required \
         field, or holding one that cannot be read, is reported with warnings rather than errors, \
         so an unfinished draft never fails a build that leaves it out; with `--drafts` they are \
         errors.",
    ),
    lint(
        "RCA010",
        "required-field",
        Error,
        "required front-matter field missing",
        "A field listed in `required_fields` of hindsight.toml is missing. title, date and severity \
         are needed to build the page, so their absence always keeps the file out of the site; for \
         other fields the level comes from `[lints] required-field`. Add the field to the front matter.",
    ),
    code(
        "RCA011",
        Error,
        "field has the wrong type",
        "A front-matter field has a value of the wrong kind, e.g. a list where a string is expected. \
         The message names the expected type; fix the value.",
    ),
    code(
        "RCA012",
        Error,
        "date not a date, or missing where required",
        "The day the incident started is written `date: 2024-03-01` or as a date and time in any \
         form Hugo, Jekyll or YAML accept (`2024-03-01T14:02:00Z`, `2024-03-01 9:02`, \
         `2024-03-01 14:02:00 +0100`; a time without a zone is read in `timezone`, UTC by default). \
         A value that is not a date is a warning when the file name starts with YYYY-MM-DD (that \
         date is used), or when it is a month without a day (`2024-03`, `March 2024`: its first \
         day is used), and otherwise keeps the file out of the site. Without a date field, a \
         date in the file name (`2024-03-01-db.md`, `pm_2024_03_01.md`, `20240301-db.md`) is used, then the first date in the text, then the first \
         day of a month written with its year in the title or the text. A file with no date at all is an error only while `date` is in `required_fields` \
         (the default); otherwise it is listed as undated (RCA023).",
    ),
    code(
        "RCA013",
        Error,
        "unknown severity",
        "The severity is not one of the configured levels (default P0..P4, with SEV0..SEV4 as \
         aliases; case does not matter). Use a configured level or add it under `[[severity]]`.",
    ),
    lint(
        "RCA014",
        "unknown-status",
        Warning,
        "unknown status",
        "The status is not one of `statuses` in hindsight.toml (default resolved, monitoring, \
         investigating, open), nor a word for one (`closed`, `done`, `final`, `published` are \
         resolved). Use one of them or add the value to `statuses`. A review's state (`Draft`, \
         `In review`) says where the write-up is, not the incident: set the incident's status, \
         or map the word under `[values.status]`.",
    ),
    code(
        "RCA015",
        Error,
        "`duration_minutes` is not a whole number",
        "`duration_minutes` must be a non-negative whole number of minutes, e.g. `duration_minutes: 45`, \
         or a span (`1h30m`, `90 min`, `1 hour 30 minutes`, `PT1H30M`, `1:30`, `~2 hours`). \
         The field is dropped and the page is still built.",
    ),
    code(
        "RCA016",
        Warning,
        "invalid `slug`",
        "A slug becomes part of the URL, so it may use only a-z, 0-9 and single inner dashes. A \
         slug written otherwise (a path as Docusaurus writes it, `/postmortems/db-failover`; \
         capitals and underscores, `DB_Failover`; another script) is made one from its last \
         part (`db-failover`), and the page is built there; when two files end with the same \
         one, the later gets `-2`. Remove the `slug` field to derive it from the file name, or \
         fix its characters.",
    ),
    code(
        "RCA017",
        Error,
        "two files set the same `slug`",
        "Two files claim the same URL. The later file (in path order) is left out of the site. \
         Give one of them another `slug`.",
    ),
    code(
        "RCA018",
        Warning,
        "two file names give the same slug",
        "Two file names fold to the same slug; the later file gets a `-2` suffix, so its URL depends \
         on which files exist. Set a `slug` in its front matter to fix the URL.",
    ),
    code(
        "RCA019",
        Warning,
        "end, detection or mitigation time unreadable or before the start",
        "The field mapped to `resolved_at` (an end time), `detected_at` or `mitigated_at` is not a \
         date and time, or it is before the start, so no duration or time to detect or mitigate \
         is derived from it. Write it like 2024-05-14T03:12:00Z or 2024-05-14 03:12 (read in \
         `timezone`), or give `duration_minutes` directly.",
    ),
    lint(
        "RCA020",
        "no-front-matter",
        Warning,
        "no front matter",
        "The file has no front matter, so lenient defaults are used: title from the first heading \
         (unless it names a section, like `## Summary`: then from the first sentence), date from a \
         date in the file name, severity `unrated`. Labelled lines before \
         the first section (`**Severity:** Sev 2`, `Affected services: dns, api`) are read as the \
         fields they name; the message lists those it read. Add a front-matter block with at least \
         title, date and severity.",
    ),
    lint(
        "RCA021",
        "inferred-date",
        Warning,
        "date inferred from the text",
        "The file has no date field (and no date mapped with `[fields]`), so the first date written in \
         its text or its `url` is used; failing that, the first day of a month written with its year \
         in the title or the text (`outage in December 2019`). Add a `date` to be sure the incident sits at the right place \
         in time.",
    ),
    lint(
        "RCA022",
        "todo-field",
        Warning,
        "field still TODO",
        "A field is `TODO`, usually left by `hindsight import` when it could not infer it, or \
         another word for not written yet (`TBD`, `To be determined`, `???`); the configured \
         default is used meanwhile, and a summary so written is shown as none. Fill in the real value, e.g. `severity: P2` or \
         `services: [payment-svc]`. A title still the template's placeholder (`# ISSUE NAME`, \
         `[Incident title]`, `{{ title }}`) is named too; the file's name, written for people, \
         or the summary's first sentence titles the page meanwhile.",
    ),
    lint(
        "RCA023",
        "undated",
        Warning,
        "no date: the incident is listed as undated",
        "The file gives no date anywhere: no date field (nor a key mapped with `[fields]`), no \
         date in the file name, no date in its text. `date` is not in `required_fields`, \
         so the page is built as undated: lists show it after every dated incident, and it is left \
         out of the per-week and per-month charts, the time-to-detect/resolve by quarter, the Atom \
         feeds and the future-date lint. Add a `date` to place it in time.",
    ),
    code(
        "RCA024",
        Level::Note,
        "attachment not published",
        "A file beside the RCAs is copied into the site only beside a page that can use it: the \
         only incident of its folder, an incident of its folder whose text names it, or any \
         incident that names it alone in a wiki link or embed (`![[diagram.png]]`). This one has \
         none, so it is not published. Move it beside the RCA that uses it, or link to it. A \
         write-up in another format (.rst, .adoc, .org, .txt, a Word document) is named as \
         such: only markdown files become pages; convert it, or `hindsight import` a plain-text one.",
    ),
    code(
        "RCA025",
        Warning,
        "active attachment not published",
        "A file beside the RCAs is HTML, SVG, JavaScript or another kind a browser runs. \
         Published, any script in it would run on the site's origin, with access to everything the \
         site shows (stored cross-site scripting), while raw HTML in markdown is sanitised. It is \
         not copied. Attach a screenshot or a PDF instead; an archive whose every author is \
         trusted may set `allow_active_attachments = true`.",
    ),
    code(
        "RCA026",
        Warning,
        "too many services or tags",
        "An incident names more than 64 services or tags. Each one gets a page listing the \
         incident with all of them, so the site would grow with the square of the list; only the \
         first 64 are kept. Name the services and tags the incident is about.",
    ),
    code(
        "RCA027",
        Warning,
        "too much raw HTML",
        "The body has more than 2,000 pieces of raw HTML. Sanitising that much (deeply nested, \
         unclosed tags in particular) costs more than linear time, so past the bound the HTML is \
         shown as text. Write the content in markdown, or attach the HTML page as a file.",
    ),
    code(
        "RCA028",
        Warning,
        "no postmortems in the content folder",
        "The content folder (`content/`, or `content_dir` of hindsight.toml) is missing or holds no \
         markdown file, so the site would have no incidents. When markdown files are elsewhere under \
         the root, as in an archive written for another tool (`data/`, `_posts/`, the root itself), \
         the help names the folder that holds most of them: set `content_dir` to it, or run \
         `hindsight adopt`, which suggests a whole configuration. Under `--strict` this fails the \
         run, so CI never publishes an empty archive by mistake.",
    ),
    lint(
        "RCA029",
        "ambiguous-date",
        Warning,
        "date reads two ways",
        "The date is written with its day and month both 12 or less (`05/03/2024`), so it could be \
         3 May (month first, as in the US) or 5 March (day first, as in most other places). It is \
         read month first. Write it as YYYY-MM-DD to say which. A day over 12 (`25/03/2024`) or \
         dots (`25.03.2024`) read one way only and raise nothing.",
    ),
    code(
        "RCA030",
        Warning,
        "unresolved wiki link",
        "A `[[target]]` matches no slug, file stem, path, alias or title (nor the file name a \
         GitHub wiki makes of it, `Payment-outage.md` for `[[Payment outage]]`), or it links to a \
         draft, or to a markdown file left out (by `exclude`, or as the folder's own page; the \
         warning names the file). It renders as visibly broken text. Fix the target (`hindsight \
         check` lists near matches), or configure a `[wikilinks.external]` prefix for outside \
         targets. A link to a day no incident answers to (`[[2024-03-21]]`, an outliner's journal \
         page) is shown as the date and raises nothing. An error under --strict.",
    ),
    code(
        "RCA031",
        Warning,
        "ambiguous wiki link",
        "Several incidents match the link target (e.g. two share a title). The first is used. Link \
         by slug or path instead, which are unique.",
    ),
    code(
        "RCA032",
        Warning,
        "wiki link to a missing heading",
        "The `#Heading` part of a wiki link names a heading the target page does not have. Check the \
         heading's spelling on the target page.",
    ),
    code(
        "RCA033",
        Warning,
        "file is not UTF-8",
        "The file was saved in another encoding: UTF-16 (it starts with that encoding's byte-order \
         mark) or, when it is not valid UTF-8, the Windows Western code page (windows-1252, which \
         Latin-1 text also reads as). It is read that way and built. Save it as UTF-8 to be sure \
         every character is read as written.",
    ),
    code(
        "RCA034",
        Warning,
        "empty file",
        "The file holds no text (or only blank lines): there is nothing to publish, so it is not a \
         page. Often a postmortem started and never written, or a placeholder. Write it, or delete it.",
    ),
    lint(
        "RCA035",
        "severity-from-title",
        Warning,
        "severity read from the title",
        "The file has no severity field (and none mapped with `[fields]`), but its title names a \
         level: `[SEV1] Checkout down`, `SEV-2: search stale`, `Queue stall (P3)`. That level is \
         used. A bare number (`Outage (2)`) or an `S` or `L` before one (`S3: …`) is not read as a \
         level in a title. Add a `severity` to be sure.",
    ),
    lint(
        "RCA036",
        "severity-from-tag",
        Warning,
        "severity read from a tag",
        "The file has no severity field (and none mapped with `[fields]`), but one of its tags \
         names a level, as issue trackers keep severities among labels: `severity/sev-2`, `sev:1`, \
         `severity::high`, `priority/P1`, or a level with its number alone (`sev1`, `P2`). That \
         level is used. Severity tags are not listed as tags; `service/…` and `component/…` tags \
         are listed as services. Add a `severity` to be sure.",
    ),
    lint(
        "RCA037",
        "missing-image",
        Warning,
        "image not published",
        "An image of the write-up names no file the site publishes, so the page would show a broken \
         picture. A source written from the site's root (`/assets/p99.png`, as Jekyll, Hugo, \
         Docusaurus and wiki exports write them) is looked for under the archive root, its \
         `static/` folder and the content folder, and published beside the page when found. A \
         relative source is looked for from the write-up's folder; one that reaches outside the \
         content folder is not published: name it from the root instead. Correct the path, or add \
         the image.",
    ),
    code(
        "RCA038",
        Warning,
        "front matter mended to parse",
        "The YAML front matter did not parse as written, but did once a line was read the way it \
         was plainly meant, so the file is built: a value holding a colon without quotes \
         (`title: Outage: DB down` is the title \"Outage: DB down\"), or a tab in a line's indent \
         (read as two spaces). Quote the value, or indent with spaces; other tools that read the \
         file (Hugo, Jekyll, Obsidian) refuse it as it is.",
    ),
    lint(
        "RCA039",
        "incident-log",
        Level::Note,
        "one file keeps many incidents",
        "The file reads as an incident log: at least three of its headings at one level open with \
         a date (`## 2024-03-05 Checkout errors`) or number an incident (`# INCIDENTE 001`), and \
         they are most of that level's headings, as a \
         README or a wiki page keeps a team's incidents. It is built as one page, so its incidents \
         are not listed, related or counted one by one. `hindsight import FILE --out content` \
         writes one RCA per entry, dated and titled by its heading; then remove the log, or leave \
         it out with `exclude`.",
    ),
    code(
        "RCA040",
        Warning,
        "timeline time not readable",
        "A time of a `## Timeline` row could not be read, or counts from the start (`T+6m`) of an \
         incident whose start has no time of day; the row still shows but is not used for \
         durations. Write HH:MM, HH:MM UTC, YYYY-MM-DD HH:MM, an RFC 3339 timestamp, `Day 2, \
         14:05`, or `T+6m` with a start time.",
    ),
    lint(
        "RCA041",
        "action-item-due-date",
        Warning,
        "action-item due date not readable",
        "The Due Date cell of an action item is not a date, so overdue items cannot be flagged. \
         Write YYYY-MM-DD, or leave the cell empty (`-` and `TBD` also mean no date).",
    ),
    code(
        "RCA042",
        Warning,
        "written in Jira's wiki markup",
        "The file's headings are written as Jira and Confluence's wiki markup writes them (`h2. \
         Summary`), not as markdown's (`## Summary`), and it has no markdown heading: none of its \
         sections is recognised, and in markdown its `# item` lines are headings, not a numbered \
         list. The page is built from it as it is. Convert the file: `pandoc -f jira -t gfm`.",
    ),
    code(
        "RCA043",
        Level::Note,
        "nothing built: the output is left as it was",
        "Every postmortem of the archive has errors, so the build has no page to publish. Rather \
         than replace the last site with an empty one, the build writes nothing and leaves the \
         output directory as it was; the run still fails. Fix the errors the build names and build \
         again.",
    ),
    lint(
        "RCA070",
        "required-section",
        Warning,
        "required section missing",
        "Incidents of the severities listed in `[lint_settings] required_sections_for` (default \
         P0, P1, P2) must have every section in `required_sections` (default Summary, Timeline, \
         Root Cause, Action Items) as a `## ` heading. Add the missing section.",
    ),
    lint(
        "RCA071",
        "action-item-owner",
        Warning,
        "action item without an owner",
        "An open action item has no owner, so nobody is accountable for it. Add an Owner column to \
         the `## Action Items` table and fill it in (a team name is fine). An item already done or \
         closed needs none.",
    ),
    lint(
        "RCA072",
        "future-date",
        Warning,
        "incident date in the future",
        "The incident's date is after the build date (today, or SOURCE_DATE_EPOCH). Usually a typo \
         in the year or month; fix the date.",
    ),
    lint(
        "RCA073",
        "duration-mismatch",
        Warning,
        "`duration_minutes` disagrees with the timeline",
        "`duration_minutes` differs from the span of the timeline (first to last readable entry) by \
         more than `[lint_settings] duration_tolerance_minutes` (default 30). Correct one of them, or \
         raise the tolerance if your timelines start before the impact.",
    ),
    lint(
        "RCA074",
        "resolved-with-open-actions",
        Warning,
        "resolved incident with overdue P0/P1 action items",
        "The incident is `resolved`, but a P0 or P1 action item is still open and past its due date. \
         Close the item, move its due date, or set the status back to `monitoring`.",
    ),
    lint(
        "RCA075",
        "unknown-service",
        Warning,
        "service not in the known list",
        "A service is not in `[services] known` of hindsight.toml, which usually means a typo that \
         would split a service's history in two. Use the suggested name, or add the service to the list.",
    ),
    lint(
        "RCA076",
        "duplicate-title",
        Warning,
        "two incidents share a title",
        "Two incidents have the same title (ignoring case), which makes lists, search results and \
         title wiki links ambiguous. Make the titles say what differs, e.g. add the date or the service. \
         When they also share their date and one's text starts the other's, one write-up was filed \
         twice (a notice copied, then updated): keep one file and delete the other, as a copy counts \
         the incident twice in lists, stats and related incidents.",
    ),
    lint(
        "RCA077",
        "empty-section",
        Warning,
        "empty section",
        "A `## ` section has no content before the next section. Fill it in, write \"None\" if there \
         is nothing to say, or remove the heading.",
    ),
    lint(
        "RCA078",
        "timeline-far-from-date",
        Warning,
        "a timeline row is dated far from the incident",
        "A row of the timeline falls on a day more than 200 days from the incident's date, which \
         is most often a year typed wrong (`2015-08-15` in the timeline of an incident of \
         2019-08-15). Its times to detect and resolve, and the duration it checks, are measured \
         from that row. Correct the row's year, or the incident's date.",
    ),
    lint(
        "RCA079",
        "timeline-out-of-order",
        Warning,
        "a timeline row goes back in time",
        "In a timeline written oldest first, a row is dated before the row above it: most often a \
         day or an hour typed wrong (`2024-03-04 15:10` under `2024-03-05 14:00`), or a row pasted \
         out of place. Times to detect and resolve are measured from the rows, so one out of place \
         moves them. Correct the row's day or time, or move it to where it belongs.",
    ),
    lint(
        "RCA080",
        "seen-before",
        Level::Note,
        "a new RCA resembles earlier incidents",
        "With `--only`, `check` reads the whole archive and names, for each file under review, the \
         earlier incidents it resembles: related above `related.recurrence_threshold`, with the \
         score and the reasons. It is a note, so it never fails a run; read them before the RCA \
         merges, since their action items may already cover this failure. Set \
         `seen-before = \"off\"` to skip the comparison.",
    ),
];

/// The catalogue entry of `code` (case-insensitive).
pub fn find(code: &str) -> Option<&'static Code> {
    CODES.iter().find(|c| c.code.eq_ignore_ascii_case(code.trim()))
}

/// The catalogue entry of the lint named `name`.
pub fn lint_named(name: &str) -> Option<&'static Code> {
    CODES.iter().find(|c| c.lint == Some(name))
}

/// Names of every configurable lint, in code order.
pub fn lint_names() -> impl Iterator<Item = &'static str> {
    CODES.iter().filter_map(|c| c.lint)
}

/// The text `hindsight check --explain CODE` prints.
pub fn explain(entry: &Code) -> String {
    let mut out = format!("{}: {}\n\n", entry.code, entry.summary);
    out.push_str(&wrap(entry.explanation, 78));
    out.push_str("\n\n");
    match entry.lint {
        Some(name) => out.push_str(&format!(
            "Lint `{name}`, {} by default. Set its level in hindsight.toml:\n\n    [lints]\n    {name} = \"off\"  # or \"warning\", \"error\"\n",
            entry.level.as_str()
        )),
        None => out.push_str(&format!("Level: {} (not configurable).\n", entry.level.as_str())),
    }
    out
}

/// Greedy word wrap, for explanations on a terminal.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line_len = 0;
    for word in text.split_whitespace() {
        if line_len > 0 && line_len + 1 + word.len() > width {
            out.push('\n');
            line_len = 0;
        } else if line_len > 0 {
            out.push(' ');
            line_len += 1;
        }
        out.push_str(word);
        line_len += word.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_sorted() {
        let codes: Vec<_> = CODES.iter().map(|c| c.code).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(codes, sorted);
        let mut lints: Vec<_> = lint_names().collect();
        let n = lints.len();
        lints.sort();
        lints.dedup();
        assert_eq!(lints.len(), n);
    }

    #[test]
    fn every_code_in_the_reference_is_explained() {
        let reference = include_str!("../docs/REFERENCE.md");
        let mut listed = 0;
        for line in reference.lines().filter(|l| l.starts_with("| RCA")) {
            let code = line.split('|').nth(1).unwrap_or_default().trim();
            assert!(find(code).is_some(), "{code} is in docs/REFERENCE.md but has no explanation");
            listed += 1;
        }
        assert!(listed >= CODES.len(), "every code is listed in docs/REFERENCE.md");
    }

    #[test]
    fn explain_names_the_lint_and_wraps() {
        let text = explain(find("rca075").unwrap());
        assert!(text.starts_with("RCA075: "));
        assert!(text.contains("unknown-service = \"off\""));
        assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
        assert!(explain(find("RCA002").unwrap()).contains("not configurable"));
    }
}

//! Timeline and action-item tables and task lists built from fuzz input,
//! typed by `validate::incident_from`.
#![no_main]

use std::path::Path;

use hindsight::Config;
use libfuzzer_sys::fuzz_target;

/// One markdown table row per input line; tabs separate the cells.
fn table(header: &str, text: &str) -> String {
    let mut out = format!("{header}\n");
    for line in text.lines() {
        out.push_str("| ");
        out.push_str(&line.replace('\t', " | "));
        out.push_str(" |\n");
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    let (timeline, actions) = text.split_once('\u{1e}').unwrap_or((&text, ""));
    let date = match selector % 4 {
        0 => "2024-01-01",
        1 => "2024-02-29T23:59:59+14:00",
        2 => "2024-12-31",
        _ => "\"2024-06-30 23:00\"",
    };
    let mut body = format!("---\ntitle: T\ndate: {date}\nseverity: P1\n---\n## Timeline\n\n");
    body.push_str(&table("| Time | Event |\n|--|--|", timeline));
    body.push_str("\n## Action items\n\n");
    if selector & 4 == 0 {
        body.push_str(&table("| Action | Owner | Due | Status |\n|--|--|--|--|", actions));
    } else {
        for line in actions.lines() {
            body.push_str("- [");
            body.push_str(if line.len() % 2 == 0 { "x" } else { " " });
            body.push_str("] ");
            body.push_str(line);
            body.push('\n');
        }
    }
    let Ok(source) =
        hindsight::internals::source_from_bytes(Path::new("content/t.md"), body.into_bytes())
    else {
        return;
    };
    let (Some(document), _) = hindsight::internals::parse_document(source) else { return };
    let _ = hindsight::internals::incident_from(document, &Config::default());
});

//! `incidents.json`: every incident's metadata, url, links and related list,
//! for scripts and other tools.

use serde::Serialize;

use super::Emit;
use super::shared::Shared;
use crate::error::Result;
use crate::model::{IncidentIdx, RawValue, indexed};

#[derive(Serialize)]
struct Record<'a> {
    id: &'a str,
    title: &'a str,
    /// `null` for an undated incident.
    date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    started_at: Option<String>,
    severity: &'a str,
    services: &'a [String],
    tags: &'a [String],
    status: Option<&'a str>,
    duration_minutes: Option<u64>,
    authors: &'a [String],
    aliases: &'a [String],
    summary: &'a str,
    url: String,
    source: String,
    links_to: Vec<&'a str>,
    linked_from: Vec<&'a str>,
    related: Vec<RelatedRecord<'a>>,
    /// The earlier incident this one is a recurrence of, if any.
    recurrence_of: Option<&'a str>,
    extra: &'a std::collections::BTreeMap<String, RawValue>,
}

/// The bytes of `incidents.json`, newest incident first, undated last;
/// gives up when `emit` no longer wants the site.
pub(crate) fn incidents_json(ctx: &Shared<'_>, emit: &dyn Emit) -> Result<Vec<u8>> {
    let incidents = ctx.input.incidents;
    let links = ctx.input.links;
    let records: Vec<Record<'_>> = indexed(incidents)
        .map(|(i, incident)| Record {
            id: &incident.slug,
            title: &incident.title,
            date: incident.date_text(),
            started_at: incident.started_at.map(|t| t.to_string()),
            severity: &incident.severity.name,
            services: &incident.services,
            tags: &incident.tags,
            status: incident.status.as_deref(),
            duration_minutes: incident.duration_minutes,
            authors: &incident.authors,
            aliases: &incident.aliases,
            summary: &incident.summary,
            url: incident.url(),
            source: incident.rel_path().to_string_lossy().replace('\\', "/"),
            links_to: i
                .of(&links.outgoing)
                .into_iter()
                .flatten()
                .map(|&t| ctx.incident(t).slug.as_str())
                .collect(),
            linked_from: i
                .of(&links.backlinks)
                .into_iter()
                .flatten()
                .map(|b| ctx.incident(b.source).slug.as_str())
                .collect(),
            related: related_records(ctx, i),
            recurrence_of: i
                .of(&ctx.input.related.recurrence_of)
                .copied()
                .flatten()
                .map(|j| ctx.incident(j).slug.as_str()),
            extra: &incident.extra,
        })
        .collect();
    json_file(&records, json_room(&records), emit)
}

/// JSON that is also safe inside an HTML `<script>` block or attribute:
/// `<`, `>` and `&` are written as `\u003c`, `\u003e`, `\u0026` (and the
/// JavaScript line separators U+2028/U+2029 escaped), so no `</script>` or
/// `<!--` in a title can end the block. Still plain JSON for any reader.
/// `room` is the expected size: the file is megabytes, allocated once.
/// Asks `emit` now and then whether the site is still wanted.
pub(crate) fn json_for_html<T: Serialize>(
    value: &T,
    room: usize,
    emit: &dyn Emit,
) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(room);
    let mut writer = HtmlSafe { out: &mut out, emit, checked: 0 };
    if serde_json::to_writer(&mut writer, value).is_err() {
        // Every value here serializes, and a Vec takes every write: the
        // site is no longer wanted.
        emit.wanted()?;
    }
    writer.escape_the_rest();
    Ok(out)
}

/// A site-wide JSON file (`incidents.json`, `actions.json`, `graph.json`):
/// [`json_for_html`] on one line, ending with a newline.
pub(crate) fn json_file<T: Serialize>(value: &T, room: usize, emit: &dyn Emit) -> Result<Vec<u8>> {
    let mut out = json_for_html(value, room.saturating_add(1), emit)?;
    out.push(b'\n');
    Ok(out)
}

/// Bytes written between two questions whether the site is still wanted.
const ASK_EVERY: usize = 1 << 20;

/// The expected size of `items` as JSON, from the first few.
pub(crate) fn json_room<T: Serialize>(items: &[T]) -> usize {
    let sample = items.get(..items.len().min(32)).unwrap_or_default();
    let bytes = serde_json::to_vec(sample).map_or(0, |v| v.len());
    let each = bytes.checked_div(sample.len()).unwrap_or(0);
    // A little over the mean, so a few longer records at the end do not
    // double the buffer.
    each.saturating_add(each / 16).saturating_mul(items.len())
}

/// Writes into a buffer, escaping the characters [`json_for_html`]
/// escapes a megabyte at a time: serde_json writes in pieces of a few
/// bytes, and looking at each piece for them cost more than the writing.
/// They never appear in JSON syntax, only inside strings, where the
/// escapes mean the same characters. serde_json hands over a string in
/// runs split only at ASCII characters, so a three-byte U+2028 always
/// arrives whole, and no write ends inside a character.
struct HtmlSafe<'a> {
    out: &'a mut Vec<u8>,
    emit: &'a dyn Emit,
    /// Where the bytes not yet escaped start.
    checked: usize,
}

impl HtmlSafe<'_> {
    /// Escapes what was written since the last time.
    fn escape_the_rest(&mut self) {
        let from = self.checked.min(self.out.len());
        let fresh = self.out.get(from..).unwrap_or_default();
        if next_special(fresh).is_some() {
            let mut escaped = Vec::with_capacity(fresh.len() + fresh.len() / 16);
            push_html_safe(&mut escaped, fresh);
            self.out.truncate(from);
            self.out.extend_from_slice(&escaped);
        }
        self.checked = self.out.len();
    }
}

impl std::io::Write for HtmlSafe<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.out.extend_from_slice(bytes);
        if self.out.len() - self.checked > ASK_EVERY {
            self.escape_the_rest();
            self.emit.wanted().map_err(std::io::Error::other)?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Where the next byte [`push_html_safe`] looks at is: `<`, `>`, `&`, or
/// the first byte of U+2028 and of U+2029 (and of other characters, such
/// as `…`). Searched with memchr's vector loops: the site's JSON files are
/// megabytes of text with few of these, and a byte-at-a-time test of four
/// values was a few percent of a build.
fn next_special(bytes: &[u8]) -> Option<usize> {
    let markup = memchr::memchr3(b'<', b'>', b'&', bytes);
    let before = bytes.get(..markup.unwrap_or(bytes.len())).unwrap_or(bytes);
    memchr::memchr(0xE2, before).or(markup)
}

/// Appends `bytes` (serialized JSON, or a run of it that does not split a
/// character) to `out` with `<`, `>`, `&`, U+2028 and U+2029 escaped.
fn push_html_safe(out: &mut Vec<u8>, bytes: &[u8]) {
    {
        // Text between special characters is copied a run at a time.
        let mut rest = bytes;
        while let Some(at) = next_special(rest) {
            let Some((run, tail)) = rest.split_at_checked(at) else { break };
            out.extend_from_slice(run);
            let (escape, skip): (&[u8], usize) = match tail {
                [b'<', ..] => (b"\\u003c", 1),
                [b'>', ..] => (b"\\u003e", 1),
                [b'&', ..] => (b"\\u0026", 1),
                // U+2028 and U+2029 in UTF-8; any other character starting
                // with 0xE2 is copied as it is.
                [0xE2, 0x80, 0xA8, ..] => (b"\\u2028", 3),
                [0xE2, 0x80, 0xA9, ..] => (b"\\u2029", 3),
                _ => (tail.get(..1).unwrap_or_default(), 1),
            };
            out.extend_from_slice(escape);
            rest = tail.get(skip..).unwrap_or_default();
        }
        out.extend_from_slice(rest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Collect;

    #[test]
    fn the_next_special_byte_is_the_first_of_any() {
        let special = |b: &u8| matches!(b, b'<' | b'>' | b'&' | 0xE2);
        for text in ["", "plain", "a<b", "é & …", "…<", "<…", "x\u{2028}y>", "&&", "ab>"] {
            let bytes = text.as_bytes();
            for from in 0..=bytes.len() {
                let rest = &bytes[from..];
                assert_eq!(next_special(rest), rest.iter().position(special), "{text:?} {from}");
            }
        }
    }

    #[test]
    fn json_escaped_a_megabyte_at_a_time_is_json_escaped_whole() {
        // Three megabytes, escapes throughout and on every side of each
        // megabyte's end.
        let items: Vec<String> =
            (0..200_000).map(|i| format!("{i}<a & \u{2028}…>{}", "x".repeat(i % 7))).collect();
        let bytes = json_for_html(&items, 0, &Collect::default()).unwrap();
        assert!(bytes.len() > 3 * ASK_EVERY, "{}", bytes.len());
        let mut whole = Vec::new();
        push_html_safe(&mut whole, &serde_json::to_vec(&items).unwrap());
        assert!(bytes == whole, "differs from escaping the whole file at once");
        let back: Vec<String> = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(back, items);
    }

    #[test]
    fn json_for_html_cannot_close_a_script_block() {
        // "…" and "→" start with the same byte as U+2028 and stay as they are.
        let value = serde_json::json!({"t": "</script><!-- & \u{2028} … → \u{2029}"});
        let bytes = json_for_html(&value, 0, &Collect::default()).unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'), "{text}");
        assert!(text.contains("\\u2028 … → \\u2029"), "{text}");
        let back: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(back, value);
        // Without those characters, it is serde_json's compact output: no
        // whitespace between values, the data files being megabytes.
        let plain = serde_json::json!([{"t": "a \"quoted\" title … \n"}, {"n": [1, 2.5, null]}]);
        let bytes = json_for_html(&plain, 0, &Collect::default()).unwrap();
        assert_eq!(bytes, serde_json::to_vec(&plain).unwrap());
        assert!(!bytes.contains(&b'\n'));
    }

    #[test]
    fn json_room_is_close_to_the_size_of_the_list() {
        let items: Vec<_> =
            (0..1000).map(|i| serde_json::json!({"id": format!("incident-{i:04}")})).collect();
        let size = serde_json::to_vec(&items).unwrap().len();
        let room = json_room(&items);
        assert!(room >= size && room < size + size / 8, "{room} for {size}");
        assert_eq!(json_room::<serde_json::Value>(&[]), 0);
    }
}

/// `related` records for incidents.json.
#[derive(Serialize)]
pub(crate) struct RelatedRecord<'a> {
    id: &'a str,
    score: f64,
    reasons: &'a [String],
}

pub(crate) fn related_records<'a>(
    shared: &'a Shared<'a>,
    i: IncidentIdx,
) -> Vec<RelatedRecord<'a>> {
    let list = shared.input.related.related_to(i);
    list.iter()
        .map(|r| RelatedRecord {
            id: &shared.incident(r.index).slug,
            score: score_value(r.score),
            reasons: &r.reasons,
        })
        .collect()
}

/// Scores written to JSON: three decimals, so data files stay stable.
pub(super) fn score_value(score: f64) -> f64 {
    (score * 1000.0).round() / 1000.0
}

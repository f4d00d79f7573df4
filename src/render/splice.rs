//! Large pages as a skeleton plus pieces. A template prints a marker where
//! a long run of rows goes (`{{ table_rows | safe }}`); the rows render on
//! their own, in parallel, and are written into the skeleton's output in
//! the markers' places. A template context holding tens of thousands of
//! rows cost more memory and time than the rows themselves, and a page
//! grown a row at a time was copied again each time its buffer filled up.

use super::OutputFile;
use super::shared::Shared;
use crate::error::Result;

/// Start of every marker; the NUL characters keep any text of the archive
/// from matching one.
const OPEN: &str = "\u{0}hindsight-splice:";
/// End of every marker.
const CLOSE: char = '\u{0}';

/// The marker of the piece called `name`, for a template variable.
pub(super) fn marker(name: &str) -> String {
    format!("{OPEN}{name}{CLOSE}")
}

/// `skeleton` with each marker replaced by what `fill` writes for its
/// name, in the order the markers come. `room` is the size the pieces are
/// expected to take together, so the page is allocated once. A theme may
/// leave a marker out (nothing is written for it) or print it twice.
fn splice(
    skeleton: &str,
    room: usize,
    mut fill: impl FnMut(&str, &mut Vec<u8>) -> Result<()>,
) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(skeleton.len() + room);
    let mut rest = skeleton;
    while let Some(at) = rest.find(OPEN) {
        let (text, tail) = rest.split_at_checked(at).unwrap_or((rest, ""));
        let tail = tail.get(OPEN.len()..).unwrap_or_default();
        let Some(end) = tail.find(CLOSE) else { break };
        out.extend_from_slice(text.as_bytes());
        fill(tail.get(..end).unwrap_or_default(), &mut out)?;
        rest = tail.get(end + CLOSE.len_utf8()..).unwrap_or_default();
    }
    out.extend_from_slice(rest.as_bytes());
    Ok(out)
}

impl Shared<'_> {
    /// Renders `template` with `ctx` into the skeleton of the page at
    /// `path`, drops the context, and writes the pieces into it with
    /// `fill` (see [`splice`]).
    pub(super) fn render_spliced(
        &self,
        template: &str,
        ctx: tera::Context,
        path: impl Into<String>,
        room: usize,
        fill: impl FnMut(&str, &mut Vec<u8>) -> Result<()>,
    ) -> Result<OutputFile> {
        let skeleton = self.render_text(template, &ctx)?;
        // Only the skeleton and the pieces are in memory while they are
        // written.
        drop(ctx);
        Ok(OutputFile::bytes(path, splice(&skeleton, room, fill)?))
    }
}

/// Makes room in `out` for `left` more items like the `done` items that
/// took `written` bytes: called after the first batch of a long list,
/// when their size is known, so the page grows once rather than doubling
/// its way up.
pub(super) fn reserve_like(out: &mut Vec<u8>, written: usize, done: usize, left: usize) {
    if let Some(each) = written.checked_div(done) {
        // A little over the mean, so a later longer row does not double
        // the buffer for the last few rows.
        out.reserve(each.saturating_add(each / 16).saturating_mul(left));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_replaced_in_order_and_the_rest_is_kept() {
        let skeleton = format!("<a>{}<b>{}</b>{}", marker("one"), marker("two"), marker("one"));
        let mut seen = Vec::new();
        let out = splice(&skeleton, 0, |name, out| {
            seen.push(name.to_string());
            out.extend_from_slice(name.to_uppercase().as_bytes());
            Ok(())
        })
        .unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "<a>ONE<b>TWO</b>ONE");
        assert_eq!(seen, ["one", "two", "one"]);
    }

    #[test]
    fn a_page_without_markers_or_with_a_broken_one_is_copied() {
        let fill = |_: &str, _: &mut Vec<u8>| -> Result<()> { panic!("no marker to fill") };
        assert_eq!(splice("<p>plain</p>", 10, fill).unwrap(), b"<p>plain</p>");
        let broken = format!("<p>{OPEN}never closed");
        assert_eq!(splice(&broken, 0, fill).unwrap(), broken.as_bytes());
    }

    #[test]
    fn room_is_made_for_the_rest_of_a_list() {
        let mut out = Vec::with_capacity(100);
        out.extend_from_slice(&[b'x'; 100]);
        reserve_like(&mut out, 100, 10, 1000);
        assert!(out.capacity() >= 100 + 10 * 1000, "{}", out.capacity());
        let mut empty = Vec::new();
        reserve_like(&mut empty, 0, 0, 1000);
        assert_eq!(empty.capacity(), 0);
    }
}

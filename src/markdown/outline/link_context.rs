//! The sentence each wiki link stands in, for the backlinks that quote
//! it: the text of the innermost block (paragraph, item, cell, heading)
//! with the positions of its links, and, when the block closes, the
//! sentence around each position, white space folded and cut at 240
//! characters.
//!
//! Takes [`Block`]s the [`Scanner`](super::Scanner) fills; gives each
//! [`WikiLink`](crate::model::WikiLink) of the [`Outline`] its `context`.
//! Part of the body scan.

use std::ops::Range;

use crate::model::Outline;

/// Text of the innermost block (paragraph, item, cell, heading) with the
/// positions of the wiki links inside it, so each link gets its sentence.
#[derive(Default)]
pub(super) struct Block {
    pub(super) text: String,
    pub(super) links: Vec<(usize, usize)>, // (index into outline.links, byte position in text)
}

/// Closes the innermost block and gives each link in it its sentence.
pub(super) fn finish_block(stack: &mut Vec<Block>, out: &mut Outline) {
    let Some(block) = stack.pop() else { return };
    if block.links.is_empty() {
        return;
    }
    // The sentence ends are found once per block, and links that share a
    // sentence share its text: a paragraph of thousands of links costs its
    // length, not its length times its links (issue 26).
    let ends = sentence_ends(&block.text);
    let mut last: Option<(usize, String)> = None;
    for (index, pos) in block.links {
        let (sentence, range) = sentence_at(&block.text, &ends, pos);
        let context = match &last {
            Some((at, text)) if *at == sentence => text.clone(),
            _ => {
                let text = block.text.get(range).map(sentence_text).unwrap_or_default();
                last = Some((sentence, text.clone()));
                text
            }
        };
        if let Some(link) = out.links.get_mut(index) {
            link.context = context;
        }
    }
}

/// Where each sentence of `text` ends: the position of its closing mark
/// and the position after it, in order.
fn sentence_ends(text: &str) -> Vec<(usize, usize)> {
    let is_end = |c: char| matches!(c, '.' | '!' | '?' | '。' | '！' | '？');
    let mut ends = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        if is_end(c) && next.is_none_or(|n| n.is_whitespace() || !c.is_ascii()) {
            ends.push((i, i + c.len_utf8()));
        }
    }
    ends
}

/// The index and byte range of the sentence of `text` that contains byte
/// position `pos`, given the sentence ends of `text`.
fn sentence_at(text: &str, ends: &[(usize, usize)], pos: usize) -> (usize, Range<usize>) {
    let mut pos = pos.min(text.len());
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    let k = ends.partition_point(|&(at, _)| at < pos);
    let start = k.checked_sub(1).and_then(|j| ends.get(j)).map_or(0, |&(_, after)| after);
    let end = ends.get(k).map_or(text.len(), |&(_, after)| after);
    (k, start..end)
}

/// A sentence with its white space folded, at most 240 characters (an
/// ellipsis marks a cut), reading no further than that.
fn sentence_text(sentence: &str) -> String {
    const MAX: usize = 240;
    let mut out = String::new();
    let mut chars = 0;
    for word in sentence.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
            chars += 1;
        }
        out.push_str(word);
        chars += word.chars().count();
        if chars > MAX {
            return truncate_chars(&out, MAX);
        }
    }
    out
}

/// The sentence of `text` that contains byte position `pos`.
#[cfg(test)]
fn sentence_around(text: &str, pos: usize) -> String {
    let ends = sentence_ends(text);
    let (_, range) = sentence_at(text, &ends, pos);
    text.get(range).map(sentence_text).unwrap_or_default()
}

fn truncate_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_around_handles_cjk_and_edges() {
        assert_eq!(sentence_around("One. Two three. Four.", 6), "Two three.");
        assert_eq!(sentence_around("没有句号的文本", 3), "没有句号的文本");
        assert_eq!(sentence_around("第一句。第二句。", 15), "第二句。");
        assert_eq!(sentence_around("第一句。第二句。", 13), "第二句。");
    }
}

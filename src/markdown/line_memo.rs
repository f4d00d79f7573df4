//! Highlighted lines remembered per thread, so a line met again in the same
//! parser state is not parsed again.
//!
//! Highlighting is regex work at every position of every line, by far the
//! costliest part of turning a body into HTML. Postmortems repeat their code
//! lines: the same rollback command, the same query, the same manifest
//! skeleton across incidents. A line's HTML depends only on the line, the
//! parser state and the open scopes before it; when all three match an
//! earlier line, that line's HTML and following state are reused. The
//! result is byte for byte what parsing would give, so output never depends
//! on which thread rendered what.

use std::cell::RefCell;

use foldhash::HashMap;
use syntect::parsing::{ParseState, ScopeStack};

/// Bytes of remembered lines and states a thread keeps, at most.
const MAX_BYTES: usize = 16 * 1024 * 1024;

/// Where parsing stands between two lines: all a line's HTML depends on
/// besides the line itself.
#[derive(Clone, PartialEq, Eq)]
pub(super) struct LineState {
    pub(super) parse: ParseState,
    pub(super) scopes: ScopeStack,
}

/// A line as parsed once: its HTML, the spans it left open (negative when
/// it closed more than it opened) and the state after it.
struct Parsed {
    before: LineState,
    after: LineState,
    html: Box<str>,
    span_delta: isize,
}

/// One thread's remembered lines.
pub(super) struct LineMemo {
    /// Line text → every state it was parsed from, with the result.
    lines: HashMap<Box<str>, Vec<Parsed>>,
    /// An estimate of the bytes held.
    bytes: usize,
    /// Bytes held at most: past this new lines are not remembered.
    limit: usize,
}

impl Default for LineMemo {
    fn default() -> Self {
        LineMemo::with_limit(MAX_BYTES)
    }
}

impl LineMemo {
    /// A memo holding about `limit` bytes at most.
    pub(super) fn with_limit(limit: usize) -> Self {
        LineMemo { lines: HashMap::default(), bytes: 0, limit }
    }

    /// Lines remembered, each state counted.
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.lines.values().map(Vec::len).sum()
    }

    /// The HTML and span delta of `line` parsed from `state`, with `state`
    /// moved past it, if this thread has seen that line in that state before.
    pub(super) fn recall(&self, line: &str, state: &mut LineState) -> Option<(&str, isize)> {
        let parsed = self.lines.get(line)?.iter().find(|p| p.before == *state)?;
        state.clone_from(&parsed.after);
        Some((&parsed.html, parsed.span_delta))
    }

    /// True while there is room to remember another line.
    pub(super) fn has_room(&self) -> bool {
        self.bytes < self.limit
    }

    /// Remembers that `line`, parsed from `before`, gave `html` with
    /// `span_delta` and left `after`.
    pub(super) fn remember(
        &mut self,
        line: &str,
        before: LineState,
        after: &LineState,
        html: &str,
        span_delta: isize,
    ) {
        if !self.has_room() {
            return;
        }
        // The states' vectors are small; a fixed allowance stands for them.
        self.bytes += line.len() + html.len() + 512;
        let parsed = Parsed { before, after: after.clone(), html: html.into(), span_delta };
        match self.lines.get_mut(line) {
            Some(list) => list.push(parsed),
            None => {
                self.lines.insert(line.into(), vec![parsed]);
            }
        }
    }
}

thread_local! {
    static MEMO: RefCell<LineMemo> = RefCell::new(LineMemo::default());
}

/// Runs `f` with this thread's memo.
pub(super) fn with_memo<R>(f: impl FnOnce(&mut LineMemo) -> R) -> R {
    MEMO.with_borrow_mut(f)
}

//! GitHub's and GitLab's emoji shortcodes, `:white_check_mark:`, `:fire:`,
//! read as the emoji they name, as the forge shows them: an action item
//! marked `:white_check_mark:` is done, as one marked ✅ is. Each is padded
//! with spaces to the length it was written in (see the parent module).
//!
//! A shortcode counts where it stands alone: after a space, a bracket or
//! a table's bar, or at the start of the line, and before a space or
//! punctuation, outside inline code. `12:30:00` or `host:x:1` is no
//! shortcode.

use std::borrow::Cow;

use super::padded;

/// True when `text` holds a shortcode: one pass over its colons (most
/// colons are in times and labels, never followed by a name and a colon),
/// reading the line of each that is.
pub(super) fn in_text(text: &str) -> bool {
    let mut at = 0;
    while let Some(open) = text.get(at..).and_then(|rest| rest.find(':')).map(|i| at + i) {
        let name_len = text
            .as_bytes()
            .get(open + 1..)
            .map_or(0, |rest| rest.iter().take_while(|&&b| is_name_byte(b)).count());
        let close = open + 1 + name_len;
        if name_len > 0 && text.as_bytes().get(close) == Some(&b':') {
            let start = text.get(..open).and_then(|b| b.rfind('\n')).map_or(0, |n| n + 1);
            let end =
                text.get(close..).and_then(|a| a.find('\n')).map_or(text.len(), |n| close + n);
            if matches!(read_through(text.get(start..end).unwrap_or_default()), Cow::Owned(_)) {
                return true;
            }
        }
        at = close.max(open + 1);
    }
    false
}

/// `line` with each shortcode read as its emoji.
pub(super) fn read_through(line: &str) -> Cow<'_, str> {
    if line.matches(':').nth(1).is_none() {
        return Cow::Borrowed(line);
    }
    let mut out = String::new();
    let mut done = 0;
    let mut at = 0;
    let mut code = super::InlineCode::new(line);
    while let Some(open) = line.get(at..).and_then(|rest| rest.find(':')).map(|i| at + i) {
        let Some(close) =
            line.get(open + 1..).and_then(|rest| rest.find(':')).map(|i| open + 1 + i)
        else {
            break;
        };
        let name = line.get(open + 1..close).unwrap_or_default();
        if !is_name(name) {
            // The closing colon may open the next shortcode.
            at = close;
            continue;
        }
        let before = line.get(..open).and_then(|b| b.chars().next_back());
        let after = line.get(close + 1..).and_then(|a| a.chars().next());
        let stands_alone = before
            .is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '[' | '|' | '*' | '_'))
            && after.is_none_or(|c| !c.is_alphanumeric());
        let in_code = code.at(open);
        let emoji = (stands_alone && !in_code)
            .then(|| emojis::get_by_shortcode(name))
            .flatten()
            .map(|e| e.as_str())
            .filter(|e| e.len() <= close + 1 - open);
        match emoji {
            Some(emoji) => {
                out.push_str(line.get(done..open).unwrap_or_default());
                let width = close + 1 - open;
                // After words, the pad goes before the emoji, where it
                // joins the space before it ("then ⚠️."); where the line's
                // text begins, after it, as spaces there would indent.
                let after_words =
                    line.get(..open).is_some_and(|b| b.chars().any(char::is_alphanumeric));
                if after_words {
                    out.push_str(&" ".repeat(width - emoji.len()));
                    out.push_str(emoji);
                } else {
                    out.push_str(&padded(emoji, width));
                }
                done = close + 1;
                at = close + 1;
            }
            // The closing colon may open the next shortcode.
            None => at = close,
        }
    }
    if done == 0 {
        return Cow::Borrowed(line);
    }
    out.push_str(line.get(done..).unwrap_or_default());
    Cow::Owned(out)
}

/// True for what a shortcode's name may be: `white_check_mark`, `+1`.
fn is_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 40 && name.bytes().all(is_name_byte)
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'+' | b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `line` reads as, trailing pads dropped; the length kept.
    fn read(line: &str) -> String {
        let out = read_through(line);
        assert_eq!(out.len(), line.len(), "{out:?}");
        out.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn shortcodes_are_the_emoji_they_name() {
        assert_eq!(
            read("| Add alerting | dana | :white_check_mark: |"),
            "| Add alerting | dana | ✅ |"
        );
        assert_eq!(read(":fire: Checkout down :+1:"), "🔥 Checkout down 👍");
        assert!(in_text("10:30 paged\n| Add alerting | :white_check_mark: |\n"));
        assert_eq!(&*read_through("- :fire: Done"), "- 🔥   Done");
        assert_eq!(&*read_through("Paged :fire:."), "Paged   🔥.");
        assert_eq!(
            // After words, the pad goes before the emoji; where the text begins,
            // after it, as spaces there could make code of a list item's text.
            read("- [ ] rotate keys :x:, then :warning:."),
            "- [ ] rotate keys ❌, then ⚠️."
        );
    }

    #[test]
    fn times_code_and_words_with_colons_are_left_as_written() {
        for kept in [
            "10:30:45 failover",
            "see host:x:1 and a:b:c",
            "`:fire:` is how you write it",
            "ratio 3:b: odd",
            ":not_an_emoji_at_all:",
            "Cause: the pool. Fix: none.",
        ] {
            assert_eq!(read_through(kept), kept);
            assert!(!in_text(kept), "{kept}");
        }
    }
}

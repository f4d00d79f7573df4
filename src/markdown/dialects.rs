//! Markdown as documentation sites and wikis write it, read as what it
//! means before a body is parsed:
//!
//! - **Admonitions**: MkDocs' `!!! note "Title"` (and the folded `???`),
//!   whose text is indented under it, and the `:::tip Title` … `:::`
//!   fences of Docusaurus and pandoc. CommonMark reads the first as a
//!   paragraph that opens with "!!! note" followed by code blocks, and the
//!   second as paragraphs of colons. The opening line becomes its title in
//!   bold, and an indented admonition's lines become a block quote
//!   (`    text` becomes `>   text`).
//! - **Lines for the site, not the reader**, which become blank: a wiki's
//!   page macros (Azure DevOps' `[[_TOC_]]` and `[[_TOSP_]]`, which would
//!   read as broken wiki links; the page has its own contents), and MDX's
//!   `import` and `export` lines and `{/* comments */}` (Docusaurus).
//! - **Obsidian's marks**: comments, highlights and callouts
//!   ([`obsidian`]).
//! - **Attributes** pandoc and kramdown attach to text (`[word]{.mark}`,
//!   `{: .note}`), read as the text alone ([`attributes`]).
//! - **An outliner's pages** (Logseq), every block a bullet: its heading
//!   bullets become sections ([`outliner`]).
//!
//! Every line keeps its length, so every offset into the body, every line
//! and column of a diagnostic, is the same in the rewritten text as in the
//! file. Fenced code is left as written: it is found by pulldown-cmark,
//! not by this file.
//!
//! Used by the body scan and the HTML renderer, which must read the same
//! text. Imports only the markdown options.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Tag};

mod attributes;
mod emoji;
mod obsidian;
mod outliner;
mod templates;

/// `text` with the admonitions and site lines in `text[body]` rewritten
/// (see the module documentation); `text` itself when it has none.
pub(crate) fn rewritten(text: &str, body: Range<usize>) -> Cow<'_, str> {
    let Some(part) = text.get(body.clone()) else { return Cow::Borrowed(text) };
    let flat = outliner::flattened(part);
    let part = flat.as_ref();
    if !has_opener(part) {
        return match flat {
            Cow::Borrowed(_) => Cow::Borrowed(text),
            Cow::Owned(part) => {
                let before = text.get(..body.start).unwrap_or_default();
                Cow::Owned([before, &part, text.get(body.end..).unwrap_or_default()].concat())
            }
        };
    }
    let fenced = fenced_code(part);
    let mut out = String::with_capacity(text.len());
    out.push_str(text.get(..body.start).unwrap_or_default());
    // How many indented admonitions hold the current line.
    let mut depth = 0usize;
    let mut at = 0;
    // Inside an `import { … }` written over several lines.
    let mut in_import = false;
    // The line follows a blank one (or none), so it may open a block.
    let mut after_blank = true;
    // Inside an Obsidian `%%` comment; comments only where the marks pair.
    let mut in_comment = false;
    let comments = part.matches("%%").count() % 2 == 0;
    for line in part.split_inclusive('\n') {
        let start = at;
        at += line.len();
        if fenced.iter().any(|f| f.start <= start && start < f.end) {
            depth = depth.min(indent(line) / 4);
            out.push_str(line);
            after_blank = true;
            continue;
        }
        if line.trim().is_empty() {
            out.push_str(line);
            after_blank = true;
            continue;
        }
        let opens_block = std::mem::replace(&mut after_blank, false);
        let line = obsidian::read_through(line, &mut in_comment, comments);
        let line = templates::read_through(&line);
        let line = attributes::read_through(&line, opens_block);
        let line = emoji::read_through(&line);
        let line = &*mentions_read_through(&line);
        let for_the_site = if in_import {
            in_import = !ends_import(line);
            true
        } else if opens_import(line) {
            in_import = true;
            true
        } else {
            is_site_line(line)
        };
        if for_the_site {
            let (written, end) = split_line_end(line);
            out.extend(std::iter::repeat_n(' ', written.len()));
            out.push_str(end);
            continue;
        }
        depth = depth.min(indent(line) / 4);
        // The first `4 * depth` bytes are spaces: `depth` is at most the indent / 4.
        let rest = line.get(4 * depth..).unwrap_or(line);
        out.extend(std::iter::repeat_n(">   ", depth));
        match opener(rest) {
            Some(Opener { title, indented }) => {
                let (written, end) = split_line_end(rest);
                out.push_str(&title_in(&title, written.len()));
                out.push_str(end);
                depth += usize::from(indented);
            }
            None => out.push_str(rest),
        }
    }
    out.push_str(text.get(body.end..).unwrap_or_default());
    debug_assert_eq!(out.len(), text.len());
    Cow::Owned(out)
}

/// `title` in bold, padded with spaces to `width` bytes; in italics where
/// bold would not fit (`:::note` has room for `*Note*`), plain where
/// neither would.
fn title_in(title: &str, width: usize) -> String {
    let shown = if title.is_empty() {
        String::new()
    } else if title.len() + 4 <= width {
        format!("**{title}**")
    } else if title.len() + 2 <= width {
        format!("*{title}*")
    } else {
        title
            .chars()
            .scan(0, |len, c| {
                *len += c.len_utf8();
                (*len <= width).then_some(c)
            })
            .collect()
    };
    padded(&shown, width)
}

/// `text` followed by spaces to `width` bytes (not characters: a title in
/// German or Japanese must keep the line's length in bytes); all spaces
/// when `text` would not fit.
fn padded(text: &str, width: usize) -> String {
    match width.checked_sub(text.len()) {
        Some(spaces) => format!("{text}{}", " ".repeat(spaces)),
        None => " ".repeat(width),
    }
}

/// True when some line opens with what may start an admonition or a line
/// for the site, or holds a template tag or a shortcode: one pass over the
/// lines, so that the bodies of an archive without any (nearly all) cost a
/// scan and no parse.
fn has_opener(text: &str) -> bool {
    let braces = text.contains('{');
    text.split('\n').any(|line| {
        // Admonitions may be indented; site lines are read as the
        // rewrite reads them (an `import` is never indented).
        let start = line.trim_start_matches(' ');
        let opens = start.starts_with(['!', '?', ':', '[', 'i', 'e', '{'])
            && (["!!!", "???", ":::"].iter().any(|mark| start.starts_with(mark))
                || opens_import(line)
                || is_site_line(line));
        opens || (braces && (templates::has_tags(line) || attributes::has_attributes(line)))
    }) || emoji::in_text(text)
        || text.contains("@<")
        || obsidian::has_marks(text)
}

/// True for a line a site reads and a reader never sees: a wiki's page
/// macro alone on its line (`[[_TOC_]]`, `[[_TOSP_]]`), an MDX `import`
/// or `export` of one line, or an MDX comment (`{/* … */}`).
fn is_site_line(line: &str) -> bool {
    let (line, _) = split_line_end(line);
    let trimmed = line.trim();
    let macro_name = trimmed.strip_prefix("[[").and_then(|t| t.strip_suffix("]]"));
    if macro_name
        .is_some_and(|m| m.eq_ignore_ascii_case("_toc_") || m.eq_ignore_ascii_case("_tosp_"))
    {
        return true;
    }
    if trimmed.starts_with("{/*") && trimmed.ends_with("*/}") {
        return true;
    }
    // ESM is written at the start of a line, never indented.
    if let Some(rest) = line.strip_prefix("import ") {
        let rest = rest.trim_end().trim_end_matches(';');
        let quoted = |s: &str| templates::unquoted(s).is_some();
        return quoted(rest)
            || rest.rsplit_once(" from ").is_some_and(|(_, module)| quoted(module.trim()));
    }
    ["export const ", "export let ", "export default ", "export function "]
        .iter()
        .any(|form| line.starts_with(form))
        && (line.trim_end().ends_with(';') || line.trim_end().ends_with('}'))
}

/// Whether bytes of a line are inside inline code (after an odd number of
/// backticks), asked from left to right: the backticks are counted once
/// as the questions move along, where counting from the line's start for
/// each was quadratic in a line of thousands of shortcodes.
struct InlineCode<'l> {
    line: &'l str,
    counted_to: usize,
    backticks: usize,
}

impl<'l> InlineCode<'l> {
    fn new(line: &'l str) -> Self {
        InlineCode { line, counted_to: 0, backticks: 0 }
    }

    /// True when byte `at` of the line is inside inline code.
    fn at(&mut self, at: usize) -> bool {
        if at < self.counted_to {
            *self = InlineCode::new(self.line);
        }
        let between = self.line.get(self.counted_to..at).unwrap_or_default();
        self.backticks += between.matches('`').count();
        self.counted_to = at.max(self.counted_to);
        self.backticks % 2 == 1
    }
}

/// `line` with each mention of a name with spaces, as an Azure DevOps wiki
/// writes one (`@<Dana Smith>`), as the name (`  @Dana Smith`): read as
/// markdown, the brackets make an HTML tag, and the name was lost. Inside
/// inline code a mention stays as written.
fn mentions_read_through(line: &str) -> Cow<'_, str> {
    if !line.contains("@<") {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    let mut code = InlineCode::new(line);
    while let Some(at) = rest.find("@<") {
        let (before, after) = rest.split_at(at);
        let in_code = code.at(line.len() - rest.len() + at);
        let name = after.get(2..).and_then(|a| a.split_once('>')).map(|(name, _)| name);
        let is_name = name.is_some_and(|n| {
            n.chars().any(char::is_alphabetic)
                && n.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '.' | '\'' | '-'))
        });
        out.push_str(before);
        match name.filter(|_| is_name && !in_code) {
            Some(name) => {
                out.push_str("  @");
                out.push_str(name);
                rest = after.get(name.len() + 3..).unwrap_or_default();
            }
            None => {
                out.push_str("@<");
                rest = after.get(2..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// True for the first line of an MDX `import` written over several lines:
/// `import {`, its names on the lines after.
fn opens_import(line: &str) -> bool {
    let (line, _) = split_line_end(line);
    line.strip_prefix("import ")
        .is_some_and(|rest| rest.trim() == "{" || rest.trim_end().ends_with(','))
}

/// True for the last line of an `import` written over several lines:
/// `} from '@theme/Tabs';`.
fn ends_import(line: &str) -> bool {
    line.trim_start().starts_with('}') && line.contains(" from ")
}

/// The byte ranges of fenced code blocks in `text`.
fn fenced_code(text: &str) -> Vec<Range<usize>> {
    super::parser(text)
        .into_offset_iter()
        .filter(|(event, _)| {
            matches!(event, Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))))
        })
        .map(|(_, range)| range)
        .collect()
}

/// Leading spaces.
fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// `line` less its line end, and the line end.
fn split_line_end(line: &str) -> (&str, &str) {
    let body = line.trim_end_matches(['\n', '\r']);
    (body, line.get(body.len()..).unwrap_or_default())
}

/// An admonition's opening line, read.
struct Opener {
    /// What it shows as its title: the quoted title, else its kind
    /// capitalised; empty for `""`, which asks for none. Never longer
    /// than the line.
    title: String,
    /// True when its text is indented under it (MkDocs), false when a
    /// closing fence ends it (`:::`).
    indented: bool,
}

/// `!!! note`, `??? warning "Title"`, `???+ tip`, `:::note`, `:::tip Title`,
/// `::: {.warning}`, or a closing `:::`; `None` for any other line.
fn opener(line: &str) -> Option<Opener> {
    let (line, _) = split_line_end(line);
    let line = line.trim_end();
    if let Some(rest) = line.strip_prefix(":::") {
        let rest = rest.trim_start_matches(':').trim();
        let kind = rest.trim_start_matches('{').trim_end_matches('}').trim_start_matches('.');
        let (kind, title) = kind.split_once(' ').unwrap_or((kind, ""));
        let valid = kind.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid {
            return None;
        }
        let title =
            if title.trim().is_empty() { capitalised(kind) } else { title.trim().to_string() };
        return Some(Opener { title, indented: false });
    }
    let rest = ["???+", "!!!", "???"].iter().find_map(|mark| line.strip_prefix(mark))?;
    let rest = rest.strip_prefix(' ')?.trim_start();
    let (kind, title) = match rest.split_once(' ') {
        Some((kind, title)) => (kind, Some(title.trim())),
        None => (rest, None),
    };
    let valid =
        !kind.is_empty() && kind.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let title = match title {
        None => capitalised(kind),
        Some(quoted) => quoted.strip_prefix('"')?.strip_suffix('"')?.to_string(),
    };
    valid.then_some(Opener { title, indented: true })
}

/// `warning` as `Warning`: a word with its first letter upper-case.
pub(super) fn capitalised(kind: &str) -> String {
    let mut chars = kind.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(text: &str) -> String {
        let out = rewritten(text, 0..text.len()).into_owned();
        assert_eq!(out.len(), text.len(), "{out:?}");
        out
    }

    #[test]
    fn an_indented_admonition_becomes_a_title_and_a_quote_of_the_same_length() {
        let text =
            "!!! summary \"What broke\"\n    Reads stalled.\n\n    For 38 minutes.\nAfter.\n";
        assert_eq!(
            rewrite(text),
            "**What broke**          \n>   Reads stalled.\n\n>   For 38 minutes.\nAfter.\n"
        );
        // Without a title its kind is the title; `""` asks for none.
        assert_eq!(rewrite("!!! note\n    x\n"), "**Note**\n>   x\n");
        assert_eq!(rewrite("???+ tip \"\"\n    x\n"), "           \n>   x\n");
        // Nested, and code indented inside it.
        assert_eq!(
            rewrite("!!! note\n    !!! danger\n        x\n\n            code\n"),
            "**Note**\n>   **Danger**\n>   >   x\n\n>   >       code\n"
        );
    }

    #[test]
    fn fenced_admonitions_lose_their_fences_and_keep_their_text() {
        assert_eq!(
            rewrite(":::warning Do not restart\nIt drops connections.\n:::\n"),
            "**Do not restart**       \nIt drops connections.\n   \n"
        );
        assert_eq!(rewrite("::: {.note}\nx\n:::\n"), "**Note**   \nx\n   \n");
        assert_eq!(rewrite(":::note\nx\n:::\n"), "*Note* \nx\n   \n");
        // A title's length is counted in bytes: the line keeps its length.
        let german = ":::warning Größe des Pools\nx\n:::\n";
        assert!(rewrite(german).starts_with("**Größe des Pools**"));
        assert!(rewrite("!!! note \"障害の概要\"\n    x\n").starts_with("**障害の概要**"));
    }

    #[test]
    fn code_and_prose_are_left_as_written() {
        for text in [
            "```\n!!! note\n    x\n```\n",
            "!!! WARNING !!!\n",
            "!!!note\n",
            "We said: !!! note this\n",
            "!!! note \"unclosed\n    x\n",
            ":::: ok?\n",
            "Plain.\n",
        ] {
            assert_eq!(rewrite(text), text, "{text}");
        }
    }

    #[test]
    fn inline_code_is_told_as_counting_backticks_from_the_start() {
        let line = "a `b :fire:` c `` d `e` f";
        let definition =
            |at: usize| line.get(..at).is_some_and(|b| b.matches('`').count() % 2 == 1);
        let mut code = InlineCode::new(line);
        // Left to right, then back to the start, as the readers ask.
        for at in (0..=line.len()).chain([0, 5, 3]) {
            assert_eq!(code.at(at), definition(at), "{at}");
        }
    }

    #[test]
    fn a_wikis_mention_of_a_name_with_spaces_is_the_name() {
        assert_eq!(rewrite("| Owner | @<Dana Smith> |\n"), "| Owner |   @Dana Smith |\n");
        assert_eq!(
            rewrite("Ask @<Jo O'Neil> and @<Ana Li>.\n"),
            "Ask   @Jo O'Neil and   @Ana Li.\n"
        );
        for text in ["`@<Dana Smith>`\n", "x @<div class=a> y\n", "a @<3 b\n", "@<>\n"] {
            assert_eq!(rewrite(text), text, "{text}");
        }
    }

    #[test]
    fn lines_for_the_site_become_blank_lines_of_the_same_length() {
        assert_eq!(rewrite("[[_TOC_]]\n# Login outage\n"), "         \n# Login outage\n");
        assert_eq!(rewrite("x\n  [[_tosp_]]\r\n"), format!("x\n{}\r\n", " ".repeat(12)));
        // Each line for the site as spaces, the text between kept.
        let blank = |line: &str| " ".repeat(line.len());
        let site =
            ["import Tabs from '@theme/Tabs';", "import \"./x.css\"", "{/* not for readers */}"];
        let export = "export const meta = {draft: false};";
        let mdx = format!("{}\n{}\n\nText.\n{}\n{export}\n", site[0], site[1], site[2]);
        let expected = format!(
            "{}\n{}\n\nText.\n{}\n{}\n",
            blank(site[0]),
            blank(site[1]),
            blank(site[2]),
            blank(export)
        );
        assert_eq!(rewrite(&mdx), expected);
        let multi = "import {\n  Tabs,\n  TabItem,\n} from '@theme/Tabs';\nText.\n";
        assert_eq!(rewrite(multi), "        \n       \n          \n                     \nText.\n");
    }

    #[test]
    fn prose_that_looks_like_site_lines_is_left_as_written() {
        for text in [
            "import jobs failed from the queue\n",
            "Import from 'vendor' was slow.\n",
            "    import x from 'y'\n",
            "See [[_TOC_]] above.\n",
            "export the report by Friday\n",
            "```js\nimport x from 'y';\n```\n",
            "[[INC-1]]\n",
        ] {
            assert_eq!(rewrite(text), text, "{text}");
        }
    }

    #[test]
    fn only_the_body_is_rewritten() {
        let text = "!!! note\n!!! note\n    x\n";
        assert_eq!(rewritten(text, 9..text.len()), "!!! note\n**Note**\n>   x\n");
    }
}

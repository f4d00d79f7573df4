//! Stage 1, load: walk `content/`, read every file, split and parse front
//! matter, and scan each markdown body once.
//!
//! Inputs: the archive root and [`Config`]. Outputs: [`Loaded`], the parsed
//! [`Document`]s, the attachments (non-markdown files), and diagnostics.
//! Imports: diag, config, model, markdown. Files are parsed in parallel; a
//! file that cannot be parsed yields diagnostics and no document, and never
//! stops the others.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::error::{Error, Result};
use crate::markdown;
use crate::model::{Document, MatterFormat, Source};

use self::matter::{MatterError, key_offsets, parse_matter};

pub(crate) use self::elsewhere::{likely_content_dir, markdown_files};
pub(crate) use self::images::archive_images;
pub(crate) use self::labelled::heading_holds_fields;
pub(crate) use self::walk::{exclude_set, is_hidden, walk_content};
use self::walk::{is_active, publishable};
pub(crate) use crate::markdown::is_markdown;

mod elsewhere;
mod images;
mod labelled;
mod matter;
mod property_links;
mod walk;

/// The folder under the archive root that holds the RCAs, unless
/// `content_dir` says otherwise.
pub(crate) const CONTENT_DIR: &str = "content";

/// Files larger than this are refused, so one pasted log cannot take the build
/// down; docs/REFERENCE.md lists the bound.
pub(crate) const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Front matter may nest at most this deep; deeper structures are refused
/// before they are built, since turning them into values recurses.
pub(crate) const MAX_MATTER_DEPTH: usize = 32;

/// Front matter may hold at most this many values once YAML aliases are
/// expanded, so a few lines of anchors cannot become gigabytes.
pub(crate) const MAX_MATTER_VALUES: usize = 100_000;

/// What the load stage produced.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Every markdown file that parsed, in path order.
    pub documents: Vec<Arc<Document>>,
    /// Non-markdown files under `content/`, and the images write-ups name
    /// from elsewhere in the archive, relative to the archive root.
    pub attachments: Vec<PathBuf>,
    /// Problems found while loading.
    pub diagnostics: Vec<Diagnostic>,
    /// Markdown files `exclude` leaves out, relative to the archive root.
    pub left_out: Vec<PathBuf>,
}

/// Reads and parses every file of the content folder.
pub fn load_archive(root: &Path, config: &Config) -> Result<Loaded> {
    let walked = walk_content(root, config)?;
    let results: Vec<(Option<Document>, Vec<Diagnostic>)> =
        walked.markdown.par_iter().map(|rel| load_file(root, rel, config)).collect();
    let mut loaded = Loaded {
        documents: Vec::with_capacity(results.len()),
        attachments: walked.attachments,
        diagnostics: walked.diagnostics,
        left_out: walked.left_out,
    };
    for (document, diagnostics) in results {
        loaded.documents.extend(document.map(Arc::new));
        loaded.diagnostics.extend(diagnostics);
    }
    archive_images(root, config, &mut loaded);
    Ok(loaded)
}

/// Reads and parses one markdown file (`rel` is relative to the root): the
/// document, if it parsed, and its diagnostics.
pub(crate) fn load_file(
    root: &Path,
    rel: &Path,
    config: &Config,
) -> (Option<Document>, Vec<Diagnostic>) {
    match read_source(root, rel, &config.content_dir) {
        Ok(source) => parse_document_with(source, config.section_names()),
        Err(diagnostic) => (None, vec![*diagnostic]),
    }
}

/// Reads one markdown file into a [`Source`], refusing binary, oversized and
/// non-UTF-8 files with a diagnostic.
fn read_source(
    root: &Path,
    rel: &Path,
    content_dir: &str,
) -> std::result::Result<Source, Box<Diagnostic>> {
    let path = root.join(rel);
    let unreadable = |e: &dyn std::fmt::Display| {
        Diagnostic::error("RCA001", format!("cannot read file: {e}")).in_file(rel)
    };
    let len = std::fs::metadata(&path).map_err(|e| unreadable(&e))?.len();
    if len > MAX_FILE_BYTES {
        return Err(Box::new(
            Diagnostic::error(
                "RCA005",
                format!("file is {len} bytes; the limit is {MAX_FILE_BYTES} bytes"),
            )
            .in_file(rel)
            .with_help("split the file, or move logs into an attachment beside it"),
        ));
    }
    let bytes = std::fs::read(&path).map_err(|e| unreadable(&e))?;
    source_in(content_dir, rel, bytes)
}

/// Builds a [`Source`] from a file's bytes, for a file under `content/`;
/// pure, so tests can feed any bytes.
pub fn source_from_bytes(
    rel: &Path,
    bytes: Vec<u8>,
) -> std::result::Result<Source, Box<Diagnostic>> {
    source_in(CONTENT_DIR, rel, bytes)
}

/// Builds a [`Source`] from the bytes of a file `rel` (relative to the
/// root) of the content folder `content_dir`.
pub(crate) fn source_in(
    content_dir: &str,
    rel: &Path,
    bytes: Vec<u8>,
) -> std::result::Result<Source, Box<Diagnostic>> {
    let (text, encoding) = decode(bytes).map_err(|nul| {
        Box::new(
            Diagnostic::error(
                "RCA001",
                format!(
                    "file looks binary (NUL byte at offset {nul}); a markdown file must be text"
                ),
            )
            .in_file(rel),
        )
    })?;
    let content_rel = rel.strip_prefix(content_dir).unwrap_or(rel);
    let content_path = if is_markdown(content_rel) {
        content_rel.with_extension("")
    } else {
        content_rel.to_path_buf()
    };
    let content_path = content_path.to_string_lossy().replace('\\', "/");
    let stem = if is_markdown(rel) { rel.file_stem() } else { rel.file_name() };
    let stem = stem.map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    // A folder of its own per write-up, its images beside it: Hugo's page
    // bundle (`db-failover/index.md`), or a README a code host shows for
    // the folder. The folder names it, as it names the page there.
    let bundle = content_rel
        .parent()
        .and_then(Path::file_name)
        .filter(|_| is_markdown(rel) && crate::model::is_folder_page(&stem));
    let stem = bundle.map_or(stem, |folder| folder.to_string_lossy().into_owned());
    let stem = decoded_name(stem);
    let folder =
        content_rel.parent().map(|p| p.to_string_lossy().replace('\\', "/")).unwrap_or_default();
    Ok(Source { rel_path: rel.to_path_buf(), content_path, stem, folder, text, encoding })
}

/// Where the front matter and body of a file are.
#[derive(Debug, PartialEq, Eq)]
struct Split {
    format: MatterFormat,
    /// The block including both delimiter lines.
    block: Range<usize>,
    /// The text between the delimiter lines.
    matter: Range<usize>,
    /// Where the body starts.
    body_start: usize,
}

/// Finds the front-matter block: a first line of `---` (YAML) or `+++`
/// (TOML) and the next line equal to the same delimiter. Only delimiter lines
/// are looked at; the matter itself is left to the YAML and TOML parsers.
fn split_front_matter(text: &str) -> std::result::Result<Split, ()> {
    // A template's note to its users (`<!-- copy this file -->`) may come
    // before the fence: the front matter is still the file's.
    let lead = comments_before_fence(text);
    let first_end = text[lead..].find('\n').map_or(text.len(), |i| lead + i);
    let first = text[lead..first_end].trim_end();
    // Hugo's JSON front matter: an object that opens the file. (A
    // shortcode, `{{< figure >}}`, opens with a brace too, never with
    // `{` alone or `{"`.)
    if first == "{" || first.starts_with("{\"") || first.starts_with("{ \"") {
        let mut values =
            serde_json::Deserializer::from_str(text).into_iter::<serde::de::IgnoredAny>();
        // Unreadable, it is all handed to the parser, whose error says where.
        let end = match values.next() {
            Some(Ok(_)) => values.byte_offset(),
            _ => text.len(),
        };
        let body_start = text[end..].find('\n').map_or(text.len(), |i| end + i + 1);
        return Ok(Split { format: MatterFormat::Json, block: 0..end, matter: 0..end, body_start });
    }
    let format = match first {
        "---" => MatterFormat::Yaml,
        "+++" => MatterFormat::Toml,
        _ => {
            return Ok(Split {
                format: MatterFormat::None,
                block: 0..0,
                matter: 0..0,
                body_start: 0,
            });
        }
    };
    let matter_start = (first_end + 1).min(text.len());
    let mut line_start = matter_start;
    while line_start < text.len() {
        let line_end = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i);
        // Pandoc closes a YAML block with `...` as readily as with `---`.
        let line = text[line_start..line_end].trim_end();
        if line == first || (format == MatterFormat::Yaml && line == "...") {
            let body_start = (line_end + 1).min(text.len());
            return Ok(Split {
                format,
                block: lead..line_end,
                matter: matter_start..line_start,
                body_start,
            });
        }
        line_start = line_end + 1;
    }
    // A rule after blank lines, never closed, is the body's, as it was
    // before blank lines could open a file's front matter.
    if lead > 0 && text[..lead].trim().is_empty() {
        return Ok(Split { format: MatterFormat::None, block: 0..0, matter: 0..0, body_start: 0 });
    }
    Err(())
}

/// Where a front-matter fence starts after the HTML comments and blank
/// lines that open `text`; 0 when nothing comes before a fence, or no
/// fence follows.
fn comments_before_fence(text: &str) -> usize {
    let mut at = 0;
    loop {
        let rest = text.get(at..).unwrap_or_default();
        let blank = rest.len() - rest.trim_start().len();
        let rest = rest.trim_start();
        if let Some(comment) = rest.strip_prefix("<!--") {
            let Some(end) = comment.find("-->") else { return 0 };
            at += blank + 4 + end + 3;
            continue;
        }
        let fence = rest.lines().next().map(str::trim_end);
        // Blank lines alone before the fence too: Hugo skips them, so a
        // site's pages open so and build there.
        let after_lead = (at > 0 || blank > 0) && matches!(fence, Some("---" | "+++"));
        return if after_lead { at + blank } else { 0 };
    }
}

/// [`parse_document_with`] the default section names.
pub fn parse_document(source: Source) -> (Option<Document>, Vec<Diagnostic>) {
    parse_document_with(source, &crate::sections::SectionNames::default())
}

/// Parses one file: front matter into untyped values, then one scan of the
/// body, recognising sections by `names`. Pure; returns the document (if
/// it parsed) and its diagnostics.
pub(crate) fn parse_document_with(
    source: Source,
    names: &crate::sections::SectionNames,
) -> (Option<Document>, Vec<Diagnostic>) {
    let rel = source.rel_path.clone();
    let text = source.text.as_str();
    if text.trim().is_empty() {
        let d = Diagnostic::warning("RCA034", "empty file: it has no text, so it is not a page")
            .in_file(&rel)
            .with_help("write the postmortem in it, or delete it");
        return (None, vec![d]);
    }
    let mut split = match split_front_matter(text) {
        Ok(split) => split,
        Err(()) => {
            let first_len = text.find('\n').unwrap_or(text.len());
            let d = Diagnostic::error("RCA002", "front matter is never closed")
                .at(&rel, text, 0..first_len)
                .with_help(
                    "end the front matter with a line holding the same delimiter as its first line",
                );
            return (None, vec![d]);
        }
    };
    let matter_text = &text[split.matter.clone()];
    // An empty block (`---` twice, as Jekyll needs to render a page at all)
    // is no front matter: the body says what the file is.
    if split.format != MatterFormat::None && matter_text.trim().is_empty() {
        split.format = MatterFormat::None;
    }
    let mut mended = Vec::new();
    let mut labelled: std::collections::BTreeMap<String, crate::model::RawValue> =
        Default::default();
    let (mut matter, mut key_offsets) = match split.format {
        // Without front matter, labelled lines at the top stand in for it.
        MatterFormat::None => {
            // Pandoc's title block opens the file: its lines are fields,
            // and the body starts after them.
            let title_block = labelled::pandoc_title_block(text);
            let mut labelled = Vec::new();
            if let Some((fields, end)) = title_block {
                labelled = fields;
                split.block = 0..end;
                split.body_start = end;
            }
            let after = labelled::labelled_fields(text, split.body_start..text.len());
            // A field the title block gave is not read again below it.
            for (field, value, at) in after {
                if !labelled.iter().any(|(f, _, _)| *f == field) {
                    labelled.push((field, value, at));
                }
            }
            let offsets = labelled.iter().map(|(field, _, at)| (field.to_string(), *at)).collect();
            let values = labelled.into_iter().map(|(f, v, _)| (f.to_string(), v.into())).collect();
            (values, offsets)
        }
        format => match parse_matter(format, matter_text) {
            Ok((matter, mends)) => {
                mended = mends;
                (matter, key_offsets(format, matter_text, split.matter.start))
            }
            Err(MatterError::Syntax { message, offset }) => {
                let at = split.matter.start + offset.min(matter_text.len());
                let d =
                    Diagnostic::error("RCA003", format!("front matter does not parse: {message}"))
                        .at(&rel, text, at..at);
                return (None, vec![d]);
            }
            Err(MatterError::NotAMapping) => {
                let d =
                    Diagnostic::error("RCA004", "front matter must be a mapping of keys to values")
                        .at(&rel, text, split.block.clone());
                return (None, vec![d]);
            }
        },
    };
    let body = split.body_start..text.len();
    // A template's labelled lines under a tool's own front matter (a notes
    // app's `created` and `tags`, then `**Severity:** Sev 3`).
    if split.format != MatterFormat::None {
        for (field, value, at) in labelled::labelled_fields(text, body.clone()) {
            if !key_offsets.contains_key(field) {
                key_offsets.insert(field.to_string(), at);
                labelled.insert(field.to_string(), crate::model::RawValue::String(value));
            }
        }
    }
    // Labelled lines are fields, not the body's first paragraph (which a
    // file without a summary is summed up by).
    let fields_at = crate::model::field_line_offsets(split.format, &key_offsets, &labelled);
    let mut outline = markdown::scan_in(text, body.clone(), names, &source.folder, &fields_at);
    // After the body's: the HTML renders the body's links in their order.
    property_links::read_property_links(
        &mut matter,
        &key_offsets,
        text,
        split.matter.clone(),
        &mut outline,
    );
    // Mended lines come in order: their lines cost one walk of the file.
    // A few are named each; the rest are counted in the last.
    const NAMED_MENDS: usize = 20;
    let more_mends = mended.len().saturating_sub(NAMED_MENDS);
    let mut locator = crate::diag::Locator::new(text);
    let mut diagnostics: Vec<Diagnostic> = mended
        .into_iter()
        .take(NAMED_MENDS)
        .map(|(offset, what, help)| {
            let at = split.matter.start + offset;
            let end = text.get(at..).and_then(|l| l.find('\n')).map_or(text.len(), |n| at + n);
            let end = text.get(..end).map_or(end, |l| l.trim_end_matches('\r').len()).max(at);
            Diagnostic::warning("RCA038", format!("front matter mended to parse: {what}"))
                .with_help(help)
                .at_next(&rel, &mut locator, at..end)
        })
        .collect();
    if more_mends > 0 {
        let d = Diagnostic::warning(
            "RCA038",
            format!("front matter mended to parse on {more_mends} more lines, as above"),
        );
        diagnostics.push(d.at(&rel, text, split.block.clone()));
    }
    let document = Document {
        format: split.format,
        matter,
        key_offsets,
        labelled,
        matter_span: split.block,
        body,
        outline,
        source,
    };
    if let Some(encoding) = document.source.encoding {
        diagnostics.push(not_utf8(&document.source, encoding));
    }
    if let Some(at) = jira_heading(&document) {
        let text = document.source.text.as_str();
        let line = text.get(at..).and_then(|l| l.lines().next()).unwrap_or_default();
        diagnostics.push(
            Diagnostic::warning(
                "RCA042",
                "written in Jira's wiki markup: its headings (`h2. …`) are not markdown's",
            )
            .with_help("convert it: `pandoc -f jira -t gfm FILE -o FILE`")
            .at(&rel, text, at..at + line.len()),
        );
    }
    if document.outline.raw_html > markdown::MAX_RAW_HTML {
        diagnostics.push(
            Diagnostic::warning(
                "RCA027",
                format!(
                    "{} pieces of raw HTML; past {} they are shown as text",
                    document.outline.raw_html,
                    markdown::MAX_RAW_HTML
                ),
            )
            .in_file(&rel)
            .with_help("write the content in markdown, or attach the HTML as a file"),
        );
    }
    (Some(document), diagnostics)
}

/// Where the first of two or more lines written as Jira's headings
/// (`h2. Summary`) starts, in a body that has fewer markdown headings below
/// the first level (Jira's numbered items, `# item`, read as those).
fn jira_heading(document: &Document) -> Option<usize> {
    let markdown_headings = document.outline.headings.iter().filter(|h| h.level >= 2).count();
    let text = document.source.text.as_str();
    let body = text.get(document.body.clone())?;
    let is_heading = |line: &str| match line.as_bytes() {
        [b'h', level, b'.', b' ', first, ..] => {
            (b'1'..=b'6').contains(level) && !first.is_ascii_whitespace()
        }
        _ => false,
    };
    // Only lines that open with `h` are asked: found by a vectorised
    // search, where a walk over every line cost the load stage 5%.
    let starts = std::iter::once(0)
        .filter(|_| body.starts_with('h'))
        .chain(memchr::memmem::find_iter(body.as_bytes(), b"\nh").map(|at| at + 1));
    let mut first = None;
    let mut count = 0;
    for at in starts {
        if body.get(at..).is_some_and(is_heading) {
            first.get_or_insert(document.body.start + at);
            count += 1;
        }
    }
    (count >= 2 && count > markdown_headings).then_some(first).flatten()
}

/// The warning for a file decoded from `encoding`, pointing at its first
/// character outside ASCII (the first the encoding may have read wrongly).
fn not_utf8(source: &Source, encoding: &str) -> Diagnostic {
    let text = source.text.as_str();
    let d = Diagnostic::warning("RCA033", format!("file is not UTF-8: read as {encoding}"))
        .with_help("save the file as UTF-8");
    match text.char_indices().find(|(_, c)| !c.is_ascii()) {
        Some((at, c)) => d.at(&source.rel_path, text, at..at + c.len_utf8()),
        None => d.in_file(&source.rel_path),
    }
}

impl From<walkdir::Error> for Error {
    fn from(err: walkdir::Error) -> Self {
        let path = err.path().map(Path::to_path_buf).unwrap_or_default();
        Error::Read { path, source: err.into() }
    }
}

/// A file name as it reads: a wiki that stores a page's title in its
/// file name escapes the characters it reserves (Azure DevOps writes a
/// title's `-` as `%2D`, its `:` as `%3A`; Logseq a namespace's `/` as
/// `___`), and the escapes are undone. A name whose escapes do not make
/// UTF-8 is kept as it is.
/// A file's bytes as text, and the encoding they were read in when it is
/// not UTF-8; `Err` with the offset of a NUL byte when the file is binary.
/// Lines ended by lone carriage returns end in line feeds.
pub(crate) fn decode(bytes: Vec<u8>) -> std::result::Result<(String, Option<&'static str>), usize> {
    // A file saved as UTF-16 (Notepad's "Unicode") says so with its BOM;
    // its NUL bytes are text, not binary.
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(&bytes) {
        if encoding != encoding_rs::UTF_8 {
            let (text, _, _) = encoding.decode(&bytes);
            let (text, _) = decode(text.into_owned().into_bytes())?;
            return Ok((text, Some(encoding.name())));
        }
    }
    if let Some(nul) = memchr::memchr(0, &bytes) {
        return Err(nul);
    }
    let (mut text, encoding) = match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        // Not UTF-8: most likely saved by a Windows tool in its Western
        // code page, where every byte is a character (Latin-1's letters
        // among them). Read that way, with a warning, rather than dropped.
        Err(err) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(err.as_bytes());
            (text.into_owned(), Some(encoding_rs::WINDOWS_1252.name()))
        }
    };
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    if let Some(mended) = lone_returns_as_newlines(&text) {
        text = mended;
    }
    Ok((text, encoding))
}

/// `text` with every carriage return that no line feed follows made one,
/// or `None` when it has none. Classic Mac OS ended lines so, as some
/// exporters still do; read as one long line, such a file's front matter
/// never closed. One byte for another keeps every offset.
fn lone_returns_as_newlines(text: &str) -> Option<String> {
    // Most files hold no carriage return: one fast search says so.
    let first = memchr::memchr(b'\r', text.as_bytes())?;
    let bytes = text.as_bytes();
    let lone = |at: usize| bytes.get(at + 1) != Some(&b'\n');
    let any = bytes.iter().enumerate().skip(first).any(|(at, &b)| b == b'\r' && lone(at));
    any.then(|| {
        let mut chars = text.chars().peekable();
        let mut out = String::with_capacity(text.len());
        while let Some(c) = chars.next() {
            out.push(if c == '\r' && chars.peek() != Some(&'\n') { '\n' } else { c });
        }
        out
    })
}

fn decoded_name(stem: String) -> String {
    let stem = if stem.contains("___") { stem.replace("___", "/") } else { stem };
    // Borrowed when the name has no escape: then it is kept as it is.
    match percent_encoding::percent_decode_str(&stem).decode_utf8() {
        Ok(std::borrow::Cow::Owned(name)) => name,
        _ => stem,
    }
}

#[cfg(test)]
mod tests;

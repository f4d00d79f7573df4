//! Front matter as values: YAML read from the parser's events in one pass,
//! with bounds on nesting and alias expansion checked as the events arrive,
//! and TOML read once by the `toml` crate, whose error carries the span a
//! diagnostic points at. Part of the load stage. Imports: model.
//!
//! The block itself is found by [`super::split_front_matter`], not by
//! gray_matter: gray_matter returns the body trimmed and with no offset,
//! and every diagnostic of the body needs the byte where it starts. With
//! the split done there, what gray_matter would add is a second, untyped
//! tree (`Pod`) between the parsers and [`RawValue`], and for TOML, an
//! error without a position.

use std::collections::{BTreeMap, HashMap};

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::ScanError;
use yaml_rust2::{Yaml, YamlLoader};

use super::{MAX_MATTER_DEPTH, MAX_MATTER_VALUES};
use crate::model::{MatterFormat, RawValue};

#[derive(Debug)]
pub(super) enum MatterError {
    Syntax { message: String, offset: usize },
    NotAMapping,
}

/// A line of YAML front matter mended so that it parses: its byte offset
/// in the front matter, what was mended, and how to write it instead.
pub(super) type Mend = (usize, &'static str, &'static str);

const TAB: (&str, &str) =
    ("a tab in the indent, read as two spaces", "indent with spaces: YAML never reads tabs");
const RESERVED: (&str, &str) = (
    "a value opening with `@` or a backquote, read as written",
    "quote the value: `authors: \"@jane\"`",
);
const COLON: (&str, &str) = (
    "a colon inside an unquoted value, read as part of the value",
    "quote the value: `title: \"Outage: DB down\"`",
);

/// Parses front matter into its top-level keys and values, with the lines
/// of YAML that were mended to parse (see [`mended_yaml`]).
pub(super) fn parse_matter(
    format: MatterFormat,
    matter: &str,
) -> Result<(BTreeMap<String, RawValue>, Vec<Mend>), MatterError> {
    if format == MatterFormat::Yaml {
        return match parse_yaml(matter) {
            Ok(yaml) => Ok((with_site_tables(yaml_mapping(yaml)?), Vec::new())),
            Err(err) => {
                // What people write by hand and YAML refuses: read as they
                // meant it, with a warning per line, rather than lose the file.
                let Some((text, mends)) = mended_yaml(matter) else { return Err(err) };
                // Unmended, the error is the one in the file as written.
                let Ok(yaml) = parse_yaml(&text) else { return Err(err) };
                Ok((with_site_tables(yaml_mapping(yaml)?), mends))
            }
        };
    }
    let values = parse_other(format, matter)?;
    Ok((with_site_tables(values), Vec::new()))
}

/// Tables other site generators keep a post's own fields in: Zola's
/// `[taxonomies]` (its severity, services, tags) and `[extra]` (anything
/// else), Hugo's `params`.
const SITE_TABLES: [&str; 3] = ["taxonomies", "extra", "params"];

/// `values` with the keys of its [`SITE_TABLES`] at the top level too,
/// where the top level does not have them already: a Zola archive's
/// `[taxonomies] severity = ["P2"]` is its severity. The tables stay, for
/// templates.
fn with_site_tables(mut values: BTreeMap<String, RawValue>) -> BTreeMap<String, RawValue> {
    let lifted: Vec<(String, RawValue)> = SITE_TABLES
        .iter()
        .filter_map(|table| values.get(*table)?.as_object())
        .flat_map(|table| table.iter())
        .filter(|(key, _)| !values.contains_key(key.as_str()))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();
    for (key, value) in lifted {
        values.entry(key).or_insert(value);
    }
    values
}

/// The top-level keys and values of a YAML document.
fn yaml_mapping(yaml: Option<Yaml>) -> Result<BTreeMap<String, RawValue>, MatterError> {
    match yaml {
        None | Some(Yaml::Null | Yaml::BadValue | Yaml::Alias(_)) => Ok(BTreeMap::new()),
        Some(Yaml::Hash(map)) => Ok(map
            .into_iter()
            .filter_map(|(key, value)| Some((yaml_key(key)?, yaml_to_value(value))))
            .collect()),
        Some(_) => Err(MatterError::NotAMapping),
    }
}

/// `matter` with the lines YAML refuses and their writers meant plainly
/// mended, and those lines, or `None` when there is nothing to mend:
/// - a value holding a colon and a space without quotes (`title: Outage:
///   DB down`), which YAML reads as a mapping inside a value: quoted;
/// - a value or list item opening with `@` or a backquote (`authors:
///   @jane`), which YAML refuses: quoted;
/// - tabs in a line's indent (YAML indents with spaces): two spaces each.
///
/// Only the text handed to the parser changes: where each key is is still
/// read from the file as written (`key_offsets`).
fn mended_yaml(matter: &str) -> Option<(String, Vec<Mend>)> {
    let mut out = String::with_capacity(matter.len() + 16);
    let mut mends = Vec::new();
    let mut at = 0;
    for line in matter.split_inclusive('\n') {
        let text = line.trim_end_matches(['\n', '\r']);
        let ending = line.get(text.len()..).unwrap_or_default();
        let indent_len = text.len() - text.trim_start_matches([' ', '\t']).len();
        let (indent, rest) = text.split_at(indent_len);
        if indent.contains('\t') {
            out.push_str(&indent.replace('\t', "  "));
            mends.push((at, TAB.0, TAB.1));
        } else {
            out.push_str(indent);
        }
        // `key: value` whose value needs quotes, or `- value` of a list.
        let quoted = rest
            .split_once(": ")
            .and_then(|(key, value)| Some((key, ": ", value, needs_quotes(key, value)?)))
            .or_else(|| {
                let value = rest.strip_prefix("- ")?;
                reserved(value).then_some(("", "- ", value, RESERVED))
            });
        match quoted {
            Some((key, separator, value, mend)) => {
                let value = value.trim();
                out.push_str(key);
                out.push_str(separator);
                out.push('\'');
                out.push_str(&value.replace('\'', "''"));
                out.push('\'');
                if mends.last().is_none_or(|m| m.0 != at) {
                    mends.push((at, mend.0, mend.1));
                }
            }
            None => out.push_str(rest),
        }
        out.push_str(ending);
        at += line.len();
    }
    (!mends.is_empty()).then_some((out, mends))
}

/// How `key: value`, a plain key, is mended when YAML would misread its
/// value: an unquoted scalar holding `: ` or ending in `:`, or opening
/// with a character YAML keeps for itself (`authors: @jane`). `None` when
/// it reads as meant.
fn needs_quotes(key: &str, value: &str) -> Option<(&'static str, &'static str)> {
    let plain_key = key.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_')
        && key.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' ' | '.'));
    if !plain_key {
        return None;
    }
    if reserved(value) {
        return Some(RESERVED);
    }
    let value = value.trim();
    let unquoted =
        !value.starts_with(['\'', '"', '[', '{', '|', '>', '&', '*', '!', '#', '%', '@', '`']);
    (unquoted && (value.contains(": ") || value.ends_with(':'))).then_some(COLON)
}

/// Whether a value opens with `@` or a backquote, which YAML reserves and
/// refuses to start a plain scalar with: a mention (`@jane`), a name in
/// code (`` `payments-api` ``).
fn reserved(value: &str) -> bool {
    value.trim_start().starts_with(['@', '`'])
}

/// TOML or JSON front matter into its top-level keys and values.
fn parse_other(
    format: MatterFormat,
    matter: &str,
) -> Result<BTreeMap<String, RawValue>, MatterError> {
    if format == MatterFormat::Json {
        let object =
            serde_json::from_str::<serde_json::Map<String, RawValue>>(matter).map_err(|err| {
                let line_start = crate::diag::line_start(matter, err.line()).unwrap_or(0);
                MatterError::Syntax {
                    message: err.to_string(),
                    offset: line_start + err.column().saturating_sub(1),
                }
            })?;
        return Ok(object.into_iter().collect());
    }
    let table = toml::from_str::<toml::Table>(matter).map_err(|err| MatterError::Syntax {
        message: err.message().trim().to_string(),
        offset: err.span().map_or(0, |s| s.start),
    })?;
    Ok(table.into_iter().map(|(k, v)| (k, toml_to_value(v))).collect())
}

/// The first YAML document, built by yaml_rust2's own loader from events
/// that first pass [`Bounds`], so nothing large or deep is ever built.
fn parse_yaml(matter: &str) -> Result<Option<Yaml>, MatterError> {
    let mut loader = YamlLoader::default();
    let mut bounds = Bounds::default();
    let mut parser = Parser::new_from_str(matter);
    // Events are pulled one by one: the parser's own `load` recurses once
    // per level of nesting, and deep front matter must be refused, not
    // overflow the stack.
    loop {
        let (event, mark) = parser.next_token().map_err(|err| yaml_error(matter, &err))?;
        if let Some(message) = bounds.check(&event) {
            let offset = matter.char_indices().nth(mark.index()).map_or(matter.len(), |(i, _)| i);
            return Err(MatterError::Syntax { message, offset });
        }
        let end = event == Event::StreamEnd;
        loader.on_event(event, mark);
        if end {
            break;
        }
    }
    let documents = loader.documents();
    if documents.len() < bounds.documents {
        // The loader stopped at an error of its own (a duplicated key) and
        // keeps it to itself; loading again is the way to learn it.
        return Err(match YamlLoader::load_from_str(matter) {
            Err(err) => yaml_error(matter, &err),
            Ok(_) => MatterError::Syntax { message: "invalid YAML".into(), offset: 0 },
        });
    }
    Ok(documents.first().cloned())
}

/// Counts front matter as its events arrive: it may nest at most
/// [`MAX_MATTER_DEPTH`] deep and expand to at most [`MAX_MATTER_VALUES`]
/// values.
#[derive(Default)]
struct Bounds {
    /// Values each anchor stands for.
    anchored: HashMap<usize, usize>,
    /// The open collections, with their anchor and the count at their start.
    open: Vec<(usize, usize)>,
    values: usize,
    /// Documents that ended.
    documents: usize,
}

impl Bounds {
    /// Counts `event`; a message when it passes a bound.
    fn check(&mut self, event: &Event) -> Option<String> {
        match *event {
            Event::Scalar(_, _, anchor, _) => {
                self.values += 1;
                if anchor > 0 {
                    self.anchored.insert(anchor, 1);
                }
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                self.values += 1;
                self.open.push((anchor, self.values));
                if self.open.len() > MAX_MATTER_DEPTH {
                    return Some(format!("nested deeper than {MAX_MATTER_DEPTH} levels"));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, start)) = self.open.pop() {
                    if anchor > 0 {
                        self.anchored.insert(anchor, self.values - start + 1);
                    }
                }
            }
            Event::DocumentEnd => self.documents += 1,
            Event::Alias(anchor) => {
                let stands_for = self.anchored.get(&anchor).copied().unwrap_or(1);
                self.values = self.values.saturating_add(stands_for);
            }
            _ => {}
        }
        (self.values > MAX_MATTER_VALUES)
            .then(|| format!("expands to more than {MAX_MATTER_VALUES} values"))
    }
}

/// A mapping key as text, as gray_matter names keys; `None` for keys no
/// text can name (collections).
fn yaml_key(key: Yaml) -> Option<String> {
    match key {
        Yaml::String(s) | Yaml::Real(s) => Some(s),
        Yaml::Boolean(b) => Some(b.to_string()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Null => Some("null".to_string()),
        _ => None,
    }
}

fn yaml_to_value(yaml: Yaml) -> RawValue {
    match yaml {
        Yaml::Real(s) => serde_json::Number::from_f64(s.parse().unwrap_or(0.0))
            .map_or(RawValue::Null, RawValue::Number),
        Yaml::Integer(i) => RawValue::from(i),
        Yaml::String(s) => RawValue::String(s),
        Yaml::Boolean(b) => RawValue::Bool(b),
        Yaml::Array(items) => RawValue::Array(items.into_iter().map(yaml_to_value).collect()),
        Yaml::Hash(map) => RawValue::Object(
            map.into_iter()
                .filter_map(|(key, value)| Some((yaml_key(key)?, yaml_to_value(value))))
                .collect(),
        ),
        Yaml::Null | Yaml::Alias(_) | Yaml::BadValue => RawValue::Null,
    }
}

fn yaml_error(matter: &str, err: &ScanError) -> MatterError {
    let marker = err.marker();
    let mut line_no = marker.line();
    if err.info().contains("tab") {
        // The scanner reports the scalar it was reading; the tab that
        // broke it is on the first later line that starts with one.
        if let Some(n) = matter
            .lines()
            .enumerate()
            .skip(line_no.saturating_sub(1))
            .find(|(_, l)| l.starts_with('\t'))
        {
            line_no = n.0 + 1;
        }
    }
    let line = crate::diag::line_start(matter, line_no).unwrap_or(matter.len());
    let line_text = matter.get(line..).unwrap_or_default();
    let offset = line
        + line_text
            .char_indices()
            .nth(marker.col().saturating_sub(1))
            .map_or(line_text.len(), |(i, _)| i);
    MatterError::Syntax { message: readable(err.info()), offset: offset.min(matter.len()) }
}

/// The parser's message in the words of the file: `String("title"):
/// duplicated key in mapping` is "key `title` is written twice".
fn readable(info: &str) -> String {
    let duplicated = info.strip_suffix(": duplicated key in mapping").map(|key| {
        key.strip_prefix("String(\"").and_then(|k| k.strip_suffix("\")")).unwrap_or(key)
    });
    match duplicated {
        Some(key) => format!("key `{key}` is written twice"),
        None if info.contains("found a tab") => {
            format!("{info} (YAML indents with spaces, never tabs)")
        }
        None => info.to_string(),
    }
}

/// A TOML value as the untyped value the validate stage reads; a date or
/// time becomes its text, as YAML's unquoted dates do.
fn toml_to_value(value: toml::Value) -> RawValue {
    match value {
        toml::Value::String(s) => RawValue::String(s),
        toml::Value::Integer(i) => RawValue::from(i),
        toml::Value::Float(f) => {
            serde_json::Number::from_f64(f).map_or(RawValue::Null, RawValue::Number)
        }
        toml::Value::Boolean(b) => RawValue::Bool(b),
        toml::Value::Datetime(d) => RawValue::String(d.to_string()),
        toml::Value::Array(items) => {
            RawValue::Array(items.into_iter().map(toml_to_value).collect())
        }
        toml::Value::Table(map) => {
            RawValue::Object(map.into_iter().map(|(k, v)| (k, toml_to_value(v))).collect())
        }
    }
}

/// Byte offset (in the whole file) of each top-level key's line, found by
/// looking at line starts only: enough to point a diagnostic at a key.
pub(super) fn key_offsets(
    format: MatterFormat,
    matter: &str,
    base: usize,
) -> BTreeMap<String, usize> {
    let separator = if format == MatterFormat::Toml { '=' } else { ':' };
    // The key a line names, and where on the line it starts.
    let key_of = |line: &str| -> Option<(String, usize)> {
        if format == MatterFormat::Json {
            // `"key": value`, one key a line as JSON front matter is written.
            let key = line.trim_start().trim_start_matches('{').trim_start();
            let (name, _) = key.strip_prefix('"')?.split_once("\":")?;
            // At the key itself, past the indentation.
            return Some((name.to_string(), line.len() - key.len()));
        }
        let starts_key =
            line.chars().next().is_some_and(|c| !c.is_whitespace() && !"-#[".contains(c));
        let (key, _) = line.split_once(separator).filter(|_| starts_key)?;
        Some((key.trim().trim_matches(|c| c == '"' || c == '\'').to_string(), 0))
    };
    let mut offsets = BTreeMap::new();
    let mut pos = 0;
    // The first line naming a key is taken.
    for line in matter.split_inclusive('\n') {
        if let Some((key, column)) = key_of(line) {
            offsets.entry(key).or_insert(base + pos + column);
        }
        pos += line.len();
    }
    offsets
}

//! The front matter of one document as hindsight fields (after the
//! configuration's `[fields]` and `[values]` mappings), and the reporter
//! that points each problem at the key it came from. Shared by the typing
//! of fields (`incident`) and of rows (`rows`).

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::config::{Config, MAPPABLE_FIELDS, OWN_SPELLINGS};
use crate::diag::Diagnostic;
use crate::model::{Document, MatterFormat, RawValue, is_blank, scalar_string};

/// Front-matter values by hindsight field, after applying `[fields]` and
/// `[values]`: a mapped field takes the first of its source keys that holds
/// a value, and a value the configuration maps is replaced by its mapping
/// (`resolved: true` → `status: resolved`).
pub(super) struct Fields<'a> {
    values: BTreeMap<&'static str, (&'a str, Cow<'a, RawValue>)>,
    /// The fields read from a labelled line of the body, not front matter.
    from_body: Vec<&'static str>,
}

impl<'a> Fields<'a> {
    pub(super) fn new(doc: &'a Document, config: &Config) -> Self {
        let matter = &doc.matter;
        // Labelled lines (`**Duration:** 1h 5m`) stand in for front matter
        // under hindsight's own field names, whatever `[fields]` maps.
        let own_names = doc.format == MatterFormat::None;
        let mut values = BTreeMap::new();
        let mut from_body = Vec::new();
        for &field in MAPPABLE_FIELDS {
            let found = match config.fields.get(field) {
                // A mapped key as written, else one that reads the same.
                Some(keys) => keys
                    .iter()
                    .find_map(|k| {
                        let found = matter.get_key_value(k.as_str());
                        found
                            .or_else(|| matter.iter().find(|(m, _)| same_key(m, k)))
                            .filter(|(_, v)| !is_blank(v))
                    })
                    .or_else(|| matter.get_key_value(field).filter(|_| own_names)),
                // Hand-written and exported front matter capitalises its
                // keys ("Title:", "Resolved At:"): the exact key first,
                // else the first that reads the same.
                None => matter
                    .get_key_value(field)
                    .or_else(|| matter.iter().find(|(k, _)| same_key(k, field)))
                    .or_else(|| {
                        let other = OWN_SPELLINGS.iter().find(|(f, _)| *f == field)?.1;
                        matter.iter().find(|(k, _)| same_key(k, other))
                    }),
            };
            // A labelled line of the body, where the front matter is silent.
            let found = found.or_else(|| {
                let labelled = doc.labelled.get_key_value(field)?;
                from_body.push(field);
                Some(labelled)
            });
            if let Some((key, value)) = found {
                let value = match config.values.get(field) {
                    Some(map) => map_value(value, map),
                    None => Cow::Borrowed(value),
                };
                values.insert(field, (key.as_str(), value));
            }
        }
        Fields { values, from_body }
    }

    /// Whether `field` was read from a labelled line of the body (which
    /// stands in for front matter but was not written as it).
    pub(super) fn read_in_body(&self, field: &str) -> bool {
        self.from_body.contains(&field)
    }

    pub(super) fn get(&self, field: &str) -> Option<&RawValue> {
        self.values.get(field).map(|(_, v)| v.as_ref())
    }

    /// The front-matter key a field was read from (for positions).
    pub(super) fn key<'k>(&self, field: &'k str) -> &'k str
    where
        'a: 'k,
    {
        self.values.get(field).map_or(field, |(k, _)| k)
    }
}

pub(super) use crate::config::same_key;

/// What a `[values.<field>]` map turns `text` into: the value of the key
/// it matches, case-insensitively and without surrounding space.
pub(super) fn mapped_text<'m>(text: &str, map: &'m BTreeMap<String, String>) -> Option<&'m String> {
    let text = text.trim();
    map.iter().find(|(from, _)| from.trim().eq_ignore_ascii_case(text)).map(|(_, to)| to)
}

/// `value` with `[values.<field>]` applied: a scalar whose text matches a
/// key (case-insensitively) becomes the mapped string; in a list, each item.
fn map_value<'v>(value: &'v RawValue, map: &BTreeMap<String, String>) -> Cow<'v, RawValue> {
    let mapped = |v: &RawValue| -> Option<RawValue> {
        mapped_text(&scalar_string(v)?, map).map(|to| RawValue::String(to.clone()))
    };
    match value {
        RawValue::Array(items) if items.iter().any(|i| mapped(i).is_some()) => Cow::Owned(
            RawValue::Array(items.iter().map(|i| mapped(i).unwrap_or_else(|| i.clone())).collect()),
        ),
        other => mapped(other).map_or(Cow::Borrowed(other), Cow::Owned),
    }
}

/// Collects diagnostics for one document, pointing at front-matter keys.
pub(super) struct FieldReporter<'a> {
    pub(super) doc: &'a Document,
    pub(super) fields: &'a Fields<'a>,
    pub(super) config: &'a Config,
    pub(super) diagnostics: Vec<Diagnostic>,
    pub(super) fatal: bool,
}

impl FieldReporter<'_> {
    /// Reports `d` at the level the lint `name` is set to, unless it is off.
    pub(super) fn lint(&mut self, name: &str, field: &str, d: Diagnostic) {
        if let Some(level) = self.config.lints.level(name) {
            self.report(field, Diagnostic { level, ..d });
        }
    }

    /// [`FieldReporter::lint`] on the line at byte `at` of the file: a
    /// field read from the body, where no key names it.
    pub(super) fn lint_at(&mut self, name: &str, at: usize, d: Diagnostic) {
        if let Some(level) = self.config.lints.level(name) {
            let text = &self.doc.source.text;
            let end = text.get(at..).and_then(|t| t.find('\n')).map_or(text.len(), |i| at + i);
            let d = Diagnostic { level, ..d }.at(&self.doc.source.rel_path, text, at..end);
            self.diagnostics.push(d);
        }
    }

    pub(super) fn report(&mut self, field: &str, d: Diagnostic) {
        let key = self.fields.key(field);
        let at = self.doc.key_offsets.get(key).copied();
        let text = &self.doc.source.text;
        let rel = &self.doc.source.rel_path;
        let d = match at {
            Some(at) => {
                let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
                d.at(rel, text, at..end)
            }
            None if self.doc.format != MatterFormat::None => {
                d.at(rel, text, self.doc.matter_span.clone())
            }
            None => d.in_file(rel),
        };
        self.diagnostics.push(d);
    }

    /// An error that keeps the file out of the site.
    pub(super) fn fatal(&mut self, key: &str, d: Diagnostic) {
        self.fatal = true;
        self.report(key, d);
    }
}

//! Which front-matter keys name which field: the keys other tools use for
//! each (which `adopt` maps), the field's own other spellings (read without
//! a map), and how two spellings of one key are the same key.

/// For each field hindsight reads, the keys other tools use for it, in the
/// order they are tried: `adopt` maps those it finds, and a file missing a
/// required field is told which of them it holds.
pub(crate) const FIELD_KEYS: &[(&str, &[&str])] = &[
    ("title", &["title", "name", "headline"]),
    (
        "date",
        &[
            "date",
            "start_time",
            "started_at",
            "start",
            "incident_date",
            // Incident tools' exports: when the incident began.
            "incident_start_date",
            "incident_start",
            "start_date",
            "began_at",
            "created",
            "published",
            // Astro's blog posts, Hugo's and Eleventy's publication dates.
            "pubDate",
            "publishDate",
            "publish_date",
        ],
    ),
    (
        "resolved_at",
        &[
            "resolved_at",
            "resolvedWhen",
            "resolved_when",
            "end_time",
            "ended_at",
            "end",
            "closed_at",
            "recovered_at",
            "incident_end_date",
            "incident_end",
            "end_date",
            "resolved",
        ],
    ),
    ("severity", &["severity", "sev", "priority", "impact_level", "level"]),
    (
        "services",
        &[
            "services",
            "service",
            "affected",
            "affected_services",
            "impacted_services",
            "components",
            "affected_components",
            "systems",
            "affected_systems",
            "impacted_systems",
            "product",
        ],
    ),
    ("tags", &["tags", "labels", "categories", "keywords", "topics"]),
    ("status", &["status", "state", "resolved"]),
    ("duration_minutes", &["duration_minutes", "duration"]),
    ("author", &["author", "authors", "owner", "owners"]),
    ("summary", &["summary", "description", "excerpt", "desc", "abstract", "tldr"]),
    ("timezone", &["timezone", "time_zone", "tz"]),
    ("detected_at", &["detected_at", "detectedAt", "detected", "detection_time", "alerted_at"]),
    ("mitigated_at", &["mitigated_at", "mitigatedAt", "mitigated", "mitigation_time"]),
];

/// Other spellings of a field's own key read without a `[fields]` map,
/// where the front matter lacks the key itself: `authors`, as Hugo,
/// Jekyll and Docusaurus write it, and a lone `service` or `tag`.
pub(crate) const OWN_SPELLINGS: &[(&str, &str)] =
    &[("author", "authors"), ("services", "service"), ("tags", "tag")];

/// True when front-matter key `key` names `field` but for case and the
/// way words are joined: `Title`, `Resolved At`, `resolved-at` are
/// `title` and `resolved_at`.
pub(crate) fn same_key(key: &str, field: &str) -> bool {
    key.len() == field.len()
        && key
            .chars()
            .zip(field.chars())
            .all(|(k, f)| k.to_ascii_lowercase() == f || (matches!(k, ' ' | '-') && f == '_'))
}

/// The fields `[fields]` may map: the front-matter fields plus
/// `resolved_at`, the end time that gives a duration when none is written.
pub(crate) const MAPPABLE_FIELDS: &[&str] = &[
    "title",
    "date",
    "severity",
    "services",
    "tags",
    "status",
    "duration_minutes",
    "author",
    "slug",
    "aliases",
    "summary",
    "draft",
    "resolved_at",
    "detected_at",
    "mitigated_at",
    "timezone",
];

/// The field names `required_fields` may list.
pub(crate) const KNOWN_FIELDS: &[&str] = &[
    "title",
    "date",
    "severity",
    "services",
    "tags",
    "status",
    "duration_minutes",
    "author",
    "summary",
];

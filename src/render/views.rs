//! View structs: the exact data each template sees, computed once per build
//! and borrowed by every page, so no page clones the archive.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::model::{Incident, IncidentIdx, Severity, indexed};

/// The site-wide values every page gets as `site`.
#[derive(Debug, Serialize)]
pub(crate) struct SiteView {
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) language: &'static str,
    pub(crate) nav: Vec<NavItem>,
    pub(crate) incident_count: usize,
}

/// One entry of the header navigation.
#[derive(Debug, Serialize)]
pub(crate) struct NavItem {
    pub(crate) key: &'static str,
    pub(crate) label: &'static str,
    pub(crate) url: &'static str,
}

/// A severity as pages show it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SeverityView {
    pub(crate) name: String,
    pub(crate) label: String,
    /// CSS class suffix: `sev-<class>`.
    pub(crate) class: String,
    pub(crate) url: String,
    pub(crate) color: String,
}

/// A link to a service or tag page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TermRef {
    pub(crate) name: String,
    pub(crate) url: String,
    /// The term's page slug, also its value in the index's filter query.
    pub(crate) slug: String,
}

/// One incident as lists show it.
#[derive(Debug, Serialize)]
pub(crate) struct Row {
    pub(crate) slug: String,
    pub(crate) title: String,
    pub(crate) url: String,
    /// `YYYY-MM-DD`; `None` for an undated incident, which the lists show
    /// as "undated".
    pub(crate) date: Option<String>,
    /// The year, or `undated`: the row's value for the index's year filter.
    pub(crate) year: String,
    pub(crate) severity: SeverityView,
    pub(crate) services: Vec<TermRef>,
    pub(crate) tags: Vec<TermRef>,
    pub(crate) status: Option<String>,
    pub(crate) status_class: String,
    pub(crate) duration: String,
    pub(crate) duration_minutes: Option<u64>,
    pub(crate) summary: String,
    /// Part of a recurring failure: a recurrence of an earlier incident, or
    /// recurred by a later one. Set from the related stage.
    pub(crate) recurring: bool,
}

/// What lists and filters say for an incident without a date.
pub(crate) const UNDATED: &str = "undated";

/// The URL segment of a term name: letters and digits of any script kept
/// and lower-cased, anything else (`/`, `.`, spaces, ...) folded into `-`,
/// so no name can reach outside its folder.
pub(crate) fn term_slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out: String = out.trim_end_matches('-').chars().take(100).collect();
    if out.is_empty() { "term".to_string() } else { out }
}

/// Names of one kind of term (services or tags) with their unique slugs and
/// members. The validate stage has merged spellings that differ only in
/// case or punctuation; lists show the names in [`Terms::iter`]'s order,
/// which ignores case.
#[derive(Debug, Default)]
pub(crate) struct Terms {
    pub(crate) entries: BTreeMap<String, TermEntry>,
    /// The names, sorted ignoring case (ties in byte order).
    order: Vec<String>,
}

/// One service or tag.
#[derive(Debug, Default)]
pub(crate) struct TermEntry {
    pub(crate) slug: String,
    /// Its incidents, newest first.
    pub(crate) members: Vec<IncidentIdx>,
}

impl Terms {
    /// Collects the terms `of` each incident lists. Names that still fold
    /// to the same slug (`a/b` and `a+b`) get `-2`, `-3` suffixes.
    pub(crate) fn collect(incidents: &[Incident], of: impl Fn(&Incident) -> &[String]) -> Terms {
        let mut entries: BTreeMap<String, TermEntry> = BTreeMap::new();
        for (i, incident) in indexed(incidents) {
            for name in of(incident) {
                let members = &mut entries.entry(name.clone()).or_default().members;
                if members.last() != Some(&i) {
                    members.push(i);
                }
            }
        }
        let mut order: Vec<String> = entries.keys().cloned().collect();
        order.sort_by_cached_key(|name| (name.to_lowercase(), name.clone()));
        let mut taken = std::collections::HashSet::new();
        for name in &order {
            let Some(entry) = entries.get_mut(name) else { continue };
            let base = term_slug(name);
            let mut slug = base.clone();
            let mut n = 2;
            while !taken.insert(slug.clone()) {
                slug = format!("{base}-{n}");
                n += 1;
            }
            entry.slug = slug;
        }
        Terms { entries, order }
    }

    /// Every name with its entry, sorted ignoring case.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&String, &TermEntry)> {
        self.order.iter().filter_map(|name| Some((name, self.entries.get(name)?)))
    }

    /// How many names there are.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The page of `name` under `folder` (`services` or `tags`).
    pub(crate) fn url(&self, folder: &str, name: &str) -> String {
        format!("{folder}/{}/index.html", self.slug(name))
    }

    /// Whether `name` has a page.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.entries.contains_key(name)
    }

    /// The slug of `name`.
    pub(crate) fn slug(&self, name: &str) -> &str {
        self.entries.get(name).map_or("term", |e| e.slug.as_str())
    }
}

/// Severity views for every configured level plus unrated, by rank.
pub(crate) struct Severities {
    levels: Vec<SeverityView>,
    unrated: SeverityView,
}

impl Severities {
    pub(crate) fn new(config: &Config) -> Self {
        let view = |name: &str, label: &str, color: &str| {
            let class = term_slug(name);
            SeverityView {
                name: name.to_string(),
                label: label.to_string(),
                url: format!("severity/{class}/index.html"),
                class,
                color: color.to_string(),
            }
        };
        Severities {
            levels: config.severity.iter().map(|l| view(&l.name, &l.label, &l.color)).collect(),
            unrated: view("unrated", "Not rated", "#8a94a6"),
        }
    }

    pub(crate) fn get(&self, severity: &Severity) -> &SeverityView {
        self.levels.get(severity.rank).unwrap_or(&self.unrated)
    }

    /// Every level, most severe first, then unrated.
    pub(crate) fn all(&self) -> impl Iterator<Item = &SeverityView> {
        self.levels.iter().chain(std::iter::once(&self.unrated))
    }

    /// `severity.css`: one custom property per level, so the theme's CSS
    /// needs no inline styles (the pages forbid them).
    pub(crate) fn css(&self) -> String {
        let mut css = String::from("/* Generated from the severity scale in hindsight.toml. */\n");
        for s in self.all() {
            // The badge's text: white or near-black, whichever reads at
            // 4.5:1 on the configured colour (WCAG AA).
            let fg = super::color::parse_hex(&s.color)
                .map_or("#ffffff".to_string(), |c| super::color::to_hex(super::color::text_on(c)));
            css.push_str(&format!(".sev-{} {{ --sev: {}; --sev-fg: {fg}; }}\n", s.class, s.color));
        }
        css
    }
}

/// `45 min`, `1 h 05 min`, `2 d 3 h`.
pub(crate) fn format_duration(minutes: Option<u64>) -> String {
    match minutes {
        None => String::new(),
        Some(m) if m < 60 => format!("{m} min"),
        Some(m) if m < 24 * 60 => format!("{} h {:02} min", m / 60, m % 60),
        Some(m) => format!("{} d {} h", m / (24 * 60), (m % (24 * 60)) / 60),
    }
}

/// Builds the list row of every incident.
pub(crate) fn rows(
    incidents: &[Incident],
    severities: &Severities,
    services: &Terms,
    tags: &Terms,
) -> Vec<Row> {
    incidents
        .par_iter()
        .map(|i| Row {
            slug: i.slug.to_string(),
            title: i.title.clone(),
            url: i.url(),
            date: i.date_text(),
            year: i.date.map_or_else(|| UNDATED.to_string(), |d| d.year().to_string()),
            severity: severities.get(&i.severity).clone(),
            services: i
                .services
                .iter()
                .map(|s| TermRef {
                    name: s.clone(),
                    url: services.url("services", s),
                    slug: services.slug(s).to_string(),
                })
                .collect(),
            tags: i
                .tags
                .iter()
                .map(|t| TermRef {
                    name: t.clone(),
                    url: tags.url("tags", t),
                    slug: tags.slug(t).to_string(),
                })
                .collect(),
            status: i.status.clone(),
            status_class: i.status.as_deref().map(term_slug).unwrap_or_default(),
            duration: format_duration(i.duration_minutes),
            duration_minutes: i.duration_minutes,
            summary: i.summary.clone(),
            recurring: false,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_slugs_stay_in_their_folder() {
        assert_eq!(term_slug("payment-svc"), "payment-svc");
        assert_eq!(term_slug("../../etc/passwd"), "etc-passwd");
        assert_eq!(term_slug("a\\b"), "a-b");
        assert_eq!(term_slug("数据库"), "数据库");
        assert_eq!(term_slug("..."), "term");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(Some(45)), "45 min");
        assert_eq!(format_duration(Some(65)), "1 h 05 min");
        assert_eq!(format_duration(Some(3000)), "2 d 2 h");
        assert_eq!(format_duration(None), "");
    }
}

//! The words archives use for the default scale's severity labels and
//! for the default statuses: other tools' scales, and other languages.
//! Read by [`super::Config::severity_rank`] and [`super::Config::status`].

/// Words other scales use for the default scale's labels: Jira's
/// priorities (Blocker, Major, Trivial), status pages' (major, minor) and
/// ITIL's (urgent, moderate), and the words of the languages whose section
/// names are known. A level labelled with the word on the left
/// answers to the words on the right.
pub(super) const SEVERITY_SYNONYMS: &[(&str, &[&str])] = &[
    (
        "critical",
        &[
            "blocker",
            "emergency",
            "highest",
            "severe",
            "disaster",
            "kritisch",
            "critique",
            "crítico",
            "crítica",
            "緊急",
            "致命的",
            "긴급",
        ],
    ),
    (
        "high",
        &[
            "major",
            "urgent",
            "important",
            "serious",
            "hoch",
            "élevée",
            "élevé",
            "haute",
            "alta",
            "alto",
            "高",
            "높음",
        ],
    ),
    (
        "medium",
        &[
            "moderate", "normal", "average", "med", "mittel", "moyenne", "media", "medio", "média",
            "中", "보통",
        ],
    ),
    (
        "low",
        &[
            "lower",
            "informational",
            "info",
            "niedrig",
            "faible",
            "basse",
            "baja",
            "bajo",
            "baixa",
            "低",
            "낮음",
        ],
    ),
    ("minor", &["trivial", "lowest", "cosmetic", "negligible"]),
];

/// Words archives use for the default statuses.
pub(super) const STATUS_SYNONYMS: &[(&str, &[&str])] = &[
    (
        "resolved",
        &[
            "closed",
            "done",
            "complete",
            "completed",
            "fixed",
            "finished",
            "recovered",
            "restored",
            // A write-up's review finished: the incident is long over.
            "final",
            "published",
            "approved",
            "reviewed",
            "signed off",
            // In the languages whose section names are known.
            "behoben",
            "gelöst",
            "erledigt",
            "abgeschlossen",
            "résolu",
            "résolue",
            "clos",
            "terminé",
            "resuelto",
            "resuelta",
            "cerrado",
            "resolvido",
            "fechado",
            "解決済み",
            "解決",
            "已解决",
            "已解決",
            "해결",
            "해결됨",
        ],
    ),
    (
        "monitoring",
        &[
            "mitigated",
            "watching",
            "stable",
            "stabilized",
            "stabilised",
            "überwachung",
            "surveillance",
            "monitoreo",
            "monitoramento",
            "監視中",
        ],
    ),
    (
        "investigating",
        &[
            "ongoing",
            "in progress",
            "active",
            "identified",
            "triage",
            "triaging",
            "responding",
            "in bearbeitung",
            "en cours",
            "en curso",
            "em andamento",
            "調査中",
            "调查中",
        ],
    ),
    ("open", &["new", "reported", "offen", "ouvert", "abierto", "aberto"]),
];

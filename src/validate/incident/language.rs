//! The language a write-up is written in, when it is not the site's
//! English: its page marks the text with it (`<article lang="de">`), so a
//! screen reader reads a German postmortem with a German voice.
//!
//! Part of typing one incident (`incident`). Detection is whatlang's,
//! limited to the languages hindsight reads section names in (and a few
//! more), on the title, the summary and the headings; only a reliable
//! answer counts, and a write-up in plain ASCII is taken as English
//! without asking, which keeps the cost off most archives.

use whatlang::{Detector, Lang};

/// Languages told apart, with the BCP 47 tag a page writes for each;
/// English has none, being the site's own.
const LANGUAGES: &[(Lang, Option<&str>)] = &[
    (Lang::Eng, None),
    (Lang::Deu, Some("de")),
    (Lang::Fra, Some("fr")),
    (Lang::Spa, Some("es")),
    (Lang::Por, Some("pt")),
    (Lang::Ita, Some("it")),
    (Lang::Nld, Some("nl")),
    (Lang::Jpn, Some("ja")),
    (Lang::Cmn, Some("zh")),
    (Lang::Kor, Some("ko")),
    (Lang::Rus, Some("ru")),
    (Lang::Pol, Some("pl")),
    (Lang::Swe, Some("sv")),
];

/// How much of the sample is read: enough for a reliable answer.
const SAMPLE_BYTES: usize = 600;

/// The BCP 47 tag of the language `parts` (title, summary, headings) are
/// written in, when it is not English and the detection is reliable.
pub(super) fn language_of<'a, P>(parts: P) -> Option<&'static str>
where
    P: IntoIterator<Item = &'a str>,
    P::IntoIter: Clone,
{
    let parts = parts.into_iter();
    // Most archives are English and ASCII: nothing to copy or detect.
    if parts.clone().all(str::is_ascii) {
        return None;
    }
    let mut sample = String::with_capacity(SAMPLE_BYTES);
    for part in parts {
        if sample.len() >= SAMPLE_BYTES {
            break;
        }
        sample.push_str(part);
        sample.push('\n');
    }
    if !sample.chars().any(|c| !c.is_ascii() && c.is_alphabetic()) {
        return None;
    }
    let allowed = LANGUAGES.iter().map(|(lang, _)| *lang).collect();
    let info = Detector::with_allowlist(allowed).detect(&sample)?;
    if !info.is_reliable() {
        return None;
    }
    LANGUAGES.iter().find(|(lang, _)| *lang == info.lang()).and_then(|(_, tag)| *tag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_up_in_another_language_is_told_by_its_words() {
        let german = [
            "Suchindex nach Neuaufbau leer",
            "Nach dem nächtlichen Neuaufbau zeigte der Alias des Suchindex auf einen leeren Index.",
            "Zusammenfassung",
            "Ursache",
        ];
        assert_eq!(language_of(german), Some("de"));
        let japanese = ["検索APIの応答遅延", "インデックスの再構築中に検索APIの応答が遅くなった。"];
        assert_eq!(language_of(japanese), Some("ja"));
        let spanish = [
            "Cola de pagos detenida",
            "Un mensaje malformado bloqueó al consumidor de la cola de pagos; los cobros se \
             acumularon durante cuarenta minutos.",
            "Resumen",
            "Cronología",
            "Causa raíz",
        ];
        assert_eq!(language_of(spanish), Some("es"));
    }

    #[test]
    fn english_and_too_little_text_give_none() {
        assert_eq!(language_of(["Cache stampede", "The cache emptied at noon."]), None);
        assert_eq!(language_of(["Café menu outage", "The café's menu service was down."]), None);
        assert_eq!(language_of(["Über"]), None, "one word is no reliable answer");
    }
}

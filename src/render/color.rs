//! Colour arithmetic for WCAG contrast: the text colour of a severity badge
//! and the colours of highlighted code, computed at build time so that
//! colours set in `hindsight.toml` or by a syntect theme always read.

/// `#rrggbb` as three bytes; `None` for anything else.
pub(crate) fn parse_hex(s: &str) -> Option<[u8; 3]> {
    let hex = s.strip_prefix('#')?;
    let full: String = match hex.len() {
        3 => hex.chars().flat_map(|c| [c, c]).collect(),
        6 => hex.to_string(),
        _ => return None,
    };
    let byte = |i: usize| u8::from_str_radix(full.get(i..i + 2)?, 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// `#rrggbb`.
pub(crate) fn to_hex(c: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// WCAG relative luminance.
pub(crate) fn luminance(c: [u8; 3]) -> f64 {
    let lin = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.03928 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
    };
    0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
}

/// WCAG contrast ratio of two colours, 1 to 21.
pub(crate) fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// White text.
pub(crate) const WHITE: [u8; 3] = [255, 255, 255];
/// The near-black text of badges on light colours.
pub(crate) const INK: [u8; 3] = [17, 20, 24];
const BLACK: [u8; 3] = [0, 0, 0];

/// The text colour for a badge of colour `bg`: white when white reads at
/// 4.5:1 (WCAG AA for small text), else near-black, else black: white or
/// black always reaches 4.5:1 against any colour.
pub(crate) fn text_on(bg: [u8; 3]) -> [u8; 3] {
    [WHITE, INK].into_iter().find(|&fg| contrast(fg, bg) >= 4.5).unwrap_or(BLACK)
}

/// `fg`, moved towards black or white (whichever `bg` is further from)
/// in small steps until it reads at `ratio` against `bg`.
pub(crate) fn ensure_contrast(fg: [u8; 3], bg: [u8; 3], ratio: f64) -> [u8; 3] {
    if contrast(fg, bg) >= ratio {
        return fg;
    }
    let target = if luminance(bg) > 0.18 { [0u8; 3] } else { [255u8; 3] };
    let mut out = fg;
    for step in 1..=20 {
        let t = f64::from(step) / 20.0;
        let mix = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        out = [mix(fg[0], target[0]), mix(fg[1], target[1]), mix(fg[2], target[2])];
        if contrast(out, bg) >= ratio {
            break;
        }
    }
    out
}

/// The background of code blocks in the default theme (`--soft`), light
/// and dark.
const CODE_BG_LIGHT: [u8; 3] = [0xf4, 0xf6, 0xf9];
const CODE_BG_DARK: [u8; 3] = [0x1a, 0x20, 0x29];

/// Rewrites the `color:` of every rule of a generated highlight stylesheet
/// so it reads at 4.5:1 against the rule's own background, else the code
/// block's (the dark one inside `@media (prefers-color-scheme: dark)`).
pub(crate) fn readable_highlight_css(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut dark = false;
    for rule in css.split_inclusive('}') {
        if rule.contains("@media (prefers-color-scheme: dark)") {
            dark = true;
        }
        let bg = rule
            .split(';')
            .find_map(|d| {
                d.trim().strip_prefix("background-color:").and_then(|v| parse_hex(v.trim()))
            })
            .unwrap_or(if dark { CODE_BG_DARK } else { CODE_BG_LIGHT });
        let mut fixed = String::with_capacity(rule.len());
        let mut rest = rule;
        while let Some(at) = rest.find("color:") {
            let (before, after) = rest.split_at(at + "color:".len());
            fixed.push_str(before);
            let is_background = before.ends_with("background-color:");
            let value_end = after.find([';', '}', '\n']).unwrap_or(after.len());
            let value = &after[..value_end];
            match parse_hex(value.trim()).filter(|_| !is_background) {
                Some(c) => {
                    fixed.push(' ');
                    fixed.push_str(&to_hex(ensure_contrast(c, bg, 4.5)));
                }
                None => fixed.push_str(value),
            }
            rest = &after[value_end..];
        }
        fixed.push_str(rest);
        out.push_str(&fixed);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn badge_text_reads_on_every_default_level() {
        for hex in ["#b42318", "#d9480f", "#b7791f", "#2f6fb3", "#5f6b7a", "#8a94a6", "#ffe58a"] {
            let bg = parse_hex(hex).unwrap();
            assert!(contrast(text_on(bg), bg) >= 4.5, "{hex}");
        }
        assert_eq!(text_on(parse_hex("#b42318").unwrap()), WHITE);
        assert_ne!(text_on(parse_hex("#d9480f").unwrap()), WHITE);
    }

    #[test]
    fn highlight_colours_are_raised_to_aa() {
        let css = ".hl-comment {\n color: #969896;\n}\n@media (prefers-color-scheme: dark) {\n\
                   .hl-x {\n color: #2b303b;\n background-color: #2b303b;\n}\n.hl-y {\n color: #65737e;\n}\n}\n";
        let out = readable_highlight_css(css);
        let colours: Vec<[u8; 3]> = out
            .lines()
            .filter_map(|l| l.trim().strip_prefix("color:"))
            .filter_map(|v| parse_hex(v.trim().trim_end_matches(';')))
            .collect();
        assert_eq!(colours.len(), 3, "{out}");
        assert!(contrast(colours[0], CODE_BG_LIGHT) >= 4.5, "{out}");
        assert!(contrast(colours[1], [0x2b, 0x30, 0x3b]) >= 4.5, "{out}");
        assert!(contrast(colours[2], CODE_BG_DARK) >= 4.5, "{out}");
        assert!(out.contains("background-color: #2b303b;"), "{out}");
    }
}

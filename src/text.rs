//! Text as search sees it: which characters are written without spaces
//! between words (CJK), and how text splits into search tokens.
//!
//! Layer 1, pure. The render stage's search index and the related stage's
//! tokenizer both ask [`is_cjk`]; `themes/default/static/search.js` has the
//! same ranges and splits queries as [`for_each_token`] splits documents
//! (`tests/it/text.rs` runs both on the same strings and compares).

/// Tokens longer than this are hashes, ids or base64: not worth indexing.
pub(crate) const MAX_TOKEN_CHARS: usize = 32;

/// True for characters of scripts written without spaces between words
/// (Han, kana, Hangul), which search and the related stage take as
/// overlapping character pairs. The same ranges are in search.js.
pub(crate) fn is_cjk(c: char) -> bool {
    // Below the first range (most text, every ASCII character), one test
    // answers: the phase keywords alone ask this of every event.
    if c < '\u{1100}' {
        return false;
    }
    matches!(c,
        '\u{3040}'..='\u{30FF}'     // Hiragana, Katakana
        | '\u{31F0}'..='\u{31FF}'   // Katakana phonetic extensions
        | '\u{3400}'..='\u{4DBF}'   // Han extension A
        | '\u{4E00}'..='\u{9FFF}'   // Han
        | '\u{F900}'..='\u{FAFF}'   // Han compatibility
        | '\u{FF66}'..='\u{FF9F}'   // half-width Katakana
        | '\u{1100}'..='\u{11FF}'   // Hangul Jamo
        | '\u{3130}'..='\u{318F}'   // Hangul compatibility Jamo
        | '\u{AC00}'..='\u{D7AF}'   // Hangul syllables
        | '\u{20000}'..='\u{2FFFF}' // Han extensions B and later
    )
}

/// A token of at most 16 bytes as one integer: its bytes, then zeros.
/// Tokens hold no zero byte (it is not a word character), so two tokens
/// share a key only when they are the same. Both tokenizers (search's and
/// the related stage's) key their caches of tokens met by it: hashing and
/// comparing one integer is a few instructions, where a string key cost a
/// pass over the bytes and a call to compare them.
pub(crate) fn short_key(token: &str) -> Option<u128> {
    let bytes = token.as_bytes();
    let len = bytes.len();
    if len > 16 {
        return None;
    }
    // Two overlapping loads, the second shifted to drop the overlap, where
    // a loop over the bytes cost a step per byte.
    let (low, high): (u64, u64) = if len >= 8 {
        let overlap = 8 * (16 - len) as u32;
        (le_u64(bytes.get(..8)?)?, le_u64(bytes.get(len - 8..)?)?.checked_shr(overlap).unwrap_or(0))
    } else if len >= 4 {
        let last = u64::from(le_u32(bytes.get(len - 4..)?)?);
        (u64::from(le_u32(bytes.get(..4)?)?) | (last >> (8 * (8 - len))) << 32, 0)
    } else {
        (bytes.iter().rev().fold(0, |key, &b| key << 8 | u64::from(b)), 0)
    };
    Some(u128::from(high) << 64 | u128::from(low))
}

fn le_u64(bytes: &[u8]) -> Option<u64> {
    Some(u64::from_le_bytes(bytes.get(..8)?.try_into().ok()?))
}

fn le_u32(bytes: &[u8]) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?))
}

/// What a tokenizer knows of the tokens it has met, each keyed by
/// [`short_key`] when it has one (nearly every token), else by its text.
#[derive(Debug)]
pub(crate) struct TokenCache<V> {
    short: foldhash::HashMap<u128, V>,
    long: foldhash::HashMap<String, V>,
}

impl<V> Default for TokenCache<V> {
    fn default() -> Self {
        TokenCache { short: foldhash::HashMap::default(), long: foldhash::HashMap::default() }
    }
}

impl<V> TokenCache<V> {
    pub(crate) fn get(&self, token: &str) -> Option<&V> {
        match short_key(token) {
            Some(key) => self.short.get(&key),
            None => self.long.get(token),
        }
    }

    pub(crate) fn insert(&mut self, token: &str, value: V) {
        match short_key(token) {
            Some(key) => self.short.insert(key, value),
            None => self.long.insert(token.to_string(), value),
        };
    }

    pub(crate) fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }

    pub(crate) fn clear(&mut self) {
        self.short.clear();
        self.long.clear();
    }
}

/// Calls `f` with every search token of `text`: lower-cased runs of
/// letters and digits of at least two characters, and for CJK runs every
/// pair of neighbouring characters (a lone CJK character is its own token).
pub(crate) fn for_each_token(text: &str, mut f: impl FnMut(&str)) {
    let mut word = String::new();
    // Characters in `word`: most text is ASCII, where this equals its length.
    let mut word_chars = 0;
    let mut cjk: Vec<char> = Vec::new();
    let mut buf = String::new();
    let flush_word = |word: &mut String, chars: &mut usize, f: &mut dyn FnMut(&str)| {
        if (2..=MAX_TOKEN_CHARS).contains(chars) {
            f(word);
        }
        word.clear();
        *chars = 0;
    };
    let flush_cjk = |cjk: &mut Vec<char>, buf: &mut String, f: &mut dyn FnMut(&str)| {
        if let [only] = cjk.as_slice() {
            buf.clear();
            buf.push(*only);
            f(buf);
        }
        for pair in cjk.windows(2) {
            buf.clear();
            buf.extend(pair);
            f(buf);
        }
        cjk.clear();
    };
    let mut rest = text;
    while let Some(&first) = rest.as_bytes().first() {
        // A run of ASCII letters and digits is taken whole: most text is
        // made of them.
        if first.is_ascii_alphanumeric() {
            let run = rest.bytes().position(|b| !b.is_ascii_alphanumeric()).unwrap_or(rest.len());
            let Some((ascii, after)) = rest.split_at_checked(run) else { break };
            if !cjk.is_empty() {
                flush_cjk(&mut cjk, &mut buf, &mut f);
            }
            // Most runs are a whole lower-case word: handed over as they
            // are, without a copy.
            let whole = word.is_empty() && after.as_bytes().first().is_none_or(u8::is_ascii);
            if whole && !ascii.bytes().any(|b| b.is_ascii_uppercase()) {
                if (2..=MAX_TOKEN_CHARS).contains(&run) {
                    f(ascii);
                }
            } else {
                let from = word.len();
                word.push_str(ascii);
                if let Some(added) = word.get_mut(from..) {
                    added.make_ascii_lowercase();
                }
                word_chars += run;
            }
            rest = after;
            continue;
        }
        if first.is_ascii() {
            if !word.is_empty() {
                flush_word(&mut word, &mut word_chars, &mut f);
            }
            if !cjk.is_empty() {
                flush_cjk(&mut cjk, &mut buf, &mut f);
            }
            rest = rest.get(1..).unwrap_or_default();
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        rest = rest.get(c.len_utf8()..).unwrap_or_default();
        if is_cjk(c) {
            flush_word(&mut word, &mut word_chars, &mut f);
            cjk.push(c);
        } else if c.is_alphanumeric() {
            flush_cjk(&mut cjk, &mut buf, &mut f);
            // Counted as lower-cased: one letter can lower-case to two.
            for lower in c.to_lowercase() {
                word.push(lower);
                word_chars += 1;
            }
        } else {
            flush_word(&mut word, &mut word_chars, &mut f);
            flush_cjk(&mut cjk, &mut buf, &mut f);
        }
    }
    flush_word(&mut word, &mut word_chars, &mut f);
    flush_cjk(&mut cjk, &mut buf, &mut f);
}

/// The search tokens of `text`, in order (see [`for_each_token`]).
pub fn search_tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(text, |t| out.push(t.to_string()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        search_tokens(text)
    }

    #[test]
    fn latin_words_are_lower_cased_and_single_letters_dropped() {
        assert_eq!(tokens("Connection-Pool a DB"), ["connection", "pool", "db"]);
        assert_eq!(tokens("Überlast in Zürich"), ["überlast", "in", "zürich"]);
    }

    #[test]
    fn cjk_runs_become_bigrams() {
        assert_eq!(tokens("数据库连接"), ["数据", "据库", "库连", "连接"]);
        assert_eq!(tokens("DB数据库 x 池"), ["db", "数据", "据库", "池"]);
        assert_eq!(tokens("タイムアウト"), ["タイ", "イム", "ムア", "アウ", "ウト"]);
    }

    #[test]
    fn token_length_counts_the_lower_cased_characters() {
        // "İ" lower-cases to two characters, so one letter makes a token.
        assert_eq!(tokens("İ"), ["i\u{307}"]);
        assert!(tokens(&"İ".repeat(17)).is_empty(), "34 characters once lower-cased");
    }

    #[test]
    fn words_joined_to_other_scripts_or_in_capitals_are_whole_tokens() {
        assert_eq!(tokens("abcé déf"), ["abcé", "déf"]);
        assert_eq!(tokens("éabc, x1"), ["éabc", "x1"]);
        assert_eq!(tokens("Pool—DB—x"), ["pool", "db"]);
        assert_eq!(tokens("ok数据"), ["ok", "数据"]);
        assert_eq!(tokens("数据ok"), ["数据", "ok"]);
        assert_eq!(tokens("NaN-42"), ["nan", "42"]);
    }

    #[test]
    fn a_token_cache_keeps_short_and_long_tokens_apart() {
        let mut cache = TokenCache::default();
        for (n, token) in
            ["pool", "pools", "a_sixteen_bytes_", "a_seventeen_bytes", "x".repeat(40).as_str()]
                .into_iter()
                .enumerate()
        {
            cache.insert(token, n);
        }
        assert_eq!((cache.short.len(), cache.long.len(), cache.len()), (3, 2, 5));
        assert_eq!(cache.get("a_sixteen_bytes_"), Some(&2));
        assert_eq!(cache.get("a_seventeen_bytes"), Some(&3));
        assert_eq!(cache.get("pool_"), None);
        cache.clear();
        assert_eq!((cache.len(), cache.get("pool")), (0, None));
    }

    #[test]
    fn a_short_token_packs_to_its_bytes_then_zeros() {
        assert_ne!(short_key("ab"), short_key("ab_"));
        let word = "abcdefghijklmnop";
        for len in 0..=16 {
            let mut packed = [0u8; 16];
            packed[..len].copy_from_slice(&word.as_bytes()[..len]);
            assert_eq!(short_key(&word[..len]), Some(u128::from_le_bytes(packed)), "{len}");
        }
        assert_eq!(short_key("seventeen_bytes__"), None);
        assert_eq!(short_key(""), Some(0));
    }

    #[test]
    fn long_tokens_are_skipped() {
        assert!(tokens(&"a".repeat(40)).is_empty());
    }

    #[test]
    fn cjk_covers_kana_han_and_hangul_but_not_latin() {
        for c in ['あ', 'カ', 'ㇰ', 'ｶ', '数', '豈', 'ᄀ', 'ㄱ', '한', '\u{20000}'] {
            assert!(is_cjk(c), "{c}");
        }
        for c in ['a', 'é', 'ß', '٣', '—', '、'] {
            assert!(!is_cjk(c), "{c}");
        }
        // The first range starts at U+1100 (Hangul Jamo): nothing below.
        assert!((0..0x1100).filter_map(char::from_u32).all(|c| !is_cjk(c)));
        assert!(is_cjk('\u{1100}') && !is_cjk('\u{10FF}'));
    }
}

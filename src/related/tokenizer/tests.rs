//! Tests of the tokenizer: stemming, stop words, technical tokens, CJK
//! bigrams, phrases, concepts and the token cache.

use super::*;

fn terms(text: &str) -> Vec<String> {
    Tokenizer::default().tokens(text).into_iter().map(|t| t.term).collect()
}

#[test]
fn stop_lists_are_sorted_for_binary_search() {
    assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    assert!(CJK_STOP_BIGRAMS.windows(2).all(|w| w[0] < w[1]));
}

#[test]
fn english_words_are_stemmed_so_inflections_meet() {
    assert_eq!(terms("connections"), terms("connection"));
    assert_eq!(terms("exhausted"), terms("exhausting"));
    assert_eq!(terms("Timeouts timed"), ["timeout", "time"]);
}

#[test]
fn stop_words_and_postmortem_filler_are_dropped() {
    assert_eq!(terms("The incident affected customers for 40 minutes"), Vec::<String>::new());
    assert_eq!(terms("engineers restarted the service"), ["restart"]);
    // The calendar dates an incident; it does not describe it.
    assert_eq!(terms("Monday, June 3 at 09:15 PDT (16:15 UTC), Pacific time"), ["time"]);
    assert_eq!(terms("from 10:02 CEST to 11:40 CET, 02:10 JST"), Vec::<String>::new());
}

#[test]
fn technical_tokens_are_kept_whole_and_lower_cased() {
    assert_eq!(
        terms("max_connections NTP CoreDNS PgBouncer p99 5xx"),
        ["max_connections", "ntp", "coredns", "pgbouncer", "p99", "5xx"]
    );
    let tokens = Tokenizer::default().tokens("CoreDNS");
    assert_eq!(tokens[0].surface, "CoreDNS", "shown as written");
}

#[test]
fn numbers_single_letters_and_punctuation_are_dropped() {
    assert_eq!(terms("30 000 ms, a b (c) -- 2021-03-04"), ["ms"]);
    assert_eq!(terms("HTTP 429 and 503, 200 OK, 4290 rows"), ["http", "429", "503", "ok", "row"]);
}

#[test]
fn cjk_runs_become_overlapping_bigrams() {
    assert_eq!(terms("DNS解析超时"), ["dns", "解析", "析超", "超时"]);
    assert_eq!(terms("时钟偏移，令牌"), ["时钟", "钟偏", "偏移", "令牌"]);
    assert_eq!(terms("A 和 B 键"), Vec::<String>::new(), "lone Han characters are particles");
    // Katakana and Hangul too; filler pairs ("分钟", "失败") go.
    assert_eq!(terms("サーバー"), ["サー", "ーバ", "バー"]);
    assert_eq!(terms("연결 풀"), ["연결", "풀"]);
    assert_eq!(terms("90分钟 失败"), Vec::<String>::new());
}

#[test]
fn words_mixing_ascii_and_other_letters_stay_whole() {
    assert_eq!(
        terms("Naïve_ＤＮＳ-pool; Überlast.über café"),
        ["naïve_dns", "pool", "überlast", "über", "café"]
    );
    let tokens = Tokenizer::default().tokens("x ＫubeＤＮＳ");
    assert_eq!(tokens[0].surface, "KubeDNS", "folded, then ASCII, then folded");
}

#[test]
fn short_and_long_tokens_are_cached_and_mean_the_same() {
    let mut tokenizer = Tokenizer::bare();
    let text = "pool pools a_sixteen_bytes_ a_seventeen_bytes connection_pool_exhaustion";
    let first = tokenizer.tokens(text);
    assert_eq!(tokenizer.tokens(text), first, "the cached answers are the first ones");
    assert_eq!(tokenizer.seen.len(), 5);
}

#[test]
fn adjacent_words_make_phrases_but_cjk_pairs_do_not() {
    let mut tokenizer = Tokenizer::default();
    let mut ids = Vec::new();
    tokenizer.tokenize("Connection pools 连接池", |t| ids.push(t));
    let phrase = tokenizer.phrase(ids[0], ids[1]).expect("two words");
    assert_eq!(tokenizer.term(phrase.term), "connect pool");
    assert_eq!(tokenizer.surface(phrase.surface), "connection pools");
    assert_eq!(tokenizer.phrase(ids[0], ids[1]), Some(phrase), "cached");
    assert_eq!(tokenizer.phrase(ids[1], ids[2]), None, "a CJK pair");
}

#[test]
fn concept_triggers_name_their_concept() {
    let mut tokenizer = Tokenizer::default();
    let mut ids = Vec::new();
    tokenizer.tokenize("CoreDNS nameservers connection pool pools", |t| ids.push(t));
    let dns = tokenizer.concept(ids[0].term).expect("coredns names a concept");
    assert_eq!(tokenizer.surface(dns.surface), "DNS resolution");
    assert_eq!(tokenizer.concept(ids[1].term), Some(dns), "inflected");
    assert_eq!(tokenizer.concept(ids[2].term), None, "a word of a phrase trigger");
    let pool = tokenizer.phrase(ids[2], ids[3]).expect("two words");
    let named = tokenizer.concept(pool.term).expect("a phrase trigger");
    assert_eq!(tokenizer.surface(named.surface), "connection pool exhaustion");
}

#[test]
fn full_width_ascii_reads_as_ascii() {
    assert_eq!(terms("ＤＮＳ"), ["dns"]);
    assert_eq!(terms("core_ＤＮＳ ｐool"), ["core_dns", "pool"], "folded part-way through a word");
}

/// Words every kind of write-up uses name no failure: a trigger that
/// stems like one of them ("limiter" like "limits") would name its
/// concept in write-ups of any failure.
#[test]
fn everyday_words_name_no_concept() {
    let mut tokenizer = Tokenizer::default();
    let text = "resolved resolve connected scheduled schedule limit limits limited \
                target targets targeted treatment customers errors leak leaked leaking \
                migration migrated migrations";
    let mut ids = Vec::new();
    tokenizer.tokenize(text, |t| ids.push(t));
    assert!(ids.len() >= 14, "most are words the tokenizer keeps");
    for t in ids {
        let word = tokenizer.surface(t.surface).to_string();
        assert_eq!(tokenizer.concept(t.term), None, "{word}");
    }
}

#[test]
fn a_leak_or_a_migration_names_a_failure_only_with_the_word_that_says_which() {
    // A leaked token and a traffic migration are no memory leak and no
    // schema migration lock; the words beside them say which it is.
    let mut tokenizer = Tokenizer::default();
    let mut named = |text: &str| -> Option<String> {
        let mut ids = Vec::new();
        tokenizer.tokenize(text, |t| ids.push(t));
        let [a, b] = ids[..] else { panic!("two words in {text:?}") };
        let phrase = tokenizer.phrase(a, b)?;
        let concept = tokenizer.concept(phrase.term)?;
        Some(tokenizer.surface(concept.surface).to_string())
    };
    assert_eq!(named("leaking memory").as_deref(), Some("memory leak"));
    assert_eq!(named("memory leaks").as_deref(), Some("memory leak"));
    assert_eq!(named("database migration").as_deref(), Some("schema migration lock"));
    for text in ["data leak", "leaked token", "traffic migration", "migrated traffic"] {
        assert_eq!(named(text), None, "{text}");
    }
}

#[test]
fn a_phrase_written_like_a_concept_label_is_another_surface() {
    // Words are counted by surface, each surface standing for one term:
    // the phrase "clock skew" and the concept labelled so must not share.
    let mut tokenizer = Tokenizer::default();
    let mut ids = Vec::new();
    tokenizer.tokenize("clock skew", |t| ids.push(t));
    let phrase = tokenizer.phrase(ids[0], ids[1]).expect("two words");
    let concept = tokenizer.concept(ids[0].term).expect("a word trigger");
    assert_eq!(tokenizer.surface(phrase.surface), tokenizer.surface(concept.surface));
    assert_ne!(phrase.surface, concept.surface);
    assert_ne!(phrase.term, concept.term);
}

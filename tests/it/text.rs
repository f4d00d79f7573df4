//! The search box tokenizes queries as the index tokenizes documents:
//! `themes/default/static/search.js`'s tokenizer, run under Node, and
//! `hindsight::internals::search_tokens` give the same tokens for the same
//! strings (CJK of every range, other scripts, case, lengths, joins).

use std::process::Command;

const SAMPLES: &[&str] = &[
    "Connection-Pool a DB",
    "Überlast in Zürich",
    "数据库连接",
    "DB数据库 x 池",
    "タイムアウト",
    "ｶﾀｶﾅ と ㇰㇱ",
    "한국어 데이터베이스 ᄀᄁ ㄱㄴ",
    "𠀀𠀁 extension B",
    "İ İİ",
    "abcé déf éabc, x1 NaN-42",
    "ok数据 数据ok",
    "Pool—DB—x",
    "ΣΊΣΥΦΟΣ όνομα",
    "٣٤ arabic ١٢٣ and 12",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa short",
    "ﬁle ligature ß straße",
    "emoji 🙂 between words",
    "tabs\tand\nnewlines",
    "  ",
    "",
];

#[test]
fn search_js_tokenizes_as_the_index_does() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/static/search.js");
    let runner = format!(
        "const vm = require('vm'); const fs = require('fs');\
         const ctx = vm.createContext({{ document: {{ getElementById: () => null, querySelector: () => null }} }});\
         ctx.window = ctx; ctx.self = ctx;\
         vm.runInContext(fs.readFileSync({script:?}, 'utf8'), ctx);\
         const input = JSON.parse(fs.readFileSync(0, 'utf8'));\
         const t = vm.runInContext('hindsightText', ctx);\
         console.log(JSON.stringify(input.map((s) => t.tokenize(s).map((x) => x.t))));"
    );
    let child = Command::new("node")
        .args(["-e", &runner])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        println!("node is not installed: skipping the comparison with search.js");
        return;
    };
    use std::io::Write;
    let input = serde_json::to_vec(SAMPLES).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "node failed: {}", String::from_utf8_lossy(&out.stderr));
    let js: Vec<Vec<String>> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(js.len(), SAMPLES.len());
    for (sample, js) in SAMPLES.iter().zip(&js) {
        assert_eq!(&hindsight::internals::search_tokens(sample), js, "tokens of {sample:?}");
    }
    assert!(js.iter().any(|t| t.iter().any(|t| t == "ｶﾀ")), "half-width katakana as CJK");
}

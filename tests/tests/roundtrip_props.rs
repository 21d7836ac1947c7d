//! Property tests for the lossless guarantee: whatever the input, lexing and parsing do not panic,
//! the tokens cover every byte, the tree prints back the input exactly, and error ranges are
//! slices of the input (the CLI and the language server cut source text with them).

use std::sync::LazyLock;

use proptest::prelude::*;
use proptest::sample::{Index, select};

/// Pieces of nft text, weighted towards what makes the grammar branch: punctuation, trivia,
/// keywords, addresses, and strings or continuations that can swallow what follows.
const PIECES: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    ";",
    ",",
    ":",
    "=",
    ".",
    "/",
    "-",
    "+",
    "*",
    "@",
    "$",
    "!",
    "<",
    ">",
    "&",
    "|",
    "^",
    "\"",
    "#",
    "\\",
    "\n",
    "\r",
    "\t",
    " ",
    "\\\n",
    "!=",
    "==",
    "<=",
    ">=",
    "<<",
    ">>",
    "table",
    "chain",
    "set",
    "map",
    "flowtable",
    "define",
    "include",
    "flush",
    "ruleset",
    "add",
    "rule",
    "ip",
    "ip6",
    "inet",
    "netdev",
    "type",
    "typeof",
    "filter",
    "hook",
    "input",
    "priority",
    "policy",
    "elements",
    "flags",
    "interval",
    "tcp",
    "udp",
    "dport",
    "saddr",
    "daddr",
    "meta",
    "iifname",
    "ct",
    "state",
    "established",
    "counter",
    "limit",
    "rate",
    "vmap",
    "jump",
    "accept",
    "drop",
    "reject",
    "with",
    "10.0.0.1",
    "192.168.0.0/16",
    "::1",
    "2001:db8::/32",
    "aa:bb:cc:dd:ee:ff",
    "0x10",
    "65535",
    "5m",
    "eth0",
    "\"eth*\"",
    "@blocklist",
    "$LAN",
    "é",
    "→",
];

fn nft_ish() -> impl Strategy<Value = String> {
    prop::collection::vec(select(PIECES), 0..80).prop_map(|pieces| pieces.concat())
}

fn arbitrary_text() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<u8>(), 0..512)
        .prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
}

fn assert_lossless(text: &str) -> Result<(), TestCaseError> {
    let tokens = nftlint_syntax::lex(text);
    prop_assert!(
        tokens.iter().all(|t| t.len > 0),
        "the lexer produced an empty token"
    );
    let covered: usize = tokens.iter().map(|t| t.len as usize).sum();
    prop_assert_eq!(covered, text.len(), "tokens do not cover the input");

    let parse = nftlint_syntax::parse(text);
    prop_assert_eq!(parse.syntax().to_string(), text);
    for error in parse.errors() {
        let range = &error.range;
        prop_assert!(
            range.start <= range.end
                && text.is_char_boundary(range.start)
                && text.is_char_boundary(range.end),
            "error range {:?} is not a slice of the input: {}",
            range,
            error
        );
    }
    Ok(())
}

/// Valid rulesets to damage; each case picks one.
static DUMPS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let files = nftlint_tests::corpus_files("upstream/shell-dumps", nftlint_tests::is_nft);
    files.into_iter().map(|f| f.text).collect()
});

#[derive(Debug, Clone)]
enum Edit {
    Delete { at: Index, len: usize },
    Insert { at: Index, piece: &'static str },
    DuplicateLine(Index),
    SwapLines(Index, Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<Index>(), 1..64usize).prop_map(|(at, len)| Edit::Delete { at, len }),
        (any::<Index>(), select(PIECES)).prop_map(|(at, piece)| Edit::Insert { at, piece }),
        any::<Index>().prop_map(Edit::DuplicateLine),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
    ]
}

/// The char boundary at or before the position `at` picks in `text`.
fn boundary(text: &str, at: &Index) -> usize {
    let mut offset = at.index(text.len() + 1);
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn apply(text: &str, edit: &Edit) -> String {
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    match edit {
        Edit::Delete { at, len } => {
            let start = boundary(text, at);
            let mut end = (start + len).min(text.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            [&text[..start], &text[end..]].concat()
        }
        Edit::Insert { at, piece } => {
            let at = boundary(text, at);
            [&text[..at], piece, &text[at..]].concat()
        }
        Edit::DuplicateLine(_) | Edit::SwapLines(..) if lines.is_empty() => text.to_string(),
        Edit::DuplicateLine(line) => {
            let line = line.index(lines.len());
            lines.insert(line, lines[line]);
            lines.concat()
        }
        Edit::SwapLines(a, b) => {
            let count = lines.len();
            lines.swap(a.index(count), b.index(count));
            lines.concat()
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_round_trip(text in arbitrary_text()) {
        assert_lossless(&text)?;
    }

    #[test]
    fn nft_like_text_round_trips(text in nft_ish()) {
        assert_lossless(&text)?;
    }

    #[test]
    fn damaged_rulesets_round_trip(
        file in any::<Index>(),
        edits in prop::collection::vec(edit(), 1..4),
    ) {
        let mut text = file.get(&DUMPS).clone();
        for edit in &edits {
            text = apply(&text, edit);
        }
        assert_lossless(&text)?;
    }
}

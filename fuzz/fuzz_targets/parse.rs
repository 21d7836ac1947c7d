//! Lexer and parser: any text parses without a panic into a tree that prints back the text,
//! with every error inside it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let parse = nftlint_syntax::parse(text);
    assert_eq!(parse.syntax().to_string(), text, "the tree is lossless");
    for error in parse.errors() {
        assert!(error.range.end <= text.len(), "{error:?} lies past the end");
    }
});

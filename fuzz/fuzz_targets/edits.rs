//! An editor's document: any sequence of edits (ranges anywhere, past line ends and the end of
//! the text, inside UTF-16 surrogate pairs) keeps a valid text whose positions and offsets map
//! back and forth, and what an editor asks at the edited place is answered without a panic.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use nftlint_analyzer::ide;
use nftlint_lsp::Document;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

#[derive(Debug, Arbitrary)]
struct Edit {
    /// No range replaces the whole text.
    range: Option<((u8, u8), (u8, u8))>,
    text: String,
}

#[derive(Debug, Arbitrary)]
struct Session {
    text: String,
    edits: Vec<Edit>,
}

fuzz_target!(|session: Session| {
    let mut document = Document::new(session.text, 0);
    for (version, edit) in session.edits.into_iter().enumerate() {
        let range = edit.range.map(|((l1, c1), (l2, c2))| {
            let at = |line: u8, character: u8| Position::new(line.into(), character.into());
            Range::new(at(l1, c1), at(l2, c2))
        });
        let change = TextDocumentContentChangeEvent {
            range,
            range_length: None,
            text: edit.text,
        };
        document.apply(vec![change], version as i32 + 1);
        let at = range.map_or(0, |r| document.offset(r.start));
        assert!(document.text.is_char_boundary(at), "offset {at} splits a character");
        // An offset's position leads back to the offset.
        let position = document.range(at..at).start;
        assert_eq!(document.offset(position), at, "{position:?}");
        let text = &document.text;
        ide::completions(text, at);
        ide::selection(text, at);
        if let Some(target) = ide::target(text, at) {
            ide::places(text, &target);
            ide::describe(text, &target);
        }
    }
    ide::symbols(&document.text);
    ide::highlights(&document.text);
});

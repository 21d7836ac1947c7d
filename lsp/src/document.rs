//! An open document: its text and version, and the conversions between byte offsets and the
//! LSP's (line, UTF-16 column) positions.

use line_index::{LineCol, LineIndex, TextSize, WideEncoding, WideLineCol};
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent};

#[derive(Debug, Clone)]
pub struct Document {
    pub text: String,
    pub version: i32,
    index: LineIndex,
}

impl Document {
    pub fn new(text: String, version: i32) -> Self {
        let index = LineIndex::new(&text);
        Document {
            text,
            version,
            index,
        }
    }

    /// Applies the editor's changes in order: a change with a range replaces that range, one
    /// without replaces the whole text.
    pub fn apply(&mut self, changes: Vec<TextDocumentContentChangeEvent>, version: i32) {
        for change in changes {
            match change.range {
                Some(range) => {
                    let start = self.offset(range.start);
                    let end = self.offset(range.end).max(start);
                    self.text.replace_range(start..end, &change.text);
                }
                None => self.text = change.text,
            }
            self.index = LineIndex::new(&self.text);
        }
        self.version = version;
    }

    /// The byte offset of a position; positions past a line's end or the text's end clamp to it,
    /// as the protocol asks.
    pub fn offset(&self, position: Position) -> usize {
        let wide = WideLineCol {
            line: position.line,
            col: position.character,
        };
        let line_col = self
            .index
            .to_utf8(WideEncoding::Utf16, wide)
            .unwrap_or(LineCol {
                line: position.line,
                col: u32::MAX,
            });
        let Some(line) = self.index.line(line_col.line) else {
            return self.text.len();
        };
        // A line's range holds its line break; a position past the end stops before it. A `\r`
        // that is not part of a `\r\n` is text, as the line index counts it.
        let line_text = &self.text[usize::from(line.start())..usize::from(line.end())];
        let line_break = if line_text.ends_with("\r\n") {
            2
        } else {
            usize::from(line_text.ends_with('\n'))
        };
        let line_end = usize::from(line.end()) - line_break;
        let offset = usize::from(line.start()).saturating_add(line_col.col as usize);
        let mut offset = offset.min(line_end).min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

impl Document {
    /// The editor's range of a byte range.
    pub fn range(&self, range: std::ops::Range<usize>) -> Range {
        Range::new(
            position(&self.index, &self.text, range.start),
            position(&self.index, &self.text, range.end),
        )
    }
}

/// The position of a byte offset in a text with this index.
pub(crate) fn position(index: &LineIndex, text: &str, offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_col = index.line_col(TextSize::from(offset as u32));
    let wide = index
        .to_wide(WideEncoding::Utf16, line_col)
        .unwrap_or(WideLineCol {
            line: line_col.line,
            col: line_col.col,
        });
    Position::new(wide.line, wide.col)
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Document {
        fn position(&self, offset: usize) -> Position {
            position(&self.index, &self.text, offset)
        }
    }

    fn change(range: Option<Range>, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range,
            range_length: None,
            text: text.to_string(),
        }
    }

    #[test]
    fn utf16_columns_after_non_ascii_text() {
        // `ä` is one UTF-16 unit and two bytes; `𝄞` two units and four bytes.
        let doc = Document::new("# ä𝄞 x\nab\n".to_string(), 1);
        let x = doc.text.find('x').unwrap();
        assert_eq!(doc.position(x), Position::new(0, 6));
        assert_eq!(doc.offset(Position::new(0, 6)), x);
        assert_eq!(
            doc.position(doc.text.find('b').unwrap()),
            Position::new(1, 1)
        );
    }

    #[test]
    fn partial_edits_apply_in_order() {
        let mut doc = Document::new("table inet t {\n}\n".to_string(), 1);
        doc.apply(
            vec![
                change(
                    Some(Range::new(Position::new(0, 11), Position::new(0, 12))),
                    "filter",
                ),
                change(
                    Some(Range::new(Position::new(1, 0), Position::new(1, 0))),
                    "\tchain c {\n\t}\n",
                ),
            ],
            2,
        );
        assert_eq!(doc.text, "table inet filter {\n\tchain c {\n\t}\n}\n");
        assert_eq!(doc.version, 2);
        doc.apply(vec![change(None, "x")], 3);
        assert_eq!(doc.text, "x");
    }

    /// Every offset outside a `\r\n` pair has a position that leads back to it, stray `\r`s
    /// included (a fuzzer's find: they were taken for part of the line break).
    #[test]
    fn offsets_and_positions_round_trip() {
        for text in ["a\r\r", "x\r\r\ny\r\n\rz", "ä\r𝄞\n\r\n"] {
            let doc = Document::new(text.to_string(), 1);
            for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
                if text[..offset].ends_with('\r') && text[offset..].starts_with('\n') {
                    continue;
                }
                assert_eq!(
                    doc.offset(doc.position(offset)),
                    offset,
                    "{text:?} at {offset}"
                );
            }
        }
    }

    #[test]
    fn positions_out_of_range_clamp() {
        let doc = Document::new("ab\ncd".to_string(), 1);
        assert_eq!(doc.offset(Position::new(0, 99)), 2);
        assert_eq!(doc.offset(Position::new(9, 0)), 5);
        assert_eq!(doc.position(99), Position::new(1, 2));
    }
}

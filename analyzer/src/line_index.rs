//! Byte offsets to the 1-based lines and columns users see, with columns counting Unicode scalar
//! values (a `ä` is one column, not two bytes).

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Line starts and multi-byte characters of one text, so each lookup is a binary search and
/// the text itself need not be kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset where each line starts; the first is always 0.
    line_starts: Vec<usize>,
    /// Byte offset and UTF-8 length of every character longer than one byte, in text order.
    wide_chars: Vec<(usize, usize)>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        // A large file is indexed for each report; searching bytes rather than decoding
        // characters makes that a small cost. Nearly every ruleset is all ASCII.
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|at| at + 1))
            .collect();
        let wide_chars = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices()
                .filter(|(_, c)| c.len_utf8() > 1)
                .map(|(offset, c)| (offset, c.len_utf8()))
                .collect()
        };
        LineIndex {
            line_starts,
            wide_chars,
            len: text.len(),
        }
    }

    /// The position of a byte offset. Offsets past the end clamp to the end; an offset inside a
    /// character counts as that character's start.
    pub fn line_col(&self, offset: usize) -> LineCol {
        let offset = offset.min(self.len);
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let line_start = self.line_starts[line];
        // Each wide character before `offset` on this line took more bytes than the one column
        // it occupies; one that `offset` falls inside of takes no column at all yet.
        let first = self.wide_chars.partition_point(|&(at, _)| at < line_start);
        let extra_bytes: usize = self.wide_chars[first..]
            .iter()
            .take_while(|&&(at, _)| at < offset)
            .map(|&(at, len)| {
                if at + len <= offset {
                    len - 1
                } else {
                    offset - at
                }
            })
            .sum();
        LineCol {
            line: line + 1,
            column: offset - line_start - extra_bytes + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, offset: usize) -> (usize, usize) {
        let position = LineIndex::new(text).line_col(offset);
        (position.line, position.column)
    }

    #[test]
    fn first_line_first_column_is_one_one() {
        assert_eq!(at("table ip t {}\n", 0), (1, 1));
        assert_eq!(at("", 0), (1, 1));
    }

    #[test]
    fn columns_restart_after_each_newline() {
        let text = "table ip t {\n  chain c {\n  }\n}\n";
        assert_eq!(at(text, 6), (1, 7));
        assert_eq!(at(text, 12), (1, 13), "the newline itself ends line 1");
        assert_eq!(at(text, 13), (2, 1));
        assert_eq!(at(text, 15), (2, 3));
        assert_eq!(
            at(text, text.len()),
            (5, 1),
            "the end of a text ending in a newline"
        );
    }

    #[test]
    fn multi_byte_characters_are_one_column_each() {
        // "ä" is 2 bytes, "€" 3 and "🔥" 4.
        let text = "# ä€🔥 x\ncomment \"ä\" accept\n";
        assert_eq!(at(text, 2), (1, 3));
        assert_eq!(at(text, 4), (1, 4), "after ä");
        assert_eq!(at(text, 7), (1, 5), "after €");
        assert_eq!(at(text, 11), (1, 6), "after 🔥");
        assert_eq!(at(text, 12), (1, 7), "at x");
        let line2 = text.find("comment").unwrap();
        assert_eq!(
            at(text, line2 + 12),
            (2, 12),
            "wide characters on earlier lines do not count"
        );
    }

    #[test]
    fn offsets_inside_a_character_count_as_its_start() {
        let text = "a€b";
        assert_eq!(at(text, 1), (1, 2));
        assert_eq!(at(text, 2), (1, 2));
        assert_eq!(at(text, 3), (1, 2));
        assert_eq!(at(text, 4), (1, 3));
    }

    #[test]
    fn offsets_past_the_end_clamp_to_the_end() {
        assert_eq!(at("ab\ncd", 99), (2, 3));
    }

    #[test]
    fn carriage_returns_are_ordinary_characters() {
        assert_eq!(at("a\r\nb", 1), (1, 2));
        assert_eq!(at("a\r\nb", 3), (2, 1));
    }
}

//! A file's lines as snippets count them. Besides `\n`, each of `\r`, `\r\n`, vertical tab, form
//! feed, NEL and the Unicode line and paragraph separators ends a line, so a snippet may number
//! lines differently from the header; and columns count characters, not bytes.

use std::ops::Range;

/// One line, its terminator included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    /// Where it starts in the file, in characters.
    pub offset: usize,
    /// Its length in characters.
    pub len: usize,
    byte_offset: usize,
    byte_len: usize,
}

impl Line {
    /// Its characters, as offsets in the file.
    pub fn span(&self) -> Range<usize> {
        self.offset..self.offset + self.len
    }
}

pub struct Lines<'t> {
    text: &'t str,
    /// Never empty: an empty file has one empty line.
    lines: Vec<Line>,
    /// The file's length in characters.
    len: usize,
}

impl<'t> Lines<'t> {
    pub fn new(text: &'t str) -> Self {
        // Most files are ASCII and end their lines with `\n` alone: there a line ends at the next
        // `\n`, which `memchr` skips to fast, and a character is a byte.
        let plain = text.is_ascii()
            && !text
                .bytes()
                .fold(false, |found, byte| found | matches!(byte, b'\x0b'..=b'\r'));
        let mut lines = Vec::new();
        let (mut offset, mut byte_offset) = (0, 0);
        while byte_offset < text.len() {
            let rest = &text[byte_offset..];
            let (byte_len, len) = if plain {
                let byte_len =
                    memchr::memchr(b'\n', rest.as_bytes()).map_or(rest.len(), |at| at + 1);
                (byte_len, byte_len)
            } else {
                let byte_len = line_len(rest.as_bytes());
                (byte_len, rest[..byte_len].chars().count())
            };
            lines.push(Line {
                offset,
                len,
                byte_offset,
                byte_len,
            });
            offset += len;
            byte_offset += byte_len;
        }
        if lines.is_empty() {
            lines.push(Line {
                offset: 0,
                len: 0,
                byte_offset: 0,
                byte_len: 0,
            });
        }
        Lines {
            text,
            lines,
            len: offset,
        }
    }

    pub fn line(&self, index: usize) -> Line {
        self.lines[index]
    }

    /// The text of a line, its terminator included.
    pub fn text(&self, line: Line) -> &'t str {
        &self.text[line.byte_offset..line.byte_offset + line.byte_len]
    }

    /// The index of the line holding byte `offset`, and how many of its characters start before
    /// that byte; `None` past the end of the file.
    pub fn at_byte(&self, offset: usize) -> Option<(usize, usize)> {
        let index = self.line_at_byte(offset)?;
        Some((index, self.chars_before(index, offset)))
    }

    /// A byte range as characters, with the indices of the lines of its first and last
    /// character; `None` when it reaches past the end of the file.
    pub fn char_span(&self, range: &Range<usize>) -> Option<(Range<usize>, usize, usize)> {
        let (first, start) = self.at_byte(range.start)?;
        let start = self.lines[first].offset + start;
        if range.is_empty() {
            return Some((start..start, first, first));
        }
        let last = self.line_at_byte(range.end - 1)?;
        let end = self.lines[last].offset + self.chars_before(last, range.end);
        Some((start..end, first, last))
    }

    /// The indices of the lines that characters `span` touch; an empty span touches the line it
    /// is on.
    pub fn line_range(&self, span: &Range<usize>) -> Range<usize> {
        let first = self.line_at_char(span.start).unwrap_or(0);
        let last = span.end.saturating_sub(1).max(span.start);
        first
            ..self
                .line_at_char(last)
                .map_or(self.lines.len(), |last| last + 1)
    }

    fn line_at_byte(&self, offset: usize) -> Option<usize> {
        (offset <= self.text.len()).then(|| {
            self.lines
                .partition_point(|line| line.byte_offset <= offset)
                - 1
        })
    }

    fn line_at_char(&self, offset: usize) -> Option<usize> {
        (offset <= self.len).then(|| self.lines.partition_point(|line| line.offset <= offset) - 1)
    }

    /// How many characters of line `index` start before byte `offset` of the file, counting at
    /// most to the end of the line.
    fn chars_before(&self, index: usize, offset: usize) -> usize {
        let line = self.lines[index];
        let before = (offset - line.byte_offset).min(line.byte_len);
        if line.len == line.byte_len {
            // An ASCII line: a character is a byte.
            return before;
        }
        let bytes = &self.text(line).as_bytes()[..before];
        // A byte starts a character unless it continues one: 0b10xx_xxxx.
        bytes.iter().filter(|&&byte| byte & 0xc0 != 0x80).count()
    }
}

/// The length in bytes of the line `text` starts with, its terminator included.
fn line_len(text: &[u8]) -> usize {
    let mut at = 0;
    // Every terminator starts with one of these bytes; 0xc2 and 0xe2 start many other
    // characters too.
    while let Some(found) = text[at..]
        .iter()
        .position(|byte| matches!(byte, b'\n' | b'\x0b' | b'\x0c' | b'\r' | 0xc2 | 0xe2))
    {
        at += found;
        match text[at..] {
            [b'\r', b'\n', ..] => return at + 2,
            [b'\n' | b'\x0b' | b'\x0c' | b'\r', ..] => return at + 1,
            // NEL
            [0xc2, 0x85, ..] => return at + 2,
            // Line and paragraph separators
            [0xe2, 0x80, 0xa8 | 0xa9, ..] => return at + 3,
            _ => at += 1,
        }
    }
    text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_texts(text: &str) -> Vec<&str> {
        let lines = Lines::new(text);
        lines.lines.iter().map(|&line| lines.text(line)).collect()
    }

    #[test]
    fn every_kind_of_terminator_ends_a_line() {
        assert_eq!(
            line_texts("a\nb\r\nc\rd\x0be\x0cf\u{85}g\u{2028}h\u{2029}i"),
            [
                "a\n",
                "b\r\n",
                "c\r",
                "d\x0b",
                "e\x0c",
                "f\u{85}",
                "g\u{2028}",
                "h\u{2029}",
                "i"
            ]
        );
        assert_eq!(line_texts("é\u{2027}\n"), ["é\u{2027}\n"]);
        assert_eq!(line_texts(""), [""]);
    }

    #[test]
    fn offsets_count_characters() {
        let lines = Lines::new("ä\nbé c\n");
        assert_eq!(lines.line(1).span(), 2..7);
        assert_eq!(lines.at_byte(6), Some((1, 2)));
        let c = "ä\nbé c\n".find('c').unwrap();
        assert_eq!(lines.char_span(&(3..c + 1)), Some((2..6, 1, 1)));
        assert_eq!(lines.char_span(&(0..4)), Some((0..3, 0, 1)));
        assert_eq!(lines.line_range(&(2..7)), 1..2);
        assert_eq!(lines.at_byte(100), None);
    }
}

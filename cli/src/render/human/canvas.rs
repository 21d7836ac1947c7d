//! The text of a report as it is drawn: colours as ANSI escapes around each piece, and no
//! trailing whitespace on a snippet's lines.
//!
//! A report is mostly single ASCII characters, so these are cheap to draw one by one: a
//! character without colour is one byte pushed onto the text.

/// A foreground colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Color {
    Red,
    Yellow,
    Blue,
    /// The frame and the numbers of the lines shown.
    Margin,
    /// The margin beside arrows and lines left out.
    SkippedMargin,
    /// Source text no label marks.
    Unimportant,
    /// The `Help` heading.
    Note,
}

impl Color {
    /// The escape sequence that starts it.
    fn escape(self) -> &'static str {
        match self {
            Color::Red => "\x1b[31m",
            Color::Yellow => "\x1b[33m",
            Color::Blue => "\x1b[34m",
            Color::Margin => "\x1b[38;5;246m",
            Color::SkippedMargin => "\x1b[38;5;240m",
            Color::Unimportant => "\x1b[38;5;249m",
            Color::Note => "\x1b[38;5;115m",
        }
    }
}

const RESET: &str = "\x1b[0m";

pub struct Canvas {
    /// UTF-8: everything drawn is whole characters.
    text: Vec<u8>,
    color: bool,
    /// Where the line being drawn starts in `text`.
    line_start: usize,
}

impl Canvas {
    pub fn new(color: bool) -> Self {
        Canvas {
            text: Vec::new(),
            color,
            line_start: 0,
        }
    }

    pub fn finish(self) -> String {
        String::from_utf8(self.text).expect("only whole characters are drawn")
    }

    /// Whether colours are drawn: without them, nobody needs to work out which one a piece has.
    pub fn has_color(&self) -> bool {
        self.color
    }

    /// Draws text as it is: a line break in it ends no snippet line.
    pub fn push_str(&mut self, text: &str) {
        self.text.extend_from_slice(text.as_bytes());
    }

    pub fn push(&mut self, c: char) {
        if c.is_ascii() {
            self.text.push(c as u8);
        } else {
            self.push_str(c.encode_utf8(&mut [0; 4]));
        }
    }

    /// Draws a number without `core::fmt`, which costs more than the rest of a margin.
    pub fn push_number(&mut self, mut n: usize) {
        let mut digits = [0; 20];
        let mut at = digits.len();
        loop {
            at -= 1;
            digits[at] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.push_str(str::from_utf8(&digits[at..]).expect("digits are ASCII"));
    }

    pub fn spaces(&mut self, count: usize) {
        self.repeat(' ', count);
    }

    pub fn repeat(&mut self, c: char, count: usize) {
        if c.is_ascii() {
            self.text.resize(self.text.len() + count, c as u8);
        } else {
            (0..count).for_each(|_| self.push(c));
        }
    }

    /// Draws text from the findings or the file system, where a line break ends a snippet line,
    /// trimmed like any other.
    pub fn text(&mut self, text: &str) {
        if memchr::memchr(b'\n', text.as_bytes()).is_none() {
            return self.push_str(text);
        }
        let mut parts = text.split('\n');
        self.push_str(parts.next().unwrap_or_default());
        for part in parts {
            self.end_line();
            self.push_str(part);
        }
    }

    /// Draws what `draw` draws in `color`, if any.
    pub fn paint(&mut self, color: Option<Color>, draw: impl FnOnce(&mut Self)) {
        match color.filter(|_| self.color) {
            Some(color) => {
                self.push_str(color.escape());
                draw(self);
                self.push_str(RESET);
            }
            None => draw(self),
        }
    }

    pub fn paint_char(&mut self, color: Option<Color>, c: char) {
        match color {
            Some(color) if self.color => self.paint(Some(color), |canvas| canvas.push(c)),
            _ => self.push(c),
        }
    }

    /// Draws `c` `count` times, each in `color`.
    pub fn paint_repeat(&mut self, color: Option<Color>, c: char, count: usize) {
        match color {
            Some(color) if self.color => {
                (0..count).for_each(|_| self.paint(Some(color), |canvas| canvas.push(c)));
            }
            _ => self.repeat(c, count),
        }
    }

    /// Ends a snippet line. Snippet lines lose their trailing whitespace, which padding for
    /// columns further right leaves behind.
    pub fn end_line(&mut self) {
        let line = &self.text[self.line_start..];
        // The ASCII whitespace `str::trim_end` trims, vertical tab included.
        let ascii_whitespace = |byte: &&u8| matches!(byte, b' ' | b'\t'..=b'\r');
        let mut kept = line.len() - line.iter().rev().take_while(ascii_whitespace).count();
        if line[..kept].last().is_some_and(|last| !last.is_ascii()) {
            // Perhaps a wide space, which only `str` knows.
            let rest = str::from_utf8(&line[..kept]).expect("only whole characters are drawn");
            kept = rest.trim_end().len();
        }
        self.text.truncate(self.line_start + kept);
        self.end_line_as_is();
    }

    /// Ends a line without trimming it, for the header, which shows the message as it is.
    pub fn end_line_as_is(&mut self) {
        self.text.push(b'\n');
        self.line_start = self.text.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_lines_lose_trailing_whitespace_and_the_header_keeps_it() {
        let mut canvas = Canvas::new(false);
        canvas.push_str("header  ");
        canvas.end_line_as_is();
        canvas.spaces(3);
        canvas.end_line();
        canvas.push_str("a\u{3000} \t");
        canvas.end_line();
        canvas.text("one  \ntwo ");
        canvas.end_line();
        assert_eq!(canvas.finish(), "header  \n\na\none\ntwo\n");
    }

    #[test]
    fn colour_wraps_each_piece() {
        let mut canvas = Canvas::new(true);
        canvas.paint_repeat(Some(Color::Red), '^', 2);
        canvas.paint_char(None, ' ');
        canvas.paint(Some(Color::Margin), |canvas| canvas.push_number(42));
        assert_eq!(
            canvas.finish(),
            "\x1b[31m^\x1b[0m\x1b[31m^\x1b[0m \x1b[38;5;246m42\x1b[0m"
        );

        let mut canvas = Canvas::new(false);
        canvas.paint_repeat(Some(Color::Red), '^', 2);
        canvas.paint(Some(Color::Margin), |canvas| canvas.push_number(0));
        assert_eq!(canvas.finish(), "^^0");
    }
}

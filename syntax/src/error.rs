//! Syntax errors, worded like nft's own bison messages.

use std::fmt;
use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte range in the source.
    pub range: Range<usize>,
    /// The full message: `syntax error, unexpected '}', expecting newline or semicolon`.
    pub message: String,
    /// What the grammar would have accepted here, in nft's words (`'{'`, `string`, `newline` ...).
    pub expected: Vec<String>,
    /// What it found instead.
    pub found: String,
}

impl SyntaxError {
    /// nft lists the expected tokens only when there are at most four of them.
    pub(crate) fn unexpected(
        range: Range<usize>,
        found: String,
        mut expected: Vec<String>,
    ) -> Self {
        expected.sort();
        expected.dedup();
        let mut message = format!("syntax error, unexpected {found}");
        if !expected.is_empty() && expected.len() <= 4 {
            message.push_str(", expecting ");
            message.push_str(&expected.join(" or "));
        }
        SyntaxError {
            range,
            message,
            expected,
            found,
        }
    }

    pub(crate) fn custom(range: Range<usize>, message: impl Into<String>, found: String) -> Self {
        SyntaxError {
            range,
            message: message.into(),
            expected: Vec::new(),
            found,
        }
    }
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}..{}: {}",
            self.range.start, self.range.end, self.message
        )
    }
}

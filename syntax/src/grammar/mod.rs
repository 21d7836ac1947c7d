//! The chumsky grammar over the significant tokens, and the driver that turns its output into a
//! tree and errors.
//!
//! The grammar is generic over its error type so it runs twice at most: first with chumsky's
//! zero-sized `EmptyErr`, which makes failed alternatives free, and only when that pass finds a
//! problem again with `Rich` errors that carry the expected-lists users read.

mod expr;
mod file;
mod prim;
mod stmt;

use chumsky::error::{EmptyErr, Rich, RichPattern};
use chumsky::prelude::*;
use rowan::GreenNode;

use crate::SyntaxError;
use crate::SyntaxKind::{self, *};
use crate::build::TreeBuilder;
use crate::keyword::is_keyword;
use crate::lexer::Token;
use crate::shape::Shape;

pub(crate) use prim::PTok;

pub(crate) fn parse_tokens(text: &str, tokens: &[Token]) -> (GreenNode, Vec<SyntaxError>) {
    let mut offsets = Vec::with_capacity(tokens.len() + 1);
    let mut at = 0usize;
    for t in tokens {
        offsets.push(at);
        at += t.len as usize;
    }
    offsets.push(at);

    let mut significant = Vec::with_capacity(tokens.len() / 2);
    let mut ptoks = Vec::with_capacity(tokens.len() / 2);
    let mut errors = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if t.kind.is_trivia() {
            continue;
        }
        let range = offsets[i]..offsets[i + 1];
        let kind = match t.kind {
            CRLF => {
                if !errors
                    .iter()
                    .any(|e: &SyntaxError| e.found == CRLF.describe())
                {
                    errors.push(SyntaxError::custom(
                        range.clone(),
                        "syntax error, unexpected CRLF line terminators: nft accepts only Unix line endings",
                        CRLF.describe().to_string(),
                    ));
                }
                // Parse on as if it were a newline, so the rest of the file still gets checked.
                NEWLINE
            }
            kind => kind,
        };
        significant.push(i as u32);
        ptoks.push(PTok {
            kind,
            text: &text[range],
        });
    }

    let parsed_len = nesting_limit(&ptoks).unwrap_or(ptoks.len());
    if parsed_len < ptoks.len() {
        let raw = significant[parsed_len] as usize;
        errors.push(SyntaxError::custom(
            offsets[raw]..offsets[raw + 1],
            format!(
                "nesting too deep: more than {} levels of brackets",
                crate::MAX_NESTING
            ),
            describe_found(&ptoks[parsed_len]),
        ));
    }
    let input = &ptoks[..parsed_len];

    let shape = match file::source_file::<extra::Err<EmptyErr>>()
        .parse(input)
        .into_output_errors()
    {
        (Some(shape), errs) if errs.is_empty() => shape,
        _ => {
            let (shape, errs) = file::source_file::<extra::Err<Rich<PTok>>>()
                .parse(input)
                .into_output_errors();
            let eof = offsets[significant
                .get(parsed_len)
                .map_or(tokens.len(), |&r| r as usize)];
            let byte_range = |span: SimpleSpan| {
                if span.start >= parsed_len {
                    return eof..eof;
                }
                let first = significant[span.start] as usize;
                let last = significant[span.end.clamp(span.start + 1, parsed_len) - 1] as usize;
                offsets[first]..offsets[last + 1]
            };
            errors.extend(
                errs.iter()
                    .map(|e| rich_to_syntax_error(e, byte_range(*e.span()))),
            );
            shape.unwrap_or_default()
        }
    };
    let token_range = |first: u32, last: u32| {
        offsets[significant[first as usize] as usize]
            ..offsets[significant[last as usize] as usize + 1]
    };
    errors.extend(crate::validate::validate(&shape, input, &token_range));
    let green = TreeBuilder::new(text, tokens, &offsets, &significant).build(&shape);
    errors.sort_by_key(|e| e.range.start);
    (green, errors)
}

/// The index of the first token that opens one bracket too many, if any.
fn nesting_limit(tokens: &[PTok]) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate() {
        match t.kind {
            L_CURLY | L_PAREN | L_BRACK => {
                depth += 1;
                if depth > crate::MAX_NESTING {
                    return Some(i);
                }
            }
            R_CURLY | R_PAREN | R_BRACK => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn rich_to_syntax_error(err: &Rich<PTok>, range: std::ops::Range<usize>) -> SyntaxError {
    let found = err
        .found()
        .map_or_else(|| "end of file".to_string(), |t| describe_found(t));
    let expected = err
        .expected()
        .filter_map(|pattern| match pattern {
            RichPattern::Token(t) => Some(describe_expected(t)),
            RichPattern::Label(l) => Some(l.to_string()),
            RichPattern::EndOfInput => Some("end of file".to_string()),
            _ => None,
        })
        .collect();
    if let chumsky::error::RichReason::Custom(message) = err.reason() {
        return SyntaxError::custom(range, message.to_string(), found);
    }
    SyntaxError::unexpected(range, found, expected)
}

/// How nft names a token it did not expect: keywords by their word, other words as `string`.
fn describe_found(t: &PTok) -> String {
    match t.kind {
        WORD if is_keyword(t.text) => t.text.to_string(),
        kind => kind.describe().to_string(),
    }
}

fn describe_expected(t: &PTok) -> String {
    match t.kind {
        WORD if !t.text.is_empty() => t.text.to_string(),
        kind => kind.describe().to_string(),
    }
}

impl SyntaxKind {
    fn node(self, children: Vec<Shape>) -> Vec<Shape> {
        vec![Shape::Node(self, children)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn significant(text: &str) -> Vec<PTok<'_>> {
        let mut at = 0;
        crate::lex(text)
            .iter()
            .filter_map(|t| {
                let start = at;
                at += t.len as usize;
                let kind = if t.kind == CRLF { NEWLINE } else { t.kind };
                (!t.kind.is_trivia()).then(|| PTok {
                    kind,
                    text: &text[start..at],
                })
            })
            .collect()
    }

    fn shape_with<'a, E: prim::Ex<'a>>(tokens: &'a [PTok<'a>]) -> Vec<Shape> {
        file::source_file::<E>()
            .parse(tokens)
            .into_output()
            .unwrap_or_default()
    }

    /// The fast pass takes shortcuts (first-token dispatch, lone literals); on valid input it must
    /// build exactly the shape the full grammar builds. Checked on the fixtures and, when it is
    /// beside the repository, on the corpus (whose own tests fail loudly when it is missing).
    #[test]
    fn fast_and_full_passes_agree_on_valid_files() {
        let root = env!("CARGO_MANIFEST_DIR");
        let dirs = [
            format!("{root}/tests/fixtures/ok"),
            format!("{root}/../../shared/corpus/upstream/shell-dumps"),
            format!("{root}/../../shared/corpus/real-world"),
        ];
        let mut checked = 0;
        for dir in dirs.iter().filter_map(|d| std::fs::read_dir(d).ok()) {
            for path in dir.map(|e| e.unwrap().path()) {
                let Ok(text) = std::fs::read_to_string(&path) else {
                    continue;
                };
                let tokens = significant(&text);
                let fast = shape_with::<extra::Err<EmptyErr>>(&tokens);
                let full = shape_with::<extra::Err<Rich<PTok>>>(&tokens);
                assert!(fast == full, "the passes disagree on {}", path.display());
                checked += usize::from(!full.is_empty());
            }
        }
        assert!(checked >= 10, "only {checked} files checked");
    }
}

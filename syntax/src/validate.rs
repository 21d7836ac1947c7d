//! Checks on the parsed shape for what nft rejects while reading a file but the grammar accepts
//! by shape: malformed IPv4 literals, empty strings, and `xt` statements.

use std::ops::Range;

use crate::SyntaxError;
use crate::SyntaxKind::{self, *};
use crate::grammar::PTok;
use crate::shape::Shape;

/// `range` gives the byte range of significant tokens `first..=last`.
pub(crate) fn validate(
    shape: &[Shape],
    tokens: &[PTok],
    range: &dyn Fn(u32, u32) -> Range<usize>,
) -> Vec<SyntaxError> {
    let mut errors = Vec::new();
    walk(shape, SOURCE_FILE, tokens, range, &mut errors);
    errors
}

fn walk(
    shape: &[Shape],
    parent: SyntaxKind,
    tokens: &[PTok],
    range: &dyn Fn(u32, u32) -> Range<usize>,
    errors: &mut Vec<SyntaxError>,
) {
    for element in shape {
        match element {
            Shape::Tok(i) => {
                let token = tokens[*i as usize];
                match token.kind {
                    IPV4_ADDR
                        if token
                            .text
                            .split('.')
                            .any(|octet| octet.parse::<u8>().is_err()) =>
                    {
                        errors.push(SyntaxError::custom(
                            range(*i, *i),
                            format!(
                                "invalid IPv4 address {}: each part must be 0 to 255",
                                token.text
                            ),
                            "string".to_string(),
                        ));
                    }
                    QUOTED_STRING if token.text == "\"\"" && parent == LITERAL => {
                        errors.push(SyntaxError::custom(
                            range(*i, *i),
                            "Empty string is not allowed",
                            "quoted string".to_string(),
                        ))
                    }
                    _ => {}
                }
            }
            Shape::Node(XT_STMT, children) => {
                let (first, last) = (first_token(children), last_token(children));
                if let (Some(first), Some(last)) = (first, last) {
                    errors.push(SyntaxError::custom(
                        range(first, last),
                        "unsupported xtables compat expression, use iptables-nft with this ruleset",
                        "xt".to_string(),
                    ));
                }
            }
            Shape::Node(kind, children) => walk(children, *kind, tokens, range, errors),
        }
    }
}

pub(crate) fn first_token(shape: &[Shape]) -> Option<u32> {
    shape.iter().find_map(|c| match c {
        Shape::Tok(i) => Some(*i),
        Shape::Node(_, kids) => first_token(kids),
    })
}

fn last_token(shape: &[Shape]) -> Option<u32> {
    shape.iter().rev().find_map(|c| match c {
        Shape::Tok(i) => Some(*i),
        Shape::Node(_, kids) => last_token(kids),
    })
}

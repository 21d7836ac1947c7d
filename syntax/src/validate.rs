//! Checks on the finished tree for what nft rejects while reading a file but the grammar accepts
//! by shape: malformed address literals, empty strings, and `xt` statements.

use rowan::NodeOrToken;

use crate::SyntaxError;
use crate::SyntaxKind::*;
use crate::SyntaxNode;

pub(crate) fn validate(root: &SyntaxNode) -> Vec<SyntaxError> {
    let mut errors = Vec::new();
    for element in root.descendants_with_tokens() {
        let range = element.text_range();
        let range = usize::from(range.start())..usize::from(range.end());
        match element {
            NodeOrToken::Token(token) => match token.kind() {
                IPV4_ADDR
                    if token
                        .text()
                        .split('.')
                        .any(|octet| octet.parse::<u8>().is_err()) =>
                {
                    errors.push(SyntaxError::custom(
                        range,
                        format!(
                            "invalid IPv4 address {}: each part must be 0 to 255",
                            token.text()
                        ),
                        "string".to_string(),
                    ));
                }
                QUOTED_STRING
                    if token.text() == "\"\""
                        && token.parent().is_some_and(|p| p.kind() == LITERAL) =>
                {
                    errors.push(SyntaxError::custom(
                        range,
                        "Empty string is not allowed",
                        "quoted string".to_string(),
                    ));
                }
                _ => {}
            },
            NodeOrToken::Node(node) if node.kind() == XT_STMT => errors.push(SyntaxError::custom(
                range,
                "unsupported xtables compat expression, use iptables-nft with this ruleset",
                "xt".to_string(),
            )),
            NodeOrToken::Node(_) => {}
        }
    }
    errors
}

//! Which statements name a stateful object of their table (`counter name "hits"`,
//! `ct helper set "ftp"`), shared by the model and by an editor's navigation.

use nftlint_syntax::SyntaxKind::*;
use nftlint_syntax::SyntaxNode;

/// The kind of object (`counter`, `ct helper` ...) a `name` option or a `set` statement names,
/// and the quoted string that names it. nft reads a bare word there as a symbol, not a name.
pub(crate) fn object_reference(node: &SyntaxNode) -> Option<(&'static str, SyntaxNode)> {
    let kind = match node.kind() {
        STMT_OPTION if first_word(node) == Some("name".to_string()) => {
            match node.parent()?.kind() {
                COUNTER_STMT => "counter",
                LIMIT_STMT => "limit",
                QUOTA_STMT => "quota",
                SYNPROXY_STMT => "synproxy",
                TUNNEL_STMT => "tunnel",
                _ => return None,
            }
        }
        // `ct helper set "ftp"`, `ct timeout set "t"`, `ct expectation set "e"`,
        // `meta secmark set "s"`.
        SET_STMT => {
            let words = words(&node.first_child()?);
            match words
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .as_slice()
            {
                ["ct", "helper"] => "ct helper",
                ["ct", "timeout"] => "ct timeout",
                ["ct", "expectation"] => "ct expectation",
                ["meta", "secmark"] => "secmark",
                _ => return None,
            }
        }
        _ => return None,
    };
    let name = node
        .children()
        .filter(|c| c.kind() == LITERAL)
        .last()
        .filter(|l| l.text().to_string().starts_with('"'))?;
    Some((kind, name))
}

fn words(node: &SyntaxNode) -> Vec<String> {
    node.children_with_tokens()
        .filter_map(|e| e.into_token())
        .filter(|t| t.kind() == WORD)
        .map(|t| t.text().to_string())
        .collect()
}

fn first_word(node: &SyntaxNode) -> Option<String> {
    words(node).into_iter().next()
}

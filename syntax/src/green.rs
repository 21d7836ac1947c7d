//! A green-tree builder for the tree builder. rowan's own `GreenNodeBuilder` hashes every token
//! and every small node into a growing cache; here nodes are built directly, and tokens are
//! shared through a small direct-mapped cache: most are whitespace, punctuation and keywords
//! that repeat all the time, and a collision only costs the allocation the cache would save.

use rowan::{GreenNode, GreenToken, NodeOrToken};

use crate::SyntaxKind;

/// Slots of the token cache; a power of two.
const TOKEN_SLOTS: usize = 1024;

pub(crate) struct GreenBuilder {
    /// The finished children of the nodes being built, innermost last.
    children: Vec<NodeOrToken<GreenNode, GreenToken>>,
    /// Each node being built, and where its children start in `children`.
    parents: Vec<(SyntaxKind, usize)>,
    tokens: Vec<Option<GreenToken>>,
}

impl GreenBuilder {
    pub(crate) fn new() -> Self {
        GreenBuilder {
            children: Vec::new(),
            parents: Vec::new(),
            tokens: vec![None; TOKEN_SLOTS],
        }
    }

    pub(crate) fn start_node(&mut self, kind: SyntaxKind) {
        self.parents.push((kind, self.children.len()));
    }

    pub(crate) fn finish_node(&mut self) {
        let (kind, first) = self.parents.pop().expect("finish_node after start_node");
        let node = GreenNode::new(kind.into(), self.children.drain(first..));
        self.children.push(NodeOrToken::Node(node));
    }

    pub(crate) fn token(&mut self, kind: SyntaxKind, text: &str) {
        let token = if repeats(kind) {
            let slot = &mut self.tokens[slot(kind, text)];
            match slot {
                Some(token) if token.kind() == kind.into() && token.text() == text => token.clone(),
                _ => slot.insert(GreenToken::new(kind.into(), text)).clone(),
            }
        } else {
            GreenToken::new(kind.into(), text)
        };
        self.children.push(NodeOrToken::Token(token));
    }

    /// The root, once every node started is finished.
    pub(crate) fn finish(mut self) -> GreenNode {
        match self.children.pop() {
            Some(NodeOrToken::Node(root)) if self.parents.is_empty() => root,
            _ => panic!("the tree builder finishes with one root node"),
        }
    }
}

/// Whether tokens of `kind` often have the same text; addresses, numbers, strings and comments
/// rarely do.
fn repeats(kind: SyntaxKind) -> bool {
    !matches!(
        kind,
        SyntaxKind::NUMBER
            | SyntaxKind::QUOTED_STRING
            | SyntaxKind::IPV4_ADDR
            | SyntaxKind::IPV6_ADDR
            | SyntaxKind::MAC_ADDR
            | SyntaxKind::COMMENT
    )
}

/// The cache slot of a token: a hash of its kind and up to its first eight bytes and length.
fn slot(kind: SyntaxKind, text: &str) -> usize {
    let bytes = text.as_bytes();
    let mut head = [0u8; 8];
    let n = bytes.len().min(8);
    head[..n].copy_from_slice(&bytes[..n]);
    let key = u64::from_le_bytes(head) ^ ((bytes.len() as u64) << 56) ^ (kind as u64);
    (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - TOKEN_SLOTS.trailing_zeros())) as usize
}

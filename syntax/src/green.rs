//! A green-tree builder for the tree builder. rowan's own `GreenNodeBuilder` hashes every token
//! and every small node into a growing cache, and rehashes whole subtrees as it grows. Here small
//! direct-mapped caches share what repeats: tokens (most are whitespace, punctuation and
//! keywords) and nodes of at most three shared children (`ip saddr`, `accept`). A collision only
//! costs the allocation the cache would have saved.

use rowan::{GreenNode, GreenNodeData, GreenToken, GreenTokenData, NodeOrToken};

use crate::SyntaxKind;

/// Slots of each cache; a power of two.
const SLOTS: usize = 1024;
/// Nodes with more children are rarely alike.
const MAX_SHARED_CHILDREN: usize = 3;

/// A finished tree element, and whether it came from a cache.
pub(crate) type Element = (NodeOrToken<GreenNode, GreenToken>, bool);

pub(crate) struct GreenBuilder {
    /// The finished children of the nodes being built, innermost last.
    children: Vec<Element>,
    /// Each node being built, and where its children start in `children`.
    parents: Vec<(SyntaxKind, usize)>,
    tokens: Vec<Option<GreenToken>>,
    nodes: Vec<Option<GreenNode>>,
}

impl GreenBuilder {
    pub(crate) fn new() -> Self {
        GreenBuilder {
            children: Vec::new(),
            parents: Vec::new(),
            tokens: vec![None; SLOTS],
            nodes: vec![None; SLOTS],
        }
    }

    pub(crate) fn start_node(&mut self, kind: SyntaxKind) {
        self.parents.push((kind, self.children.len()));
    }

    pub(crate) fn finish_node(&mut self) {
        let (kind, first) = self.parents.pop().expect("finish_node after start_node");
        let children = &self.children[first..];
        let shareable =
            children.len() <= MAX_SHARED_CHILDREN && children.iter().all(|(_, shared)| *shared);
        if !shareable {
            let node = GreenNode::new(kind.into(), self.children.drain(first..).map(|(c, _)| c));
            self.children.push((NodeOrToken::Node(node), false));
            return;
        }
        let mut key = kind as u64;
        for (child, _) in children {
            key = (key.rotate_left(5) ^ element_id(child) as u64).wrapping_mul(MULTIPLIER);
        }
        let slot = &mut self.nodes[slot_of(key)];
        let node = match slot {
            Some(node)
                if node.kind() == kind.into()
                    && node.children().len() == children.len()
                    && node
                        .children()
                        .zip(children)
                        .all(|(a, (b, _))| data_id(a) == element_id(b)) =>
            {
                let node = node.clone();
                self.children.truncate(first);
                node
            }
            _ => {
                let node =
                    GreenNode::new(kind.into(), self.children.drain(first..).map(|(c, _)| c));
                slot.insert(node).clone()
            }
        };
        self.children.push((NodeOrToken::Node(node), true));
    }

    pub(crate) fn token(&mut self, kind: SyntaxKind, text: &str) {
        if !repeats(kind) {
            let token = GreenToken::new(kind.into(), text);
            self.children.push((NodeOrToken::Token(token), false));
            return;
        }
        let slot = &mut self.tokens[token_slot(kind, text)];
        let token = match slot {
            Some(token) if token.kind() == kind.into() && token.text() == text => token.clone(),
            _ => slot.insert(GreenToken::new(kind.into(), text)).clone(),
        };
        self.children.push((NodeOrToken::Token(token), true));
    }

    /// Children another builder made, for the node being built.
    pub(crate) fn extend(&mut self, children: Vec<Element>) {
        self.children.extend(children);
    }

    /// The elements built outside any node, once every node started is finished.
    pub(crate) fn into_children(self) -> Vec<Element> {
        assert!(self.parents.is_empty(), "every node started is finished");
        self.children
    }

    /// The root, once every node started is finished.
    pub(crate) fn finish(mut self) -> GreenNode {
        match self.children.pop() {
            Some((NodeOrToken::Node(root), _)) if self.parents.is_empty() => root,
            _ => panic!("the tree builder finishes with one root node"),
        }
    }
}

/// Whether tokens of `kind` often have the same text; addresses, strings and comments rarely do.
fn repeats(kind: SyntaxKind) -> bool {
    !matches!(
        kind,
        SyntaxKind::QUOTED_STRING
            | SyntaxKind::IPV4_ADDR
            | SyntaxKind::IPV6_ADDR
            | SyntaxKind::MAC_ADDR
            | SyntaxKind::COMMENT
    )
}

const MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;

fn slot_of(key: u64) -> usize {
    (key.wrapping_mul(MULTIPLIER) >> (64 - SLOTS.trailing_zeros())) as usize
}

/// The cache slot of a token: from its kind, its length and up to its first eight bytes.
fn token_slot(kind: SyntaxKind, text: &str) -> usize {
    let head = text
        .bytes()
        .take(8)
        .fold(0u64, |key, b| key << 8 | u64::from(b));
    slot_of(head ^ ((text.len() as u64) << 56) ^ (kind as u64))
}

/// Identity of a tree element, for the node cache: shared children are compared by address.
fn element_id(element: &NodeOrToken<GreenNode, GreenToken>) -> *const () {
    match element {
        NodeOrToken::Node(node) => ptr(&**node),
        NodeOrToken::Token(token) => ptr(&**token),
    }
}

fn data_id(element: NodeOrToken<&GreenNodeData, &GreenTokenData>) -> *const () {
    match element {
        NodeOrToken::Node(node) => ptr(node),
        NodeOrToken::Token(token) => ptr(token),
    }
}

fn ptr<T>(data: &T) -> *const () {
    (data as *const T).cast()
}

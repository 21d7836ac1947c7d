//! Reading a node's tokens and descendants straight from its green tree. Every node and token a
//! `SyntaxNode` walk visits is allocated and freed again; the green tree is read in place, so the
//! reads that run for every statement of a ruleset use these instead.

use std::ops::ControlFlow;

use nftlint_syntax::{NftLanguage, SyntaxKind, SyntaxNode, TextSize};
use rowan::{Children, GreenNodeData, GreenTokenData, Language, NodeOrToken};
use smallvec::{SmallVec, smallvec};

/// A node or token of a green tree, with where it starts in its file.
pub(crate) type Element<'g> = (NodeOrToken<&'g GreenNodeData, &'g GreenTokenData>, TextSize);

/// The kind of a green node or token.
pub(crate) fn kind(element: NodeOrToken<&GreenNodeData, &GreenTokenData>) -> SyntaxKind {
    NftLanguage::kind_from_raw(match element {
        NodeOrToken::Node(node) => node.kind(),
        NodeOrToken::Token(token) => token.kind(),
    })
}

/// The kind of a green node.
pub(crate) fn node_kind(node: &GreenNodeData) -> SyntaxKind {
    kind(NodeOrToken::Node(node))
}

/// Visits the descendants of `node`, which starts at `start`, in preorder (not `node` itself),
/// until `visit` breaks.
pub(crate) fn try_descendants<'g, B>(
    node: &'g GreenNodeData,
    start: TextSize,
    mut visit: impl FnMut(Element<'g>) -> ControlFlow<B>,
) -> Option<B> {
    let mut offset = start;
    // The children left to visit on each level. A loop rather than recursion, so that hostile
    // nesting cannot overflow the call stack; the few levels of a statement need no allocation.
    let mut levels: SmallVec<[Children<'g>; 8]> = smallvec![node.children()];
    while let Some(level) = levels.last_mut() {
        let Some(child) = level.next() else {
            levels.pop();
            continue;
        };
        if let ControlFlow::Break(found) = visit((child, offset)) {
            return Some(found);
        }
        match child {
            NodeOrToken::Node(node) => levels.push(node.children()),
            NodeOrToken::Token(token) => offset += token.text_len(),
        }
    }
    None
}

/// Calls `visit` with the kind and text of each token of `node`, in order.
pub(crate) fn for_each_token<'g>(
    node: &'g GreenNodeData,
    mut visit: impl FnMut(SyntaxKind, &'g str),
) {
    try_descendants::<()>(node, TextSize::default(), |(element, _)| {
        if let NodeOrToken::Token(token) = element {
            visit(kind(element), token.text());
        }
        ControlFlow::Continue(())
    });
}

/// Where the first token of `node`, which starts at `start`, that is not trivia starts.
pub(crate) fn first_significant(node: &GreenNodeData, start: TextSize) -> Option<TextSize> {
    try_descendants(node, start, |(element, offset)| match element {
        NodeOrToken::Token(_) if !kind(element).is_trivia() => ControlFlow::Break(offset),
        _ => ControlFlow::Continue(()),
    })
}

/// Whether some node among the descendants of `node` satisfies `predicate`.
pub(crate) fn any_descendant(
    node: &GreenNodeData,
    mut predicate: impl FnMut(&GreenNodeData) -> bool,
) -> bool {
    try_descendants(node, TextSize::default(), |(element, _)| match element {
        NodeOrToken::Node(node) if predicate(node) => ControlFlow::Break(()),
        _ => ControlFlow::Continue(()),
    })
    .is_some()
}

/// Whether `node` has a descendant node of one of these kinds.
pub(crate) fn holds(node: &SyntaxNode, kinds: &[SyntaxKind]) -> bool {
    any_descendant(node.green(), |n| kinds.contains(&node_kind(n)))
}

/// The child nodes of `node`, with where each starts.
pub(crate) fn child_nodes(node: &SyntaxNode) -> impl Iterator<Item = (&GreenNodeData, TextSize)> {
    children_at(node.green(), node.text_range().start())
}

/// The child nodes of `node`, which starts at `start`, with where each starts.
pub(crate) fn children_at(
    node: &GreenNodeData,
    start: TextSize,
) -> impl Iterator<Item = (&GreenNodeData, TextSize)> {
    let mut offset = start;
    node.children().filter_map(move |child| {
        let start = offset;
        offset += match child {
            NodeOrToken::Node(node) => node.text_len(),
            NodeOrToken::Token(token) => token.text_len(),
        };
        Some((child.into_node()?, start))
    })
}

/// The kind and text of each token directly in `node`, not in its child nodes.
pub(crate) fn child_tokens(node: &GreenNodeData) -> impl Iterator<Item = (SyntaxKind, &str)> {
    node.children().filter_map(|child| {
        let token = child.into_token()?;
        Some((kind(child), token.text()))
    })
}

/// The first child node of `node`.
pub(crate) fn first_child(node: &GreenNodeData) -> Option<&GreenNodeData> {
    node.children().find_map(NodeOrToken::into_node)
}

/// The first token of `node` that is not trivia, however deep: the comment lines above a rule,
/// a property or a set element are inside its node, before its first word.
pub(crate) fn first_token(node: &GreenNodeData) -> Option<&GreenTokenData> {
    try_descendants(node, TextSize::default(), |(element, _)| match element {
        NodeOrToken::Token(token) if !kind(element).is_trivia() => ControlFlow::Break(token),
        _ => ControlFlow::Continue(()),
    })
}

/// The text of `node` from its first token that is not trivia on: without the comment lines
/// above it that the tree keeps inside it.
pub(crate) fn significant_text(node: &SyntaxNode) -> String {
    let range = node.text_range();
    let start = first_significant(node.green(), range.start()).unwrap_or(range.end());
    let text = node.text();
    text.slice(start - range.start()..range.len()).to_string()
}

/// The set or map a `SET_REF` node (`@name`) names.
pub(crate) fn set_ref_name(node: &GreenNodeData) -> String {
    node.to_string().trim_start_matches('@').trim().to_string()
}

/// The text of the first token of `node`, however deep.
pub(crate) fn first_word(node: &GreenNodeData) -> Option<&str> {
    first_token(node).map(GreenTokenData::text)
}

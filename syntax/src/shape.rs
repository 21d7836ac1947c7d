//! What the grammar produces: node kinds over indices of significant tokens. The tree builder
//! turns it into a rowan tree by adding the trivia back.

use crate::SyntaxKind;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shape {
    Node(SyntaxKind, Vec<Shape>),
    /// Index into the significant tokens.
    Tok(u32),
}

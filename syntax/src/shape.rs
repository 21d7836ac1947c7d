//! What the grammar produces: node kinds over indices of significant tokens. The tree builder
//! turns it into a rowan tree by adding the trivia back.

use crate::SyntaxKind;

/// The chumsky grammar's output: a tree of nodes over significant tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shape {
    Node(SyntaxKind, Vec<Shape>),
    /// Index into the significant tokens.
    Tok(u32),
}

/// The same tree as a flat list, in source order: what the tree builder and the checks read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Event {
    Start(SyntaxKind),
    /// Index into the significant tokens.
    Tok(u32),
    Finish,
}

/// Appends the events of `shapes` to `out`.
pub(crate) fn flatten(shapes: &[Shape], out: &mut Vec<Event>) {
    for shape in shapes {
        match shape {
            Shape::Tok(i) => out.push(Event::Tok(*i)),
            Shape::Node(kind, children) => {
                out.push(Event::Start(*kind));
                flatten(children, out);
                out.push(Event::Finish);
            }
        }
    }
}

//! nftlint-syntax: a lossless parser for the nftables language.
//!
//! ```
//! let parse = nftlint_syntax::parse("table inet filter {\n}\n");
//! assert!(parse.errors().is_empty());
//! assert_eq!(parse.syntax().to_string(), "table inet filter {\n}\n");
//! ```

pub mod ast;
mod build;
mod error;
mod fxhash;
mod grammar;
mod green;
mod keyword;
mod kind;
mod lexer;
mod shape;
mod validate;

pub use error::SyntaxError;
pub use grammar::keep_buffers_between_parses;
pub use kind::{NftLanguage, SyntaxElement, SyntaxKind, SyntaxNode, SyntaxToken};
pub use lexer::{Token, lex};
pub use rowan::{TextRange, TextSize};

use rowan::GreenNode;

/// Deepest nesting of `{`, `(` and `[` the parser accepts. Real rulesets stay below ten; the bound
/// keeps hostile input from exhausting the stack.
pub const MAX_NESTING: usize = 64;

/// The result of parsing one file: a lossless tree and the syntax errors, in source order.
#[derive(Debug, Clone)]
pub struct Parse {
    green: GreenNode,
    errors: Vec<SyntaxError>,
}

impl Parse {
    pub fn syntax(&self) -> SyntaxNode {
        SyntaxNode::new_root(self.green.clone())
    }

    pub fn tree(&self) -> ast::SourceFile {
        <ast::SourceFile as ast::AstNode>::cast(self.syntax())
            .expect("the root is always a SOURCE_FILE")
    }

    pub fn errors(&self) -> &[SyntaxError] {
        &self.errors
    }

    /// The tree in rust-analyzer's debug layout: one element a line, two spaces per level,
    /// `KIND@start..end` for nodes and `KIND@start..end "text"` for tokens.
    pub fn debug_tree(&self) -> String {
        debug_tree(&self.syntax())
    }
}

/// Parses a whole file. Never fails and never panics: problems become errors and `ERROR` nodes.
pub fn parse(text: &str) -> Parse {
    let (green, errors) = grammar::parse_text(text);
    Parse { green, errors }
}

pub fn debug_tree(node: &SyntaxNode) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let mut depth = 0usize;
    for event in node.preorder_with_tokens() {
        match event {
            rowan::WalkEvent::Enter(element) => {
                let range = element.text_range();
                let (start, end) = (u32::from(range.start()), u32::from(range.end()));
                let _ = write!(
                    out,
                    "{:indent$}{:?}@{start}..{end}",
                    "",
                    element.kind(),
                    indent = depth * 2
                );
                if let rowan::NodeOrToken::Token(token) = &element {
                    let _ = write!(out, " {}", json_string(token.text()));
                }
                out.push('\n');
                if element.as_node().is_some() {
                    depth += 1;
                }
            }
            rowan::WalkEvent::Leave(element) => {
                if element.as_node().is_some() {
                    depth -= 1;
                }
            }
        }
    }
    out
}

/// Escapes text as a JSON string literal.
fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

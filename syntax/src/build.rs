//! Builds the lossless rowan tree from all tokens and the grammar's shape.
//!
//! Trivia is emitted where it stands; a comment run directly before a node goes inside that node,
//! as rust-analyzer attaches doc comments. Significant tokens the shape never consumed are wrapped
//! in `ERROR` nodes, so `tree.to_string() == source` holds for any input.

use rowan::GreenNode;

use crate::SyntaxKind::{self, *};
use crate::green::GreenBuilder;
use crate::lexer::Token;
use crate::shape::Event;

pub(crate) struct TreeBuilder<'t> {
    text: &'t str,
    tokens: &'t [Token],
    /// Byte offset of each token.
    offsets: &'t [usize],
    /// Raw index of each significant token.
    significant: &'t [u32],
    /// Next raw token to emit.
    cursor: usize,
    /// Nodes entered whose first token has not been emitted yet, outermost first.
    pending: Vec<SyntaxKind>,
    builder: GreenBuilder,
}

impl<'t> TreeBuilder<'t> {
    /// `offsets` holds the byte offset of each token and, last, the length of the text.
    pub(crate) fn new(
        text: &'t str,
        tokens: &'t [Token],
        offsets: &'t [usize],
        significant: &'t [u32],
    ) -> Self {
        TreeBuilder {
            text,
            tokens,
            offsets,
            significant,
            cursor: 0,
            pending: Vec::new(),
            builder: GreenBuilder::new(),
        }
    }

    pub(crate) fn build(mut self, events: &[Event]) -> GreenNode {
        self.builder.start_node(SOURCE_FILE);
        // For each node entered, how many nodes were pending when it was.
        let mut entered = Vec::new();
        for event in events {
            match *event {
                Event::Tok(i) => self.significant_token(i),
                Event::Start(kind) => {
                    entered.push(self.pending.len());
                    self.pending.push(kind);
                }
                Event::Finish => {
                    let depth = entered.pop().unwrap_or_default();
                    if self.pending.len() > depth {
                        // No token arrived: the node was never started; leave it out.
                        self.pending.truncate(depth);
                    } else {
                        self.builder.finish_node();
                    }
                }
            }
        }
        self.flush_until(self.tokens.len());
        self.builder.finish_node();
        self.builder.finish()
    }

    /// Nodes start lazily, when their first token arrives, so trivia in front of a node can go
    /// outside it (whitespace) or inside it (the comment lines just above it).
    fn significant_token(&mut self, i: u32) {
        let raw = self.significant[i as usize] as usize;
        if !self.pending.is_empty() {
            let attached = self.attached_comments_start(raw);
            self.flush_until(attached);
            for kind in self.pending.drain(..) {
                self.builder.start_node(kind);
            }
        }
        self.flush_until(raw);
        self.token(raw);
    }

    /// Where the run of comment lines directly above raw token `first` starts.
    fn attached_comments_start(&self, first: usize) -> usize {
        let mut start = first;
        let mut i = first;
        while i > self.cursor {
            match self.tokens[i - 1].kind {
                WHITESPACE => i -= 1,
                COMMENT if self.comment_owns_line(i - 1) => {
                    i -= 1;
                    start = i;
                }
                _ => break,
            }
        }
        start
    }

    fn comment_owns_line(&self, raw: usize) -> bool {
        self.text[self.offsets[raw]..self.offsets[raw + 1]].ends_with('\n')
    }

    /// Emits trivia up to raw token `end`; significant tokens nobody consumed become ERROR nodes.
    fn flush_until(&mut self, end: usize) {
        while self.cursor < end {
            if self.tokens[self.cursor].kind.is_trivia() {
                self.token(self.cursor);
                continue;
            }
            self.builder.start_node(ERROR);
            while self.cursor < end {
                // Take trivia inside the run, but leave trailing trivia outside the ERROR node.
                let next_significant =
                    (self.cursor..end).find(|&i| !self.tokens[i].kind.is_trivia());
                match next_significant {
                    Some(i) => {
                        while self.cursor <= i {
                            self.token(self.cursor);
                        }
                    }
                    None => break,
                }
            }
            self.builder.finish_node();
        }
    }

    fn token(&mut self, raw: usize) {
        debug_assert_eq!(raw, self.cursor);
        let kind: SyntaxKind = self.tokens[raw].kind;
        let text = &self.text[self.offsets[raw]..self.offsets[raw + 1]];
        self.builder.token(kind, text);
        self.cursor = raw + 1;
    }
}

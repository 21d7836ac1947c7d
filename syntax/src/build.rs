//! Builds the lossless rowan tree from all tokens and the grammar's shape.
//!
//! Trivia is emitted where it stands; a comment run directly before a node goes inside that node
//! (the outermost of those starting at the same token), as rust-analyzer attaches doc comments.
//! Significant tokens the shape never consumed are wrapped in `ERROR` nodes, so
//! `tree.to_string() == source` holds for any input.

use std::ops::Range;

use rowan::GreenNode;

use crate::SyntaxKind::{self, *};
use crate::green::{Element, GreenBuilder};
use crate::lexer::Token;
use crate::shape::Event;

/// The text as all its tokens, trivia included: what a tree is built over.
#[derive(Clone, Copy)]
pub(crate) struct Raw<'t> {
    pub text: &'t str,
    pub tokens: &'t [Token],
    /// Byte offset of each token and, last, the length of the text.
    pub offsets: &'t [usize],
    /// Raw index of each significant token.
    pub significant: &'t [u32],
}

pub(crate) struct TreeBuilder<'t> {
    raw: Raw<'t>,
    /// Next raw token to emit.
    cursor: usize,
    /// Nodes entered whose first token has not been emitted yet, outermost first.
    pending: Vec<SyntaxKind>,
    /// For each node entered, how many nodes were pending when it was.
    entered: Vec<usize>,
    builder: GreenBuilder,
}

/// Part of the tree another thread builds: the run of events it covers, and, once that thread is
/// done, the elements and the raw tokens they cover. The builder takes them where the run starts
/// if it stands at that raw token with no node pending, as the other thread assumed.
pub(crate) struct Later<'a> {
    pub events: Range<usize>,
    pub built: Box<dyn FnOnce() -> Option<Part> + 'a>,
}

/// Elements built apart, and the raw tokens they cover.
pub(crate) type Part = (Vec<Element>, Range<usize>);

impl<'t> TreeBuilder<'t> {
    pub(crate) fn new(raw: Raw<'t>) -> Self {
        TreeBuilder {
            raw,
            cursor: 0,
            pending: Vec::new(),
            entered: Vec::new(),
            builder: GreenBuilder::new(),
        }
    }

    /// The tree, and whether it took the part built elsewhere.
    pub(crate) fn build(mut self, events: &[Event], later: Option<Later>) -> (GreenNode, bool) {
        self.builder.start_node(SOURCE_FILE);
        let mut took = false;
        match later {
            Some(Later { events: run, built }) => {
                self.run(&events[..run.start]);
                match built() {
                    Some((elements, tokens))
                        if self.cursor == tokens.start && self.pending.is_empty() =>
                    {
                        self.builder.extend(elements);
                        self.cursor = tokens.end;
                        took = true;
                    }
                    _ => self.run(&events[run.clone()]),
                }
                self.run(&events[run.end..]);
            }
            None => self.run(events),
        }
        self.flush_until(self.raw.tokens.len());
        self.builder.finish_node();
        (self.builder.finish(), took)
    }

    /// The elements of a run of events whose nodes all end in it, from raw token `from` on, and
    /// the raw tokens they cover (trivia after the last significant one is left to whoever
    /// goes on from there).
    pub(crate) fn build_part(mut self, events: &[Event], from: usize) -> (Vec<Element>, usize) {
        self.cursor = from;
        self.run(events);
        (self.builder.into_children(), self.cursor)
    }

    fn run(&mut self, events: &[Event]) {
        for event in events {
            match *event {
                Event::Tok(i) => self.significant_token(i),
                Event::Start(kind) => {
                    self.entered.push(self.pending.len());
                    self.pending.push(kind);
                }
                Event::Finish => {
                    let depth = self.entered.pop().unwrap_or_default();
                    if self.pending.len() > depth {
                        // No token arrived: the node was never started; leave it out.
                        self.pending.truncate(depth);
                    } else {
                        self.builder.finish_node();
                    }
                }
            }
        }
    }

    /// Nodes start lazily, when their first token arrives, so trivia in front of a node can go
    /// outside it (whitespace) or inside it (the comment lines just above it). Comments go into
    /// the outermost of the nodes starting there (the rule, the set element), never into the
    /// statement or value inside it: those start at their first word, where readers look.
    fn significant_token(&mut self, i: u32) {
        let raw = self.raw.significant[i as usize] as usize;
        if !self.pending.is_empty() {
            let attached = self.attached_comments_start(raw);
            self.flush_until(attached);
            let pending = std::mem::take(&mut self.pending);
            let (outermost, inner) = pending.split_first().expect("not empty");
            self.builder.start_node(*outermost);
            self.flush_until(raw);
            for &kind in inner {
                self.builder.start_node(kind);
            }
            // The buffer keeps its room for the next nodes.
            self.pending = pending;
            self.pending.clear();
        }
        self.flush_until(raw);
        self.token(raw);
    }

    /// Where the run of comment lines directly above raw token `first` starts.
    fn attached_comments_start(&self, first: usize) -> usize {
        let mut start = first;
        let mut i = first;
        while i > self.cursor {
            match self.raw.tokens[i - 1].kind {
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
        self.raw.text[self.raw.offsets[raw]..self.raw.offsets[raw + 1]].ends_with('\n')
    }

    /// Emits trivia up to raw token `end`; significant tokens nobody consumed become ERROR nodes.
    fn flush_until(&mut self, end: usize) {
        while self.cursor < end {
            if self.raw.tokens[self.cursor].kind.is_trivia() {
                self.token(self.cursor);
                continue;
            }
            self.builder.start_node(ERROR);
            while self.cursor < end {
                // Take trivia inside the run, but leave trailing trivia outside the ERROR node.
                let next_significant =
                    (self.cursor..end).find(|&i| !self.raw.tokens[i].kind.is_trivia());
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
        let kind: SyntaxKind = self.raw.tokens[raw].kind;
        let text = &self.raw.text[self.raw.offsets[raw]..self.raw.offsets[raw + 1]];
        self.builder.token(kind, text);
        self.cursor = raw + 1;
    }
}

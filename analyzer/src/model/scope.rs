//! `define` scopes as nft keeps them: the file level (shared with included files), then one per
//! table and per chain. A define is visible after it, in its scope and the scopes inside it.

use std::collections::HashMap;

use nftlint_syntax::SyntaxNode;

use super::{Define, Loc};

#[derive(Debug, Default)]
pub(crate) struct Scopes {
    /// Indices into the model's defines, innermost scope last.
    frames: Vec<Vec<usize>>,
    /// The visible defines of each name, the one a `$name` means last. A define always goes
    /// into the innermost scope, so the latest visible define of a name is the innermost one;
    /// a ruleset may hold thousands of defines, which a search of the scopes would read for
    /// every variable.
    by_name: HashMap<String, Vec<usize>>,
}

impl Scopes {
    pub(crate) fn new() -> Self {
        Scopes {
            frames: vec![Vec::new()],
            by_name: HashMap::new(),
        }
    }

    pub(crate) fn push(&mut self) {
        self.frames.push(Vec::new());
    }

    pub(crate) fn pop(&mut self, defines: &[Define]) {
        for i in self.frames.pop().into_iter().flatten().rev() {
            if let Some(visible) = self.by_name.get_mut(&defines[i].name) {
                visible.pop();
            }
        }
    }

    pub(crate) fn lookup(&self, name: &str) -> Option<usize> {
        self.by_name.get(name)?.last().copied()
    }

    /// `define NAME`: an error (the earlier define is returned) when the name is already visible.
    /// `redefine` rebinds instead.
    pub(crate) fn define(
        &mut self,
        defines: &mut Vec<Define>,
        name: String,
        loc: Loc,
        value: Option<SyntaxNode>,
        redefine: bool,
    ) -> Result<(), usize> {
        if let Some(existing) = self.lookup(&name) {
            if !redefine {
                return Err(existing);
            }
            self.undefine(&name);
        }
        let i = defines.len();
        self.by_name.entry(name.clone()).or_default().push(i);
        defines.push(Define {
            name,
            loc,
            value: value.map(|v| (v.green().to_owned(), v.text_range().start())),
            used: false,
        });
        self.frames
            .last_mut()
            .expect("the file scope is never popped")
            .push(i);
        Ok(())
    }

    /// `undefine NAME`: whether the name was visible.
    pub(crate) fn undefine(&mut self, name: &str) -> bool {
        let Some(i) = self.by_name.get_mut(name).and_then(Vec::pop) else {
            return false;
        };
        for frame in self.frames.iter_mut().rev() {
            if let Some(at) = frame.iter().rposition(|&j| j == i) {
                frame.remove(at);
                break;
            }
        }
        true
    }

    /// Every visible name, for "did you mean" suggestions.
    pub(crate) fn visible<'s, 'd: 's>(
        &'s self,
        defines: &'d [Define],
    ) -> impl Iterator<Item = &'d str> + 's {
        self.frames
            .iter()
            .flatten()
            .map(move |&i| defines[i].name.as_str())
    }
}

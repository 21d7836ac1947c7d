//! `define` scopes as nft keeps them: the file level (shared with included files), then one per
//! table and per chain. A define is visible after it, in its scope and the scopes inside it.

use nftlint_syntax::SyntaxNode;

use super::{Define, Loc};

#[derive(Debug, Default)]
pub(crate) struct Scopes {
    /// Indices into the model's defines, innermost scope last.
    frames: Vec<Vec<usize>>,
}

impl Scopes {
    pub(crate) fn new() -> Self {
        Scopes {
            frames: vec![Vec::new()],
        }
    }

    pub(crate) fn push(&mut self) {
        self.frames.push(Vec::new());
    }

    pub(crate) fn pop(&mut self) {
        self.frames.pop();
    }

    pub(crate) fn lookup(&self, defines: &[Define], name: &str) -> Option<usize> {
        self.frames
            .iter()
            .rev()
            .flat_map(|frame| frame.iter().rev())
            .copied()
            .find(|&i| defines[i].name == name)
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
        if let Some(existing) = self.lookup(defines, &name) {
            if !redefine {
                return Err(existing);
            }
            self.undefine(defines, &name);
        }
        defines.push(Define {
            name,
            loc,
            value,
            used: false,
        });
        self.frames
            .last_mut()
            .expect("the file scope is never popped")
            .push(defines.len() - 1);
        Ok(())
    }

    /// `undefine NAME`: whether the name was visible.
    pub(crate) fn undefine(&mut self, defines: &[Define], name: &str) -> bool {
        for frame in self.frames.iter_mut().rev() {
            if let Some(at) = frame.iter().rposition(|&i| defines[i].name == name) {
                frame.remove(at);
                return true;
            }
        }
        false
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

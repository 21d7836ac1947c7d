//! The interpreter: runs packets a user describes through a ruleset the way the kernel does, and
//! tells which rule of which chain decided, listing the events `nft monitor trace` lists.
//!
//! Matches mean what the model's lowered predicates say (the meaning the packet-space analysis
//! compiles too); statements with state (`limit`, `quota`) keep it across the packets of one
//! [`Interpreter`]. What nftlint cannot evaluate (a `queue`, a `fib` lookup, a set filled at run
//! time) ends the run with [`Verdict::Unknown`] and the reason, never with a guess.

#[cfg(test)]
mod agreement;
mod index;
mod ops;
mod packet;
mod program;
mod run;
#[cfg(test)]
mod tests;

use std::fmt;
use std::path::{Path as FsPath, PathBuf};
use std::rc::Rc;

pub use packet::{Packet, Path, SpecError};

use crate::{Diagnostic, FileLoader, Options, Severity, SourceFile};
use program::Program;
use run::{Ended, Runner, Scratch, State};

/// A ruleset loaded for evaluation.
pub struct Interpreter {
    program: Program,
    files: Vec<SourceFile>,
    errors: Vec<Diagnostic>,
    state: State,
    scratch: Scratch,
}

/// One event of a trace: a rule whose matches all held, or a base chain's policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub family: &'static str,
    pub table: Rc<str>,
    pub chain: Rc<str>,
    /// The rule's index in its chain once every command is applied, from 0; `None` for the
    /// policy.
    pub rule: Option<usize>,
    /// The file the rule is in, when it is an included one.
    pub file: Option<PathBuf>,
    /// 1-based: the rule's line, or for a policy the chain's `type ... hook` line.
    pub line: usize,
    /// The rule's text on one line, or `policy`.
    pub text: Rc<str>,
    pub verdict: Said,
}

/// What an event did with the packet, as the trace says it: `accept`, `drop`, `continue`,
/// `return`, `jump NAME`, `goto NAME` (for a policy, `accept` or `drop`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Said {
    Accept,
    Drop,
    Continue,
    Return,
    Jump(Rc<str>),
    Goto(Rc<str>),
}

impl fmt::Display for Said {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Said::Accept => f.write_str("accept"),
            Said::Drop => f.write_str("drop"),
            Said::Continue => f.write_str("continue"),
            Said::Return => f.write_str("return"),
            Said::Jump(chain) => write!(f, "jump {chain}"),
            Said::Goto(chain) => write!(f, "goto {chain}"),
        }
    }
}

/// What became of a packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Accept,
    Drop,
    /// nftlint could not evaluate a statement on the way: the reason, and where (the rule is
    /// `None` when the run gave up between rules).
    Unknown {
        why: String,
        chain: Rc<str>,
        file: Option<PathBuf>,
        line: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub verdict: Verdict,
    pub trace: Vec<Event>,
}

impl Interpreter {
    /// Reads a ruleset and what it includes. Its errors (what nft would refuse to load) are in
    /// [`Interpreter::errors`]; a ruleset with errors still runs, as far as it was read.
    pub fn load(
        path: &FsPath,
        text: String,
        options: &Options,
        loader: &dyn FileLoader,
    ) -> Interpreter {
        let (model, mut errors) = crate::model::build(path, text, options, loader);
        errors.retain(|d| d.severity == Severity::Error);
        let program = Program::new(&model);
        Interpreter {
            program,
            files: model.into_sources(),
            errors,
            state: State::default(),
            scratch: Scratch::default(),
        }
    }

    /// The same ruleset run rule by rule, for holding the index to.
    #[cfg(test)]
    fn without_index(mut self) -> Self {
        for chain in &mut self.program.chains {
            chain.index = index::ChainIndex::plain(chain.rules.len());
        }
        self
    }

    /// What nft would refuse in the ruleset: syntax errors, unknown variables, missing includes.
    pub fn errors(&self) -> &[Diagnostic] {
        &self.errors
    }

    /// The ruleset's file first, then the files it includes.
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// Runs a packet through the hooks of `path` at `time` (nanoseconds since the ruleset was
    /// loaded; limits refill with it).
    pub fn run(&mut self, packet: &Packet, path: Path, time: u64) -> Outcome {
        let mut runner = Runner::new(
            &self.program,
            &mut self.state,
            &mut self.scratch,
            packet.clone(),
            time,
        );
        let ended = runner.run(path);
        let trace = runner
            .events
            .iter()
            .map(|e| self.event(e.chain, e.rule, e.verdict.clone()))
            .collect();
        let verdict = match ended {
            Ended::Accept => Verdict::Accept,
            Ended::Drop => Verdict::Drop,
            Ended::Unknown { chain, rule, why } => {
                let at = self.event(chain, rule, Said::Continue);
                Verdict::Unknown {
                    why,
                    chain: at.chain,
                    file: at.file,
                    line: at.line,
                }
            }
        };
        Outcome { verdict, trace }
    }

    fn event(&self, chain: usize, rule: Option<usize>, verdict: Said) -> Event {
        let code = &self.program.chains[chain];
        let (file, line, text) = match rule.map(|r| &code.rules[r]) {
            Some(rule) => (rule.loc.file, rule.line, rule.text.clone()),
            None => (
                code.file,
                code.base.as_ref().map_or(0, |b| b.line),
                "policy".into(),
            ),
        };
        Event {
            family: code.family.name(),
            table: code.table.clone(),
            chain: code.name.clone(),
            rule,
            file: (file != 0).then(|| self.files[file].path.clone()),
            line,
            text,
            verdict,
        }
    }
}

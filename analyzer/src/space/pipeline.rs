//! What a hook lets through, as a set: the packets of a given set that every base chain on the
//! hook may accept. Rules nftlint does not model exactly count as accepting whatever they might
//! match and as dropping nothing, so an empty answer is a proof that nothing gets through.

use std::cell::Cell;

use biodivine_lib_bdd::Bdd;

use super::bdd::Encoder;
use super::compile::{Action, Ruleset};
use super::cube::Cube;
use super::eval::MAX_JUMPS;
use crate::symbols::families::Hook;

/// Past this many nodes in one set, or the ruleset's budget of rules walked, the question is
/// left open.
const NODE_LIMIT: usize = 100_000;

pub(crate) struct Pipeline<'a> {
    ruleset: &'a Ruleset,
    encoder: &'a Encoder,
    /// A cube holding every packet asked about: rules that miss it are skipped unencoded.
    scope: &'a Cube,
    /// Rules walked so far.
    steps: Cell<usize>,
}

/// What one chain does with a set of packets: may accept, may fall through (or return).
struct Outcome {
    accept: Bdd,
    fall: Bdd,
}

impl<'a> Pipeline<'a> {
    pub(crate) fn new(ruleset: &'a Ruleset, encoder: &'a Encoder, scope: &'a Cube) -> Self {
        Pipeline {
            ruleset,
            encoder,
            scope,
            steps: Cell::new(0),
        }
    }

    /// The packets of `packets` that may pass every base chain of `hook`, or `None` when the
    /// sets grow past the limit.
    pub(crate) fn passes(&self, hook: Hook, packets: Bdd) -> Option<Bdd> {
        let mut passing = packets;
        for &chain in self.ruleset.hook_chains(hook) {
            let base = self.ruleset.chains[chain]
                .base
                .as_ref()
                .expect("a base chain");
            let seen = self.encoder.cube(&base.universe);
            let inside = passing.and(&seen);
            let outside = self.encoder.and_not(&passing, &seen, NODE_LIMIT)?;
            let outcome = self.chain(chain, inside, 0)?;
            passing = outside.or(&outcome.accept);
            if !base.policy_drop {
                passing = passing.or(&outcome.fall);
            }
            if passing.size() > NODE_LIMIT {
                return None;
            }
        }
        Some(passing)
    }

    fn chain(&self, chain: usize, entering: Bdd, depth: usize) -> Option<Outcome> {
        let mut left = entering;
        let mut accept = self.encoder.mk_false();
        let mut fall = self.encoder.mk_false();
        for rule in &self.ruleset.chains[chain].rules {
            if left.is_false() {
                break;
            }
            self.steps.set(self.steps.get() + 1);
            if self.steps.get() > self.ruleset.budget {
                return None;
            }
            if !rule.cube.intersects(self.scope) {
                continue;
            }
            let matched = self.encoder.cube(&rule.cube);
            let hit = left.and(&matched);
            if hit.is_false() {
                continue;
            }
            // Packets a rule surely takes leave the chain; an inexact rule may let them go on.
            let taken = |left: &Bdd| -> Option<Bdd> {
                if rule.exact {
                    self.encoder.and_not(left, &matched, NODE_LIMIT)
                } else {
                    Some(left.clone())
                }
            };
            match rule.action {
                Action::Continue => {}
                Action::Accept => {
                    accept = accept.or(&hit);
                    left = taken(&left)?;
                }
                Action::Drop | Action::Reject(_) => left = taken(&left)?,
                Action::Return => {
                    fall = fall.or(&hit);
                    left = taken(&left)?;
                }
                Action::Jump(_) | Action::Goto(_) if depth + 1 >= MAX_JUMPS => {
                    left = taken(&left)?;
                }
                Action::Jump(target) => {
                    let inner = self.chain(target, hit, depth + 1)?;
                    accept = accept.or(&inner.accept);
                    left = taken(&left)?.or(&inner.fall);
                }
                Action::Goto(target) => {
                    let inner = self.chain(target, hit, depth + 1)?;
                    accept = accept.or(&inner.accept);
                    fall = fall.or(&inner.fall);
                    left = taken(&left)?;
                }
                Action::Elsewhere => accept = accept.or(&hit),
            }
            if left.size() > NODE_LIMIT || accept.size() > NODE_LIMIT {
                return None;
            }
        }
        Some(Outcome {
            accept,
            fall: fall.or(&left),
        })
    }
}

//! Runs one concrete packet through the compiled chains the way the kernel does: base chains of
//! a hook in priority order, accept ending only its base chain, drop final, jumps and gotos with
//! the kernel's 16-deep stack, policies at the end. A rule nftlint cannot fully model answers
//! "maybe", and a run that depends on one ends as [`Verdict::Unknown`].

use super::compile::{Action, Ruleset};
use super::cube::Point;
use crate::symbols::families::Hook;

/// The kernel's `NFT_JUMP_STACK_SIZE`: deeper jumps drop the packet.
pub(crate) const MAX_JUMPS: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    Accept,
    Drop,
    /// A rule on the way was not modelled exactly.
    Unknown,
}

/// Where a verdict came from: a rule, or the policy of a base chain when `rule` is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Decider {
    pub chain: usize,
    pub rule: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Run {
    pub verdict: Verdict,
    /// The rule or policy that dropped the packet, or that left it unknown.
    pub decider: Option<Decider>,
    /// Every rule whose match held, as (chain, rule), in order.
    pub matched: Vec<(usize, usize)>,
    /// Rules visited so far.
    steps: usize,
}

/// How one chain ended for the packet.
enum Ending {
    Accept,
    Drop,
    /// `return`, or the end of the chain.
    Return,
    Unknown,
}

impl Ruleset {
    /// The base chains on a hook in the order the kernel runs them.
    pub(crate) fn hook_chains(&self, hook: Hook) -> &[usize] {
        self.hooks.chains(hook)
    }

    /// Runs a packet through every base chain of a hook.
    pub(crate) fn run(&self, hook: Hook, packet: &Point) -> Run {
        let mut run = Run {
            verdict: Verdict::Accept,
            decider: None,
            matched: Vec::new(),
            steps: 0,
        };
        for &chain in self.hook_chains(hook) {
            let base = self.chains[chain].base.as_ref().expect("a base chain");
            if !base.universe.contains(packet) {
                continue;
            }
            let ending = self.run_chain(chain, packet, 0, &mut run);
            let policy = Decider { chain, rule: None };
            match ending {
                Ending::Accept => {}
                Ending::Return if !base.policy_drop => {}
                Ending::Return => {
                    run.verdict = Verdict::Drop;
                    run.decider = Some(policy);
                    return run;
                }
                Ending::Drop => {
                    run.verdict = Verdict::Drop;
                    return run;
                }
                Ending::Unknown => {
                    run.verdict = Verdict::Unknown;
                    return run;
                }
            }
        }
        run
    }

    /// Runs a packet through hooks one after the other, as long as each accepts it.
    pub(crate) fn run_path(&self, hooks: &[Hook], packet: &Point) -> Run {
        let mut run = Run {
            verdict: Verdict::Accept,
            decider: None,
            matched: Vec::new(),
            steps: 0,
        };
        for &hook in hooks {
            let mut next = self.run(hook, packet);
            run.matched.append(&mut next.matched);
            run.steps += next.steps;
            run.verdict = next.verdict;
            run.decider = next.decider;
            if run.verdict != Verdict::Accept {
                break;
            }
        }
        run
    }

    fn run_chain(&self, chain: usize, packet: &Point, depth: usize, run: &mut Run) -> Ending {
        for (i, rule) in self.chains[chain].rules.iter().enumerate() {
            run.steps += 1;
            if run.steps > self.budget {
                return Ending::Unknown;
            }
            if !rule.cube.contains(packet) {
                continue;
            }
            let here = Some(Decider {
                chain,
                rule: Some(i),
            });
            if !rule.exact {
                // Whether it matches or not, a rule without a verdict lets the packet go on.
                if rule.action == Action::Continue {
                    continue;
                }
                run.decider = here;
                return Ending::Unknown;
            }
            run.matched.push((chain, i));
            let ending = match &rule.action {
                Action::Continue => continue,
                Action::Accept => Ending::Accept,
                Action::Drop | Action::Reject(_) => Ending::Drop,
                Action::Return => Ending::Return,
                Action::Jump(_) | Action::Goto(_) if depth + 1 >= MAX_JUMPS => Ending::Drop,
                Action::Jump(target) => match self.run_chain(*target, packet, depth + 1, run) {
                    Ending::Return => continue,
                    ending => return ending,
                },
                Action::Goto(target) => return self.run_chain(*target, packet, depth + 1, run),
                Action::Elsewhere => Ending::Unknown,
            };
            if !matches!(ending, Ending::Accept | Ending::Return) {
                run.decider = here;
            }
            return ending;
        }
        Ending::Return
    }
}

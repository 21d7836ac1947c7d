//! Runs one packet through the compiled program the way `nf_tables` does, listing the events
//! `nft monitor trace` would: base chains of each hook of the path in priority order, accept
//! ending only its base chain, drop final, jump/goto/return with the 16-deep stack, policies.

use super::Said;
use super::ops::{Key, NatTo, Op, Source, Test, Value, Verdict, find};
use super::packet::{CtState, Packet, Path};
use super::program::Program;
use crate::symbols::families::{Family, Hook};

/// The kernel's `NFT_JUMP_STACK_SIZE`.
const MAX_JUMPS: usize = 16;

/// Rules one packet may visit: far more than any loadable ruleset needs (loops do not load), a
/// bound for the ones nftlint is shown anyway.
const MAX_STEPS: usize = 1_000_000;

/// What a rule's statement list did with a packet.
enum Step {
    /// A match failed: on to the next rule, without an event.
    NoMatch,
    Matched(Verdict),
    Unknown(String),
}

/// Which of a rule's leading tests, by position, the index checked, and the position of the
/// next test.
struct Checked {
    bits: u64,
    position: u32,
}

/// How a chain ended for the packet.
enum Ending {
    Accept,
    Drop,
    /// `return` with nothing to return to, or the end of the chain.
    Return,
    Unknown(String),
}

/// One line of the trace: a rule whose matches held, or a base chain's policy (`rule` `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawEvent {
    pub chain: usize,
    pub rule: Option<usize>,
    pub verdict: Said,
}

/// The final verdict of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ended {
    Accept,
    Drop,
    /// At this chain and rule, for this reason.
    Unknown {
        chain: usize,
        rule: Option<usize>,
        why: String,
    },
}

/// The mutable state that outlives one packet: token buckets, quotas.
#[derive(Debug, Clone, Default)]
pub(crate) struct State {
    /// Per limit: (credit in nanoseconds, time of the last packet), from the first use.
    limits: Vec<Option<(u64, u64)>>,
    /// Per quota: bytes consumed, from the first use.
    quotas: Vec<Option<u64>>,
}

/// Buffers that runs reuse, so that a packet costs no allocation for them.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    /// Candidate lists, one per chain being run.
    candidates: Vec<Vec<u32>>,
    /// Bit sets for finding candidates.
    bits: (Vec<u64>, Vec<u64>),
}

pub(crate) struct Runner<'p, 's> {
    program: &'p Program,
    state: &'s mut State,
    /// The packet as the current rule sees it: marks set, addresses rewritten, `ct state` as
    /// the current chain sees it.
    packet: Packet,
    /// The state conntrack gives the packet once it has run.
    tracked_state: CtState,
    untracked: bool,
    now: u64,
    steps: usize,
    pub events: Vec<RawEvent>,
    scratch: &'s mut Scratch,
    /// Where the current rule is: chain and rule, for an unknown ending.
    at: (usize, Option<usize>),
}

impl<'p, 's> Runner<'p, 's> {
    pub(crate) fn new(
        program: &'p Program,
        state: &'s mut State,
        scratch: &'s mut Scratch,
        packet: Packet,
        now: u64,
    ) -> Self {
        state.limits.resize(program.limits.len(), None);
        state.quotas.resize(program.quotas.len(), None);
        Runner {
            program,
            state,
            tracked_state: packet.ct_state,
            packet,
            untracked: false,
            now,
            steps: 0,
            events: Vec::new(),
            scratch,
            at: (0, None),
        }
    }

    pub(crate) fn run(&mut self, path: Path) -> Ended {
        let hooks: &[Hook] = match path {
            Path::Input => &[Hook::Ingress, Hook::Prerouting, Hook::Input],
            Path::Output => &[Hook::Output, Hook::Postrouting, Hook::Egress],
            Path::Forward => &[
                Hook::Ingress,
                Hook::Prerouting,
                Hook::Forward,
                Hook::Postrouting,
                Hook::Egress,
            ],
        };
        for &hook in hooks {
            for &chain in self.program.hook_chains(hook) {
                let code = &self.program.chains[chain];
                let base = code.base.as_ref().expect("a base chain");
                let sees = match code.family {
                    Family::Ip => !self.packet.ipv6,
                    Family::Ip6 => self.packet.ipv6,
                    _ => true,
                } && self.on_device(hook, &base.devices);
                let before_conntrack = hook.before_conntrack(base.priority);
                self.packet.ct_state = if self.untracked {
                    CtState::UNTRACKED
                } else if before_conntrack {
                    CtState::INVALID
                } else {
                    self.tracked_state
                };
                // NAT chains see the first packet of a connection only.
                if !sees || (base.nat && self.packet.ct_state != CtState::NEW) {
                    continue;
                }
                match self.chain(chain, 0) {
                    Ending::Accept => {}
                    Ending::Drop => return Ended::Drop,
                    Ending::Return => {
                        let verdict = if base.policy_drop {
                            Said::Drop
                        } else {
                            Said::Accept
                        };
                        self.events.push(RawEvent {
                            chain,
                            rule: None,
                            verdict,
                        });
                        if base.policy_drop {
                            return Ended::Drop;
                        }
                    }
                    Ending::Unknown(why) => {
                        return Ended::Unknown {
                            chain: self.at.0,
                            rule: self.at.1,
                            why,
                        };
                    }
                }
            }
        }
        Ended::Accept
    }

    /// Whether an ingress or egress chain on `devices` sees the packet: it arrives on, or
    /// leaves by, one of them. Other hooks see every packet.
    fn on_device(&self, hook: Hook, devices: &[String]) -> bool {
        let device = match hook {
            Hook::Ingress => &self.packet.iifname,
            Hook::Egress => &self.packet.oifname,
            _ => return true,
        };
        device
            .as_deref()
            .is_some_and(|device| devices.iter().any(|d| d == device))
    }

    fn chain(&mut self, chain: usize, depth: usize) -> Ending {
        let mut candidates = self.scratch.candidates.pop().unwrap_or_default();
        let bits = (&mut self.scratch.bits.0, &mut self.scratch.bits.1);
        self.program.chains[chain]
            .index
            .candidates(&self.packet, &mut candidates, bits);
        let ending = self.rules(chain, &candidates, depth);
        self.scratch.candidates.push(candidates);
        ending
    }

    /// Runs the chain's candidate rules in order.
    fn rules(&mut self, chain: usize, candidates: &[u32], depth: usize) -> Ending {
        for rule in candidates.iter().map(|&r| r as usize) {
            self.steps += 1;
            self.at = (chain, Some(rule));
            if self.steps > MAX_STEPS {
                return Ending::Unknown(format!("more than {MAX_STEPS} rules visited"));
            }
            let verdict = match self.rule(chain, rule) {
                Step::NoMatch => continue,
                Step::Unknown(why) => return Ending::Unknown(why),
                Step::Matched(verdict) => verdict,
            };
            let name = |target: usize| self.program.chains[target].name.clone();
            let said = match &verdict {
                Verdict::Accept => Said::Accept,
                Verdict::Drop => Said::Drop,
                Verdict::Continue => Said::Continue,
                Verdict::Return => Said::Return,
                Verdict::Jump(target) => Said::Jump(name(*target)),
                Verdict::Goto(target) => Said::Goto(name(*target)),
                Verdict::Unknown(why) => return Ending::Unknown(why.clone()),
            };
            self.events.push(RawEvent {
                chain,
                rule: Some(rule),
                verdict: said,
            });
            match verdict {
                Verdict::Continue => {}
                Verdict::Accept => return Ending::Accept,
                Verdict::Drop => return Ending::Drop,
                Verdict::Return => return Ending::Return,
                // Past the stack's depth the kernel drops; such rulesets do not load.
                Verdict::Jump(_) | Verdict::Goto(_) if depth + 1 >= MAX_JUMPS => {
                    return Ending::Drop;
                }
                Verdict::Jump(target) => match self.chain(target, depth + 1) {
                    Ending::Return => {}
                    ending => return ending,
                },
                Verdict::Goto(target) => return self.chain(target, depth + 1),
                Verdict::Unknown(_) => unreachable!("returned above"),
            }
        }
        Ending::Return
    }

    /// Runs a rule's statements in order, as far as its matches hold.
    fn rule(&mut self, chain: usize, rule: usize) -> Step {
        let program = self.program;
        let code = &program.chains[chain];
        // The tests the chain's index checked to list the rule need not run again.
        let mut checked = Checked {
            bits: code.index.checked(rule),
            position: 0,
        };
        for op in &code.rules[rule].ops {
            match op {
                Op::Test(test) => {
                    if let Some(step) = self.test(test, &mut checked) {
                        return step;
                    }
                }
                Op::Tests(tests) => {
                    for test in tests {
                        if let Some(step) = self.test(test, &mut checked) {
                            return step;
                        }
                    }
                }
                Op::Vmap {
                    dependencies,
                    keys,
                    entries,
                } => {
                    if let Some(step) = self.all(dependencies) {
                        return step;
                    }
                    let parts = entries.iter().map(|(parts, _)| parts.as_slice());
                    return match find(keys, parts, &self.packet).flatten() {
                        Some(at) => Step::Matched(entries[at].1.clone()),
                        None => Step::NoMatch,
                    };
                }
                Op::Verdict(verdict) => return Step::Matched(verdict.clone()),
                Op::Reject => return Step::Matched(Verdict::Drop),
                Op::Nat(nat) => {
                    let (address, port) = match &nat.to {
                        NatTo::Fixed(address, port) => (*address, *port),
                        NatTo::Map { keys, entries } => {
                            let tuples = entries.iter().map(|(parts, _)| parts.as_slice());
                            match find(keys, tuples, &self.packet).flatten() {
                                Some(at) => entries[at].1,
                                None => return Step::NoMatch,
                            }
                        }
                    };
                    self.rewrite(nat.destination, address, port);
                    return Step::Matched(Verdict::Accept);
                }
                Op::Set { key, source } => {
                    // A value that cannot be read (`ct mark` without conntrack, a key the
                    // map lacks) ends the rule, as the kernel's expression breaks.
                    let value = match source {
                        Source::Const(value) => Some(*value),
                        Source::Key(from) => match self.packet.value(*from) {
                            Value::Int(v) => Some(v as u32),
                            _ => None,
                        },
                        Source::Map { keys, entries } => {
                            let tuples = entries.iter().map(|(parts, _)| parts.as_slice());
                            find(keys, tuples, &self.packet)
                                .flatten()
                                .map(|at| entries[at].1)
                        }
                    };
                    let Some(value) = value else {
                        return Step::NoMatch;
                    };
                    match key {
                        Key::Mark => self.packet.mark = value,
                        _ => self.packet.ct_mark = value,
                    }
                }
                Op::Limit(at) => {
                    if !self.limit(*at) {
                        return Step::NoMatch;
                    }
                }
                Op::Quota(at) => {
                    if !self.quota(*at) {
                        return Step::NoMatch;
                    }
                }
                Op::Notrack => {
                    // Once conntrack has run, the packet keeps its entry.
                    if self.packet.ct_state == CtState::INVALID {
                        self.untracked = true;
                        self.packet.ct_state = CtState::UNTRACKED;
                    }
                }
                Op::Nop => {}
                Op::Unknown(why) => return Step::Unknown(why.clone()),
            }
        }
        Step::Matched(Verdict::Continue)
    }

    /// `None` when the test holds or was checked already; else the step that ends the rule.
    fn test(&self, test: &Test, checked: &mut Checked) -> Option<Step> {
        let done = checked.position < 64 && checked.bits >> checked.position & 1 == 1;
        checked.position += 1;
        if done {
            return None;
        }
        match test.holds(&self.packet) {
            Ok(true) => None,
            Ok(false) => Some(Step::NoMatch),
            Err(why) => Some(Step::Unknown(why)),
        }
    }

    /// `None` when every test holds; else the step that ends the rule.
    fn all(&self, tests: &[Test]) -> Option<Step> {
        for test in tests {
            match test.holds(&self.packet) {
                Ok(true) => {}
                Ok(false) => return Some(Step::NoMatch),
                Err(why) => return Some(Step::Unknown(why)),
            }
        }
        None
    }

    fn rewrite(&mut self, destination: bool, address: Option<u128>, port: Option<u16>) {
        if let Some(address) = address {
            if destination {
                self.packet.daddr = address;
            } else {
                self.packet.saddr = address;
            }
        }
        if let Some(port) = port {
            self.packet.set_port(destination, port);
        }
    }

    /// Whether a limit lets the rule go on: the kernel's token bucket, full at load time.
    fn limit(&mut self, at: usize) -> bool {
        let spec = &self.program.limits[at];
        let (credit, last) = self.state.limits[at].unwrap_or((spec.bucket, 0));
        let elapsed = self.now.saturating_sub(last);
        let credit = credit.saturating_add(elapsed).min(spec.bucket);
        let cost = spec.cost(self.packet.length());
        let (left, within) = match credit.checked_sub(cost) {
            Some(left) => (left, true),
            None => (credit, false),
        };
        self.state.limits[at] = Some((left, self.now.max(last)));
        within != spec.over
    }

    /// Whether a quota lets the rule go on.
    fn quota(&mut self, at: usize) -> bool {
        let spec = &self.program.quotas[at];
        let consumed = self.state.quotas[at].unwrap_or(spec.used) + u64::from(self.packet.length());
        self.state.quotas[at] = Some(consumed);
        (consumed > spec.bytes) == spec.over
    }
}

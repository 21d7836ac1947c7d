//! The packet-space analysis: what each rule matches as a set of packets, and which packets the
//! pipeline of chains lets reach each rule, decided exactly.
//!
//! Rules compile to cubes (one set of values per field, [`cube`]); a rule is dead when the cubes
//! of the rules that come before it on every path cover its own, which [`reach`] decides by
//! splitting cubes and, past a bound, with decision diagrams ([`bdd`]). [`eval`] runs concrete
//! packets through the same compiled rules, so the analysis and the evaluator share one meaning
//! for every match.

#[cfg(test)]
pub(crate) mod agreement;
pub(crate) mod bdd;
pub(crate) mod compile;
pub(crate) mod cube;
pub(crate) mod eval;
pub(crate) mod field;
mod index;
pub(crate) mod intset;
pub(crate) mod pipeline;
pub(crate) mod reach;

pub(crate) use compile::Ruleset;
pub(crate) use reach::{Reach, Reachability};

/// Rulesets from this many rules on have their reachability computed on a second thread.
const REACH_ON_ITS_OWN_THREAD_FROM: usize = 4096;

/// The compiled ruleset and what reaches each of its rules.
pub(crate) struct Space {
    pub ruleset: Ruleset,
    pub reach: Reachability,
}

impl Space {
    pub(crate) fn new(model: &crate::model::Model) -> Space {
        Space::of(Ruleset::new(model))
    }

    fn of(ruleset: Ruleset) -> Space {
        let reach = reach::reachability(&ruleset);
        Space { ruleset, reach }
    }

    /// The space, with its reachability computed on a second thread while `meanwhile` runs on
    /// this one. Reachability is the longest step of the analysis and reads only the compiled
    /// ruleset, which (unlike the model's syntax trees) may cross threads. A small ruleset stays
    /// on this thread: a second one's stack and allocator pages would cost more memory than the
    /// milliseconds it saves.
    pub(crate) fn new_while<T>(
        model: &crate::model::Model,
        meanwhile: impl FnOnce() -> T,
    ) -> (Space, T) {
        let ruleset = Ruleset::new(model);
        if ruleset.rules() < REACH_ON_ITS_OWN_THREAD_FROM {
            let other = meanwhile();
            return (Space::of(ruleset), other);
        }
        let (reach, other) = std::thread::scope(|scope| {
            let reach = scope.spawn(|| reach::reachability(&ruleset));
            let other = meanwhile();
            let reach = reach
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (reach, other)
        });
        (Space { ruleset, reach }, other)
    }
}

/// A rule no packet reaches, and the rules that take its packets first.
pub(crate) struct DeadRule<'s> {
    pub chain: usize,
    pub rule: usize,
    /// (chain, rule): earlier rules that take its packets, or the jumps whose conditions
    /// exclude them.
    pub by: &'s [(usize, usize)],
    /// Whether those rules do with the packets what this one would have done.
    pub same_outcome: bool,
}

impl Space {
    pub(crate) fn dead_rules(&self) -> Vec<DeadRule<'_>> {
        let mut out = Vec::new();
        for (chain, rules) in self.reach.rules.iter().enumerate() {
            for (rule, reach) in rules.iter().enumerate() {
                let Reach::Dead { by } = reach else { continue };
                let compiled = &self.ruleset.chains[chain].rules[rule];
                let same_outcome = !by.is_empty()
                    && !compiled.side_effects
                    && !matches!(
                        compiled.action,
                        compile::Action::Continue | compile::Action::Jump(_)
                    )
                    && by
                        .iter()
                        .all(|&(c, r)| self.ruleset.chains[c].rules[r].action == compiled.action);
                out.push(DeadRule {
                    chain,
                    rule,
                    by,
                    same_outcome,
                });
            }
        }
        out
    }

    /// Whether rule `by` hands packets to the chain of `dead` (by a jump, a goto or a verdict
    /// map): the rule's packets were kept out by its conditions, not taken by it.
    pub(crate) fn enters(&self, (chain, rule): (usize, usize), dead: &DeadRule) -> bool {
        self.ruleset.chains[chain].rules[rule].may_enter(dead.chain)
    }

    /// Where a drop happened and what did it, for messages: the rule's location and
    /// "rule `...` of chain input", or the chain's and "the drop policy of chain input".
    pub(crate) fn decider_text(
        &self,
        model: &crate::model::Model,
        decider: eval::Decider,
    ) -> (crate::model::Loc, String) {
        let chain = &self.ruleset.chains[decider.chain];
        match decider.rule {
            Some(rule) => {
                let loc = chain.rules[rule].loc.clone();
                let text = format!("rule `{}` of chain {}", model.quote(&loc), chain.name);
                (loc, text)
            }
            None => (
                chain.loc.clone(),
                format!("the drop policy of chain {}", chain.name),
            ),
        }
    }

    /// Related locations for the rules that took a dead rule's packets.
    pub(crate) fn explain_dead(
        &self,
        model: &crate::model::Model,
        dead: &DeadRule,
    ) -> Vec<crate::Related> {
        dead.by
            .iter()
            .map(|&(c, r)| {
                let by = &self.ruleset.chains[c].rules[r];
                let message = match &by.action {
                    _ if self.enters((c, r), dead) => {
                        "jumps here only for packets this rule does not match".to_string()
                    }
                    compile::Action::Jump(_) => {
                        "jumps to a chain that decides its packets first".to_string()
                    }
                    action => format!("{} its packets first", action.verb()),
                };
                model.related(&by.loc, message)
            })
            .collect()
    }
}

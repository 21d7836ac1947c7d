//! `NFT301 ct-state-never-matches`: a `ct state` condition the rule's packets never have.

use std::collections::HashMap;

use nftlint_syntax::SyntaxNode;

use crate::Diagnostic;
use crate::model::Model;
use crate::model::predicate::{Predicate, Relation, Values};
use crate::symbols::families::{Family, Hook};
use crate::symbols::icmp::{ICMP_TYPES, ICMPV6_TYPES};

super::declare_rule! {
/**
## What it finds

A `ct state` condition that can never hold for (some of) the packets the rule selects.


- ICMPv6 neighbour discovery and MLD (`nd-neighbor-solicit`, `nd-router-advert`,
  `mld-listener-query` ...) are not tracked, so their state is `untracked`: `ct state new` or
  `established` never matches them;
- ICMP and ICMPv6 errors (`destination-unreachable`, `time-exceeded`, `packet-too-big` ...) are
  `related` to the connection they report on (or `invalid`), never `new` or `established`;
- in a base chain with a priority below -200, on `prerouting` or `output`, connection
  tracking has not run yet: every packet is `invalid` or `untracked` there.

The diagnostic names the elements that cannot match.

## Why it matters

The rule silently does nothing for those packets. An accept meant for neighbour discovery that
never matches leaves IPv6 without address resolution once a drop policy is in place: the host
loses IPv6 connectivity a few minutes after the ruleset loads.

## Example

```nft
icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } ct state established accept
```

Fixed:

```nft
icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept
```

## Fix

Drop the `ct state` condition for these packets, or accept them before the rule that requires a
state; `ct state established,related accept` covers ICMP errors.
*/
    code: "NFT301",
    name: "ct-state-never-matches",
    severity: Warning,
    status: Stable,
}

const INVALID: u128 = 1;
const RELATED: u128 = 4;
const UNTRACKED: u128 = 64;

/// ICMPv6 types conntrack leaves untracked: MLD (130-132, 143) and neighbour discovery (133-137).
const UNTRACKED_ICMPV6: &[u128] = &[130, 131, 132, 133, 134, 135, 136, 137, 143];
/// ICMP error types, which conntrack files as `related`.
const ICMP_ERRORS: &[u128] = &[3, 4, 5, 11, 12];
const ICMPV6_ERRORS: &[u128] = &[1, 2, 3, 4];

pub(crate) fn check(model: &Model) -> Vec<Diagnostic> {
    let before_conntrack = chains_before_conntrack(model);
    let mut out = Vec::new();
    for rule in model.rule_matches() {
        let predicates: Vec<&Predicate> = rule.predicates().collect();
        let Some((states, state)) = states(&predicates) else {
            continue;
        };
        let mut problem = |message: String, help: &str| {
            let mut diagnostic = model.diagnostic(&RULE, &state.loc, message);
            diagnostic.help = Some(help.to_string());
            out.push(diagnostic);
        };
        if let Some(priority) = before_conntrack.get(rule.rule)
            && states & (INVALID | UNTRACKED) == 0
        {
            problem(
                format!(
                    "this chain runs at priority {priority}, before connection tracking: its packets are all invalid or untracked, so this never matches"
                ),
                "match ct state in a chain with a priority above -200",
            );
            continue;
        }
        for (selector, table, never, state_needed, what) in [
            (
                "icmpv6 type",
                ICMPV6_TYPES,
                UNTRACKED_ICMPV6,
                UNTRACKED,
                "are untracked",
            ),
            (
                "icmpv6 type",
                ICMPV6_TYPES,
                ICMPV6_ERRORS,
                RELATED | INVALID,
                "are related to a connection, never new or established",
            ),
            (
                "icmp type",
                ICMP_TYPES,
                ICMP_ERRORS,
                RELATED | INVALID,
                "are related to a connection, never new or established",
            ),
        ] {
            if states & state_needed != 0 {
                continue;
            }
            let Some(types) = types(&predicates, selector) else {
                continue;
            };
            let hit: Vec<&str> = types
                .iter()
                .filter(|t| never.contains(t))
                .map(|&t| {
                    table
                        .iter()
                        .find(|(_, v)| u128::from(*v) == t)
                        .map_or("?", |(name, _)| *name)
                })
                .collect();
            if hit.is_empty() {
                continue;
            }
            let scope = if hit.len() == types.len() {
                "so the rule never matches"
            } else {
                "so they never match this rule"
            };
            problem(
                format!(
                    "{} packets {what}: `{}` never holds for them, {scope}",
                    hit.join(", "),
                    model.quote(&state.loc)
                ),
                "leave ct state out for these types, or accept them in a rule of their own",
            );
        }
    }
    out
}

/// The conntrack states a rule's `ct state` condition allows, as bits, with the condition.
fn states<'p>(predicates: &[&'p Predicate]) -> Option<(u128, &'p Predicate)> {
    let state = predicates.iter().find(|p| p.selector == "ct state")?;
    let Values::Ints(values) = &state.values else {
        return None;
    };
    match state.relation {
        Relation::Eq | Relation::AnyBits => {
            Some((values.iter().fold(0, |bits, (lo, _)| bits | lo), state))
        }
        _ => None,
    }
}

/// The values a rule's `==` condition on `selector` allows.
fn types(predicates: &[&Predicate], selector: &str) -> Option<Vec<u128>> {
    let condition = predicates
        .iter()
        .find(|p| p.selector == selector && p.implied_by.is_none())?;
    match (&condition.relation, &condition.values) {
        (Relation::Eq, Values::Ints(values)) => Some(
            values
                .iter()
                .flat_map(|&(lo, hi)| lo..=hi)
                .take(256)
                .collect(),
        ),
        _ => None,
    }
}

/// Rules of base chains that run before conntrack, with the chain's priority.
fn chains_before_conntrack(model: &Model) -> HashMap<SyntaxNode, i32> {
    let mut rules = HashMap::new();
    for table in &model.tables {
        let Some(family) = Family::from_name(&table.family) else {
            continue;
        };
        for chain in &table.chains {
            let Some(base) = &chain.base else { continue };
            let Some(hook) = Hook::from_name(&base.hook) else {
                continue;
            };
            if let Ok(Some(priority)) = base.priority_value(family, hook)
                && hook.before_conntrack(priority)
            {
                rules.extend(chain.rules.iter().map(|r| (r.node.clone(), priority)));
            }
        }
    }
    rules
}

//! `NFT303 rule-order`: rules in an order that defeats one of them.

use crate::Diagnostic;
use crate::model::Model;
use crate::space::compile::{Action, CompiledChain, CompiledRule};
use crate::space::cube::Cube;
use crate::space::field::{Fields, ct_state_index};
use crate::space::intset::IntSet;
use crate::space::{Reach, Space};

super::declare_rule! {
/**
## What it finds

Rules in an order that defeats one of them.


- a `ct state invalid drop` placed after rules that accept some invalid packets (an accepting
  rule with no `ct state` condition, or one that allows `invalid`, takes them first; loopback
  accepts are left out, they are the usual first rule);
- a `ct state established,related accept` placed after a rule that drops established packets
  of connections an earlier rule accepts while they are new (`tcp dport 22 ct state new accept`,
  then `tcp dport 22 drop`): the connections open and then stall;
- a loopback accept (`iif "lo" accept`) placed after drops that take loopback traffic
  (`ip saddr 127.0.0.0/8 drop`): local services stop talking to each other.

## Why it matters

The drop was written to keep malformed and out-of-window packets (scans, spoofed resets) away from
the services the chain opens, and for exactly those services it never runs.

## Example

```nft
table inet filter {
    chain input {
        type filter hook input priority filter; policy drop;
        ct state established,related accept
        tcp dport 22 accept
        ct state invalid drop
    }
}
```

Fixed:

```nft
table inet filter {
    chain input {
        type filter hook input priority filter; policy drop;
        ct state established,related accept
        ct state invalid drop
        tcp dport 22 accept
    }
}
```

## Fix

Move the defeated rule up: `ct state established,related accept` first, then `ct state invalid
drop`, then the loopback accept; or narrow the drop (`ip saddr 127.0.0.0/8 iif != "lo" drop`).
*/
    code: "NFT303",
    name: "rule-order",
    severity: Warning,
    status: Preview,
}

/// One kind of misplaced rule: which rule is defeated, and which earlier rules defeat it.
struct Misorder {
    defeated: fn(&Fields, &CompiledRule) -> bool,
    defeats: fn(&Fields, &CompiledChain, usize, &CompiledRule) -> bool,
    message: &'static str,
    label: &'static str,
    help: &'static str,
}

const MISORDERS: [Misorder; 3] = [
    Misorder {
        defeated: is_invalid_drop,
        defeats: accepts_invalid,
        message: "`ct state invalid drop` comes after rules that accept invalid packets: those never reach it",
        label: "accepts invalid packets too",
        help: "move it up, right after `ct state established,related accept`",
    },
    Misorder {
        defeated: is_established_accept,
        defeats: drops_established_of_new,
        message: "`ct state established,related accept` comes after a rule that drops established packets of connections an earlier rule lets start",
        label: "drops established packets of connections accepted above",
        help: "move `ct state established,related accept` to the top of the chain",
    },
    Misorder {
        defeated: is_loopback_accept,
        defeats: drops_loopback,
        message: "the loopback accept comes after rules that drop loopback traffic",
        label: "drops loopback packets",
        help: "move the loopback accept up, or exclude loopback from the drop (`iif != \"lo\"`)",
    },
];

pub(crate) fn check(model: &Model) -> Vec<Diagnostic> {
    let space = model.space();
    let fields = &space.ruleset.fields;
    let mut out = Vec::new();
    for (c, chain) in space.ruleset.chains.iter().enumerate() {
        for misorder in &MISORDERS {
            let Some(at) = chain
                .rules
                .iter()
                .position(|r| (misorder.defeated)(fields, r))
            else {
                continue;
            };
            let earlier: Vec<&CompiledRule> = chain.rules[..at]
                .iter()
                .enumerate()
                .filter(|&(i, r)| reached(space, c, i) && (misorder.defeats)(fields, chain, i, r))
                .map(|(_, r)| r)
                .collect();
            if earlier.is_empty() {
                continue;
            }
            let mut diagnostic = model.diagnostic(&RULE, &chain.rules[at].loc, misorder.message);
            for rule in earlier {
                diagnostic
                    .related
                    .push(model.related(&rule.loc, misorder.label));
            }
            diagnostic.help = Some(misorder.help.to_string());
            out.push(diagnostic);
        }
    }
    out
}

fn reached(space: &Space, chain: usize, rule: usize) -> bool {
    matches!(
        space.reach.rules[chain][rule],
        Reach::Reached | Reach::Unknown
    )
}

fn field(fields: &Fields, key: &str) -> usize {
    fields.id(key).expect("always a field")
}

/// Whether the rule's only condition is `field` within `set`.
fn only(fields: &Fields, rule: &CompiledRule, key: &str, set: &IntSet) -> bool {
    rule.exact
        && matches!(rule.cube.constraints(), [(f, s)] if *f == field(fields, key) && s == set)
}

fn states(names: &[&str]) -> IntSet {
    IntSet::from_ranges(
        names
            .iter()
            .map(|n| (ct_state_index(n), ct_state_index(n)))
            .collect(),
    )
}

fn with_state(fields: &Fields, cube: &Cube, state: &str) -> Cube {
    let mut cube = cube.clone();
    cube.constrain(fields, field(fields, "ct state"), states(&[state]));
    cube
}

fn is_invalid_drop(fields: &Fields, rule: &CompiledRule) -> bool {
    rule.action == Action::Drop && only(fields, rule, "ct state", &states(&["invalid"]))
}

fn is_established_accept(fields: &Fields, rule: &CompiledRule) -> bool {
    let state = field(fields, "ct state");
    rule.action == Action::Accept
        && rule.exact
        && matches!(rule.cube.constraints(), [(f, s)] if *f == state && s.contains(ct_state_index("established")))
}

fn loopback(fields: &Fields) -> IntSet {
    fields.names.matching("lo", false)
}

fn is_loopback_accept(fields: &Fields, rule: &CompiledRule) -> bool {
    rule.action == Action::Accept && only(fields, rule, "meta iifname", &loopback(fields))
}

fn drops(rule: &CompiledRule) -> bool {
    rule.exact && matches!(rule.action, Action::Drop | Action::Reject(_))
}

/// An accept that takes invalid packets. Invalid packets have no conntrack entry, so any `ct`
/// condition but `ct state` (`ct mark 1`, `ct status dnat`) leaves them out.
fn accepts_invalid(fields: &Fields, _: &CompiledChain, _: usize, rule: &CompiledRule) -> bool {
    let other_ct = rule.cube.constraints().iter().any(|(f, _)| {
        let key = &fields.fields[*f].key;
        key.starts_with("ct ") && key != "ct state"
    });
    rule.action == Action::Accept
        && rule.exact
        && !other_ct
        && !is_loopback_accept(fields, rule)
        && rule
            .cube
            .intersects(&with_state(fields, &Cube::universe(), "invalid"))
}

/// A drop with no `ct state` condition that takes established packets of a connection an
/// earlier rule accepts only while it is new.
fn drops_established_of_new(
    fields: &Fields,
    chain: &CompiledChain,
    at: usize,
    rule: &CompiledRule,
) -> bool {
    let state = field(fields, "ct state");
    drops(rule)
        && rule.cube.get(state).is_none()
        && chain.rules[..at].iter().any(|accept| {
            accept.action == Action::Accept
                && accept.cube.get(state) == Some(&states(&["new"]))
                && rule
                    .cube
                    .intersects(&with_state(fields, &accept.cube, "established"))
        })
}

/// A drop that takes loopback packets whatever their state: dropping invalid ones is fine.
fn drops_loopback(fields: &Fields, _: &CompiledChain, _: usize, rule: &CompiledRule) -> bool {
    let mut from_lo = Cube::universe();
    from_lo.constrain(fields, field(fields, "meta iifname"), loopback(fields));
    drops(rule)
        && rule.cube.get(field(fields, "ct state")).is_none()
        && rule.cube.intersects(&from_lo)
}

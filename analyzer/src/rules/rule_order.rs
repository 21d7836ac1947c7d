//! `NFT303 rule-order`: rules in an order that defeats one of them.

use crate::Diagnostic;
use crate::model::predicate::{Predicate, Relation, Values};
use crate::model::{Loc, Model, Rule as ModelRule};

super::declare_rule! {
/**
## What it finds

A `ct state invalid drop` placed after rules that accept some invalid packets: an accepting rule
before it with no `ct state` condition, or one that allows `invalid`, takes those packets first.
Accepts of loopback traffic (`iifname "lo" accept`) are left out: they are the usual first rule.

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

Move `ct state invalid drop` up, right after `ct state established,related accept`.
*/
    code: "NFT303",
    name: "rule-order",
    severity: Warning,
    status: Preview,
}

const INVALID: u128 = 1;

pub(crate) fn check(model: &Model) -> Vec<Diagnostic> {
    let conditions = model.rule_conditions();
    let of = |rule: &ModelRule| conditions.of(&rule.node);
    let mut out = Vec::new();
    for chain in model.tables.iter().flat_map(|t| &t.chains) {
        let Some(at) = chain
            .rules
            .iter()
            .position(|r| r.verdict() == Some("drop") && only_invalid(of(r)))
        else {
            continue;
        };
        let earlier: Vec<&ModelRule> = chain.rules[..at]
            .iter()
            .filter(|r| {
                r.verdict() == Some("accept")
                    && allows_invalid(of(r))
                    && !loopback_only(model, of(r))
            })
            .collect();
        if earlier.is_empty() {
            continue;
        }
        let drop = &chain.rules[at];
        let mut diagnostic = model.diagnostic(
            &RULE,
            &Loc::of(drop.file, &drop.node),
            format!(
                "`ct state invalid drop` comes after {} invalid packets: those never reach it",
                if earlier.len() == 1 {
                    "a rule that accepts".to_string()
                } else {
                    format!("{} rules that accept", earlier.len())
                }
            ),
        );
        for rule in earlier {
            diagnostic.related.push(model.related(
                &Loc::of(rule.file, &rule.node),
                "accepts invalid packets too",
            ));
        }
        diagnostic.help =
            Some("move it up, right after `ct state established,related accept`".to_string());
        out.push(diagnostic);
    }
    out
}

fn state_bits(predicate: &Predicate) -> Option<(Relation, u128)> {
    let Values::Ints(values) = &predicate.values else {
        return None;
    };
    Some((
        predicate.relation,
        values.iter().fold(0, |bits, (lo, _)| bits | lo),
    ))
}

/// `ct state invalid` and nothing else.
fn only_invalid(conditions: &[&Predicate]) -> bool {
    matches!(conditions, [state] if state.selector == "ct state"
        && matches!(state_bits(state), Some((Relation::AnyBits | Relation::Eq, INVALID))))
}

/// Whether a rule's conditions let invalid packets through: invalid packets have no conntrack
/// entry, so any `ct` condition but `ct state` (`ct status dnat`, `ct mark 1`) excludes them.
fn allows_invalid(conditions: &[&Predicate]) -> bool {
    let other_ct = conditions
        .iter()
        .any(|p| p.selector.starts_with("ct ") && p.selector != "ct state");
    !other_ct
        && conditions
            .iter()
            .filter(|p| p.selector == "ct state")
            .all(|state| match state_bits(state) {
                Some((Relation::AnyBits | Relation::Eq, bits)) => bits & INVALID != 0,
                Some((Relation::Ne, bits)) => bits & INVALID == 0,
                // A condition nftlint does not read: assume it may exclude invalid packets.
                _ => false,
            })
}

/// `iifname "lo"` or `iif lo` as the only condition.
fn loopback_only(model: &Model, conditions: &[&Predicate]) -> bool {
    let [condition] = conditions else {
        return false;
    };
    let text = model.quote(&condition.loc);
    matches!(condition.selector.as_str(), "meta iifname" | "meta iif")
        && matches!(text.split_whitespace().last(), Some("lo" | "\"lo\""))
}

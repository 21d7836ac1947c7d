//! `NFT302 missing-established-accept`: an input chain that drops the replies to the host's own
//! connections.

use crate::Diagnostic;
use crate::model::predicate::{Relation, Values};
use crate::model::{Chain, Model, RuleConditions};

super::declare_rule! {
/**
## What it finds

A base chain on the `input` hook with `policy drop` in which no rule accepts `ct state
established` packets, while the host may send traffic out (no output chain drops everything).
The replies to the host's own connections (DNS answers, package downloads, NTP) arrive through
that chain and fall to the drop policy.

## Why it matters

The host can still be reached on the ports the chain opens, but it can no longer talk to anything:
name resolution, updates and time sync fail, often minutes later when caches expire, and the
firewall is the last place anyone looks.

## Example

```nft
table inet filter {
    chain input {
        type filter hook input priority filter; policy drop;
        iifname "lo" accept
        tcp dport 22 accept
    }
}
```

Fixed:

```nft
table inet filter {
    chain input {
        type filter hook input priority filter; policy drop;
        ct state established,related accept
        iifname "lo" accept
        tcp dport 22 accept
    }
}
```

## Fix

Add `ct state established,related accept` as the first rule of the chain.
*/
    code: "NFT302",
    name: "missing-established-accept",
    severity: Warning,
    status: Stable,
}

const ESTABLISHED: u128 = 2;

pub(crate) fn check(model: &Model) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let base_chains: Vec<&Chain> = model
        .tables
        .iter()
        .filter(|t| t.stack() == "ip")
        .flat_map(|t| &t.chains)
        .filter(|c| c.base.is_some())
        .collect();
    let hook = |c: &Chain| c.hook().unwrap_or_default().to_string();
    // Outbound traffic leaves unless an output chain drops all of it.
    let sends = !base_chains.iter().any(|c| {
        hook(c) == "output" && c.policy.as_deref() == Some("drop") && !c.rules.iter().any(accepts)
    });
    if !sends {
        return out;
    }
    let conditions = model.rule_conditions();
    for chain in base_chains
        .iter()
        .filter(|c| hook(c) == "input" && c.policy.as_deref() == Some("drop"))
    {
        // Jumps and verdict maps decide elsewhere; nftlint does not follow them here.
        let hands_off = chain.rules.iter().any(|r| r.decides_elsewhere());
        if hands_off || accepts_established(&conditions, chain) {
            continue;
        }
        let mut diagnostic = model.diagnostic(
            &RULE,
            &chain.loc,
            format!(
                "chain {} drops the replies to this host's own connections: no rule accepts ct state established before its drop policy",
                chain.name
            ),
        );
        diagnostic.help =
            Some("add `ct state established,related accept` as the first rule".to_string());
        out.push(diagnostic);
    }
    out
}

fn accepts(rule: &crate::model::Rule) -> bool {
    rule.verdict() == Some("accept")
}

/// Whether some accepting rule of the chain takes established packets whatever else they are: a
/// `ct state` condition that allows established and no other condition, or no condition at all.
fn accepts_established(conditions: &RuleConditions, chain: &Chain) -> bool {
    chain
        .rules
        .iter()
        .filter(|r| accepts(r))
        .any(|rule| match conditions.of(&rule.node) {
            [] => true,
            [state] if state.selector == "ct state" => match (&state.relation, &state.values) {
                (Relation::AnyBits | Relation::Eq, Values::Ints(values)) => {
                    values.iter().any(|&(lo, _)| lo & ESTABLISHED != 0)
                }
                (Relation::Ne, Values::Ints(values)) => {
                    !values.iter().any(|&(lo, _)| lo & ESTABLISHED != 0)
                }
                _ => true,
            },
            _ => false,
        })
}

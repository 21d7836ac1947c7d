//! `NFT009 conflicting-protocols`: one rule matching two different protocols at one layer.

use crate::Diagnostic;
use crate::model::Model;
use crate::model::predicate::Predicate;

super::declare_rule! {
/**
## What it finds

A rule whose matches need two different protocols at the same layer: `udp dport 53 tcp dport 22`
(UDP and TCP), `ip saddr 10.0.0.1 ip6 daddr ::1` (IPv4 and IPv6). nft refuses it:
`conflicting protocols specified: udp vs. tcp`.

## Why it matters

nft refuses the whole file. Even where a ruleset got past that, no packet could match both, so
the rule would never fire.

## Example

```nft
udp dport 53 tcp dport 53 accept
```

Fixed:

```nft
meta l4proto { tcp, udp } th dport 53 accept
```

## Fix

Split the rule in two, or match the port with `th dport` after `meta l4proto { tcp, udp }`.
*/
    code: "NFT009",
    name: "conflicting-protocols",
    severity: Error,
    status: Stable,
}

pub(crate) fn check(model: &Model) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in model.rule_matches() {
        // The dependencies nft adds for the matches of one rule: one protocol per layer.
        let mut needs: Vec<&Predicate> = Vec::new();
        let implied = rule.predicates().filter(|p| p.implied_by.is_some());
        for need in implied {
            if let Some(earlier) = needs
                .iter()
                .find(|n| n.selector == need.selector && n.values != need.values)
            {
                let other = earlier.implied_by.unwrap_or_default();
                let this = need.implied_by.unwrap_or_default();
                let mut diagnostic = model.diagnostic(
                    &RULE,
                    &need.loc,
                    format!("conflicting protocols specified: {other} vs. {this}"),
                );
                diagnostic
                    .related
                    .push(model.related(&earlier.loc, format!("this match needs {other}")));
                out.push(diagnostic);
                break;
            }
            needs.push(need);
        }
    }
    out
}

//! `NFT009 conflicting-protocols`: one rule matching two different protocols at one layer.

use nftlint_syntax::SyntaxKind::{self, *};

use crate::Diagnostic;
use crate::model::Model;
use crate::model::predicate::Predicate;
use nftlint_syntax::SyntaxNode;

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
    // The dependencies nft adds for the matches of one rule: one protocol per layer. Matches come
    // in source order, so those of a rule are consecutive.
    let mut rule: Option<SyntaxNode> = None;
    let mut needs: Vec<&Predicate> = Vec::new();
    let mut reported = false;
    for lowered in model
        .matches()
        .iter()
        .filter(|m| m.statement.kind() == MATCH_STMT)
    {
        let parent = lowered
            .statement
            .parent()
            .filter(|p| p.kind() == SyntaxKind::RULE);
        if parent != rule {
            (rule, reported) = (parent, false);
            needs.clear();
        }
        if rule.is_none() || reported {
            continue;
        }
        for need in lowered.predicates.iter().filter(|p| p.implied_by.is_some()) {
            if let Some(earlier) = needs
                .iter()
                .find(|n| n.selector == need.selector && n.values != need.values)
            {
                let other = earlier.implied_by.clone().unwrap_or_default();
                let this = need.implied_by.clone().unwrap_or_default();
                let mut diagnostic = model.diagnostic(
                    &RULE,
                    &need.loc,
                    format!("conflicting protocols specified: {other} vs. {this}"),
                );
                diagnostic
                    .related
                    .push(model.related(&earlier.loc, format!("this match needs {other}")));
                out.push(diagnostic);
                reported = true;
                break;
            }
            needs.push(need);
        }
    }
    out
}

//! `NFT009 conflicting-protocols`: one rule matching two different protocols at one layer.

use nftlint_syntax::SyntaxKind::{self, *};

use crate::Diagnostic;
use crate::model::Model;
use crate::model::predicate::{Predicate, lower_match};

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
    for (file, f) in model.files.iter().enumerate() {
        for rule in f
            .parse
            .syntax()
            .descendants()
            .filter(|n| n.kind() == SyntaxKind::RULE)
        {
            // The dependencies nft adds for each match: one protocol per layer and rule.
            let mut needs: Vec<Predicate> = Vec::new();
            let matches = rule.children().filter(|s| s.kind() == MATCH_STMT);
            'rule: for statement in matches {
                for need in lower_match(&|f, v| model.variable_value(f, v), file, &statement)
                    .0
                    .into_iter()
                    .filter(|p| p.implied_by.is_some())
                {
                    let clash = needs
                        .iter()
                        .find(|n| n.selector == need.selector && n.values != need.values);
                    if let Some(earlier) = clash {
                        let (other, this) = (
                            earlier.implied_by.clone().unwrap_or_default(),
                            need.implied_by.clone().unwrap_or_default(),
                        );
                        let mut diagnostic = model.diagnostic(
                            &RULE,
                            &need.loc,
                            format!("conflicting protocols specified: {other} vs. {this}"),
                        );
                        diagnostic
                            .related
                            .push(model.related(&earlier.loc, format!("this match needs {other}")));
                        out.push(diagnostic);
                        break 'rule;
                    }
                    needs.push(need);
                }
            }
        }
    }
    out
}

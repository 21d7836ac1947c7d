//! `NFT201 ineffective-limit`: a `limit ... accept` whose over-limit packets are accepted anyway.

use nftlint_syntax::SyntaxKind::*;
use nftlint_syntax::SyntaxNode;

use crate::Diagnostic;
use crate::model::{Chain, Loc, Model, Rule as ModelRule};

super::declare_rule! {
/**
## What it finds

A rule `... limit rate N/second accept` in a base chain that accepts what it does not drop: the
policy is `accept` and no later rule of the chain, nor any other base chain on the same hook,
can drop the packets over the limit. They fall through to the policy and are accepted too, so the
limit limits nothing.

## Why it matters

Rate limits guard against floods (SSH brute force, ICMP floods). Written this way, the flood gets
through at full rate, and the ruleset reads as if it were protected.

## Example

```nft
table inet filter {
    chain input {
        type filter hook input priority filter; policy accept;
        tcp dport 22 ct state new limit rate 10/minute accept
    }
}
```

Fixed:

```nft
table inet filter {
    chain input {
        type filter hook input priority filter; policy accept;
        tcp dport 22 ct state new limit rate over 10/minute drop
    }
}
```

## Fix

Drop what exceeds the limit (`limit rate over N/second drop`), add a drop for the same packets
after the accepting rule, or make the chain's policy `drop`.
*/
    code: "NFT201",
    name: "ineffective-limit",
    severity: Warning,
    status: Stable,
}

pub(crate) fn check(model: &Model) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let base_chains: Vec<(&str, &Chain, &str)> = model
        .tables
        .iter()
        .flat_map(|t| {
            t.chains
                .iter()
                .filter_map(move |c| Some((t.stack(), c, c.hook()?)))
        })
        .collect();
    for &(stack, chain, hook) in &base_chains {
        let alone = base_chains
            .iter()
            .filter(|(s, _, h)| *s == stack && *h == hook)
            .count()
            == 1;
        if !alone || chain.policy.as_deref().is_some_and(|p| p != "accept") {
            continue;
        }
        // A limit is ineffective when no rule after it may drop: found once for the chain,
        // not by a scan of the rest of the chain for every limit.
        let last_drop = chain.rules.iter().rposition(may_drop);
        for (i, rule) in chain.rules.iter().enumerate() {
            let Some(limit) = accepting_limit(rule) else {
                continue;
            };
            if last_drop.is_some_and(|at| at > i) {
                continue;
            }
            let mut diagnostic = model.diagnostic(
                &RULE,
                &Loc::of(rule.file, &limit),
                format!(
                    "packets over this limit go on to the accept policy of chain {}, which accepts them: the limit limits nothing",
                    chain.name
                ),
            );
            diagnostic.help =
                Some("drop what exceeds the limit: `limit rate over ... drop`, or a drop rule after this one".to_string());
            out.push(diagnostic);
        }
    }
    out
}

/// The `limit` statement of a rule `... limit rate N ... accept` (not `limit rate over`).
fn accepting_limit(rule: &ModelRule) -> Option<SyntaxNode> {
    let limit = rule.node.children().find(|s| s.kind() == LIMIT_STMT)?;
    let over = limit.descendants_with_tokens().any(|e| {
        e.as_token()
            .is_some_and(|t| matches!(t.text(), "over" | "name"))
    });
    (rule.verdict() == Some("accept") && !over).then_some(limit)
}

/// Whether a rule can end a packet's way with a drop: a drop or reject, or anything that hands
/// the decision elsewhere (jumps, verdict maps, queueing).
fn may_drop(rule: &ModelRule) -> bool {
    rule.verdict() == Some("drop")
        || rule.decides_elsewhere()
        || rule
            .node
            .children()
            .any(|s| matches!(s.kind(), REJECT_STMT | QUEUE_STMT | SYNPROXY_STMT))
}

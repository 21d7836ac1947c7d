//! `NFT009 conflicting-protocols`: one rule matching two different protocols at one layer.

use nftlint_syntax::SyntaxKind::{self, *};
use nftlint_syntax::SyntaxNode;

use crate::Diagnostic;
use crate::model::{Loc, Model};

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

/// The layer and protocol a payload selector implies, by its first word.
fn protocol_of(header: &str) -> Option<(u8, &str)> {
    let layer = match header {
        "ip" | "ip6" | "arp" => 3,
        "tcp" | "udp" | "udplite" | "sctp" | "dccp" | "icmp" | "icmpv6" | "igmp" | "esp" | "ah"
        | "comp" => 4,
        _ => return None,
    };
    Some((layer, header))
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
            let mut seen: Vec<(u8, String, SyntaxNode)> = Vec::new();
            // Only matches on the packet's own headers: inner headers (`vxlan ip saddr`) and
            // selectors inside sets or maps say nothing about the outer protocol.
            let selectors = rule
                .children()
                .filter(|s| s.kind() == MATCH_STMT)
                .filter_map(|s| s.first_child());
            for selector in selectors.filter(|s| matches!(s.kind(), PAYLOAD_EXPR | EXTHDR_EXPR)) {
                let Some(first) = selector.first_token() else {
                    continue;
                };
                let Some((layer, protocol)) = protocol_of(first.text()) else {
                    continue;
                };
                if let Some((_, other, at)) =
                    seen.iter().find(|(l, p, _)| *l == layer && p != protocol)
                {
                    let mut diagnostic = model.diagnostic(
                        &RULE,
                        &Loc::of(file, &selector),
                        format!("conflicting protocols specified: {other} vs. {protocol}"),
                    );
                    diagnostic.related.push(
                        model.related(&Loc::of(file, at), format!("this match needs {other}")),
                    );
                    out.push(diagnostic);
                    break;
                }
                seen.push((layer, protocol.to_string(), selector.clone()));
            }
        }
    }
    out
}

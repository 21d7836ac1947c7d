//! `NFT010 invalid-value`: a value that cannot be of the type its field has.

use nftlint_syntax::SyntaxKind::*;

use crate::Diagnostic;
use crate::model::Model;
use crate::model::predicate::lower_match;

super::declare_rule! {
/**
## What it finds

A constant nft cannot read as the type of the field it is compared with: an IPv6 address in
`ip saddr` or an IPv4 address in `ip6 daddr`, a prefix longer than the address, a service name
nft does not know or a port above 65535 in `tcp dport`, an ICMPv6 type name in `icmp type`, and
any other symbolic name a field does not have (`ct state establised`, `meta l4proto tpc`,
`tcp flags sny`). The messages are nft's own (`Could not parse conntrack state`).

Names are resolved from tables built into nftlint: the services of Debian's `/etc/services`
(which nft reads on the host that loads the ruleset), the protocols of `/etc/protocols`, and
nft's own names for ICMP types, conntrack states and the rest.

## Why it matters

nft refuses the whole file, and nothing of it is loaded.

## Example

```nft
ct state established,realted accept
icmp type nd-neighbor-solicit accept
```

Fixed:

```nft
ct state established,related accept
icmpv6 type nd-neighbor-solicit accept
```

## Fix

Correct the spelling (the help suggests the closest name), use the selector of the right protocol
(`icmpv6 type`, `ip6 saddr`), or write the number.
*/
    code: "NFT010",
    name: "invalid-value",
    severity: Error,
    status: Stable,
}

pub(crate) fn check(model: &Model) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (file, f) in model.files.iter().enumerate() {
        let statements = f
            .parse
            .syntax()
            .descendants()
            .filter(|n| matches!(n.kind(), MATCH_STMT | VMAP_STMT));
        for statement in statements {
            for bad in lower_match(file, &statement).1 {
                let mut diagnostic = model.diagnostic(&RULE, &bad.loc, bad.message);
                diagnostic.help = bad.suggestion.map(|s| format!("did you mean '{s}'?"));
                out.push(diagnostic);
            }
        }
    }
    out
}

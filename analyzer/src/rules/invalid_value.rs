//! `NFT010 invalid-value`: a value that cannot be of the type its field has.

use nftlint_syntax::SyntaxKind::*;

use crate::Diagnostic;
use crate::model::predicate::{BadConstant, check_elements, set_key_type};
use crate::model::{Model, green};
use nftlint_syntax::SyntaxNode;
use nftlint_syntax::ast::{AstNode, Spec};

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
    let mut report = |bad: BadConstant| {
        let mut diagnostic = model.diagnostic(&RULE, &bad.loc, bad.message);
        diagnostic.help = bad.suggestion.map(|s| format!("did you mean '{s}'?"));
        out.push(diagnostic);
    };
    for (file, f) in model.files.iter().enumerate() {
        for node in f.nodes(&[SET, MAP, COMMAND]) {
            for bad in elements(model, file, node) {
                report(bad);
            }
        }
    }
    for lowered in model.matches() {
        for bad in &lowered.bad {
            report(bad.clone());
        }
    }
    // A define with a bad value is read at each use; report it once, where it stands.
    out.sort_by(|a, b| {
        (&a.file, a.range.start, &a.message).cmp(&(&b.file, b.range.start, &b.message))
    });
    out.dedup_by(|a, b| a.file == b.file && a.range == b.range && a.message == b.message);
    out
}

/// The elements of a set or map declared with a type (`set s { type ipv4_addr; elements = {...} }`)
/// or added to one by a command (`add element ip t s { ... }`), read as that type.
fn elements(model: &Model, file: usize, node: &SyntaxNode) -> Vec<BadConstant> {
    let (key_type, elements) = match node.kind() {
        SET | MAP => {
            let properties: Vec<SyntaxNode> =
                node.children().filter(|c| c.kind() == PROPERTY).collect();
            let key_type = properties.iter().find_map(|p| {
                let text = green::significant_text(p);
                let rest = text
                    .trim_start()
                    .strip_prefix("typeof")
                    .or_else(|| text.trim_start().strip_prefix("type"))?;
                Some(rest.trim().to_string())
            });
            let elements = properties
                .iter()
                .filter(|p| green::first_word(p.green()) == Some("elements"));
            (
                key_type,
                elements
                    .filter_map(|p| p.children().find(|c| c.kind() == SET_EXPR))
                    .collect(),
            )
        }
        COMMAND
            if node
                .children_with_tokens()
                .any(|t| t.as_token().is_some_and(|t| t.text() == "element")) =>
        {
            let Some(spec) = node.children().find_map(Spec::cast) else {
                return Vec::new();
            };
            let family = spec.family().unwrap_or_else(|| "ip".to_string());
            let names: Vec<String> = spec.names().collect();
            let [table, set] = names.as_slice() else {
                return Vec::new();
            };
            let key_type = model
                .tables
                .iter()
                .filter(|t| t.family == family && &t.name == table)
                .find_map(|t| t.set(set))
                .and_then(|s| s.key_type.clone());
            (
                key_type,
                node.children()
                    .filter(|c| c.kind() == SET_EXPR)
                    .collect::<Vec<_>>(),
            )
        }
        _ => return Vec::new(),
    };
    let Some(field) = key_type.as_deref().and_then(set_key_type) else {
        return Vec::new();
    };
    elements
        .iter()
        .flat_map(|set| check_elements(&|f, at| model.variable_at(f, at), file, field, set))
        .collect()
}

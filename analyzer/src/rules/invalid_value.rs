//! `NFT010 invalid-value`: a value that cannot be of the type its field has.

use nftlint_syntax::SyntaxKind::{self, *};
use nftlint_syntax::SyntaxNode;

use crate::Diagnostic;
use crate::model::{Loc, Model};
use crate::symbols::services::service_port;
use crate::symbols::{Datatype, lookup, type_info};

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

/// What a field holds, as far as checking its constants goes.
#[derive(Clone, Copy)]
enum FieldType {
    Ipv4,
    Ipv6,
    /// A port: a number or a service name of `/etc/services`. nft resolves names without
    /// asking for a transport, so `tcp dport bootpc` is fine although bootpc is a UDP service.
    Service,
    Symbolic(Datatype),
}

fn field_type(words: &[&str]) -> Option<FieldType> {
    use Datatype::*;
    use FieldType::*;
    Some(match words {
        ["ip", "saddr" | "daddr"] | ["ct", .., "ip", "saddr" | "daddr"] => Ipv4,
        ["ip6", "saddr" | "daddr"] | ["ct", .., "ip6", "saddr" | "daddr"] => Ipv6,
        [
            "tcp" | "udp" | "udplite" | "sctp" | "dccp" | "th",
            "sport" | "dport",
        ] => Service,
        ["ip", "protocol"] | ["ip6", "nexthdr"] | ["meta", "l4proto"] => Symbolic(InetProto),
        ["icmp", "type"] => Symbolic(IcmpType),
        ["icmpv6", "type"] => Symbolic(Icmpv6Type),
        ["icmp", "code"] => Symbolic(IcmpCode),
        ["icmpv6", "code"] => Symbolic(Icmpv6Code),
        ["igmp", "type"] => Symbolic(IgmpType),
        ["ct", "state"] => Symbolic(CtState),
        ["ct", "status"] => Symbolic(CtStatus),
        ["ct", "direction"] => Symbolic(CtDir),
        ["tcp", "flags"] => Symbolic(TcpFlag),
        ["ether" | "vlan", "type"] | ["meta", "protocol"] => Symbolic(EtherType),
        ["meta", "nfproto"] => Symbolic(NfProto),
        ["meta", "pkttype"] | ["pkttype"] => Symbolic(PktType),
        ["meta", "iiftype" | "oiftype"] | ["iiftype" | "oiftype"] => Symbolic(IfaceType),
        ["ip" | "ip6", "dscp"] => Symbolic(Dscp),
        ["ip" | "ip6", "ecn"] => Symbolic(Ecn),
        ["arp", "operation"] => Symbolic(ArpOp),
        ["meta", "day"] | ["day"] => Symbolic(Day),
        ["fib", .., "type"] => Symbolic(FibAddrtype),
        ["mh", "type"] => Symbolic(MhType),
        ["dccp", "type"] => Symbolic(DccpPkttype),
        _ => return None,
    })
}

fn words(node: &SyntaxNode) -> Vec<String> {
    node.descendants_with_tokens()
        .filter_map(|e| e.into_token())
        .filter(|t| t.kind() == WORD)
        .map(|t| t.text().to_string())
        .collect()
}

pub(crate) fn check(model: &Model) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (file, f) in model.files.iter().enumerate() {
        for statement in f
            .parse
            .syntax()
            .descendants()
            .filter(|n| matches!(n.kind(), MATCH_STMT | VMAP_STMT))
        {
            let mut children = statement.children();
            let Some(lhs) = children.next() else { continue };
            let words = words(&lhs);
            let words: Vec<&str> = words.iter().map(String::as_str).collect();
            let Some(field) = field_type(&words) else {
                continue;
            };
            for rhs in children {
                check_value(model, file, field, &rhs, &mut out);
            }
        }
    }
    out
}

/// Checks the constants of a value: lists, set elements (their keys), ranges and prefixes are
/// taken apart; concatenations, operators, maps and variables are left alone.
fn check_value(
    model: &Model,
    file: usize,
    field: FieldType,
    value: &SyntaxNode,
    out: &mut Vec<Diagnostic>,
) {
    match value.kind() {
        LIST_EXPR | RANGE_EXPR => {
            for part in value.children() {
                check_value(model, file, field, &part, out);
            }
        }
        SET_EXPR => {
            for key in value
                .children()
                .filter(|e| e.kind() == SET_ELEM)
                .filter_map(|e| e.first_child())
            {
                check_value(model, file, field, &key, out);
            }
        }
        PREFIX_EXPR => {
            let mut parts = value.children();
            let Some(base) = parts.next() else { return };
            check_value(model, file, field, &base, out);
            let width = match field {
                FieldType::Ipv4 => 32,
                FieldType::Ipv6 => 128,
                _ => {
                    // A bitmask with a mask: `tcp flags syn / syn,ack`.
                    parts.for_each(|mask| check_value(model, file, field, &mask, out));
                    return;
                }
            };
            let length = parts
                .next()
                .and_then(|l| l.text().to_string().parse::<u32>().ok());
            if let Some(length) = length.filter(|&l| l > width) {
                out.push(model.diagnostic(
                    &RULE,
                    &Loc::of(file, value),
                    format!("Prefix length {length} is invalid for type of {width} bits width"),
                ));
            }
        }
        LITERAL => {
            let Some(token) = value.first_token() else {
                return;
            };
            if let Some((message, suggestion)) = problem(field, token.kind(), token.text()) {
                let mut diagnostic = model.diagnostic(&RULE, &Loc::of(file, value), message);
                diagnostic.help = suggestion.map(|s| format!("did you mean '{s}'?"));
                out.push(diagnostic);
            }
        }
        _ => {}
    }
}

/// What nft would say of constant `text` of token `kind` in a field of type `field`.
fn problem(
    field: FieldType,
    kind: SyntaxKind,
    text: &str,
) -> Option<(String, Option<&'static str>)> {
    let address_family = "Could not resolve hostname: Address family for hostname not supported";
    match (field, kind) {
        (FieldType::Ipv4, IPV6_ADDR) | (FieldType::Ipv6, IPV4_ADDR) => {
            Some((address_family.to_string(), None))
        }
        (FieldType::Service, NUMBER) => {
            (parse_number(text)? > 65535).then(|| ("Service out of range".to_string(), None))
        }
        (FieldType::Service, WORD) => service_port(text).is_none().then(|| {
            let suggestion =
                crate::symbols::closest(text, crate::symbols::names(Datatype::InetService));
            (
                "Could not resolve service: Servname not supported for ai_socktype".to_string(),
                suggestion,
            )
        }),
        (FieldType::Symbolic(Datatype::InetProto), NUMBER) => {
            (parse_number(text)? > 255).then(|| ("Protocol out of range".to_string(), None))
        }
        (FieldType::Symbolic(datatype), WORD) if lookup(datatype, text).is_none() => {
            let description = datatype
                .type_name()
                .and_then(type_info)
                .map_or("value", |info| info.description);
            let message = match datatype {
                Datatype::InetProto => "Could not resolve protocol name".to_string(),
                _ => format!("Could not parse {description}"),
            };
            let suggestion = match datatype {
                // The classic mix-up: an ICMPv6 type name after `icmp type`.
                Datatype::IcmpType if lookup(Datatype::Icmpv6Type, text).is_some() => {
                    Some("icmpv6 type")
                }
                _ => crate::symbols::suggest(datatype, text),
            };
            Some((message, suggestion))
        }
        _ => None,
    }
}

/// A decimal or hexadecimal number, as nft writes them (a leading 0 means octal).
fn parse_number(text: &str) -> Option<u64> {
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        return u64::from_str_radix(hex, 16).ok();
    }
    if text.len() > 1 && text.starts_with('0') {
        return u64::from_str_radix(&text[1..], 8).ok();
    }
    text.parse().ok()
}

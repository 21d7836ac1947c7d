//! `NFT402 hostname-lookup`: a host name where nft expects an address.

use std::ops::ControlFlow;

use nftlint_syntax::SyntaxKind::*;
use nftlint_syntax::{SyntaxNode, TextSize};
use rowan::{GreenNodeData, NodeOrToken};
use smallvec::SmallVec;

use crate::Diagnostic;
use crate::model::{Loc, Model, green};

super::declare_rule! {
/**
## What it finds

A host name (`ip daddr time.example.org`, `dnat to backend.lan`, `elements = { gw.example.net }`
in a set of addresses) where nft expects an IP address.

## Why it matters

nft resolves the name once, when it loads the ruleset, and puts the addresses it got into the
kernel. Later changes of the DNS record are never seen. At boot the network is usually not up
yet, the lookup fails and nft refuses the whole ruleset: the host comes up without its firewall.
A name with several addresses is an error too.

## Example

```nft
ip daddr ntp.example.org udp dport 123 accept
```

Fixed:

```nft
ip daddr { 192.0.2.10, 192.0.2.11 } udp dport 123 accept
```

## Fix

Write the addresses. For names whose addresses change, fill a set from a script or a DNS-aware
daemon (`nft add element ...`) instead of naming the host in the ruleset.
*/
    code: "NFT402",
    name: "hostname-lookup",
    severity: Warning,
    status: Stable,
}

/// Selectors whose values are IP addresses.
fn is_address_selector(words: &[&str]) -> bool {
    matches!(
        words,
        ["ip" | "ip6", "saddr" | "daddr"]
            | ["ct", .., "ip" | "ip6", "saddr" | "daddr"]
            | ["ct", .., "saddr" | "daddr"]
    )
}

/// Whether a match statement's selector reads an IP address.
fn matches_address(statement: &SyntaxNode) -> bool {
    let Some(selector) = green::first_child(statement.green()) else {
        return false;
    };
    let words: SmallVec<[&str; 4]> = green::child_tokens(selector)
        .filter(|&(kind, _)| kind == WORD)
        .map(|(_, text)| text)
        .collect();
    is_address_selector(&words)
}

/// Where the word literals inside a value, which starts at `start`, stand: candidates for host
/// names.
fn host_names(file: usize, value: &GreenNodeData, start: TextSize) -> Vec<Loc> {
    let mut hosts = Vec::new();
    let mut check = |node: &GreenNodeData, start: TextSize| {
        let host = green::node_kind(node) == LITERAL
            && green::first_token(node).is_some_and(|t| {
                green::kind(NodeOrToken::Token(t)) == WORD && looks_like_host(t.text())
            });
        if host {
            // The literal starts with its word: no trivia to leave out.
            let range = usize::from(start)..usize::from(start + node.text_len());
            hosts.push(Loc { file, range });
        }
    };
    check(value, start);
    green::try_descendants::<()>(value, start, |(element, start)| {
        if let NodeOrToken::Node(node) = element {
            check(node, start);
        }
        ControlFlow::Continue(())
    });
    hosts
}

/// nft's own words for addresses and the like are not host names.
fn looks_like_host(word: &str) -> bool {
    word.contains('.') || word == "localhost"
}

pub(crate) fn check(model: &Model) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (file, f) in model.files.iter().enumerate() {
        for node in f.nodes(&[MATCH_STMT, STMT_OPTION, SET, MAP]) {
            let values: Vec<(&GreenNodeData, TextSize)> = match node.kind() {
                MATCH_STMT if matches_address(node) => green::child_nodes(node).skip(1).collect(),
                // `dnat to HOST`, `snat to HOST`, `dup to HOST`; not `fwd to eth0.100`, a device.
                STMT_OPTION
                    if green::first_word(node.green()) == Some("to")
                        && node.parent().is_some_and(|p| {
                            matches!(p.kind(), NAT_STMT | DUP_STMT | TPROXY_STMT)
                        }) =>
                {
                    green::child_nodes(node).collect()
                }
                // Elements of a set of addresses.
                SET | MAP if is_address_set(node) => green::child_nodes(node)
                    .filter(|&(child, _)| green::node_kind(child) == PROPERTY)
                    .collect(),
                _ => continue,
            };
            for (value, start) in values {
                for host in host_names(file, value, start) {
                    let mut diagnostic = model.diagnostic(
                        &RULE,
                        &host,
                        format!(
                            "'{}' is a host name: nft resolves it once, when it loads the ruleset",
                            &f.source.text[host.range.clone()]
                        ),
                    );
                    diagnostic.help = Some("write the IP addresses instead".to_string());
                    out.push(diagnostic);
                }
            }
        }
    }
    out
}

fn is_address_set(set: &SyntaxNode) -> bool {
    set.children().filter(|c| c.kind() == PROPERTY).any(|p| {
        let text = green::significant_text(&p);
        let mut words = text.split_whitespace();
        matches!(words.next(), Some("type" | "typeof"))
            && words
                .next()
                .is_some_and(|w| matches!(w, "ipv4_addr" | "ipv6_addr" | "ip" | "ip6"))
            && (text.contains("addr") || text.contains("saddr") || text.contains("daddr"))
    })
}

//! `NFT302 missing-established-accept`: a chain that lets connections start but drops the rest
//! of their packets.

use crate::Diagnostic;
use crate::model::Model;
use crate::space::Space;
use crate::space::compile::Action;
use crate::space::cube::{Cube, Point};
use crate::space::eval::{Decider, Verdict};
use crate::space::field::ct_state_index;
use crate::space::intset::IntSet;
use crate::symbols::families::Hook;

super::declare_rule! {
/**
## What it finds

A chain that drops the `ct state established` packets of connections the ruleset lets start.
No rule before the drop accepts established traffic, so these are dropped:

- the replies to the host's own connections (DNS answers, package downloads, NTP), which the
  output path lets out and which come back through the input path, or
- the later packets of connections an input or forward chain accepts only while they are new
  (`tcp dport 22 ct state new accept`).

Jumps are followed. A chain that accepts nothing (a drop-all forward chain on a host that does
not route) is fine. The finding names a packet that is dropped, and what drops it.

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

/// The hooks a packet passes, by where it goes.
const INBOUND: [Hook; 2] = [Hook::Prerouting, Hook::Input];
const OUTBOUND: [Hook; 2] = [Hook::Output, Hook::Postrouting];
const FORWARDED: [Hook; 3] = [Hook::Prerouting, Hook::Forward, Hook::Postrouting];

/// Candidate connections tried per path: each costs a run through the ruleset, so the check stays
/// linear; enough for the accepting rules of real rulesets.
const MAX_CANDIDATES: usize = 64;

pub(crate) fn check(model: &Model) -> Vec<Diagnostic> {
    let space = model.space();
    let mut out: Vec<Diagnostic> = Vec::new();
    // Runs a packet the ruleset should let through; reports the chain that drops it, once, unless
    // the chain accepts nothing at all (then it means to drop everything).
    let mut check = |path: &[Hook], packet: &Point, what: &str| {
        let run = space.ruleset.run_path(path, packet);
        let Some(decider) = run.decider.filter(|_| run.verdict == Verdict::Drop) else {
            return;
        };
        let loc = &space.ruleset.chains[decider.chain].loc;
        if accepts_something(space, decider.chain, 0) && !out.iter().any(|d| d.range == loc.range) {
            out.push(diagnostic(model, space, decider, packet, what));
        }
    };
    // The host's own connections: out through the output path, replies in.
    for connection in connections(space, &OUTBOUND) {
        let reply = reply_to(space, &connection);
        check(
            &INBOUND,
            &reply,
            "the replies to this host's own connections",
        );
    }
    // Connections let in or through: their later packets.
    for path in [&INBOUND[..], &FORWARDED[..]] {
        for connection in connections(space, path) {
            let later = established(space, connection);
            check(
                path,
                &later,
                "the established packets of connections it accepts",
            );
        }
    }
    out
}

/// Whether a chain, or a chain it jumps to, has a rule that accepts.
fn accepts_something(space: &Space, chain: usize, depth: usize) -> bool {
    depth < crate::space::eval::MAX_JUMPS
        && space.ruleset.chains[chain]
            .rules
            .iter()
            .any(|r| match r.action {
                Action::Accept => true,
                Action::Jump(target) | Action::Goto(target) => {
                    accepts_something(space, target, depth + 1)
                }
                _ => false,
            })
}

/// The same packet once its connection is established.
fn established(space: &Space, mut packet: Point) -> Point {
    let state = space.ruleset.fields.id("ct state").expect("always a field");
    packet[state] = ct_state_index("established");
    packet
}

/// New connections the path surely accepts: one for each rule on the way that accepts new
/// packets, and a TCP and a UDP one for chains that accept by policy.
fn connections(space: &Space, path: &[Hook]) -> Vec<Point> {
    let ruleset = &space.ruleset;
    let fields = &ruleset.fields;
    let id = |key: &str| fields.id(key).expect("always a field");
    let mut shape = Cube::universe();
    shape.constrain(
        fields,
        id("meta nfproto"),
        IntSet::from_ranges(vec![(2, 2), (10, 10)]),
    );
    shape.constrain(
        fields,
        id("ct state"),
        IntSet::single(ct_state_index("new")),
    );
    shape.constrain(
        fields,
        id("meta l4proto"),
        IntSet::from_ranges(vec![(6, 6), (17, 17)]),
    );
    // Through network interfaces, not loopback; none on the side the path lacks.
    let network = fields.names.network();
    let none = IntSet::single(0);
    let (iif, oif) = match path[0] {
        Hook::Output => (none, network),
        _ if path.contains(&Hook::Forward) => (network.clone(), network),
        _ => (network, none),
    };
    shape.constrain(fields, id("meta iifname"), iif);
    shape.constrain(fields, id("meta oifname"), oif);
    let by_policy = [(6, 443), (17, 53)].map(|(proto, port)| {
        let mut cube = shape.clone();
        cube.constrain(fields, id("meta l4proto"), IntSet::single(proto));
        cube.constrain(fields, id("th dport"), IntSet::single(port));
        cube
    });
    let by_rules = ruleset
        .chains
        .iter()
        .flat_map(|c| &c.rules)
        .filter(|r| r.exact && r.action == Action::Accept)
        .filter_map(|r| r.cube.meet(&shape));
    by_policy
        .into_iter()
        .filter(|cube| !cube.is_empty())
        .chain(by_rules)
        .take(MAX_CANDIDATES)
        .map(|cube| cube.sample(fields, false))
        .filter(|packet| ruleset.run_path(path, packet).verdict == Verdict::Accept)
        .collect()
}

/// The reply to a packet: addresses and ports swapped, in through the interface it left by.
fn reply_to(space: &Space, packet: &Point) -> Point {
    let fields = &space.ruleset.fields;
    let mut reply = packet.clone();
    for (a, b) in [
        ("ip saddr", "ip daddr"),
        ("ip6 saddr", "ip6 daddr"),
        ("th sport", "th dport"),
        ("meta iifname", "meta oifname"),
    ] {
        if let (Some(a), Some(b)) = (fields.id(a), fields.id(b)) {
            reply.swap(a, b);
        }
    }
    established(space, reply)
}

fn diagnostic(
    model: &Model,
    space: &Space,
    decider: Decider,
    packet: &Point,
    what: &str,
) -> Diagnostic {
    let chain = &space.ruleset.chains[decider.chain];
    let (_, by) = space.decider_text(model, decider);
    let mut diagnostic = model.diagnostic(
        &RULE,
        &chain.loc,
        format!(
            "chain {} drops {what}: e.g. `{}` is dropped by {by}",
            chain.name,
            space.ruleset.fields.describe(packet)
        ),
    );
    diagnostic.help =
        Some("add `ct state established,related accept` as the first rule".to_string());
    diagnostic
}

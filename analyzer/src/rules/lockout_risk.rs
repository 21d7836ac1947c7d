//! `NFT202 lockout-risk`: after loading, no new SSH connection from the network is accepted, or
//! the replies of such connections cannot leave.

use biodivine_lib_bdd::Bdd;

use crate::Diagnostic;
use crate::model::Model;
use crate::space::Space;
use crate::space::bdd::Encoder;
use crate::space::compile::Action;
use crate::space::cube::{Cube, Point};
use crate::space::eval::{Decider, Verdict};
use crate::space::field::ct_state_index;
use crate::space::intset::IntSet;
use crate::space::pipeline::Pipeline;
use crate::symbols::families::Hook;

super::declare_rule! {
/**
## What it finds

A ruleset after which no new TCP connection to the SSH port (22, or `ssh-ports` in
`nftlint.toml`) arriving on a network interface other than loopback is accepted by every base
chain it meets, or after which the replies of such connections are dropped on their way out.
All tables and families count together: an `ip` table that accepts SSH does not help when an
`inet` table drops it on the same hook. The finding names a packet that is dropped and the rule
or policy that drops it.

## Why it matters

Loading such a ruleset over SSH cuts the session that loaded it, and the next login fails:
recovering needs a console. This is the classic firewall accident.

## Example

```nft
table inet filter {
    chain input {
        type filter hook input priority filter; policy drop;
        ct state established,related accept
        tcp dport { 80, 443 } accept
    }
}
```

Fixed:

```nft
table inet filter {
    chain input {
        type filter hook input priority filter; policy drop;
        ct state established,related accept
        tcp dport { 22, 80, 443 } accept
    }
}
```

## Fix

Accept SSH (`tcp dport 22 accept`, limited to your management addresses if you like) before
the rule or policy that drops it, in every table that filters the hook. If SSH listens on
another port, list it as `ssh-ports` in `nftlint.toml`.
*/
    code: "NFT202",
    name: "lockout-risk",
    severity: Error,
    status: Stable,
}

/// Candidate packets tried before the exact check: enough to find an accepted one in any
/// ruleset that has one, few enough to cost nothing.
const MAX_CANDIDATES: usize = 64;

/// The two directions of an SSH session: a new connection in, its replies out.
struct Direction {
    hooks: [Hook; 2],
    what: &'static str,
}

pub(crate) fn check(model: &Model) -> Vec<Diagnostic> {
    let space = model.space();
    let ruleset = &space.ruleset;
    let filters = |hook| !ruleset.hook_chains(hook).is_empty();
    if !(filters(Hook::Prerouting) || filters(Hook::Input)) {
        return Vec::new();
    }
    let fields = &ruleset.fields;
    let ports = IntSet::from_ranges(
        model
            .ssh_ports
            .iter()
            .map(|&p| (u128::from(p), u128::from(p)))
            .collect(),
    );
    let interfaces = fields.names.network();
    let id = |key: &str| fields.id(key).expect("always a field");
    let mut incoming = Cube::universe();
    incoming.constrain(
        fields,
        id("meta nfproto"),
        IntSet::from_ranges(vec![(2, 2), (10, 10)]),
    );
    incoming.constrain(fields, id("meta l4proto"), IntSet::single(6));
    let mut replies = incoming.clone();
    incoming.constrain(fields, id("th dport"), ports.clone());
    incoming.constrain(
        fields,
        id("ct state"),
        IntSet::single(ct_state_index("new")),
    );
    incoming.constrain(fields, id("meta iifname"), interfaces.clone());
    incoming.constrain(fields, id("meta oifname"), IntSet::single(0));
    replies.constrain(fields, id("th sport"), ports);
    replies.constrain(
        fields,
        id("ct state"),
        IntSet::single(ct_state_index("established")),
    );
    replies.constrain(fields, id("meta iifname"), IntSet::single(0));
    replies.constrain(fields, id("meta oifname"), interfaces);
    let directions = [
        (
            incoming,
            Direction {
                hooks: [Hook::Prerouting, Hook::Input],
                what: "no new SSH connection from the network is accepted",
            },
        ),
        (
            replies,
            Direction {
                hooks: [Hook::Output, Hook::Postrouting],
                what: "the replies of SSH connections are dropped on their way out",
            },
        ),
    ];
    for (packets, direction) in &directions {
        if let Some(diagnostic) = locked_out(model, space, packets, direction) {
            return vec![diagnostic];
        }
    }
    Vec::new()
}

/// A finding when no packet of `packets` passes both hooks of `direction`.
fn locked_out(
    model: &Model,
    space: &Space,
    packets: &Cube,
    direction: &Direction,
) -> Option<Diagnostic> {
    let ruleset = &space.ruleset;
    let run = |point: &Point| ruleset.run_path(&direction.hooks, point);
    // A packet that gets through settles it; most rulesets give one at once.
    let candidates = candidates(space, packets);
    let mut dropped = None;
    for point in &candidates {
        let outcome = run(point);
        match outcome.verdict {
            Verdict::Drop => {
                dropped.get_or_insert((point.clone(), outcome.decider));
            }
            Verdict::Accept | Verdict::Unknown => return None,
        }
    }
    // None did: prove that no packet at all gets through.
    let encoder = Encoder::new(&ruleset.fields);
    let pipeline = Pipeline::new(ruleset, &encoder, packets);
    let mut passing: Bdd = encoder.cube(packets);
    for hook in direction.hooks {
        passing = pipeline.passes(hook, passing)?;
    }
    if !passing.is_false() {
        return None;
    }
    let (packet, decider) = dropped?;
    Some(report(model, space, direction, &packet, decider?))
}

/// Packets worth trying first: the lowest and highest of the set, and one for each rule that
/// accepts (or may accept) some of it.
fn candidates(space: &Space, packets: &Cube) -> Vec<Point> {
    let fields = &space.ruleset.fields;
    let mut points = vec![packets.sample(fields, false), packets.sample(fields, true)];
    let accepting = space
        .ruleset
        .chains
        .iter()
        .flat_map(|c| &c.rules)
        .filter(|r| {
            matches!(
                r.action,
                Action::Accept | Action::Elsewhere | Action::Jump(_) | Action::Goto(_)
            )
        });
    for rule in accepting {
        if points.len() >= MAX_CANDIDATES {
            break;
        }
        if let Some(meet) = rule.cube.meet(packets) {
            points.push(meet.sample(fields, false));
        }
    }
    points
}

fn report(
    model: &Model,
    space: &Space,
    direction: &Direction,
    packet: &Point,
    decider: Decider,
) -> Diagnostic {
    let (loc, by) = space.decider_text(model, decider);
    let mut diagnostic = model.diagnostic(
        &RULE,
        &loc,
        format!(
            "SSH lockout: {}; e.g. `{}` is dropped by {by}",
            direction.what,
            space.ruleset.fields.describe(packet)
        ),
    );
    diagnostic.help = Some(
        "accept SSH before this drop (`tcp dport 22 accept`, or from your management addresses), or set `ssh-ports` in nftlint.toml if SSH listens elsewhere".to_string(),
    );
    diagnostic
}

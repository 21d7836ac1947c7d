//! Semantics the kernel test lab cannot show (ingress chains, `iif` on output, states it cannot
//! send, `queue`), each a ruleset and packets with the verdict and decider the kernel's
//! documented behaviour gives.

use std::path::Path;

use super::{Interpreter, Packet, Path as PacketPath, Said, Verdict};
use crate::{DiskLoader, Options};

/// Runs each packet in turn and gives its verdict and the last event, `chain:rule verdict`.
fn run(ruleset: &str, path: PacketPath, packets: &[&str]) -> Vec<String> {
    let text = format!("{ruleset}\n");
    let mut interpreter =
        Interpreter::load(Path::new("t.nft"), text, &Options::default(), &DiskLoader);
    assert!(
        interpreter.errors().is_empty(),
        "{:?}",
        interpreter.errors()
    );
    packets
        .iter()
        .map(|spec| {
            let packet = Packet::parse(spec, path).unwrap();
            let outcome = interpreter.run(&packet, path, 0);
            let last = outcome.trace.last().map_or("-".to_string(), |e| {
                let rule = e.rule.map_or("policy".to_string(), |r| r.to_string());
                format!("{}:{rule} {}", e.chain, e.verdict)
            });
            match outcome.verdict {
                Verdict::Accept => format!("accept by {last}"),
                Verdict::Drop => format!("drop by {last}"),
                Verdict::Unknown { why, .. } => format!("unknown: {why}"),
            }
        })
        .collect()
}

#[test]
fn ingress_chains_see_the_packets_of_their_devices() {
    let ruleset = "table netdev n {
        chain c { type filter hook ingress device \"eth0\" priority 0; policy accept; ip saddr 192.0.2.9 drop; }
    }
    table inet t { chain i { type filter hook input priority 0; policy accept; counter; }
}";
    assert_eq!(
        run(
            ruleset,
            PacketPath::Input,
            &["ip saddr 192.0.2.9", "iifname eth1 ip saddr 192.0.2.9"]
        ),
        ["drop by c:0 drop", "accept by i:policy accept"]
    );
}

#[test]
fn without_a_device_iifname_is_empty_and_iif_is_missing() {
    let ruleset = "table inet t { chain o {
        type filter hook output priority 0; policy drop;
        iif != \"eth0\" accept
        iifname != \"eth0\" accept
    }
}";
    assert_eq!(
        run(ruleset, PacketPath::Output, &["tcp dport 22"]),
        ["accept by o:1 accept"]
    );
}

#[test]
fn states_the_lab_cannot_send() {
    let ruleset = "table inet t { chain i {
        type filter hook input priority 0; policy accept;
        ct state invalid drop
        ct state related ct mark 0 accept
        ct mark 0 drop
    }
}";
    assert_eq!(
        run(
            ruleset,
            PacketPath::Input,
            &[
                "ct state invalid",
                "icmp type destination-unreachable ct state related",
                "ct state untracked"
            ]
        ),
        // An untracked packet has no conntrack mark to match.
        [
            "drop by i:0 drop",
            "accept by i:1 accept",
            "accept by i:policy accept"
        ]
    );
}

#[test]
fn notrack_after_conntrack_changes_nothing() {
    let ruleset = "table inet t {
        chain raw { type filter hook prerouting priority -300; policy accept; tcp dport 1 notrack; }
        chain late { type filter hook prerouting priority 0; policy accept; tcp dport 2 notrack; }
        chain i { type filter hook input priority 0; policy accept; ct state untracked drop; }
    }";
    assert_eq!(
        run(ruleset, PacketPath::Input, &["tcp dport 1", "tcp dport 2"]),
        ["drop by i:0 drop", "accept by i:policy accept"]
    );
}

#[test]
fn quotas_count_bytes() {
    // 40-byte TCP packets: a quota of 100 bytes is over with the third.
    let ruleset = "table ip t { chain i {
        type filter hook input priority 0; policy accept;
        quota over 100 bytes drop
    }
}";
    assert_eq!(
        run(ruleset, PacketPath::Input, &["tcp dport 1"; 3]),
        [
            "accept by i:policy accept",
            "accept by i:policy accept",
            "drop by i:0 drop"
        ]
    );
}

#[test]
fn limits_over_match_past_the_burst() {
    let ruleset = "table ip t { chain i {
        type filter hook input priority 0; policy accept;
        limit rate over 1/minute burst 2 packets reject
    }
}";
    assert_eq!(
        run(ruleset, PacketPath::Input, &["tcp dport 1"; 3]),
        [
            "accept by i:policy accept",
            "accept by i:policy accept",
            "drop by i:0 drop"
        ]
    );
}

#[test]
fn what_cannot_be_evaluated_is_said() {
    let ruleset = "table inet t { chain i {
        type filter hook input priority 0; policy accept;
        tcp dport 1 queue
        tcp dport 2 fib daddr type local accept
        tcp dport 3 jump { accept; }
    }
}";
    let outcomes = run(
        ruleset,
        PacketPath::Input,
        &["tcp dport 1", "tcp dport 2", "tcp dport 3"],
    );
    for outcome in &outcomes {
        assert!(
            outcome.starts_with("unknown: nftlint does not"),
            "{outcome}"
        );
    }
}

#[test]
fn said_prints_as_the_trace_does() {
    assert_eq!(Said::Jump("sub".into()).to_string(), "jump sub");
    assert_eq!(Said::Continue.to_string(), "continue");
}

/// Comment lines above a rule or a set element belong to it, and hide nothing: the rule's
/// verdict and the element's value are read as if the comments were not there.
#[test]
fn comments_above_rules_and_elements_hide_nothing() {
    let ruleset = "table inet t {
    chain input {
        type filter hook input priority 0; policy drop;
        # SSH
        jump ssh
        # the web
        tcp dport {
            # plain
            80,
            # secure
            443
        } accept
    }
    chain ssh {
        tcp dport 22 accept
    }
}";
    assert_eq!(
        run(
            ruleset,
            PacketPath::Input,
            &[
                "tcp dport 22",
                "tcp dport 80",
                "tcp dport 443",
                "tcp dport 25"
            ]
        ),
        [
            "accept by ssh:0 accept",
            "accept by input:1 accept",
            "accept by input:1 accept",
            "drop by input:policy drop",
        ]
    );
}

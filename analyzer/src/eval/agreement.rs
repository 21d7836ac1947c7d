//! The interpreter held to the analysis: on generated rulesets and packets, every rule the
//! interpreter finds a packet matching is one the analysis says packets reach, and the packet
//! lies in the rule's compiled cube. The two read matches through the same lowered predicates;
//! this keeps their two uses of them (concrete and symbolic) from drifting apart.

use std::path::Path;

use proptest::prelude::*;

use super::packet::{Packet, Path as PacketPath};
use super::{Interpreter, Verdict};
use crate::space::agreement as generate;
use crate::space::field::{CT_STATES, Domain};
use crate::space::reach::Reach;
use crate::{DiskLoader, Options};

const CONDITIONS: &[&str] = &[
    "tcp dport 22",
    "tcp dport { 22, 80 }",
    "tcp dport 20-100",
    "tcp dport != 80",
    "udp dport 53",
    "th dport 80",
    "meta l4proto tcp",
    "ip saddr 10.0.0.0/8",
    "ip saddr != 10.1.0.0/16",
    "ip saddr @allow",
    "ip saddr . tcp dport { 10.1.2.3 . 22 }",
    "ip6 saddr 2001:db8::/32",
    "meta nfproto ipv6",
    "ct state new",
    "ct state established,related",
    "ct state != invalid",
    "iifname \"eth0\"",
    "iifname \"eth*\"",
    "iifname != \"lo\"",
    "meta mark 5",
    "tcp flags syn",
    "tcp flags & (syn | ack) == syn",
    "limit rate 1/second",
];

const ACTIONS: &[&str] = &[
    "accept",
    "drop",
    "return",
    "counter",
    "jump sub",
    "goto sub",
    "meta mark set 5",
    "reject",
    "tcp dport vmap { 22 : accept, 80 : jump sub }",
    "tcp dport vmap @verdicts",
];

/// The generated rulesets, with a named set for `@allow` and a verdict map for `@verdicts`.
fn ruleset(input: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    generate::ruleset(
        generate::rule(CONDITIONS, ACTIONS),
        input,
        concat!(
            "\tset allow {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\telements = { 10.1.0.0/16, 192.0.2.7 }\n\t}\n",
            "\tmap verdicts {\n\t\ttype inet_service : verdict\n\t\telements = { 22 : drop, 443 : goto sub }\n\t}\n",
        ),
    )
}

fn packet() -> impl Strategy<Value = String> {
    let one = |words: &'static [&'static str]| proptest::sample::select(words);
    (
        one(&["eth0", "eth1", "lo", "wlan0"]),
        one(&[
            "ip saddr 10.1.2.3",
            "ip saddr 10.2.0.1",
            "ip saddr 192.0.2.7",
            "ip saddr 203.0.113.5",
            "ip6 saddr 2001:db8::1",
            "ip6 saddr 2001:db9::1",
        ]),
        one(&[
            "tcp dport 22",
            "tcp dport 80",
            "tcp dport 443 tcp flags ack",
            "udp dport 53",
            "udp dport 80",
            "",
        ]),
        one(&["new", "established", "related", "invalid", "untracked"]),
        one(&["0", "5"]),
    )
        .prop_map(|(iif, address, transport, state, mark)| {
            format!("iifname {iif} {address} {transport} ct state {state} mark {mark}")
        })
}

/// The packet as a point of the analysis's fields: interface names by the number of the name
/// class they fall in, conntrack states by their index, what the packet lacks as 0.
fn point(interpreter_packet: &Packet, fields: &crate::space::field::Fields) -> Vec<u128> {
    use super::ops::{Key, Value};
    fields
        .fields
        .iter()
        .map(|field| {
            let Some(key) = Key::of(&field.key) else {
                return 0;
            };
            match (interpreter_packet.value(key), field.domain) {
                (Value::Name(""), _) => 0,
                (Value::Name(name), _) => fields.names.classify(name),
                (Value::Int(bit), Domain::CtState) => CT_STATES
                    .iter()
                    .position(|&(_, b)| b == bit)
                    .expect("a conntrack state")
                    as u128,
                (Value::Int(value), _) => value,
                (Value::Missing, _) => 0,
            }
        })
        .collect()
}

/// A second table like the first on the same hook, before or after it: what one of the two
/// drops, the other never sees.
fn two_tables() -> impl Strategy<Value = String> {
    (
        ruleset(1..5),
        ruleset(1..5),
        proptest::sample::select(&[-300, -10, 10][..]),
    )
        .prop_map(|(first, second, priority)| {
            let second = second
                .replacen("table inet t {", "table inet u {", 1)
                .replacen("priority 0;", &format!("priority {priority};"), 1);
            first + &second
        })
}

/// Runs each packet through `text` and requires every rule it matches to be one the analysis
/// reaches, with the packet in the rule's cube.
fn interpreter_and_analysis_agree(text: &str, packets: &[String]) -> Result<(), TestCaseError> {
    let path = Path::new("gen.nft");
    let model = crate::model::of_text("gen.nft", text);
    let space = model.space();
    let mut interpreter =
        Interpreter::load(path, text.to_string(), &Options::default(), &DiskLoader);
    for spec in packets {
        let packet = Packet::parse(spec, PacketPath::Input).expect("a valid packet");
        let outcome = interpreter.run(&packet, PacketPath::Input, 0);
        prop_assert!(
            !matches!(outcome.verdict, Verdict::Unknown { .. }),
            "{spec}: {:?}\n{text}",
            outcome.verdict
        );
        let point = point(&packet, &space.ruleset.fields);
        for event in &outcome.trace {
            let Some(rule) = event.rule else { continue };
            let chain = space
                .ruleset
                .chains
                .iter()
                .position(|c| {
                    *c.name == *event.chain && *model.tables[c.table].name == *event.table
                })
                .expect("the same chains");
            let compiled = &space.ruleset.chains[chain].rules[rule];
            // A mark set earlier in the run is not the packet's own: the analysis leaves
            // matches on rewritten fields unconstrained, so the cube holds either value.
            prop_assert!(
                compiled.cube.contains(&point),
                "{spec} matches rule {rule} of {}, outside its cube\n{text}",
                event.chain
            );
            let reach = &space.reach.rules[chain][rule];
            // The analysis follows jumps, gotos and verdict maps alike: a rule the
            // interpreter matches lies on some path it walked.
            prop_assert!(
                !matches!(
                    reach,
                    Reach::Dead { .. } | Reach::Impossible | Reach::Unvisited
                ),
                "{spec} matches rule {rule} of {} {}, which the analysis finds {reach:?}\n{text}",
                event.table,
                event.chain
            );
        }
    }
    Ok(())
}

/// The cases the properties below found, as they shrank them: a chain entered by a verdict map
/// and by a plain jump; a drop after a jump into a chain whose verdict map may accept, with a
/// second table after it. (The third, an input chain below priority -200, the interpreter and
/// the analysis now read from one `Hook::before_conntrack`: the kernel case
/// `hand-conntrack-after-prerouting` holds it.)
#[test]
fn the_cases_found_agree() {
    let base =
        |priority: i32| format!("\t\ttype filter hook input priority {priority}; policy accept;\n");
    let cases = [
        (
            format!(
                "table inet t {{\n\tchain input {{\n{}\t\ttcp dport vmap {{ 22 : accept, 80 : jump sub }}\n\t\tiifname \"eth*\" jump sub\n\t}}\n\tchain sub {{\n\t\tiifname \"eth*\" accept\n\t\taccept\n\t}}\n}}\n",
                base(0)
            ),
            "iifname lo ip saddr 10.1.2.3 tcp dport 80 ct state new mark 0",
        ),
        (
            format!(
                "table inet t {{\n\tchain input {{\n{}\t\tjump sub\n\t\treject\n\t}}\n\tchain sub {{\n\t\ttcp dport vmap {{ 22 : accept, 80 : accept }}\n\t}}\n}}\ntable inet u {{\n\tchain input {{\n{}\t\taccept\n\t}}\n}}\n",
                base(0),
                base(10)
            ),
            "iifname eth0 ip saddr 10.1.2.3 tcp dport 22 ct state new mark 0",
        ),
    ];
    for (text, packet) in cases {
        if let Err(failure) = interpreter_and_analysis_agree(&text, &[packet.to_string()]) {
            panic!("{failure}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn what_the_interpreter_matches_the_analysis_reaches(
        text in ruleset(1..7),
        packets in proptest::collection::vec(packet(), 1..8),
    ) {
        interpreter_and_analysis_agree(&text, &packets)?;
    }

    #[test]
    fn across_tables_what_the_interpreter_matches_the_analysis_reaches(
        text in two_tables(),
        packets in proptest::collection::vec(packet(), 1..8),
    ) {
        interpreter_and_analysis_agree(&text, &packets)?;
    }

    /// The index only skips rules that could not match: long chains run alike with it and
    /// rule by rule, trace for trace.
    #[test]
    fn the_index_skips_only_rules_that_cannot_match(
        text in ruleset(17..60),
        packets in proptest::collection::vec(packet(), 1..16),
    ) {
        let path = Path::new("gen.nft");
        let load = || Interpreter::load(path, text.clone(), &Options::default(), &DiskLoader);
        let (mut indexed, mut plain) = (load(), load().without_index());
        for spec in &packets {
            let packet = Packet::parse(spec, PacketPath::Input).expect("a valid packet");
            prop_assert_eq!(
                indexed.run(&packet, PacketPath::Input, 0),
                plain.run(&packet, PacketPath::Input, 0),
                "{}\n{}", spec, text
            );
        }
    }
}

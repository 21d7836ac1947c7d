//! The analysis held to concrete evaluation: on small generated rulesets, a rule is reported
//! unreachable exactly when no packet of an exhaustive grid reaches and matches it. The grid
//! takes, per field, every value where some rule's interval starts or ends, so every region the
//! rules carve out of the packet space holds one of its packets.

use proptest::prelude::*;

use super::Space;
use super::reach::Reach;
use crate::symbols::families::Hook;

const CONDITIONS: &[&str] = &[
    "tcp dport 22",
    "tcp dport 20-100",
    "udp dport 53",
    "th dport 80",
    "meta l4proto tcp",
    "ip saddr 10.0.0.0/8",
    "ip saddr 10.1.2.3",
    "ip saddr != 10.1.0.0/16",
    "meta nfproto ipv6",
    "ct state new",
    "ct state established,related",
    "ct state != invalid",
    "iifname \"eth0\"",
    "iifname \"eth*\"",
    "iifname != \"lo\"",
];

const VERDICTS: &[&str] = &[
    "accept", "drop", "return", "counter", "jump sub", "goto sub",
];

/// A rule: up to three of `conditions` and one of `actions`.
pub(crate) fn rule(
    conditions: &'static [&'static str],
    actions: &'static [&'static str],
) -> impl Strategy<Value = String> + Clone {
    (
        proptest::sample::subsequence(conditions, 0..=3),
        proptest::sample::select(actions),
    )
        .prop_map(|(conditions, action)| format!("{} {action}", conditions.join(" ")))
}

/// A table with `prelude` (sets), an input base chain of `input` rules, a regular chain `sub`
/// the rules may jump or go to, and a chain `leaf` that `sub`'s rules may jump or go to in turn
/// (its own rules accept and drop instead, and look up no map that goes anywhere, so nothing
/// loops).
pub(crate) fn ruleset(
    rule: impl Strategy<Value = String> + Clone,
    input: std::ops::Range<usize>,
    prelude: &'static str,
) -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(rule.clone(), input),
        proptest::collection::vec(rule.clone(), 0..4),
        proptest::collection::vec(rule, 0..3),
        any::<bool>(),
    )
        .prop_map(move |(input, sub, leaf, drop)| {
            let lines = |rules: Vec<String>, to: &str| {
                rules
                    .into_iter()
                    .map(|r| {
                        let (jump, goto) = match to {
                            "" => ("accept".to_string(), "drop".to_string()),
                            to => (format!("jump {to}"), format!("goto {to}")),
                        };
                        r.replace("jump sub", &jump)
                            .replace("goto sub", &goto)
                            .replace("@verdicts", "{ 22 : drop }")
                    })
                    .collect::<Vec<_>>()
                    .join("\n\t\t")
            };
            format!(
                "table inet t {{\n{prelude}\tchain input {{\n\t\ttype filter hook input priority 0; policy {};\n\t\t{}\n\t}}\n\tchain sub {{\n\t\t{}\n\t}}\n\tchain leaf {{\n\t\t{}\n\t}}\n}}\n",
                if drop { "drop" } else { "accept" },
                input.join("\n\t\t"),
                lines(sub, "leaf"),
                lines(leaf, ""),
            )
        })
}

/// Per field, the values where an interval of a rule or a hook starts or ends, and their
/// neighbours.
fn grid(space: &Space) -> Vec<Vec<u128>> {
    let fields = &space.ruleset.fields;
    (0..fields.len())
        .map(|field| {
            let max = fields.max(field);
            let mut values = vec![0, max];
            let chains = space.ruleset.chains.iter();
            let universes = chains
                .clone()
                .filter_map(|c| Some(&c.base.as_ref()?.universe));
            let cubes = chains
                .flat_map(|c| &c.rules)
                .map(|r| &r.cube)
                .chain(universes);
            for cube in cubes {
                for &(lo, hi) in cube.get(field).map(|s| s.ranges()).unwrap_or_default() {
                    values.extend([lo, hi, lo.saturating_sub(1), hi.saturating_add(1).min(max)]);
                }
            }
            values.sort_unstable();
            values.dedup();
            values
        })
        .collect()
}

fn every_point(grid: &[Vec<u128>], mut visit: impl FnMut(&[u128])) {
    let mut point: Vec<u128> = grid.iter().map(|v| v[0]).collect();
    let mut at = vec![0usize; grid.len()];
    loop {
        visit(&point);
        let mut field = 0;
        loop {
            if field == grid.len() {
                return;
            }
            at[field] += 1;
            if at[field] < grid[field].len() {
                point[field] = grid[field][at[field]];
                break;
            }
            at[field] = 0;
            point[field] = grid[field][0];
            field += 1;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn dead_exactly_when_no_packet_of_the_grid_reaches(
        text in ruleset(rule(CONDITIONS, VERDICTS), 1..7, "")
    ) {
        let model = crate::model::of_text("gen.nft", &text);
        let space = model.space();
        let ruleset = &space.ruleset;
        let universe = &ruleset.chains[0].base.as_ref().expect("input is a base chain").universe;
        let mut reached: Vec<Vec<bool>> =
            ruleset.chains.iter().map(|c| vec![false; c.rules.len()]).collect();
        every_point(&grid(space), |point| {
            if universe.contains(point) {
                for (chain, rule) in ruleset.run(Hook::Input, &point.to_vec()).matched {
                    reached[chain][rule] = true;
                }
            }
        });
        for (chain, rules) in space.reach.rules.iter().enumerate() {
            for (rule, reach) in rules.iter().enumerate() {
                let analysed_dead = !matches!(reach, Reach::Reached | Reach::Unknown);
                prop_assert!(
                    analysed_dead != reached[chain][rule],
                    "rule {rule} of chain {chain}: analysis says {reach:?}, the grid {} it\n{text}",
                    if reached[chain][rule] { "reaches" } else { "never reaches" }
                );
            }
        }
    }
}

//! Which rules of a chain a packet can match at all, found without running the others: a
//! chain of thousands of rules costs a packet a few lookups, not thousands of tests.
//!
//! The tests a rule runs before any statement with an effect are conditions it cannot match
//! without. Per field (ports, addresses, protocols, interfaces, conntrack state) the index
//! keeps the rules with such a condition on the field, looked up by the packet's value (a
//! segment tree over intervals, names by name and prefix), and the rules free of one. A
//! packet's candidates are the rules that, on every field, are free or have their condition
//! hold: skipping the others is exact, as each would fail a test before doing anything.

use std::collections::HashMap;

use super::ops::{Key, Op, Part, Test, Value};
use super::packet::Packet;
use super::program::RuleCode;
use crate::model::predicate::Relation;
use crate::space::intset::IntSet;

/// Chains this short are run rule by rule: an index would cost more than it saves.
const SHORT_CHAIN: usize = 16;

/// The fields that may be indexed. `ct state` only where nothing changes it (`notrack`), and
/// never marks, which rules set.
const FIELDS: [Key; 13] = [
    Key::Nfproto,
    Key::L4proto,
    Key::Dport,
    Key::Sport,
    Key::Saddr4,
    Key::Daddr4,
    Key::Saddr6,
    Key::Daddr6,
    Key::Iifname,
    Key::Oifname,
    Key::Iif,
    Key::Oif,
    Key::CtState,
];

#[derive(Debug, Clone, Default)]
pub(crate) struct ChainIndex {
    rules: usize,
    /// The fields some rule of the chain has a condition on.
    fields: Vec<FieldIndex>,
    /// Per rule, a bit per leading test (by position, the first 64) that the index checks:
    /// a candidate passed those already.
    checked: Vec<u64>,
}

#[derive(Debug, Clone)]
struct FieldIndex {
    key: Key,
    /// A bit per rule: set for the rules without a condition on the field.
    free: Vec<u64>,
    lookup: Lookup,
}

#[derive(Debug, Clone)]
enum Lookup {
    /// Few distinct intervals (families, protocols, states): per elementary interval, the
    /// rules a value in it lets through, free ones included.
    Dense {
        starts: Vec<u128>,
        passing: Vec<Vec<u64>>,
    },
    /// Many (ports, addresses): the rules whose condition a value meets.
    Sparse(SegmentTree),
    Names {
        /// Per name some rule spells out, the rules it lets through, free ones included.
        exact: HashMap<String, Vec<u64>>,
        /// Per wildcard, the rules it belongs to: for the names no rule spells out.
        prefixes: Vec<(String, Vec<u32>)>,
    },
}

/// Fields with at most this many elementary intervals are looked up densely.
const DENSE: usize = 32;

/// A condition of a rule on one field.
enum Condition<'r> {
    Ints(&'r [(u128, u128)]),
    /// `ct state established,related`: any of these bits.
    Bits(&'r [(u128, u128)]),
    Names(&'r [(String, bool)]),
}

impl ChainIndex {
    /// `state_fixed`: whether nothing in the program changes a packet's `ct state` mid-run.
    pub(crate) fn new(rules: &[RuleCode], state_fixed: bool) -> ChainIndex {
        if rules.len() <= SHORT_CHAIN {
            return ChainIndex::plain(rules.len());
        }
        let fields: Vec<FieldIndex> = FIELDS
            .into_iter()
            .filter(|&key| key != Key::CtState || state_fixed)
            .filter_map(|key| FieldIndex::new(key, rules))
            .collect();
        let checked = rules
            .iter()
            .map(|rule| {
                fields
                    .iter()
                    .filter_map(|field| condition(field.key, &rule.ops))
                    .filter(|&(at, _)| at < 64)
                    .fold(0u64, |bits, (at, _)| bits | 1 << at)
            })
            .collect();
        ChainIndex {
            rules: rules.len(),
            fields,
            checked,
        }
    }

    /// An index that lists every rule for every packet.
    pub(crate) fn plain(rules: usize) -> ChainIndex {
        ChainIndex {
            rules,
            fields: Vec::new(),
            checked: Vec::new(),
        }
    }

    /// The leading tests of `rule` (a bit per position) that a candidate has passed already.
    pub(crate) fn checked(&self, rule: usize) -> u64 {
        self.checked.get(rule).copied().unwrap_or(0)
    }

    /// The rules the packet may match, in order, into `out`; `all` and `bits` are scratch.
    pub(crate) fn candidates(
        &self,
        packet: &Packet,
        out: &mut Vec<u32>,
        (all, bits): (&mut Vec<u64>, &mut Vec<u64>),
    ) {
        out.clear();
        if self.fields.is_empty() {
            out.extend(0..self.rules as u32);
            return;
        }
        all.clear();
        all.resize(self.rules.div_ceil(64), u64::MAX);
        for field in &self.fields {
            field.narrow(packet.value(field.key), all, bits);
        }
        for (word, &set) in all.iter().enumerate() {
            let mut set = set;
            while set != 0 {
                let bit = set.trailing_zeros();
                let rule = word * 64 + bit as usize;
                if rule < self.rules {
                    out.push(rule as u32);
                }
                set &= set - 1;
            }
        }
    }
}

impl FieldIndex {
    /// The index of one field, or `None` when no rule has a condition on it.
    fn new(key: Key, rules: &[RuleCode]) -> Option<FieldIndex> {
        let mut free = vec![0u64; rules.len().div_ceil(64)];
        let mut conditions = Vec::new();
        for (at, rule) in rules.iter().enumerate() {
            match condition(key, &rule.ops) {
                Some((_, condition)) => conditions.push((at as u32, condition)),
                None => free[at / 64] |= 1 << (at % 64),
            }
        }
        if conditions.is_empty() {
            return None;
        }
        let lookup = match key {
            Key::Iifname | Key::Oifname | Key::Iif | Key::Oif => names(&conditions, &free),
            _ => {
                let ranges: Vec<(u32, Vec<(u128, u128)>)> = conditions
                    .iter()
                    .map(|(rule, condition)| match condition {
                        Condition::Ints(ranges) => (
                            *rule,
                            IntSet::from_ranges(ranges.to_vec()).ranges().to_vec(),
                        ),
                        Condition::Bits(bits) => (*rule, states_with_any(bits)),
                        Condition::Names(_) => (*rule, Vec::new()),
                    })
                    .collect();
                let tree = SegmentTree::new(&ranges);
                if tree.starts.len() <= DENSE {
                    let passing = (0..tree.starts.len())
                        .map(|at| {
                            let mut bits = free.clone();
                            tree.stab(tree.starts[at], &mut |rules| set_bits(&mut bits, rules));
                            bits
                        })
                        .collect();
                    Lookup::Dense {
                        starts: tree.starts,
                        passing,
                    }
                } else {
                    Lookup::Sparse(tree)
                }
            }
        };
        Some(FieldIndex { key, free, lookup })
    }

    /// Narrows `all` to the rules the value lets through: free, or meeting their condition.
    fn narrow(&self, value: Value, all: &mut [u64], bits: &mut Vec<u64>) {
        let passing: &[u64] = match (&self.lookup, value) {
            (Lookup::Dense { starts, passing }, Value::Int(value)) => {
                &passing[starts.partition_point(|&s| s <= value) - 1]
            }
            (Lookup::Names { exact, .. }, Value::Name(name)) if exact.contains_key(name) => {
                &exact[name]
            }
            (Lookup::Sparse(tree), Value::Int(value)) => {
                bits.clear();
                bits.extend_from_slice(&self.free);
                tree.stab(value, &mut |rules| set_bits(bits, rules));
                bits
            }
            (Lookup::Names { prefixes, .. }, Value::Name(name)) => {
                bits.clear();
                bits.extend_from_slice(&self.free);
                for (prefix, rules) in prefixes {
                    if name.starts_with(prefix.as_str()) {
                        set_bits(bits, rules);
                    }
                }
                bits
            }
            // A packet without the field meets no condition on it.
            _ => &self.free,
        };
        for (a, b) in all.iter_mut().zip(passing) {
            *a &= b;
        }
    }
}

fn set_bits(bits: &mut [u64], rules: &[u32]) {
    for &rule in rules {
        bits[rule as usize / 64] |= 1 << (rule % 64);
    }
}

/// The lookup of an interface field: every name a rule spells out with the rules it lets
/// through, and the wildcards for the others.
fn names(conditions: &[(u32, Condition)], free: &[u64]) -> Lookup {
    let mut spelled: HashMap<String, Vec<u32>> = HashMap::new();
    let mut prefixes: Vec<(String, Vec<u32>)> = Vec::new();
    for (rule, condition) in conditions {
        let Condition::Names(names) = condition else {
            continue;
        };
        for (name, prefix) in *names {
            let list = if *prefix {
                match prefixes.iter().position(|(p, _)| p == name) {
                    Some(at) => &mut prefixes[at].1,
                    None => {
                        prefixes.push((name.clone(), Vec::new()));
                        &mut prefixes.last_mut().expect("just pushed").1
                    }
                }
            } else {
                spelled.entry(name.clone()).or_default()
            };
            list.push(*rule);
        }
    }
    let exact = spelled
        .into_iter()
        .map(|(name, rules)| {
            let mut bits = free.to_vec();
            set_bits(&mut bits, &rules);
            for (prefix, rules) in &prefixes {
                if name.starts_with(prefix.as_str()) {
                    set_bits(&mut bits, rules);
                }
            }
            (name, bits)
        })
        .collect();
    Lookup::Names { exact, prefixes }
}

/// The condition a rule's leading tests put on `key`, if one does.
fn condition(key: Key, ops: &[Op]) -> Option<(usize, Condition<'_>)> {
    leading_tests(ops)
        .enumerate()
        .find_map(|(at, test)| match test {
            Test::Single {
                key: k,
                relation,
                part,
            } if *k == key => match (relation, part) {
                (Relation::AnyBits, Part::Ints(bits)) if key == Key::CtState => {
                    Some((at, Condition::Bits(bits)))
                }
                (Relation::Eq, Part::Ints(ranges)) => Some((at, Condition::Ints(ranges))),
                (Relation::Eq, Part::Names(names)) => Some((at, Condition::Names(names))),
                _ => None,
            },
            _ => None,
        })
}

/// The tests a rule runs before its first statement with an effect, in order.
pub(crate) fn leading_tests(ops: &[Op]) -> impl Iterator<Item = &Test> {
    ops.iter()
        .take_while(|op| matches!(op, Op::Test(_) | Op::Tests(_)))
        .flat_map(|op| match op {
            Op::Test(test) => std::slice::from_ref(test),
            Op::Tests(tests) => tests.as_slice(),
            _ => &[],
        })
}

/// The conntrack state bits (each a power of two up to 64) with any of `bits` set.
fn states_with_any(bits: &[(u128, u128)]) -> Vec<(u128, u128)> {
    let mask = bits.iter().fold(0, |acc, &(bit, _)| acc | bit);
    (0..8)
        .map(|shift| 1u128 << shift)
        .filter(|state| state & mask != 0)
        .map(|state| (state, state))
        .collect()
}

/// Rules by the intervals of values they accept, cut at every interval's ends.
#[derive(Debug, Clone)]
struct SegmentTree {
    /// Starts of the elementary intervals, sorted, the first 0.
    starts: Vec<u128>,
    /// Bottom-up layout: leaves from `leaves`, node `i`'s parent `i / 2`. A rule is listed in
    /// the nodes that together cover its intervals.
    nodes: Vec<Vec<u32>>,
    leaves: usize,
}

impl SegmentTree {
    /// `rules`: each rule with its intervals, disjoint.
    fn new(rules: &[(u32, Vec<(u128, u128)>)]) -> SegmentTree {
        let mut starts = vec![0u128];
        for (_, ranges) in rules {
            for &(lo, hi) in ranges {
                starts.push(lo);
                if let Some(after) = hi.checked_add(1) {
                    starts.push(after);
                }
            }
        }
        starts.sort_unstable();
        starts.dedup();
        let leaves = starts.len().next_power_of_two();
        let mut nodes = vec![Vec::new(); 2 * leaves];
        for (rule, ranges) in rules {
            for &(lo, hi) in ranges {
                let first = starts.partition_point(|&s| s < lo);
                let end = hi
                    .checked_add(1)
                    .map_or(starts.len(), |after| starts.partition_point(|&s| s < after));
                let (mut l, mut r) = (first + leaves, end + leaves);
                while l < r {
                    if l & 1 == 1 {
                        nodes[l].push(*rule);
                        l += 1;
                    }
                    if r & 1 == 1 {
                        r -= 1;
                        nodes[r].push(*rule);
                    }
                    l >>= 1;
                    r >>= 1;
                }
            }
        }
        SegmentTree {
            starts,
            nodes,
            leaves,
        }
    }

    /// Hands over the lists of the rules whose intervals hold `value`.
    fn stab(&self, value: u128, visit: &mut impl FnMut(&[u32])) {
        let leaf = self.starts.partition_point(|&s| s <= value) - 1;
        let mut node = leaf + self.leaves;
        while node > 0 {
            visit(&self.nodes[node]);
            node >>= 1;
        }
    }
}

//! The packet fields the analysis reasons about: one per thing a rule can look at, whichever
//! words it is spelled with (`tcp dport`, `udp dport` and `th dport` read the same two bytes).

use rustc_hash::{FxHashMap, FxHashSet};

use super::intset::{IntSet, max_of};
use crate::model::predicate::{FieldType, Predicate, field_type};

pub(crate) type FieldId = usize;

/// How a field's values are numbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Domain {
    /// Plain integers of this many bits: addresses, ports, marks, protocol numbers.
    Int(u32),
    /// Interface names, numbered through [`Names`].
    Names,
    /// `ct state`: one of the five states, numbered in [`CT_STATES`] order.
    CtState,
}

/// The conntrack states as nft numbers their bits, in the order the analysis numbers them.
pub(crate) const CT_STATES: [(&str, u128); 5] = [
    ("invalid", 1),
    ("established", 2),
    ("related", 4),
    ("new", 8),
    ("untracked", 64),
];

pub(crate) fn ct_state_index(name: &str) -> u128 {
    CT_STATES
        .iter()
        .position(|(n, _)| *n == name)
        .expect("a conntrack state") as u128
}

#[derive(Debug, Clone)]
pub(crate) struct Field {
    /// The selector's words, canonical: `th dport`, `meta iifname`, `ip saddr`.
    pub key: String,
    pub domain: Domain,
}

/// Interface names as numbers. Rules name interfaces exactly (`"eth0"`) or by prefix
/// (`"eth*"`); each gets a representative name, and one more stands for every name no rule
/// mentions. Number 0 is no interface at all (`iifname` on the output hook): only `iifname !=`
/// accepts it, as the kernel reads a missing device's name as "".
#[derive(Debug, Clone, Default)]
pub(crate) struct Names {
    /// Representatives by number, from 1: an exact name, or a prefix followed by `\u{1}`
    /// (a name with that prefix that no rule spells out).
    reps: Vec<String>,
}

/// Marks a representative that stands for names no rule spells out.
const UNNAMED: char = '\u{1}';

impl Names {
    fn new(mut patterns: Vec<(String, bool)>) -> Self {
        patterns.push(("lo".to_string(), false));
        patterns.push((String::new(), true));
        let mut reps: Vec<String> = patterns
            .into_iter()
            .map(|(name, prefix)| {
                if prefix {
                    format!("{name}{UNNAMED}")
                } else {
                    name
                }
            })
            .collect();
        reps.sort();
        reps.dedup();
        Names { reps }
    }

    pub(crate) fn max(&self) -> u128 {
        self.reps.len() as u128
    }

    /// The numbers of every interface but loopback: where traffic from the network comes in.
    pub(crate) fn network(&self) -> IntSet {
        IntSet::range(1, self.max()).minus(&self.matching("lo", false), self.max())
    }

    /// The numbers of the names a pattern matches.
    pub(crate) fn matching(&self, name: &str, prefix: bool) -> IntSet {
        IntSet::from_ranges(
            self.reps
                .iter()
                .enumerate()
                .filter(|(_, rep)| {
                    if prefix {
                        rep.starts_with(name)
                    } else {
                        rep.as_str() == name
                    }
                })
                .map(|(i, _)| (i as u128 + 1, i as u128 + 1))
                .collect(),
        )
    }

    /// The number of a concrete interface name: its own if a rule spells it out, else that of
    /// the longest wildcard it matches (the empty one matches every name).
    #[cfg(test)]
    pub(crate) fn classify(&self, name: &str) -> u128 {
        let exact = self.reps.iter().position(|rep| rep == name);
        let wildcard = || {
            self.reps
                .iter()
                .enumerate()
                .filter_map(|(i, rep)| Some((i, rep.strip_suffix(UNNAMED)?)))
                .filter(|(_, prefix)| name.starts_with(prefix))
                .max_by_key(|(_, prefix)| prefix.len())
                .map(|(i, _)| i)
        };
        exact.or_else(wildcard).map_or(0, |i| i as u128 + 1)
    }

    /// A plausible interface name no rule names or matches with a wildcard.
    fn unnamed(&self) -> String {
        let taken = |name: &str| {
            self.reps.iter().any(|rep| match rep.strip_suffix(UNNAMED) {
                Some(prefix) => !prefix.is_empty() && name.starts_with(prefix),
                None => rep == name,
            })
        };
        ["eth0", "ens3", "enp1s0", "wlan0"]
            .into_iter()
            .find(|name| !taken(name))
            .unwrap_or("if0")
            .to_string()
    }

    /// A name for number `id`, as a packet description shows it.
    pub(crate) fn describe(&self, id: u128) -> String {
        match id {
            0 => "(none)".to_string(),
            id => {
                let rep = &self.reps[id as usize - 1];
                match rep.strip_suffix(UNNAMED) {
                    Some("") => self.unnamed(),
                    Some(prefix) => format!("{prefix}99"),
                    None => rep.clone(),
                }
            }
        }
    }
}

/// Every field the ruleset's matches read, numbered so that the fields that split packets
/// coarsely (family, protocol, state, interfaces) come first and addresses last: the order
/// decision diagrams are smallest in.
#[derive(Debug, Clone)]
pub(crate) struct Fields {
    pub fields: Vec<Field>,
    by_key: FxHashMap<String, FieldId>,
    /// The field of each selector spelling the predicates used.
    by_selector: FxHashMap<String, Option<FieldId>>,
    pub names: Names,
}

/// The canonical key of a selector, or `None` for selectors nftlint does not model.
pub(crate) fn canonical(selector: &str) -> Option<(&'static str, Domain)> {
    let words: Vec<&str> = selector.split(' ').collect();
    let canonical = match words.as_slice() {
        ["meta", "nfproto"] => "meta nfproto",
        ["meta", "l4proto"] | ["ip", "protocol"] | ["ip6", "nexthdr"] => "meta l4proto",
        ["ct", "state"] => return Some(("ct state", Domain::CtState)),
        ["meta", "iifname" | "iif"] => return Some(("meta iifname", Domain::Names)),
        ["meta", "oifname" | "oif"] => return Some(("meta oifname", Domain::Names)),
        [
            "tcp" | "udp" | "udplite" | "sctp" | "dccp" | "th",
            port @ ("sport" | "dport"),
        ] => {
            if *port == "sport" {
                "th sport"
            } else {
                "th dport"
            }
        }
        ["icmp" | "icmpv6", "type"] => "icmp type",
        ["icmp" | "icmpv6", "code"] => "icmp code",
        ["ip", "saddr"] => "ip saddr",
        ["ip", "daddr"] => "ip daddr",
        ["ip6", "saddr"] => "ip6 saddr",
        ["ip6", "daddr"] => "ip6 daddr",
        ["meta", "mark"] => "meta mark",
        ["ct", "mark"] => "ct mark",
        ["tcp", "flags"] => "tcp flags",
        ["meta", "pkttype"] => "meta pkttype",
        ["ct", "direction"] => "ct direction",
        ["ct", "status"] => "ct status",
        ["ip" | "ip6", "dscp"] => "ip dscp",
        ["meta", "iiftype"] => "meta iiftype",
        ["meta", "oiftype"] => "meta oiftype",
        ["igmp", "type"] => "igmp type",
        _ => return None,
    };
    let bits = match field_type(&words)? {
        FieldType::Name => return None,
        field => field.width()?,
    };
    Some((canonical, Domain::Int(bits)))
}

/// Rank of a key in the variable order: small, coarse fields first.
fn rank(key: &str) -> u8 {
    match key {
        "meta nfproto" => 0,
        "meta l4proto" => 1,
        "ct state" => 2,
        "meta iifname" => 3,
        "meta oifname" => 4,
        "th dport" => 6,
        "th sport" => 7,
        "icmp type" => 8,
        "icmp code" => 9,
        "ip saddr" => 12,
        "ip daddr" => 13,
        "ip6 saddr" => 14,
        "ip6 daddr" => 15,
        _ => 5,
    }
}

/// The fields every analysis needs whether rules mention them or not: the family, the
/// protocol, the state and the interfaces a lockout check speaks of, the port it protects.
const ALWAYS: [&str; 7] = [
    "meta nfproto",
    "meta l4proto",
    "ct state",
    "meta iifname",
    "meta oifname",
    "th dport",
    "th sport",
];

impl Fields {
    /// The fields of these predicates, with the interface names they mention.
    pub(crate) fn new<'p>(predicates: impl Iterator<Item = &'p Predicate>) -> Self {
        let mut keys: Vec<(&'static str, Domain)> = ALWAYS
            .iter()
            .map(|k| canonical(k).expect("a modelled selector"))
            .collect();
        let mut patterns: FxHashSet<&(String, bool)> = FxHashSet::default();
        // Rulesets spell the same few selectors thousands of times: read each spelling once.
        let mut spellings: FxHashMap<&str, Option<(&'static str, Domain)>> = FxHashMap::default();
        for predicate in predicates {
            let selector = predicate.selector.as_str();
            let Some(field) = *spellings
                .entry(selector)
                .or_insert_with(|| canonical(selector))
            else {
                continue;
            };
            if !keys.contains(&field) {
                keys.push(field);
            }
            if field.1 == Domain::Names
                && let crate::model::predicate::Values::Names(names) = &predicate.values
            {
                patterns.extend(names);
            }
        }
        keys.sort_by_key(|(key, _)| (rank(key), *key));
        let fields: Vec<Field> = keys
            .into_iter()
            .map(|(key, domain)| Field {
                key: key.to_string(),
                domain,
            })
            .collect();
        let by_key: FxHashMap<String, FieldId> = fields
            .iter()
            .enumerate()
            .map(|(i, f)| (f.key.clone(), i))
            .collect();
        let by_selector = spellings
            .into_iter()
            .map(|(selector, field)| {
                let id = field.and_then(|(key, _)| by_key.get(key).copied());
                (selector.to_string(), id)
            })
            .collect();
        Fields {
            fields,
            by_key,
            by_selector,
            names: Names::new(patterns.into_iter().cloned().collect()),
        }
    }

    pub(crate) fn id(&self, key: &str) -> Option<FieldId> {
        self.by_key.get(key).copied()
    }

    /// The field a selector reads, if it is modelled.
    pub(crate) fn of_selector(&self, selector: &str) -> Option<FieldId> {
        match self.by_selector.get(selector) {
            Some(known) => *known,
            None => self.id(canonical(selector)?.0),
        }
    }

    /// The largest number a field's values take.
    pub(crate) fn max(&self, field: FieldId) -> u128 {
        match self.fields[field].domain {
            Domain::Int(bits) => max_of(bits),
            Domain::Names => self.names.max(),
            Domain::CtState => CT_STATES.len() as u128 - 1,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.fields.len()
    }
}

impl Fields {
    /// A packet in nft's words, the fields that say what it is: `iifname "eth0" ip saddr
    /// 192.0.2.1 tcp dport 22 ct state new`.
    pub(crate) fn describe(&self, point: &[u128]) -> String {
        let value = |key: &str| self.id(key).map(|f| point[f]);
        let mut words = Vec::new();
        for (key, word) in [("meta iifname", "iifname"), ("meta oifname", "oifname")] {
            if let Some(id) = value(key).filter(|&id| id != 0) {
                words.push(format!("{word} \"{}\"", self.names.describe(id)));
            }
        }
        let (family, addresses) = match value("meta nfproto") {
            Some(10) => ("ip6", ["ip6 saddr", "ip6 daddr"]),
            _ => ("ip", ["ip saddr", "ip daddr"]),
        };
        for key in addresses {
            if let Some(address) = value(key) {
                let text = if family == "ip6" {
                    std::net::Ipv6Addr::from(address).to_string()
                } else {
                    std::net::Ipv4Addr::from(address as u32).to_string()
                };
                words.push(format!("{key} {text}"));
            }
        }
        let protocol = match value("meta l4proto") {
            Some(6) => Some("tcp"),
            Some(17) => Some("udp"),
            Some(proto) => {
                words.push(format!("meta l4proto {proto}"));
                None
            }
            None => None,
        };
        if let Some(protocol) = protocol {
            let before = words.len();
            for (key, port) in [("th sport", "sport"), ("th dport", "dport")] {
                if let Some(number) = value(key).filter(|&n| n != 0) {
                    words.push(format!("{protocol} {port} {number}"));
                }
            }
            if words.len() == before {
                words.push(format!("meta l4proto {protocol}"));
            }
        }
        if let Some(state) = value("ct state") {
            words.push(format!("ct state {}", CT_STATES[state as usize].0));
        }
        words.join(" ")
    }
}

//! What a compiled rule does, operation by operation, and what each match means for one
//! concrete packet.

use nftlint_syntax::SyntaxKind::*;
use nftlint_syntax::TextSize;
use rowan::GreenNodeData;

use super::packet::{Packet, Transport};
use crate::model::green;
use crate::model::predicate::{FieldType, Relation, Values, Variables, read_value};
use crate::space::field::canonical;

/// A packet field the interpreter reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    Nfproto,
    L4proto,
    /// `iifname`: an empty name where the packet has no input interface.
    Iifname,
    Oifname,
    /// `iif`: nothing at all where the packet has no input interface.
    Iif,
    Oif,
    Saddr4,
    Daddr4,
    Saddr6,
    Daddr6,
    Ttl,
    Hoplimit,
    Length,
    Sport,
    Dport,
    TcpFlags,
    IcmpType,
    IcmpCode,
    CtState,
    CtDirection,
    CtMark,
    Mark,
}

impl Key {
    /// The field a selector reads: the analysis's own reading of selectors where it has one, so
    /// that `th dport`, `tcp dport` and `udp dport` are one field for both.
    pub(crate) fn of(selector: &str) -> Option<Key> {
        match selector {
            "meta iif" | "iif" => return Some(Key::Iif),
            "meta oif" | "oif" => return Some(Key::Oif),
            _ => {}
        }
        let key = match canonical(selector) {
            Some((key, _)) => key,
            None => match selector {
                "ip ttl" => return Some(Key::Ttl),
                "ip6 hoplimit" => return Some(Key::Hoplimit),
                "meta length" | "length" => return Some(Key::Length),
                _ => return None,
            },
        };
        Some(match key {
            "meta nfproto" => Key::Nfproto,
            "meta l4proto" => Key::L4proto,
            "meta iifname" => Key::Iifname,
            "meta oifname" => Key::Oifname,
            "ip saddr" => Key::Saddr4,
            "ip daddr" => Key::Daddr4,
            "ip6 saddr" => Key::Saddr6,
            "ip6 daddr" => Key::Daddr6,
            "th sport" => Key::Sport,
            "th dport" => Key::Dport,
            "tcp flags" => Key::TcpFlags,
            "icmp type" => Key::IcmpType,
            "icmp code" => Key::IcmpCode,
            "ct state" => Key::CtState,
            "ct direction" => Key::CtDirection,
            "ct mark" => Key::CtMark,
            "meta mark" => Key::Mark,
            _ => return None,
        })
    }
}

/// A field's value in one packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Value<'p> {
    Int(u128),
    Name(&'p str),
    /// The packet has no such field (no transport header, no `iif` on output, no conntrack
    /// entry): every match on it fails, `!=` too.
    Missing,
}

impl Packet {
    pub(crate) fn value(&self, key: Key) -> Value<'_> {
        let int = |v: u128| Value::Int(v);
        let family = |ipv6: bool, v: u128| {
            if self.ipv6 == ipv6 {
                int(v)
            } else {
                Value::Missing
            }
        };
        let ports = match self.transport {
            Transport::Tcp { sport, dport, .. } | Transport::Udp { sport, dport } => {
                Some((sport, dport))
            }
            _ => None,
        };
        match key {
            Key::Nfproto => int(if self.ipv6 { 10 } else { 2 }),
            Key::L4proto => int(self.l4proto().into()),
            // The kernel reads the name of a missing device as "".
            Key::Iifname => Value::Name(self.iifname.as_deref().unwrap_or_default()),
            Key::Oifname => Value::Name(self.oifname.as_deref().unwrap_or_default()),
            Key::Iif => self.iifname.as_deref().map_or(Value::Missing, Value::Name),
            Key::Oif => self.oifname.as_deref().map_or(Value::Missing, Value::Name),
            Key::Saddr4 => family(false, self.saddr),
            Key::Daddr4 => family(false, self.daddr),
            Key::Saddr6 => family(true, self.saddr),
            Key::Daddr6 => family(true, self.daddr),
            Key::Ttl => family(false, self.ttl.into()),
            Key::Hoplimit => family(true, self.ttl.into()),
            Key::Length => int(self.length().into()),
            Key::Sport => ports.map_or(Value::Missing, |(s, _)| int(s.into())),
            Key::Dport => ports.map_or(Value::Missing, |(_, d)| int(d.into())),
            Key::TcpFlags => match self.transport {
                Transport::Tcp { flags, .. } => int(flags.into()),
                _ => Value::Missing,
            },
            Key::IcmpType | Key::IcmpCode => match self.transport {
                Transport::Icmp { kind, code } => {
                    int(if key == Key::IcmpType { kind } else { code }.into())
                }
                _ => Value::Missing,
            },
            Key::CtState => int(self.ct_state.0.into()),
            Key::CtDirection if self.ct_state.tracked() => int(self.ct_direction.into()),
            Key::CtMark if self.ct_state.tracked() => int(self.ct_mark.into()),
            Key::CtDirection | Key::CtMark => Value::Missing,
            Key::Mark => int(self.mark.into()),
        }
    }
}

/// Constants one part of a key is compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Part {
    /// Inclusive intervals.
    Ints(Vec<(u128, u128)>),
    /// Interface names, `true` for a prefix (`"eth*"`).
    Names(Vec<(String, bool)>),
}

impl Part {
    /// Whether a value equals one of the constants.
    fn contains(&self, value: Value) -> bool {
        match (self, value) {
            (Part::Ints(ranges), Value::Int(v)) => {
                ranges.iter().any(|&(lo, hi)| lo <= v && v <= hi)
            }
            (Part::Names(names), Value::Name(name)) => names.iter().any(|(pattern, prefix)| {
                if *prefix {
                    name.starts_with(pattern.as_str())
                } else {
                    name == pattern
                }
            }),
            _ => false,
        }
    }
}

/// One match.
#[derive(Debug, Clone)]
pub(crate) enum Test {
    /// A predicate of the model: one field compared with constants.
    Single {
        key: Key,
        relation: Relation,
        part: Part,
    },
    /// A key (one field, or a concatenation) looked up among a set's elements.
    Tuple {
        keys: Vec<Key>,
        negated: bool,
        elements: Vec<Vec<Part>>,
    },
    /// `KEY & MASK == VALUE`.
    Masked {
        key: Key,
        mask: u128,
        value: u128,
        negated: bool,
    },
    /// What nftlint cannot decide, and why.
    Unknown(String),
}

/// Whether a match holds, or why nftlint cannot tell.
pub(crate) type Holds = Result<bool, String>;

impl Test {
    pub(crate) fn holds(&self, packet: &Packet) -> Holds {
        Ok(match self {
            Test::Single {
                key,
                relation,
                part,
            } => {
                let value = packet.value(*key);
                if value == Value::Missing {
                    return Ok(false);
                }
                match (relation, part, value) {
                    (Relation::Eq, ..) => part.contains(value),
                    (Relation::Ne, ..) => !part.contains(value),
                    (Relation::AnyBits, Part::Ints(bits), Value::Int(v)) => {
                        bits.iter().any(|&(bit, _)| v & bit != 0)
                    }
                    (relation, Part::Ints(bound), Value::Int(v)) => {
                        let Some(&(bound, _)) = bound.first() else {
                            return Ok(false);
                        };
                        match relation {
                            Relation::Lt => v < bound,
                            Relation::Le => v <= bound,
                            Relation::Gt => v > bound,
                            _ => v >= bound,
                        }
                    }
                    _ => false,
                }
            }
            Test::Tuple {
                keys,
                negated,
                elements,
            } => match find(keys, elements.iter().map(Vec::as_slice), packet) {
                // A missing field fails the lookup, negated or not.
                None => false,
                Some(found) => found.is_some() != *negated,
            },
            Test::Masked {
                key,
                mask,
                value,
                negated,
            } => match packet.value(*key) {
                Value::Int(v) => ((v & mask) == *value) != *negated,
                _ => false,
            },
            Test::Unknown(why) => return Err(why.clone()),
        })
    }
}

/// The most parts of a concatenation the interpreter reads (nft's own limit is lower).
pub(crate) const MAX_PARTS: usize = 8;

/// The first of `elements` whose parts hold the packet's values of `keys`: `None` when the
/// packet lacks one of the fields, `Some(None)` when no element holds them.
pub(crate) fn find<'e>(
    keys: &[Key],
    elements: impl Iterator<Item = &'e [Part]>,
    packet: &Packet,
) -> Option<Option<usize>> {
    let mut values = [Value::Missing; MAX_PARTS];
    for (slot, key) in values.iter_mut().zip(keys) {
        *slot = packet.value(*key);
        if *slot == Value::Missing {
            return None;
        }
    }
    let values = &values[..keys.len().min(MAX_PARTS)];
    Some(
        elements
            .enumerate()
            .find(|(_, parts)| parts.iter().zip(values).all(|(part, v)| part.contains(*v)))
            .map(|(at, _)| at),
    )
}

/// A verdict statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    Accept,
    Drop,
    Continue,
    Return,
    /// To a chain, by index into the program's chains.
    Jump(usize),
    Goto(usize),
    /// A verdict nftlint does not follow (`queue`, a jump to an anonymous chain), and why.
    Unknown(String),
}

/// Where a field that is set takes its value from.
#[derive(Debug, Clone)]
pub(crate) enum Source {
    Const(u32),
    Key(Key),
    /// The value a map gives the packet's key: `tcp dport map { 22 : 1 }`. A key the map
    /// lacks ends the rule.
    Map {
        keys: Vec<Key>,
        entries: Vec<(Vec<Part>, u32)>,
    },
}

/// A NAT statement's rewrite.
#[derive(Debug, Clone)]
pub(crate) struct Nat {
    /// `dnat` or `redirect`, which rewrite the destination; else the source.
    pub destination: bool,
    pub to: NatTo,
}

/// A new address and port, where a NAT statement names them.
pub(crate) type Rewrite = (Option<u128>, Option<u16>);

/// The address and port a NAT statement maps to, where it names them.
#[derive(Debug, Clone)]
pub(crate) enum NatTo {
    Fixed(Option<u128>, Option<u16>),
    /// Looked up by the packet's key; a key the map lacks ends the rule.
    Map {
        keys: Vec<Key>,
        entries: Vec<(Vec<Part>, Rewrite)>,
    },
}

/// A statement of a rule.
#[derive(Debug, Clone)]
pub(crate) enum Op {
    Test(Test),
    /// A match statement that lowered to several predicates (its protocol dependencies first).
    Tests(Vec<Test>),
    /// Looks the key up; an element found decides with its verdict, none ends the rule.
    Vmap {
        /// The protocol dependencies of the key.
        dependencies: Vec<Test>,
        keys: Vec<Key>,
        entries: Vec<(Vec<Part>, Verdict)>,
    },
    Verdict(Verdict),
    /// Drops, answering the sender.
    Reject,
    /// Accepts, rewriting addresses.
    Nat(Nat),
    Set {
        key: Key,
        source: Source,
    },
    /// A limit, by index into the program's limits.
    Limit(usize),
    Quota(usize),
    /// Later rules see `ct state untracked`.
    Notrack,
    /// Counters, logs: nothing that changes the packet's way.
    Nop,
    Unknown(String),
}

/// A token bucket as the kernel's `nft_limit` keeps it, in nanoseconds of credit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Limit {
    /// `limit rate over`: matches when the rate is exceeded.
    pub over: bool,
    /// `bytes` or `packets`.
    pub bytes: bool,
    pub rate: u64,
    /// The unit of time in nanoseconds.
    pub nsecs: u64,
    pub burst: u64,
    /// The bucket's size: full at load time.
    pub bucket: u64,
    /// What one packet costs, for a packet limit.
    packet_cost: u64,
}

impl Limit {
    fn new(over: bool, bytes: bool, rate: u64, nsecs: u64, burst: u64) -> Limit {
        let bucket = if bytes {
            (nsecs as u128 * (rate + burst) as u128 / rate as u128) as u64
        } else {
            nsecs / rate * burst
        };
        Limit {
            over,
            bytes,
            rate,
            nsecs,
            burst,
            bucket,
            packet_cost: nsecs / rate,
        }
    }

    /// What a packet of `length` bytes costs.
    pub(crate) fn cost(&self, length: u32) -> u64 {
        if self.bytes {
            (self.nsecs as u128 * length as u128 / self.rate as u128) as u64
        } else {
            self.packet_cost
        }
    }
}

/// `quota [over|until] N unit [used M unit]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Quota {
    pub over: bool,
    pub bytes: u64,
    pub used: u64,
}

/// Bytes in a unit of size.
fn unit_bytes(unit: &str) -> Option<u64> {
    Some(match unit {
        "bytes" => 1,
        "kbytes" => 1024,
        "mbytes" => 1024 * 1024,
        _ => return None,
    })
}

/// A `limit` statement from its words: `limit rate [over] N [unit] / time [burst M [unit]]`.
pub(crate) fn limit(words: &[String]) -> Option<Limit> {
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let mut rest = match words.as_slice() {
        ["limit", "rate", rest @ ..] => rest,
        _ => return None,
    };
    let over = matches!(rest.first(), Some(&"over"));
    if over || matches!(rest.first(), Some(&"until")) {
        rest = &rest[1..];
    }
    let rate: u64 = rest.first()?.parse().ok().filter(|&r| r > 0)?;
    rest = &rest[1..];
    let mut bytes = false;
    let mut scale = 1;
    if let Some(unit) = rest.first().and_then(|u| unit_bytes(u)) {
        bytes = true;
        scale = unit;
        rest = &rest[1..];
    }
    let seconds = match rest {
        ["/", time, ..] => match *time {
            "second" => 1,
            "minute" => 60,
            "hour" => 3600,
            "day" => 86400,
            "week" => 604800,
            _ => return None,
        },
        _ => return None,
    };
    rest = &rest[2..];
    let burst = match rest {
        [] => 0,
        ["burst", n, unit @ ..] => {
            let n: u64 = n.parse().ok()?;
            match unit {
                [] | ["packets"] => n,
                [unit] => n * unit_bytes(unit)?,
                _ => return None,
            }
        }
        _ => return None,
    };
    // A packet limit without a burst gets the kernel's default of 5.
    let burst = if !bytes && burst == 0 { 5 } else { burst };
    Some(Limit::new(
        over,
        bytes,
        rate * scale,
        seconds * 1_000_000_000,
        burst,
    ))
}

/// A `quota` statement from its words.
pub(crate) fn quota(words: &[String]) -> Option<Quota> {
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let mut rest = match words.as_slice() {
        ["quota", rest @ ..] => rest,
        _ => return None,
    };
    let over = matches!(rest.first(), Some(&"over"));
    if over || matches!(rest.first(), Some(&"until")) {
        rest = &rest[1..];
    }
    let size = |n: &str, unit: &str| Some(n.parse::<u64>().ok()? * unit_bytes(unit)?);
    match rest {
        [n, unit] => Some(Quota {
            over,
            bytes: size(n, unit)?,
            used: 0,
        }),
        [n, unit, "used", m, used_unit] => Some(Quota {
            over,
            bytes: size(n, unit)?,
            used: size(m, used_unit)?,
        }),
        _ => None,
    }
}

/// A bitmask constant: `syn`, `(syn | ack)`, `syn,ack`, `0x12`.
pub(crate) fn bitmask(
    variables: Variables,
    file: usize,
    field: FieldType,
    value: &GreenNodeData,
    start: TextSize,
) -> Option<u128> {
    match green::node_kind(value) {
        PAREN_EXPR => {
            let (inner, at) = green::children_at(value, start).next()?;
            bitmask(variables, file, field, inner, at)
        }
        BINARY_EXPR => {
            if green::child_tokens(value).any(|(kind, _)| !kind.is_trivia() && kind != PIPE) {
                return None;
            }
            green::children_at(value, start).try_fold(0, |acc, (part, at)| {
                Some(acc | bitmask(variables, file, field, part, at)?)
            })
        }
        _ => match read_value(variables, file, field, value, start)? {
            Values::Ints(bits) => Some(bits.iter().fold(0, |acc, &(bit, _)| acc | bit)),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.replace('/', " / ")
            .split_whitespace()
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn limits_read_like_the_kernel() {
        let l = limit(&words("limit rate 10/second")).unwrap();
        assert_eq!((l.over, l.bytes, l.rate, l.burst), (false, false, 10, 5));
        assert_eq!(l.cost(60), 100_000_000);
        assert_eq!(l.bucket, 500_000_000);
        let l = limit(&words("limit rate over 2 kbytes/minute burst 1 mbytes")).unwrap();
        assert_eq!(
            (l.over, l.bytes, l.rate, l.burst),
            (true, true, 2048, 1 << 20)
        );
        assert!(limit(&words("limit rate 10/fortnight")).is_none());
        assert!(limit(&words("limit name \"x\"")).is_none());
    }

    #[test]
    fn quotas() {
        assert_eq!(
            quota(&words("quota over 10 mbytes used 5 kbytes")),
            Some(Quota {
                over: true,
                bytes: 10 << 20,
                used: 5 << 10
            })
        );
        assert_eq!(quota(&words("quota 25 bytes")).unwrap().bytes, 25);
    }
}

//! What each match means: a typed predicate over one packet field, with the protocol
//! dependencies nft adds on its own (`tcp dport 22` also means `meta l4proto tcp`; `ip saddr`
//! also means an IPv4 packet). Every check that asks what a match matches asks here, so that
//! they all agree.

use std::net::{Ipv4Addr, Ipv6Addr};

use nftlint_syntax::SyntaxKind::{self, *};
use nftlint_syntax::{SyntaxNode, TextSize};
use rowan::{GreenNode, GreenNodeData, NodeOrToken};

use super::{Loc, green};
use crate::symbols::services::service_port;
use crate::symbols::{Datatype, lookup, type_info};

/// What a field holds, as far as reading its constants goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldType {
    Ipv4,
    Ipv6,
    /// A port: a number or a service name of `/etc/services`. nft resolves names without
    /// asking for a transport, so `tcp dport bootpc` is fine although bootpc is a UDP service.
    Service,
    Symbolic(Datatype),
    /// An interface name: `iifname "eth*"`.
    Name,
    /// A plain number of this many bits: marks.
    Integer(u32),
}

impl FieldType {
    /// Bits of a value, for prefixes and ranges.
    pub(crate) fn width(self) -> Option<u32> {
        match self {
            FieldType::Ipv4 => Some(32),
            FieldType::Ipv6 => Some(128),
            FieldType::Service => Some(16),
            FieldType::Symbolic(datatype) => Some(datatype.bits()),
            FieldType::Integer(bits) => Some(bits),
            FieldType::Name => None,
        }
    }
}

/// The type of the field a selector reads, by the selector's words.
pub(crate) fn field_type(words: &[&str]) -> Option<FieldType> {
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
        [
            "meta",
            "iifname" | "oifname" | "ibrname" | "obrname" | "iif" | "oif",
        ]
        | ["iifname" | "oifname"] => Name,
        ["meta", "mark"] | ["mark"] | ["ct", "mark"] | ["meta", "length"] | ["length"] => {
            Integer(32)
        }
        ["ip", "ttl"] | ["ip6", "hoplimit"] => Integer(8),
        _ => return None,
    })
}

/// The type of a set's elements by the name in `type NAME`: `ipv4_addr`, `inet_service` ...
pub(crate) fn named_type(name: &str) -> Option<FieldType> {
    Some(match name {
        "ipv4_addr" => FieldType::Ipv4,
        "ipv6_addr" => FieldType::Ipv6,
        "inet_service" => FieldType::Service,
        "ifname" => FieldType::Name,
        "mark" => FieldType::Integer(32),
        _ => FieldType::Symbolic(Datatype::from_type_name(name)?),
    })
}

/// The type of a set's keys from its `type` or `typeof` text (`ipv4_addr`, `ip saddr`,
/// `ipv4_addr : verdict`); `None` for concatenations and types nftlint does not read.
pub(crate) fn set_key_type(key_type: &str) -> Option<FieldType> {
    let key = key_type.split(':').next()?.trim();
    if key.contains('.') && key.split_whitespace().any(|w| w == ".") {
        return None;
    }
    let words: Vec<&str> = key.split_whitespace().collect();
    match words.as_slice() {
        [name] => named_type(name),
        words => field_type(words),
    }
}

/// Reads the keys of a set's elements (`elements = { ... }`, `add element ... { ... }`) as
/// `field`, returning the constants nft would refuse.
pub(crate) fn check_elements(
    variables: Variables,
    file: usize,
    field: FieldType,
    set: &SyntaxNode,
) -> Vec<BadConstant> {
    let mut reader = Reader {
        variables,
        bad: Vec::new(),
        depth: 0,
    };
    reader.read(file, field, set.green(), set.text_range().start());
    reader.bad
}

/// The keys of a set's elements read as `field`, or `None` where nftlint does not read them.
pub(crate) fn read_elements(
    variables: Variables,
    file: usize,
    field: FieldType,
    set: &SyntaxNode,
) -> Option<Values> {
    let mut reader = Reader {
        variables,
        bad: Vec::new(),
        depth: 0,
    };
    reader.read(file, field, set.green(), set.text_range().start())
}

/// One value (a constant, a range, a prefix, a list, a variable) read as `field`, starting at
/// `start` in file `file`; `None` where nftlint does not read it.
pub(crate) fn read_value(
    variables: Variables,
    file: usize,
    field: FieldType,
    value: &GreenNodeData,
    start: TextSize,
) -> Option<Values> {
    let mut reader = Reader {
        variables,
        bad: Vec::new(),
        depth: 0,
    };
    reader.read(file, field, value, start)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Relation {
    Eq,
    Ne,
    Lt,
    Gt,
    Le,
    Ge,
    /// A bitmask compared with the implicit operator: `ct state established,related` and
    /// `tcp flags syn` hold when any of the bits is set.
    AnyBits,
}

/// The constants a match compares with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Values {
    /// Integers (addresses, ports, symbolic constants) as inclusive intervals.
    Ints(Vec<(u128, u128)>),
    /// Interface names; `prefix` for a trailing `*`.
    Names(Vec<(String, bool)>),
    /// A named set or map: `@blocklist`.
    Set(String),
    /// Something nftlint does not read yet: a variable, a concatenation, a binary operation.
    Opaque,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Predicate {
    /// The selector's words: `tcp dport`, `meta l4proto`, `ct state`.
    pub selector: String,
    pub relation: Relation,
    pub values: Values,
    /// For a dependency nft adds: the header that needs it (`tcp` for `meta l4proto tcp`).
    pub implied_by: Option<&'static str>,
    pub loc: Loc,
}

/// A constant nft cannot read as the type of its field, with nft's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadConstant {
    pub loc: Loc,
    pub message: String,
    pub suggestion: Option<&'static str>,
}

/// The selector's words, with bare meta keys written out: `mark` is `meta mark`.
pub(crate) fn selector_words(selector: &GreenNodeData) -> Vec<&str> {
    let mut words = Vec::new();
    green::for_each_token(selector, |kind, text| {
        if kind == WORD {
            words.push(text);
        }
    });
    if green::node_kind(selector) == META_EXPR && words.len() == 1 {
        words.insert(0, "meta");
    }
    words
}

/// The headers whose selectors imply protocols, with the layer-4 protocol number (for
/// `meta l4proto`) and the layer-3 family (`meta nfproto`: 2 is IPv4, 10 is IPv6) they imply.
const DEPENDENCIES: &[(&str, Option<u128>, Option<u128>)] = &[
    ("ip", None, Some(2)),
    ("ip6", None, Some(10)),
    ("icmp", Some(1), Some(2)),
    ("icmpv6", Some(58), Some(10)),
    ("igmp", Some(2), Some(2)),
    ("tcp", Some(6), None),
    ("udp", Some(17), None),
    ("udplite", Some(136), None),
    ("sctp", Some(132), None),
    ("dccp", Some(33), None),
    ("esp", Some(50), None),
    ("ah", Some(51), None),
    ("comp", Some(108), None),
];

/// Lowers one match statement (`MATCH_STMT` or `VMAP_STMT`) of file `file`, which starts at
/// `start`: its predicates, the dependencies first, and the constants nft would refuse. It reads
/// the green tree only, so that threads can share the work.
pub(crate) fn lower_match(
    variables: Variables,
    file: usize,
    statement: &GreenNodeData,
    start: TextSize,
) -> (Vec<Predicate>, Vec<BadConstant>) {
    let mut predicates = Vec::new();
    let mut reader = Reader {
        variables,
        bad: Vec::new(),
        depth: 0,
    };
    let mut children = green::children_at(statement, start);
    let Some((lhs, _)) = children.next() else {
        return (predicates, reader.bad);
    };
    let words = selector_words(lhs);
    let loc = Loc::of_green(file, statement, start);
    dependencies_of_selector(lhs, &loc, &mut predicates);
    let field = field_type(&words);
    let mut relation = None;
    let mut values = Values::Opaque;
    for (rhs, rhs_start) in children {
        let Some(field) = field else { continue };
        values = reader
            .read(file, field, rhs, rhs_start)
            .unwrap_or(Values::Opaque);
        if green::node_kind(statement) == MATCH_STMT {
            let implicit_bits = matches!(field, FieldType::Symbolic(d) if d.is_bitmask())
                && !matches!(green::node_kind(rhs), SET_EXPR | SET_REF);
            relation = Some(if implicit_bits {
                Relation::AnyBits
            } else {
                Relation::Eq
            });
        }
    }
    for token in green::child_tokens(statement) {
        relation = match token {
            (EQ2, _) | (WORD, "eq") => Some(Relation::Eq),
            (NEQ, _) | (WORD, "ne") => Some(Relation::Ne),
            (LT, _) | (WORD, "lt") => Some(Relation::Lt),
            (GT, _) | (WORD, "gt") => Some(Relation::Gt),
            (LTEQ, _) | (WORD, "le") => Some(Relation::Le),
            (GTEQ, _) | (WORD, "ge") => Some(Relation::Ge),
            _ => relation,
        };
    }
    predicates.push(Predicate {
        selector: words.join(" "),
        relation: relation.unwrap_or(Relation::Eq),
        values,
        implied_by: None,
        loc,
    });
    // Kept for the whole analysis: pushing left room for four.
    predicates.shrink_to_fit();
    (predicates, reader.bad)
}

/// The protocols the selector of a match or vmap statement of file `file`, which starts at
/// `start`, implies (`tcp dport vmap { ... }`: `meta l4proto tcp`): a packet without them
/// never matches, nor finds a verdict in the map.
pub(crate) fn dependencies_of(
    file: usize,
    statement: &GreenNodeData,
    start: TextSize,
) -> Vec<Predicate> {
    let mut predicates = Vec::new();
    if let Some(lhs) = green::first_child(statement) {
        let loc = Loc::of_green(file, statement, start);
        dependencies_of_selector(lhs, &loc, &mut predicates);
    }
    predicates
}

/// Adds the protocols a selector implies, each part of a concatenation its own: `ip saddr .
/// tcp dport` needs IPv4 and TCP.
fn dependencies_of_selector(lhs: &GreenNodeData, loc: &Loc, out: &mut Vec<Predicate>) {
    if green::node_kind(lhs) == CONCAT_EXPR {
        for part in green::children_at(lhs, TextSize::from(0)).map(|(part, _)| part) {
            dependencies(part, &selector_words(part), loc, out);
        }
    } else {
        dependencies(lhs, &selector_words(lhs), loc, out);
    }
}

/// Adds the protocols a selector implies (`tcp dport`: `meta l4proto tcp`), unless an earlier
/// part of the statement implied them already.
fn dependencies(selector: &GreenNodeData, words: &[&str], loc: &Loc, out: &mut Vec<Predicate>) {
    // Only the packet's own headers carry dependencies: not inner headers (`vxlan ip saddr`).
    if !matches!(green::node_kind(selector), PAYLOAD_EXPR | EXTHDR_EXPR)
        || green::first_child(selector).is_some()
    {
        return;
    }
    let header = words.first().copied().unwrap_or_default();
    let Some(&(header, l4, l3)) = DEPENDENCIES.iter().find(|(name, ..)| *name == header) else {
        return;
    };
    for (selector, value) in [("meta nfproto", l3), ("meta l4proto", l4)] {
        let Some(value) = value else { continue };
        let values = Values::Ints(vec![(value, value)]);
        if out
            .iter()
            .any(|p| p.selector == selector && p.values == values)
        {
            continue;
        }
        out.push(Predicate {
            selector: selector.to_string(),
            relation: Relation::Eq,
            values,
            implied_by: Some(header),
            loc: loc.clone(),
        });
    }
}

/// The value the `$name` at an offset of a file stands for: the define's file and value.
pub(crate) type Variables<'a> = &'a dyn Fn(usize, TextSize) -> Option<(usize, GreenNode, TextSize)>;

/// nft's own bound on nested scopes is far lower; this one only stops a define that refers to
/// itself through others.
const MAX_EXPANSION: usize = 16;

/// Reads constants, expanding variables, and collects the ones nft would refuse.
struct Reader<'a> {
    variables: Variables<'a>,
    bad: Vec<BadConstant>,
    depth: usize,
}

impl Reader<'_> {
    /// The constants of a value as integers or names; `None` where nftlint does not read them (a
    /// concatenation, an operation, a map). Bad constants are reported either way, where they stand:
    /// in the define for a variable's value.
    /// `value` is a node of file `file` that starts at `start`.
    fn read(
        &mut self,
        file: usize,
        field: FieldType,
        value: &GreenNodeData,
        start: TextSize,
    ) -> Option<Values> {
        match green::node_kind(value) {
            VARIABLE => {
                let (define_file, define_value, define_start) = (self.variables)(file, start)?;
                if self.depth >= MAX_EXPANSION {
                    return None;
                }
                self.depth += 1;
                let values = self.read(define_file, field, &define_value, define_start);
                self.depth -= 1;
                values
            }
            kind @ (LIST_EXPR | SET_EXPR) => {
                let parts: Vec<(&GreenNodeData, TextSize)> = match kind {
                    SET_EXPR => green::children_at(value, start)
                        .filter(|&(e, _)| green::node_kind(e) == SET_ELEM)
                        .filter_map(|(e, at)| green::children_at(e, at).next())
                        .collect(),
                    _ => green::children_at(value, start).collect(),
                };
                let read: Vec<Option<Values>> = parts
                    .iter()
                    .map(|&(part, at)| self.read(file, field, part, at))
                    .collect();
                read.into_iter()
                    .try_fold(None::<Values>, |acc, part| Some(Some(union(acc, part?)?)))?
            }
            SET_REF => Some(Values::Set(green::set_ref_name(value))),
            RANGE_EXPR => {
                let mut ends = green::children_at(value, start)
                    .map(|(end, at)| self.read(file, field, end, at));
                match (ends.next()??, ends.next()??) {
                    (Values::Ints(lo), Values::Ints(hi)) => {
                        let (lo, hi) = (lo.first()?.0, hi.last()?.1);
                        if lo > hi {
                            self.bad.push(BadConstant {
                                loc: Loc::of_green(file, value, start),
                                message: "Range has zero or negative size".to_string(),
                                suggestion: None,
                            });
                            return None;
                        }
                        Some(Values::Ints(vec![(lo, hi)]))
                    }
                    _ => None,
                }
            }
            PREFIX_EXPR => {
                let mut parts = green::children_at(value, start);
                let (base, base_start) = parts.next()?;
                let base = self.read(file, field, base, base_start)?;
                let width = match field {
                    FieldType::Ipv4 | FieldType::Ipv6 => field.width()?,
                    // A bitmask with a mask: `tcp flags syn / syn,ack`; the mask's names are checked.
                    _ => {
                        for (mask, at) in parts {
                            self.read(file, field, mask, at);
                        }
                        return None;
                    }
                };
                let length: u32 = parts.next()?.0.to_string().parse().ok()?;
                if length > width {
                    self.bad.push(BadConstant {
                        loc: Loc::of_green(file, value, start),
                        message: format!(
                            "Prefix length {length} is invalid for type of {width} bits width"
                        ),
                        suggestion: None,
                    });
                    return None;
                }
                let Values::Ints(base) = base else {
                    return None;
                };
                let host_bits = width - length;
                let mask: u128 = if host_bits >= 128 {
                    u128::MAX
                } else {
                    (1u128 << host_bits) - 1
                };
                Some(Values::Ints(vec![(
                    base.first()?.0 & !mask,
                    base.first()?.0 | mask,
                )]))
            }
            LITERAL => {
                let token = green::first_token(value)?;
                let kind = green::kind(NodeOrToken::Token(token));
                match constant(field, kind, token.text()) {
                    Ok(values) => values,
                    Err((message, suggestion)) => {
                        self.bad.push(BadConstant {
                            loc: Loc::of_green(file, value, start),
                            message,
                            suggestion,
                        });
                        None
                    }
                }
            }
            _ => None,
        }
    }
}

/// Two reads of constants as one: `None` when they are of different kinds.
pub(crate) fn union(acc: Option<Values>, part: Values) -> Option<Values> {
    match (acc, part) {
        (None, part) => Some(part),
        (Some(Values::Ints(mut a)), Values::Ints(b)) => {
            a.extend(b);
            Some(Values::Ints(a))
        }
        (Some(Values::Names(mut a)), Values::Names(b)) => {
            a.extend(b);
            Some(Values::Names(a))
        }
        _ => None,
    }
}

type Problem = (String, Option<&'static str>);

/// One constant token read as `field`: `Ok(None)` for what nftlint leaves to others (a host
/// name is the business of `hostname-lookup`), `Err` with nft's message for what nft refuses.
fn constant(field: FieldType, kind: SyntaxKind, text: &str) -> Result<Option<Values>, Problem> {
    let one = |v: u128| Ok(Some(Values::Ints(vec![(v, v)])));
    let address_family = || {
        Err((
            "Could not resolve hostname: Address family for hostname not supported".to_string(),
            None,
        ))
    };
    match (field, kind) {
        (FieldType::Ipv4, IPV4_ADDR) => text
            .parse::<Ipv4Addr>()
            .map_or(Ok(None), |a| one(u32::from(a).into())),
        (FieldType::Ipv6, IPV6_ADDR) => text
            .parse::<Ipv6Addr>()
            .map_or(Ok(None), |a| one(u128::from(a))),
        (FieldType::Ipv4, IPV6_ADDR) | (FieldType::Ipv6, IPV4_ADDR) => address_family(),
        (FieldType::Service, NUMBER) => match parse_number(text) {
            Some(port) if port > 65535 => Err(("Service out of range".to_string(), None)),
            Some(port) => one(port.into()),
            None => Ok(None),
        },
        (FieldType::Service, WORD) => match service_port(text) {
            Some(port) => one(port.into()),
            None => Err((
                "Could not resolve service: Servname not supported for ai_socktype".to_string(),
                crate::symbols::closest(text, crate::symbols::names(Datatype::InetService)),
            )),
        },
        (FieldType::Symbolic(Datatype::InetProto), NUMBER) => match parse_number(text) {
            Some(number) if number > 255 => Err(("Protocol out of range".to_string(), None)),
            Some(number) => one(number.into()),
            None => Ok(None),
        },
        (FieldType::Symbolic(_) | FieldType::Integer(_), NUMBER) => {
            let Some(number) = parse_number(text) else {
                return Ok(None);
            };
            let max = field
                .width()
                .filter(|&w| w < 64)
                .map_or(u64::MAX, |w| (1u64 << w) - 1);
            if number > max {
                return Err((format!("Value {number} exceeds valid range 0-{max}"), None));
            }
            one(number.into())
        }
        (FieldType::Symbolic(datatype), WORD) => match lookup(datatype, text) {
            Some(value) => one(value.into()),
            None => {
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
                Err((message, suggestion))
            }
        },
        (FieldType::Name, WORD | QUOTED_STRING) => {
            let name = text.trim_matches('"');
            let prefix = name.ends_with('*') && !name.ends_with("\\*");
            let name = name.trim_end_matches('*').replace("\\*", "*");
            Ok(Some(Values::Names(vec![(name, prefix)])))
        }
        _ => Ok(None),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn lower(rule: &str) -> Vec<Predicate> {
        let text = format!("table inet t {{\n\tchain c {{\n\t\t{rule}\n\t}}\n}}\n");
        let parse = nftlint_syntax::parse(&text);
        assert!(parse.errors().is_empty(), "{rule}: {:?}", parse.errors());
        parse
            .syntax()
            .descendants()
            .filter(|n| matches!(n.kind(), MATCH_STMT | VMAP_STMT))
            .flat_map(|m| lower_match(&|_, _| None, 0, m.green(), m.text_range().start()).0)
            .collect()
    }

    fn summary(rule: &str) -> Vec<(String, Relation, Values, bool)> {
        lower(rule)
            .into_iter()
            .map(|p| (p.selector, p.relation, p.values, p.implied_by.is_some()))
            .collect()
    }

    #[test]
    fn ports_imply_the_transport_protocol() {
        assert_eq!(
            summary("tcp dport { ssh, 8000-8100 }"),
            vec![
                (
                    "meta l4proto".into(),
                    Relation::Eq,
                    Values::Ints(vec![(6, 6)]),
                    true
                ),
                (
                    "tcp dport".into(),
                    Relation::Eq,
                    Values::Ints(vec![(22, 22), (8000, 8100)]),
                    false
                ),
            ]
        );
    }

    #[test]
    fn prefixes_are_intervals_and_imply_the_family() {
        let predicates = summary("ip saddr != 10.0.0.0/8");
        assert_eq!(
            predicates[0],
            (
                "meta nfproto".into(),
                Relation::Eq,
                Values::Ints(vec![(2, 2)]),
                true
            )
        );
        assert_eq!(
            predicates[1],
            (
                "ip saddr".into(),
                Relation::Ne,
                Values::Ints(vec![(0x0a00_0000, 0x0aff_ffff)]),
                false
            )
        );
    }

    #[test]
    fn bitmasks_with_the_implicit_operator_match_any_bit() {
        assert_eq!(
            summary("ct state established,related"),
            vec![(
                "ct state".into(),
                Relation::AnyBits,
                Values::Ints(vec![(2, 2), (4, 4)]),
                false
            )]
        );
        assert_eq!(summary("ct state { new }")[0].1, Relation::Eq);
    }

    #[test]
    fn interface_names_and_wildcards() {
        assert_eq!(
            summary(r#"iifname { "eth*", lo }"#),
            vec![(
                "meta iifname".into(),
                Relation::Eq,
                Values::Names(vec![("eth".into(), true), ("lo".into(), false)]),
                false
            )]
        );
    }

    #[test]
    fn what_is_not_read_yet_is_opaque() {
        assert_eq!(summary("ip saddr $trusted")[1].2, Values::Opaque);
        let concatenation = summary("ip saddr . tcp dport @pairs");
        assert_eq!(concatenation.last().unwrap().2, Values::Opaque);
        // Each part brings the protocol it implies.
        let implied: Vec<(&str, &Values)> = concatenation
            .iter()
            .filter(|p| p.3)
            .map(|p| (p.0.as_str(), &p.2))
            .collect();
        assert_eq!(
            implied,
            vec![
                ("meta nfproto", &Values::Ints(vec![(2, 2)])),
                ("meta l4proto", &Values::Ints(vec![(6, 6)]))
            ]
        );
        assert_eq!(
            summary("ip saddr @blocklist")[1].2,
            Values::Set("blocklist".into())
        );
    }
}

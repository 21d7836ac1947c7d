//! nft's symbolic constants and type names, built in.
//!
//! nft resolves some names through the host (`/etc/services`, `/etc/protocols`), so the same
//! ruleset can mean different things on different machines. nftlint never reads those files:
//! it uses the fixed tables here, taken from nftables 1.1.6 and Debian netbase, so its answers
//! depend only on the ruleset.
//!
//! ```
//! use nftlint_analyzer::symbols::{Datatype, lookup, suggest};
//!
//! assert_eq!(lookup(Datatype::CtState, "established"), Some(2));
//! assert_eq!(lookup(Datatype::InetService, "http-alt"), Some(8080));
//! assert_eq!(suggest(Datatype::CtState, "establised"), Some("established"));
//! ```

pub mod ct;
pub mod families;
pub mod headers;
pub mod icmp;
pub mod meta;
pub mod protocols;
pub mod services;
mod spelling;

pub use families::{ChainType, Family, Hook, PriorityError, StdPriority, priority_value};
pub use spelling::closest;

/// A table of symbolic constants: `(name, value)` in nft's order. Where names share a value
/// nft prints the first of them.
pub type Symbols = [(&'static str, u64)];

/// A datatype whose values may be written as names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Datatype {
    InetService,
    InetProto,
    IcmpType,
    Icmpv6Type,
    IcmpCode,
    Icmpv6Code,
    IcmpxCode,
    IgmpType,
    CtState,
    CtStatus,
    CtEvent,
    CtDir,
    TcpFlag,
    EtherType,
    ArpOp,
    Dscp,
    Ecn,
    PktType,
    IfaceType,
    FibAddrtype,
    NfProto,
    Boolean,
    Day,
    MhType,
    DccpPkttype,
    MptcpSubtype,
}

impl Datatype {
    pub const ALL: [Datatype; 26] = [
        Datatype::InetService,
        Datatype::InetProto,
        Datatype::IcmpType,
        Datatype::Icmpv6Type,
        Datatype::IcmpCode,
        Datatype::Icmpv6Code,
        Datatype::IcmpxCode,
        Datatype::IgmpType,
        Datatype::CtState,
        Datatype::CtStatus,
        Datatype::CtEvent,
        Datatype::CtDir,
        Datatype::TcpFlag,
        Datatype::EtherType,
        Datatype::ArpOp,
        Datatype::Dscp,
        Datatype::Ecn,
        Datatype::PktType,
        Datatype::IfaceType,
        Datatype::FibAddrtype,
        Datatype::NfProto,
        Datatype::Boolean,
        Datatype::Day,
        Datatype::MhType,
        Datatype::DccpPkttype,
        Datatype::MptcpSubtype,
    ];

    /// The name of the type in `type X`; `None` for the mptcp subtype, which nft types as a
    /// plain `integer`.
    pub fn type_name(self) -> Option<&'static str> {
        Some(match self {
            Datatype::InetService => "inet_service",
            Datatype::InetProto => "inet_proto",
            Datatype::IcmpType => "icmp_type",
            Datatype::Icmpv6Type => "icmpv6_type",
            Datatype::IcmpCode => "icmp_code",
            Datatype::Icmpv6Code => "icmpv6_code",
            Datatype::IcmpxCode => "icmpx_code",
            Datatype::IgmpType => "igmp_type",
            Datatype::CtState => "ct_state",
            Datatype::CtStatus => "ct_status",
            Datatype::CtEvent => "ct_event",
            Datatype::CtDir => "ct_dir",
            Datatype::TcpFlag => "tcp_flag",
            Datatype::EtherType => "ether_type",
            Datatype::ArpOp => "arp_op",
            Datatype::Dscp => "dscp",
            Datatype::Ecn => "ecn",
            Datatype::PktType => "pkt_type",
            Datatype::IfaceType => "iface_type",
            Datatype::FibAddrtype => "fib_addrtype",
            Datatype::NfProto => "nf_proto",
            Datatype::Boolean => "boolean",
            Datatype::Day => "day",
            Datatype::MhType => "mh_type",
            Datatype::DccpPkttype => "dccp_pkttype",
            Datatype::MptcpSubtype => return None,
        })
    }

    /// The datatype named `name` in `type X`, if its values have names.
    pub fn from_type_name(name: &str) -> Option<Datatype> {
        Datatype::ALL
            .into_iter()
            .find(|datatype| datatype.type_name() == Some(name))
    }

    /// The width of a value in bits.
    pub fn bits(self) -> u32 {
        match self {
            Datatype::MptcpSubtype => 4,
            _ => self
                .type_name()
                .and_then(type_info)
                .and_then(|info| info.bits)
                .expect("every named datatype has a fixed width"),
        }
    }

    /// Whether the type is a bitmask, where `EXPR VALUE` and `EXPR a,b` test for any of the
    /// bits rather than for equality.
    pub fn is_bitmask(self) -> bool {
        matches!(
            self,
            Datatype::CtState | Datatype::CtStatus | Datatype::CtEvent | Datatype::TcpFlag
        )
    }

    /// The fixed table of names, in nft's order; `None` for services and protocols, whose
    /// names come from [`services`] and [`protocols`].
    pub fn symbols(self) -> Option<&'static Symbols> {
        Some(match self {
            Datatype::InetService | Datatype::InetProto => return None,
            Datatype::IcmpType => icmp::ICMP_TYPES,
            Datatype::Icmpv6Type => icmp::ICMPV6_TYPES,
            Datatype::IcmpCode => icmp::ICMP_CODES,
            Datatype::Icmpv6Code => icmp::ICMPV6_CODES,
            Datatype::IcmpxCode => icmp::ICMPX_CODES,
            Datatype::IgmpType => headers::IGMP_TYPES,
            Datatype::CtState => ct::CT_STATES,
            Datatype::CtStatus => ct::CT_STATUSES,
            Datatype::CtEvent => ct::CT_EVENTS,
            Datatype::CtDir => ct::CT_DIRS,
            Datatype::TcpFlag => headers::TCP_FLAGS,
            Datatype::EtherType => headers::ETHER_TYPES,
            Datatype::ArpOp => headers::ARP_OPS,
            Datatype::Dscp => headers::DSCPS,
            Datatype::Ecn => headers::ECNS,
            Datatype::PktType => meta::PKT_TYPES,
            Datatype::IfaceType => meta::IFACE_TYPES,
            Datatype::FibAddrtype => meta::FIB_ADDRTYPES,
            Datatype::NfProto => meta::NF_PROTOS,
            Datatype::Boolean => meta::BOOLEANS,
            Datatype::Day => meta::DAYS,
            Datatype::MhType => headers::MH_TYPES,
            Datatype::DccpPkttype => headers::DCCP_PKTTYPES,
            Datatype::MptcpSubtype => headers::MPTCP_SUBTYPES,
        })
    }
}

/// The value of a symbolic name written unquoted, as nft resolves it. Names are case-sensitive.
/// Numbers are not names: parsing `22` or `0x10` is the caller's job.
pub fn lookup(datatype: Datatype, name: &str) -> Option<u64> {
    match datatype {
        Datatype::InetService => services::service_port(name).map(u64::from),
        Datatype::InetProto => protocols::protocol_number(name).map(u64::from),
        _ => datatype
            .symbols()?
            .iter()
            .find(|&&(symbol, _)| symbol == name)
            .map(|&(_, value)| value),
    }
}

/// Every name `datatype` accepts.
pub fn names(datatype: Datatype) -> impl Iterator<Item = &'static str> {
    let fixed = datatype
        .symbols()
        .unwrap_or_default()
        .iter()
        .map(|&(name, _)| name);
    let services: &[_] = if datatype == Datatype::InetService {
        services::SERVICES
    } else {
        &[]
    };
    let (keywords, protocols): (&[_], &[_]) = if datatype == Datatype::InetProto {
        (protocols::KEYWORD_PROTOCOLS, protocols::PROTOCOLS)
    } else {
        (&[], &[])
    };
    fixed
        .chain(services.iter().map(|&(name, _, _)| name))
        .chain(keywords.iter().chain(protocols).map(|&(name, _)| name))
}

/// The known name closest to an unknown `name`, for a "did you mean" hint; `None` if `name` is
/// known or nothing is close enough (see [`closest`]).
pub fn suggest(datatype: Datatype, name: &str) -> Option<&'static str> {
    if lookup(datatype, name).is_some() {
        return None;
    }
    closest(name, names(datatype))
}

/// A type name nft accepts in `type X` (nft's `datatypes` table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TypeName {
    pub name: &'static str,
    /// nft's description, which its error messages use ("Could not parse conntrack state").
    pub description: &'static str,
    /// The width of a value, where the type fixes it.
    pub bits: Option<u32>,
    /// The datatype of symbolic names the type accepts, if any.
    pub datatype: Option<Datatype>,
}

const fn entry(
    name: &'static str,
    description: &'static str,
    bits: Option<u32>,
    datatype: Option<Datatype>,
) -> TypeName {
    TypeName {
        name,
        description,
        bits,
        datatype,
    }
}

/// The names nft 1.1 accepts in `type X`. nft 1.0 lacks `ct_label` and `ct_event`. `queue` is
/// not among them: it is a keyword and only works with `typeof`.
pub static TYPE_NAMES: &[TypeName] = &[
    entry("ipv4_addr", "IPv4 address", Some(32), None),
    entry("ipv6_addr", "IPv6 address", Some(128), None),
    entry("ether_addr", "Ethernet address", Some(48), None),
    entry(
        "inet_proto",
        "Internet protocol",
        Some(8),
        Some(Datatype::InetProto),
    ),
    entry(
        "inet_service",
        "internet network service",
        Some(16),
        Some(Datatype::InetService),
    ),
    entry("mark", "packet mark", Some(32), None),
    entry("ifname", "network interface name", Some(128), None),
    entry("iface_index", "network interface index", Some(32), None),
    entry(
        "iface_type",
        "network interface type",
        Some(16),
        Some(Datatype::IfaceType),
    ),
    entry(
        "ct_state",
        "conntrack state",
        Some(32),
        Some(Datatype::CtState),
    ),
    entry(
        "ct_status",
        "conntrack status",
        Some(32),
        Some(Datatype::CtStatus),
    ),
    entry(
        "ct_dir",
        "conntrack direction",
        Some(8),
        Some(Datatype::CtDir),
    ),
    entry(
        "ct_event",
        "conntrack event bits",
        Some(32),
        Some(Datatype::CtEvent),
    ),
    entry("ct_label", "conntrack label", Some(128), None),
    entry("icmp_type", "ICMP type", Some(8), Some(Datatype::IcmpType)),
    entry(
        "icmpv6_type",
        "ICMPv6 type",
        Some(8),
        Some(Datatype::Icmpv6Type),
    ),
    entry("icmp_code", "icmp code", Some(8), Some(Datatype::IcmpCode)),
    entry(
        "icmpv6_code",
        "icmpv6 code",
        Some(8),
        Some(Datatype::Icmpv6Code),
    ),
    entry(
        "icmpx_code",
        "icmpx code",
        Some(8),
        Some(Datatype::IcmpxCode),
    ),
    entry("igmp_type", "IGMP type", Some(8), Some(Datatype::IgmpType)),
    entry("tcp_flag", "TCP flag", Some(8), Some(Datatype::TcpFlag)),
    entry(
        "dccp_pkttype",
        "DCCP packet type",
        Some(4),
        Some(Datatype::DccpPkttype),
    ),
    entry(
        "mh_type",
        "Mobility Header Type",
        Some(8),
        Some(Datatype::MhType),
    ),
    entry("pkt_type", "packet type", Some(8), Some(Datatype::PktType)),
    entry("arp_op", "ARP operation", Some(16), Some(Datatype::ArpOp)),
    entry(
        "ether_type",
        "Ethernet protocol",
        Some(16),
        Some(Datatype::EtherType),
    ),
    entry(
        "dscp",
        "Differentiated Services Code Point",
        Some(6),
        Some(Datatype::Dscp),
    ),
    entry(
        "ecn",
        "Explicit Congestion Notification",
        Some(2),
        Some(Datatype::Ecn),
    ),
    entry(
        "nf_proto",
        "netfilter protocol",
        Some(8),
        Some(Datatype::NfProto),
    ),
    entry("uid", "user ID", Some(32), None),
    entry("gid", "group ID", Some(32), None),
    entry("realm", "routing realm", Some(32), None),
    entry("classid", "TC classid", Some(32), None),
    entry("devgroup", "devgroup name", Some(32), None),
    entry(
        "fib_addrtype",
        "fib address type",
        Some(32),
        Some(Datatype::FibAddrtype),
    ),
    entry("boolean", "boolean type", Some(1), Some(Datatype::Boolean)),
    // `type time` is the relative time of `ct expiration`; `meta time` has a 64-bit type of the
    // same name that `type` cannot reach.
    entry("time", "relative time", Some(32), None),
    entry(
        "day",
        "Day of week of packet reception",
        Some(8),
        Some(Datatype::Day),
    ),
    entry("hour", "Hour of day of packet reception", Some(32), None),
    entry("verdict", "netfilter verdict", None, None),
    entry("integer", "integer", None, None),
    entry("string", "string", None, None),
    entry("bitmask", "bitmask", None, None),
    entry("ll_addr", "link layer address", None, None),
    entry("cgroupsv2", "cgroupsv2 path", Some(64), None),
];

/// The `type X` entry for `name`.
pub fn type_info(name: &str) -> Option<&'static TypeName> {
    TYPE_NAMES.iter().find(|info| info.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_per_table() {
        for datatype in Datatype::ALL {
            let names: Vec<_> = names(datatype).collect();
            assert!(!names.is_empty(), "{datatype:?}");
            for (index, name) in names.iter().enumerate() {
                assert!(!names[..index].contains(name), "{datatype:?} {name}");
            }
        }
    }

    #[test]
    fn every_name_resolves() {
        for datatype in Datatype::ALL {
            for name in names(datatype) {
                assert!(lookup(datatype, name).is_some(), "{datatype:?} {name}");
            }
        }
    }

    #[test]
    fn values_fit_the_field() {
        for datatype in Datatype::ALL {
            for name in names(datatype) {
                let value = lookup(datatype, name).unwrap();
                assert!(value < 1 << datatype.bits(), "{datatype:?} {name}");
            }
        }
    }

    #[test]
    fn type_names_match_datatypes() {
        for (index, info) in TYPE_NAMES.iter().enumerate() {
            assert!(
                TYPE_NAMES[..index]
                    .iter()
                    .all(|other| other.name != info.name),
                "{}",
                info.name
            );
            assert_eq!(
                info.datatype.and_then(Datatype::type_name),
                info.datatype.map(|_| info.name)
            );
        }
        for datatype in Datatype::ALL {
            if let Some(name) = datatype.type_name() {
                assert_eq!(type_info(name).unwrap().datatype, Some(datatype));
                assert_eq!(Datatype::from_type_name(name), Some(datatype));
            }
        }
        assert_eq!(type_info("ipv4_addr").unwrap().bits, Some(32));
        assert_eq!(type_info("ipv6_addr").unwrap().bits, Some(128));
        assert_eq!(type_info("ether_addr").unwrap().bits, Some(48));
        assert_eq!(type_info("string").unwrap().bits, None);
        assert_eq!(type_info("queue"), None);
        assert_eq!(type_info("invalid"), None);
        assert_eq!(Datatype::InetService.bits(), 16);
        assert_eq!(Datatype::CtState.bits(), 32);
    }

    #[test]
    fn lookups_across_tables() {
        assert_eq!(lookup(Datatype::InetService, "ssh"), Some(22));
        assert_eq!(lookup(Datatype::InetProto, "icmpv6"), Some(58));
        assert_eq!(lookup(Datatype::InetProto, "ipv6-icmp"), Some(58));
        assert_eq!(lookup(Datatype::TcpFlag, "established"), None);
        assert_eq!(lookup(Datatype::CtState, "Established"), None);
        assert!(Datatype::TcpFlag.is_bitmask());
        assert!(!Datatype::Dscp.is_bitmask());
    }

    #[test]
    fn suggestions() {
        assert_eq!(
            suggest(Datatype::CtState, "establised"),
            Some("established")
        );
        assert_eq!(suggest(Datatype::CtState, "established"), None);
        assert_eq!(suggest(Datatype::TcpFlag, "sny"), Some("syn"));
        assert_eq!(suggest(Datatype::Day, "monday"), Some("Monday"));
        assert_eq!(
            suggest(Datatype::Icmpv6Type, "nd-neighbour-solicit"),
            Some("nd-neighbor-solicit")
        );
        assert_eq!(suggest(Datatype::InetService, "htttps"), Some("https"));
        assert_eq!(suggest(Datatype::InetProto, "tpc"), Some("tcp"));
        assert_eq!(suggest(Datatype::CtState, "completely-different"), None);
    }
}

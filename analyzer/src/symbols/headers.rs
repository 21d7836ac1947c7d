//! Names for packet header field values (nft's `proto.c`, `exthdr.c`, `tcpopt.c`).
//!
//! Values are the numbers as written in a rule: `ether type ip` and `ether type 0x0800` are the
//! same match. (nft keeps the 16-bit ones in network byte order internally; that does not show.)

use super::Symbols;

/// `tcp_flag`, a bitmask: `tcp flags`.
pub static TCP_FLAGS: &Symbols = &[
    ("fin", 0x01),
    ("syn", 0x02),
    ("rst", 0x04),
    ("psh", 0x08),
    ("ack", 0x10),
    ("urg", 0x20),
    ("ecn", 0x40),
    ("cwr", 0x80),
];

/// `ether_type`: `ether type`, `vlan type`, `meta protocol`. `vlan` is an older name for
/// `8021q`, so nft lists 0x8100 as `8021q`.
pub static ETHER_TYPES: &Symbols = &[
    ("ip", 0x0800),
    ("arp", 0x0806),
    ("ip6", 0x86dd),
    ("8021q", 0x8100),
    ("8021ad", 0x88a8),
    ("vlan", 0x8100),
];

/// `arp_op`: `arp operation`.
pub static ARP_OPS: &Symbols = &[
    ("request", 1),
    ("reply", 2),
    ("rrequest", 3),
    ("rreply", 4),
    ("inrequest", 8),
    ("inreply", 9),
    ("nak", 10),
];

/// `dscp`: `ip dscp`, `ip6 dscp` (6 bits). `df` and `be` are other names for `cs0`.
pub static DSCPS: &Symbols = &[
    ("cs0", 0x00),
    ("cs1", 0x08),
    ("cs2", 0x10),
    ("cs3", 0x18),
    ("cs4", 0x20),
    ("cs5", 0x28),
    ("cs6", 0x30),
    ("cs7", 0x38),
    ("df", 0x00),
    ("be", 0x00),
    ("lephb", 0x01),
    ("af11", 0x0a),
    ("af12", 0x0c),
    ("af13", 0x0e),
    ("af21", 0x12),
    ("af22", 0x14),
    ("af23", 0x16),
    ("af31", 0x1a),
    ("af32", 0x1c),
    ("af33", 0x1e),
    ("af41", 0x22),
    ("af42", 0x24),
    ("af43", 0x26),
    ("va", 0x2c),
    ("ef", 0x2e),
];

/// `ecn`: `ip ecn`, `ip6 ecn` (2 bits).
pub static ECNS: &Symbols = &[("not-ect", 0), ("ect1", 1), ("ect0", 2), ("ce", 3)];

/// `igmp_type`: `igmp type`.
pub static IGMP_TYPES: &Symbols = &[
    ("membership-query", 0x11),
    ("membership-report-v1", 0x12),
    ("membership-report-v2", 0x16),
    ("membership-report-v3", 0x22),
    ("leave-group", 0x17),
];

/// `mh_type`: `mh type`, the IPv6 mobility header.
pub static MH_TYPES: &Symbols = &[
    ("binding-refresh-request", 0),
    ("home-test-init", 1),
    ("careof-test-init", 2),
    ("home-test", 3),
    ("careof-test", 4),
    ("binding-update", 5),
    ("binding-acknowledgement", 6),
    ("binding-error", 7),
    ("fast-binding-update", 8),
    ("fast-binding-acknowledgement", 9),
    ("fast-binding-advertisement", 10),
    ("experimental-mobility-header", 11),
    ("home-agent-switch-message", 12),
];

/// `dccp_pkttype`: `dccp type` (4 bits).
pub static DCCP_PKTTYPES: &Symbols = &[
    ("request", 0),
    ("response", 1),
    ("data", 2),
    ("ack", 3),
    ("dataack", 4),
    ("closereq", 5),
    ("close", 6),
    ("reset", 7),
    ("sync", 8),
    ("syncack", 9),
];

/// `tcp option mptcp subtype` (4 bits). nft names this type `integer`, so it has no `type`
/// name of its own.
pub static MPTCP_SUBTYPES: &Symbols = &[
    ("mp-capable", 0),
    ("mp-join", 1),
    ("dss", 2),
    ("add-addr", 3),
    ("remove-addr", 4),
    ("mp-prio", 5),
    ("mp-fail", 6),
    ("mp-fastclose", 7),
    ("mp-tcprst", 8),
];

#[cfg(test)]
mod tests {
    use crate::symbols::{Datatype, lookup};

    #[test]
    fn known_values() {
        assert_eq!(lookup(Datatype::TcpFlag, "ack"), Some(0x10));
        assert_eq!(lookup(Datatype::EtherType, "ip6"), Some(0x86dd));
        assert_eq!(lookup(Datatype::EtherType, "vlan"), Some(0x8100));
        assert_eq!(lookup(Datatype::EtherType, "8021ad"), Some(0x88a8));
        assert_eq!(lookup(Datatype::ArpOp, "nak"), Some(10));
        assert_eq!(lookup(Datatype::Dscp, "ef"), Some(0x2e));
        assert_eq!(lookup(Datatype::Dscp, "be"), Some(0));
        assert_eq!(lookup(Datatype::Dscp, "af33"), Some(0x1e));
        assert_eq!(lookup(Datatype::Ecn, "ce"), Some(3));
        assert_eq!(lookup(Datatype::IgmpType, "leave-group"), Some(23));
        assert_eq!(lookup(Datatype::MhType, "binding-update"), Some(5));
        assert_eq!(lookup(Datatype::DccpPkttype, "syncack"), Some(9));
        assert_eq!(lookup(Datatype::MptcpSubtype, "mp-join"), Some(1));
    }
}

//! ICMP and ICMPv6 type names (nft's `proto.c`) and the reject code names (`datatype.c`).
//!
//! The order is nft's: where two names share a value, nft lists the value with the first.

use super::Symbols;

/// `icmp_type`: `icmp type`. Values from RFC 792 and later.
pub static ICMP_TYPES: &Symbols = &[
    ("echo-reply", 0),
    ("destination-unreachable", 3),
    ("source-quench", 4),
    ("redirect", 5),
    ("echo-request", 8),
    ("router-advertisement", 9),
    ("router-solicitation", 10),
    ("time-exceeded", 11),
    ("parameter-problem", 12),
    ("timestamp-request", 13),
    ("timestamp-reply", 14),
    ("info-request", 15),
    ("info-reply", 16),
    ("address-mask-request", 17),
    ("address-mask-reply", 18),
];

/// `icmpv6_type`: `icmpv6 type`. Values from RFC 4443, 4861, 2710, 3810 and 3122.
pub static ICMPV6_TYPES: &Symbols = &[
    ("destination-unreachable", 1),
    ("packet-too-big", 2),
    ("time-exceeded", 3),
    ("parameter-problem", 4),
    ("echo-request", 128),
    ("echo-reply", 129),
    ("mld-listener-query", 130),
    ("mld-listener-report", 131),
    ("mld-listener-done", 132),
    ("mld-listener-reduction", 132),
    ("nd-router-solicit", 133),
    ("nd-router-advert", 134),
    ("nd-neighbor-solicit", 135),
    ("nd-neighbor-advert", 136),
    ("nd-redirect", 137),
    ("router-renumbering", 138),
    ("ind-neighbor-solicit", 141),
    ("ind-neighbor-advert", 142),
    ("mld2-listener-report", 143),
];

/// `icmp_code`: `reject with icmp CODE` (and `icmp code`), destination-unreachable codes.
pub static ICMP_CODES: &Symbols = &[
    ("net-unreachable", 0),
    ("host-unreachable", 1),
    ("prot-unreachable", 2),
    ("port-unreachable", 3),
    ("net-prohibited", 9),
    ("host-prohibited", 10),
    ("admin-prohibited", 13),
    ("frag-needed", 4),
];

/// `icmpv6_code`: `reject with icmpv6 CODE` (and `icmpv6 code`).
pub static ICMPV6_CODES: &Symbols = &[
    ("no-route", 0),
    ("admin-prohibited", 1),
    ("addr-unreachable", 3),
    ("port-unreachable", 4),
    ("policy-fail", 5),
    ("reject-route", 6),
];

/// `icmpx_code`: `reject with icmpx CODE`. These are nftables' own family-neutral codes
/// (`NFT_REJECT_ICMPX_*`), which the kernel maps to an ICMP or ICMPv6 code per packet.
pub static ICMPX_CODES: &Symbols = &[
    ("port-unreachable", 1),
    ("admin-prohibited", 3),
    ("no-route", 0),
    ("host-unreachable", 2),
];

#[cfg(test)]
mod tests {
    use crate::symbols::{Datatype, lookup};

    #[test]
    fn known_types() {
        assert_eq!(lookup(Datatype::IcmpType, "echo-reply"), Some(0));
        assert_eq!(
            lookup(Datatype::IcmpType, "destination-unreachable"),
            Some(3)
        );
        assert_eq!(lookup(Datatype::IcmpType, "echo-request"), Some(8));
        assert_eq!(lookup(Datatype::Icmpv6Type, "echo-request"), Some(128));
        assert_eq!(
            lookup(Datatype::Icmpv6Type, "mld-listener-query"),
            Some(130)
        );
        assert_eq!(lookup(Datatype::Icmpv6Type, "nd-router-advert"), Some(134));
        assert_eq!(
            lookup(Datatype::Icmpv6Type, "nd-neighbor-solicit"),
            Some(135)
        );
        assert_eq!(
            lookup(Datatype::Icmpv6Type, "mld-listener-reduction"),
            Some(132)
        );
        // The ICMP name is not an ICMPv6 one.
        assert_eq!(lookup(Datatype::Icmpv6Type, "source-quench"), None);
    }

    #[test]
    fn reject_codes_differ_per_family() {
        assert_eq!(lookup(Datatype::IcmpCode, "port-unreachable"), Some(3));
        assert_eq!(lookup(Datatype::IcmpCode, "admin-prohibited"), Some(13));
        assert_eq!(lookup(Datatype::IcmpCode, "frag-needed"), Some(4));
        assert_eq!(lookup(Datatype::Icmpv6Code, "port-unreachable"), Some(4));
        assert_eq!(lookup(Datatype::IcmpxCode, "port-unreachable"), Some(1));
        assert_eq!(lookup(Datatype::IcmpxCode, "no-route"), Some(0));
        assert_eq!(lookup(Datatype::IcmpxCode, "net-unreachable"), None);
    }
}

//! Protocol names nft accepts for `inet_proto` values.
//!
//! nft resolves a protocol name with `getprotobyname`, which reads `/etc/protocols`; a few
//! protocol names are keywords that the parser turns into numbers itself. Resolving on the host
//! at lint time would make results depend on the machine, so this table fixes the answer: it
//! lists the Debian netbase 6.4 protocol names and aliases (matched case-sensitively, as
//! `getprotobyname` does). Numbers above 255 (`mptcp` 262) are left out because nft 1.1 rejects
//! them for the 8-bit protocol field (nft 1.0 silently truncates them). `PROTOCOLS` was
//! generated from that `/etc/protocols` and checked against nft 1.0.6; when updating it, rebuild
//! it from a newer netbase rather than editing rows by hand.

/// The protocol number nft resolves a name to, for a name written unquoted. A quoted name is
/// never a keyword: `"icmpv6"` does not resolve, so look such a name up in [`PROTOCOLS`] only.
pub fn protocol_number(name: &str) -> Option<u8> {
    KEYWORD_PROTOCOLS
        .iter()
        .find(|&&(keyword, _)| keyword == name)
        .or_else(|| {
            PROTOCOLS
                .binary_search_by(|&(probe, _)| probe.cmp(name))
                .ok()
                .map(|index| &PROTOCOLS[index])
        })
        .map(|&(_, number)| number)
}

/// Protocol keywords that nft's parser turns into protocol numbers without asking
/// `/etc/protocols` (`primary_rhs_expr`), for the ones whose name is not also listed there.
pub static KEYWORD_PROTOCOLS: &[(&str, u8)] = &[("icmpv6", 58), ("comp", 108)];

/// `(name, number)`, sorted by name (byte order) for binary search. Aliases have rows of their
/// own.
pub static PROTOCOLS: &[(&str, u8)] = &[
    ("AX.25", 93),
    ("CPHB", 73),
    ("DCCP", 33),
    ("DDP", 37),
    ("EGP", 8),
    ("EIGRP", 88),
    ("ENCAP", 98),
    ("ETHERIP", 97),
    ("Ethernet", 143),
    ("FC", 133),
    ("GGP", 3),
    ("GRE", 47),
    ("HIP", 139),
    ("HMP", 20),
    ("HOPOPT", 0),
    ("ICMP", 1),
    ("IDPR-CMTP", 38),
    ("IDRP", 45),
    ("IGMP", 2),
    ("IGP", 9),
    ("IP", 0),
    ("IP-ENCAP", 4),
    ("IPCOMP", 108),
    ("IPIP", 94),
    ("IPSEC-AH", 51),
    ("IPSEC-ESP", 50),
    ("IPv6", 41),
    ("IPv6-Frag", 44),
    ("IPv6-ICMP", 58),
    ("IPv6-NoNxt", 59),
    ("IPv6-Opts", 60),
    ("IPv6-Route", 43),
    ("ISIS", 124),
    ("ISO-TP4", 29),
    ("L2TP", 115),
    ("MPLS-in-IP", 137),
    ("Mobility-Header", 135),
    ("OSPFIGP", 89),
    ("PIM", 103),
    ("PUP", 12),
    ("RDP", 27),
    ("ROHC", 142),
    ("RSPF", 73),
    ("RSVP", 46),
    ("SCTP", 132),
    ("SKIP", 57),
    ("ST", 5),
    ("Shim6", 140),
    ("TCP", 6),
    ("UDP", 17),
    ("UDPLite", 136),
    ("VMTP", 81),
    ("VRRP", 112),
    ("WESP", 141),
    ("XNS-IDP", 22),
    ("XTP", 36),
    ("ah", 51),
    ("ax.25", 93),
    ("dccp", 33),
    ("ddp", 37),
    ("egp", 8),
    ("eigrp", 88),
    ("encap", 98),
    ("esp", 50),
    ("etherip", 97),
    ("ethernet", 143),
    ("fc", 133),
    ("ggp", 3),
    ("gre", 47),
    ("hip", 139),
    ("hmp", 20),
    ("hopopt", 0),
    ("icmp", 1),
    ("idpr-cmtp", 38),
    ("idrp", 45),
    ("igmp", 2),
    ("igp", 9),
    ("ip", 0),
    ("ipcomp", 108),
    ("ipencap", 4),
    ("ipip", 94),
    ("ipv6", 41),
    ("ipv6-frag", 44),
    ("ipv6-icmp", 58),
    ("ipv6-nonxt", 59),
    ("ipv6-opts", 60),
    ("ipv6-route", 43),
    ("isis", 124),
    ("iso-tp4", 29),
    ("l2tp", 115),
    ("manet", 138),
    ("mobility-header", 135),
    ("mpls-in-ip", 137),
    ("ospf", 89),
    ("pim", 103),
    ("pup", 12),
    ("rdp", 27),
    ("rohc", 142),
    ("rspf", 73),
    ("rsvp", 46),
    ("sctp", 132),
    ("shim6", 140),
    ("skip", 57),
    ("st", 5),
    ("tcp", 6),
    ("udp", 17),
    ("udplite", 136),
    ("vmtp", 81),
    ("vrrp", 112),
    ("wesp", 141),
    ("xns-idp", 22),
    ("xtp", 36),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_unique() {
        for pair in PROTOCOLS.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} {}", pair[0].0, pair[1].0);
        }
        for &(keyword, _) in KEYWORD_PROTOCOLS {
            assert!(
                PROTOCOLS.iter().all(|&(name, _)| name != keyword),
                "{keyword}"
            );
        }
    }

    #[test]
    fn known_numbers() {
        assert_eq!(protocol_number("icmp"), Some(1));
        assert_eq!(protocol_number("tcp"), Some(6));
        assert_eq!(protocol_number("TCP"), Some(6));
        assert_eq!(protocol_number("udp"), Some(17));
        assert_eq!(protocol_number("gre"), Some(47));
        assert_eq!(protocol_number("esp"), Some(50));
        assert_eq!(protocol_number("ah"), Some(51));
        assert_eq!(protocol_number("ipv6-icmp"), Some(58));
        assert_eq!(protocol_number("icmpv6"), Some(58));
        assert_eq!(protocol_number("comp"), Some(108));
        assert_eq!(protocol_number("sctp"), Some(132));
        assert_eq!(protocol_number("udplite"), Some(136));
        assert_eq!(protocol_number("mptcp"), None);
        assert_eq!(protocol_number("Tcp"), None);
    }
}

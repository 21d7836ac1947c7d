//! Names for `meta` key values (nft's `meta.c`, `datatype.c`), `fib ... type` results and the
//! `exists`/`missing` booleans.

use super::Symbols;

/// `pkt_type`: `meta pkttype`. `unicast` is an older name for `host`.
pub static PKT_TYPES: &Symbols = &[
    ("host", 0),
    ("unicast", 0),
    ("broadcast", 1),
    ("multicast", 2),
    ("other", 3),
];

/// `iface_type`: `meta iiftype`, `meta oiftype`; the kernel's `ARPHRD_*` numbers.
pub static IFACE_TYPES: &Symbols = &[
    ("ether", 1),
    ("ppp", 512),
    ("ipip", 768),
    ("ipip6", 769),
    ("loopback", 772),
    ("sit", 776),
    ("ipgre", 778),
];

/// `nf_proto`: `meta nfproto`; the kernel's `NFPROTO_*` numbers.
pub static NF_PROTOS: &Symbols = &[("ipv4", 2), ("ipv6", 10)];

/// `day`: `meta day`. Matched case-sensitively, like every nft symbol: `monday` is an error.
pub static DAYS: &Symbols = &[
    ("Sunday", 0),
    ("Monday", 1),
    ("Tuesday", 2),
    ("Wednesday", 3),
    ("Thursday", 4),
    ("Friday", 5),
    ("Saturday", 6),
];

/// `fib_addrtype`: `fib ... type`; the kernel's `RTN_*` route types.
pub static FIB_ADDRTYPES: &Symbols = &[
    ("unspec", 0),
    ("unicast", 1),
    ("local", 2),
    ("broadcast", 3),
    ("anycast", 4),
    ("multicast", 5),
    ("blackhole", 6),
    ("unreachable", 7),
    ("prohibit", 8),
];

/// `boolean`: existence checks such as `tcp option sack-perm exists` and `fib ... oif missing`.
pub static BOOLEANS: &Symbols = &[("exists", 1), ("missing", 0)];

#[cfg(test)]
mod tests {
    use crate::symbols::{Datatype, lookup};

    #[test]
    fn known_values() {
        assert_eq!(lookup(Datatype::PktType, "unicast"), Some(0));
        assert_eq!(lookup(Datatype::PktType, "other"), Some(3));
        assert_eq!(lookup(Datatype::IfaceType, "loopback"), Some(772));
        assert_eq!(lookup(Datatype::NfProto, "ipv4"), Some(2));
        assert_eq!(lookup(Datatype::NfProto, "ipv6"), Some(10));
        assert_eq!(lookup(Datatype::Day, "Sunday"), Some(0));
        assert_eq!(lookup(Datatype::Day, "Saturday"), Some(6));
        assert_eq!(lookup(Datatype::Day, "saturday"), None);
        assert_eq!(lookup(Datatype::FibAddrtype, "local"), Some(2));
        assert_eq!(lookup(Datatype::Boolean, "exists"), Some(1));
        assert_eq!(lookup(Datatype::Boolean, "missing"), Some(0));
    }
}

//! Conntrack constants (nft's `ct.c`): `ct state`, `ct status`, `ct event` and `ct direction`.

use super::Symbols;

/// `ct_state`, a bitmask: one bit per conntrack state, so `established,related` ORs bits.
pub static CT_STATES: &Symbols = &[
    ("invalid", 0x01),
    ("new", 0x08),
    ("established", 0x02),
    ("related", 0x04),
    ("untracked", 0x40),
];

/// `ct_status`, a bitmask of the kernel's `IPS_*` flags.
///
/// nft 1.0 knows only expected, seen-reply, assured, confirmed, snat, dnat and dying. For
/// helper, offload and hw-offload nft's table holds the kernel's bit *numbers* (13, 14, 15), not
/// the masks, and those numbers are what nft puts in the rule; they are kept here so that
/// values agree with nft.
pub static CT_STATUSES: &Symbols = &[
    ("expected", 0x0001),
    ("seen-reply", 0x0002),
    ("assured", 0x0004),
    ("confirmed", 0x0008),
    ("snat", 0x0010),
    ("dnat", 0x0020),
    ("seq-adjust", 0x0040),
    ("snat-done", 0x0080),
    ("dnat-done", 0x0100),
    ("dying", 0x0200),
    ("fixed-timeout", 0x0400),
    ("helper", 13),
    ("offload", 14),
    ("hw-offload", 15),
];

/// `ct_event`, a bitmask of `1 << IPCT_*`; used by `ct event set`.
pub static CT_EVENTS: &Symbols = &[
    ("new", 0x001),
    ("related", 0x002),
    ("destroy", 0x004),
    ("reply", 0x008),
    ("assured", 0x010),
    ("protoinfo", 0x020),
    ("helper", 0x040),
    ("mark", 0x080),
    ("seqadj", 0x100),
    ("secmark", 0x200),
    ("label", 0x400),
];

/// `ct_dir`: `ct direction` and the `ct original|reply` prefixes.
pub static CT_DIRS: &Symbols = &[("original", 0), ("reply", 1)];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::symbols::{Datatype, lookup};

    #[test]
    fn states_are_distinct_bits() {
        let mut seen = 0;
        for &(name, value) in CT_STATES {
            assert_eq!(value.count_ones(), 1, "{name}");
            assert_eq!(seen & value, 0, "{name}");
            seen |= value;
        }
        assert_eq!(lookup(Datatype::CtState, "untracked"), Some(64));
        assert_eq!(lookup(Datatype::CtState, "new"), Some(8));
    }

    #[test]
    fn status_keeps_nfts_values() {
        assert_eq!(lookup(Datatype::CtStatus, "dying"), Some(0x200));
        assert_eq!(lookup(Datatype::CtStatus, "helper"), Some(13));
        assert_eq!(lookup(Datatype::CtEvent, "label"), Some(0x400));
        assert_eq!(lookup(Datatype::CtDir, "reply"), Some(1));
    }
}

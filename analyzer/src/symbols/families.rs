//! Families, hooks, chain types and the standard chain priority names.
//!
//! Hook names follow nft's `str2hooknum` (`evaluate.c`), chain types the kernel's chain type
//! registrations (doc/nft.txt "Supported chain types"), priority names `std_prios` and
//! `std_prio_family_hook_compat` (`rule.c`).

use std::fmt;

use Hook::*;

/// An address family: the first word after `table`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    Ip,
    Ip6,
    Inet,
    Arp,
    Bridge,
    Netdev,
}

/// A netfilter hook: `hook NAME` in a base chain or flowtable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hook {
    Prerouting,
    Input,
    Forward,
    Output,
    Postrouting,
    Ingress,
    Egress,
}

/// A base chain type: `type NAME hook ...`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChainType {
    Filter,
    Nat,
    Route,
}

/// The hooks of the ip stack, shared by ip, ip6, inet and bridge.
const STACK_HOOKS: &[Hook] = &[Prerouting, Input, Forward, Output, Postrouting];
const INET_HOOKS: &[Hook] = &[Prerouting, Input, Forward, Output, Postrouting, Ingress];
const NETDEV_HOOKS: &[Hook] = &[Ingress, Egress];

impl Family {
    pub const ALL: [Family; 6] = [
        Family::Ip,
        Family::Ip6,
        Family::Inet,
        Family::Arp,
        Family::Bridge,
        Family::Netdev,
    ];

    /// The keyword nft uses for the family.
    pub fn name(self) -> &'static str {
        match self {
            Family::Ip => "ip",
            Family::Ip6 => "ip6",
            Family::Inet => "inet",
            Family::Arp => "arp",
            Family::Bridge => "bridge",
            Family::Netdev => "netdev",
        }
    }

    pub fn from_name(name: &str) -> Option<Family> {
        Family::ALL.into_iter().find(|family| family.name() == name)
    }

    /// The hooks nft accepts by name in this family; any other is the error "The FAMILY family
    /// does not support this hook". The kernel may still refuse one for a chain type (arp
    /// `forward`): see [`ChainType::hooks`].
    pub fn hooks(self) -> &'static [Hook] {
        match self {
            Family::Ip | Family::Ip6 | Family::Bridge => STACK_HOOKS,
            Family::Inet => INET_HOOKS,
            Family::Arp => &[Input, Forward, Output],
            Family::Netdev => NETDEV_HOOKS,
        }
    }

    /// The standard priority names of the family, with their values and hooks.
    pub fn priorities(self) -> &'static [StdPriority] {
        match self {
            Family::Ip | Family::Ip6 | Family::Inet => IP_PRIORITIES,
            Family::Arp | Family::Netdev => FILTER_ONLY_PRIORITIES,
            Family::Bridge => BRIDGE_PRIORITIES,
        }
    }
}

impl Hook {
    pub const ALL: [Hook; 7] = [
        Prerouting,
        Input,
        Forward,
        Output,
        Postrouting,
        Ingress,
        Egress,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Prerouting => "prerouting",
            Input => "input",
            Forward => "forward",
            Output => "output",
            Postrouting => "postrouting",
            Ingress => "ingress",
            Egress => "egress",
        }
    }

    pub fn from_name(name: &str) -> Option<Hook> {
        Hook::ALL.into_iter().find(|hook| hook.name() == name)
    }

    /// Whether a base chain at `priority` on this hook sees packets before conntrack has looked
    /// them up, so with no entry (`ct state invalid`, or `untracked` after `notrack`). Conntrack
    /// runs at priority -200 on prerouting and output, where packets enter the stack; on input,
    /// forward and postrouting every chain sees the entry made there.
    pub fn before_conntrack(self, priority: i32) -> bool {
        const CONNTRACK: i32 = -200;
        matches!(self, Prerouting | Output) && priority < CONNTRACK
    }
}

impl ChainType {
    pub const ALL: [ChainType; 3] = [ChainType::Filter, ChainType::Nat, ChainType::Route];

    pub fn name(self) -> &'static str {
        match self {
            ChainType::Filter => "filter",
            ChainType::Nat => "nat",
            ChainType::Route => "route",
        }
    }

    pub fn from_name(name: &str) -> Option<ChainType> {
        ChainType::ALL
            .into_iter()
            .find(|chain_type| chain_type.name() == name)
    }

    /// The hooks the kernel accepts a chain of this type on in `family`; empty if the family
    /// has no such chain type. nft itself does not check this: the kernel refuses the chain
    /// with "Operation not supported" when the ruleset is loaded.
    pub fn hooks(self, family: Family) -> &'static [Hook] {
        match (self, family) {
            (ChainType::Filter, Family::Arp) => &[Input, Output],
            (ChainType::Filter, _) => family.hooks(),
            (ChainType::Nat, Family::Ip | Family::Ip6 | Family::Inet) => {
                &[Prerouting, Input, Output, Postrouting]
            }
            (ChainType::Route, Family::Ip | Family::Ip6 | Family::Inet) => &[Output],
            (ChainType::Nat | ChainType::Route, _) => &[],
        }
    }

    /// Whether a chain of this type may hook `hook` in `family`.
    pub fn supports(self, family: Family, hook: Hook) -> bool {
        self.hooks(family).contains(&hook)
    }
}

/// A standard priority name such as `filter` in `priority filter + 10`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StdPriority {
    pub name: &'static str,
    pub value: i32,
    /// The hooks the name is valid on; `None` for every hook of the family.
    pub hooks: Option<&'static [Hook]>,
}

const fn prio(name: &'static str, value: i32, hooks: Option<&'static [Hook]>) -> StdPriority {
    StdPriority { name, value, hooks }
}

/// ip, ip6 and inet (the kernel's `NF_IP_PRI_*`).
static IP_PRIORITIES: &[StdPriority] = &[
    prio("raw", -300, None),
    prio("mangle", -150, None),
    // nft 1.0 accepts `dstnat` on prerouting only; output was added in 1.1.
    prio("dstnat", -100, Some(&[Prerouting, Output])),
    prio("filter", 0, None),
    prio("security", 50, None),
    prio("srcnat", 100, Some(&[Input, Postrouting])),
];

/// arp and netdev share the ip table in nft, but only `filter` is allowed there.
static FILTER_ONLY_PRIORITIES: &[StdPriority] = &[prio("filter", 0, None)];

/// bridge has values of its own (the kernel's `NF_BR_PRI_*`).
static BRIDGE_PRIORITIES: &[StdPriority] = &[
    prio("dstnat", -300, Some(&[Prerouting])),
    prio("filter", -200, None),
    prio("out", 100, Some(&[Output])),
    prio("srcnat", 300, Some(&[Postrouting])),
];

/// Why a priority name was refused. nft reports all of these with the same message,
/// [`PriorityError::NFT_MESSAGE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriorityError {
    /// Not a standard priority name in any family.
    Unknown,
    /// A standard name, but not in this family (`raw` in netdev, `out` outside bridge).
    WrongFamily,
    /// A standard name of the family, but not valid on this hook.
    WrongHook { valid: &'static [Hook] },
}

impl PriorityError {
    /// What nft says for any refused priority name.
    pub const NFT_MESSAGE: &'static str = "invalid priority expression value in this context.";
}

impl fmt::Display for PriorityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PriorityError::Unknown => f.write_str("unknown priority name"),
            PriorityError::WrongFamily => {
                f.write_str("this priority name is not available in this family")
            }
            PriorityError::WrongHook { valid } => {
                f.write_str("this priority name is only valid on hook ")?;
                for (index, hook) in valid.iter().enumerate() {
                    if index > 0 {
                        f.write_str(if index + 1 == valid.len() {
                            " or "
                        } else {
                            ", "
                        })?;
                    }
                    f.write_str(hook.name())?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for PriorityError {}

/// The value of a standard priority name for a chain on `hook` in `family`, as nft 1.1
/// resolves it. An offset (`filter + 10`) is the caller's to add.
pub fn priority_value(family: Family, hook: Hook, name: &str) -> Result<i32, PriorityError> {
    match family
        .priorities()
        .iter()
        .find(|priority| priority.name == name)
    {
        Some(priority) => match priority.hooks {
            Some(valid) if !valid.contains(&hook) => Err(PriorityError::WrongHook { valid }),
            _ => Ok(priority.value),
        },
        None if Family::ALL.iter().any(|other| {
            other
                .priorities()
                .iter()
                .any(|priority| priority.name == name)
        }) =>
        {
            Err(PriorityError::WrongFamily)
        }
        None => Err(PriorityError::Unknown),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As the kernel traces of `tests/kernel/cases/hand-conntrack*.nft` show.
    #[test]
    fn only_early_prerouting_and_output_chains_run_before_conntrack() {
        assert!(Prerouting.before_conntrack(-300));
        assert!(Output.before_conntrack(-201));
        assert!(!Prerouting.before_conntrack(-200));
        for hook in [Input, Forward, Postrouting] {
            assert!(!hook.before_conntrack(-300), "{hook:?}");
        }
    }

    #[test]
    fn names_round_trip() {
        for family in Family::ALL {
            assert_eq!(Family::from_name(family.name()), Some(family));
        }
        for hook in Hook::ALL {
            assert_eq!(Hook::from_name(hook.name()), Some(hook));
        }
        for chain_type in ChainType::ALL {
            assert_eq!(ChainType::from_name(chain_type.name()), Some(chain_type));
        }
        assert_eq!(Family::from_name("ipv4"), None);
    }

    #[test]
    fn chain_types_use_hooks_of_the_family() {
        for family in Family::ALL {
            for chain_type in ChainType::ALL {
                for hook in chain_type.hooks(family) {
                    assert!(
                        family.hooks().contains(hook),
                        "{family:?} {chain_type:?} {hook:?}"
                    );
                }
            }
        }
        assert!(ChainType::Filter.supports(Family::Inet, Ingress));
        assert!(!ChainType::Filter.supports(Family::Bridge, Ingress));
        assert!(!ChainType::Filter.supports(Family::Arp, Forward));
        assert!(Family::Arp.hooks().contains(&Forward));
        assert!(ChainType::Filter.supports(Family::Netdev, Egress));
        assert!(ChainType::Nat.supports(Family::Ip, Input));
        assert!(!ChainType::Nat.supports(Family::Ip, Forward));
        assert!(!ChainType::Nat.supports(Family::Bridge, Prerouting));
        assert!(ChainType::Route.supports(Family::Ip6, Output));
        assert!(!ChainType::Route.supports(Family::Ip6, Input));
    }

    #[test]
    fn priority_values() {
        assert_eq!(priority_value(Family::Inet, Input, "raw"), Ok(-300));
        assert_eq!(priority_value(Family::Ip, Forward, "mangle"), Ok(-150));
        assert_eq!(priority_value(Family::Ip, Prerouting, "dstnat"), Ok(-100));
        assert_eq!(priority_value(Family::Ip, Output, "dstnat"), Ok(-100));
        assert_eq!(priority_value(Family::Ip6, Forward, "filter"), Ok(0));
        assert_eq!(priority_value(Family::Ip, Input, "security"), Ok(50));
        assert_eq!(priority_value(Family::Ip, Input, "srcnat"), Ok(100));
        assert_eq!(priority_value(Family::Netdev, Ingress, "filter"), Ok(0));
        assert_eq!(priority_value(Family::Arp, Input, "filter"), Ok(0));
        assert_eq!(
            priority_value(Family::Bridge, Prerouting, "dstnat"),
            Ok(-300)
        );
        assert_eq!(priority_value(Family::Bridge, Forward, "filter"), Ok(-200));
        assert_eq!(priority_value(Family::Bridge, Output, "out"), Ok(100));
        assert_eq!(
            priority_value(Family::Bridge, Postrouting, "srcnat"),
            Ok(300)
        );
    }

    #[test]
    fn priority_errors() {
        assert_eq!(
            priority_value(Family::Ip, Postrouting, "dstnat"),
            Err(PriorityError::WrongHook {
                valid: &[Prerouting, Output]
            })
        );
        assert_eq!(
            priority_value(Family::Bridge, Input, "out"),
            Err(PriorityError::WrongHook { valid: &[Output] })
        );
        assert_eq!(
            priority_value(Family::Netdev, Ingress, "raw"),
            Err(PriorityError::WrongFamily)
        );
        assert_eq!(
            priority_value(Family::Ip, Output, "out"),
            Err(PriorityError::WrongFamily)
        );
        assert_eq!(
            priority_value(Family::Bridge, Input, "mangle"),
            Err(PriorityError::WrongFamily)
        );
        assert_eq!(
            priority_value(Family::Ip, Input, "bogus"),
            Err(PriorityError::Unknown)
        );
        assert_eq!(
            priority_value(Family::Ip, Input, "Filter"),
            Err(PriorityError::Unknown)
        );
        assert_eq!(
            priority_value(Family::Ip, Forward, "srcnat")
                .unwrap_err()
                .to_string(),
            "this priority name is only valid on hook input or postrouting"
        );
    }

    #[test]
    fn priority_names_are_unique_per_family() {
        for family in Family::ALL {
            let priorities = family.priorities();
            for (index, priority) in priorities.iter().enumerate() {
                assert!(
                    priorities[..index]
                        .iter()
                        .all(|other| other.name != priority.name)
                );
                for hook in priority.hooks.unwrap_or_default() {
                    assert!(
                        family.hooks().contains(hook),
                        "{family:?} {}",
                        priority.name
                    );
                }
            }
        }
    }
}

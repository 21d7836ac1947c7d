//! `NFT008 invalid-chain`: a base chain declaration the kernel or nft refuses.

use crate::Diagnostic;
use crate::model::{Loc, Model};
use crate::symbols::families::{ChainType, Family, Hook, PriorityError};

super::declare_rule! {
/**
## What it finds

A base chain whose `type ... hook ... priority ...` line nft or the kernel refuses: a hook the
table's family does not have (`ingress` in an `ip` table), a chain type the family or hook does
not support (`nat` in `forward`, anything but `filter` in `arp`, `bridge` and `netdev`, `route`
outside `output`), a standard priority name that does not exist or does not fit the hook
(`dstnat` in `postrouting`: `invalid priority expression value in this context`), and a `nat`
chain at priority -200 or lower, before connection tracking has run.

## Why it matters

nft refuses the whole file, and nothing of it is loaded.

## Example

```nft
table inet nat {
    chain postrouting {
        type nat hook postrouting priority dstnat; policy accept;
        oifname "wan0" masquerade
    }
}
```

Fixed:

```nft
table inet nat {
    chain postrouting {
        type nat hook postrouting priority srcnat; policy accept;
        oifname "wan0" masquerade
    }
}
```

## Fix

Use the hook and priority the chain type is meant for: `dstnat` for destination NAT in
`prerouting` and `output`, `srcnat` for source NAT in `postrouting` and `input`, `filter` or a
number for filtering.
*/
    code: "NFT008",
    name: "invalid-chain",
    severity: Error,
    status: Stable,
}

pub(crate) fn check(model: &Model) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for table in &model.tables {
        let Some(family) = Family::from_name(&table.family) else {
            continue;
        };
        for chain in &table.chains {
            let Some(base) = &chain.base else { continue };
            let error = |message: String| model.diagnostic(&RULE, &base.loc, message);
            let Some(hook) = Hook::from_name(&base.hook).filter(|h| family.hooks().contains(h))
            else {
                out.push(error(format!(
                    "hook '{}' does not exist in family {}",
                    base.hook,
                    family.name()
                )));
                continue;
            };
            match ChainType::from_name(&base.chain_type) {
                None => out.push(error(format!("unknown chain type '{}'", base.chain_type))),
                Some(chain_type) if !chain_type.supports(family, hook) => out.push(error(format!(
                    "chains of type {} are not supported on hook {} in family {}",
                    chain_type.name(),
                    hook.name(),
                    family.name()
                ))),
                Some(chain_type) => {
                    let Some(priority) = &base.priority else {
                        continue;
                    };
                    match base.priority_value(family, hook) {
                        Err(reason) => {
                            let mut diagnostic = model.diagnostic(
                                &RULE,
                                &Loc::of(base.loc.file, priority),
                                PriorityError::NFT_MESSAGE.trim_end_matches('.'),
                            );
                            diagnostic.help = Some(reason.to_string());
                            out.push(diagnostic);
                        }
                        Ok(Some(value)) if chain_type == ChainType::Nat && value <= -200 => {
                            out.push(error(format!(
                                "nat chains need a priority above -200, not {value}"
                            )));
                        }
                        Ok(_) => {}
                    }
                }
            }
        }
    }
    out
}

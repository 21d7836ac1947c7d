//! `NFT401 unused-definition`: a define, set, map or chain nothing uses.

use std::collections::HashSet;

use crate::Diagnostic;
use crate::model::{Model, RefKind};

super::declare_rule! {
/**
## What it finds

A `define` no `$variable` reads, a named set or map no `@name` refers to, and a regular chain
(one without a hook) that no `jump`, `goto` or verdict map enters. In a table that looks packets
up in a verdict map whose elements the file does not give (filled at run time), any chain may be
entered: chains are not reported there.

## Why it matters

An unused chain never sees a packet: its rules are dead, and whoever wrote them believes they
filter something. An unused set or define is often the sign of a misspelt reference elsewhere,
or of a rule that was deleted while its data stayed.

## Example

```nft
table inet filter {
    chain ssh_guard {
        tcp dport 22 ct state new limit rate 10/minute accept
    }
    chain input {
        type filter hook input priority filter; policy drop;
    }
}
```

Fixed:

```nft
table inet filter {
    chain ssh_guard {
        tcp dport 22 ct state new limit rate 10/minute accept
    }
    chain input {
        type filter hook input priority filter; policy drop;
        jump ssh_guard
    }
}
```

## Fix

Refer to the definition where it was meant to be used, or delete it.
*/
    code: "NFT401",
    name: "unused-definition",
    severity: Warning,
    status: Stable,
}

pub(crate) fn check(model: &Model) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for define in model.defines.iter().filter(|d| !d.used) {
        out.push(model.diagnostic(
            &RULE,
            &define.loc,
            format!("'{}' is defined but never used", define.name),
        ));
    }
    // The sets and chains some statement names, by table: a ruleset may hold thousands.
    let used: HashSet<(usize, bool, &str)> = model
        .references
        .iter()
        .filter_map(|r| match r.kind {
            RefKind::Set => Some((r.table, false, r.name.as_str())),
            RefKind::Chain { .. } => Some((r.table, true, r.name.as_str())),
            RefKind::Object(_) => None,
        })
        .collect();
    for (t, table) in model.tables.iter().enumerate() {
        for set in &table.sets {
            if !used.contains(&(t, false, set.name.as_str())) {
                let what = if set.is_map { "map" } else { "set" };
                out.push(model.diagnostic(
                    &RULE,
                    &set.loc,
                    format!("{what} '{}' is never used", set.name),
                ));
            }
        }
        // A verdict map filled at run time, once looked up, may jump to any chain of its table.
        if table.sets.iter().any(|set| {
            set.is_verdict_map()
                && !set.elements_given()
                && used.contains(&(t, false, set.name.as_str()))
        }) {
            continue;
        }
        for chain in table.chains.iter().filter(|c| c.base.is_none()) {
            if !used.contains(&(t, true, chain.name.as_str())) {
                let mut diagnostic = model.diagnostic(
                    &RULE,
                    &chain.loc,
                    format!(
                        "chain '{}' has no hook and no jump or goto enters it",
                        chain.name
                    ),
                );
                if let Some(first) = chain.rules.first() {
                    let rules = chain.rules.len();
                    let loc = crate::model::Loc::of(first.file, &first.node);
                    diagnostic.related.push(model.related(
                        &loc,
                        format!("none of its {rules} rules ever sees a packet"),
                    ));
                }
                out.push(diagnostic);
            }
        }
    }
    out
}

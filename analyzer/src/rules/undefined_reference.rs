//! `NFT003 undefined-reference`: a chain, set, map or object that does not exist.

use crate::Diagnostic;
use crate::model::{Model, RefKind};

super::declare_rule! {
/**
## What it finds

A `jump` or `goto` to a chain, an `@set` or `@map`, or a named object (`counter name "c"`,
`ct helper set "ftp"`, `flow add @ft` ...) that the table does not define, and commands that name
a table, chain or set that does not exist at that point. Only names in the same table count:
nft never looks across tables.

## Why it matters

nft refuses the whole file (`No such file or directory`, or `Could not process rule`), and the
old ruleset stays in force.

## Example

```nft
table inet filter {
    chain input {
        type filter hook input priority filter; policy drop;
        ip saddr @blocklist drop
    }
}
```

Fixed:

```nft
table inet filter {
    set blocklist {
        type ipv4_addr
    }
    chain input {
        type filter hook input priority filter; policy drop;
        ip saddr @blocklist drop
    }
}
```

## Fix

Define the missing object in the same table, or correct the name; the help suggests the closest
existing one.
*/
    code: "NFT003",
    name: "undefined-reference",
    severity: Error,
    status: Stable,
}

pub(crate) fn check(model: &Model) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for r in &model.references {
        let table = &model.tables[r.table];
        let (what, names): (&str, Vec<&str>) = match &r.kind {
            RefKind::Chain { .. } => (
                "chain",
                table.chains.iter().map(|c| c.name.as_str()).collect(),
            ),
            RefKind::Set => ("set", table.sets.iter().map(|s| s.name.as_str()).collect()),
            RefKind::Object(kind) => (
                kind,
                table
                    .objects
                    .iter()
                    .filter(|o| o.kind == *kind)
                    .map(|o| o.name.as_str())
                    .collect(),
            ),
        };
        if names.contains(&r.name.as_str()) {
            continue;
        }
        let mut diagnostic = model.diagnostic(
            &RULE,
            &r.loc,
            format!(
                "{what} '{}' does not exist in table {} {}",
                r.name, table.family, table.name
            ),
        );
        diagnostic.help =
            crate::symbols::closest(&r.name, names).map(|s| format!("did you mean '{s}'?"));
        out.push(diagnostic);
    }
    out
}

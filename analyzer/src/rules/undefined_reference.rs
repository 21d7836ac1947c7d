//! `NFT003 undefined-reference`: a chain, set, map or object that does not exist.

use std::collections::{HashMap, HashSet};

use crate::Diagnostic;
use crate::model::{Model, RefKind, Table};

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
    let declared: Vec<Declared> = model.tables.iter().map(Declared::new).collect();
    for r in &model.references {
        let table = &model.tables[r.table];
        let what = match &r.kind {
            RefKind::Chain { .. } => "chain",
            RefKind::Set => "set",
            RefKind::Object(kind) => kind,
        };
        let Some(names) = declared[r.table].missing(what, &r.name) else {
            continue;
        };
        let mut diagnostic = model.diagnostic(
            &RULE,
            &r.loc,
            format!(
                "{what} '{}' does not exist in table {} {}",
                r.name, table.family, table.name
            ),
        );
        diagnostic.help = crate::symbols::closest(&r.name, names.iter().copied())
            .map(|s| format!("did you mean '{s}'?"));
        out.push(diagnostic);
    }
    out
}

/// The names a table declares, by what they name (`chain`, `set`, or an object's kind): in
/// declaration order for suggestions, and in a set for the lookups of thousands of references.
struct Declared<'t> {
    names: HashMap<&'t str, (Vec<&'t str>, HashSet<&'t str>)>,
}

impl<'t> Declared<'t> {
    fn new(table: &'t Table) -> Self {
        let chains = table.chains.iter().map(|c| ("chain", c.name.as_str()));
        let sets = table.sets.iter().map(|s| ("set", s.name.as_str()));
        let objects = table
            .objects
            .iter()
            .map(|o| (o.kind.as_str(), o.name.as_str()));
        let mut names: HashMap<&str, (Vec<&str>, HashSet<&str>)> = HashMap::new();
        for (what, name) in chains.chain(sets).chain(objects) {
            let (ordered, set) = names.entry(what).or_default();
            ordered.push(name);
            set.insert(name);
        }
        Declared { names }
    }

    /// The declared names of this kind, when `name` is none of them.
    fn missing(&self, what: &str, name: &str) -> Option<&[&'t str]> {
        match self.names.get(what) {
            Some((_, set)) if set.contains(name) => None,
            Some((ordered, _)) => Some(ordered),
            None => Some(&[]),
        }
    }
}

//! `NFT006 invalid-jump`: a jump nft's kernel refuses.

use std::collections::{HashMap, HashSet};

use crate::Diagnostic;
use crate::model::{Chain, Model, RefKind, Reference};

super::declare_rule! {
/**
## What it finds

A `jump` or `goto` to a base chain (one with `type ... hook ...`), and chains that jump to each
other in a loop. The kernel refuses both when the ruleset is loaded (`Operation not supported`,
`Too many levels of symbolic links`).

## Why it matters

nft refuses the whole file. A loop would otherwise send packets round forever; base chains are
entered only by their hook.

## Example

```nft
table inet filter {
    chain a {
        jump b
    }
    chain b {
        jump a
    }
}
```

Fixed:

```nft
table inet filter {
    chain a {
        jump b
    }
    chain b {
        counter
    }
}
```

## Fix

Jump only to regular chains, and make the jump graph a tree: move shared rules into a chain that
jumps nowhere back.
*/
    code: "NFT006",
    name: "invalid-jump",
    severity: Error,
    status: Stable,
}

pub(crate) fn check(model: &Model) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (t, table) in model.tables.iter().enumerate() {
        let jumps: Vec<_> = model
            .references
            .iter()
            .filter(|r| r.table == t && matches!(r.kind, RefKind::Chain { .. }))
            .collect();
        // The first base chain of each name.
        let mut base_chains: HashMap<&str, &Chain> = HashMap::new();
        for chain in table.chains.iter().filter(|c| c.base.is_some()) {
            base_chains.entry(chain.name.as_str()).or_insert(chain);
        }
        for r in &jumps {
            if let Some(target) = base_chains.get(r.name.as_str()) {
                let mut diagnostic = model.diagnostic(
                    &RULE,
                    &r.loc,
                    format!("cannot jump to base chain '{}'", r.name),
                );
                diagnostic
                    .related
                    .push(model.related(&target.loc, "a base chain: entered only by its hook"));
                out.push(diagnostic);
            }
        }
        out.extend(loops(&jumps).into_iter().map(|(path, closing)| {
            let mut diagnostic = model.diagnostic(
                &RULE,
                &closing.loc,
                format!("jump loop: {}", path.join(" -> ")),
            );
            diagnostic.help =
                Some("the kernel refuses rulesets whose chains jump in a circle".to_string());
            diagnostic
        }));
    }
    out
}

/// Every loop of the jump graph, once each, found by one depth-first search over the chains in
/// declaration order: the chains of the loop from its first to its last, then the first again,
/// and the jump that closes it.
fn loops<'m>(jumps: &[&'m Reference]) -> Vec<(Vec<String>, &'m Reference)> {
    let mut jumps_from: HashMap<&str, Vec<&'m Reference>> = HashMap::new();
    for r in jumps {
        if let Some(from) = r.from_chain.as_deref() {
            jumps_from.entry(from).or_default().push(r);
        }
    }
    let out_of = |chain: &str| jumps_from.get(chain).cloned().unwrap_or_default();
    let mut done: HashSet<String> = HashSet::new();
    let mut found = Vec::new();
    let starts: Vec<String> = jumps.iter().filter_map(|r| r.from_chain.clone()).collect();
    for start in starts {
        if done.contains(&start) {
            continue;
        }
        // The chains on the current path, with the jumps still to follow from each; and their
        // names, to tell at once whether a jump closes a loop.
        let mut stack: Vec<(String, Vec<&'m Reference>)> = vec![(start.clone(), out_of(&start))];
        let mut on_path: HashSet<String> = HashSet::from([start]);
        while let Some((chain, pending)) = stack.last_mut() {
            let Some(r) = pending.pop() else {
                on_path.remove(chain.as_str());
                done.insert(chain.clone());
                stack.pop();
                continue;
            };
            if on_path.contains(&r.name) {
                let at = stack
                    .iter()
                    .position(|(c, _)| *c == r.name)
                    .expect("every chain on the path is on the stack");
                let mut path: Vec<String> = stack[at..].iter().map(|(c, _)| c.clone()).collect();
                path.push(r.name.clone());
                found.push((path, r));
            } else if !done.contains(&r.name) {
                on_path.insert(r.name.clone());
                stack.push((r.name.clone(), out_of(&r.name)));
            }
        }
    }
    found
}

//! `NFT006 invalid-jump`: a jump nft's kernel refuses.

use std::collections::{HashMap, HashSet};

use crate::Diagnostic;
use crate::model::{Chain, Model, RefKind, Reference};
use crate::space::eval::MAX_JUMPS;

super::declare_rule! {
/**
## What it finds

A `jump` or `goto` to a base chain (one with `type ... hook ...`), chains that jump to each
other in a loop, and a jump that enters a chain 16 jumps away from a base chain. The kernel
refuses all three when the ruleset is loaded (`Operation not supported`, `Too many levels of
symbolic links`, `Too many links`); `nft -c` does not ask the kernel, and accepts them.

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
jumps nowhere back. Keep chains of jumps shorter than 16.
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
        let loops = loops(&jumps);
        // A loop reached from a base chain is also infinitely deep: the loop says more.
        let deep = if loops.is_empty() {
            too_deep(base_chains.keys().copied(), &jumps)
        } else {
            Vec::new()
        };
        out.extend(loops.into_iter().map(|(path, closing)| {
            let mut diagnostic = model.diagnostic(
                &RULE,
                &closing.loc,
                format!("jump loop: {}", path.join(" -> ")),
            );
            diagnostic.help =
                Some("the kernel refuses rulesets whose chains jump in a circle".to_string());
            diagnostic
        }));
        out.extend(deep.into_iter().map(|(path, jump)| {
            let mut diagnostic = model.diagnostic(
                &RULE,
                &jump.loc,
                format!(
                    "jumps nested too deeply: chain {} is {MAX_JUMPS} jumps below base chain {}: {}",
                    jump.name,
                    path[0],
                    path.join(" -> ")
                ),
            );
            diagnostic.help = Some(format!(
                "the kernel allows {} levels of jumps below a base chain (Too many links)",
                MAX_JUMPS - 1
            ));
            diagnostic
        }));
    }
    out
}

/// The jumps (and gotos, which the kernel counts alike) that enter a chain [`MAX_JUMPS`] levels
/// below a base chain, each with the chains that lead to it from the base chain. The levels are
/// followed breadth first and no deeper than the limit, so a jump graph of any length costs at
/// most that many passes over the jumps, and no recursion.
fn too_deep<'m>(
    base_chains: impl Iterator<Item = &'m str>,
    jumps: &[&'m Reference],
) -> Vec<(Vec<&'m str>, &'m Reference)> {
    // Per level, each chain there and the chain one level up that jumps to it.
    let mut levels: Vec<HashMap<&'m str, &'m str>> = vec![base_chains.map(|b| (b, b)).collect()];
    let from_level = |level: &HashMap<&'m str, &'m str>| {
        jumps
            .iter()
            .filter_map(|&r| Some((r.from_chain.as_deref()?, r)))
            .filter(|(from, _)| level.contains_key(from))
            .collect::<Vec<(&'m str, &'m Reference)>>()
    };
    while levels.len() < MAX_JUMPS {
        let mut next = HashMap::new();
        for (from, r) in from_level(levels.last().expect("level 0")) {
            next.entry(r.name.as_str()).or_insert(from);
        }
        levels.push(next);
    }
    from_level(levels.last().expect("level 0"))
        .into_iter()
        .map(|(from, r)| {
            let mut path = vec![from];
            for level in levels.iter().skip(1).rev() {
                let up = level[path.last().expect("not empty")];
                path.push(up);
            }
            path.reverse();
            path.push(r.name.as_str());
            (path, r)
        })
        .collect()
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

//! `NFT101 shadowed-rule`: a rule no packet reaches, whose packets earlier rules treat
//! differently.

use crate::model::Model;
use crate::{Diagnostic, Severity};

super::declare_rule! {
/**
## What it finds

A rule that no packet ever reaches, because the rules before it (in its chain, or in the chains
that jump to it) already decide every packet it matches, and decide differently from it. The
rules that together take its packets are marked; several rules can share the job (`udp dport
1-100 drop` and `udp dport 101-200 drop` take every packet of a later `udp dport 50-150
accept`).

## Why it matters

The rule was written to do something and never does: a port meant to open stays closed, a
block never blocks, a log line never appears. Nothing warns, because for the kernel a rule
that never matches is fine.

## Example

```nft
table inet filter {
    chain input {
        type filter hook input priority filter; policy drop;
        tcp dport 1-1024 drop
        tcp dport 22 accept
    }
}
```

Fixed:

```nft
table inet filter {
    chain input {
        type filter hook input priority filter; policy drop;
        tcp dport 22 accept
        tcp dport 1-1024 drop
    }
}
```

## Fix

Move the rule above the rules that take its packets, or narrow those rules. If the rule is no
longer wanted, delete it. A chain too large to analyse within the time budget is reported as
`info` instead, naming the chain.
*/
    code: "NFT101",
    name: "shadowed-rule",
    severity: Warning,
    status: Stable,
}

pub(crate) fn check(model: &Model) -> Vec<Diagnostic> {
    let space = model.space();
    let mut out = Vec::new();
    for dead in space.dead_rules().iter().filter(|d| !d.same_outcome) {
        let chain = &space.ruleset.chains[dead.chain];
        let rule = &chain.rules[dead.rule];
        let kept_out = dead.by.iter().all(|&by| space.enters(by, dead));
        let message = if kept_out {
            format!(
                "no packet reaches this rule: the jumps into chain {} only bring packets it does not match",
                chain.name
            )
        } else {
            "no packet reaches this rule: earlier rules already decide every packet it matches"
                .to_string()
        };
        let mut diagnostic = model.diagnostic(&RULE, &rule.loc, message);
        diagnostic.related = space.explain_dead(model, dead);
        diagnostic.help = Some(
            "move it above the rules that take its packets, narrow them, or delete it".to_string(),
        );
        out.push(diagnostic);
    }
    for &chain in &space.reach.skipped {
        let chain = &space.ruleset.chains[chain];
        let mut diagnostic = model.diagnostic(
            &RULE,
            &chain.loc,
            format!(
                "chain {} was not analysed for unreachable rules: it is too large for the analysis budget",
                chain.name
            ),
        );
        diagnostic.severity = Severity::Info;
        out.push(diagnostic);
    }
    out
}

//! `NFT102 redundant-rule`: a rule no packet reaches, whose packets earlier rules already treat
//! the same way.

use crate::Diagnostic;
use crate::model::Model;
use crate::space::compile::Action;

super::declare_rule! {
/**
## What it finds

A rule that no packet ever reaches, because the rules before it (in its chain, or in the chains
that jump to it) already do the same with every packet it matches: accept what it would accept,
drop what it would drop. The rules that take its packets are marked.

## Why it matters

The rule changes nothing, but it says something: readers believe it matters, and whoever edits
the earlier rules later may rely on it and find that it never did anything. Rulesets grown by
copy and paste collect many of these.

## Example

```nft
table inet filter {
    chain input {
        type filter hook input priority filter; policy drop;
        ct state established,related accept
        ip saddr 192.0.2.0/24 ct state established accept
    }
}
```

Fixed:

```nft
table inet filter {
    chain input {
        type filter hook input priority filter; policy drop;
        ct state established,related accept
    }
}
```

## Fix

Delete the rule, or, if it documents an intent, fold it into the rule that really decides.
*/
    code: "NFT102",
    name: "redundant-rule",
    severity: Warning,
    status: Stable,
}

pub(crate) fn check(model: &Model) -> Vec<Diagnostic> {
    let space = model.space();
    space
        .dead_rules()
        .iter()
        .filter(|d| d.same_outcome)
        .map(|dead| {
            let rule = &space.ruleset.chains[dead.chain].rules[dead.rule];
            let mut diagnostic = model.diagnostic(
                &RULE,
                &rule.loc,
                format!(
                    "redundant rule: earlier rules already {} every packet it matches",
                    infinitive(&rule.action)
                ),
            );
            diagnostic.related = space.explain_dead(model, dead);
            diagnostic.help = Some("delete it".to_string());
            diagnostic
        })
        .collect()
}

fn infinitive(action: &Action) -> &'static str {
    match action {
        Action::Accept => "accept",
        Action::Drop => "drop",
        Action::Reject(_) => "reject the same way",
        Action::Return => "return",
        Action::Goto(_) => "go to the same chain with",
        _ => "decide",
    }
}

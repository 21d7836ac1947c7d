//! `NFT007 statement-after-verdict`: statements after a terminal statement.

use nftlint_syntax::SyntaxKind::{self, *};
use rowan::GreenNodeData;

use crate::Diagnostic;
use crate::model::{Loc, Model, green};

super::declare_rule! {
/**
## What it finds

A statement after one that ends the rule's evaluation: a verdict other than `continue`
(`accept`, `drop`, `return`, `jump`, `goto`), `reject`, `queue` or a NAT statement (`snat`,
`dnat`, `masquerade`, `redirect`). nft refuses it: `Statement after terminal statement has no
effect`.

## Why it matters

nft refuses the whole file. The statement was meant to run (a `counter`, a `log`), and it never
would.

## Example

```nft
tcp dport 22 accept counter
```

Fixed:

```nft
tcp dport 22 counter accept
```

## Fix

Move the statement before the verdict, or delete it.
*/
    code: "NFT007",
    name: "statement-after-verdict",
    severity: Error,
    status: Stable,
}

fn is_terminal(statement: &GreenNodeData) -> bool {
    match green::node_kind(statement) {
        VERDICT_STMT => green::first_word(statement).is_some_and(|word| word != "continue"),
        REJECT_STMT | QUEUE_STMT | NAT_STMT => true,
        _ => false,
    }
}

pub(crate) fn check(model: &Model) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // Every rule nft reads, anonymous chains and rules later flushed included: nft checks each
    // when it reads it.
    let rules = model
        .files
        .iter()
        .enumerate()
        .flat_map(|(file, f)| f.nodes(&[SyntaxKind::RULE]).map(move |node| (file, node)));
    for (file, rule) in rules {
        let mut statements = green::child_nodes(rule)
            .filter(|&(n, _)| !matches!(green::node_kind(n), RULE_COMMENT | ERROR));
        if let Some((terminal, terminal_start)) = statements.find(|&(n, _)| is_terminal(n))
            && let Some((next, next_start)) = statements.next()
        {
            let mut diagnostic = model.diagnostic(
                &RULE,
                &Loc::of_green(file, next, next_start),
                "Statement after terminal statement has no effect",
            );
            diagnostic.related.push(model.related(
                &Loc::of_green(file, terminal, terminal_start),
                "the rule ends here",
            ));
            out.push(diagnostic);
        }
    }
    out
}

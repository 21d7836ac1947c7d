//! `NFT007 statement-after-verdict`: statements after a terminal statement.

use nftlint_syntax::SyntaxKind::{self, *};
use nftlint_syntax::SyntaxNode;

use crate::Diagnostic;
use crate::model::{Loc, Model};

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

fn is_terminal(stmt: &SyntaxNode) -> bool {
    match stmt.kind() {
        VERDICT_STMT => stmt.first_token().is_some_and(|t| t.text() != "continue"),
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
        let statements: Vec<SyntaxNode> = rule
            .children()
            .filter(|n| n.kind() != RULE_COMMENT && n.kind() != ERROR)
            .collect();
        if let Some(at) = statements.iter().position(is_terminal)
            && let Some(next) = statements.get(at + 1)
        {
            let mut diagnostic = model.diagnostic(
                &RULE,
                &Loc::of(file, next),
                "Statement after terminal statement has no effect",
            );
            diagnostic
                .related
                .push(model.related(&Loc::of(file, &statements[at]), "the rule ends here"));
            out.push(diagnostic);
        }
    }
    out
}

//! `NFT001 syntax-error`: text the nft parser rejects.

use nftlint_syntax::{Parse, SyntaxError};

use crate::Diagnostic;

super::declare_rule! {
/**
## What it finds

Text that is not valid nft syntax: a statement not ended by a newline or `;`, an unbalanced
brace, a misspelt keyword, a stray character. The message uses nft's own words
(`syntax error, unexpected '}', expecting newline or semicolon`), so it reads like what
`nft -c -f` prints for the same file.

## Why it matters

nft loads a file as one transaction: one syntax error and `nft -f` rejects the whole file. The
old ruleset stays in force while you believe the new one is, and a boot-time load (such as
`nftables.service`) that fails leaves the host with no firewall at all. The other checks also
see only the parts of the file that parse, so fix syntax errors first.

## Example

A rule must end with a newline or `;` before the closing brace:

```nft
table inet filter {
    chain input {
        type filter hook input priority filter; policy drop;
        tcp dport 22 accept }
}
```

Fixed:

```nft
table inet filter {
    chain input {
        type filter hook input priority filter; policy drop;
        tcp dport 22 accept
    }
}
```

## Fix

Edit the file at the reported position; the message lists what nft expected there. There is no
automatic fix: only the author knows what the text was meant to say.
*/
    code: "NFT001",
    name: "syntax-error",
    severity: Error,
    status: Stable,
}

/// One diagnostic per syntax error, in the parser's order.
pub(crate) fn check(parse: &Parse) -> impl Iterator<Item = Diagnostic> + '_ {
    parse.errors().iter().map(diagnostic)
}

pub(crate) fn diagnostic(error: &SyntaxError) -> Diagnostic {
    let mut diagnostic = Diagnostic::new(&RULE, error.range.clone(), error.message.clone());
    // The commonest nft syntax error, whose message alone rarely explains it.
    if error.found == "'}'" && error.expected.iter().any(|e| e == "newline") {
        diagnostic.help = Some("end the statement before `}` with a newline or `;`: nft needs one after every statement, the last one too".to_string());
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Severity;

    #[test]
    fn a_syntax_error_becomes_an_error_diagnostic_with_nfts_message() {
        let error = SyntaxError {
            range: 48..49,
            message: "syntax error, unexpected '}', expecting newline or semicolon".into(),
            expected: vec!["newline".into(), "semicolon".into()],
            found: "'}'".into(),
        };
        let diagnostic = diagnostic(&error);
        assert_eq!(diagnostic.range, 48..49);
        assert_eq!(diagnostic.severity, Severity::Error);
        assert_eq!(
            (diagnostic.code, diagnostic.name),
            ("NFT001", "syntax-error")
        );
        assert_eq!(diagnostic.message, error.message);
        assert_eq!(diagnostic.file, None);
    }

    #[test]
    fn a_valid_file_has_no_syntax_errors() {
        let text =
            "table inet filter {\n    chain input {\n        tcp dport 22 accept\n    }\n}\n";
        assert_eq!(crate::check_source(text), Vec::new());
    }
}

//! One module per lint rule: its documentation, its entry for the registry and its check.

pub mod syntax_error;

/// Declares a rule's `RULE` constant from a `/** ... */` doc comment, so the comment rustdoc
/// shows is the very text `nftlint explain` prints. A block comment is used because its text
/// reaches the macro verbatim, where `///` lines would each carry a leading space.
macro_rules! declare_rule {
    (
        #[doc = $doc:literal]
        code: $code:literal,
        name: $name:literal,
        severity: $severity:ident,
        status: $status:ident $(,)?
    ) => {
        #[doc = $doc]
        pub const RULE: $crate::Rule = $crate::Rule {
            code: $code,
            name: $name,
            severity: $crate::Severity::$severity,
            status: $crate::Status::$status,
            doc: $doc.trim_ascii(),
        };
    };
}
use declare_rule;

//! One module per lint rule: its documentation, its entry for the registry and its check.

pub mod conflicting_protocols;
pub mod ct_state_never_matches;
pub mod duplicate_definition;
pub mod hostname_lookup;
pub mod include_error;
pub mod ineffective_limit;
pub mod invalid_chain;
pub mod invalid_jump;
pub mod invalid_value;
pub mod lockout_risk;
pub mod missing_established_accept;
pub mod never_matches;
pub mod redundant_rule;
pub mod rule_order;
pub mod shadowed_rule;
pub mod statement_after_verdict;
pub mod syntax_error;
pub mod undefined_reference;
pub mod undefined_variable;
pub mod unused_definition;

/// Every check that runs on the finished model. Building the model reports the rest: syntax
/// errors, includes, unknown variables, conflicting definitions and missing tables in commands.
pub(crate) fn check(model: &crate::model::Model) -> Vec<crate::Diagnostic> {
    let checks: [fn(&crate::model::Model) -> Vec<crate::Diagnostic>; 16] = [
        undefined_reference::check,
        lockout_risk::check,
        shadowed_rule::check,
        redundant_rule::check,
        rule_order::check,
        missing_established_accept::check,
        ineffective_limit::check,
        ct_state_never_matches::check,
        never_matches::check,
        invalid_value::check,
        invalid_chain::check,
        invalid_jump::check,
        statement_after_verdict::check,
        conflicting_protocols::check,
        unused_definition::check,
        hostname_lookup::check,
    ];
    checks.iter().flat_map(|check| check(model)).collect()
}

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

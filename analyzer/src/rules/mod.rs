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

type Check = fn(&crate::model::Model) -> Vec<crate::Diagnostic>;

/// Every check that runs on the finished model, in the order their findings are reported, and
/// whether it asks the packet-space analysis. Building the model reports the rest: syntax
/// errors, includes, unknown variables, conflicting definitions and missing tables in commands.
const CHECKS: [(Check, bool); 16] = [
    (undefined_reference::check, false),
    (lockout_risk::check, true),
    (shadowed_rule::check, true),
    (redundant_rule::check, true),
    (rule_order::check, true),
    (missing_established_accept::check, true),
    (ineffective_limit::check, false),
    (ct_state_never_matches::check, false),
    (never_matches::check, false),
    (invalid_value::check, false),
    (invalid_chain::check, false),
    (invalid_jump::check, false),
    (statement_after_verdict::check, false),
    (conflicting_protocols::check, false),
    (unused_definition::check, false),
    (hostname_lookup::check, false),
];

/// Runs every check. The checks that do without the packet space run while its reachability is
/// computed on another core.
pub(crate) fn check(model: &crate::model::Model) -> Vec<crate::Diagnostic> {
    let run = |uses_space: bool| {
        CHECKS
            .iter()
            .map(|&(check, space)| (space == uses_space).then(|| check(model)))
            .collect::<Vec<_>>()
    };
    let without_space = match model.space.get() {
        Some(_) => run(false),
        None => {
            let (space, found) = crate::space::Space::new_while(model, || run(false));
            // Nothing else sets it: the cell was empty and only this thread sees the model.
            let _ = model.space.set(space);
            found
        }
    };
    let with_space = run(true);
    without_space
        .into_iter()
        .zip(with_space)
        .flat_map(|(a, b)| a.or(b).expect("every check runs once"))
        .collect()
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

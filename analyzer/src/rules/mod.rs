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

/// Every check that runs on the finished model, in the order their findings are reported, the
/// rule it reports, and whether it asks the packet-space analysis. Building the model reports the
/// rest: syntax errors, includes, unknown variables, conflicting definitions and missing tables in
/// commands.
const CHECKS: [(Check, &crate::Rule, bool); 16] = [
    (
        undefined_reference::check,
        &undefined_reference::RULE,
        false,
    ),
    (lockout_risk::check, &lockout_risk::RULE, true),
    (shadowed_rule::check, &shadowed_rule::RULE, true),
    (redundant_rule::check, &redundant_rule::RULE, true),
    (rule_order::check, &rule_order::RULE, true),
    (
        missing_established_accept::check,
        &missing_established_accept::RULE,
        true,
    ),
    (ineffective_limit::check, &ineffective_limit::RULE, false),
    (
        ct_state_never_matches::check,
        &ct_state_never_matches::RULE,
        false,
    ),
    (never_matches::check, &never_matches::RULE, false),
    (invalid_value::check, &invalid_value::RULE, false),
    (invalid_chain::check, &invalid_chain::RULE, false),
    (invalid_jump::check, &invalid_jump::RULE, false),
    (
        statement_after_verdict::check,
        &statement_after_verdict::RULE,
        false,
    ),
    (
        conflicting_protocols::check,
        &conflicting_protocols::RULE,
        false,
    ),
    (unused_definition::check, &unused_definition::RULE, false),
    (hostname_lookup::check, &hostname_lookup::RULE, false),
];

/// Runs every check whose rule the configuration leaves on; the packet space is built only for
/// checks that ask it. The checks that do without it run while its reachability is computed on
/// another core.
pub(crate) fn check(model: &crate::model::Model, config: &crate::Config) -> Vec<crate::Diagnostic> {
    let on =
        |rule: &crate::Rule| config.rules.get(rule.code) != Some(&crate::config::RuleLevel::Off);
    let run = |uses_space: bool| {
        CHECKS
            .iter()
            .map(|&(check, rule, space)| (space == uses_space && on(rule)).then(|| check(model)))
            .collect::<Vec<_>>()
    };
    let needs_space = CHECKS.iter().any(|&(_, rule, space)| space && on(rule));
    let without_space = match model.space.get() {
        None if needs_space => {
            let (space, found) = crate::space::Space::new_while(model, || run(false));
            // Nothing else sets it: the cell was empty and only this thread sees the model.
            let _ = model.space.set(space);
            found
        }
        _ => run(false),
    };
    let with_space = run(true);
    without_space
        .into_iter()
        .zip(with_space)
        .flat_map(|(a, b)| a.or(b).unwrap_or_default())
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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::RuleLevel;
    use crate::{Config, DiskLoader, Options};

    /// A rule turned off costs nothing: its check does not run, and without a check that asks
    /// it the packet space is not built.
    #[test]
    fn checks_of_rules_that_are_off_do_not_run() {
        let text = "table inet t {\n\tchain c {\n\t\ttype filter hook input priority 0; policy drop;\n\t}\n}\n";
        let build = || {
            crate::model::build(
                Path::new("off.nft"),
                text.to_string(),
                &Options::default(),
                &DiskLoader,
            )
            .0
        };
        let model = build();
        let found = super::check(&model, &Config::default());
        assert!(found.iter().any(|d| d.name == "lockout-risk"), "{found:?}");
        assert!(model.space.get().is_some());

        let mut config = Config::default();
        for (_, rule, uses_space) in super::CHECKS {
            if uses_space {
                config.rules.insert(rule.code, RuleLevel::Off);
            }
        }
        let model = build();
        let found = super::check(&model, &config);
        assert!(!found.iter().any(|d| d.name == "lockout-risk"), "{found:?}");
        assert!(model.space.get().is_none(), "the packet space was built");
    }
}

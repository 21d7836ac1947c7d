//! The table of every lint rule: the one place that lists codes, names and default severities.

use crate::Severity;
use crate::rules;

/// A lint rule as users see it: in diagnostics, suppressions, configuration and `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable code: `NFT` and three digits, the first naming the category.
    pub code: &'static str,
    /// Stable kebab-case name.
    pub name: &'static str,
    /// Severity unless configuration says otherwise.
    pub severity: Severity,
    pub status: Status,
    /// The rule's documentation in Markdown, with the sections *What it finds*, *Why it
    /// matters*, *Example* and *Fix*.
    pub doc: &'static str,
}

/// Whether a rule's behaviour is settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Stable,
    /// Still being tuned: may change what it reports.
    Preview,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Stable => "stable",
            Status::Preview => "preview",
        }
    }
}

/// Every rule, ordered by code.
pub static RULES: &[Rule] = &[
    rules::syntax_error::RULE,
    rules::undefined_variable::RULE,
    rules::undefined_reference::RULE,
    rules::include_error::RULE,
    rules::duplicate_definition::RULE,
    rules::invalid_jump::RULE,
    rules::statement_after_verdict::RULE,
    rules::invalid_chain::RULE,
    rules::conflicting_protocols::RULE,
    rules::invalid_value::RULE,
    rules::shadowed_rule::RULE,
    rules::redundant_rule::RULE,
    rules::never_matches::RULE,
    rules::ineffective_limit::RULE,
    rules::lockout_risk::RULE,
    rules::ct_state_never_matches::RULE,
    rules::missing_established_accept::RULE,
    rules::rule_order::RULE,
    rules::unused_definition::RULE,
    rules::hostname_lookup::RULE,
];

/// The rule with this code (any case: `NFT001`, `nft001`) or name (`syntax-error`).
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .find(|rule| rule.code.eq_ignore_ascii_case(code_or_name) || rule.name == code_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_nft_and_three_digits_in_order_and_unique() {
        for rule in RULES {
            let digits = rule.code.strip_prefix("NFT").unwrap_or_default();
            assert!(
                digits.len() == 3 && digits.bytes().all(|b| b.is_ascii_digit()),
                "bad code {}",
                rule.code
            );
        }
        for pair in RULES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} and {} out of order",
                pair[0].code,
                pair[1].code
            );
        }
    }

    #[test]
    fn names_are_kebab_case_and_unique() {
        for rule in RULES {
            let kebab = !rule.name.is_empty()
                && !rule.name.starts_with('-')
                && !rule.name.ends_with('-')
                && !rule.name.contains("--")
                && rule
                    .name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            assert!(kebab, "{} is not kebab-case", rule.name);
            let same = RULES.iter().filter(|other| other.name == rule.name).count();
            assert_eq!(same, 1, "{} is used {same} times", rule.name);
        }
    }

    #[test]
    fn every_doc_has_the_four_sections_in_order() {
        let sections = [
            "## What it finds",
            "## Why it matters",
            "## Example",
            "## Fix",
        ];
        for rule in RULES {
            let mut rest = rule.doc;
            for section in sections {
                let at = rest
                    .lines()
                    .position(|line| line == section)
                    .unwrap_or_else(|| panic!("{} lacks `{section}` in order", rule.name));
                let skipped: usize = rest.lines().take(at + 1).map(|line| line.len() + 1).sum();
                rest = &rest[skipped.min(rest.len())..];
                let body = rest.split("\n## ").next().unwrap_or_default();
                assert!(
                    !body.trim().is_empty(),
                    "{}: `{section}` is empty",
                    rule.name
                );
            }
        }
    }

    #[test]
    fn find_accepts_codes_in_any_case_and_names() {
        assert_eq!(find("NFT001").map(|rule| rule.name), Some("syntax-error"));
        assert_eq!(find("nft001").map(|rule| rule.name), Some("syntax-error"));
        assert_eq!(find("syntax-error").map(|rule| rule.code), Some("NFT001"));
        assert_eq!(find("no-such-rule"), None);
    }

    /// README.md documents every rule, with its code, name and default severity.
    #[test]
    fn the_readme_lists_every_rule() {
        let readme = include_str!("../../README.md");
        for rule in RULES {
            let row = format!(
                "| {} | `{}` | {} |",
                rule.code,
                rule.name,
                rule.severity.as_str()
            );
            assert!(readme.contains(&row), "README.md has no row starting {row}");
        }
    }
}

//! `nftlint explain`: a rule's documentation from the registry, or the list of rules.

use nftlint_analyzer::registry::{self, RULES};

use crate::errors::CliError;

/// The documentation of the rule named by code or name, or, for `None`, one line per rule.
pub fn explain(rule: Option<&str>) -> Result<String, CliError> {
    let Some(key) = rule else {
        let lines: Vec<String> = RULES
            .iter()
            .map(|rule| {
                format!(
                    "{} {:<24} {:<8} {}",
                    rule.code,
                    rule.name,
                    rule.severity.as_str(),
                    rule.status.as_str()
                )
            })
            .collect();
        return Ok(lines.join("\n") + "\n");
    };
    let rule = registry::find(key).ok_or_else(|| CliError::UnknownRule(key.to_owned()))?;
    Ok(format!(
        "# {} {}\n\nDefault severity: {}. Status: {}.\n\n{}\n",
        rule.code,
        rule.name,
        rule.severity.as_str(),
        rule.status.as_str(),
        rule.doc
    ))
}

//! The report formats `nftlint check` prints.

pub mod human;
pub mod json;

use nftlint_analyzer::Severity;

use crate::check::CheckedFile;

/// One line for people: `2 errors, 1 warning in 3 files`, or `no problems in 3 files`.
pub fn summary(files: &[CheckedFile]) -> String {
    let count = |severity| {
        files
            .iter()
            .flat_map(|file| &file.diagnostics)
            .filter(|diagnostic| diagnostic.severity == severity)
            .count()
    };
    let counts: Vec<String> = [
        (Severity::Error, "error", "errors"),
        (Severity::Warning, "warning", "warnings"),
        (Severity::Info, "info", "info"),
    ]
    .into_iter()
    .map(|(severity, one, many)| (count(severity), one, many))
    .filter(|&(n, _, _)| n > 0)
    .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
    .collect();
    let found = if counts.is_empty() {
        "no problems".to_owned()
    } else {
        counts.join(", ")
    };
    let noun = if files.len() == 1 { "file" } else { "files" };
    format!("{found} in {} {noun}", files.len())
}

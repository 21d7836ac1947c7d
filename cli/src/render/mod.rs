//! The report formats `nftlint check` prints.

pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use nftlint_analyzer::Severity;

use crate::check::Checked;

/// One line for people: `2 errors, 1 warning in 3 files`, or `no problems in 3 files`.
pub fn summary(checked: &[Checked]) -> String {
    let count = |severity| {
        checked
            .iter()
            .flat_map(Checked::diagnostics)
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
    let noun = if checked.len() == 1 { "file" } else { "files" };
    format!("{found} in {} {noun}", checked.len())
}

#[cfg(test)]
pub mod tests {
    use std::path::PathBuf;

    use nftlint_analyzer::{Analysis, Diagnostic, Related, SourceFile, registry};

    use crate::check::Checked;

    /// An analysis of the first of `files` that read the others, with these findings.
    pub fn input(files: &[(&str, &str)], diagnostics: Vec<Diagnostic>) -> Checked {
        let files = files
            .iter()
            .map(|(path, text)| SourceFile {
                path: PathBuf::from(path),
                text: (*text).to_owned(),
            })
            .collect();
        Checked::new(Analysis { files, diagnostics })
    }

    /// A warning on the rule at `ip saddr 10.1` of `text`, explained by the rule at
    /// `ip saddr 10.0`, with a help line.
    pub fn covered_rule(text: &str) -> Diagnostic {
        let first = text.find("ip saddr 10.0").unwrap();
        let second = text.find("ip saddr 10.1").unwrap();
        let mut diagnostic = Diagnostic::new(
            registry::find("NFT001").unwrap(),
            second..second + 24,
            "no packet reaches this rule",
        );
        diagnostic.severity = nftlint_analyzer::Severity::Warning;
        diagnostic.help = Some("move it above the rule that covers it".into());
        diagnostic.related.push(Related {
            file: None,
            range: first..first + 24,
            message: "every packet it matches is dropped here".into(),
        });
        diagnostic
    }

    /// A finding in an included file, explained by a place in the file that includes it.
    pub fn with_include() -> Checked {
        let main = "include \"rules/ssh.nft\"\ntable inet f {\n  chain c {\n    tcp dport 22 drop\n  }\n}\n";
        let included = "add rule inet f c tcp dport 22 accept\n";
        let at = included.find("tcp").unwrap();
        let mut diagnostic = Diagnostic::new(
            registry::find("NFT001").unwrap(),
            at..at + 19,
            "no packet reaches this rule",
        );
        diagnostic.file = Some(PathBuf::from("rules/ssh.nft"));
        let earlier = main.find("tcp dport 22 drop").unwrap();
        diagnostic.related.push(Related {
            file: Some(PathBuf::from("main.nft")),
            range: earlier..earlier + 17,
            message: "every packet it matches is dropped here".into(),
        });
        input(
            &[("main.nft", main), ("rules/ssh.nft", included)],
            vec![diagnostic],
        )
    }
}

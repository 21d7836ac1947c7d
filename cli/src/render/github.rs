//! `--format github`: GitHub Actions workflow commands, which the runner turns into annotations
//! on the pull request's changed lines.
//!
//! ```text
//! ::error file=rules.nft,line=3,col=27,endLine=3,endColumn=28,title=NFT001 syntax-error::syntax error, unexpected '}'
//! ```

use nftlint_analyzer::{Diagnostic, Severity};

use crate::check::Checked;

pub fn render(checked: &[Checked]) -> String {
    let mut out = String::new();
    for input in checked {
        for diagnostic in input.diagnostics() {
            out.push_str(&command(input, diagnostic));
            out.push('\n');
        }
    }
    out
}

fn command(input: &Checked, diagnostic: &Diagnostic) -> String {
    let command = match diagnostic.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let file = input.file_of(diagnostic);
    let start = file.line_col(diagnostic.range.start);
    let end = file.line_col(diagnostic.range.end);
    // An annotation has one place: the related ones and the help go into its text.
    let mut message = diagnostic.message.clone();
    for related in &diagnostic.related {
        let place = input.related_file(diagnostic, related);
        let at = place.line_col(related.range.start);
        message.push_str(&format!(
            "\n{}:{}:{}: {}",
            place.name(),
            at.line,
            at.column,
            related.message
        ));
    }
    if let Some(help) = &diagnostic.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    format!(
        "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        escape_property(&file.name()),
        start.line,
        start.column,
        end.line,
        end.column,
        escape_property(&format!("{} {}", diagnostic.code, diagnostic.name)),
        escape_data(&message),
    )
}

/// The escapes the runner undoes in a command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Property values also end at `,` and `:`.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use nftlint_analyzer::{Related, registry};

    use super::*;
    use crate::render::tests::{input, with_include};

    #[test]
    fn one_command_per_finding_with_related_places_and_help_in_the_text() {
        let text = "table inet f {\n  chain c {\n    ip saddr 10.0.0.0/8 drop\n    ip saddr 10.1.2.3 accept\n  }\n}\n";
        let first = text.find("ip saddr 10.0").unwrap();
        let second = text.find("ip saddr 10.1").unwrap();
        let rule = registry::find("NFT001").unwrap();
        let mut warning = Diagnostic::new(rule, second..second + 24, "no packet reaches this rule");
        warning.severity = Severity::Warning;
        warning.help = Some("move it above the rule that covers it".into());
        warning.related.push(Related {
            file: None,
            range: first..first + 24,
            message: "every packet it matches is dropped here".into(),
        });
        let mut info = Diagnostic::new(rule, 0..5, "100% style");
        info.severity = Severity::Info;
        let error = Diagnostic::new(rule, first..first + 2, "syntax error, unexpected ip");
        let checked = input(&[("rules.nft", text)], vec![info, error, warning]);
        insta::assert_snapshot!(render(&[checked]));
    }

    #[test]
    fn findings_in_included_files_name_that_file() {
        insta::assert_snapshot!(render(&[with_include()]));
    }

    #[test]
    fn escapes() {
        assert_eq!(escape_data("a%b\r\nc:d,e"), "a%25b%0D%0Ac:d,e");
        assert_eq!(escape_property("a%b\nc:d,e"), "a%25b%0Ac%3Ad%2Ce");
    }
}

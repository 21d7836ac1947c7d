//! `--format json`: one object for the whole run, in the shape the conventions fix.

use nftlint_analyzer::{Applicability, Diagnostic, Severity};
use serde::Serialize;

use crate::check::Checked;

/// The shape's version: bumped only when a field changes meaning or disappears.
const VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    files: usize,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

/// Lines and columns are 1-based, columns count Unicode scalar values, and the end is exclusive:
/// the position just after the last character of the range.
#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    /// The file the diagnostic points into: the checked file or one it includes.
    file: String,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    severity: Severity,
    code: &'a str,
    name: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    related: Vec<JsonRelated<'a>>,
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    file: String,
    line: usize,
    column: usize,
    message: &'a str,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    message: &'a str,
    applicability: Applicability,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    replacement: &'a str,
}

pub fn render(checked: &[Checked]) -> String {
    let diagnostics = checked
        .iter()
        .flat_map(|input| {
            input
                .diagnostics()
                .iter()
                .map(move |diagnostic| json_diagnostic(input, diagnostic))
        })
        .collect();
    let report = JsonReport {
        version: VERSION,
        files: checked.len(),
        diagnostics,
    };
    let mut out = serde_json::to_string_pretty(&report).expect("the report has only string keys");
    out.push('\n');
    out
}

fn json_diagnostic<'a>(input: &'a Checked, diagnostic: &'a Diagnostic) -> JsonDiagnostic<'a> {
    let target = input.file_of(diagnostic);
    let start = target.line_col(diagnostic.range.start);
    let end = target.line_col(diagnostic.range.end);
    let related = diagnostic
        .related
        .iter()
        .map(|related| {
            let place = input.related_file(diagnostic, related);
            let start = place.line_col(related.range.start);
            JsonRelated {
                file: place.name(),
                line: start.line,
                column: start.column,
                message: &related.message,
            }
        })
        .collect();
    let fix = diagnostic.fix.as_ref().map(|fix| JsonFix {
        message: &fix.message,
        applicability: fix.applicability,
        edits: fix
            .edits
            .iter()
            .map(|edit| {
                let start = target.line_col(edit.range.start);
                let end = target.line_col(edit.range.end);
                JsonEdit {
                    line: start.line,
                    column: start.column,
                    end_line: end.line,
                    end_column: end.column,
                    replacement: &edit.replacement,
                }
            })
            .collect(),
    });
    JsonDiagnostic {
        file: target.name(),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
        severity: diagnostic.severity,
        code: diagnostic.code,
        name: diagnostic.name,
        message: &diagnostic.message,
        help: diagnostic.help.as_deref(),
        related,
        fix,
    }
}

#[cfg(test)]
mod tests {
    use nftlint_analyzer::{Edit, Fix};

    use super::*;
    use crate::render::tests::{covered_rule, input, with_include};

    #[test]
    fn the_shape_with_every_field_filled() {
        // "ä" takes two bytes and one column.
        let text = "table inet f {\n  chain c {\n    ip saddr 10.0.0.0/8 drop\n    meta comment \"ä\" ip saddr 10.1.2.3 accept\n  }\n}\n";
        let mut diagnostic = covered_rule(text);
        diagnostic.fix = Some(Fix {
            message: "Remove the rule".into(),
            edits: vec![Edit {
                range: diagnostic.range.clone(),
                replacement: String::new(),
            }],
            applicability: Applicability::Unsafe,
        });
        insta::assert_snapshot!(render(&[input(&[("x.nft", text)], vec![diagnostic])]));
    }

    #[test]
    fn findings_in_included_files_name_that_file() {
        insta::assert_snapshot!(render(&[with_include()]));
    }
}

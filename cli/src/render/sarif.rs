//! `--format sarif`: SARIF 2.1.0, the format code scanning dashboards (GitHub's among them)
//! upload and show.

use std::ops::Range;
use std::path::Path;

use nftlint_analyzer::registry::{RULES, Rule};
use nftlint_analyzer::{Diagnostic, Severity};
use serde_json::{Value, json};

use crate::check::{Checked, File};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/nftlint/nftlint";
/// Each rule's documentation is the section of this page headed by its name.
const RULES_URI: &str = "https://github.com/nftlint/nftlint/blob/main/docs/rules.md";

pub fn render(checked: &[Checked]) -> String {
    let results: Vec<Value> = checked
        .iter()
        .flat_map(|input| {
            input
                .diagnostics()
                .iter()
                .map(move |diagnostic| result(input, diagnostic))
        })
        .collect();
    let report = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "nftlint",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": INFORMATION_URI,
                    "rules": RULES.iter().map(rule).collect::<Vec<_>>(),
                }
            },
            // SARIF counts UTF-16 code units unless told otherwise; nftlint counts characters.
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&report).expect("the report has only string keys");
    out.push('\n');
    out
}

fn rule(rule: &Rule) -> Value {
    let finds = section(rule.doc, "## What it finds");
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": first_sentence(finds)},
        "fullDescription": {"text": finds},
        "help": {"text": rule.doc, "markdown": rule.doc},
        "helpUri": format!("{RULES_URI}#{}", rule.name),
        "defaultConfiguration": {"level": level(rule.severity)},
        "properties": {"status": rule.status.as_str()},
    })
}

fn result(input: &Checked, diagnostic: &Diagnostic) -> Value {
    let related: Vec<Value> = diagnostic
        .related
        .iter()
        .enumerate()
        .map(|(id, related)| {
            let place = input.related_file(diagnostic, related);
            let mut location = location(place, &related.range);
            location["id"] = json!(id);
            location["message"] = json!({"text": related.message});
            location
        })
        .collect();
    let mut result = json!({
        "ruleId": diagnostic.code,
        "level": level(diagnostic.severity),
        "message": {"text": diagnostic.message},
        "locations": [location(input.file_of(diagnostic), &diagnostic.range)],
        "relatedLocations": related,
    });
    if let Some(index) = RULES.iter().position(|rule| rule.code == diagnostic.code) {
        result["ruleIndex"] = json!(index);
    }
    result
}

fn location(file: File<'_>, range: &Range<usize>) -> Value {
    let start = file.line_col(range.start);
    let end = file.line_col(range.end);
    json!({
        "physicalLocation": {
            "artifactLocation": {"uri": uri(&file.source.path)},
            // As in SARIF, the end column is the one just past the region.
            "region": {
                "startLine": start.line,
                "startColumn": start.column,
                "endLine": end.line,
                "endColumn": end.column,
            },
        },
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a URI reference: relative paths stay relative (to where nftlint ran, which code
/// scanning takes as the repository root), absolute ones become `file:` URIs.
fn uri(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                encoded.push(char::from(byte));
            }
            b'\\' if std::path::MAIN_SEPARATOR == '\\' => encoded.push('/'),
            _ => encoded.push_str(&format!("%{byte:02X}")),
        }
    }
    if !path.is_absolute() {
        encoded
    } else if encoded.starts_with('/') {
        format!("file://{encoded}")
    } else {
        format!("file:///{encoded}")
    }
}

/// The body of a `## ` section of a rule's documentation.
fn section<'a>(doc: &'a str, heading: &str) -> &'a str {
    let Some(start) = doc.find(&format!("{heading}\n")) else {
        return "";
    };
    let body = &doc[start + heading.len()..];
    body.split("\n## ").next().unwrap_or_default().trim()
}

/// The first sentence of a paragraph, on one line.
fn first_sentence(text: &str) -> String {
    let paragraph = text.split("\n\n").next().unwrap_or_default();
    let end = paragraph
        .match_indices(". ")
        .chain(paragraph.match_indices(".\n"))
        .map(|(at, _)| at + 1)
        .min()
        .unwrap_or(paragraph.len());
    paragraph[..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::render::tests::{covered_rule, input, with_include};

    #[test]
    fn a_finding_with_a_related_place() {
        let text = "table inet f {\n  chain c {\n    ip saddr 10.0.0.0/8 drop\n    ip saddr 10.1.2.3 accept\n  }\n}\n";
        let mut diagnostic = covered_rule(text);
        diagnostic.severity = Severity::Info;
        diagnostic.help = None;
        let report = render(&[input(&[("rules.nft", text)], vec![diagnostic])]);
        let report: Value = serde_json::from_str(&report).unwrap();
        let run = &report["runs"][0];
        assert_eq!(run["columnKind"], "unicodeCodePoints");
        insta::assert_snapshot!(serde_json::to_string_pretty(&run["results"]).unwrap());
    }

    #[test]
    fn findings_in_included_files_name_that_file() {
        let report: Value = serde_json::from_str(&render(&[with_include()])).unwrap();
        let results = &report["runs"][0]["results"];
        insta::assert_snapshot!(serde_json::to_string_pretty(results).unwrap());
    }

    #[test]
    fn every_rule_is_described_and_linked() {
        let report: Value = serde_json::from_str(&render(&[])).unwrap();
        let rules = report["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        assert_eq!(rules.len(), RULES.len());
        for (entry, rule) in rules.iter().zip(RULES) {
            assert_eq!(entry["id"], rule.code);
            let short = entry["shortDescription"]["text"].as_str().unwrap();
            assert!(
                short.ends_with('.') && !short.contains('\n'),
                "{}: {short:?}",
                rule.name
            );
            assert!(
                entry["helpUri"]
                    .as_str()
                    .unwrap()
                    .ends_with(&format!("#{}", rule.name))
            );
        }
        let syntax_error = &rules[0];
        assert_eq!(
            syntax_error["shortDescription"]["text"],
            "Text that is not valid nft syntax: a statement not ended by a newline or `;`, an \
             unbalanced brace, a misspelt keyword, a stray character."
        );
    }

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri(Path::new("rules/a b.nft")), "rules/a%20b.nft");
        assert_eq!(uri(Path::new("<stdin>")), "%3Cstdin%3E");
        assert_eq!(
            uri(Path::new("/etc/nftables.conf")),
            "file:///etc/nftables.conf"
        );
        assert_eq!(uri(Path::new("r\u{e4}.nft")), "r%C3%A4.nft");
    }
}

//! Runs the `nftlint` binary the way users and CI scripts do, and snapshots exit code, stdout and
//! stderr together.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Runs nftlint in the fixtures folder, so reports name files as relative paths.
fn nftlint(args: &[&str]) -> String {
    run(args, None)
}

fn nftlint_with_stdin(args: &[&str], stdin: &str) -> String {
    run(args, Some(stdin))
}

fn run(args: &[&str], stdin: Option<&str>) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nftlint"))
        .args(args)
        .current_dir(fixtures())
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the nftlint binary runs");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    let output = child.wait_with_output().unwrap();
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        output
            .status
            .code()
            .map_or("signal".to_owned(), |code| code.to_string()),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    )
}

#[test]
fn clean_file_human() {
    insta::assert_snapshot!(nftlint(&["clean.nft"]));
}

#[test]
fn clean_file_json() {
    insta::assert_snapshot!(nftlint(&["check", "--format", "json", "clean.nft"]));
}

#[test]
fn check_is_the_default_command() {
    assert_eq!(nftlint(&["clean.nft"]), nftlint(&["check", "clean.nft"]));
    assert_eq!(
        nftlint(&["--format", "json", "syntax-error.nft"]),
        nftlint(&["check", "--format", "json", "syntax-error.nft"])
    );
}

// The syntax-error snapshots show the grammar's real messages and positions: re-accept them when
// the grammar changes what it reports.
#[test]
fn syntax_errors_human() {
    insta::assert_snapshot!(nftlint(&["syntax-error.nft"]));
}

#[test]
fn syntax_errors_json() {
    insta::assert_snapshot!(nftlint(&["--format", "json", "syntax-error.nft"]));
}

#[test]
fn syntax_errors_fail_even_with_fail_on_error() {
    insta::assert_snapshot!(nftlint(&[
        "--fail-on",
        "error",
        "--format",
        "json",
        "syntax-error.nft"
    ]));
}

#[test]
fn stdin_human() {
    let text = std::fs::read_to_string(fixtures().join("syntax-error.nft")).unwrap();
    insta::assert_snapshot!(nftlint_with_stdin(&["-"], &text));
}

#[test]
fn stdin_json() {
    let text = std::fs::read_to_string(fixtures().join("clean.nft")).unwrap();
    insta::assert_snapshot!(nftlint_with_stdin(&["--format", "json", "-"], &text));
}

#[test]
fn directory_is_searched_for_rulesets_in_sorted_order() {
    insta::assert_snapshot!(nftlint(&["--format", "json", "ruleset.d", "clean.nft"]));
}

#[test]
fn directory_human() {
    insta::assert_snapshot!(nftlint(&["ruleset.d"]));
}

#[test]
fn missing_file_is_an_io_error() {
    insta::assert_snapshot!(nftlint(&["clean.nft", "missing.nft"]));
}

#[test]
fn non_utf8_file_names_the_offending_byte() {
    insta::assert_snapshot!(nftlint(&["latin1.nft"]));
}

#[test]
fn unknown_format_is_a_usage_error() {
    insta::assert_snapshot!(nftlint(&["--format", "xml", "clean.nft"]));
}

#[test]
fn syntax_prints_the_tree() {
    insta::assert_snapshot!(nftlint(&["syntax", "small.nft"]));
}

#[test]
fn syntax_tree_gives_back_the_file() {
    let text = std::fs::read_to_string(fixtures().join("clean.nft")).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_nftlint"))
        .args(["syntax", "clean.nft"])
        .current_dir(fixtures())
        .output()
        .unwrap();
    assert!(output.status.success());
    // Every token line ends in its text as a JSON string; concatenated, they are the file.
    let tree = String::from_utf8(output.stdout).unwrap();
    let tokens: String = tree
        .lines()
        .filter_map(|line| line.split_once(" \"").map(|(_, text)| format!("\"{text}")))
        .map(|json| unescape(&json))
        .collect();
    assert_eq!(tokens, text);
}

/// Decodes the JSON string escapes the tree dump uses.
fn unescape(json: &str) -> String {
    let inner = &json[1..json.len() - 1];
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

#[test]
fn explain_by_name() {
    insta::assert_snapshot!(nftlint(&["explain", "syntax-error"]));
}

#[test]
fn explain_by_code_is_the_same() {
    assert_eq!(
        nftlint(&["explain", "NFT001"]),
        nftlint(&["explain", "syntax-error"])
    );
}

#[test]
fn explain_lists_rules() {
    insta::assert_snapshot!(nftlint(&["explain"]));
}

#[test]
fn explain_unknown_rule() {
    insta::assert_snapshot!(nftlint(&["explain", "no-such-rule"]));
}

#[test]
fn version() {
    let output = nftlint(&["--version"]);
    assert_eq!(
        output,
        format!(
            "exit: 0\n--- stdout\nnftlint {}\n--- stderr\n",
            env!("CARGO_PKG_VERSION")
        )
    );
}

//! Runs the `nftlint` binary the way users and CI scripts do, and snapshots exit code, stdout and
//! stderr together.
//!
//! Tests about syntax errors pass `--select syntax-error`, so that their snapshots keep showing
//! just that as rules are added.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use nftlint_analyzer::registry::RULES;
use serde_json::Value;

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

/// The arguments that check only for syntax errors, followed by `args`.
fn syntax_only<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec!["--select", "syntax-error"];
    all.extend_from_slice(args);
    all
}

// The syntax-error snapshots show the grammar's real messages and positions: re-accept them when
// the grammar changes what it reports.
#[test]
fn syntax_errors_human() {
    insta::assert_snapshot!(nftlint(&syntax_only(&["syntax-error.nft"])));
}

#[test]
fn syntax_errors_json() {
    insta::assert_snapshot!(nftlint(&syntax_only(&[
        "--format",
        "json",
        "syntax-error.nft"
    ])));
}

#[test]
fn syntax_errors_fail_even_with_fail_on_error() {
    insta::assert_snapshot!(nftlint(&syntax_only(&[
        "--fail-on",
        "error",
        "--format",
        "json",
        "syntax-error.nft"
    ])));
}

#[test]
fn stdin_human() {
    let text = std::fs::read_to_string(fixtures().join("syntax-error.nft")).unwrap();
    insta::assert_snapshot!(nftlint_with_stdin(&syntax_only(&["-"]), &text));
}

#[test]
fn stdin_json() {
    let text = std::fs::read_to_string(fixtures().join("clean.nft")).unwrap();
    insta::assert_snapshot!(nftlint_with_stdin(&["--format", "json", "-"], &text));
}

#[test]
fn directory_is_searched_for_rulesets_in_sorted_order() {
    insta::assert_snapshot!(nftlint(&syntax_only(&[
        "--format",
        "json",
        "ruleset.d",
        "clean.nft"
    ])));
}

#[test]
fn directory_human() {
    insta::assert_snapshot!(nftlint(&syntax_only(&["ruleset.d"])));
}

#[test]
fn missing_file_is_an_io_error() {
    insta::assert_snapshot!(nftlint(&["clean.nft", "missing.nft"]));
}

#[test]
fn non_utf8_file_names_the_offending_byte() {
    insta::assert_snapshot!(nftlint(&["latin1.nft"]));
}

/// A device that never ends, as a path a hook passes may link to: refused after 64 MiB rather
/// than read until memory runs out.
#[test]
fn endless_file_is_refused_past_the_size_limit() {
    insta::assert_snapshot!(nftlint(&["/dev/zero"]));
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
    let output = nftlint(&["explain"]);
    let listing = output
        .strip_prefix("exit: 0\n--- stdout\n")
        .and_then(|rest| rest.strip_suffix("--- stderr\n"))
        .unwrap_or_else(|| panic!("unexpected output:\n{output}"));
    let lines: Vec<&str> = listing.lines().collect();
    assert_eq!(lines.len(), RULES.len());
    for (line, rule) in lines.iter().zip(RULES) {
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(
            words,
            [
                rule.code,
                rule.name,
                rule.severity.as_str(),
                rule.status.as_str()
            ]
        );
    }
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

// Every format on one file with several findings.

#[test]
fn findings_human() {
    insta::assert_snapshot!(nftlint(&syntax_only(&["findings.nft"])));
}

#[test]
fn findings_json() {
    insta::assert_snapshot!(nftlint(&syntax_only(&["--format", "json", "findings.nft"])));
}

#[test]
fn findings_sarif() {
    let output = nftlint(&syntax_only(&["--format", "sarif", "findings.nft"]));
    // The rule table grows with every rule; the results are what this snapshot is about.
    let (head, report) = output.split_once("--- stdout\n").unwrap();
    let (report, tail) = report.split_once("--- stderr\n").unwrap();
    let report: Value = serde_json::from_str(report).unwrap();
    let results = serde_json::to_string_pretty(&report["runs"][0]["results"]).unwrap();
    insta::assert_snapshot!(format!("{head}--- results\n{results}\n--- stderr\n{tail}"));
}

#[test]
fn findings_github() {
    insta::assert_snapshot!(nftlint(&syntax_only(&[
        "--format",
        "github",
        "findings.nft"
    ])));
}

/// Walks the SARIF report of a run with findings and checks every key code scanning reads, with
/// its type.
#[test]
fn sarif_has_the_required_shape() {
    let output = Command::new(env!("CARGO_BIN_EXE_nftlint"))
        .args(["--format", "sarif", "findings.nft", "syntax-error.nft"])
        .current_dir(fixtures())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&output.stdout).expect("SARIF is JSON");

    assert!(report["$schema"].as_str().unwrap().contains("sarif"));
    assert_eq!(report["version"], "2.1.0");
    let runs = report["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "nftlint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(
        driver["informationUri"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );

    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), RULES.len());
    for (entry, rule) in rules.iter().zip(RULES) {
        assert_eq!(entry["id"], rule.code);
        assert_eq!(entry["name"], rule.name);
        assert!(
            !entry["shortDescription"]["text"]
                .as_str()
                .unwrap()
                .is_empty()
        );
        assert!(entry["helpUri"].as_str().unwrap().starts_with("https://"));
        let level = entry["defaultConfiguration"]["level"].as_str().unwrap();
        assert!(["error", "warning", "note"].contains(&level), "{level}");
    }

    let results = runs[0]["results"].as_array().unwrap();
    let syntax_errors = results
        .iter()
        .filter(|result| result["ruleId"] == "NFT001")
        .count();
    assert_eq!(
        syntax_errors, 6,
        "four in findings.nft, two in syntax-error.nft"
    );
    for result in results {
        let index = usize::try_from(result["ruleIndex"].as_u64().unwrap()).unwrap();
        assert_eq!(result["ruleId"], rules[index]["id"]);
        let level = result["level"].as_str().unwrap();
        assert!(["error", "warning", "note"].contains(&level), "{level}");
        assert!(!result["message"]["text"].as_str().unwrap().is_empty());
        let locations = result["locations"].as_array().unwrap();
        assert_eq!(locations.len(), 1);
        let related = result["relatedLocations"].as_array().unwrap();
        for location in locations.iter().chain(related) {
            let physical = &location["physicalLocation"];
            let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
            assert!(uri == "findings.nft" || uri == "syntax-error.nft", "{uri}");
            let region = &physical["region"];
            let number = |key: &str| region[key].as_u64().unwrap_or_else(|| panic!("{key}"));
            assert!(number("startLine") >= 1 && number("startColumn") >= 1);
            assert!(
                (number("startLine"), number("startColumn"))
                    <= (number("endLine"), number("endColumn"))
            );
        }
        for related in related {
            assert!(related["id"].is_u64());
            assert!(related["message"]["text"].is_string());
        }
    }
}

// Choosing rules.

/// The codes of the findings a JSON report lists.
fn codes(output: &str) -> Vec<String> {
    let json = output
        .split_once("--- stdout\n")
        .and_then(|(_, rest)| rest.split_once("--- stderr\n"))
        .map(|(json, _)| json)
        .unwrap();
    let report: Value = serde_json::from_str(json).unwrap();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|diagnostic| diagnostic["code"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn select_keeps_only_the_named_rules() {
    let output = nftlint(&["--format", "json", "--select", "NFT001", "findings.nft"]);
    assert!(output.starts_with("exit: 1\n"), "{output}");
    assert_eq!(codes(&output), ["NFT001"; 4]);
}

#[test]
fn ignore_drops_the_named_rules_and_wins_over_select() {
    let ignored = nftlint(&[
        "--format",
        "json",
        "--ignore",
        "syntax-error",
        "findings.nft",
    ]);
    assert!(!codes(&ignored).contains(&"NFT001".to_owned()), "{ignored}");
    let both = nftlint(&[
        "--format",
        "json",
        "--select",
        "syntax-error",
        "--ignore=NFT001",
        "findings.nft",
    ]);
    assert_eq!(codes(&both), Vec::<String>::new());
    assert!(both.starts_with("exit: 0\n"), "{both}");
}

#[test]
fn unknown_rule_in_select_is_a_usage_error() {
    insta::assert_snapshot!(nftlint(&[
        "--select",
        "syntax-error,shadowed-rules",
        "clean.nft"
    ]));
}

// Configuration.

#[test]
fn configuration_changes_a_rules_severity() {
    // Syntax errors are warnings under configured/, so failing on errors only passes.
    insta::assert_snapshot!(nftlint(&syntax_only(&[
        "--fail-on",
        "error",
        "configured/rules.nft"
    ])));
}

#[test]
fn configuration_turns_a_rule_off_and_the_nearest_file_wins() {
    let output = nftlint(&["--format", "json", "configured/off/rules.nft"]);
    assert!(!codes(&output).contains(&"NFT001".to_owned()), "{output}");
}

#[test]
fn select_on_the_command_line_wins_over_off_in_the_configuration() {
    let output = nftlint(&syntax_only(&[
        "--format",
        "json",
        "configured/off/rules.nft",
    ]));
    assert_eq!(codes(&output), ["NFT001"]);
}

#[test]
fn config_option_replaces_discovery() {
    insta::assert_snapshot!(nftlint(&syntax_only(&[
        "--format",
        "github",
        "--config",
        "configured/nftlint.toml",
        "findings.nft",
        "configured/off/rules.nft"
    ])));
}

#[test]
fn bad_configuration_is_a_config_error() {
    insta::assert_snapshot!(nftlint(&["bad-config/rules.nft"]));
}

#[test]
fn missing_config_file_is_a_config_error() {
    insta::assert_snapshot!(nftlint(&["--config", "missing.toml", "clean.nft"]));
}

// Included files.

#[test]
fn findings_in_included_files_name_that_file() {
    insta::assert_snapshot!(nftlint(&syntax_only(&["includes/main.nft"])));
}

#[test]
fn findings_in_included_files_json() {
    insta::assert_snapshot!(nftlint(&syntax_only(&[
        "--format",
        "json",
        "includes/main.nft"
    ])));
}

#[test]
fn include_path_is_searched_for_includes() {
    insta::assert_snapshot!(nftlint(&syntax_only(&[
        "--format",
        "github",
        "-I",
        "includes/inc",
        "--include-path",
        "includes/lib",
        "includes/uses-lib.nft"
    ])));
}

#[test]
fn include_paths_in_the_configuration_are_relative_to_it() {
    let output = nftlint(&syntax_only(&[
        "--format",
        "json",
        "include-config/uses-lib.nft",
    ]));
    let json = output
        .split_once("--- stdout\n")
        .and_then(|(_, rest)| rest.split_once("--- stderr\n"))
        .map(|(json, _)| json)
        .unwrap();
    let report: Value = serde_json::from_str(json).unwrap();
    let files: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|diagnostic| diagnostic["file"].as_str().unwrap())
        .collect();
    assert_eq!(files.len(), 1, "{output}");
    assert!(
        Path::new(files[0]).ends_with("includes/lib/lib.nft"),
        "{output}"
    );
}

// Suppression comments.

#[test]
fn suppression_on_the_line_before() {
    insta::assert_snapshot!(nftlint(&syntax_only(&["suppressed/before.nft"])));
}

#[test]
fn suppression_at_the_end_of_the_line() {
    insta::assert_snapshot!(nftlint(&syntax_only(&["suppressed/end.nft"])));
}

#[test]
fn suppression_for_the_whole_file() {
    insta::assert_snapshot!(nftlint(&syntax_only(&["suppressed/file.nft"])));
}

#[test]
fn eval_traces_the_packet_like_nft_monitor_trace() {
    insta::assert_snapshot!(nftlint(&[
        "eval",
        "eval/firewall.nft",
        "--packet",
        "iifname eth0 ip saddr 192.0.2.7 tcp dport ssh",
    ]));
}

#[test]
fn eval_json_is_one_object_a_packet() {
    insta::assert_snapshot!(nftlint(&[
        "eval",
        "eval/firewall.nft",
        "--format",
        "json",
        "--packet",
        "iifname eth0 ip saddr 198.51.100.1 tcp dport https",
    ]));
}

#[test]
fn eval_runs_a_batch_with_limits_refilling_over_time() {
    insta::assert_snapshot!(nftlint(&[
        "eval",
        "eval/firewall.nft",
        "--jsonl",
        "eval/cases.jsonl",
    ]));
}

#[test]
fn eval_says_what_it_cannot_evaluate() {
    // `meta skuid`: which user sent a packet is not part of its description.
    insta::assert_snapshot!(nftlint(&[
        "eval",
        "eval/firewall.nft",
        "--path",
        "output",
        "--packet",
        "ip daddr 198.51.100.1 tcp dport 25",
    ]));
}

#[test]
fn eval_expect_fails_on_another_verdict() {
    insta::assert_snapshot!(nftlint(&[
        "eval",
        "eval/firewall.nft",
        "--expect",
        "accept",
        "--packet",
        "ip saddr 198.51.100.1 tcp dport ssh",
    ]));
}

#[test]
fn eval_bad_packet_names_the_word() {
    insta::assert_snapshot!(nftlint(&[
        "eval",
        "eval/firewall.nft",
        "--packet",
        "ip saddr 2001:db8::1 tcp dport 22",
    ]));
}

#[test]
fn eval_bad_case_names_the_line() {
    insta::assert_snapshot!(nftlint(&[
        "eval",
        "eval/firewall.nft",
        "--jsonl",
        "eval/bad-cases.jsonl",
    ]));
}

#[test]
fn eval_refuses_a_ruleset_nft_would_not_load() {
    insta::assert_snapshot!(nftlint(&[
        "eval",
        "syntax-error.nft",
        "--packet",
        "tcp dport 22",
    ]));
}

#[test]
fn eval_json_says_what_it_cannot_evaluate() {
    insta::assert_snapshot!(nftlint(&[
        "eval",
        "eval/firewall.nft",
        "--format",
        "json",
        "--path",
        "output",
        "--packet",
        "ip daddr 198.51.100.1 tcp dport 25",
    ]));
}

/// Editors start the server as `nftlint lsp`, some adding `--stdio`: both serve the protocol on
/// standard input and output, and exit cleanly when asked.
#[test]
fn the_language_server_speaks_on_stdio() {
    use std::io::{BufRead, BufReader, Read};
    let frame = |body: &str| format!("Content-Length: {}\r\n\r\n{body}", body.len());
    for args in [&["lsp"][..], &["lsp", "--stdio"]] {
        let mut server = Command::new(env!("CARGO_BIN_EXE_nftlint"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the nftlint binary runs");
        let mut to_server = server.stdin.take().unwrap();
        let mut from_server = BufReader::new(server.stdout.take().unwrap());
        let mut exchange = |body: &str| -> String {
            to_server.write_all(frame(body).as_bytes()).unwrap();
            let mut length = 0;
            loop {
                let mut line = String::new();
                from_server.read_line(&mut line).unwrap();
                match line.trim_end().strip_prefix("Content-Length: ") {
                    Some(n) => length = n.parse().unwrap(),
                    None if line.trim_end().is_empty() => break,
                    None => {}
                }
            }
            let mut answer = vec![0; length];
            from_server.read_exact(&mut answer).unwrap();
            String::from_utf8(answer).unwrap()
        };
        // A client waits for each answer, as the protocol asks.
        let initialized = exchange(
            r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#,
        );
        assert!(
            initialized.contains(r#""name":"nftlint""#),
            "{args:?}: {initialized}"
        );
        let shutdown = exchange(r#"{"jsonrpc":"2.0","id":2,"method":"shutdown","params":null}"#);
        assert!(
            shutdown.contains(r#""result":null"#),
            "{args:?}: {shutdown}"
        );
        to_server
            .write_all(frame(r#"{"jsonrpc":"2.0","method":"exit","params":null}"#).as_bytes())
            .unwrap();
        assert!(server.wait().unwrap().success(), "{args:?}");
    }
}

//! Corpus conformance: valid rulesets from upstream nftables and from real users parse without a
//! single error and print back byte for byte; real users' broken files get their first error on
//! the line where nft reports its own.

use std::collections::HashMap;
use std::path::Path;

use nftlint_tests::{
    CorpusFile, corpus_files, corpus_root, is_nft, line_col, problem, round_trip_problem,
};

/// Parses every file, prints `label: clean/total parse clean`, and fails listing every file that
/// has a syntax error or does not round-trip.
fn assert_all_clean(label: &str, files: &[CorpusFile]) {
    let failures: Vec<String> = files
        .iter()
        .filter_map(|file| {
            let parse = nftlint_syntax::parse(&file.text);
            problem(&file.text, &parse).map(|p| format!("{}:{p}", file.name))
        })
        .collect();
    println!(
        "{label}: {}/{} parse clean",
        files.len() - failures.len(),
        files.len()
    );
    assert!(
        failures.is_empty(),
        "{label}: {} of {} files do not parse clean:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

#[test]
fn upstream_shell_dumps_parse_clean() {
    assert_all_clean("shell-dumps", &corpus_files("upstream/shell-dumps", is_nft));
}

#[test]
fn upstream_examples_parse_clean() {
    // Only `.nft` files: `doc-snippets/*.txt` mixes rulesets, shell commands and bare fragments.
    assert_all_clean("examples", &corpus_files("upstream/examples", is_nft));
}

#[test]
fn real_world_parses_clean() {
    assert_all_clean("real-world", &corpus_files("real-world", is_data));
}

/// Everything but the folder's own documentation.
fn is_data(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    name != "README.md" && !name.starts_with("MANIFEST")
}

#[test]
fn real_world_invalid_first_error_on_nft_line() {
    let expected = nft_error_lines();
    let files = corpus_files("real-world-invalid", is_data);
    let mut failures = Vec::new();
    for file in &files {
        let local = file.name.trim_start_matches("real-world-invalid/");
        if let Some(failure) = check_invalid(file, expected.get(local).copied()) {
            failures.push(format!("{}:{failure}", file.name));
        }
    }
    println!(
        "real-world-invalid: {}/{} round-trip with the first error on nft's line",
        files.len() - failures.len(),
        files.len()
    );
    assert!(
        failures.is_empty(),
        "real-world-invalid:\n{}",
        failures.join("\n")
    );
}

/// What is wrong with an invalid file's parse, given the line nft reports its first error on.
fn check_invalid(file: &CorpusFile, nft_line: Option<usize>) -> Option<String> {
    let Some(nft_line) = nft_line else {
        return Some(" not listed in MANIFEST.tsv".to_string());
    };
    let parse = nftlint_syntax::parse(&file.text);
    if let Some(problem) = round_trip_problem(&file.text, &parse) {
        return Some(problem);
    }
    let Some(error) = parse.errors().first() else {
        return Some(format!(
            " no syntax error, nft reports one on line {nft_line}"
        ));
    };
    let (line, col) = line_col(&file.text, error.range.start);
    (line != nft_line).then(|| {
        format!(
            "{line}:{col}: first error here ({}), nft reports line {nft_line}",
            error.message
        )
    })
}

/// nft's error line for each file, by `local_name`, from MANIFEST.tsv; its `first_error` column
/// holds nft's own message, `file:LINE:COL-COL: Error: ...`.
fn nft_error_lines() -> HashMap<String, usize> {
    let path = corpus_root().join("real-world-invalid/MANIFEST.tsv");
    let manifest = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut lines = manifest.lines();
    let header: Vec<&str> = lines
        .next()
        .expect("MANIFEST.tsv header")
        .split('\t')
        .collect();
    let column = |name| {
        header
            .iter()
            .position(|h| *h == name)
            .expect("MANIFEST.tsv column")
    };
    let (name_col, error_col) = (column("local_name"), column("first_error"));
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let fields: Vec<&str> = l.split('\t').collect();
            let (name, error) = (fields[name_col], fields[error_col]);
            let line = error
                .strip_prefix(name)
                .and_then(|rest| rest.strip_prefix(':'))
                .and_then(|rest| rest.split(':').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("MANIFEST.tsv: no line number in {error:?}"));
            (name.to_string(), line)
        })
        .collect()
}

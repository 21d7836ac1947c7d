//! Lint conformance on the valid corpus: the analyzer reports no error on a ruleset that nft
//! accepts. An error-severity diagnostic claims nft will refuse the file, so one on a file nft
//! loads is a false error.
//!
//! Which files nft accepts comes from the corpus's own records of `nft -c -f` (nftables 1.0.6).
//! Upstream dumps that 1.0.6 rejects use newer syntax or need kernel features; real-world files it
//! rejects depend on the machine or on files the corpus lacks (a missing include, interface or
//! module, DNS, a fragment that uses another file's defines). Errors on those files are allowed,
//! counted and listed, not failed.

use nftlint_analyzer::Diagnostic;
use nftlint_tests::{corpus_root, describe, errors, lint, nft_1_0_6_accepts, valid_corpus};

/// Tally of one corpus folder.
#[derive(Default)]
struct Tally {
    files: usize,
    nft_rejects: usize,
    /// Files nft rejects that the analyzer reports an error on.
    flagged: usize,
    /// Errors on files nft rejects, listed so that a reader can judge them.
    on_rejected: Vec<String>,
}

#[test]
fn no_errors_on_rulesets_nft_accepts() {
    let accepts = nft_1_0_6_accepts();
    let mut shell_dumps = Tally::default();
    let mut real_world = Tally::default();
    let mut false_errors = Vec::new();
    let mut environmental = Vec::new();
    for file in valid_corpus() {
        let accepted = *accepts
            .get(&file.name)
            .unwrap_or_else(|| panic!("{}: no nft 1.0.6 verdict in the corpus", file.name));
        let tally = if file.name.starts_with("real-world/") {
            &mut real_world
        } else {
            &mut shell_dumps
        };
        tally.files += 1;
        let analysis = lint(&corpus_root().join(&file.name), file.text);
        let mut flagged = false;
        for error in errors(&analysis) {
            let line = describe(&analysis, &file.name, error);
            if is_include_not_found(error) {
                environmental.push(line);
            } else if accepted {
                false_errors.push(line);
            } else {
                flagged = true;
                tally.on_rejected.push(line);
            }
        }
        if !accepted {
            tally.nft_rejects += 1;
            tally.flagged += usize::from(flagged);
        }
    }
    for (label, tally) in [("shell-dumps", &shell_dumps), ("real-world", &real_world)] {
        println!(
            "{label}: nft 1.0.6 rejects {} of {} files; nftlint reports an error on {} of those",
            tally.nft_rejects, tally.files, tally.flagged
        );
        for line in &tally.on_rejected {
            println!("  {line}");
        }
    }
    println!(
        "includes not found (depend on this machine, not counted): {}",
        environmental.len()
    );
    for line in &environmental {
        println!("  {line}");
    }
    println!(
        "false errors (on files nft accepts): {}",
        false_errors.len()
    );
    assert!(
        false_errors.is_empty(),
        "{} errors on files nft accepts:\n{}",
        false_errors.len(),
        false_errors.join("\n")
    );
}

/// An include whose file is absent: real-world files include paths from their authors' machines
/// (`/etc/nftables/omr-vars.nft`), so this finding says where the tests run, not what the
/// analyzer gets wrong. Told apart from other include findings, such as a cycle, by the message,
/// which says what nft says (`File not found`), or by a rule named for it.
fn is_include_not_found(diagnostic: &Diagnostic) -> bool {
    let message = diagnostic.message.to_lowercase();
    let about_include = diagnostic.name.contains("include") || message.contains("include");
    let not_found = diagnostic.name.contains("not-found")
        || ["not found", "no such file"]
            .iter()
            .any(|words| message.contains(words));
    about_include && not_found
}

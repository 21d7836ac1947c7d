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

/// Every finding of the packet-space lints on the valid corpus, each read against its file and
/// found true. A new finding fails the test until someone has read it too.
const REVIEWED_PACKET_SPACE_FINDINGS: &[(&str, usize, &str)] = &[
    // A prerouting chain with policy drop and no rule: nothing gets in.
    (
        "upstream/shell-dumps/chains__0036policy_variable_0.nft",
        2,
        "lockout-risk",
    ),
    // `accept` three times: the second and third never see a packet.
    (
        "upstream/shell-dumps/nft-i__index_0.nft",
        5,
        "redundant-rule",
    ),
    (
        "upstream/shell-dumps/nft-i__index_0.nft",
        6,
        "redundant-rule",
    ),
    // An input chain with policy drop that accepts only addresses in a set, not SSH.
    (
        "upstream/shell-dumps/sets__0053echo_0.nft",
        2,
        "lockout-risk",
    ),
    // `jump n1` already decides every packet: n1 ends in n2, whose `masquerade` accepts.
    (
        "upstream/shell-dumps/transactions__bad_rule_graphs.nft",
        33,
        "shadowed-rule",
    ),
    // A desktop's input chain: policy drop, no SSH.
    (
        "real-world/005-maximbaz-dotfiles-nftables.conf",
        6,
        "lockout-risk",
    ),
    // `iif { lo, $mgmt, $sync } accept` already accepts what `iif $sync ip protocol vrrp accept` does.
    (
        "real-world/027-spanfile-ansible-nftables.conf",
        25,
        "redundant-rule",
    ),
    // A final `reject` with no SSH accept before it.
    (
        "real-world/040-micromaomao-dotfiles-nftables.conf",
        15,
        "lockout-risk",
    ),
    // The long port sets above (elements commented one by one) accept TCP 53, 80 and 443 and
    // UDP 53 from any interface already: the DNS rules for the inner interface and the modem's
    // web interface rule never decide anything.
    (
        "real-world/036-razuuu-debian-router-nftables.conf",
        89,
        "redundant-rule",
    ),
    (
        "real-world/036-razuuu-debian-router-nftables.conf",
        90,
        "redundant-rule",
    ),
    (
        "real-world/036-razuuu-debian-router-nftables.conf",
        96,
        "redundant-rule",
    ),
    // Policy drop, SSH not accepted from anywhere.
    ("real-world/044-mullvad-netns-rules.nft", 9, "lockout-risk"),
    // firewalld's `jump filter_IN_libvirt_post` rejects every packet, so the `accept` after it
    // never runs.
    (
        "real-world/062-insights-core-firewalld-libvirt-dump.nft",
        433,
        "shadowed-rule",
    ),
    // The dnat rules just above accept (NAT implies accept) every packet these would drop.
    (
        "real-world/053-vpn-server-nftables.conf",
        47,
        "shadowed-rule",
    ),
    (
        "real-world/053-vpn-server-nftables.conf",
        48,
        "shadowed-rule",
    ),
];

#[test]
fn packet_space_findings_on_the_corpus_are_the_reviewed_ones() {
    let mut found = Vec::new();
    for file in valid_corpus() {
        let analysis = lint(&corpus_root().join(&file.name), file.text);
        for diagnostic in &analysis.diagnostics {
            if ["shadowed-rule", "redundant-rule", "lockout-risk"].contains(&diagnostic.name) {
                let text = &analysis.file(diagnostic.file.as_deref()).text;
                let line = text[..diagnostic.range.start].matches('\n').count() + 1;
                found.push((file.name.clone(), line, diagnostic.name));
            }
        }
    }
    println!("packet-space findings on the valid corpus: {}", found.len());
    let reviewed: Vec<(String, usize, &str)> = REVIEWED_PACKET_SPACE_FINDINGS
        .iter()
        .map(|&(file, line, name)| (file.to_string(), line, name))
        .collect();
    let unreviewed: Vec<_> = found.iter().filter(|f| !reviewed.contains(f)).collect();
    let gone: Vec<_> = reviewed.iter().filter(|r| !found.contains(r)).collect();
    assert!(
        unreviewed.is_empty() && gone.is_empty(),
        "new findings to review: {unreviewed:#?}\nreviewed findings no longer reported: {gone:#?}"
    );
}

/// `text` with a comment line above each of its lines (but those a `\` continues), and for each
/// line of the result the line of `text` it is (1-based), `None` for an added comment.
fn with_comment_lines(text: &str) -> (String, Vec<Option<usize>>) {
    let mut out = String::with_capacity(2 * text.len());
    let mut origin = Vec::new();
    let mut continued = false;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        if !continued {
            out.push_str("# a comment line\n");
            origin.push(None);
        }
        out.push_str(line);
        origin.push(Some(n + 1));
        continued = line.trim_end().ends_with('\\');
    }
    (out, origin)
}

/// Every finding in the main file as (line, name, message), the line mapped through `origin`.
fn findings_by_line(
    analysis: &nftlint_analyzer::Analysis,
    origin: &dyn Fn(usize) -> Option<usize>,
) -> Vec<(Option<usize>, &'static str, String)> {
    let mut found: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.file.is_none())
        .map(|d| {
            let line = analysis.file(None).text[..d.range.start]
                .matches('\n')
                .count()
                + 1;
            (origin(line), d.name, d.message.clone())
        })
        .collect();
    found.sort();
    found
}

/// Comment lines hide nothing: with one above every line, each file of the valid corpus gets
/// the same findings on the same lines. The tree keeps comment lines inside the rule, property,
/// command or set element below them; every reader must look past them.
#[test]
fn comment_lines_above_every_line_change_no_finding() {
    let mut changed = Vec::new();
    for file in valid_corpus() {
        let path = corpus_root().join(&file.name);
        let (commented, origin) = with_comment_lines(&file.text);
        let plain = lint(&path, file.text.clone());
        let with_comments = lint(&path, commented);
        let expected = findings_by_line(&plain, &|line| Some(line));
        let found = findings_by_line(&with_comments, &|line| {
            origin.get(line - 1).copied().flatten()
        });
        if found != expected {
            changed.push(format!(
                "{}:\n  without comments: {expected:?}\n  with comments: {found:?}",
                file.name
            ));
        }
    }
    assert!(changed.is_empty(), "{}", changed.join("\n"));
}

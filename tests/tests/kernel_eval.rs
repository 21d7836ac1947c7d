//! `nftlint eval` against the real kernel: for every ruleset under `tests/kernel/cases`, the
//! packets of `NAME.jsonl` run through nftlint's interpreter must get the verdict and the trace,
//! event for event, that the kernel gave them (`NAME.kernel.jsonl`, recorded with the kernel
//! test lab by `tests/kernel/record.sh`).
//!
//! `NFTLINT_KERNEL_TRACES=DIR` compares with the traces in DIR instead: `.ci/run` records them
//! afresh from the live kernel there, as root.
//!
//! The lab runs the packets of each path and interface pair on a freshly loaded ruleset, and
//! prints them group by group: the interpreter is reloaded for each group likewise, so that
//! limits and quotas start alike.

use std::path::{Path, PathBuf};

use nftlint_analyzer::eval::{Event, Interpreter, Packet, Path as PacketPath, Verdict};
use nftlint_analyzer::{DiskLoader, Options};
use serde_json::Value;

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("kernel/cases")
}

fn traces_dir() -> PathBuf {
    std::env::var_os("NFTLINT_KERNEL_TRACES").map_or_else(cases_dir, PathBuf::from)
}

/// One packet of a ruleset's cases.
struct Case {
    path: String,
    packet: String,
}

impl Case {
    /// The lab's group: path, input and output interface.
    fn group(&self) -> (String, String, String) {
        let words: Vec<&str> = self.packet.split_whitespace().collect();
        let value = |keys: &[&str], default: &str| {
            words
                .windows(2)
                .find(|w| keys.contains(&w[0]))
                .map_or(default.to_string(), |w| w[1].trim_matches('"').to_string())
        };
        (
            self.path.clone(),
            value(&["iifname", "iif"], "eth0"),
            value(&["oifname", "oif"], "eth1"),
        )
    }
}

fn read_lines(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{}: {e}: {l}", path.display())))
        .collect()
}

/// The cases in the order the lab runs them: grouped, groups in order of first appearance.
fn lab_order(cases: Vec<Case>) -> Vec<Case> {
    let mut groups: Vec<((String, String, String), Vec<Case>)> = Vec::new();
    for case in cases {
        let key = case.group();
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(case),
            None => groups.push((key, vec![case])),
        }
    }
    groups
        .into_iter()
        .flat_map(|(_, members)| members)
        .collect()
}

/// An event as both sides name it: family, table, chain, rule index, verdict.
fn kernel_event(event: &Value) -> String {
    let field = |k: &str| event[k].as_str().unwrap_or("?").to_string();
    let (rule, verdict) = match event["rule"].as_u64() {
        Some(r) => (format!("rule {r}"), field("verdict")),
        // The trace prints the packet's mark after a policy: `policy drop meta mark 0x00000005`.
        None => {
            let verdict = field("verdict");
            let first = verdict.split_whitespace().next().unwrap_or("?").to_string();
            ("policy".to_string(), first)
        }
    };
    format!(
        "{} {} {} {rule}: {verdict}",
        field("family"),
        field("table"),
        field("chain"),
    )
}

fn our_event(event: &Event) -> String {
    let rule = event
        .rule
        .map_or("policy".to_string(), |r| format!("rule {r}"));
    format!(
        "{} {} {} {rule}: {}",
        event.family, event.table, event.chain, event.verdict
    )
}

#[test]
fn eval_agrees_with_the_kernel() {
    let mut rulesets: Vec<PathBuf> = std::fs::read_dir(cases_dir())
        .expect("tests/kernel/cases")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "nft"))
        .collect();
    rulesets.sort();
    assert!(!rulesets.is_empty(), "no rulesets under tests/kernel/cases");
    let (mut packets, mut events) = (0, 0);
    let mut disagreements = Vec::new();
    for ruleset in &rulesets {
        let name = ruleset.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(ruleset).unwrap();
        let cases: Vec<Case> = read_lines(&ruleset.with_extension("jsonl"))
            .iter()
            .map(|c| Case {
                path: c["path"].as_str().unwrap_or("input").to_string(),
                packet: c["packet"].as_str().expect("a packet").to_string(),
            })
            .collect();
        let kernel = read_lines(&traces_dir().join(format!("{name}.kernel.jsonl")));
        let cases = lab_order(cases);
        assert_eq!(
            cases.len(),
            kernel.len(),
            "{name}: {} packets, {} kernel answers",
            cases.len(),
            kernel.len()
        );
        let mut interpreter = None;
        let mut group = None;
        for (case, answer) in cases.iter().zip(&kernel) {
            assert_eq!(
                answer["packet"].as_str(),
                Some(case.packet.as_str()),
                "{name}"
            );
            if group.as_ref() != Some(&case.group()) {
                group = Some(case.group());
                let loaded =
                    Interpreter::load(ruleset, text.clone(), &Options::default(), &DiskLoader);
                assert!(loaded.errors().is_empty(), "{name}: {:?}", loaded.errors());
                interpreter = Some(loaded);
            }
            let interpreter = interpreter.as_mut().expect("loaded for the group");
            let path = PacketPath::from_name(&case.path).expect("a path");
            let packet = Packet::parse(&case.packet, path)
                .unwrap_or_else(|e| panic!("{name}: {}: {e}", case.packet));
            let outcome = interpreter.run(&packet, path, 0);
            let ours: Vec<String> = outcome.trace.iter().map(our_event).collect();
            let theirs: Vec<String> = answer["trace"]
                .as_array()
                .expect("a trace")
                .iter()
                .map(kernel_event)
                .collect();
            let verdict = match &outcome.verdict {
                Verdict::Accept => "accept".to_string(),
                Verdict::Drop => "drop".to_string(),
                Verdict::Unknown { why, .. } => format!("unknown ({why})"),
            };
            packets += 1;
            events += theirs.len();
            if ours != theirs || Some(verdict.as_str()) != answer["verdict"].as_str() {
                disagreements.push(format!(
                    "{name} ({}): {}\n  kernel:  {} {theirs:#?}\n  nftlint: {verdict} {ours:#?}",
                    case.path, case.packet, answer["verdict"]
                ));
            }
        }
    }
    println!(
        "kernel agreement: {} rulesets, {packets} packets, {events} trace events, {} disagreements",
        rulesets.len(),
        disagreements.len()
    );
    assert!(
        disagreements.is_empty(),
        "{} of {packets} packets disagree with the kernel:\n{}",
        disagreements.len(),
        disagreements.join("\n")
    );
}

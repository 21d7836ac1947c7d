//! The rulesets the benchmarks of every crate run on: `../shared/tools/gen-ruleset` output,
//! deterministic for a number of rules (the same files `nft -c` is timed on). Each crate's
//! benchmark includes this file with `#[path]`.

use std::path::Path;
use std::process::Command;

/// The generated ruleset of `rules` rules, failing loudly when the generator cannot run.
pub fn generated_ruleset(rules: usize) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/tools/gen-ruleset");
    assert!(
        script.is_file(),
        "{} not found: the benchmarks need `shared/` checked out beside the repository",
        script.display()
    );
    let output = Command::new("python3")
        .arg(&script)
        .args(["--rules", &rules.to_string()])
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3 {}: {e}", script.display()));
    assert!(
        output.status.success(),
        "gen-ruleset failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("gen-ruleset prints UTF-8")
}

//! Lexing and parsing throughput on a large realistic ruleset: 10,000 rules from
//! `../shared/tools/gen-ruleset` (the same input `nft -c` can be timed on).

use std::hint::black_box;
use std::path::Path;
use std::process::Command;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const RULES: &str = "10000";

/// Runs the generator that lives beside the repository, failing loudly if it cannot.
fn generated_ruleset() -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/tools/gen-ruleset");
    assert!(
        script.is_file(),
        "{} not found: the benchmark needs `shared/` checked out beside the repository",
        script.display()
    );
    let output = Command::new("python3")
        .arg(&script)
        .args(["--rules", RULES])
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3 {}: {e}", script.display()));
    assert!(
        output.status.success(),
        "gen-ruleset failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("gen-ruleset prints UTF-8")
}

fn bench(c: &mut Criterion) {
    let text = generated_ruleset();
    let mut group = c.benchmark_group(format!("{RULES} rules"));
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("lex", |b| b.iter(|| nftlint_syntax::lex(black_box(&text))));
    // Lexing, parsing and building the lossless tree: what every command starts with.
    group.bench_function("parse", |b| {
        b.iter(|| nftlint_syntax::parse(black_box(&text)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

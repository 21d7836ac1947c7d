//! How long after an edit the editor sees the diagnostics: a one-character change to a
//! 10,000-rule file from `../shared/tools/gen-ruleset`, until `publishDiagnostics` for that
//! version arrives and is read.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;

#[path = "../tests/editor/mod.rs"]
mod editor;

// The allocator `nftlint lsp` runs with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn generated_ruleset() -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/tools/gen-ruleset");
    let output = Command::new("python3")
        .arg(&script)
        .args(["--rules", "10000"])
        .output()
        .unwrap_or_else(|e| panic!("cannot run python3 {}: {e}", script.display()));
    assert!(output.status.success(), "gen-ruleset failed");
    String::from_utf8(output.stdout).expect("gen-ruleset prints UTF-8")
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let text = generated_ruleset();
    let mut editor = runtime.block_on(async {
        let mut editor = editor::Editor::start();
        editor.initialize().await;
        editor.open(&text).await;
        editor.diagnostics().await;
        editor
    });
    let mut version = 1;
    let mut group = c.benchmark_group("10000 rules");
    group.sample_size(10);
    group.bench_function("edit to diagnostics", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                version += 1;
                // Retype the first character of the file: the text stays the same ruleset.
                let first = &text[..1];
                let edit = json!([{"range": {"start": {"line": 0, "character": 0},
                                             "end": {"line": 0, "character": 1}},
                                   "text": first}]);
                let start = Instant::now();
                runtime.block_on(async {
                    editor.change(version, edit).await;
                    editor.diagnostics().await;
                });
                total += start.elapsed();
            }
            total
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

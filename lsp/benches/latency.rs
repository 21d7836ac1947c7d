//! How long after an edit the editor sees the diagnostics: a one-character change to a
//! 10,000-rule file from `../shared/tools/gen-ruleset`, until `publishDiagnostics` for that
//! version arrives and is read.

use std::time::{Duration, Instant};

#[path = "../../benches/generated_ruleset.rs"]
mod generated;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;

#[path = "../tests/editor/mod.rs"]
mod editor;

// The allocator `nftlint lsp` runs with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let text = generated::generated_ruleset(10_000);
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

//! Lexing and parsing throughput on a large realistic ruleset: 10,000 rules from
//! `../shared/tools/gen-ruleset` (the same input `nft -c` can be timed on).

use std::hint::black_box;

#[path = "../../benches/generated_ruleset.rs"]
mod generated;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const RULES: usize = 10000;

fn bench(c: &mut Criterion) {
    let text = generated::generated_ruleset(RULES);
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

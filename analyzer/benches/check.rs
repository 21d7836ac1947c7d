//! What checking costs, phase by phase, on `../shared/tools/gen-ruleset` output of 1,000, 10,000
//! and 50,000 rules: parsing and building the model alone (every rule off), every rule, and each
//! rule alone (on top of parsing and the model; the first packet-space rule pays for the packet
//! space, which the others share). Also prints the peak heap of a check with every rule on.
//!
//! `cargo bench -p nftlint-analyzer --bench check`; `-- '10000 rules'` for one size.

use std::alloc::{GlobalAlloc, Layout};
use std::hint::black_box;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

#[path = "../../benches/generated_ruleset.rs"]
mod generated;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use nftlint_analyzer::config::RuleLevel;
use nftlint_analyzer::registry::RULES;
use nftlint_analyzer::{Config, DiskLoader, Options};

/// The allocator `nftlint` runs with, counting the bytes in use and their peak.
struct Measured;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Measured {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        unsafe { mimalloc::MiMalloc.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Measured = Measured;

/// Options with only the rules `keep` says on.
fn options(keep: impl Fn(&str) -> bool) -> Options {
    let mut config = Config::default();
    for rule in RULES {
        if !keep(rule.name) {
            config.rules.insert(rule.code, RuleLevel::Off);
        }
    }
    Options {
        include_paths: Vec::new(),
        config,
    }
}

fn check(text: &str, options: &Options) -> nftlint_analyzer::Analysis {
    nftlint_analyzer::analyze(
        Path::new("generated.nft"),
        text.to_string(),
        options,
        &DiskLoader,
    )
}

fn bench(c: &mut Criterion) {
    for rules in [1_000, 10_000, 50_000] {
        let text = generated::generated_ruleset(rules);
        let all = options(|_| true);

        let before = IN_USE.load(Ordering::Relaxed);
        PEAK.store(before, Ordering::Relaxed);
        let findings = check(&text, &all).diagnostics.len();
        let peak = PEAK.load(Ordering::Relaxed) - before;
        println!(
            "{rules} rules: {findings} findings, peak heap {:.1} MiB",
            peak as f64 / (1 << 20) as f64
        );

        let mut group = c.benchmark_group(format!("{rules} rules"));
        group.sample_size(10);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function("parse + model", |b| {
            let none = options(|_| false);
            b.iter(|| check(black_box(&text), &none))
        });
        group.bench_function("every rule", |b| b.iter(|| check(black_box(&text), &all)));
        for rule in RULES {
            let alone = options(|name| name == rule.name);
            group.bench_function(rule.name, |b| b.iter(|| check(black_box(&text), &alone)));
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);

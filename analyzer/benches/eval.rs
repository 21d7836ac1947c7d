//! Interpreter throughput: packets per second through a 1,000-rule ruleset with sets, from
//! `../shared/tools/gen-ruleset`, the way `nftlint eval --jsonl` runs a batch (the packet
//! descriptions are read before timing starts).

use std::hint::black_box;
use std::path::Path;

#[path = "../../benches/generated_ruleset.rs"]
mod generated;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use nftlint_analyzer::eval::{Interpreter, Packet, Path as PacketPath};
use nftlint_analyzer::{DiskLoader, Options};

const RULES: usize = 1000;

/// A mix of packets: new and established, TCP and UDP to the ports the ruleset names and to
/// others, IPv4 and IPv6, from a spread of addresses.
fn packets(text: &str) -> Vec<Packet> {
    let ports: Vec<&str> = text
        .split("dport ")
        .skip(1)
        .filter_map(|rest| rest.split_whitespace().next())
        .filter(|p| p.bytes().all(|b| b.is_ascii_digit()))
        .take(64)
        .collect();
    (0..1024)
        .map(|i| {
            let port = ports.get(i % (ports.len() + 8)).copied().unwrap_or("4242");
            let state = ["new", "established", "new", "new"][i % 4];
            let address = if i % 5 == 0 {
                format!("ip6 saddr 2001:db8:{:x}::{}", i % 97, i % 13 + 1)
            } else {
                format!(
                    "ip saddr {}.{}.{}.{}",
                    1 + i % 223,
                    (i * 7) % 256,
                    (i * 13) % 256,
                    1 + i % 250
                )
            };
            let transport = if i % 3 == 0 { "udp" } else { "tcp" };
            let spec = format!(
                "iifname eth{} {address} {transport} dport {port} ct state {state}",
                i % 3
            );
            Packet::parse(&spec, PacketPath::Input).expect("a valid packet")
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let text = generated::generated_ruleset(RULES);
    let packets = packets(&text);
    let mut interpreter = Interpreter::load(
        Path::new("bench.nft"),
        text,
        &Options::default(),
        &DiskLoader,
    );
    assert!(interpreter.errors().is_empty());
    let mut group = c.benchmark_group(format!("{RULES} rules"));
    group.throughput(Throughput::Elements(packets.len() as u64));
    group.bench_function("eval batch", |b| {
        b.iter(|| {
            for packet in &packets {
                black_box(interpreter.run(black_box(packet), PacketPath::Input, 0));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

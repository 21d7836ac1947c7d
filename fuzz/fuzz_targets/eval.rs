//! The interpreter: any ruleset, any packet description on any path; each packet runs twice,
//! through the state (limits, quotas) the first run left.
#![no_main]

use std::path::Path;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use nftlint_analyzer::Options;
use nftlint_analyzer::eval::{Interpreter, Packet};

mod no_files;

#[derive(Debug, Arbitrary)]
struct Case<'a> {
    ruleset: &'a str,
    specs: Vec<(&'a str, u8, u16)>,
}

const PATHS: [&str; 3] = ["input", "output", "forward"];

fuzz_target!(|case: Case| {
    let mut interpreter = Interpreter::load(
        Path::new("fuzz.nft"),
        case.ruleset.to_string(),
        &Options::default(),
        &no_files::NoFiles,
    );
    for (spec, path, time) in case.specs {
        let path = nftlint_analyzer::eval::Path::from_name(PATHS[usize::from(path) % 3])
            .expect("a path name");
        let Ok(packet) = Packet::parse(spec, path) else {
            continue;
        };
        for _ in 0..2 {
            interpreter.run(&packet, path, u64::from(time));
        }
    }
});

//! The semantic model and every lint: any text is checked without a panic or a hang, and every
//! finding points into the text, on character boundaries.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use nftlint_analyzer::Options;

mod no_files;

fuzz_target!(|text: &str| {
    let analysis = nftlint_analyzer::analyze(
        Path::new("fuzz.nft"),
        text.to_string(),
        &Options::default(),
        &no_files::NoFiles,
    );
    for diagnostic in analysis.diagnostics.iter().filter(|d| d.file.is_none()) {
        let range = &diagnostic.range;
        assert!(
            range.start <= range.end && range.end <= text.len(),
            "{diagnostic:?} lies outside the text"
        );
        assert!(
            text.is_char_boundary(range.start) && text.is_char_boundary(range.end),
            "{diagnostic:?} splits a character"
        );
    }
});

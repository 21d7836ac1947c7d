//! One fixture folder per rule: `fires.nft` must make the rule fire, `ok.nft` must not. Files
//! whose names start with `_` are only included by the others. The snapshots hold every
//! diagnostic of each fixture, whatever rule made it.

use std::fmt::Write;
use std::path::Path;

use nftlint_analyzer::{DiskLoader, LineIndex, Options, analyze};

fn render(path: &Path) -> (String, usize) {
    let rule = path
        .parent()
        .and_then(Path::file_name)
        .unwrap()
        .to_str()
        .unwrap();
    let dir = path.parent().unwrap().to_str().unwrap().to_string() + "/";
    let text = std::fs::read_to_string(path).unwrap();
    let analysis = analyze(path, text, &Options::default(), &DiskLoader);
    let place = |file: Option<&Path>, offset: usize| {
        let source = analysis.file(file);
        let at = LineIndex::new(&source.text).line_col(offset);
        format!("{}:{}:{}", source.path.display(), at.line, at.column)
    };
    let mut out = String::new();
    for d in &analysis.diagnostics {
        let here = place(d.file.as_deref(), d.range.start);
        writeln!(
            out,
            "{here}: {}[{} {}]: {}",
            d.severity.as_str(),
            d.code,
            d.name,
            d.message
        )
        .unwrap();
        if let Some(help) = &d.help {
            writeln!(out, "  help: {help}").unwrap();
        }
        for related in &d.related {
            writeln!(
                out,
                "  related {}: {}",
                place(related.file.as_deref(), related.range.start),
                related.message
            )
            .unwrap();
        }
    }
    let own = analysis
        .diagnostics
        .iter()
        .filter(|d| d.name == rule)
        .count();
    (out.replace(&dir, ""), own)
}

#[test]
fn each_rule_fires_on_its_fixture_and_not_on_the_valid_one() {
    insta::glob!("fixtures/*/*.nft", |path| {
        let file = path.file_name().unwrap().to_str().unwrap();
        if file.starts_with('_') {
            return;
        }
        let (out, own) = render(path);
        match file {
            "ok.nft" => assert_eq!(own, 0, "{} must not fire:\n{out}", path.display()),
            _ => assert!(own > 0, "{} must fire:\n{out}", path.display()),
        }
        insta::assert_snapshot!(out);
    });
}

//! Tree snapshots of fixtures that cover the grammar, and error snapshots of broken inputs.
//! Each snapshot holds the tree in `nftlint syntax` layout followed by the errors.

use std::fmt::Write;
use std::path::Path;

fn render(path: &Path) -> (String, usize) {
    let text = std::fs::read_to_string(path).unwrap();
    let parse = nftlint_syntax::parse(&text);
    assert_eq!(
        parse.syntax().to_string(),
        text,
        "{} must round-trip",
        path.display()
    );
    let mut out = parse.debug_tree();
    for e in parse.errors() {
        let line = text[..e.range.start].matches('\n').count() + 1;
        let col = e.range.start - text[..e.range.start].rfind('\n').map_or(0, |i| i + 1) + 1;
        writeln!(
            out,
            "error {line}:{col} ({}..{}): {}",
            e.range.start, e.range.end, e.message
        )
        .unwrap();
    }
    (out, parse.errors().len())
}

#[test]
fn valid_fixtures_parse_without_errors() {
    insta::glob!("fixtures/ok/*.nft", |path| {
        let (out, errors) = render(path);
        assert_eq!(errors, 0, "{}:\n{out}", path.display());
        insta::assert_snapshot!(out);
    });
}

#[test]
fn broken_fixtures_report_errors() {
    insta::glob!("fixtures/err/*.nft", |path| {
        let (out, errors) = render(path);
        assert!(errors > 0, "{} must report an error", path.display());
        insta::assert_snapshot!(out);
    });
}

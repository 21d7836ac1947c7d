//! Inputs that once made the parser take exponential time must end quickly, with an error.

/// Blocks that open like a set and like an object, nested without being closed: both readings
/// at every level took time exponential in the depth (a fuzzer's find) until the parser gave up
/// such files after a bounded number of attempts, with an error where it got furthest.
#[test]
fn ambiguous_nested_blocks_give_up_quickly() {
    // Ten times six brackets: within the nesting limit, and hours of work without the bound.
    let text = format!(
        "table inet{{ct expectation e{{# note\n{}\t\t\t\tip t@z\n",
        "\t\ta{b{c{\n\tset{\n\t\td{\"x\"y{\n".repeat(10)
    );
    let (done, finished) = std::sync::mpsc::channel();
    let parsing = text.clone();
    std::thread::spawn(move || {
        let parse = nftlint_syntax::parse(&parsing);
        let _ = done.send((parse.syntax().to_string(), parse.errors().to_vec()));
    });
    let (printed, errors) = finished
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("the parse ends within 30 s");
    assert_eq!(printed, text, "the tree does not print back the input");
    assert!(
        errors.iter().any(|e| e.message.contains("too ambiguous")),
        "{errors:?}"
    );
}

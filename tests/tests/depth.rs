//! Hostile nesting: 100,000 open brackets must give a syntax error, not a stack overflow. Each
//! input is parsed on a thread with a 2 MiB stack, the default for spawned threads, so that a
//! recursive parser, tree builder or tree drop would crash this test.

const DEPTH: usize = 100_000;

fn parse_on_small_stack(text: String) {
    let worker = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let parse = nftlint_syntax::parse(&text);
            assert!(
                !parse.errors().is_empty(),
                "no syntax error for {DEPTH} nested brackets"
            );
            assert!(
                parse.syntax().to_string() == text,
                "the tree does not print back the input"
            );
        });
    // Re-raise the worker's own assertion message.
    if let Err(panic) = worker.expect("spawn parser thread").join() {
        std::panic::resume_unwind(panic);
    }
}

#[test]
fn unclosed_braces() {
    parse_on_small_stack("{".repeat(DEPTH));
}

#[test]
fn unclosed_parens() {
    parse_on_small_stack("(".repeat(DEPTH));
}

#[test]
fn balanced_anonymous_sets_in_a_rule() {
    let (open, close) = ("{".repeat(DEPTH), "}".repeat(DEPTH));
    parse_on_small_stack(format!(
        "table ip t {{\n\tchain c {{\n\t\tip saddr {open}10.0.0.1{close} accept\n\t}}\n}}\n"
    ));
}

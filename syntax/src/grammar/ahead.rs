//! Parsing a long chain on two cores: a second thread parses the later part of the chain and
//! builds its tree while this one reads the file up to there, then takes both over.
//!
//! Nothing here decides what the tree is. The second thread assumes where it starts (directly in
//! a chain's items, at a nesting depth read off the brackets); the parser takes its events over
//! only when it reaches that token in a chain's item loop at that depth with the attempts to spare,
//! where it would have produced the same events itself, and the tree builder takes the elements
//! only when it stands at that raw token with no node pending. Anything else, and the file is
//! parsed as if the second thread had never run.

use std::ops::Range;
use std::sync::Arc;

use super::PTok;
use super::descent::{self, Meeting, Outcome};
use crate::SyntaxKind::*;
use crate::build::{Later, Raw, TreeBuilder};
use crate::shape::Event;

/// Blocks from this many significant tokens on (about 1,500 rules) are split over two threads.
pub(crate) const FROM_TOKENS: usize = 20_000;

/// Parses `tokens` into `events` as [`descent::parse`] does, with the later part of the longest
/// chain (if it has `from_tokens` tokens or more) parsed on another thread, then runs `rest` with
/// the outcome, the events and that thread's part of the tree, if the parse was valid and took its
/// events over (otherwise the events are replaced by the error-recovering grammar's): that thread
/// builds it meanwhile, and the tree builder waits for it only when it gets there.
pub(crate) fn parse<T>(
    raw: Raw,
    tokens: &[PTok],
    events: &mut Vec<Event>,
    from_tokens: usize,
    rest: impl FnOnce(Outcome, &mut Vec<Event>, Option<Later>) -> T,
) -> T {
    let Some((from, depth)) = split_point(tokens, from_tokens) else {
        let outcome = descent::parse(tokens, events);
        return rest(outcome, events, None);
    };
    std::thread::scope(|scope| {
        let (send, arrives) = std::sync::mpsc::sync_channel(1);
        let second = scope.spawn(move || {
            let ahead = descent::parse_ahead(tokens, from, depth).map(Arc::new);
            // The parser waits for the events where it meets them; the tree comes after.
            let _ = send.send(ahead.clone());
            // The raw token after the separator that ends the line before `from`.
            let start = raw.significant[from - 1] as usize + 1;
            let (elements, end) = TreeBuilder::new(raw).build_part(ahead?.events(), start);
            Some((elements, start..end))
        });
        let (outcome, taken) =
            descent::parse_meeting(tokens, events, Some(Meeting::new(from, arrives)));
        let later = match taken {
            Some((run, ahead))
                if outcome == Outcome::Valid && events.get(run.clone()) == Some(ahead.events()) =>
            {
                Some(Later {
                    events: run,
                    built: Box::new(move || {
                        second
                            .join()
                            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                    }),
                })
            }
            // The scope waits for the other thread, whose work goes unused.
            _ => None,
        };
        rest(outcome, events, later)
    })
}

/// Where a second thread starts: in the longest `{` block two levels deep (a chain in a table),
/// the first line from two fifths of it on that starts directly in it, and the depth; none when no
/// such block has `from_tokens` tokens. Two fifths, not half: this thread also lexes the file,
/// validates every event and reads what comes before and after the chain.
fn split_point(tokens: &[PTok], from_tokens: usize) -> Option<(usize, usize)> {
    const DEPTH: usize = 2;
    let mut depth = 0usize;
    let mut open = 0;
    let mut longest: Range<usize> = 0..0;
    for (i, t) in tokens.iter().enumerate() {
        match t.kind {
            L_CURLY | L_PAREN | L_BRACK => {
                depth += 1;
                if depth == DEPTH && t.kind == L_CURLY {
                    open = i;
                }
            }
            R_CURLY | R_PAREN | R_BRACK => {
                if depth == DEPTH && t.kind == R_CURLY && i - open > longest.len() {
                    longest = open..i;
                }
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
    }
    if longest.len() < from_tokens.max(2) {
        return None;
    }
    let middle = longest.start + longest.len() * 2 / 5;
    let mut inner = 0usize;
    for i in longest.start + 1..longest.end {
        match tokens[i].kind {
            L_CURLY | L_PAREN | L_BRACK => inner += 1,
            R_CURLY | R_PAREN | R_BRACK => inner = inner.saturating_sub(1),
            NEWLINE | SEMICOLON => {}
            _ if i >= middle && inner == 0 && matches!(tokens[i - 1].kind, NEWLINE | SEMICOLON) => {
                return Some((i, DEPTH));
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::{Scratch, parse_tokens};
    use crate::lexer;

    /// The tree (in the debug layout) and errors of `text`, parsing chains of `from_tokens` or
    /// more on two threads, and whether the other thread's part was taken.
    fn parse(text: &str, from_tokens: usize) -> (String, Vec<crate::SyntaxError>, bool) {
        let mut scratch = Scratch::default();
        lexer::lex_into(text, &mut scratch.tokens);
        let (green, errors, split) = parse_tokens(text, &mut scratch, from_tokens);
        let tree = crate::debug_tree(&crate::SyntaxNode::new_root(green));
        (tree, errors, split)
    }

    fn assert_same_as_one_thread(name: &str, text: &str) -> bool {
        let (tree, errors, split) = parse(text, 2);
        let (alone, alone_errors, _) = parse(text, usize::MAX);
        assert_eq!(tree, alone, "{name}: another tree on two threads");
        assert_eq!(errors, alone_errors, "{name}: other errors on two threads");
        split
    }

    /// A chain of every kind of line: comments above and beside rules, blank lines, `;`,
    /// sets over several lines, anonymous chains, rules ending at the `}`.
    fn long_chain(rules: usize) -> String {
        let mut text = String::from("table inet t {\n\tset s {\n\t\ttype ipv4_addr\n\t}\n\n");
        text.push_str("\tchain c {\n\t\ttype filter hook input priority 0; policy drop;\n");
        for i in 0..rules {
            match i % 7 {
                0 => text.push_str(&format!("\t\t# rule {i}\n\t\ttcp dport {i} accept\n")),
                1 => text.push_str(&format!(
                    "\t\tudp dport {{ {i},\n\t\t\t{} }} drop # why\n",
                    i + 1
                )),
                2 => text.push_str("\n\t\tct state established accept; counter\n"),
                3 => text.push_str("\t\tip saddr @s jump { counter; accept; }\n"),
                4 => text.push_str(&format!("\t\tmeta mark set {i}\n\n\n")),
                5 => text.push_str("\t\tiifname \"lo\" accept;;\n"),
                _ => text.push_str(&format!("\t\tip daddr 10.0.{}.0/24 reject\n", i % 256)),
            }
        }
        text.push_str("\t\tlog prefix \"end\"\n\t}\n\tchain d {\n\t\taccept\n\t}\n}\n");
        text
    }

    #[test]
    fn a_long_chain_is_split_and_builds_the_same_tree() {
        for rules in [7, 50, 301] {
            let text = long_chain(rules);
            assert!(
                assert_same_as_one_thread(&format!("{rules} rules"), &text),
                "{rules} rules: the second half was not taken over"
            );
        }
    }

    /// The second thread assumes; where the assumption is wrong, the file parses as on one
    /// thread: a long set two levels deep, a broken rule in either half, a missing `}`.
    #[test]
    fn wrong_guesses_change_nothing() {
        let elements: Vec<String> = (0..200).map(|i| format!("10.0.0.{i}")).collect();
        let set = format!(
            "table ip t {{\n\tset s {{\n\t\ttype ipv4_addr\n\t\telements = {{ {} }}\n{}\t}}\n}}\n",
            elements.join(", "),
            "\t\tcomment \"x\"\n".repeat(50)
        );
        assert!(!assert_same_as_one_thread("a long set", &set));
        let text = long_chain(100);
        let middle = text.len() / 2 + text[text.len() / 2..].find('\n').unwrap() + 1;
        for (name, broken) in [
            (
                "early",
                text.replacen("tcp dport 7 accept", "tcp dport accept accept", 1),
            ),
            (
                "late",
                format!("{}tcp tcp tcp\n{}", &text[..middle], &text[middle..]),
            ),
            (
                "unclosed",
                text.replace("\t\tlog prefix \"end\"\n\t}\n", ""),
            ),
        ] {
            assert!(
                !assert_same_as_one_thread(name, &broken),
                "{name}: a file with errors took the other thread's tree"
            );
        }
    }

    /// Every file of the corpus, each long block split, parses as on one thread.
    #[test]
    fn the_corpus_parses_the_same_on_two_threads() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut paths = Vec::new();
        super::super::tests::files_under(&root.join("../../shared/corpus"), &mut paths);
        super::super::tests::files_under(&root.join("tests/fixtures"), &mut paths);
        let mut split = 0;
        for path in &paths {
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            split += usize::from(assert_same_as_one_thread(
                &path.display().to_string(),
                &text,
            ));
        }
        assert!(split >= 100, "only {split} of {} files split", paths.len());
    }
}

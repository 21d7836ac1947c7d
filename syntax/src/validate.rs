//! Checks on the parsed shape for what nft rejects while reading a file but the grammar accepts
//! by shape: malformed IPv4 literals, empty strings, and `xt` statements.

use std::ops::Range;

use crate::SyntaxError;
use crate::SyntaxKind::*;
use crate::grammar::PTok;
use crate::shape::Event;

/// `range` gives the byte range of significant tokens `first..=last`.
pub(crate) fn validate(
    events: &[Event],
    tokens: &[PTok],
    range: &dyn Fn(u32, u32) -> Range<usize>,
) -> Vec<SyntaxError> {
    let mut errors = Vec::new();
    let mut parents = vec![SOURCE_FILE];
    let mut at = 0;
    while let Some(&event) = events.get(at) {
        at += 1;
        match event {
            Event::Start(XT_STMT) => {
                let end = at + node_len(&events[at..]);
                let mut inside = events[at..end].iter().filter_map(|e| match e {
                    Event::Tok(i) => Some(*i),
                    _ => None,
                });
                if let Some(first) = inside.next() {
                    let last = inside.next_back().unwrap_or(first);
                    errors.push(SyntaxError::custom(
                        range(first, last),
                        "unsupported xtables compat expression, use iptables-nft with this ruleset",
                        "xt".to_string(),
                    ));
                }
                // Past the node's own Finish.
                at = end + 1;
            }
            Event::Start(kind) => parents.push(kind),
            Event::Finish => {
                parents.pop();
            }
            Event::Tok(i) => {
                let token = tokens[i as usize];
                let parent = parents.last().copied().unwrap_or(SOURCE_FILE);
                match token.kind {
                    IPV4_ADDR
                        if token
                            .text
                            .split('.')
                            .any(|octet| octet.parse::<u8>().is_err()) =>
                    {
                        errors.push(SyntaxError::custom(
                            range(i, i),
                            format!(
                                "invalid IPv4 address {}: each part must be 0 to 255",
                                token.text
                            ),
                            "string".to_string(),
                        ));
                    }
                    QUOTED_STRING if token.text == "\"\"" && parent == LITERAL => {
                        errors.push(SyntaxError::custom(
                            range(i, i),
                            "Empty string is not allowed",
                            "quoted string".to_string(),
                        ))
                    }
                    _ => {}
                }
            }
        }
    }
    errors
}

/// How many events the node whose Start came just before `events` holds, up to its Finish.
fn node_len(events: &[Event]) -> usize {
    let mut depth = 0usize;
    for (i, event) in events.iter().enumerate() {
        match event {
            Event::Start(_) => depth += 1,
            Event::Finish if depth == 0 => return i,
            Event::Finish => depth -= 1,
            Event::Tok(_) => {}
        }
    }
    events.len()
}

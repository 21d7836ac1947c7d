//! The grammar over the significant tokens, and the driver that turns its output into a tree and
//! errors.
//!
//! Two parsers implement the grammar. The hand-written one in `descent` parses valid files, which
//! is nearly all of them, fast; when it gives up, the chumsky grammar (`file`, `stmt`, `expr` and
//! `prim`) parses the file again with `Rich` errors, which carry the expected-lists users read and
//! recover statement by statement. `descent`'s documentation says how the two are kept alike.

mod ahead;
mod descent;
mod expr;
mod file;
mod prim;
mod stmt;

use chumsky::error::{Rich, RichPattern};
use chumsky::prelude::*;
use rowan::GreenNode;
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::SyntaxError;
use crate::SyntaxKind::{self, *};
use crate::build::{Raw, TreeBuilder};
use crate::keyword::is_keyword;
use crate::lexer::{self, Token};
use crate::shape::{Event, Shape, flatten};

pub(crate) use prim::PTok;

/// Buffers a parse needs only while it runs, kept per thread from one parse to the next when
/// [`keep_buffers_between_parses`] asked it. A large file's run to megabytes, and handing them back
/// to the allocator each time has it return the pages to the kernel and fault them in again on
/// the next parse; a program that parses once would only hold them through its peak.
#[derive(Default)]
struct Scratch {
    tokens: Vec<Token>,
    offsets: Vec<usize>,
    significant: Vec<u32>,
    /// Empty between parses: the tokens borrow the text.
    ptoks: Vec<PTok<'static>>,
    events: Vec<Event>,
}

thread_local! {
    static SCRATCH: Cell<Option<Box<Scratch>>> = const { Cell::new(None) };
}

static KEEP_BUFFERS: AtomicBool = AtomicBool::new(false);

/// Has each thread keep its parse buffers for the next parse: for a program that parses the same
/// files again and again, as an editor's server does on every change.
pub fn keep_buffers_between_parses() {
    KEEP_BUFFERS.store(true, Ordering::Relaxed);
}

/// Lexes and parses `text`.
pub(crate) fn parse_text(text: &str) -> (GreenNode, Vec<SyntaxError>) {
    // Taken out while in use, so a parse that somehow starts inside another gets buffers of its own.
    let mut scratch = SCRATCH.take().unwrap_or_default();
    lexer::lex_into(text, &mut scratch.tokens);
    let (green, errors, _) = parse_tokens(text, &mut scratch, ahead::FROM_TOKENS);
    // The buffers run to many times the size of the text: past this size, not worth keeping.
    const KEEP_FOR_TEXT_UP_TO: usize = 1 << 20;
    if text.len() <= KEEP_FOR_TEXT_UP_TO && KEEP_BUFFERS.load(Ordering::Relaxed) {
        SCRATCH.set(Some(scratch));
    }
    (green, errors)
}

/// Parses the lexed `text`, parsing chains of `parse_ahead_from` tokens or more on two threads;
/// and whether another thread built part of the tree.
fn parse_tokens(
    text: &str,
    scratch: &mut Scratch,
    parse_ahead_from: usize,
) -> (GreenNode, Vec<SyntaxError>, bool) {
    let Scratch {
        tokens,
        offsets,
        significant,
        ptoks,
        events,
    } = scratch;
    let tokens = &tokens[..];
    offsets.clear();
    offsets.reserve(tokens.len() + 1);
    let mut at = 0usize;
    for t in tokens {
        offsets.push(at);
        at += t.len as usize;
    }
    offsets.push(at);

    significant.clear();
    significant.reserve(tokens.len());
    let mut ptoks: Vec<PTok> = recycle(std::mem::take(ptoks));
    ptoks.reserve(tokens.len());
    let mut errors = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if t.kind.is_trivia() {
            continue;
        }
        let range = offsets[i]..offsets[i + 1];
        let kind = match t.kind {
            CRLF => {
                if !errors
                    .iter()
                    .any(|e: &SyntaxError| e.found == CRLF.describe())
                {
                    errors.push(SyntaxError::custom(
                        range.clone(),
                        "syntax error, unexpected CRLF line terminators: nft accepts only Unix line endings",
                        CRLF.describe().to_string(),
                    ));
                }
                // Parse on as if it were a newline, so the rest of the file still gets checked.
                NEWLINE
            }
            kind => kind,
        };
        significant.push(i as u32);
        ptoks.push(PTok {
            kind,
            text: &text[range],
        });
    }

    let parsed_len = nesting_limit(&ptoks).unwrap_or(ptoks.len());
    if parsed_len < ptoks.len() {
        let raw = significant[parsed_len] as usize;
        errors.push(SyntaxError::custom(
            offsets[raw]..offsets[raw + 1],
            format!(
                "nesting too deep: more than {} levels of brackets",
                crate::MAX_NESTING
            ),
            describe_found(&ptoks[parsed_len]),
        ));
    }
    let input = &ptoks[..parsed_len];

    let raw = Raw {
        text,
        tokens,
        offsets,
        significant,
    };
    let (green, split) = ahead::parse(
        raw,
        input,
        events,
        parse_ahead_from,
        |outcome, events, later| {
            match outcome {
                descent::Outcome::Valid => {}
                descent::Outcome::GaveUp { furthest } => {
                    gave_up(raw, input, furthest, events, &mut errors)
                }
                descent::Outcome::Invalid => recover(raw, input, events, &mut errors),
            }
            let token_range = |first: u32, last: u32| {
                offsets[significant[first as usize] as usize]
                    ..offsets[significant[last as usize] as usize + 1]
            };
            errors.extend(crate::validate::validate(events, input, &token_range));
            TreeBuilder::new(raw).build(events, later)
        },
    );
    errors.sort_by_key(|e| e.range.start);
    scratch.ptoks = recycle(ptoks);
    (green, errors, split)
}

/// The hand-written parser gave up after too many alternatives. The error-recovering grammar
/// would take as long: the file is one error node, with one error where the parser got furthest.
fn gave_up(
    raw: Raw,
    input: &[PTok],
    furthest: usize,
    events: &mut Vec<Event>,
    errors: &mut Vec<SyntaxError>,
) {
    // Giving up takes thousands of attempts, so there are tokens; `furthest` is one of them.
    let furthest = furthest.min(input.len().saturating_sub(1));
    let at = raw.significant.get(furthest).map_or(0, |&raw| raw as usize);
    errors.push(SyntaxError::custom(
        raw.offsets[at]..raw.offsets[(at + 1).min(raw.tokens.len())],
        "syntax error: nested blocks too ambiguous to read; nftlint stopped here",
        input.get(furthest).map_or_else(String::new, describe_found),
    ));
    events.clear();
    let all = (0..input.len() as u32).map(Shape::Tok).collect();
    flatten(&[Shape::Node(ERROR, all)], events);
}

/// The file has errors: the chumsky grammar parses it again, for its messages and its recovery.
fn recover(raw: Raw, input: &[PTok], events: &mut Vec<Event>, errors: &mut Vec<SyntaxError>) {
    let (shape, errs) = file::source_file::<extra::Err<Rich<PTok>>>()
        .parse(input)
        .into_output_errors();
    let Raw {
        tokens,
        offsets,
        significant,
        ..
    } = raw;
    let parsed_len = input.len();
    let eof = offsets[significant
        .get(parsed_len)
        .map_or(tokens.len(), |&r| r as usize)];
    let byte_range = |span: SimpleSpan| {
        if span.start >= parsed_len {
            return eof..eof;
        }
        let first = significant[span.start] as usize;
        let last = significant[span.end.clamp(span.start + 1, parsed_len) - 1] as usize;
        offsets[first]..offsets[last + 1]
    };
    errors.extend(
        errs.iter()
            .map(|e| rich_to_syntax_error(e, byte_range(*e.span()))),
    );
    events.clear();
    flatten(&shape.unwrap_or_default(), events);
}

/// An empty vector of another element type of the same layout, in the allocation of `v` (which
/// the standard library reuses when collecting from `v`'s own iterator).
fn recycle<T, U>(mut v: Vec<T>) -> Vec<U> {
    v.clear();
    v.into_iter().filter_map(|_| None).collect()
}

/// The index of the first token that opens one bracket too many, if any.
fn nesting_limit(tokens: &[PTok]) -> Option<usize> {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate() {
        match t.kind {
            L_CURLY | L_PAREN | L_BRACK => {
                depth += 1;
                if depth > crate::MAX_NESTING {
                    return Some(i);
                }
            }
            R_CURLY | R_PAREN | R_BRACK => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn rich_to_syntax_error(err: &Rich<PTok>, range: std::ops::Range<usize>) -> SyntaxError {
    let found = err
        .found()
        .map_or_else(|| "end of file".to_string(), |t| describe_found(t));
    let expected = err
        .expected()
        .filter_map(|pattern| match pattern {
            RichPattern::Token(t) => Some(describe_expected(t)),
            RichPattern::Label(l) => Some(l.to_string()),
            RichPattern::EndOfInput => Some("end of file".to_string()),
            _ => None,
        })
        .collect();
    if let chumsky::error::RichReason::Custom(message) = err.reason() {
        return SyntaxError::custom(range, message.to_string(), found);
    }
    SyntaxError::unexpected(range, found, expected)
}

/// How nft names a token it did not expect: keywords by their word, other words as `string`.
fn describe_found(t: &PTok) -> String {
    match t.kind {
        WORD if is_keyword(t.text) => t.text.to_string(),
        kind => kind.describe().to_string(),
    }
}

fn describe_expected(t: &PTok) -> String {
    match t.kind {
        WORD if !t.text.is_empty() => t.text.to_string(),
        kind => kind.describe().to_string(),
    }
}

impl SyntaxKind {
    fn node(self, children: Vec<Shape>) -> Vec<Shape> {
        vec![Shape::Node(self, children)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::any;
    use proptest::prelude::*;
    use std::path::{Path, PathBuf};
    use std::sync::LazyLock;

    fn significant(text: &str) -> Vec<PTok<'_>> {
        let mut at = 0;
        crate::lex(text)
            .iter()
            .filter_map(|t| {
                let start = at;
                at += t.len as usize;
                let kind = if t.kind == CRLF { NEWLINE } else { t.kind };
                (!t.kind.is_trivia()).then(|| PTok {
                    kind,
                    text: &text[start..at],
                })
            })
            .collect()
    }

    fn fast_events(tokens: &[PTok]) -> Option<Vec<Event>> {
        let mut events = Vec::new();
        (descent::parse(tokens, &mut events) == descent::Outcome::Valid).then_some(events)
    }

    /// The events of the chumsky grammar when it finds no error.
    fn chumsky_events(tokens: &[PTok]) -> Option<Vec<Event>> {
        let (shape, errors) = file::source_file::<extra::Err<Rich<PTok>>>()
            .parse(tokens)
            .into_output_errors();
        let shape = shape.filter(|_| errors.is_empty())?;
        let mut events = Vec::new();
        flatten(&shape, &mut events);
        Some(events)
    }

    /// The contract between the two parsers, on `tokens`: whatever the hand-written parser
    /// accepts, chumsky accepts without errors and with the same tree. With `all_valid`, also the
    /// other way round: the hand-written parser accepts everything chumsky accepts.
    fn check_agreement(tokens: &[PTok], all_valid: bool, name: &str) -> bool {
        let fast = fast_events(tokens);
        let full = chumsky_events(tokens);
        match (&fast, &full) {
            (Some(fast), Some(full)) => assert!(fast == full, "the parsers disagree on {name}"),
            (Some(_), None) => panic!("the hand-written parser accepts {name}, chumsky does not"),
            (None, Some(_)) => assert!(
                !all_valid,
                "the hand-written parser gives up on {name}, which chumsky accepts"
            ),
            (None, None) => {}
        }
        full.is_some()
    }

    pub(super) fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                files_under(&path, out);
            } else if !path.ends_with("README.md") && !path.ends_with("MANIFEST.tsv") {
                out.push(path);
            }
        }
    }

    /// upstream's rule-line tests that nft accepts (`RULE;ok`), each in a chain of its own.
    fn py_test_rules(dir: &Path) -> Vec<String> {
        let mut files = Vec::new();
        files_under(dir, &mut files);
        files
            .iter()
            .filter(|path| path.extension().is_some_and(|e| e == "t"))
            .filter_map(|path| std::fs::read_to_string(path).ok())
            .flat_map(|text| {
                text.lines()
                    .filter(|line| !line.starts_with(['*', ':', '!', '?', '%', '#', '-']))
                    .filter_map(|line| {
                        let mut fields = line.split(';');
                        let rule = fields.next()?.trim();
                        (fields.next() == Some("ok") && !rule.is_empty())
                            .then(|| format!("table ip t {{\n\tchain c {{\n\t\t{rule}\n\t}}\n}}\n"))
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    /// On valid input the hand-written parser must build exactly the events chumsky builds, and
    /// give up on nothing chumsky accepts: checked on the fixtures and, when it is beside the
    /// repository, on the corpus (whose own tests fail loudly when it is missing).
    #[test]
    fn both_parsers_agree_on_valid_files() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let corpus = root.join("../../shared/corpus");
        let mut paths = Vec::new();
        for dir in ["upstream/shell-dumps", "upstream/examples", "real-world"] {
            files_under(&corpus.join(dir), &mut paths);
        }
        let mut texts: Vec<(String, String)> = paths
            .iter()
            .filter_map(|path| {
                Some((
                    path.display().to_string(),
                    std::fs::read_to_string(path).ok()?,
                ))
            })
            .collect();
        texts.extend(
            py_test_rules(&corpus.join("upstream/py-tests"))
                .into_iter()
                .map(|text| (format!("py-tests rule {text:?}"), text)),
        );
        let mut fixtures = Vec::new();
        files_under(&root.join("tests/fixtures/ok"), &mut fixtures);
        assert!(!fixtures.is_empty(), "no fixtures");
        for path in fixtures {
            let text = std::fs::read_to_string(&path).unwrap();
            let tokens = significant(&text);
            assert!(
                fast_events(&tokens).is_some(),
                "the fixture {} does not parse",
                path.display()
            );
            texts.push((path.display().to_string(), text));
        }
        let valid = texts
            .iter()
            .filter(|(name, text)| check_agreement(&significant(text), true, name))
            .count();
        assert!(valid >= 9, "only {valid} valid files checked");
    }

    /// Every distinct significant token of the fixtures, and the fixtures as token lists.
    static FIXTURE_TOKENS: LazyLock<(Vec<PTok<'static>>, Vec<Vec<PTok<'static>>>)> =
        LazyLock::new(|| {
            let mut files = Vec::new();
            files_under(
                &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ok"),
                &mut files,
            );
            files.sort();
            let files: Vec<Vec<PTok<'static>>> = files
                .iter()
                .map(|path| {
                    let text: &'static str = String::leak(std::fs::read_to_string(path).unwrap());
                    significant(text)
                })
                .collect();
            let mut vocabulary: Vec<PTok<'static>> = Vec::new();
            for t in files.iter().flatten() {
                if !vocabulary
                    .iter()
                    .any(|v| v.kind == t.kind && v.text == t.text)
                {
                    vocabulary.push(*t);
                }
            }
            (vocabulary, files)
        });

    /// One edit of a token list: delete, duplicate or replace the token at an index, or insert a
    /// token of the vocabulary before it.
    #[derive(Debug, Clone)]
    enum Edit {
        Delete(prop::sample::Index),
        Duplicate(prop::sample::Index),
        Replace(prop::sample::Index, prop::sample::Index),
        Insert(prop::sample::Index, prop::sample::Index),
    }

    fn edit() -> impl Strategy<Value = Edit> {
        use prop::sample::Index;
        prop_oneof![
            any::<Index>().prop_map(Edit::Delete),
            any::<Index>().prop_map(Edit::Duplicate),
            (any::<Index>(), any::<Index>()).prop_map(|(at, with)| Edit::Replace(at, with)),
            (any::<Index>(), any::<Index>()).prop_map(|(at, with)| Edit::Insert(at, with)),
        ]
    }

    fn apply(tokens: &mut Vec<PTok<'static>>, edit: &Edit, vocabulary: &[PTok<'static>]) {
        if tokens.is_empty() {
            return;
        }
        match edit {
            Edit::Delete(at) => {
                tokens.remove(at.index(tokens.len()));
            }
            Edit::Duplicate(at) => {
                let at = at.index(tokens.len());
                tokens.insert(at, tokens[at]);
            }
            Edit::Replace(at, with) => {
                let at = at.index(tokens.len());
                tokens[at] = *with.get(vocabulary);
            }
            Edit::Insert(at, with) => tokens.insert(at.index(tokens.len()), *with.get(vocabulary)),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// Whatever the hand-written parser accepts of a mutated fixture, chumsky accepts alike.
        #[test]
        fn mutated_fixtures_parse_alike(
            file in any::<prop::sample::Index>(),
            edits in prop::collection::vec(edit(), 1..4),
        ) {
            let (vocabulary, files) = &*FIXTURE_TOKENS;
            let mut tokens = file.get(files).clone();
            for edit in &edits {
                apply(&mut tokens, edit, vocabulary);
            }
            check_agreement(&tokens, false, "a mutated fixture");
        }

        /// Whatever the hand-written parser accepts of random tokens, chumsky accepts alike.
        #[test]
        fn token_soup_parses_alike(
            soup in prop::collection::vec(any::<prop::sample::Index>(), 0..40),
        ) {
            let (vocabulary, _) = &*FIXTURE_TOKENS;
            let tokens: Vec<PTok> = soup.iter().map(|i| *i.get(vocabulary)).collect();
            check_agreement(&tokens, false, "token soup");
        }
    }

    /// Recursion without brackets (tunnel headers, `jhash` arguments) and brackets past the limit
    /// make the hand-written parser give up, on a small stack, rather than recurse on.
    #[test]
    fn deep_recursion_gives_up() {
        let rules = [
            "vxlan ".repeat(100_000) + "ip saddr 1",
            "ip saddr ".to_string() + &"(".repeat(100_000),
            "ip saddr ".to_string() + &"{".repeat(100_000),
            "mark set ".to_string() + &"jhash ".repeat(100_000),
        ];
        for rule in rules {
            let worker = std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || {
                    let text = format!("table ip t {{\nchain c {{\n{rule}\n}}\n}}\n");
                    assert!(fast_events(&significant(&text)).is_none());
                })
                .unwrap();
            worker.join().unwrap();
        }
    }
}

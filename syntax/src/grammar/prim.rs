//! Grammar primitives: token matchers, sequencing and the statement-level recovery.

use std::fmt;

use chumsky::DefaultExpected;
use chumsky::error::LabelError;
use chumsky::extra::ParserExtra;
use chumsky::input::InputRef;
use chumsky::prelude::*;
use chumsky::util::MaybeRef;

use crate::SyntaxKind::{self, *};
use crate::shape::Shape;

/// A significant token as the grammar sees it. CRLF arrives as NEWLINE.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PTok<'a> {
    pub(crate) kind: SyntaxKind,
    pub(crate) text: &'a str,
}

impl PartialEq for PTok<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind && (self.kind != WORD || self.text == other.text)
    }
}

impl fmt::Display for PTok<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&super::describe_expected(self))
    }
}

pub(crate) type In<'a> = &'a [PTok<'a>];
pub(crate) type Out = Vec<Shape>;
pub(crate) type P<'a, E> = Boxed<'a, 'a, In<'a>, Out, E>;

/// What the chumsky grammar runs with: `Rich` errors, named once here for every rule's signature.
pub(crate) trait Ex<'a>:
    ParserExtra<
        'a,
        In<'a>,
        Error: LabelError<'a, In<'a>, DefaultExpected<'a, PTok<'a>>>,
        State = (),
        Context = (),
    > + 'a
{
}

impl<'a, E> Ex<'a> for E where
    E: ParserExtra<
            'a,
            In<'a>,
            Error: LabelError<'a, In<'a>, DefaultExpected<'a, PTok<'a>>>,
            State = (),
            Context = (),
        > + 'a
{
}

/// One token that satisfies `pred`; on failure, `expected` is what the error message lists.
pub(crate) fn tok_if<'a, E: Ex<'a>>(
    expected: Vec<PTok<'static>>,
    pred: impl Fn(&PTok<'a>) -> bool + 'a,
) -> P<'a, E> {
    custom(move |inp: &mut InputRef<'a, '_, In<'a>, E>| {
        let before = inp.cursor();
        let checkpoint = inp.save();
        match inp.next() {
            Some(t) if pred(&t) => Ok(vec![Shape::Tok(inp.span_since(&before).start as u32)]),
            found => {
                let span = inp.span_since(&before);
                inp.rewind(checkpoint);
                Err(LabelError::expected_found(
                    expected
                        .iter()
                        .map(|t| DefaultExpected::Token(MaybeRef::Val(*t))),
                    found.map(MaybeRef::Val),
                    span,
                ))
            }
        }
    })
    .boxed()
}

pub(crate) fn tok<'a, E: Ex<'a>>(kind: SyntaxKind) -> P<'a, E> {
    tok_if(vec![PTok { kind, text: "" }], move |t| t.kind == kind)
}

pub(crate) fn toks<'a, E: Ex<'a>>(kinds: &'static [SyntaxKind]) -> P<'a, E> {
    tok_if(
        kinds.iter().map(|&kind| PTok { kind, text: "" }).collect(),
        move |t| kinds.contains(&t.kind),
    )
}

/// A word with this exact text.
pub(crate) fn kw<'a, E: Ex<'a>>(word: &'static str) -> P<'a, E> {
    tok_if(
        vec![PTok {
            kind: WORD,
            text: word,
        }],
        move |t| t.kind == WORD && t.text == word,
    )
}

/// A word out of `words`.
pub(crate) fn kws<'a, E: Ex<'a>>(words: &'static [&'static str]) -> P<'a, E> {
    tok_if(
        words
            .iter()
            .map(|&text| PTok { kind: WORD, text })
            .collect(),
        move |t| t.kind == WORD && words.contains(&t.text),
    )
}

/// Any word.
pub(crate) fn word<'a, E: Ex<'a>>() -> P<'a, E> {
    tok(WORD)
}

pub(crate) fn node<'a, E: Ex<'a>>(kind: SyntaxKind, p: P<'a, E>) -> P<'a, E> {
    p.map(move |children| vec![Shape::Node(kind, children)])
        .boxed()
}

pub(crate) fn sequence<'a, E: Ex<'a>>(parts: Vec<P<'a, E>>) -> P<'a, E> {
    parts
        .into_iter()
        .reduce(|a, b| {
            a.then(b)
                .map(|(mut x, y)| {
                    x.extend(y);
                    x
                })
                .boxed()
        })
        .expect("a sequence has parts")
}

macro_rules! seq {
    ($($p:expr),+ $(,)?) => { $crate::grammar::prim::sequence(vec![$($p),+]) };
}
pub(crate) use seq;

pub(crate) fn opt<'a, E: Ex<'a>>(p: P<'a, E>) -> P<'a, E> {
    p.or_not().map(Option::unwrap_or_default).boxed()
}

pub(crate) fn many<'a, E: Ex<'a>>(p: P<'a, E>) -> P<'a, E> {
    p.repeated().collect::<Flat>().map(|f| f.0).boxed()
}

pub(crate) fn some<'a, E: Ex<'a>>(p: P<'a, E>) -> P<'a, E> {
    p.repeated()
        .at_least(1)
        .collect::<Flat>()
        .map(|f| f.0)
        .boxed()
}

pub(crate) fn alt<'a, E: Ex<'a>>(ps: Vec<P<'a, E>>) -> P<'a, E> {
    choice(ps).boxed()
}

/// Matches without consuming.
pub(crate) fn peek<'a, E: Ex<'a>>(p: P<'a, E>) -> P<'a, E> {
    p.rewind().map(|_| Vec::new()).boxed()
}

struct Flat(Vec<Shape>);

impl FromIterator<Vec<Shape>> for Flat {
    fn from_iter<T: IntoIterator<Item = Vec<Shape>>>(iter: T) -> Self {
        let mut out = Vec::new();
        for part in iter {
            out.extend(part);
        }
        Flat(out)
    }
}

/// A statement separator: newline or `;`.
pub(crate) fn sep<'a, E: Ex<'a>>() -> P<'a, E> {
    toks(&[NEWLINE, SEMICOLON])
}

pub(crate) fn newline_opt<'a, E: Ex<'a>>() -> P<'a, E> {
    opt(tok(NEWLINE))
}

/// The separator that must end a block item. When it is missing right before a `}` (the classic
/// `accept }`), the error is reported and the item is kept.
pub(crate) fn item_end<'a, E: Ex<'a>>() -> P<'a, E> {
    sep().recover_with(via_parser(peek(tok(R_CURLY)))).boxed()
}

/// A closing `}`; at the end of the file a missing one is reported and the block kept.
pub(crate) fn r_curly<'a, E: Ex<'a>>() -> P<'a, E> {
    tok(R_CURLY)
        .recover_with(via_parser(end().map(|_| Vec::new())))
        .boxed()
}

/// `{ (item SEP)* }`: every item ends with a separator, including the last before `}`. A broken
/// item, or one followed by junk, becomes one ERROR node up to the next separator.
pub(crate) fn block<'a, E: Ex<'a>>(item: P<'a, E>) -> P<'a, E> {
    let item = seq![item, item_end()]
        .recover_with(via_parser(skip_statement(false)))
        .boxed();
    seq![tok(L_CURLY), many(alt(vec![sep(), item])), r_curly()]
}

/// Recovery for a broken statement: everything up to the next separator or closing `}` outside
/// brackets becomes one ERROR node. At file level a stray `}` is swallowed too.
pub(crate) fn skip_statement<'a, E: Ex<'a>>(top_level: bool) -> P<'a, E> {
    custom(move |inp: &mut InputRef<'a, '_, In<'a>, E>| {
        let mut depth = 0usize;
        let mut taken = Vec::new();
        loop {
            let before = inp.cursor();
            let checkpoint = inp.save();
            let Some(t) = inp.next() else { break };
            let at = inp.span_since(&before).start as u32;
            match t.kind {
                NEWLINE | SEMICOLON if depth == 0 => {
                    inp.rewind(checkpoint);
                    break;
                }
                R_CURLY if depth == 0 => {
                    if top_level && taken.is_empty() {
                        taken.push(Shape::Tok(at));
                    } else {
                        inp.rewind(checkpoint);
                    }
                    break;
                }
                L_CURLY | L_PAREN | L_BRACK => depth += 1,
                R_CURLY | R_PAREN | R_BRACK => depth = depth.saturating_sub(1),
                _ => {}
            }
            taken.push(Shape::Tok(at));
        }
        if taken.is_empty() {
            let span = inp.span_since(&inp.cursor());
            return Err(LabelError::expected_found(
                [DefaultExpected::SomethingElse],
                None,
                span,
            ));
        }
        Ok(vec![Shape::Node(ERROR, taken)])
    })
    .boxed()
}

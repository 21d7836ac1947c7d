//! A hand-written recursive-descent parser for the same grammar as the chumsky one beside it.
//!
//! Why two implementations: nearly every file a user lints is valid, and for those only the shape
//! matters. This parser finds it without the combinator machinery: no boxed closures, no output
//! vectors per rule, no failed probes that allocate. It gives up at the first thing it cannot
//! parse cleanly, and the caller then runs the chumsky grammar with `Rich` errors, which words the
//! messages, lists what nft expected and recovers statement by statement. So this parser decides
//! nothing about invalid input: it only has to agree with chumsky where chumsky finds no error.
//!
//! How the two are held together: each function here mirrors a chumsky rule (mostly of the same
//! name), with the same alternatives in the same order (PEG semantics: the first alternative that
//! matches wins, and a sequence never goes back into a finished part). Where chumsky's
//! alternatives start with different words, this parser picks one by the next token instead of
//! trying each (`statement`, `selector`, `constant`, `object_block`), which is the same choice as
//! long as no other alternative can start with that token. Where chumsky would recover from an
//! error, this parser stops ([`Stop::Bail`]) instead of trying another alternative. The tests in
//! `grammar/mod.rs` check on every valid file of the corpus that both build the same events, and
//! on mutated input that whatever this parser accepts chumsky accepts without errors, alike. A
//! change to either grammar needs the same change in the other.

mod expr;
mod file;
mod stmt;

use std::ops::Range;
use std::sync::Arc;
use std::sync::mpsc::Receiver;

use super::PTok;
use crate::SyntaxKind::{self, *};
use crate::shape::Event;

/// Why a rule did not match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// This alternative does not match here; the caller may try the next one. The rule may have
    /// taken tokens and pushed events before it missed: [`Parser::attempt`] puts them back, and
    /// every caller that goes on after a miss goes through it.
    Miss,
    /// chumsky would report an error and recover here: the input is not valid, give up on it.
    Bail,
}

type R = Result<(), Stop>;

/// A tail that may follow a finished rule, and the kind of node the two then form.
type Tail<'f, P> = (SyntaxKind, &'f dyn Fn(&mut P) -> R);

/// Whether `tokens` form a valid file; if so, `events` holds their events. If not, the chumsky
/// grammar should parse them to report the errors (this parser also gives up where nesting runs
/// deeper than it goes).
/// How the hand-written parser ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Valid,
    /// An error: the error-recovering grammar reads the file again for its messages.
    Invalid,
    /// Too many alternatives tried; the furthest token it reached.
    GaveUp {
        furthest: usize,
    },
}

pub(crate) fn parse(tokens: &[PTok], events: &mut Vec<Event>) -> Outcome {
    parse_meeting(tokens, events, None).0
}

/// [`parse`], taking over the items another thread parsed ahead (see [`parse_ahead`]) when it
/// reaches them in their chain; which events came from there and what it took, if it did.
pub(crate) fn parse_meeting(
    tokens: &[PTok],
    events: &mut Vec<Event>,
    ahead: Option<Meeting>,
) -> (Outcome, Option<Taken>) {
    events.clear();
    events.reserve(tokens.len() * 4);
    let mut p = Parser::new(tokens, 0, 0, std::mem::take(events), ahead);
    let outcome = match p.source_file() {
        Ok(()) => Outcome::Valid,
        Err(_) if p.attempts_left == 0 => Outcome::GaveUp {
            furthest: p.furthest,
        },
        Err(_) => Outcome::Invalid,
    };
    *events = p.events;
    let taken = p
        .ahead
        .and_then(|meeting| Some((meeting.taken?, meeting.arrived??)));
    (outcome, taken)
}

fn budget(tokens: &[PTok]) -> usize {
    ATTEMPTS_PER_TOKEN
        .saturating_mul(tokens.len())
        .max(MIN_ATTEMPTS)
}

/// The events taken over from items parsed ahead, and those items.
pub(crate) type Taken = (Range<usize>, Arc<Ahead>);

/// The items of a chain from one of its tokens up to its closing `}`, parsed on another thread
/// while the main parser reads the file up to there.
pub(crate) struct Ahead {
    /// The nesting depth it was parsed at, which the main parser must be at too.
    depth: usize,
    events: Vec<Event>,
    /// The closing `}`.
    end: usize,
    attempts: usize,
    furthest: usize,
}

impl Ahead {
    pub(crate) fn events(&self) -> &[Event] {
        &self.events
    }
}

/// Parses chain items from token `from` up to the `}` that closes their chain, as the parser would
/// at nesting depth `depth`. `None` when they do not parse or no `}` ends them; the main parser
/// then reads them itself and finds whatever it finds.
pub(crate) fn parse_ahead(tokens: &[PTok], from: usize, depth: usize) -> Option<Ahead> {
    let mut p = Parser::new(tokens, from, depth, Vec::new(), None);
    let budget = p.attempts_left;
    p.items(Parser::chain_item).ok()?;
    p.at(R_CURLY).then(|| Ahead {
        depth,
        end: p.pos,
        attempts: budget - p.attempts_left,
        furthest: p.furthest,
        events: p.events,
    })
}

/// Where the main parser meets the items parsed ahead: their first token, and the channel they
/// arrive on.
pub(crate) struct Meeting {
    from: usize,
    arrives: Receiver<Option<Arc<Ahead>>>,
    arrived: Option<Option<Arc<Ahead>>>,
    /// The events it took over, the last time it did.
    taken: Option<Range<usize>>,
}

impl Meeting {
    pub(crate) fn new(from: usize, arrives: Receiver<Option<Arc<Ahead>>>) -> Self {
        Meeting {
            from,
            arrives,
            arrived: None,
            taken: None,
        }
    }
}

/// Alternatives the parser may try per token before it gives up. Real files need about six; a
/// file of nested blocks that each open like a set and like an object would have it try both at
/// every level, in time exponential in the depth (and the error-recovering grammar too).
const ATTEMPTS_PER_TOKEN: usize = 64;
const MIN_ATTEMPTS: usize = 4096;

struct Parser<'t, 'a> {
    tokens: &'t [PTok<'a>],
    /// The next significant token.
    pos: usize,
    events: Vec<Event>,
    /// Rules entered recursively (blocks, sets, parentheses, tunnel headers), for the bound.
    depth: usize,
    /// Alternatives it may still try.
    attempts_left: usize,
    /// The furthest token it took.
    furthest: usize,
    /// Chain items parsed ahead on another thread, for it to take over.
    ahead: Option<Meeting>,
}

/// `first_of!(p, a, b, ...)`: the first alternative that matches, each tried from the same place.
macro_rules! first_of {
    ($p:expr, $($alt:expr),+ $(,)?) => {{
        let p = $p;
        let mut result = Err(Stop::Miss);
        $(
            if result == Err(Stop::Miss) {
                result = p.attempt($alt);
            }
        )+
        result
    }};
}
use first_of;

impl<'t, 'a> Parser<'t, 'a> {
    /// A parser at token `pos` and nesting depth `depth`, with the whole file's budget.
    fn new(
        tokens: &'t [PTok<'a>],
        pos: usize,
        depth: usize,
        events: Vec<Event>,
        ahead: Option<Meeting>,
    ) -> Self {
        Parser {
            tokens,
            pos,
            events,
            depth,
            attempts_left: budget(tokens),
            furthest: pos,
            ahead,
        }
    }

    fn peek(&self) -> Option<PTok<'a>> {
        self.tokens.get(self.pos).copied()
    }

    fn nth(&self, n: usize) -> Option<PTok<'a>> {
        self.tokens.get(self.pos + n).copied()
    }

    fn at(&self, kind: SyntaxKind) -> bool {
        self.peek().is_some_and(|t| t.kind == kind)
    }

    /// The text of the next token if it is a word.
    fn word_text(&self) -> Option<&'a str> {
        self.peek().filter(|t| t.kind == WORD).map(|t| t.text)
    }

    fn at_kw(&self, word: &str) -> bool {
        self.word_text() == Some(word)
    }

    fn bump(&mut self) {
        self.events.push(Event::Tok(self.pos as u32));
        self.furthest = self.furthest.max(self.pos);
        self.pos += 1;
    }

    /// Takes the next token if `pred` holds for it.
    fn tok_if(&mut self, pred: impl FnOnce(&PTok) -> bool) -> R {
        match self.peek() {
            Some(t) if pred(&t) => {
                self.bump();
                Ok(())
            }
            _ => Err(Stop::Miss),
        }
    }

    fn tok(&mut self, kind: SyntaxKind) -> R {
        self.tok_if(|t| t.kind == kind)
    }

    fn toks(&mut self, kinds: &[SyntaxKind]) -> R {
        self.tok_if(|t| kinds.contains(&t.kind))
    }

    fn word(&mut self) -> R {
        self.tok(WORD)
    }

    fn kw(&mut self, word: &str) -> R {
        self.tok_if(|t| t.kind == WORD && t.text == word)
    }

    fn kws(&mut self, words: &[&str]) -> R {
        self.tok_if(|t| t.kind == WORD && words.contains(&t.text))
    }

    /// Runs `f`; when it misses, puts the input and the events back as they were.
    fn attempt(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        if self.attempts_left == 0 {
            return Err(Stop::Bail);
        }
        self.attempts_left -= 1;
        let (pos, len) = (self.pos, self.events.len());
        let result = f(self);
        if result == Err(Stop::Miss) {
            self.pos = pos;
            self.events.truncate(len);
        }
        result
    }

    fn opt(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        match self.attempt(f) {
            Err(Stop::Miss) => Ok(()),
            result => result,
        }
    }

    fn many(&mut self, mut f: impl FnMut(&mut Self) -> R) -> R {
        loop {
            match self.attempt(&mut f) {
                Ok(()) => {}
                Err(Stop::Miss) => return Ok(()),
                Err(Stop::Bail) => return Err(Stop::Bail),
            }
        }
    }

    fn some(&mut self, mut f: impl FnMut(&mut Self) -> R) -> R {
        f(self)?;
        self.many(f)
    }

    fn node(&mut self, kind: SyntaxKind, f: impl FnOnce(&mut Self) -> R) -> R {
        self.events.push(Event::Start(kind));
        f(self)?;
        self.events.push(Event::Finish);
        Ok(())
    }

    /// Wraps the events from `mark` on in a node of `kind`: what chumsky's `wrap` does to the
    /// output of a finished rule when a tail follows it.
    fn wrap(&mut self, mark: usize, kind: SyntaxKind) {
        self.events.insert(mark, Event::Start(kind));
        self.events.push(Event::Finish);
    }

    /// After the rule parsed from `mark` on, the first of `tails` that matches; it and the rule
    /// then form a node of its kind. Whether one matched.
    fn postfix(&mut self, mark: usize, tails: &[Tail<Self>]) -> Result<bool, Stop> {
        for (kind, tail) in tails {
            match self.attempt(tail) {
                Ok(()) => {
                    self.wrap(mark, *kind);
                    return Ok(true);
                }
                Err(Stop::Miss) => {}
                Err(Stop::Bail) => return Err(Stop::Bail),
            }
        }
        Ok(false)
    }

    /// `item (SEP item)*`, in a node of `kind` when there is more than one item.
    fn separated(
        &mut self,
        kind: SyntaxKind,
        separator: SyntaxKind,
        item: fn(&mut Self) -> R,
    ) -> R {
        let mark = self.events.len();
        item(self)?;
        let mut more = false;
        self.many(|p| {
            p.tok(separator)?;
            item(p)?;
            more = true;
            Ok(())
        })?;
        if more {
            self.wrap(mark, kind);
        }
        Ok(())
    }

    /// Runs a rule that can recur, giving up beyond [`crate::MAX_NESTING`] levels.
    fn nested(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        if self.depth >= crate::MAX_NESTING {
            return Err(Stop::Bail);
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        result
    }

    /// A statement separator: newline or `;`.
    fn sep(&mut self) -> R {
        self.toks(&[NEWLINE, SEMICOLON])
    }

    /// A closing `}`. chumsky recovers from a missing one at the end of the file.
    fn r_curly(&mut self) -> R {
        match self.peek() {
            Some(t) if t.kind == R_CURLY => {
                self.bump();
                Ok(())
            }
            Some(_) => Err(Stop::Miss),
            None => Err(Stop::Bail),
        }
    }

    /// The separator that must end a block item. chumsky recovers from a missing one before `}`.
    fn item_end(&mut self) -> R {
        if self.at(R_CURLY) {
            return Err(Stop::Bail);
        }
        self.sep()
    }

    /// `{ (item SEP)* }`, every item ended by a separator, including the last before `}`.
    fn block(&mut self, item: impl Fn(&mut Self) -> R) -> R {
        self.braced_items(|p| {
            item(p)?;
            p.item_end()
        })
    }

    /// `{ ... }` of items and separators. Where an item fails, chumsky skips it as an ERROR node
    /// up to the next separator, so any failure there gives up.
    fn braced_items(&mut self, item: impl Fn(&mut Self) -> R) -> R {
        self.tok(L_CURLY)?;
        self.nested(|p| {
            p.items(item)?;
            p.r_curly()
        })
    }

    /// Items and separators, up to a `}` or the end of the input.
    fn items(&mut self, item: impl Fn(&mut Self) -> R) -> R {
        loop {
            match self.peek() {
                None => break,
                Some(t) if t.kind == R_CURLY => break,
                Some(t) if matches!(t.kind, NEWLINE | SEMICOLON) => self.bump(),
                Some(_) => item(self).map_err(|_| Stop::Bail)?,
            }
        }
        Ok(())
    }

    /// Takes over the chain items parsed ahead, if they start here and were parsed as this parser
    /// would parse them now: at the same depth, within the attempts it has left.
    fn take_ahead(&mut self) -> bool {
        let Some(meeting) = &mut self.ahead else {
            return false;
        };
        if self.pos != meeting.from {
            return false;
        }
        let arrives = &meeting.arrives;
        let arrived = meeting
            .arrived
            .get_or_insert_with(|| arrives.recv().ok().flatten());
        let Some(ahead) = arrived.as_ref().map(Arc::clone) else {
            return false;
        };
        if ahead.depth != self.depth || ahead.attempts > self.attempts_left {
            return false;
        }
        let start = self.events.len();
        self.events.extend_from_slice(&ahead.events);
        meeting.taken = Some(start..self.events.len());
        self.pos = ahead.end;
        self.attempts_left -= ahead.attempts;
        self.furthest = self.furthest.max(ahead.furthest);
        true
    }
}

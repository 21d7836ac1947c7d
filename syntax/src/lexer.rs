//! The lexer: every byte of the input becomes part of exactly one token.
//!
//! logos handles punctuation, trivia and strings. Everything that starts like a word, number or
//! address goes through [`scan_atom`], which reproduces the longest-match choice nft's flex scanner
//! makes between its string, number, time, IPv4, IPv6, MAC and classid patterns.

use logos::Logos;

use crate::SyntaxKind::{self, *};

/// A token: its kind and its length in bytes. Offsets follow from the lengths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub kind: SyntaxKind,
    pub len: u32,
}

#[derive(Logos, Debug, Clone, Copy, PartialEq, Eq)]
enum Raw {
    #[regex(r"[ \t]+")]
    Whitespace,
    #[token("\n")]
    Newline,
    #[token("\r\n")]
    Crlf,
    #[regex(r"#[^\n]*", allow_greedy = true)]
    Comment,
    #[token("\\\n")]
    LineContinuation,
    #[regex(r#""[^"]*""#)]
    QuotedString,
    #[regex(r#""[^"]*"#, priority = 0, allow_greedy = true)]
    UnterminatedString,
    #[regex(r"[A-Za-z0-9_]", scan_atom_cb)]
    #[regex(r"\.[A-Za-z0-9_.\-]", scan_atom_cb)]
    #[regex(r"::", scan_atom_cb)]
    #[regex(r"\\\*", scan_atom_cb)]
    Atom(AtomKind),
    #[token("{")]
    LCurly,
    #[token("}")]
    RCurly,
    #[token("[")]
    LBrack,
    #[token("]")]
    RBrack,
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token(",")]
    Comma,
    #[token(";")]
    Semicolon,
    #[token(":")]
    Colon,
    #[token("=")]
    Eq,
    #[token(".")]
    Dot,
    #[token("/")]
    Slash,
    #[token("-")]
    Minus,
    #[token("+")]
    Plus,
    #[token("*")]
    Star,
    #[token("@")]
    At,
    #[token("$")]
    Dollar,
    #[token("!")]
    Bang,
    #[token("<")]
    Lt,
    #[token(">")]
    Gt,
    #[token("<=")]
    LtEq,
    #[token(">=")]
    GtEq,
    #[token("==")]
    Eq2,
    #[token("!=")]
    Neq,
    #[token("<<")]
    Shl,
    #[token(">>")]
    Shr,
    #[token("&")]
    Amp,
    #[token("|")]
    Pipe,
    #[token("^")]
    Caret,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AtomKind {
    Word,
    Number,
    Ipv4,
    Ipv6,
    Mac,
    Classid,
}

fn scan_atom_cb(lex: &mut logos::Lexer<Raw>) -> AtomKind {
    let start = lex.span().start;
    let (len, kind) = scan_atom(&lex.source()[start..]);
    lex.bump(len - lex.slice().len());
    kind
}

/// Lexes the whole input. Concatenating the token texts gives back `text`.
pub fn lex(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    lex_into(text, &mut tokens);
    tokens
}

/// [`lex`] into a buffer, which is cleared first.
pub(crate) fn lex_into(text: &str, tokens: &mut Vec<Token>) {
    tokens.clear();
    tokens.reserve(text.len() / 4);
    let mut lexer = Raw::lexer(text);
    while let Some(raw) = lexer.next() {
        let span = lexer.span();
        let kind = match raw {
            Ok(raw) => kind_of(raw),
            Err(()) => ERROR_TOKEN,
        };
        let len = span.len() as u32;
        if kind == NEWLINE && ends_comment_only_line(tokens) {
            // nft's scanner swallows the newline of a line that holds only a comment, so that line
            // separates nothing: keep the newline inside the comment token.
            tokens.last_mut().unwrap().len += len;
            continue;
        }
        match tokens.last_mut() {
            // A run of unknown bytes is one junk token; this also keeps multi-byte characters whole.
            Some(last) if kind == ERROR_TOKEN && last.kind == ERROR_TOKEN => last.len += len,
            _ => tokens.push(Token { kind, len }),
        }
    }
}

fn ends_comment_only_line(tokens: &[Token]) -> bool {
    let mut before = tokens.iter().rev();
    if before.next().map(|t| t.kind) != Some(COMMENT) {
        return false;
    }
    match before.find(|t| t.kind != WHITESPACE) {
        None => true,
        Some(t) => matches!(t.kind, NEWLINE | CRLF | LINE_CONTINUATION | COMMENT),
    }
}

fn kind_of(raw: Raw) -> SyntaxKind {
    match raw {
        Raw::Whitespace => WHITESPACE,
        Raw::Newline => NEWLINE,
        Raw::Crlf => CRLF,
        Raw::Comment => COMMENT,
        Raw::LineContinuation => LINE_CONTINUATION,
        Raw::QuotedString => QUOTED_STRING,
        Raw::UnterminatedString => ERROR_TOKEN,
        Raw::Atom(atom) => match atom {
            AtomKind::Word => WORD,
            AtomKind::Number => NUMBER,
            AtomKind::Ipv4 => IPV4_ADDR,
            AtomKind::Ipv6 => IPV6_ADDR,
            AtomKind::Mac => MAC_ADDR,
            AtomKind::Classid => CLASSID,
        },
        Raw::LCurly => L_CURLY,
        Raw::RCurly => R_CURLY,
        Raw::LBrack => L_BRACK,
        Raw::RBrack => R_BRACK,
        Raw::LParen => L_PAREN,
        Raw::RParen => R_PAREN,
        Raw::Comma => COMMA,
        Raw::Semicolon => SEMICOLON,
        Raw::Colon => COLON,
        Raw::Eq => EQ,
        Raw::Dot => DOT,
        Raw::Slash => SLASH,
        Raw::Minus => MINUS,
        Raw::Plus => PLUS,
        Raw::Star => STAR,
        Raw::At => AT,
        Raw::Dollar => DOLLAR,
        Raw::Bang => BANG,
        Raw::Lt => LT,
        Raw::Gt => GT,
        Raw::LtEq => LTEQ,
        Raw::GtEq => GTEQ,
        Raw::Eq2 => EQ2,
        Raw::Neq => NEQ,
        Raw::Shl => SHL,
        Raw::Shr => SHR,
        Raw::Amp => AMP,
        Raw::Pipe => PIPE,
        Raw::Caret => CARET,
    }
}

/// Picks the longest of nft's atom patterns that matches at the start of `s`.
/// Ties go to the pattern flex lists first: MAC, IPv6, classid, IPv4, time, number, string.
fn scan_atom(s: &str) -> (usize, AtomKind) {
    let b = s.as_bytes();
    let mut best = (0, AtomKind::Word);
    let mut consider = |len: usize, kind: AtomKind| {
        if len > best.0 {
            best = (len, kind);
        }
    };
    let addr_run = b
        .iter()
        .take_while(|c| c.is_ascii_hexdigit() || **c == b':' || **c == b'.')
        .count();
    if b[..addr_run].contains(&b':') {
        consider(mac_len(b), AtomKind::Mac);
        consider(ipv6_len(&s[..addr_run]), AtomKind::Ipv6);
        consider(classid_len(b), AtomKind::Classid);
    }
    if b[0].is_ascii_digit() {
        consider(ipv4_len(b), AtomKind::Ipv4);
        consider(time_len(b), AtomKind::Word);
        consider(number_len(b), AtomKind::Number);
    }
    consider(word_len(b), AtomKind::Word);
    if best.1 == AtomKind::Number && is_invalid_octal(&b[..best.0]) {
        // nft's scanner turns `08` into a string, which then fails to parse as a number.
        best.1 = AtomKind::Word;
    }
    best
}

fn hex_run(b: &[u8], max: usize) -> usize {
    b.iter()
        .take(max)
        .take_while(|c| c.is_ascii_hexdigit())
        .count()
}

fn digit_run(b: &[u8]) -> usize {
    b.iter().take_while(|c| c.is_ascii_digit()).count()
}

/// `xx:xx:xx:xx:xx:xx` with one or two hex digits per group.
fn mac_len(b: &[u8]) -> usize {
    let mut i = 0;
    for group in 0..6 {
        if group > 0 {
            if b.get(i) != Some(&b':') {
                return 0;
            }
            i += 1;
        }
        let n = hex_run(&b[i..], 2);
        if n == 0 {
            return 0;
        }
        i += n;
    }
    i
}

/// The longest prefix of the hex/colon/dot run that is an IPv6 address.
fn ipv6_len(run: &str) -> usize {
    (2..=run.len().min(45))
        .rev()
        .find(|&n| run[..n].parse::<std::net::Ipv6Addr>().is_ok())
        .unwrap_or(0)
}

/// `hex{1,4}:hex{1,4}`, only when followed by one of `[ \t\n:\-},]` (flex trailing context).
fn classid_len(b: &[u8]) -> usize {
    let first = hex_run(b, 4);
    if first == 0 || b.get(first) != Some(&b':') {
        return 0;
    }
    let second = hex_run(&b[first + 1..], 4);
    let len = first + 1 + second;
    match b.get(len) {
        _ if second == 0 => 0,
        None | Some(b' ' | b'\t' | b'\n' | b':' | b'-' | b'}' | b',') => len,
        _ => 0,
    }
}

/// `d{1,3}.d{1,3}.d{1,3}.d{1,3}`; octets above 255 are the parser's business.
fn ipv4_len(b: &[u8]) -> usize {
    let mut i = 0;
    for group in 0..4 {
        if group > 0 {
            if b.get(i) != Some(&b'.') {
                return 0;
            }
            i += 1;
        }
        let n = digit_run(&b[i..]).min(3);
        if n == 0 {
            return 0;
        }
        i += n;
    }
    i
}

/// `([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?`, longest match, at least one unit.
fn time_len(b: &[u8]) -> usize {
    fn longest(b: &[u8], units: &[&[u8]]) -> usize {
        let digits = digit_run(b);
        if digits == 0 {
            return 0;
        }
        let mut best = 0;
        for (i, unit) in units.iter().enumerate() {
            if b[digits..].starts_with(unit) {
                let here = digits + unit.len();
                best = best.max(here + longest(&b[here..], &units[i + 1..]));
            }
        }
        best
    }
    longest(b, &[b"d", b"h", b"m", b"s", b"ms"])
}

fn number_len(b: &[u8]) -> usize {
    if b.len() > 2 && b[0] == b'0' && (b[1] == b'x' || b[1] == b'X') {
        let n = hex_run(&b[2..], usize::MAX);
        if n > 0 {
            return 2 + n;
        }
    }
    digit_run(b)
}

fn is_invalid_octal(b: &[u8]) -> bool {
    b.len() > 1 && b[0] == b'0' && b.iter().all(u8::is_ascii_digit) && b.iter().any(|c| *c > b'7')
}

/// nft's unquoted string `[a-zA-Z_.][a-zA-Z0-9/\-_.]*`, with the asterisk forms `eth*`, `eth\*`,
/// `\*`, and the two names that start with digits, `8021q` and `8021ad`.
///
/// nft's rate scanner state splits `mbytes/second`; here it stays one word and the grammar of
/// `limit rate` takes it apart.
fn word_len(b: &[u8]) -> usize {
    for special in [&b"8021ad"[..], b"8021q"] {
        if b.starts_with(special) && !b.get(special.len()).is_some_and(|c| is_word_byte(*c)) {
            return special.len();
        }
    }
    let starts_word = match b.first() {
        Some(c) => c.is_ascii_alphabetic() || *c == b'_' || *c == b'.',
        None => false,
    };
    let mut i = 0;
    if starts_word {
        i = 1;
    } else if !b.starts_with(b"\\*") {
        return 0;
    }
    loop {
        match b.get(i) {
            Some(c) if is_word_byte(*c) => i += 1,
            Some(b'\\') if b.get(i + 1) == Some(&b'*') => i += 2,
            Some(b'*') => return i + 1,
            _ => return i,
        }
    }
}

fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(SyntaxKind, &str)> {
        let mut at = 0;
        lex(text)
            .into_iter()
            .map(|t| {
                let start = at;
                at += t.len as usize;
                (t.kind, &text[start..at])
            })
            .filter(|(kind, _)| *kind != WHITESPACE)
            .collect()
    }

    #[test]
    fn traps_from_the_grammar() {
        use SyntaxKind::*;
        let cases: &[(&str, &[(SyntaxKind, &str)])] = &[
            (
                "::1/128",
                &[(IPV6_ADDR, "::1"), (SLASH, "/"), (NUMBER, "128")],
            ),
            (
                "2001:db8::/32",
                &[(IPV6_ADDR, "2001:db8::"), (SLASH, "/"), (NUMBER, "32")],
            ),
            ("DE:AD:BE:EF:01:01", &[(MAC_ADDR, "DE:AD:BE:EF:01:01")]),
            ("1:2:3:4:5:6", &[(MAC_ADDR, "1:2:3:4:5:6")]),
            ("1h30m", &[(WORD, "1h30m")]),
            ("10ms", &[(WORD, "10ms")]),
            ("60", &[(NUMBER, "60")]),
            ("5/minute", &[(NUMBER, "5"), (SLASH, "/"), (WORD, "minute")]),
            ("mbytes/second", &[(WORD, "mbytes/second")]),
            (
                "kube-system/kube-dns/tcp",
                &[(WORD, "kube-system/kube-dns/tcp")],
            ),
            ("filter-10", &[(WORD, "filter-10")]),
            (
                "filter+10",
                &[(WORD, "filter"), (PLUS, "+"), (NUMBER, "10")],
            ),
            ("0x10", &[(NUMBER, "0x10")]),
            ("08", &[(WORD, "08")]),
            (
                "32768-65535",
                &[(NUMBER, "32768"), (MINUS, "-"), (NUMBER, "65535")],
            ),
            ("ssh-http", &[(WORD, "ssh-http")]),
            ("eth*", &[(WORD, "eth*")]),
            ("eth\\*", &[(WORD, "eth\\*")]),
            ("time1.google.com", &[(WORD, "time1.google.com")]),
            ("6to4", &[(NUMBER, "6"), (WORD, "to4")]),
            (
                "17:00-19:00",
                &[(CLASSID, "17:00"), (MINUS, "-"), (CLASSID, "19:00")],
            ),
            (
                "{ 80:8080 }",
                &[(L_CURLY, "{"), (CLASSID, "80:8080"), (R_CURLY, "}")],
            ),
            (
                "[dead::beef]:80",
                &[
                    (L_BRACK, "["),
                    (IPV6_ADDR, "dead::beef"),
                    (R_BRACK, "]"),
                    (COLON, ":"),
                    (NUMBER, "80"),
                ],
            ),
            (
                "$a.$b",
                &[(DOLLAR, "$"), (WORD, "a."), (DOLLAR, "$"), (WORD, "b")],
            ),
            ("8021q", &[(WORD, "8021q")]),
            (
                "25:accept",
                &[(NUMBER, "25"), (COLON, ":"), (WORD, "accept")],
            ),
            (
                "1.2.3.4 . 22",
                &[(IPV4_ADDR, "1.2.3.4"), (DOT, "."), (NUMBER, "22")],
            ),
            ("::ffff:1.2.3.4", &[(IPV6_ADDR, "::ffff:1.2.3.4")]),
            ("a :: b", &[(WORD, "a"), (IPV6_ADDR, "::"), (WORD, "b")]),
            (
                "\"a#b\" # c",
                &[(QUOTED_STRING, "\"a#b\""), (COMMENT, "# c")],
            ),
            ("a # c\n", &[(WORD, "a"), (COMMENT, "# c"), (NEWLINE, "\n")]),
            (
                "a\n  # c\nb",
                &[
                    (WORD, "a"),
                    (NEWLINE, "\n"),
                    (COMMENT, "# c\n"),
                    (WORD, "b"),
                ],
            ),
            ("\"open", &[(ERROR_TOKEN, "\"open")]),
            (
                "a\\\nb",
                &[(WORD, "a"), (LINE_CONTINUATION, "\\\n"), (WORD, "b")],
            ),
            ("a\r\n", &[(WORD, "a"), (CRLF, "\r\n")]),
            ("ü€", &[(ERROR_TOKEN, "ü€")]),
        ];
        for (input, expected) in cases {
            assert_eq!(&kinds(input), expected, "lexing {input:?}");
        }
    }
}

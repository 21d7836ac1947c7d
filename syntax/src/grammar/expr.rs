//! Expressions: selectors (payload, meta, ct, fib, ...) and values (literals, sets, ranges,
//! prefixes, concatenations, binary operations, maps).
//!
//! Matches are `SELECTOR [OP] VALUE` with nothing between the two but juxtaposition, and a value
//! ends where the next statement starts. nft's scanner decides that with start conditions; here a
//! word at the start of a value is a value unless it starts a statement, with one exception nft
//! has too: protocol and header names are values (`meta l4proto tcp`, `ether type ip6`) unless the
//! next word is one of their fields (`tcp dport` starts the next match).

use chumsky::DefaultExpected;
use chumsky::error::LabelError;
use chumsky::input::{InputRef, MapExtra};
use chumsky::pratt::{infix, left};

use chumsky::prelude::*;
use chumsky::util::MaybeRef;
use std::collections::HashMap;
use std::sync::LazyLock;

use super::prim::*;
use super::stmt;
use crate::SyntaxKind::{self, *};
use crate::fxhash::FxBuild;
use crate::shape::Shape;

/// Tokens that are a value by themselves; words are values too, where `value_word` allows.
pub(super) const LITERAL_TOKENS: &[SyntaxKind] = &[
    NUMBER,
    QUOTED_STRING,
    IPV4_ADDR,
    IPV6_ADDR,
    MAC_ADDR,
    CLASSID,
    STAR,
];

/// Header protocols and their fields (doc/payload-expression.txt).
pub(super) const PAYLOAD: &[(&str, &[&str])] = &[
    ("ether", &["saddr", "daddr", "type"]),
    ("vlan", &["id", "cfi", "dei", "pcp", "type"]),
    (
        "arp",
        &[
            "htype",
            "ptype",
            "hlen",
            "plen",
            "operation",
            "saddr",
            "daddr",
        ],
    ),
    (
        "ip",
        &[
            "version",
            "hdrlength",
            "dscp",
            "ecn",
            "length",
            "id",
            "frag-off",
            "ttl",
            "protocol",
            "checksum",
            "saddr",
            "daddr",
        ],
    ),
    (
        "ip6",
        &[
            "version",
            "dscp",
            "ecn",
            "flowlabel",
            "length",
            "nexthdr",
            "hoplimit",
            "saddr",
            "daddr",
        ],
    ),
    (
        "icmp",
        &[
            "type", "code", "checksum", "id", "sequence", "gateway", "mtu",
        ],
    ),
    (
        "icmpv6",
        &[
            "type",
            "code",
            "checksum",
            "param-problem",
            "mtu",
            "id",
            "sequence",
            "max-delay",
            "taddr",
            "daddr",
        ],
    ),
    ("igmp", &["type", "checksum", "mrt", "group"]),
    (
        "ah",
        &["nexthdr", "hdrlength", "reserved", "spi", "sequence"],
    ),
    ("esp", &["spi", "sequence"]),
    ("comp", &["nexthdr", "flags", "cpi"]),
    ("udp", &["sport", "dport", "length", "checksum"]),
    ("udplite", &["sport", "dport", "csumcov", "checksum"]),
    (
        "tcp",
        &[
            "sport", "dport", "sequence", "ackseq", "doff", "reserved", "flags", "window",
            "checksum", "urgptr",
        ],
    ),
    ("dccp", &["sport", "dport", "type"]),
    ("sctp", &["sport", "dport", "vtag", "checksum"]),
    ("th", &["sport", "dport"]),
    ("gre", &["version", "flags", "protocol"]),
    ("gretap", &[]),
    ("vxlan", &["vni", "flags"]),
    ("geneve", &["vni", "type"]),
    // IPv6 extension headers.
    ("hbh", &["nexthdr", "hdrlength"]),
    ("rt", &["nexthdr", "hdrlength", "type", "seg-left"]),
    ("rt0", &["addr"]),
    ("rt2", &["addr"]),
    ("srh", &["last-entry", "flags", "tag", "sid"]),
    (
        "frag",
        &[
            "nexthdr",
            "reserved",
            "frag-off",
            "reserved2",
            "more-fragments",
            "id",
        ],
    ),
    ("dst", &["nexthdr", "hdrlength"]),
    (
        "mh",
        &["nexthdr", "hdrlength", "type", "reserved", "checksum"],
    ),
];

pub(super) const TCP_OPTION_FIELDS: &[&str] = &[
    "kind", "length", "size", "count", "left", "right", "tsval", "tsecr", "subtype",
];
pub(super) const SCTP_CHUNK_FIELDS: &[&str] = &[
    "type",
    "flags",
    "length",
    "tsn",
    "stream",
    "ssn",
    "ppid",
    "init-tag",
    "a-rwnd",
    "num-outbound-streams",
    "num-inbound-streams",
    "initial-tsn",
    "cum-tsn-ack",
    "num-gap-ack-blocks",
    "num-dup-tsns",
    "lowest-tsn",
    "seqno",
    "new-cum-tsn",
];
pub(super) const EXTHDR_FIELDS: &[&str] = &[
    "nexthdr",
    "hdrlength",
    "type",
    "seg-left",
    "reserved",
    "frag-off",
    "more-fragments",
    "id",
];

/// IPv6 extension headers among the payload table.
pub(super) const EXTHDRS: &[&str] = &["hbh", "rt", "rt0", "rt2", "srh", "frag", "dst", "mh"];

/// Headers whose payload can hold another packet: `vxlan ip saddr`, `gre ip6 daddr`.
pub(super) const TUNNELS: &[&str] = &["gre", "gretap", "vxlan", "geneve"];

/// `meta` keys that may be written without `meta`.
pub(super) const BARE_META: &[&str] = &[
    "mark",
    "iif",
    "iifname",
    "iiftype",
    "oif",
    "oifname",
    "oiftype",
    "skuid",
    "skgid",
    "nftrace",
    "rtclassid",
    "ibrname",
    "obrname",
    "ibriport",
    "obriport",
    "pkttype",
    "cpu",
    "iifgroup",
    "oifgroup",
    "cgroup",
    "time",
    "day",
    "hour",
];

/// Keywords nft also accepts as values (`keyword_expr` and the protocol names).
const KEYWORD_VALUES: &[&str] = &[
    "ether", "ip", "ip6", "vlan", "arp", "dnat", "snat", "ecn", "reset", "destroy", "original",
    "reply", "label", "last", "redirect", "tcp", "udp", "udplite", "esp", "ah", "icmp", "igmp",
    "icmpv6", "gre", "comp", "dccp", "sctp",
];

/// Words that start a statement or a selector, or are operators, and so never start a value.
const NOT_VALUES: &[&str] = &[
    "accept",
    "drop",
    "continue",
    "return",
    "jump",
    "goto",
    "queue",
    "counter",
    "limit",
    "quota",
    "log",
    "reject",
    "masquerade",
    "tproxy",
    "dup",
    "fwd",
    "notrack",
    "flow",
    "meter",
    "synproxy",
    "xt",
    "comment",
    "set",
    "add",
    "update",
    "delete",
    "vmap",
    "map",
    "meta",
    "ct",
    "fib",
    "rt",
    "socket",
    "osf",
    "numgen",
    "jhash",
    "symhash",
    "ipsec",
    "exthdr",
    "th",
    "gretap",
    "vxlan",
    "geneve",
    "hbh",
    "rt0",
    "rt2",
    "srh",
    "frag",
    "dst",
    "mh",
    "and",
    "or",
    "xor",
    "eq",
    "ne",
    "lt",
    "gt",
    "le",
    "ge",
    "lshift",
    "rshift",
    "not",
];

pub(super) fn fields_of(proto: &str) -> Option<&'static [&'static str]> {
    PAYLOAD.iter().find(|(p, _)| *p == proto).map(|(_, f)| *f)
}

fn starts_selector(t: &PTok, next: Option<&PTok>) -> bool {
    let Some(next) = next.filter(|n| n.kind == WORD) else {
        return false;
    };
    match t.text {
        "tcp" | "ip" if next.text == "option" => true,
        "sctp" if next.text == "chunk" => true,
        "dccp" if next.text == "option" => true,
        proto if TUNNELS.contains(&proto) && fields_of(next.text).is_some() => true,
        proto => fields_of(proto).is_some_and(|fields| fields.contains(&next.text)),
    }
}

/// Words that are not simply values, by whether they can still be one.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reserved {
    /// A keyword nft also takes as a value, unless it starts a selector: [`KEYWORD_VALUES`].
    KeywordValue,
    /// Never a value: statement and selector words, operators, meta keys and protocols.
    NotValue,
}

/// Every reserved word, looked up once per word at the start of a value.
static RESERVED: LazyLock<HashMap<&'static str, Reserved, FxBuild>> = LazyLock::new(|| {
    let not_values = NOT_VALUES
        .iter()
        .chain(BARE_META)
        .chain(PAYLOAD.iter().map(|(proto, _)| proto));
    let mut reserved: HashMap<_, _, _> = not_values.map(|w| (*w, Reserved::NotValue)).collect();
    reserved.extend(KEYWORD_VALUES.iter().map(|w| (*w, Reserved::KeywordValue)));
    reserved
});

/// Whether word `t`, followed by `next`, can start a value.
pub(super) fn is_value_word(t: &PTok, next: Option<&PTok>) -> bool {
    match RESERVED.get(t.text) {
        None => true,
        Some(Reserved::KeywordValue) => !starts_selector(t, next),
        Some(Reserved::NotValue) => false,
    }
}

/// A word that can start a value; needs two tokens of lookahead.
fn value_word<'a, E: Ex<'a>>() -> P<'a, E> {
    custom(|inp: &mut InputRef<'a, '_, In<'a>, E>| {
        let before = inp.cursor();
        let checkpoint = inp.save();
        let t = inp.next();
        let at = inp.span_since(&before);
        let next = inp.peek();
        match t {
            Some(t) if t.kind == WORD && is_value_word(&t, next.as_ref()) => {
                Ok(vec![Shape::Tok(at.start as u32)])
            }
            found => {
                inp.rewind(checkpoint);
                Err(LabelError::expected_found(
                    [DefaultExpected::Token(MaybeRef::Val(PTok {
                        kind: WORD,
                        text: "",
                    }))],
                    found.map(MaybeRef::Val),
                    at,
                ))
            }
        }
    })
    .boxed()
}

fn wrap(kind: SyntaxKind, mut first: Vec<Shape>, rest: Vec<Shape>) -> Vec<Shape> {
    first.extend(rest);
    vec![Shape::Node(kind, first)]
}

/// `base` optionally followed by one of `tails`; with a tail, both go into a node of its kind.
fn postfix<'a, E: Ex<'a>>(base: P<'a, E>, tails: Vec<(SyntaxKind, P<'a, E>)>) -> P<'a, E> {
    let tails = choice(
        tails
            .into_iter()
            .map(|(kind, p)| p.map(move |out| (kind, out)).boxed())
            .collect::<Vec<_>>(),
    );
    base.then(tails.or_not())
        .map(|(base, tail)| match tail {
            Some((kind, tail)) => wrap(kind, base, tail),
            None => base,
        })
        .boxed()
}

/// `item (SEP item)*`, in a node of `kind` when there is more than one item.
fn separated<'a, E: Ex<'a>>(kind: SyntaxKind, item: P<'a, E>, separator: P<'a, E>) -> P<'a, E> {
    item.clone()
        .then(many(seq![separator, item]))
        .map(move |(first, rest)| {
            if rest.is_empty() {
                first
            } else {
                wrap(kind, first, rest)
            }
        })
        .boxed()
}

pub(super) fn variable<'a, E: Ex<'a>>() -> P<'a, E> {
    node(VARIABLE, seq![tok(DOLLAR), word()])
}

pub(super) fn set_ref<'a, E: Ex<'a>>() -> P<'a, E> {
    node(SET_REF, seq![tok(AT), word()])
}

/// A name, or a variable holding one.
pub(super) fn name<'a, E: Ex<'a>>() -> P<'a, E> {
    alt(vec![node(NAME, word()), variable()])
}

pub(super) fn number<'a, E: Ex<'a>>() -> P<'a, E> {
    node(LITERAL, tok(NUMBER))
}

pub(super) fn string<'a, E: Ex<'a>>() -> P<'a, E> {
    node(LITERAL, tok(QUOTED_STRING))
}

/// A time (`1h30m`), plain seconds, `never` or a variable.
pub(super) fn time<'a, E: Ex<'a>>() -> P<'a, E> {
    alt(vec![node(LITERAL, toks(&[WORD, NUMBER])), variable()])
}

/// The verdicts a map can hold.
pub(super) fn verdict<'a, E: Ex<'a>>() -> P<'a, E> {
    node(
        VERDICT_STMT,
        alt(vec![
            kws(&["accept", "drop", "continue", "return"]),
            seq![kws(&["jump", "goto"]), name()],
        ]),
    )
}

/// The expression grammars, built once per parse and shared by statements and blocks.
#[derive(Clone)]
pub(super) struct Exprs<'a, E: Ex<'a>> {
    /// A constant, with ranges, prefixes, concatenations and binary operations: a set element key.
    pub value: P<'a, E>,
    /// A constant or a comma list of them: the right side of a match.
    pub value_list: P<'a, E>,
    /// A selector such as `tcp dport` or `meta mark`.
    pub selector: P<'a, E>,
    /// Selectors and constants with operators and `map`: statement arguments.
    pub expr: P<'a, E>,
    /// `expr` or a comma list: `ct event set new,related`.
    pub expr_list: P<'a, E>,
    /// `{ ... }` of constants.
    pub set: P<'a, E>,
    /// `{ ... }` whose keys are selectors: `add @s { ip saddr timeout 1m }`.
    pub dynamic_set: P<'a, E>,
}

pub(super) fn exprs<'a, E: Ex<'a>>() -> Exprs<'a, E> {
    // Built with `recursive`, whose parsers refer to themselves weakly. Parsers declared apart and
    // then defined in terms of one another keep each other alive: every parse of a file with
    // errors (the only one that builds this grammar) would leak it.
    let expr: P<'a, E> = recursive(|expr| {
        let expr: P<'a, E> = expr.boxed();
        let set = set_of(expr.clone());
        let operand = alt(vec![selector(expr.clone()), constant(expr, set.clone())]);
        let map_tail = alt(vec![set, set_ref(), variable()]);
        postfix(
            layered(operand),
            vec![(MAP_EXPR, seq![kw("map"), map_tail])],
        )
    })
    .boxed();
    let set = set_of(expr.clone());
    let value = layered(constant(expr.clone(), set.clone()));
    Exprs {
        value_list: separated(LIST_EXPR, value.clone(), tok(COMMA)),
        expr_list: separated(LIST_EXPR, expr.clone(), tok(COMMA)),
        value,
        selector: selector(expr.clone()),
        dynamic_set: set_block(expr.clone()),
        expr,
        set,
    }
}

/// `{ ... }` of constants, whose elements may be sets again.
fn set_of<'a, E: Ex<'a>>(expr: P<'a, E>) -> P<'a, E> {
    recursive(|set| set_block(layered(constant(expr, set.boxed())))).boxed()
}

/// A constant: a literal, `$variable`, `@set`, `[address]`, a set, or an expression in
/// parentheses.
fn constant<'a, E: Ex<'a>>(expr: P<'a, E>, set: P<'a, E>) -> P<'a, E> {
    let literal = node(LITERAL, alt(vec![toks(LITERAL_TOKENS), value_word()]));
    let bracketed = node(
        BRACKETED_ADDR,
        seq![tok(L_BRACK), tok(IPV6_ADDR), tok(R_BRACK)],
    );
    let paren = node(PAREN_EXPR, seq![tok(L_PAREN), expr, tok(R_PAREN)]);
    alt(vec![literal, variable(), set_ref(), bracketed, set, paren])
}

/// Binary operations, then a range or prefix, then concatenation, over `operand`.
fn layered<'a, E: Ex<'a>>(operand: P<'a, E>) -> P<'a, E> {
    let bin =
        |l: Vec<Shape>, op: Vec<Shape>, r: Vec<Shape>, _: &mut MapExtra<'a, '_, In<'a>, E>| {
            let mut children = l;
            children.extend(op);
            children.extend(r);
            vec![Shape::Node(BINARY_EXPR, children)]
        };
    let binary = operand
        .pratt((
            infix(left(1), seq![alt(vec![tok(PIPE), kw("or")])], bin),
            infix(left(2), seq![alt(vec![tok(CARET), kw("xor")])], bin),
            infix(left(3), seq![alt(vec![tok(AMP), kw("and")])], bin),
            infix(
                left(4),
                seq![alt(vec![toks(&[SHL, SHR]), kws(&["lshift", "rshift"])])],
                bin,
            ),
        ))
        .boxed();
    // `syn / syn,ack`: a mask list after a flag; `10.0.0.0/8`: a prefix length.
    let mask = alt(vec![
        node(
            LIST_EXPR,
            seq![
                node(LITERAL, value_word()),
                some(seq![tok(COMMA), node(LITERAL, value_word())])
            ],
        ),
        binary.clone(),
    ]);
    let term = postfix(
        binary.clone(),
        vec![
            (RANGE_EXPR, seq![tok(MINUS), binary]),
            (PREFIX_EXPR, seq![tok(SLASH), mask]),
        ],
    );
    separated(CONCAT_EXPR, term, tok(DOT))
}

/// `{ element, ... }`. At most one newline may stand around each element, and an empty set is
/// `{ }` on one line, as in nft.
fn set_block<'a, E: Ex<'a>>(key: P<'a, E>) -> P<'a, E> {
    let option = node(
        ELEM_OPTION,
        alt(vec![
            seq![kws(&["timeout", "expires"]), time()],
            seq![kw("comment"), string()],
        ]),
    );
    let value = alt(vec![verdict(), key.clone()]);
    let element = node(
        SET_ELEM,
        seq![
            key.clone(),
            many(alt(vec![option, stmt::stateful(key)])),
            opt(seq![tok(COLON), value])
        ],
    );
    let member = seq![element, newline_opt()];
    let members = seq![
        newline_opt(),
        member.clone(),
        many(seq![tok(COMMA), newline_opt(), opt(member)])
    ];
    node(
        SET_EXPR,
        seq![
            tok(L_CURLY),
            alt(vec![tok(R_CURLY), seq![members, tok(R_CURLY)]])
        ],
    )
}

/// Every selector form. `expr` is the full expression grammar, for `jhash EXPR mod N`.
fn selector<'a, E: Ex<'a>>(expr: P<'a, E>) -> P<'a, E> {
    let index = opt(seq![tok(L_BRACK), tok(NUMBER), tok(R_BRACK)]);
    let payload = recursive(|payload| {
        let mut protos = vec![node(PAYLOAD_EXPR, seq![kws(TUNNELS), payload.boxed()])];
        for (proto, fields) in PAYLOAD.iter().filter(|(_, fields)| !fields.is_empty()) {
            let kind = if EXTHDRS.contains(proto) {
                EXTHDR_EXPR
            } else {
                PAYLOAD_EXPR
            };
            let mut field = seq![kw(proto), kws(fields)];
            if *proto == "arp" {
                // `arp saddr ip`, `arp daddr ether`: the address fields name their format.
                let address = seq![
                    kw("arp"),
                    kws(&["saddr", "daddr"]),
                    opt(kws(&["ether", "ip"]))
                ];
                field = alt(vec![address, field]);
            }
            if matches!(*proto, "rt0" | "srh") {
                field = seq![field, index.clone()];
            }
            protos.push(node(kind, field));
        }
        alt(protos)
    });
    let number = || tok(NUMBER);
    alt(vec![
        node(
            EXTHDR_EXPR,
            seq![
                kw("tcp"),
                kw("option"),
                alt(vec![
                    raw_offsets(),
                    seq![toks(&[WORD, NUMBER]), opt(kws(TCP_OPTION_FIELDS))]
                ])
            ],
        ),
        node(
            EXTHDR_EXPR,
            seq![
                kw("ip"),
                kw("option"),
                word(),
                opt(kws(&["type", "length", "value", "ptr", "addr"]))
            ],
        ),
        node(
            EXTHDR_EXPR,
            seq![kw("sctp"), kw("chunk"), word(), opt(kws(SCTP_CHUNK_FIELDS))],
        ),
        node(EXTHDR_EXPR, seq![kw("dccp"), kw("option"), number()]),
        node(
            EXTHDR_EXPR,
            seq![kw("exthdr"), word(), opt(kws(EXTHDR_FIELDS))],
        ),
        payload.boxed(),
        node(
            RAW_PAYLOAD_EXPR,
            seq![
                tok(AT),
                kws(&["ll", "nh", "th", "ih"]),
                tok(COMMA),
                number(),
                tok(COMMA),
                number()
            ],
        ),
        node(META_EXPR, seq![kw("meta"), word()]),
        node(META_EXPR, kws(BARE_META)),
        node(
            CT_EXPR,
            seq![
                kw("ct"),
                opt(kws(&["original", "reply"])),
                opt(kws(&["ip", "ip6"])),
                word()
            ],
        ),
        node(
            FIB_EXPR,
            seq![
                kw("fib"),
                separated(
                    CONCAT_EXPR,
                    kws(&["saddr", "daddr", "mark", "iif", "oif"]),
                    tok(DOT)
                ),
                kws(&["oif", "oifname", "type", "check"]),
            ],
        ),
        node(
            RT_EXPR,
            seq![
                kw("rt"),
                opt(kws(&["ip", "ip6"])),
                kws(&["classid", "nexthop", "mtu", "ipsec"])
            ],
        ),
        node(
            SOCKET_EXPR,
            seq![
                kw("socket"),
                alt(vec![seq![kw("cgroupv2"), kw("level"), number()], word()])
            ],
        ),
        node(
            OSF_EXPR,
            seq![
                kw("osf"),
                opt(seq![kw("ttl"), word()]),
                kws(&["name", "version"])
            ],
        ),
        node(
            NUMGEN_EXPR,
            seq![
                kw("numgen"),
                kws(&["inc", "random"]),
                kw("mod"),
                number(),
                opt(seq![kw("offset"), number()])
            ],
        ),
        node(
            HASH_EXPR,
            seq![
                alt(vec![seq![kw("jhash"), expr], kw("symhash")]),
                kw("mod"),
                number(),
                opt(seq![kw("seed"), number()]),
                opt(seq![kw("offset"), number()]),
            ],
        ),
        node(
            IPSEC_EXPR,
            seq![
                kw("ipsec"),
                kws(&["in", "out"]),
                opt(seq![kw("spnum"), number()]),
                alt(vec![
                    seq![kws(&["ip", "ip6"]), kws(&["saddr", "daddr"])],
                    kws(&["spi", "reqid"])
                ]),
            ],
        ),
        node(TUNNEL_EXPR, seq![kw("tunnel"), word()]),
    ])
}

/// `@BASE,OFFSET,LEN` after `tcp option`.
fn raw_offsets<'a, E: Ex<'a>>() -> P<'a, E> {
    seq![
        tok(AT),
        tok(NUMBER),
        tok(COMMA),
        tok(NUMBER),
        tok(COMMA),
        tok(NUMBER)
    ]
}

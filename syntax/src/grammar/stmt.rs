//! Rules and statements (doc/statements.txt).

use chumsky::prelude::*;

use super::PTok;
use super::expr::{Exprs, name, number, string, time, variable, verdict};
use super::prim::*;
use crate::SyntaxKind::*;

/// A rule: statements, then an optional `comment "text"`. `rule` is the rule parser itself, for
/// the anonymous chains of `jump { ... }`.
pub(super) fn rule<'a, E: Ex<'a>>(x: &Exprs<'a, E>) -> P<'a, E> {
    recursive(|rule| {
        let rule: P<'a, E> = rule.boxed();
        let anonymous_chain = node(CHAIN_BLOCK, block(rule));
        let jump = node(VERDICT_STMT, seq![kws(&["jump", "goto"]), anonymous_chain]);
        let mut statements = vec![jump, verdict()];
        statements.extend(stateful_branches(x.expr.clone()));
        statements.extend(action_branches(x));
        statements.push(expression_statement(x));
        let statement = alt(statements);
        node(
            RULE,
            seq![
                some(statement),
                opt(node(RULE_COMMENT, seq![kw("comment"), string()]))
            ],
        )
    })
    .boxed()
}

/// Statements with state of their own, which sets and their elements can carry too. `expr` names
/// the object: `counter name "c"`, `quota name ip saddr map @quotas`.
pub(super) fn stateful<'a, E: Ex<'a>>(expr: P<'a, E>) -> P<'a, E> {
    alt(stateful_branches(expr))
}

fn stateful_branches<'a, E: Ex<'a>>(expr: P<'a, E>) -> Vec<P<'a, E>> {
    let option = |key: &'static str, value: P<'a, E>| node(STMT_OPTION, seq![kw(key), value]);
    let by_name = || option("name", expr.clone());
    let bytes_unit = || kws(&["bytes", "kbytes", "mbytes"]);
    let over = || opt(kws(&["over", "until"]));
    vec![
        node(
            COUNTER_STMT,
            seq![
                kw("counter"),
                alt(vec![
                    by_name(),
                    many(alt(vec![
                        option("packets", number()),
                        option("bytes", number())
                    ]))
                ])
            ],
        ),
        node(
            LIMIT_STMT,
            seq![
                kw("limit"),
                alt(vec![
                    by_name(),
                    seq![
                        node(STMT_OPTION, seq![kw("rate"), over(), number(), rate_unit()]),
                        opt(node(
                            STMT_OPTION,
                            seq![
                                kw("burst"),
                                number(),
                                opt(alt(vec![kw("packets"), bytes_unit()]))
                            ]
                        )),
                    ],
                ]),
            ],
        ),
        node(
            QUOTA_STMT,
            seq![
                kw("quota"),
                alt(vec![
                    by_name(),
                    seq![
                        over(),
                        number(),
                        bytes_unit(),
                        opt(node(STMT_OPTION, seq![kw("used"), number(), bytes_unit()]))
                    ],
                ]),
            ],
        ),
        node(LAST_STMT, seq![kw("last"), opt(option("used", time()))]),
        node(
            CT_COUNT_STMT,
            seq![kw("ct"), kw("count"), opt(kw("over")), number()],
        ),
        node(TUNNEL_STMT, seq![kw("tunnel"), by_name()]),
    ]
}

/// `/second` or `bytes/second`; nft's scanner also splits `bytes/second` and `bytes/ second` when
/// they arrive as one word.
fn rate_unit<'a, E: Ex<'a>>() -> P<'a, E> {
    let joined = |with_time: bool| {
        tok_if(
            vec![PTok {
                kind: WORD,
                text: "bytes/second",
            }],
            move |t| {
                t.kind == WORD
                    && t.text.split_once('/').is_some_and(|(unit, time)| {
                        matches!(unit, "bytes" | "kbytes" | "mbytes")
                            && time.is_empty() != with_time
                    })
            },
        )
    };
    alt(vec![
        joined(true),
        seq![joined(false), word()],
        seq![opt(kws(&["bytes", "kbytes", "mbytes"])), tok(SLASH), word()],
    ])
}

/// Statements that act on the packet, by their leading keyword.
fn action_branches<'a, E: Ex<'a>>(x: &Exprs<'a, E>) -> Vec<P<'a, E>> {
    let option = |key: &'static str, value: P<'a, E>| node(STMT_OPTION, seq![kw(key), value]);
    let word_list =
        |words: &'static [&'static str]| seq![kws(words), many(seq![tok(COMMA), kws(words)])];
    let family = || opt(kws(&["ip", "ip6"]));
    // `to ADDR[:PORT]`, `to :PORT`, `to [dead::beef]:PORT`.
    let target = || {
        let port = seq![tok(COLON), x.expr.clone()];
        option(
            "to",
            alt(vec![port.clone(), seq![x.expr.clone(), opt(port)]]),
        )
    };
    let nat_flags = || {
        opt(node(
            STMT_OPTION,
            word_list(&["random", "fully-random", "persistent", "netmap"]),
        ))
    };
    let log_flag = alt(vec![
        seq![kw("tcp"), word_list(&["sequence", "options"])],
        seq![kw("ip"), kw("options")],
        kws(&["skuid", "ether", "all"]),
    ]);
    let log_option = alt(vec![
        option(
            "prefix",
            alt(vec![string(), variable(), node(LITERAL, word())]),
        ),
        option("level", node(LITERAL, word())),
        option("group", number()),
        option("snaplen", number()),
        option("queue-threshold", number()),
        option(
            "flags",
            seq![log_flag.clone(), many(seq![tok(COMMA), log_flag])],
        ),
    ]);
    let reject_with = option(
        "with",
        alt(vec![
            seq![kw("tcp"), kw("reset")],
            seq![
                kws(&["icmp", "icmpv6", "icmpx"]),
                opt(kw("type")),
                node(LITERAL, toks(&[WORD, NUMBER]))
            ],
        ]),
    );
    let queue_option = alt(vec![
        option("flags", word_list(&["bypass", "fanout"])),
        option("to", x.expr.clone()),
        option("num", x.value.clone()),
        node(STMT_OPTION, kws(&["bypass", "fanout"])),
    ]);
    let device = || opt(option("device", x.expr.clone()));
    vec![
        node(LOG_STMT, seq![kw("log"), many(log_option)]),
        node(REJECT_STMT, seq![kw("reject"), opt(reject_with)]),
        node(
            NAT_STMT,
            seq![
                kws(&["snat", "dnat"]),
                family(),
                opt(kws(&["prefix", "interval"])),
                opt(seq![kw("addr"), tok(DOT), kw("port")]),
                opt(target()),
                nat_flags(),
            ],
        ),
        node(
            NAT_STMT,
            seq![kws(&["masquerade", "redirect"]), opt(target()), nat_flags()],
        ),
        node(TPROXY_STMT, seq![kw("tproxy"), family(), target()]),
        node(
            DUP_STMT,
            seq![kw("dup"), family(), option("to", x.expr.clone()), device()],
        ),
        node(
            FWD_STMT,
            seq![kw("fwd"), family(), option("to", x.expr.clone()), device()],
        ),
        node(QUEUE_STMT, seq![kw("queue"), many(queue_option)]),
        node(NOTRACK_STMT, kw("notrack")),
        node(
            FLOW_STMT,
            seq![kw("flow"), kws(&["add", "offload"]), super::expr::set_ref()],
        ),
        node(
            SET_UPDATE_STMT,
            seq![
                kws(&["add", "update", "delete"]),
                super::expr::set_ref(),
                x.dynamic_set.clone()
            ],
        ),
        node(
            SET_UPDATE_STMT,
            seq![
                kw("set"),
                kws(&["add", "update"]),
                x.expr.clone(),
                super::expr::set_ref()
            ],
        ),
        node(
            METER_STMT,
            seq![
                kw("meter"),
                name(),
                opt(option("size", number())),
                x.dynamic_set.clone()
            ],
        ),
        node(
            SYNPROXY_STMT,
            seq![
                kw("synproxy"),
                alt(vec![
                    option("name", alt(vec![string(), variable(), x.expr.clone()])),
                    many(alt(vec![
                        option("mss", number()),
                        option("wscale", number()),
                        node(STMT_OPTION, kws(&["timestamp", "sack-perm"])),
                    ])),
                ]),
            ],
        ),
        node(
            OPTSTRIP_STMT,
            seq![kw("reset"), kw("tcp"), kw("option"), toks(&[WORD, NUMBER])],
        ),
        node(XT_STMT, seq![kw("xt"), word(), word()]),
    ]
}

/// `SELECTOR set EXPR`, `SELECTOR vmap MAP`, or a match `SELECTOR [OP] VALUE`.
fn expression_statement<'a, E: Ex<'a>>(x: &Exprs<'a, E>) -> P<'a, E> {
    let operator = alt(vec![
        toks(&[EQ2, NEQ, LT, GT, LTEQ, GTEQ, BANG]),
        kws(&["eq", "ne", "lt", "gt", "le", "ge"]),
    ]);
    let vmap_target = alt(vec![x.set.clone(), super::expr::set_ref(), variable()]);
    let tail = choice(vec![
        seq![kw("set"), x.expr_list.clone()]
            .map(|c| (SET_STMT, c))
            .boxed(),
        seq![kw("vmap"), vmap_target]
            .map(|c| (VMAP_STMT, c))
            .boxed(),
        seq![opt(operator), x.value_list.clone()]
            .map(|c| (MATCH_STMT, c))
            .boxed(),
    ]);
    // nft's grammar accepts any symbol on the left and rejects it during evaluation; requiring a
    // selector here reports `ip dport 53` at `dport`, where the mistake is.
    seq![peek(x.selector.clone()), x.expr.clone()]
        .then(tail)
        .map(|(mut lhs, (kind, rest))| {
            lhs.extend(rest);
            kind.node(lhs)
        })
        .boxed()
}

//! Files, commands and blocks: tables, chains, sets, maps, flowtables and stateful objects.

use chumsky::prelude::*;

use super::expr::{Exprs, exprs, name, number, string, time, variable};
use super::prim::*;
use super::stmt::{rule, stateful};
use crate::SyntaxKind::*;

pub(super) const FAMILIES: &[&str] = &["ip", "ip6", "inet", "arp", "bridge", "netdev"];
pub(super) const VERBS: &[&str] = &[
    "add", "create", "insert", "replace", "delete", "destroy", "flush", "list", "reset", "get",
    "import", "export", "monitor", "describe",
];

pub(super) fn source_file<'a, E: Ex<'a>>() -> impl Parser<'a, In<'a>, Out, E> {
    let x = exprs();
    let rule = rule(&x);
    let blocks = Blocks::new(&x, rule.clone());
    let objects = commands(&x, &blocks, rule.clone());

    let verb = node(
        COMMAND,
        alt(vec![
            seq![kw("rename"), kw("chain"), spec(2), name()],
            seq![
                kws(VERBS),
                alt(vec![
                    objects.blocks.clone(),
                    objects.loose.clone(),
                    node(SPEC, some(toks(&[WORD, NUMBER, QUOTED_STRING])))
                ])
            ],
        ]),
    );
    // Without a verb, the rule and element forms still get a COMMAND node of their own.
    let bare = alt(vec![objects.blocks, node(COMMAND, objects.loose)]);
    let command = alt(vec![common(&x), verb, bare]);
    let line_end = alt(vec![sep(), peek(end().map(|_| Vec::new()).boxed())]);
    let line = alt(vec![
        sep(),
        seq![
            command
                .recover_with(via_parser(skip_statement(true)))
                .boxed(),
            line_end
                .recover_with(via_parser(skip_statement(true)))
                .boxed()
        ],
    ]);
    many(line).then_ignore(end())
}

/// `include`, `define`, `redefine`, `undefine`: allowed at file level and inside blocks.
fn common<'a, E: Ex<'a>>(x: &Exprs<'a, E>) -> P<'a, E> {
    let negative = node(NEG_EXPR, seq![tok(MINUS), number()]);
    alt(vec![
        node(INCLUDE, seq![kw("include"), string()]),
        node(
            DEFINE,
            seq![
                kws(&["define", "redefine"]),
                node(NAME, word()),
                tok(EQ),
                alt(vec![negative, x.value_list.clone()])
            ],
        ),
        node(UNDEFINE, seq![kw("undefine"), node(NAME, word())]),
    ])
}

/// `[family] NAME NAME...`: the path to an object in a command. The last name may be `handle N`.
fn spec<'a, E: Ex<'a>>(names: usize) -> P<'a, E> {
    let family = node(FAMILY, kws(FAMILIES));
    let mut path: Vec<P<'a, E>> = (1..names).map(|_| name()).collect();
    path.push(alt(vec![position(), name()]));
    let path = sequence(path);
    node(SPEC, alt(vec![seq![family, path.clone()], path]))
}

fn position<'a, E: Ex<'a>>() -> P<'a, E> {
    node(
        POSITION,
        seq![kws(&["handle", "position", "index"]), number()],
    )
}

/// The objects a command names, with or without a verb in front.
struct Objects<'a, E: Ex<'a>> {
    /// Objects with a node of their own: `table ip t { ... }`, `chain ip t c`, `set ip t s`.
    blocks: P<'a, E>,
    /// `rule ip t c tcp dport 22 accept`, `element ip t s { 1 }`, and `t c drop` (a rule with no
    /// keywords at all): parts of their command's node.
    loose: P<'a, E>,
}

fn commands<'a, E: Ex<'a>>(x: &Exprs<'a, E>, b: &Blocks<'a, E>, rule: P<'a, E>) -> Objects<'a, E> {
    let blocks = alt(vec![
        node(TABLE, seq![kw("table"), spec(1), opt(b.table.clone())]),
        node(CHAIN, seq![kw("chain"), spec(2), opt(b.chain.clone())]),
        node(SET, seq![kw("set"), spec(2), opt(b.set.clone())]),
        node(MAP, seq![kw("map"), spec(2), opt(b.set.clone())]),
        node(
            FLOWTABLE,
            seq![kw("flowtable"), spec(2), opt(b.flowtable.clone())],
        ),
        node(
            OBJECT,
            seq![
                object_kind(),
                spec(2),
                opt(alt(vec![b.object.clone(), b.inline_object.clone()]))
            ],
        ),
    ]);
    let loose = alt(vec![
        seq![kw("element"), spec(2), alt(vec![x.set.clone(), variable()])],
        seq![kw("rule"), spec(2), opt(position()), opt(rule.clone())],
        seq![spec(2), opt(position()), rule],
    ]);
    Objects { blocks, loose }
}

fn object_kind<'a, E: Ex<'a>>() -> P<'a, E> {
    alt(vec![
        kws(&["counter", "quota", "limit", "secmark", "synproxy", "tunnel"]),
        seq![kw("ct"), kws(&["helper", "timeout", "expectation"])],
    ])
}

/// The `{ ... }` bodies.
struct Blocks<'a, E: Ex<'a>> {
    table: P<'a, E>,
    chain: P<'a, E>,
    set: P<'a, E>,
    flowtable: P<'a, E>,
    object: P<'a, E>,
    inline_object: P<'a, E>,
}

impl<'a, E: Ex<'a>> Blocks<'a, E> {
    fn new(x: &Exprs<'a, E>, rule: P<'a, E>) -> Self {
        let property = |p: P<'a, E>| node(PROPERTY, p);
        let flags = || property(seq![kw("flags"), word(), many(seq![tok(COMMA), word()])]);
        let comment = || property(seq![kw("comment"), string()]);
        let devices = || {
            property(node(
                DEVICES,
                alt(vec![
                    seq![
                        kw("device"),
                        alt(vec![
                            node(LITERAL, toks(&[WORD, QUOTED_STRING])),
                            variable()
                        ])
                    ],
                    seq![kw("devices"), tok(EQ), alt(vec![x.set.clone(), variable()])],
                ]),
            ))
        };
        let priority = || {
            let named = seq![
                node(LITERAL, word()),
                opt(seq![toks(&[PLUS, MINUS]), number()]),
            ];
            node(
                PRIORITY,
                seq![
                    kw("priority"),
                    alt(vec![
                        node(NEG_EXPR, seq![tok(MINUS), number()]),
                        number(),
                        variable(),
                        named
                    ]),
                ],
            )
        };
        let hook = || node(HOOK, seq![kw("hook"), word()]);

        let chain_type = property(seq![
            kw("type"),
            node(LITERAL, word()),
            hook(),
            opt(devices()),
            opt(priority()),
        ]);
        let chain = block(alt(vec![
            chain_type,
            property(seq![
                kw("policy"),
                alt(vec![node(LITERAL, word()), variable()])
            ]),
            flags(),
            devices(),
            comment(),
            common(x),
            rule,
        ]));

        let type_word = || node(LITERAL, word());
        let type_concat = || seq![type_word(), many(seq![tok(DOT), type_word()])];
        let data_type = node(
            DATA_TYPE,
            seq![
                type_concat(),
                opt(seq![tok(COLON), opt(kw("interval")), type_concat()])
            ],
        );
        let typeof_term = || alt(vec![x.selector.clone(), type_word()]);
        let typeof_concat = || seq![typeof_term(), many(seq![tok(DOT), typeof_term()])];
        let typeof_expr = node(
            DATA_TYPE,
            seq![
                typeof_concat(),
                opt(seq![tok(COLON), opt(kw("interval")), typeof_concat()])
            ],
        );
        let ended = |p: P<'a, E>| seq![p, item_end()];
        let set_item = alt(vec![
            ended(property(seq![kw("type"), data_type])),
            ended(property(seq![kw("typeof"), typeof_expr])),
            ended(flags()),
            ended(property(seq![kws(&["timeout", "gc-interval"]), time()])),
            ended(property(seq![kw("size"), number()])),
            ended(property(seq![kw("policy"), node(LITERAL, word())])),
            ended(comment()),
            ended(property(some(stateful(x.expr.clone())))),
            ended(common(x)),
            // nft needs no separator after these two.
            property(seq![
                kw("elements"),
                tok(EQ),
                alt(vec![x.set.clone(), variable()])
            ]),
            property(kw("auto-merge")),
        ])
        .recover_with(via_parser(skip_statement(false)))
        .boxed();
        let set = seq![tok(L_CURLY), many(alt(vec![sep(), set_item])), r_curly()];

        let flowtable = block(alt(vec![
            property(seq![hook(), opt(priority())]),
            devices(),
            property(kw("counter")),
            flags(),
            comment(),
        ]));

        // Object bodies are free-form lines (`over 25 mbytes used 10 mbytes`, `policy = { ... }`,
        // `vxlan { gbp 200 }`), and nft does not need a separator before their `}`.
        let object = recursive(|object| {
            let atom = alt(vec![
                toks(&[
                    WORD,
                    NUMBER,
                    QUOTED_STRING,
                    IPV4_ADDR,
                    IPV6_ADDR,
                    EQ,
                    COLON,
                    COMMA,
                    SLASH,
                    MINUS,
                    DOT,
                ]),
                variable(),
                x.set.clone(),
                object.boxed(),
            ]);
            seq![
                tok(L_CURLY),
                many(alt(vec![sep(), property(some(atom))])),
                r_curly()
            ]
        })
        .boxed();
        let inline_object = property(some(toks(&[WORD, NUMBER, QUOTED_STRING, SLASH])));

        let table_item = alt(vec![
            flags(),
            comment(),
            common(x),
            node(CHAIN, seq![kw("chain"), name(), chain.clone()]),
            node(SET, seq![kw("set"), name(), set.clone()]),
            node(MAP, seq![kw("map"), name(), set.clone()]),
            node(FLOWTABLE, seq![kw("flowtable"), name(), flowtable.clone()]),
            node(OBJECT, seq![object_kind(), name(), object.clone()]),
        ]);
        Blocks {
            table: block(table_item),
            chain,
            set,
            flowtable,
            object,
            inline_object,
        }
    }
}

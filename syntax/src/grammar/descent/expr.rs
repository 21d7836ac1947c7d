//! Expressions, as in `grammar/expr.rs`.

use super::{Parser, R, Stop, first_of};
use crate::SyntaxKind::{self, *};
use crate::grammar::expr::{
    BARE_META, EXTHDR_FIELDS, EXTHDRS, LITERAL_TOKENS, SCTP_CHUNK_FIELDS, TCP_OPTION_FIELDS,
    TUNNELS, fields_of, is_value_word,
};
use crate::shape::Event;

/// The binary operators by precedence, loosest first: a token, or the word nft also accepts.
const BINARY_OPERATORS: [(SyntaxKind, SyntaxKind, &str, &str); 4] = [
    (PIPE, PIPE, "or", "or"),
    (CARET, CARET, "xor", "xor"),
    (AMP, AMP, "and", "and"),
    (SHL, SHR, "lshift", "rshift"),
];

impl Parser<'_, '_> {
    pub(super) fn variable(&mut self) -> R {
        self.node(VARIABLE, |p| {
            p.tok(DOLLAR)?;
            p.word()
        })
    }

    pub(super) fn set_ref(&mut self) -> R {
        self.node(SET_REF, |p| {
            p.tok(AT)?;
            p.word()
        })
    }

    /// A name, or a variable holding one.
    pub(super) fn name(&mut self) -> R {
        first_of!(
            self,
            |p: &mut Self| p.node(NAME, Self::word),
            Self::variable
        )
    }

    pub(super) fn number(&mut self) -> R {
        self.node(LITERAL, |p| p.tok(NUMBER))
    }

    pub(super) fn string(&mut self) -> R {
        self.node(LITERAL, |p| p.tok(QUOTED_STRING))
    }

    /// A time (`1h30m`), plain seconds, `never` or a variable.
    pub(super) fn time(&mut self) -> R {
        first_of!(
            self,
            |p: &mut Self| p.node(LITERAL, |p| p.toks(&[WORD, NUMBER])),
            Self::variable
        )
    }

    /// The verdicts a map can hold.
    pub(super) fn verdict(&mut self) -> R {
        self.node(VERDICT_STMT, |p| {
            first_of!(
                p,
                |p: &mut Self| p.kws(&["accept", "drop", "continue", "return"]),
                |p: &mut Self| {
                    p.kws(&["jump", "goto"])?;
                    p.name()
                },
            )
        })
    }

    /// A constant, with ranges, prefixes, concatenations and binary operations: a set element key.
    pub(super) fn value(&mut self) -> R {
        self.layered(Self::constant)
    }

    /// A constant or a comma list of them: the right side of a match.
    pub(super) fn value_list(&mut self) -> R {
        self.separated(LIST_EXPR, COMMA, Self::value)
    }

    /// Selectors and constants with operators and `map`: statement arguments.
    pub(super) fn expr(&mut self) -> R {
        self.after_operand(Self::operand, Self::expr_rest)
    }

    /// [`Self::expr`] after its first operand, parsed from `mark` on.
    pub(super) fn expr_rest(&mut self, mark: usize) -> R {
        self.layered_rest(mark, Self::operand)?;
        self.postfix(
            mark,
            &[(MAP_EXPR, &|p| {
                p.kw("map")?;
                first_of!(p, Self::set, Self::set_ref, Self::variable)
            })],
        )?;
        Ok(())
    }

    /// `expr` or a comma list: `ct event set new,related`.
    pub(super) fn expr_list(&mut self) -> R {
        self.separated(LIST_EXPR, COMMA, Self::expr)
    }

    /// `{ ... }` of constants.
    pub(super) fn set(&mut self) -> R {
        self.set_block(Self::value)
    }

    /// `{ ... }` whose keys are selectors: `add @s { ip saddr timeout 1m }`.
    pub(super) fn dynamic_set(&mut self) -> R {
        self.set_block(Self::expr)
    }

    fn literal(&mut self) -> R {
        self.node(LITERAL, |p| {
            p.tok_if(|t| LITERAL_TOKENS.contains(&t.kind))
                .or_else(|_| p.value_word())
        })
    }

    /// A word that can start a value; needs two tokens of lookahead.
    fn value_word(&mut self) -> R {
        let next = self.nth(1);
        self.tok_if(|t| t.kind == WORD && is_value_word(t, next.as_ref()))
    }

    /// What a value is made of, by its first token.
    fn constant(&mut self) -> R {
        let Some(t) = self.peek() else {
            return Err(Stop::Miss);
        };
        match t.kind {
            WORD => self.literal(),
            DOLLAR => self.variable(),
            AT => self.set_ref(),
            L_BRACK => self.node(BRACKETED_ADDR, |p| {
                p.bump();
                p.tok(IPV6_ADDR)?;
                p.tok(R_BRACK)
            }),
            L_CURLY => self.set(),
            L_PAREN => self.nested(|p| {
                p.node(PAREN_EXPR, |p| {
                    p.bump();
                    p.expr()?;
                    p.tok(R_PAREN)
                })
            }),
            kind if LITERAL_TOKENS.contains(&kind) => self.literal(),
            _ => Err(Stop::Miss),
        }
    }

    /// What an expression is made of: a selector or a constant.
    fn operand(&mut self) -> R {
        first_of!(self, Self::selector, Self::constant)
    }

    /// Parses `operand`, then goes on with `rest` from where it started. The expression rules
    /// below all begin with their first operand; split this way, a caller that has parsed that
    /// operand already (a statement, by its selector) goes on with the `_rest` part.
    fn after_operand(
        &mut self,
        operand: fn(&mut Self) -> R,
        rest: impl FnOnce(&mut Self, usize) -> R,
    ) -> R {
        let mark = self.events.len();
        operand(self)?;
        rest(self, mark)
    }

    /// Binary operations, then a range or prefix, then concatenation, over `operand`.
    fn layered(&mut self, operand: fn(&mut Self) -> R) -> R {
        self.after_operand(operand, |p, mark| p.layered_rest(mark, operand))
    }

    fn layered_rest(&mut self, mark: usize, operand: fn(&mut Self) -> R) -> R {
        self.term_rest(mark, operand)?;
        let mut more = false;
        self.many(|p| {
            p.tok(DOT)?;
            p.after_operand(operand, |p, mark| p.term_rest(mark, operand))?;
            more = true;
            Ok(())
        })?;
        if more {
            self.wrap(mark, CONCAT_EXPR);
        }
        Ok(())
    }

    /// A binary operation, optionally followed by `- BINARY` (a range) or `/ MASK` (a prefix).
    fn term_rest(&mut self, mark: usize, operand: fn(&mut Self) -> R) -> R {
        self.binary_rest(mark, operand, 0)?;
        let range = |p: &mut Self| {
            p.tok(MINUS)?;
            p.binary(operand, 0)
        };
        // `syn / syn,ack`: a mask list after a flag; `10.0.0.0/8`: a prefix length.
        let prefix = |p: &mut Self| {
            p.tok(SLASH)?;
            first_of!(
                p,
                |p: &mut Self| p.node(LIST_EXPR, |p| {
                    p.node(LITERAL, Self::value_word)?;
                    p.some(|p| {
                        p.tok(COMMA)?;
                        p.node(LITERAL, Self::value_word)
                    })
                }),
                |p: &mut Self| p.binary(operand, 0),
            )
        };
        self.postfix(mark, &[(RANGE_EXPR, &range), (PREFIX_EXPR, &prefix)])?;
        Ok(())
    }

    /// Left-associative binary operators by precedence climbing, as chumsky's pratt parser does
    /// it: operators of level `min` or tighter; a right side that does not parse ends the chain
    /// before its operator.
    fn binary(&mut self, operand: fn(&mut Self) -> R, min: usize) -> R {
        self.after_operand(operand, |p, mark| p.binary_rest(mark, operand, min))
    }

    fn binary_rest(&mut self, mark: usize, operand: fn(&mut Self) -> R, min: usize) -> R {
        let mut wraps = 0;
        while let Some(level) = self.binary_operator() {
            if level < min {
                break;
            }
            let (pos, len) = (self.pos, self.events.len());
            self.bump();
            match self.binary(operand, level + 1) {
                Ok(()) => {
                    self.events.push(Event::Finish);
                    wraps += 1;
                }
                Err(Stop::Miss) => {
                    self.pos = pos;
                    self.events.truncate(len);
                    break;
                }
                Err(Stop::Bail) => return Err(Stop::Bail),
            }
        }
        if wraps > 0 {
            // Every operation of the chain wraps everything before it: all their nodes start here.
            self.events.splice(
                mark..mark,
                std::iter::repeat_n(Event::Start(BINARY_EXPR), wraps),
            );
        }
        Ok(())
    }

    /// The precedence level of the binary operator at the cursor, if there is one.
    fn binary_operator(&self) -> Option<usize> {
        let t = self.peek()?;
        BINARY_OPERATORS
            .iter()
            .position(|&(a, b, word_a, word_b)| match t.kind {
                WORD => t.text == word_a || t.text == word_b,
                kind => kind == a || kind == b,
            })
    }

    /// `{ element, ... }`. At most one newline may stand around each element, and an empty set
    /// is `{ }` on one line, as in nft.
    fn set_block(&mut self, key: fn(&mut Self) -> R) -> R {
        let member = |p: &mut Self| {
            p.set_element(key)?;
            p.opt(|p| p.tok(NEWLINE))
        };
        self.nested(|p| {
            p.node(SET_EXPR, |p| {
                p.tok(L_CURLY)?;
                first_of!(p, |p: &mut Self| p.tok(R_CURLY), |p: &mut Self| {
                    p.opt(|p| p.tok(NEWLINE))?;
                    member(p)?;
                    p.many(|p| {
                        p.tok(COMMA)?;
                        p.opt(|p| p.tok(NEWLINE))?;
                        p.opt(member)
                    })?;
                    p.tok(R_CURLY)
                },)
            })
        })
    }

    fn set_element(&mut self, key: fn(&mut Self) -> R) -> R {
        self.node(SET_ELEM, |p| {
            key(p)?;
            p.many(|p| {
                first_of!(
                    p,
                    |p: &mut Self| p.node(ELEM_OPTION, |p| {
                        first_of!(
                            p,
                            |p: &mut Self| {
                                p.kws(&["timeout", "expires"])?;
                                p.time()
                            },
                            |p: &mut Self| {
                                p.kw("comment")?;
                                p.string()
                            },
                        )
                    }),
                    |p: &mut Self| p.stateful(key),
                )
            })?;
            p.opt(|p| {
                p.tok(COLON)?;
                first_of!(p, Self::verdict, key)
            })
        })
    }

    /// Every selector form, by its first token.
    pub(super) fn selector(&mut self) -> R {
        let Some(t) = self.peek() else {
            return Err(Stop::Miss);
        };
        if t.kind == AT {
            return self.node(RAW_PAYLOAD_EXPR, |p| {
                p.bump();
                p.kws(&["ll", "nh", "th", "ih"])?;
                p.tok(COMMA)?;
                p.tok(NUMBER)?;
                p.tok(COMMA)?;
                p.tok(NUMBER)
            });
        }
        if t.kind != WORD {
            return Err(Stop::Miss);
        }
        match t.text {
            "tcp" => first_of!(
                self,
                |p: &mut Self| p.node(EXTHDR_EXPR, |p| {
                    p.bump();
                    p.kw("option")?;
                    first_of!(p, Self::raw_offsets, |p: &mut Self| {
                        p.toks(&[WORD, NUMBER])?;
                        p.opt(|p| p.kws(TCP_OPTION_FIELDS))
                    })
                }),
                Self::payload
            ),
            "ip" => first_of!(
                self,
                |p: &mut Self| p.node(EXTHDR_EXPR, |p| {
                    p.bump();
                    p.kw("option")?;
                    p.word()?;
                    p.opt(|p| p.kws(&["type", "length", "value", "ptr", "addr"]))
                }),
                Self::payload
            ),
            "sctp" => first_of!(
                self,
                |p: &mut Self| p.node(EXTHDR_EXPR, |p| {
                    p.bump();
                    p.kw("chunk")?;
                    p.word()?;
                    p.opt(|p| p.kws(SCTP_CHUNK_FIELDS))
                }),
                Self::payload
            ),
            "dccp" => first_of!(
                self,
                |p: &mut Self| p.node(EXTHDR_EXPR, |p| {
                    p.bump();
                    p.kw("option")?;
                    p.tok(NUMBER)
                }),
                Self::payload
            ),
            "exthdr" => self.node(EXTHDR_EXPR, |p| {
                p.bump();
                p.word()?;
                p.opt(|p| p.kws(EXTHDR_FIELDS))
            }),
            "rt" => first_of!(self, Self::payload, |p: &mut Self| p.node(RT_EXPR, |p| {
                p.bump();
                p.opt(|p| p.kws(&["ip", "ip6"]))?;
                p.kws(&["classid", "nexthop", "mtu", "ipsec"])
            })),
            "meta" => self.node(META_EXPR, |p| {
                p.bump();
                p.word()
            }),
            "ct" => self.node(CT_EXPR, |p| {
                p.bump();
                p.opt(|p| p.kws(&["original", "reply"]))?;
                p.opt(|p| p.kws(&["ip", "ip6"]))?;
                p.word()
            }),
            "fib" => self.node(FIB_EXPR, |p| {
                p.bump();
                p.separated(CONCAT_EXPR, DOT, |p| {
                    p.kws(&["saddr", "daddr", "mark", "iif", "oif"])
                })?;
                p.kws(&["oif", "oifname", "type", "check"])
            }),
            "socket" => self.node(SOCKET_EXPR, |p| {
                p.bump();
                first_of!(
                    p,
                    |p: &mut Self| {
                        p.kw("cgroupv2")?;
                        p.kw("level")?;
                        p.tok(NUMBER)
                    },
                    Self::word
                )
            }),
            "osf" => self.node(OSF_EXPR, |p| {
                p.bump();
                p.opt(|p| {
                    p.kw("ttl")?;
                    p.word()
                })?;
                p.kws(&["name", "version"])
            }),
            "numgen" => self.node(NUMGEN_EXPR, |p| {
                p.bump();
                p.kws(&["inc", "random"])?;
                p.kw("mod")?;
                p.tok(NUMBER)?;
                p.opt(|p| p.keyed_number("offset"))
            }),
            "jhash" | "symhash" => self.node(HASH_EXPR, |p| {
                if p.at_kw("jhash") {
                    p.bump();
                    p.nested(Self::expr)?;
                } else {
                    p.bump();
                }
                p.keyed_number("mod")?;
                p.opt(|p| p.keyed_number("seed"))?;
                p.opt(|p| p.keyed_number("offset"))
            }),
            "ipsec" => self.node(IPSEC_EXPR, |p| {
                p.bump();
                p.kws(&["in", "out"])?;
                p.opt(|p| p.keyed_number("spnum"))?;
                first_of!(
                    p,
                    |p: &mut Self| {
                        p.kws(&["ip", "ip6"])?;
                        p.kws(&["saddr", "daddr"])
                    },
                    |p: &mut Self| p.kws(&["spi", "reqid"]),
                )
            }),
            "tunnel" => self.node(TUNNEL_EXPR, |p| {
                p.bump();
                p.word()
            }),
            word if BARE_META.contains(&word) => self.node(META_EXPR, Self::bump_ok),
            _ => self.payload(),
        }
    }

    fn bump_ok(&mut self) -> R {
        self.bump();
        Ok(())
    }

    /// `WORD NUMBER`, as in `mod 2` and `offset 10`.
    fn keyed_number(&mut self, key: &str) -> R {
        self.kw(key)?;
        self.tok(NUMBER)
    }

    /// `@BASE,OFFSET,LEN` after `tcp option`.
    fn raw_offsets(&mut self) -> R {
        self.tok(AT)?;
        self.tok(NUMBER)?;
        self.tok(COMMA)?;
        self.tok(NUMBER)?;
        self.tok(COMMA)?;
        self.tok(NUMBER)
    }

    /// `PROTO FIELD` from the payload table, or a tunnel header before another payload.
    fn payload(&mut self) -> R {
        let Some(proto) = self.word_text() else {
            return Err(Stop::Miss);
        };
        let tunnel = |p: &mut Self| {
            if !TUNNELS.contains(&proto) {
                return Err(Stop::Miss);
            }
            p.node(PAYLOAD_EXPR, |p| {
                p.bump();
                p.nested(Self::payload)
            })
        };
        let field = |p: &mut Self| {
            let fields = fields_of(proto)
                .filter(|f| !f.is_empty())
                .ok_or(Stop::Miss)?;
            let kind = if EXTHDRS.contains(&proto) {
                EXTHDR_EXPR
            } else {
                PAYLOAD_EXPR
            };
            p.node(kind, |p| {
                let plain = |p: &mut Self| {
                    p.bump();
                    p.kws(fields)
                };
                if proto == "arp" {
                    // `arp saddr ip`, `arp daddr ether`: the address fields name their format.
                    first_of!(
                        p,
                        |p: &mut Self| {
                            p.bump();
                            p.kws(&["saddr", "daddr"])?;
                            p.opt(|p| p.kws(&["ether", "ip"]))
                        },
                        plain
                    )
                } else {
                    plain(p)?;
                    if matches!(proto, "rt0" | "srh") {
                        p.opt(|p| {
                            p.tok(L_BRACK)?;
                            p.tok(NUMBER)?;
                            p.tok(R_BRACK)
                        })?;
                    }
                    Ok(())
                }
            })
        };
        first_of!(self, tunnel, field)
    }
}

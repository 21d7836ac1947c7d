//! Rules and statements, as in `grammar/stmt.rs`.

use super::{Parser, R, Stop, first_of};
use crate::SyntaxKind::*;

const BYTE_UNITS: &[&str] = &["bytes", "kbytes", "mbytes"];

impl Parser<'_, '_> {
    /// A rule: statements, then an optional `comment "text"`.
    pub(super) fn rule(&mut self) -> R {
        self.node(RULE, |p| {
            p.some(Self::statement)?;
            p.opt(|p| {
                p.node(RULE_COMMENT, |p| {
                    p.kw("comment")?;
                    p.string()
                })
            })
        })
    }

    /// One statement, chosen by its first word. Only `jump`/`goto`, `ct` and `tunnel` start more
    /// than one kind of statement; any other word can only start the one named here (or none).
    fn statement(&mut self) -> R {
        let Some(word) = self.word_text() else {
            return self.expression_statement();
        };
        match word {
            "jump" | "goto" => first_of!(
                self,
                |p: &mut Self| p.node(VERDICT_STMT, |p| {
                    p.bump();
                    p.node(CHAIN_BLOCK, |p| p.block(Self::rule))
                }),
                Self::verdict
            ),
            "accept" | "drop" | "continue" | "return" => self.verdict(),
            "counter" | "limit" | "quota" | "last" | "ct" | "tunnel" => first_of!(
                self,
                |p: &mut Self| p.stateful(Self::expr),
                Self::expression_statement
            ),
            "log" => self.node(LOG_STMT, |p| {
                p.bump();
                p.many(Self::log_option)
            }),
            "reject" => self.node(REJECT_STMT, |p| {
                p.bump();
                p.opt(|p| p.option("with", Self::reject_with))
            }),
            "snat" | "dnat" => self.node(NAT_STMT, |p| {
                p.bump();
                p.family()?;
                p.opt(|p| p.kws(&["prefix", "interval"]))?;
                p.opt(|p| {
                    p.kw("addr")?;
                    p.tok(DOT)?;
                    p.kw("port")
                })?;
                p.opt(Self::target)?;
                p.nat_flags()
            }),
            "masquerade" | "redirect" => self.node(NAT_STMT, |p| {
                p.bump();
                p.opt(Self::target)?;
                p.nat_flags()
            }),
            "tproxy" => self.node(TPROXY_STMT, |p| {
                p.bump();
                p.family()?;
                p.target()
            }),
            "dup" => self.node(DUP_STMT, Self::dup_or_fwd),
            "fwd" => self.node(FWD_STMT, Self::dup_or_fwd),
            "queue" => self.node(QUEUE_STMT, |p| {
                p.bump();
                p.many(Self::queue_option)
            }),
            "notrack" => self.node(NOTRACK_STMT, |p| {
                p.bump();
                Ok(())
            }),
            "flow" => self.node(FLOW_STMT, |p| {
                p.bump();
                p.kws(&["add", "offload"])?;
                p.set_ref()
            }),
            "add" | "update" | "delete" => self.node(SET_UPDATE_STMT, |p| {
                p.bump();
                p.set_ref()?;
                p.dynamic_set()
            }),
            "set" => self.node(SET_UPDATE_STMT, |p| {
                p.bump();
                p.kws(&["add", "update"])?;
                p.expr()?;
                p.set_ref()
            }),
            "meter" => self.node(METER_STMT, |p| {
                p.bump();
                p.name()?;
                p.opt(|p| p.option("size", Self::number))?;
                p.dynamic_set()
            }),
            "synproxy" => self.node(SYNPROXY_STMT, |p| {
                p.bump();
                first_of!(
                    p,
                    |p: &mut Self| p.option("name", |p| first_of!(
                        p,
                        Self::string,
                        Self::variable,
                        Self::expr
                    )),
                    |p: &mut Self| p.many(|p| first_of!(
                        p,
                        |p: &mut Self| p.option("mss", Self::number),
                        |p: &mut Self| p.option("wscale", Self::number),
                        |p: &mut Self| p.node(STMT_OPTION, |p| p.kws(&["timestamp", "sack-perm"])),
                    )),
                )
            }),
            "reset" => self.node(OPTSTRIP_STMT, |p| {
                p.bump();
                p.kw("tcp")?;
                p.kw("option")?;
                p.toks(&[WORD, NUMBER])
            }),
            "xt" => self.node(XT_STMT, |p| {
                p.bump();
                p.word()?;
                p.word()
            }),
            _ => self.expression_statement(),
        }
    }

    /// `KEY VALUE` in a node of its own.
    fn option(&mut self, key: &str, value: impl FnOnce(&mut Self) -> R) -> R {
        self.node(STMT_OPTION, |p| {
            p.kw(key)?;
            value(p)
        })
    }

    /// Statements with state of their own, which sets and their elements can carry too. `name`
    /// parses what names the object: `counter name "c"`, `quota name ip saddr map @quotas`.
    pub(super) fn stateful(&mut self, name: fn(&mut Self) -> R) -> R {
        let by_name = |p: &mut Self| p.option("name", name);
        let over = |p: &mut Self| p.opt(|p| p.kws(&["over", "until"]));
        match self.word_text() {
            Some("counter") => self.node(COUNTER_STMT, |p| {
                p.bump();
                first_of!(p, by_name, |p: &mut Self| p.many(|p| first_of!(
                    p,
                    |p: &mut Self| p.option("packets", Self::number),
                    |p: &mut Self| p.option("bytes", Self::number),
                )))
            }),
            Some("limit") => self.node(LIMIT_STMT, |p| {
                p.bump();
                first_of!(p, by_name, |p: &mut Self| {
                    p.node(STMT_OPTION, |p| {
                        p.kw("rate")?;
                        over(p)?;
                        p.number()?;
                        p.rate_unit()
                    })?;
                    p.opt(|p| {
                        p.node(STMT_OPTION, |p| {
                            p.kw("burst")?;
                            p.number()?;
                            p.opt(|p| p.kws(&["packets", "bytes", "kbytes", "mbytes"]))
                        })
                    })
                })
            }),
            Some("quota") => self.node(QUOTA_STMT, |p| {
                p.bump();
                first_of!(p, by_name, |p: &mut Self| {
                    over(p)?;
                    p.number()?;
                    p.kws(BYTE_UNITS)?;
                    p.opt(|p| {
                        p.option("used", |p| {
                            p.number()?;
                            p.kws(BYTE_UNITS)
                        })
                    })
                })
            }),
            Some("last") => self.node(LAST_STMT, |p| {
                p.bump();
                p.opt(|p| p.option("used", Self::time))
            }),
            Some("ct") => self.node(CT_COUNT_STMT, |p| {
                p.bump();
                p.kw("count")?;
                p.opt(|p| p.kw("over"))?;
                p.number()
            }),
            Some("tunnel") => self.node(TUNNEL_STMT, |p| {
                p.bump();
                by_name(p)
            }),
            _ => Err(Stop::Miss),
        }
    }

    /// `/second` or `bytes/second`; nft's scanner also splits `bytes/second` and `bytes/ second`
    /// when they arrive as one word.
    fn rate_unit(&mut self) -> R {
        let joined = |with_time: bool| {
            move |p: &mut Self| {
                p.tok_if(|t| {
                    t.kind == WORD
                        && t.text.split_once('/').is_some_and(|(unit, time)| {
                            BYTE_UNITS.contains(&unit) && time.is_empty() != with_time
                        })
                })
            }
        };
        first_of!(
            self,
            joined(true),
            |p: &mut Self| {
                joined(false)(p)?;
                p.word()
            },
            |p: &mut Self| {
                p.opt(|p| p.kws(BYTE_UNITS))?;
                p.tok(SLASH)?;
                p.word()
            },
        )
    }

    fn family(&mut self) -> R {
        self.opt(|p| p.kws(&["ip", "ip6"]))
    }

    /// `WORD (, WORD)*` out of `words`.
    fn word_list(&mut self, words: &[&str]) -> R {
        self.kws(words)?;
        self.many(|p| {
            p.tok(COMMA)?;
            p.kws(words)
        })
    }

    /// `to ADDR[:PORT]`, `to :PORT`, `to [dead::beef]:PORT`.
    fn target(&mut self) -> R {
        let port = |p: &mut Self| {
            p.tok(COLON)?;
            p.expr()
        };
        self.option("to", |p| {
            first_of!(p, port, |p: &mut Self| {
                p.expr()?;
                p.opt(port)
            })
        })
    }

    fn nat_flags(&mut self) -> R {
        self.opt(|p| {
            p.node(STMT_OPTION, |p| {
                p.word_list(&["random", "fully-random", "persistent", "netmap"])
            })
        })
    }

    fn log_option(&mut self) -> R {
        first_of!(
            self,
            |p: &mut Self| p.option("prefix", |p| first_of!(
                p,
                Self::string,
                Self::variable,
                |p: &mut Self| p.node(LITERAL, Self::word)
            )),
            |p: &mut Self| p.option("level", |p| p.node(LITERAL, Self::word)),
            |p: &mut Self| p.option("group", Self::number),
            |p: &mut Self| p.option("snaplen", Self::number),
            |p: &mut Self| p.option("queue-threshold", Self::number),
            |p: &mut Self| p.option("flags", |p| {
                p.log_flag()?;
                p.many(|p| {
                    p.tok(COMMA)?;
                    p.log_flag()
                })
            }),
        )
    }

    fn log_flag(&mut self) -> R {
        first_of!(
            self,
            |p: &mut Self| {
                p.kw("tcp")?;
                p.word_list(&["sequence", "options"])
            },
            |p: &mut Self| {
                p.kw("ip")?;
                p.kw("options")
            },
            |p: &mut Self| p.kws(&["skuid", "ether", "all"]),
        )
    }

    fn reject_with(&mut self) -> R {
        first_of!(
            self,
            |p: &mut Self| {
                p.kw("tcp")?;
                p.kw("reset")
            },
            |p: &mut Self| {
                p.kws(&["icmp", "icmpv6", "icmpx"])?;
                p.opt(|p| p.kw("type"))?;
                p.node(LITERAL, |p| p.toks(&[WORD, NUMBER]))
            },
        )
    }

    fn queue_option(&mut self) -> R {
        first_of!(
            self,
            |p: &mut Self| p.option("flags", |p| p.word_list(&["bypass", "fanout"])),
            |p: &mut Self| p.option("to", Self::expr),
            |p: &mut Self| p.option("num", Self::value),
            |p: &mut Self| p.node(STMT_OPTION, |p| p.kws(&["bypass", "fanout"])),
        )
    }

    /// `dup`/`fwd [ip|ip6] to EXPR [device EXPR]`.
    fn dup_or_fwd(&mut self) -> R {
        self.bump();
        self.family()?;
        self.option("to", Self::expr)?;
        self.opt(|p| p.option("device", Self::expr))
    }

    /// `SELECTOR set EXPR`, `SELECTOR vmap MAP`, or a match `SELECTOR [OP] VALUE`.
    fn expression_statement(&mut self) -> R {
        let mark = self.events.len();
        // nft's grammar accepts any symbol on the left; requiring a selector reports
        // `ip dport 53` at `dport`, where the mistake is. (chumsky peeks at the selector and then
        // parses the expression, which starts with that same selector: parsed once here.)
        self.selector()?;
        self.expr_rest(mark)?;
        let matched = self.postfix(
            mark,
            &[
                (SET_STMT, &|p| {
                    p.kw("set")?;
                    p.expr_list()
                }),
                (VMAP_STMT, &|p| {
                    p.kw("vmap")?;
                    first_of!(p, Self::set, Self::set_ref, Self::variable)
                }),
                (MATCH_STMT, &|p| {
                    p.opt(|p| {
                        first_of!(
                            p,
                            |p: &mut Self| p.toks(&[EQ2, NEQ, LT, GT, LTEQ, GTEQ, BANG]),
                            |p: &mut Self| p.kws(&["eq", "ne", "lt", "gt", "le", "ge"]),
                        )
                    })?;
                    p.value_list()
                }),
            ],
        )?;
        if matched { Ok(()) } else { Err(Stop::Miss) }
    }
}

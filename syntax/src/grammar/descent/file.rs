//! Files, commands and blocks, as in `grammar/file.rs`.

use super::{Parser, R, Stop, first_of};
use crate::SyntaxKind::*;
use crate::grammar::file::{FAMILIES, VERBS};

impl Parser<'_, '_> {
    /// Lines of commands. chumsky skips a broken command or a missing separator as an ERROR node.
    pub(super) fn source_file(&mut self) -> R {
        while let Some(t) = self.peek() {
            if matches!(t.kind, NEWLINE | SEMICOLON) {
                self.bump();
                continue;
            }
            self.command().map_err(|_| Stop::Bail)?;
            if self.peek().is_some() {
                self.sep().map_err(|_| Stop::Bail)?;
            }
        }
        Ok(())
    }

    fn command(&mut self) -> R {
        first_of!(self, Self::common, Self::verb_command, Self::bare_command)
    }

    fn verb_command(&mut self) -> R {
        self.node(COMMAND, |p| {
            first_of!(
                p,
                |p: &mut Self| {
                    p.kw("rename")?;
                    p.kw("chain")?;
                    p.spec(2)?;
                    p.name()
                },
                |p: &mut Self| {
                    p.kws(VERBS)?;
                    first_of!(p, Self::object_block, Self::loose_object, |p: &mut Self| {
                        p.node(SPEC, |p| p.some(|p| p.toks(&[WORD, NUMBER, QUOTED_STRING])))
                    })
                },
            )
        })
    }

    /// Without a verb, the rule and element forms still get a COMMAND node of their own.
    fn bare_command(&mut self) -> R {
        first_of!(self, Self::object_block, |p: &mut Self| p
            .node(COMMAND, Self::loose_object))
    }

    /// `include`, `define`, `redefine`, `undefine`: allowed at file level and inside blocks.
    fn common(&mut self) -> R {
        first_of!(
            self,
            |p: &mut Self| p.node(INCLUDE, |p| {
                p.kw("include")?;
                p.string()
            }),
            |p: &mut Self| p.node(DEFINE, |p| {
                p.kws(&["define", "redefine"])?;
                p.node(NAME, Self::word)?;
                p.tok(EQ)?;
                first_of!(p, Self::negative_number, Self::value_list)
            }),
            |p: &mut Self| p.node(UNDEFINE, |p| {
                p.kw("undefine")?;
                p.node(NAME, Self::word)
            }),
        )
    }

    /// `-N`, in `define` and `priority`.
    fn negative_number(&mut self) -> R {
        self.node(NEG_EXPR, |p| {
            p.tok(MINUS)?;
            p.number()
        })
    }

    /// `[family] NAME NAME...`: the path to an object in a command. The last name may be
    /// `handle N`.
    fn spec(&mut self, names: usize) -> R {
        let path = |p: &mut Self| {
            for _ in 1..names {
                p.name()?;
            }
            first_of!(p, Self::position, Self::name)
        };
        self.node(SPEC, |p| {
            first_of!(
                p,
                |p: &mut Self| {
                    p.node(FAMILY, |p| p.kws(FAMILIES))?;
                    path(p)
                },
                path
            )
        })
    }

    fn position(&mut self) -> R {
        self.node(POSITION, |p| {
            p.kws(&["handle", "position", "index"])?;
            p.number()
        })
    }

    /// Objects with a node of their own: `table ip t { ... }`, `chain ip t c`, `set ip t s`.
    fn object_block(&mut self) -> R {
        let Some(word) = self.word_text() else {
            return Err(Stop::Miss);
        };
        match word {
            "table" => self.node(TABLE, |p| {
                p.bump();
                p.spec(1)?;
                p.opt(|p| p.block(Self::table_item))
            }),
            "chain" => self.node(CHAIN, |p| {
                p.bump();
                p.spec(2)?;
                p.opt(Self::chain_block)
            }),
            "set" | "map" => self.node(if word == "set" { SET } else { MAP }, |p| {
                p.bump();
                p.spec(2)?;
                p.opt(Self::set_body)
            }),
            "flowtable" => self.node(FLOWTABLE, |p| {
                p.bump();
                p.spec(2)?;
                p.opt(Self::flowtable_block)
            }),
            _ => self.node(OBJECT, |p| {
                p.object_kind()?;
                p.spec(2)?;
                p.opt(|p| first_of!(p, Self::object_body, Self::inline_object))
            }),
        }
    }

    /// `rule ip t c tcp dport 22 accept`, `element ip t s { 1 }`, and `t c drop` (a rule with no
    /// keywords at all): parts of their command's node.
    fn loose_object(&mut self) -> R {
        first_of!(
            self,
            |p: &mut Self| {
                p.kw("element")?;
                p.spec(2)?;
                first_of!(p, Self::set, Self::variable)
            },
            |p: &mut Self| {
                p.kw("rule")?;
                p.spec(2)?;
                p.opt(Self::position)?;
                p.opt(Self::rule)
            },
            |p: &mut Self| {
                p.spec(2)?;
                p.opt(Self::position)?;
                p.rule()
            },
        )
    }

    fn object_kind(&mut self) -> R {
        first_of!(
            self,
            |p: &mut Self| p.kws(&["counter", "quota", "limit", "secmark", "synproxy", "tunnel"]),
            |p: &mut Self| {
                p.kw("ct")?;
                p.kws(&["helper", "timeout", "expectation"])
            },
        )
    }

    fn property(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        self.node(PROPERTY, f)
    }

    fn flags(&mut self) -> R {
        self.property(|p| {
            p.kw("flags")?;
            p.word()?;
            p.many(|p| {
                p.tok(COMMA)?;
                p.word()
            })
        })
    }

    fn comment(&mut self) -> R {
        self.property(|p| {
            p.kw("comment")?;
            p.string()
        })
    }

    fn devices(&mut self) -> R {
        self.property(|p| {
            p.node(DEVICES, |p| {
                first_of!(
                    p,
                    |p: &mut Self| {
                        p.kw("device")?;
                        first_of!(
                            p,
                            |p: &mut Self| p.node(LITERAL, |p| p.toks(&[WORD, QUOTED_STRING])),
                            Self::variable
                        )
                    },
                    |p: &mut Self| {
                        p.kw("devices")?;
                        p.tok(EQ)?;
                        first_of!(p, Self::set, Self::variable)
                    },
                )
            })
        })
    }

    fn priority(&mut self) -> R {
        self.node(PRIORITY, |p| {
            p.kw("priority")?;
            first_of!(
                p,
                Self::negative_number,
                Self::number,
                Self::variable,
                |p: &mut Self| {
                    p.node(LITERAL, Self::word)?;
                    p.opt(|p| {
                        p.toks(&[PLUS, MINUS])?;
                        p.number()
                    })
                },
            )
        })
    }

    fn hook(&mut self) -> R {
        self.node(HOOK, |p| {
            p.kw("hook")?;
            p.word()
        })
    }

    fn chain_block(&mut self) -> R {
        self.braced_items(Self::chain_item)
    }

    /// One item of a chain and its separator, or all the rest of the chain's items when another
    /// thread parsed them ahead from here.
    pub(super) fn chain_item(&mut self) -> R {
        if self.take_ahead() {
            return Ok(());
        }
        self.chain_item_alone()?;
        self.item_end()
    }

    fn chain_item_alone(&mut self) -> R {
        first_of!(
            self,
            |p: &mut Self| p.property(|p| {
                p.kw("type")?;
                p.node(LITERAL, Self::word)?;
                p.hook()?;
                p.opt(Self::devices)?;
                p.opt(Self::priority)
            }),
            |p: &mut Self| p.property(|p| {
                p.kw("policy")?;
                first_of!(
                    p,
                    |p: &mut Self| p.node(LITERAL, Self::word),
                    Self::variable
                )
            }),
            Self::flags,
            Self::devices,
            Self::comment,
            Self::common,
            Self::rule,
        )
    }

    /// The body of a set or map declaration. Each item but `elements` and `auto-merge` needs a
    /// separator after it; chumsky skips a broken item as an ERROR node.
    fn set_body(&mut self) -> R {
        self.braced_items(Self::set_item)
    }

    fn set_item(&mut self) -> R {
        let ended = |p: &mut Self, f: fn(&mut Self) -> R| {
            f(p)?;
            p.item_end()
        };
        first_of!(
            self,
            |p: &mut Self| ended(p, |p| p.property(|p| {
                p.kw("type")?;
                p.data_type(|p| p.node(LITERAL, Self::word))
            })),
            |p: &mut Self| ended(p, |p| p.property(|p| {
                p.kw("typeof")?;
                p.data_type(|p| {
                    first_of!(p, Self::selector, |p: &mut Self| p
                        .node(LITERAL, Self::word))
                })
            })),
            |p: &mut Self| ended(p, Self::flags),
            |p: &mut Self| ended(p, |p| p.property(|p| {
                p.kws(&["timeout", "gc-interval"])?;
                p.time()
            })),
            |p: &mut Self| ended(p, |p| p.property(|p| {
                p.kw("size")?;
                p.number()
            })),
            |p: &mut Self| ended(p, |p| p.property(|p| {
                p.kw("policy")?;
                p.node(LITERAL, Self::word)
            })),
            |p: &mut Self| ended(p, Self::comment),
            |p: &mut Self| ended(p, |p| p.property(|p| p.some(|p| p.stateful(Self::expr)))),
            |p: &mut Self| ended(p, Self::common),
            // nft needs no separator after these two.
            |p: &mut Self| p.property(|p| {
                p.kw("elements")?;
                p.tok(EQ)?;
                first_of!(p, Self::set, Self::variable)
            }),
            |p: &mut Self| p.property(|p| p.kw("auto-merge")),
        )
    }

    /// `TERM (. TERM)* [: [interval] TERM (. TERM)*]`: a set's key and data types.
    fn data_type(&mut self, term: fn(&mut Self) -> R) -> R {
        let concat = |p: &mut Self| {
            term(p)?;
            p.many(|p| {
                p.tok(DOT)?;
                term(p)
            })
        };
        self.node(DATA_TYPE, |p| {
            concat(p)?;
            p.opt(|p| {
                p.tok(COLON)?;
                p.opt(|p| p.kw("interval"))?;
                concat(p)
            })
        })
    }

    fn flowtable_block(&mut self) -> R {
        self.block(|p| {
            first_of!(
                p,
                |p: &mut Self| p.property(|p| {
                    p.hook()?;
                    p.opt(Self::priority)
                }),
                Self::devices,
                |p: &mut Self| p.property(|p| p.kw("counter")),
                Self::flags,
                Self::comment,
            )
        })
    }

    /// Object bodies are free-form lines. chumsky has no recovery inside them but for a missing
    /// `}` at the end of the file.
    fn object_body(&mut self) -> R {
        self.tok(L_CURLY)?;
        self.nested(|p| {
            p.many(|p| {
                first_of!(p, Self::sep, |p: &mut Self| p
                    .property(|p| p.some(Self::object_atom)))
            })?;
            p.r_curly()
        })
    }

    fn object_atom(&mut self) -> R {
        first_of!(
            self,
            |p: &mut Self| p.toks(&[
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
            Self::variable,
            Self::set,
            Self::object_body,
        )
    }

    fn inline_object(&mut self) -> R {
        self.property(|p| p.some(|p| p.toks(&[WORD, NUMBER, QUOTED_STRING, SLASH])))
    }

    fn table_item(&mut self) -> R {
        first_of!(
            self,
            Self::flags,
            Self::comment,
            Self::common,
            |p: &mut Self| p.node(CHAIN, |p| {
                p.kw("chain")?;
                p.name()?;
                p.chain_block()
            }),
            |p: &mut Self| p.node(SET, |p| {
                p.kw("set")?;
                p.name()?;
                p.set_body()
            }),
            |p: &mut Self| p.node(MAP, |p| {
                p.kw("map")?;
                p.name()?;
                p.set_body()
            }),
            |p: &mut Self| p.node(FLOWTABLE, |p| {
                p.kw("flowtable")?;
                p.name()?;
                p.flowtable_block()
            }),
            |p: &mut Self| p.node(OBJECT, |p| {
                p.object_kind()?;
                p.name()?;
                p.object_body()
            }),
        )
    }
}

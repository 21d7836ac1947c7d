//! The model's chains compiled for running packets: each rule a list of operations, matches
//! read from the model's lowered predicates (the meaning every check shares) and the rest of
//! the statements read once, so that running a packet never goes back to the syntax tree.

use std::collections::HashMap;
use std::rc::Rc;

use smallvec::SmallVec;

use nftlint_syntax::SyntaxKind::{self, *};
use nftlint_syntax::{SyntaxNode, TextSize};
use rowan::GreenNodeData;

use super::index::ChainIndex;
use super::ops::{
    Key, Limit, MAX_PARTS, Nat, NatTo, Op, Part, Quota, Source, Test, Verdict, bitmask, limit,
    quota,
};
use super::packet::parse_address;
use crate::LineIndex;
use crate::model::predicate::{
    FieldType, Predicate, Relation, Values, field_type, read_value, selector_words,
};
use crate::model::{Loc, Model, NamedSet, green};
use crate::space::compile::HookOrder;
use crate::symbols::families::{ChainType, Family, Hook};

/// A compiled rule.
#[derive(Debug, Clone)]
pub(crate) struct RuleCode {
    pub loc: Loc,
    /// 1-based.
    pub line: usize,
    /// The rule's text on one line.
    pub text: Rc<str>,
    pub ops: SmallVec<[Op; 3]>,
}

#[derive(Debug, Clone)]
pub(crate) struct BaseCode {
    pub hook: Hook,
    pub priority: i32,
    pub policy_drop: bool,
    /// `type nat`: only the first packet of a connection passes it.
    pub nat: bool,
    /// Where the policy is written, or the chain's header.
    pub line: usize,
    /// The devices of an ingress or egress chain: it sees only their packets.
    pub devices: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct ChainCode {
    pub family: Family,
    pub table: Rc<str>,
    pub name: Rc<str>,
    pub file: usize,
    pub base: Option<BaseCode>,
    pub rules: Vec<RuleCode>,
    pub index: ChainIndex,
}

/// The ruleset ready to run.
pub(crate) struct Program {
    pub chains: Vec<ChainCode>,
    pub hooks: HookOrder,
    /// How many limits and quotas the rules hold: their state is kept by number.
    pub limits: Vec<Limit>,
    pub quotas: Vec<Quota>,
}

impl Program {
    pub(crate) fn new(model: &Model) -> Program {
        let lowered: HashMap<&SyntaxNode, &[Predicate]> = model
            .matches()
            .iter()
            .map(|m| (&m.statement, m.predicates.as_slice()))
            .collect();
        let lines: Vec<LineIndex> = model
            .files
            .iter()
            .map(|f| LineIndex::new(&f.source.text))
            .collect();
        let mut program = Program {
            chains: Vec::new(),
            hooks: HookOrder::default(),
            limits: Vec::new(),
            quotas: Vec::new(),
        };
        // Chains by table and name, for jumps.
        let mut index: HashMap<(usize, &str), usize> = HashMap::new();
        let mut at = 0;
        for (t, table) in model.tables.iter().enumerate() {
            if ip_family(&table.family).is_none() {
                continue;
            }
            for chain in &table.chains {
                index.entry((t, chain.name.as_str())).or_insert(at);
                at += 1;
            }
        }
        for (t, table) in model.tables.iter().enumerate() {
            let Some(family) = ip_family(&table.family) else {
                continue;
            };
            for chain in &table.chains {
                let line = |loc: &Loc| lines[loc.file].line_col(loc.range.start).line;
                let base = chain.base.as_ref().and_then(|b| {
                    let hook = Hook::from_name(&b.hook)?;
                    let chain_type = ChainType::from_name(&b.chain_type)?;
                    chain_type.supports(family, hook).then_some(())?;
                    Some(BaseCode {
                        hook,
                        priority: b.priority_value(family, hook).ok().flatten().unwrap_or(0),
                        policy_drop: chain.policy.as_deref() == Some("drop"),
                        nat: chain_type == ChainType::Nat,
                        line: line(&b.loc),
                        devices: b.devices.clone(),
                    })
                });
                let mut compiler = Compiler {
                    model,
                    lowered: &lowered,
                    table: t,
                    chains: &index,
                    program: &mut program,
                };
                let rules: Vec<RuleCode> = chain
                    .rules
                    .iter()
                    .map(|rule| {
                        let loc = Loc::of(rule.file, &rule.node);
                        RuleCode {
                            line: line(&loc),
                            text: model.quote(&loc).into(),
                            ops: compiler.rule(rule.file, &rule.node),
                            loc,
                        }
                    })
                    .collect();
                program.chains.push(ChainCode {
                    family,
                    table: table.name.as_str().into(),
                    name: chain.name.as_str().into(),
                    file: chain.loc.file,
                    base,
                    index: ChainIndex::default(),
                    rules,
                });
            }
        }
        // `notrack` changes what later rules see of `ct state`: then it is not indexed.
        let state_fixed = !program
            .chains
            .iter()
            .flat_map(|c| &c.rules)
            .any(|r| r.ops.iter().any(|op| matches!(op, Op::Notrack)));
        for chain in &mut program.chains {
            chain.index = ChainIndex::new(&chain.rules, state_fixed);
        }
        program.hooks = HookOrder::new(
            program
                .chains
                .iter()
                .map(|c| c.base.as_ref().map(|b| (b.hook, b.priority))),
        );
        program
    }

    /// The base chains on a hook in the order the kernel runs them.
    pub(crate) fn hook_chains(&self, hook: Hook) -> &[usize] {
        self.hooks.chains(hook)
    }
}

/// A map's key fields, and each element's key with the node of its value.
type MapElements = (Vec<Key>, Vec<(Vec<Part>, SyntaxNode)>);

/// The families whose chains see routed IPv4 and IPv6 packets: bridge chains see only what a
/// bridge forwards, arp chains no IP at all.
fn ip_family(name: &str) -> Option<Family> {
    Family::from_name(name)
        .filter(|f| matches!(f, Family::Ip | Family::Ip6 | Family::Inet | Family::Netdev))
}

struct Compiler<'a, 'm> {
    model: &'m Model,
    lowered: &'a HashMap<&'m SyntaxNode, &'m [Predicate]>,
    table: usize,
    chains: &'a HashMap<(usize, &'m str), usize>,
    program: &'a mut Program,
}

impl Compiler<'_, '_> {
    fn rule(&mut self, file: usize, rule: &SyntaxNode) -> SmallVec<[Op; 3]> {
        rule.children()
            .filter(|s| s.kind() != RULE_COMMENT)
            .map(|statement| self.statement(file, &statement))
            .collect()
    }

    fn statement(&mut self, file: usize, statement: &SyntaxNode) -> Op {
        match statement.kind() {
            MATCH_STMT => self.matching(file, statement),
            VMAP_STMT => self.vmap(file, statement),
            VERDICT_STMT => Op::Verdict(self.verdict(statement)),
            REJECT_STMT => Op::Reject,
            COUNTER_STMT | LOG_STMT | LAST_STMT => Op::Nop,
            NOTRACK_STMT => Op::Notrack,
            LIMIT_STMT => match limit(&words(statement)) {
                Some(spec) => {
                    self.program.limits.push(spec);
                    Op::Limit(self.program.limits.len() - 1)
                }
                None => unknown(statement),
            },
            QUOTA_STMT => match quota(&words(statement)) {
                Some(spec) => {
                    self.program.quotas.push(spec);
                    Op::Quota(self.program.quotas.len() - 1)
                }
                None => unknown(statement),
            },
            SET_STMT => self.assignment(file, statement),
            NAT_STMT => self.nat(file, statement),
            _ => unknown(statement),
        }
    }

    fn variables(
        &self,
    ) -> impl Fn(usize, TextSize) -> Option<(usize, rowan::GreenNode, TextSize)> + '_ {
        |file, at| self.model.variable_at(file, at)
    }

    /// A match statement: its lowered predicates, or for what they leave unread (a
    /// concatenation, a bitmask operation), the statement itself.
    fn matching(&self, file: usize, statement: &SyntaxNode) -> Op {
        let predicates = self.lowered.get(statement).copied().unwrap_or_default();
        let mut tests = Vec::new();
        for predicate in predicates {
            let test = match &predicate.values {
                Values::Opaque => self.unread_match(file, statement),
                Values::Set(name) => self.set_test(predicate, name),
                values => single(predicate, values),
            };
            tests.push(test);
        }
        match tests.len() {
            1 => Op::Test(tests.pop().expect("one test")),
            _ => Op::Tests(tests),
        }
    }

    /// A predicate on a named set: the packet's value among the elements the file gives it.
    fn set_test(&self, predicate: &Predicate, name: &str) -> Test {
        let words: Vec<&str> = predicate.selector.split(' ').collect();
        let (Some(key), Some(field)) = (Key::of(&predicate.selector), field_type(&words)) else {
            return Test::Unknown(format!(
                "nftlint does not evaluate `{}`",
                predicate.selector
            ));
        };
        let Some(set) = self.model.tables[self.table].set(name) else {
            return Test::Unknown(format!("no set @{name}"));
        };
        let elements = self.set_elements(set, &[field]);
        let negated = predicate.relation == Relation::Ne;
        match elements {
            Ok(elements) => Test::Tuple {
                keys: vec![key],
                negated,
                elements,
            },
            Err(why) => Test::Unknown(why),
        }
    }

    /// The keys of a named set's elements, as tuples of `fields`, after the file's commands.
    fn set_elements(&self, set: &NamedSet, fields: &[FieldType]) -> Result<Vec<Vec<Part>>, String> {
        let mut elements: Vec<Vec<Part>> = Vec::new();
        for (file, declaration) in &set.declarations {
            for property in declaration.children().filter(|c| c.kind() == PROPERTY) {
                if green::first_word(property.green()) == Some("elements")
                    && let Some(list) = property.children().find(|c| c.kind() == SET_EXPR)
                {
                    elements.extend(self.keys(*file, &list, fields)?);
                }
            }
        }
        for command in &set.element_commands {
            let Some(list) = command.node.descendants().find(|c| c.kind() == SET_EXPR) else {
                continue;
            };
            let keys = self.keys(command.file, &list, fields)?;
            if command.add {
                elements.extend(keys);
            } else {
                elements.retain(|e| !keys.contains(e));
            }
        }
        Ok(elements)
    }

    /// The key of each element of a set expression, read as a tuple of `fields`.
    fn keys(
        &self,
        file: usize,
        list: &SyntaxNode,
        fields: &[FieldType],
    ) -> Result<Vec<Vec<Part>>, String> {
        green::children_at(list.green(), list.text_range().start())
            .filter(|&(e, _)| green::node_kind(e) == SET_ELEM)
            .filter_map(|(e, at)| green::children_at(e, at).next())
            .map(|(key, at)| self.tuple(file, key, at, fields))
            .collect()
    }

    /// A value (`1.2.3.4 . 22`) read as a tuple of `fields`.
    fn tuple(
        &self,
        file: usize,
        value: &GreenNodeData,
        start: TextSize,
        fields: &[FieldType],
    ) -> Result<Vec<Part>, String> {
        let parts: Vec<(&GreenNodeData, TextSize)> = match green::node_kind(value) {
            CONCAT_EXPR => green::children_at(value, start).collect(),
            _ => vec![(value, start)],
        };
        if parts.len() != fields.len() {
            return Err(format!(
                "`{value}` has {} parts where the key has {}",
                parts.len(),
                fields.len()
            ));
        }
        parts
            .iter()
            .zip(fields)
            .map(|(&(part, at), &field)| {
                match read_value(&self.variables(), file, field, part, at) {
                    Some(Values::Ints(ranges)) => Ok(Part::Ints(ranges)),
                    Some(Values::Names(names)) => Ok(Part::Names(names)),
                    _ => Err(format!("nftlint does not read `{part}`")),
                }
            })
            .collect()
    }

    /// A match the predicates do not read: a concatenation in a set, or a bitmask operation
    /// (`tcp flags & (syn | ack) == syn`).
    fn unread_match(&self, file: usize, statement: &SyntaxNode) -> Test {
        let mut children = green::children_at(statement.green(), statement.text_range().start());
        let Some((lhs, _)) = children.next() else {
            return Test::Unknown("an empty match".to_string());
        };
        let rhs = children.next();
        let negated =
            green::child_tokens(statement.green()).any(|t| matches!(t, (NEQ, _) | (WORD, "ne")));
        match (green::node_kind(lhs), rhs) {
            (CONCAT_EXPR, Some((rhs, rhs_start))) => {
                let Some((keys, fields)) = concat_keys(lhs) else {
                    return Test::Unknown(format!("nftlint does not evaluate `{lhs}`"));
                };
                let elements = match green::node_kind(rhs) {
                    SET_EXPR => {
                        let list = statement
                            .children()
                            .find(|c| c.text_range().start() == rhs_start);
                        match list {
                            Some(list) => self.keys(file, &list, &fields),
                            None => Err("a set".to_string()),
                        }
                    }
                    SET_REF => {
                        let name = green::set_ref_name(rhs);
                        match self.model.tables[self.table].set(&name) {
                            Some(set) => self.set_elements(set, &fields),
                            None => Err(format!("no set @{name}")),
                        }
                    }
                    _ => self.tuple(file, rhs, rhs_start, &fields).map(|t| vec![t]),
                };
                match elements {
                    Ok(elements) => Test::Tuple {
                        keys,
                        negated,
                        elements,
                    },
                    Err(why) => Test::Unknown(why),
                }
            }
            (BINARY_EXPR, Some((rhs, rhs_start))) => {
                self.masked(file, lhs, statement, rhs, rhs_start, negated)
            }
            _ => Test::Unknown(format!("nftlint does not evaluate `{}`", statement.text())),
        }
    }

    /// `SELECTOR & MASK == VALUE` (or `!=`).
    fn masked(
        &self,
        file: usize,
        lhs: &GreenNodeData,
        statement: &SyntaxNode,
        rhs: &GreenNodeData,
        rhs_start: TextSize,
        negated: bool,
    ) -> Test {
        let lhs_start = statement.text_range().start();
        let mut operands = green::children_at(lhs, lhs_start);
        let operator = green::child_tokens(lhs).find(|(k, _)| !k.is_trivia());
        let (Some((selector, _)), Some((mask, mask_start)), Some((AMP, _))) =
            (operands.next(), operands.next(), operator)
        else {
            return Test::Unknown(format!("nftlint does not evaluate `{}`", statement.text()));
        };
        let words = selector_words(selector);
        let (Some(key), Some(field)) = (Key::of(&words.join(" ")), field_type(&words)) else {
            return Test::Unknown(format!("nftlint does not evaluate `{selector}`"));
        };
        let constant = |value: &GreenNodeData, at: TextSize| {
            bitmask(&self.variables(), file, field, value, at)
        };
        match (constant(mask, mask_start), constant(rhs, rhs_start)) {
            (Some(mask), Some(value)) => Test::Masked {
                key,
                mask,
                value,
                negated,
            },
            _ => Test::Unknown(format!("nftlint does not evaluate `{}`", statement.text())),
        }
    }

    /// `KEY vmap { ... }` or `KEY vmap @map`: the verdict of the element the key finds.
    fn vmap(&self, file: usize, statement: &SyntaxNode) -> Op {
        let mut children = statement.children();
        let (Some(lhs), Some(map)) = (children.next(), children.last()) else {
            return unknown(statement);
        };
        let Some((keys, entries)) = self.map(file, &lhs, &map) else {
            return unknown(statement);
        };
        let entries = entries
            .into_iter()
            .map(|(tuple, value)| match value.kind() {
                VERDICT_STMT => Some((tuple, self.verdict(&value))),
                _ => None,
            })
            .collect::<Option<Vec<_>>>();
        let Some(entries) = entries else {
            return unknown(statement);
        };
        let dependencies: Vec<Test> = self
            .lowered
            .get(statement)
            .copied()
            .unwrap_or_default()
            .iter()
            .filter(|p| p.implied_by.is_some())
            .filter_map(|p| match &p.values {
                Values::Ints(_) => Some(single(p, &p.values)),
                _ => None,
            })
            .collect();
        Op::Vmap {
            dependencies,
            keys,
            entries,
        }
    }

    /// A map looked up by `key` (a selector or a concatenation): its elements' keys read as
    /// tuples, each with the node of its value, from an anonymous map or a named one the file
    /// fills at declaration. `None` where nftlint does not read the key or an element.
    fn map(&self, file: usize, key: &SyntaxNode, map: &SyntaxNode) -> Option<MapElements> {
        let (keys, fields) = match key.kind() {
            CONCAT_EXPR => concat_keys(key.green())?,
            _ => {
                let words = selector_words(key.green());
                (vec![Key::of(&words.join(" "))?], vec![field_type(&words)?])
            }
        };
        let (file, elements): (usize, Vec<SyntaxNode>) = match map.kind() {
            SET_EXPR => (
                file,
                map.children().filter(|e| e.kind() == SET_ELEM).collect(),
            ),
            SET_REF => {
                let declared =
                    self.model.tables[self.table].set(&green::set_ref_name(map.green()))?;
                if !declared.element_commands.is_empty() || declared.declarations.len() != 1 {
                    return None;
                }
                let (file, declaration) = &declared.declarations[0];
                let elements = declaration
                    .descendants()
                    .filter(|e| e.kind() == SET_ELEM)
                    .collect();
                (*file, elements)
            }
            _ => return None,
        };
        let entries = elements
            .iter()
            .map(|element| {
                let mut parts = element.children();
                let (key, value) = (parts.next()?, parts.last()?);
                let tuple = self
                    .tuple(file, key.green(), key.text_range().start(), &fields)
                    .ok()?;
                Some((tuple, value))
            })
            .collect::<Option<Vec<_>>>()?;
        Some((keys, entries))
    }

    fn verdict(&self, statement: &SyntaxNode) -> Verdict {
        let Some(word) = green::first_word(statement.green()) else {
            return Verdict::Unknown(statement.text().to_string());
        };
        let target = || {
            let name = statement.children().find(|n| n.kind() == NAME)?;
            let name = name.text().to_string();
            self.chains
                .get(&(self.table, name.trim_matches('"')))
                .copied()
        };
        match word {
            "accept" => Verdict::Accept,
            "drop" => Verdict::Drop,
            "continue" => Verdict::Continue,
            "return" => Verdict::Return,
            "jump" | "goto" => match target() {
                Some(chain) if word == "jump" => Verdict::Jump(chain),
                Some(chain) => Verdict::Goto(chain),
                None => Verdict::Unknown(format!("nftlint does not follow `{}`", statement.text())),
            },
            _ => Verdict::Unknown(format!("nftlint does not follow `{}`", statement.text())),
        }
    }

    /// `meta mark set 0x1`, `ct mark set meta mark`: the fields later rules see changed.
    fn assignment(&self, file: usize, statement: &SyntaxNode) -> Op {
        let mut children = statement.children();
        let (Some(target), Some(value)) = (children.next(), children.next()) else {
            return unknown(statement);
        };
        let words = selector_words(target.green());
        let Some(key @ (Key::Mark | Key::CtMark)) = Key::of(&words.join(" ")) else {
            // Other fields set (`meta priority`, `ip dscp`) change nothing nftlint reads.
            return Op::Nop;
        };
        let source = match value.kind() {
            MAP_EXPR => {
                let mut parts = value.children();
                let (Some(lookup), Some(map)) = (parts.next(), parts.last()) else {
                    return unknown(statement);
                };
                let entries = self.map(file, &lookup, &map).and_then(|(keys, entries)| {
                    let marks = entries
                        .into_iter()
                        .map(|(tuple, mark)| Some((tuple, self.mark(file, &mark)?)))
                        .collect::<Option<Vec<_>>>()?;
                    Some((keys, marks))
                });
                match entries {
                    Some((keys, entries)) => Source::Map { keys, entries },
                    None => return unknown(statement),
                }
            }
            META_EXPR | CT_EXPR => match Key::of(&selector_words(value.green()).join(" ")) {
                Some(from @ (Key::Mark | Key::CtMark)) => Source::Key(from),
                _ => return unknown(statement),
            },
            _ => match self.mark(file, &value) {
                Some(mark) => Source::Const(mark),
                None => return unknown(statement),
            },
        };
        Op::Set { key, source }
    }

    /// A constant mark: `0x1`, `$mark`.
    fn mark(&self, file: usize, value: &SyntaxNode) -> Option<u32> {
        let field = FieldType::Integer(32);
        let start = value.text_range().start();
        match read_value(&self.variables(), file, field, value.green(), start)? {
            Values::Ints(v) if v.len() == 1 && v[0].0 == v[0].1 => u32::try_from(v[0].0).ok(),
            _ => None,
        }
    }

    /// `dnat ip to 192.0.2.1:22`, `redirect to :8080`, `snat to 10.0.0.1`, `masquerade`: they
    /// accept the packet and rewrite the addresses and ports later hooks see.
    fn nat(&self, file: usize, statement: &SyntaxNode) -> Op {
        let Some(kind) = green::first_word(statement.green()) else {
            return unknown(statement);
        };
        let destination = matches!(kind, "dnat" | "redirect");
        let option = statement
            .children()
            .find(|c| c.kind() == STMT_OPTION && green::first_word(c.green()) == Some("to"));
        let Some(option) = option else {
            // `masquerade`, `redirect`: the host's own address, which the packet does not say.
            return Op::Nat(Nat {
                destination,
                to: NatTo::Fixed(None, None),
            });
        };
        if let Some(map) = option.children().find(|c| c.kind() == MAP_EXPR) {
            let mut parts = map.children();
            let (Some(lookup), Some(elements)) = (parts.next(), parts.last()) else {
                return unknown(statement);
            };
            let entries = self
                .map(file, &lookup, &elements)
                .and_then(|(keys, entries)| {
                    let targets = entries
                        .into_iter()
                        .map(|(tuple, target)| {
                            Some((tuple, nat_target(target.children_with_tokens())?))
                        })
                        .collect::<Option<Vec<_>>>()?;
                    Some((keys, targets))
                });
            return match entries {
                Some((keys, entries)) => Op::Nat(Nat {
                    destination,
                    to: NatTo::Map { keys, entries },
                }),
                None => unknown(statement),
            };
        }
        match nat_target(option.children_with_tokens()) {
            Some((address, port)) => Op::Nat(Nat {
                destination,
                to: NatTo::Fixed(address, port),
            }),
            None => unknown(statement),
        }
    }
}

/// An address and a port as a NAT statement writes them: `192.0.2.1:22`, `[2001:db8::1]:22`,
/// `:8080`, or a map's value `10.0.0.2 . 8080`. `None` for ranges and what is not a constant.
fn nat_target(
    elements: impl Iterator<Item = nftlint_syntax::SyntaxElement>,
) -> Option<(Option<u128>, Option<u16>)> {
    let (mut address, mut port) = (None, None);
    let mut after_separator = false;
    for element in elements {
        match element.kind() {
            COLON | DOT => after_separator = true,
            LITERAL | BRACKETED_ADDR => {
                let text = element.to_string();
                let text = text.trim_matches(|c| c == '[' || c == ']');
                if after_separator {
                    port = Some(text.parse::<u16>().ok()?);
                } else {
                    address =
                        Some(parse_address(text, false).or_else(|| parse_address(text, true))?);
                }
            }
            CONCAT_EXPR => {
                let node = element.into_node()?;
                return nat_target(node.children_with_tokens());
            }
            RANGE_EXPR | PREFIX_EXPR | VARIABLE | SET_EXPR => return None,
            _ => {}
        }
    }
    Some((address, port))
}

/// The keys and field types of a concatenation's parts, if nftlint models each.
fn concat_keys(concat: &GreenNodeData) -> Option<(Vec<Key>, Vec<FieldType>)> {
    if green::children_at(concat, TextSize::from(0)).count() > MAX_PARTS {
        return None;
    }
    green::children_at(concat, TextSize::from(0))
        .map(|(part, _)| {
            let words = selector_words(part);
            Some((Key::of(&words.join(" "))?, field_type(&words)?))
        })
        .collect::<Option<Vec<_>>>()
        .map(|parts| parts.into_iter().unzip())
}

/// A predicate with constants read: the packet's value compared with them.
fn single(predicate: &Predicate, values: &Values) -> Test {
    let Some(key) = Key::of(&predicate.selector) else {
        return Test::Unknown(format!(
            "nftlint does not evaluate `{}`",
            predicate.selector
        ));
    };
    let part = match values {
        Values::Ints(ranges) => Part::Ints(ranges.clone()),
        Values::Names(names) => Part::Names(names.clone()),
        _ => {
            return Test::Unknown(format!(
                "nftlint does not evaluate `{}`",
                predicate.selector
            ));
        }
    };
    Test::Single {
        key,
        relation: predicate.relation,
        part,
    }
}

/// A statement nftlint does not run: evaluation stops there with the reason.
fn unknown(statement: &SyntaxNode) -> Op {
    Op::Unknown(format!(
        "nftlint does not evaluate `{}`",
        statement
            .text()
            .to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    ))
}

/// The statement's significant words, `/` apart: `limit rate over 10 / second burst 5 packets`.
fn words(statement: &SyntaxNode) -> Vec<String> {
    let mut words = Vec::new();
    green::for_each_token(statement.green(), |kind: SyntaxKind, text| {
        if !kind.is_trivia() && kind != NEWLINE {
            for (i, piece) in text.split('/').enumerate() {
                if i > 0 {
                    words.push("/".to_string());
                }
                if !piece.is_empty() {
                    words.push(piece.to_string());
                }
            }
        }
    });
    words
}

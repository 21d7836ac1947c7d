//! Compiles the model's chains into what the analysis and the evaluator run: for each rule, the
//! cube of packets it matches and what it does with them.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use nftlint_syntax::SyntaxKind::{self, *};
use nftlint_syntax::{SyntaxNode, TextSize};
use rowan::GreenNodeData;
use rustc_hash::{FxHashMap, FxHashSet};

use super::cube::Cube;
use super::field::{CT_STATES, Domain, FieldId, Fields, ct_state_index};
use super::intset::IntSet;
use crate::model::predicate::{
    Predicate, Relation, Values, dependencies_of, field_type, read_elements, selector_words, union,
};
use crate::model::{Loc, Model, green};
use crate::symbols::families::{Family, Hook};

/// What a rule does with the packets it matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Action {
    /// No verdict: the packet goes on to the next rule.
    Continue,
    Accept,
    Drop,
    /// `reject`, with its statement text: a drop that answers.
    Reject(String),
    Return,
    /// A jump or goto to a chain of the same table, by index into [`Ruleset::chains`].
    Jump(usize),
    Goto(usize),
    /// A decision nftlint does not follow: a verdict map, `queue`, an anonymous chain, a jump to a
    /// chain that does not exist.
    Elsewhere,
}

impl Action {
    /// Whether the packets the rule matches never reach the chain's next rule.
    pub(crate) fn ends_chain(&self) -> bool {
        matches!(
            self,
            Action::Accept | Action::Drop | Action::Reject(_) | Action::Return | Action::Goto(_)
        )
    }

    /// What the rule does, as a verb for messages: "accepts", "drops".
    pub(crate) fn verb(&self) -> &'static str {
        match self {
            Action::Continue => "matches",
            Action::Accept => "accepts",
            Action::Drop => "drops",
            Action::Reject(_) => "rejects",
            Action::Return => "returns",
            Action::Jump(_) | Action::Goto(_) => "hands on",
            Action::Elsewhere => "decides",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct CompiledRule {
    pub loc: Loc,
    /// The packets the rule matches; with `exact` false, a superset of them.
    pub cube: Cube,
    /// Whether the rule matches exactly the packets of `cube`, every time: false when a match
    /// is not modelled (a named set, a concatenation) or holds only sometimes (`limit`, `quota`).
    pub exact: bool,
    pub action: Action,
    /// The chains a verdict map or an anonymous chain of the rule may jump or go to: packets of
    /// its cube enter them besides what `action` says; in order, each once. Shared by the rules
    /// that look up one named map: a map filled at run time may name every chain of its table.
    pub also_enters: Option<Arc<[usize]>>,
    /// Whether the rule does something besides its verdict that a dead copy would miss: `log`,
    /// setting marks, NAT. Counters do not count.
    pub side_effects: bool,
}

impl CompiledRule {
    /// The chains the rule may hand its packets to: by its verdict, its verdict map or the
    /// verdicts of its anonymous chain.
    pub(crate) fn enters(&self) -> impl Iterator<Item = usize> {
        let own = match self.action {
            Action::Jump(target) | Action::Goto(target) => Some(target),
            _ => None,
        };
        own.into_iter().chain(
            self.also_enters
                .iter()
                .flat_map(|chains| chains.iter().copied()),
        )
    }

    /// Whether the rule may hand its packets to `chain`.
    pub(crate) fn may_enter(&self, chain: usize) -> bool {
        matches!(self.action, Action::Jump(target) | Action::Goto(target) if target == chain)
            || self
                .also_enters
                .as_ref()
                .is_some_and(|chains| chains.binary_search(&chain).is_ok())
    }
}

/// A base chain's place in the pipeline.
#[derive(Debug, Clone)]
pub(crate) struct Base {
    pub hook: Hook,
    pub priority: i32,
    pub policy_drop: bool,
    /// The packets the hook can show this chain at all: the table's families, interfaces that
    /// exist at the hook, the conntrack states it can see.
    pub universe: Cube,
}

#[derive(Debug, Clone)]
pub(crate) struct CompiledChain {
    pub table: usize,
    pub name: String,
    pub loc: Loc,
    pub base: Option<Base>,
    pub rules: Vec<CompiledRule>,
}

/// The model's chains of the IP families, compiled.
pub(crate) struct Ruleset {
    pub fields: Fields,
    pub chains: Vec<CompiledChain>,
    /// How many rule visits one walk over the ruleset may take: a few per rule, enough for any
    /// sane nesting of jumps; past it, jumps multiply paths beyond what anyone waits for.
    pub budget: usize,
    pub hooks: HookOrder,
}

impl Ruleset {
    /// How many rules the chains hold together.
    pub(crate) fn rules(&self) -> usize {
        self.chains.iter().map(|c| c.rules.len()).sum()
    }

    pub(crate) fn new(model: &Model) -> Ruleset {
        let mut predicates: FxHashMap<&SyntaxNode, Vec<&Predicate>> = FxHashMap::default();
        for rule in model.rule_matches() {
            predicates
                .entry(rule.rule)
                .or_default()
                .extend(rule.predicates());
        }
        let fields = Fields::new(model.rule_matches().flat_map(|rule| rule.predicates()));
        let rewritten = rewritten_fields(model, &fields);
        let mut chain_index: HashMap<(usize, &str), usize> = HashMap::new();
        let mut chains = Vec::new();
        for (t, table) in model.tables.iter().enumerate() {
            let Some(family) = ip_family(table) else {
                continue;
            };
            for chain in &table.chains {
                chain_index.insert((t, chain.name.as_str()), chains.len());
                chains.push(CompiledChain {
                    table: t,
                    name: chain.name.clone(),
                    loc: chain.loc.clone(),
                    base: chain
                        .base
                        .as_ref()
                        .and_then(|b| base(&fields, family, b, chain.policy.as_deref())),
                    rules: Vec::new(),
                });
            }
        }
        // Each rule with what the compiler needs of it, none of which holds a syntax node: the
        // rules of a long ruleset are compiled on two threads.
        let jobs: Vec<Job> = chains
            .iter()
            .zip(
                model
                    .tables
                    .iter()
                    .filter(|table| ip_family(table).is_some())
                    .flat_map(|table| &table.chains),
            )
            .enumerate()
            .flat_map(|(c, (compiled, chain))| {
                let predicates = &predicates;
                chain.rules.iter().map(move |rule| Job {
                    chain: c,
                    table: compiled.table,
                    file: rule.file,
                    rule: rule.node.green().to_owned(),
                    start: rule.node.text_range().start(),
                    predicates: predicates
                        .get(&rule.node)
                        .map(Vec::as_slice)
                        .unwrap_or_default(),
                })
            })
            .collect();
        let compiler = Compiler {
            fields: &fields,
            rewritten: &rewritten,
            elements: set_elements(model, &jobs),
            verdict_maps: verdict_map_targets(model, &chain_index, &chains),
        };
        let compile = |jobs: &[Job]| {
            jobs.iter()
                .map(|job| {
                    let target = |name: &str| chain_index.get(&(job.table, name)).copied();
                    compiler.rule(job, &target)
                })
                .collect::<Vec<_>>()
        };
        let compiled = crate::parallel::in_halves(&jobs, COMPILE_IN_PARALLEL_FROM, compile);
        for (job, rule) in jobs.iter().zip(compiled) {
            chains[job.chain].rules.push(rule);
        }
        let rules: usize = chains.iter().map(|c| c.rules.len()).sum();
        let hooks = HookOrder::new(
            chains
                .iter()
                .map(|c| c.base.as_ref().map(|b| (b.hook, b.priority))),
        );
        Ruleset {
            fields,
            chains,
            budget: 16 * rules + 10_000,
            hooks,
        }
    }
}

/// Per hook, the base chains in the order the kernel runs them: by priority, and in the order
/// they were created where priorities are equal.
#[derive(Debug, Clone, Default)]
pub(crate) struct HookOrder(Vec<(Hook, Vec<usize>)>);

impl HookOrder {
    /// From each chain's hook and priority, `None` for a regular chain; chains by index.
    pub(crate) fn new(chains: impl Iterator<Item = Option<(Hook, i32)>>) -> HookOrder {
        let mut bases: Vec<(Hook, i32, usize)> = chains
            .enumerate()
            .filter_map(|(i, base)| base.map(|(hook, priority)| (hook, priority, i)))
            .collect();
        bases.sort_by_key(|&(hook, priority, i)| (hook.name(), priority, i));
        let mut hooks: Vec<(Hook, Vec<usize>)> = Vec::new();
        for (hook, _, chain) in bases {
            match hooks.last_mut() {
                Some((last, chains)) if *last == hook => chains.push(chain),
                _ => hooks.push((hook, vec![chain])),
            }
        }
        HookOrder(hooks)
    }

    /// The base chains of each hook that has some, hook by hook.
    pub(crate) fn each(&self) -> impl Iterator<Item = &[usize]> {
        self.0.iter().map(|(_, chains)| chains.as_slice())
    }

    /// The base chains on a hook in the order the kernel runs them.
    pub(crate) fn chains(&self, hook: Hook) -> &[usize] {
        self.0
            .iter()
            .find(|(h, _)| *h == hook)
            .map_or(&[], |(_, chains)| chains)
    }
}

/// The family of a table of the IP stack; the others are not analysed.
fn ip_family(table: &crate::model::Table) -> Option<Family> {
    Family::from_name(&table.family)
        .filter(|f| matches!(f, Family::Ip | Family::Ip6 | Family::Inet))
}

/// The fields some statement writes (`meta mark set 1`): a later match on them may see a value
/// the packet did not arrive with, so the analysis leaves such matches unmodelled.
fn rewritten_fields(model: &Model, fields: &Fields) -> FxHashSet<FieldId> {
    model
        .tables
        .iter()
        .flat_map(|t| &t.chains)
        .flat_map(|c| &c.rules)
        .flat_map(|r| green::child_nodes(&r.node))
        .filter(|&(statement, _)| green::node_kind(statement) == SET_STMT)
        .filter_map(|(statement, _)| {
            let target = green::first_child(statement)?;
            fields.of_selector(&selector_words(target).join(" "))
        })
        .collect()
}

fn base(
    fields: &Fields,
    family: Family,
    base: &crate::model::BaseChain,
    policy: Option<&str>,
) -> Option<Base> {
    let hook = Hook::from_name(&base.hook).filter(|h| family.hooks().contains(h))?;
    let priority = base
        .priority_value(family, hook)
        .ok()
        .flatten()
        .unwrap_or(0);
    let mut universe = Cube::universe();
    let id = |key: &str| fields.id(key).expect("always a field");
    let nfproto = match family {
        Family::Ip => IntSet::single(2),
        Family::Ip6 => IntSet::single(10),
        _ => IntSet::from_ranges(vec![(2, 2), (10, 10)]),
    };
    universe.constrain(fields, id("meta nfproto"), nfproto);
    let some_interface = IntSet::range(1, fields.names.max());
    let no_interface = IntSet::single(0);
    let (iif, oif) = match hook {
        Hook::Prerouting | Hook::Input => (some_interface, no_interface),
        Hook::Forward => (some_interface.clone(), some_interface),
        Hook::Output => (no_interface, some_interface),
        _ => (IntSet::full(fields.names.max()), some_interface),
    };
    universe.constrain(fields, id("meta iifname"), iif);
    universe.constrain(fields, id("meta oifname"), oif);
    // Chains before conntrack see no entry; nat chains see only the first packet of each
    // connection.
    let states: &[&str] = if hook.before_conntrack(priority) {
        &["invalid", "untracked"]
    } else if base.chain_type == "nat" {
        &["new"]
    } else {
        &[]
    };
    if !states.is_empty() {
        let set = IntSet::from_ranges(
            states
                .iter()
                .map(|s| (ct_state_index(s), ct_state_index(s)))
                .collect(),
        );
        universe.constrain(fields, id("ct state"), set);
    }
    Some(Base {
        hook,
        priority,
        policy_drop: policy == Some("drop"),
        universe,
    })
}

/// The sets rules change while packets pass (`add @seen { ip saddr }`, `update @meter ...`), by
/// table and name: what they hold is not known before.
fn updated_sets(model: &Model) -> HashSet<(usize, String)> {
    let mut updated = HashSet::new();
    for (t, table) in model.tables.iter().enumerate() {
        for rule in table.chains.iter().flat_map(|c| &c.rules) {
            // From the file's index: nearly every rule has neither statement.
            let file = &model.files[rule.file];
            let statements = file.descendants(&rule.node, &[SET_UPDATE_STMT, METER_STMT]);
            for statement in statements {
                for reference in file.descendants(statement, &[SET_REF]) {
                    updated.insert((t, green::set_ref_name(reference.green())));
                }
            }
        }
    }
    updated
}

/// The elements of every named set the jobs' rules match against, read once per set and
/// selector however many rules name it.
fn set_elements(model: &Model, jobs: &[Job]) -> Elements {
    let updated = updated_sets(model);
    let mut elements = Elements::default();
    for job in jobs {
        for predicate in job.predicates {
            let Values::Set(name) = &predicate.values else {
                continue;
            };
            let key = (job.table, name.clone(), predicate.selector.clone());
            elements
                .entry(key)
                .or_insert_with(|| read_set(model, &updated, job.table, name, &predicate.selector));
        }
    }
    elements
}

/// The elements of a named set whose contents the file decides: declared with elements, never
/// changed by commands or rules, neither dynamic nor timing out.
fn read_set(
    model: &Model,
    updated: &HashSet<(usize, String)>,
    table: usize,
    name: &str,
    selector: &str,
) -> Option<Values> {
    let set = model.tables[table].set(name)?;
    if set.is_map || set.changed_by_commands || updated.contains(&(table, name.to_string())) {
        return None;
    }
    let words: Vec<&str> = selector.split(' ').collect();
    let field = field_type(&words)?;
    let variables = |file: usize, at: TextSize| model.variable_at(file, at);
    let mut all: Option<Values> = None;
    for (file, declaration) in &set.declarations {
        for property in declaration.children().filter(|c| c.kind() == PROPERTY) {
            let text = property.text().to_string();
            match green::first_word(property.green()) {
                Some("flags") if text.contains("dynamic") || text.contains("timeout") => {
                    return None;
                }
                Some("timeout") => return None,
                Some("elements") => {
                    let list = property.children().find(|c| c.kind() == SET_EXPR)?;
                    let read = read_elements(&variables, *file, field, &list)?;
                    all = Some(union(all, read)?);
                }
                _ => {}
            }
        }
    }
    // A set declared without elements is usually filled at run time (by a script, fail2ban
    // ...): its contents are not in the file.
    all
}

/// Rules from this many on are compiled on two threads.
const COMPILE_IN_PARALLEL_FROM: usize = 4096;

/// A rule to compile: its chain (index into the compiled chains), table and file, its green
/// tree and where it starts, and the predicates of its matches.
struct Job<'p> {
    chain: usize,
    table: usize,
    file: usize,
    rule: rowan::GreenNode,
    start: TextSize,
    predicates: &'p [&'p Predicate],
}

/// The elements of a named set, by table, set and selector.
type Elements = FxHashMap<(usize, String, String), Option<Values>>;

/// The chains the elements of a named verdict map jump or go to, by table and map.
type VerdictMaps = FxHashMap<(usize, String), Arc<[usize]>>;

struct Compiler<'a> {
    fields: &'a Fields,
    rewritten: &'a FxHashSet<FieldId>,
    /// The elements of the named sets the rules match against, read from the model beforehand.
    elements: Elements,
    verdict_maps: VerdictMaps,
}

impl Compiler<'_> {
    fn rule(&self, job: &Job, chain: &dyn Fn(&str) -> Option<usize>) -> CompiledRule {
        let mut cube = Cube::universe();
        let mut exact = true;
        for predicate in job.predicates {
            let values = match &predicate.values {
                Values::Set(name) => self
                    .elements
                    .get(&(job.table, name.clone(), predicate.selector.clone()))
                    .and_then(Option::as_ref)
                    .unwrap_or(&predicate.values),
                values => values,
            };
            match self.predicate(predicate, values) {
                Some((field, set)) => cube.constrain(self.fields, field, set),
                None => exact = false,
            }
        }
        let mut action = Action::Continue;
        // The chains an anonymous map or chain names, and those of a named map.
        let mut listed = Vec::new();
        let mut named: Option<Arc<[usize]>> = None;
        let mut side_effects = false;
        for (statement, start) in green::children_at(&job.rule, job.start) {
            let holds = |kinds: &[SyntaxKind]| {
                green::any_descendant(statement, |n| kinds.contains(&green::node_kind(n)))
            };
            match green::node_kind(statement) {
                LIMIT_STMT | QUOTA_STMT | CT_COUNT_STMT | METER_STMT => exact = false,
                // `add @meter { ip saddr limit rate over 10/second }` matches only sometimes.
                SET_UPDATE_STMT => {
                    side_effects = true;
                    exact &= !holds(&[LIMIT_STMT, QUOTA_STMT, CT_COUNT_STMT]);
                }
                VERDICT_STMT => {
                    action = verdict(statement, chain);
                    if action == Action::Elsewhere {
                        // `jump { ... }`: the anonymous chain's own jumps.
                        jumps_within(statement, chain, &mut listed);
                    }
                }
                REJECT_STMT => action = Action::Reject(statement.to_string()),
                NAT_STMT => {
                    side_effects = true;
                    // A mapping whose key is missing is no match: the packet goes on.
                    exact &= !holds(&[MAP_EXPR]);
                    action = Action::Accept;
                }
                VMAP_STMT => {
                    exact = false;
                    action = Action::Elsewhere;
                    for dependency in dependencies_of(job.file, statement, start) {
                        if let Some((field, set)) = self.predicate(&dependency, &dependency.values)
                        {
                            cube.constrain(self.fields, field, set);
                        }
                    }
                    match green::children_at(statement, TextSize::default()).last() {
                        Some((map, _)) if green::node_kind(map) == SET_REF => {
                            let name = green::set_ref_name(map);
                            named = self.verdict_maps.get(&(job.table, name)).cloned();
                        }
                        _ => jumps_within(statement, chain, &mut listed),
                    }
                }
                QUEUE_STMT | SYNPROXY_STMT | FWD_STMT => action = Action::Elsewhere,
                // `tproxy ip to` in an inet chain only takes IPv4 packets: not modelled.
                TPROXY_STMT => {
                    side_effects = true;
                    exact = false;
                }
                MATCH_STMT | COUNTER_STMT => {}
                _ => side_effects = true,
            }
        }
        CompiledRule {
            loc: Loc::of_green(job.file, &job.rule, job.start),
            cube,
            exact,
            action,
            also_enters: match (named, listed.is_empty()) {
                (named, true) => named,
                (None, false) => Some(distinct(listed)),
                (Some(named), false) => {
                    Some(distinct(named.iter().chain(&listed).copied().collect()))
                }
            },
            side_effects,
        }
    }

    /// The field a predicate constrains and the values it allows, or `None` when the predicate
    /// is not modelled.
    fn predicate(&self, predicate: &Predicate, values: &Values) -> Option<(FieldId, IntSet)> {
        let field = self.fields.of_selector(&predicate.selector)?;
        let domain = self.fields.fields[field].domain;
        if self.rewritten.contains(&field) {
            return None;
        }
        let max = self.fields.max(field);
        let set = match (values, domain) {
            (Values::Names(names), Domain::Names) => {
                let named = names
                    .iter()
                    .map(|(name, prefix)| self.fields.names.matching(name, *prefix))
                    .fold(IntSet::empty(), |acc, s| acc.union(&s));
                match predicate.relation {
                    Relation::Eq => named,
                    // Without an interface, `iifname` reads an empty name, which `!=` accepts;
                    // `iif` reads nothing, which fails `!=` too.
                    Relation::Ne if predicate.selector.ends_with("name") => named.complement(max),
                    Relation::Ne => named.complement(max).minus(&IntSet::single(0), max),
                    _ => return None,
                }
            }
            (Values::Ints(values), Domain::CtState) => {
                let mask = values
                    .iter()
                    .try_fold(0u128, |acc, &(lo, hi)| (lo == hi).then_some(acc | lo))?;
                let states = |hit: &dyn Fn(u128) -> bool| {
                    IntSet::from_ranges(
                        CT_STATES
                            .iter()
                            .enumerate()
                            .filter(|(_, (_, bit))| hit(*bit))
                            .map(|(i, _)| (i as u128, i as u128))
                            .collect(),
                    )
                };
                match predicate.relation {
                    Relation::AnyBits => states(&|bit| bit & mask != 0),
                    Relation::Eq => states(&|bit| values.iter().any(|&(v, _)| v == bit)),
                    Relation::Ne => states(&|bit| values.iter().all(|&(v, _)| v != bit)),
                    _ => return None,
                }
            }
            (Values::Ints(values), Domain::Int(bits)) => {
                let set = IntSet::from_ranges(values.clone());
                let single =
                    || (values.len() == 1 && values[0].0 == values[0].1).then(|| values[0].0);
                match predicate.relation {
                    Relation::Eq => set,
                    Relation::Ne => set.complement(max),
                    Relation::Lt => IntSet::range(0, single()?.checked_sub(1)?),
                    Relation::Le => IntSet::range(0, single()?),
                    Relation::Gt => IntSet::range(single()?.checked_add(1)?, max),
                    Relation::Ge => IntSet::range(single()?, max),
                    Relation::AnyBits if bits <= 16 => {
                        let mask = values.iter().fold(0, |acc, &(lo, _)| acc | lo);
                        IntSet::from_ranges(
                            (0..=max)
                                .filter(|v| v & mask != 0)
                                .map(|v| (v, v))
                                .collect(),
                        )
                    }
                    Relation::AnyBits => return None,
                }
            }
            _ => return None,
        };
        Some((field, set))
    }
}

/// Adds to `into` the chains that the `jump` and `goto` verdicts below `node` name, in the order
/// they stand, repeats included: a map of many elements may name a chain in each.
fn jumps_within(
    node: &GreenNodeData,
    chain: &dyn Fn(&str) -> Option<usize>,
    into: &mut Vec<usize>,
) {
    green::try_descendants::<()>(node, TextSize::default(), |(element, _)| {
        if let rowan::NodeOrToken::Node(inner) = element
            && green::node_kind(inner) == VERDICT_STMT
            && let Action::Jump(target) | Action::Goto(target) = verdict(inner, chain)
        {
            into.push(target);
        }
        std::ops::ControlFlow::Continue(())
    });
}

/// The chains of `chains` once each.
fn distinct(mut chains: Vec<usize>) -> Arc<[usize]> {
    chains.sort_unstable();
    chains.dedup();
    chains.into()
}

/// What the named verdict maps of the compiled tables jump or go to, read from their
/// declarations and `add element` commands. A map whose elements the file does not give (none
/// at all, or a variable's) may jump anywhere in its table.
fn verdict_map_targets(
    model: &Model,
    chain_index: &HashMap<(usize, &str), usize>,
    chains: &[CompiledChain],
) -> VerdictMaps {
    let mut maps = VerdictMaps::default();
    for (t, table) in model.tables.iter().enumerate() {
        if ip_family(table).is_none() {
            continue;
        }
        // Every chain of the table, made once for all its maps filled at run time.
        let mut every_chain: Option<Arc<[usize]>> = None;
        for set in table.sets.iter().filter(|s| s.is_verdict_map()) {
            let targets = if set.elements_given() {
                let mut targets = Vec::new();
                let name = |name: &str| chain_index.get(&(t, name)).copied();
                for node in set.element_sources() {
                    jumps_within(node.green(), &name, &mut targets);
                }
                distinct(targets)
            } else {
                let every = every_chain.get_or_insert_with(|| {
                    (0..chains.len())
                        .filter(|&c| chains[c].table == t)
                        .collect()
                });
                Arc::clone(every)
            };
            if !targets.is_empty() {
                maps.insert((t, set.name.clone()), targets);
            }
        }
    }
    maps
}

fn verdict(statement: &GreenNodeData, chain: &dyn Fn(&str) -> Option<usize>) -> Action {
    let Some(word) = green::first_word(statement) else {
        return Action::Elsewhere;
    };
    let target = || {
        green::children_at(statement, TextSize::default())
            .find(|&(n, _)| green::node_kind(n) == NAME)
            .and_then(|(n, _)| chain(n.to_string().trim_matches('"')))
    };
    match word {
        "accept" => Action::Accept,
        "drop" => Action::Drop,
        "return" => Action::Return,
        "continue" => Action::Continue,
        "jump" => target().map_or(Action::Elsewhere, Action::Jump),
        "goto" => target().map_or(Action::Elsewhere, Action::Goto),
        _ => Action::Elsewhere,
    }
}

#[cfg(test)]
mod tests {

    use super::super::intset::IntSet;

    /// A long chain is compiled on two threads: every rule keeps its place, its location, its
    /// cube (named sets read as in one thread) and its verdict.
    #[test]
    fn compiling_on_two_threads_keeps_every_rule_in_place() {
        let rules = super::COMPILE_IN_PARALLEL_FROM + 10;
        let mut text = "table inet t {\n\tset ports {\n\t\ttype inet_service\n\t\telements = { 7, 9 }\n\t}\n\tchain c {\n".to_string();
        for i in 0..rules {
            text += &format!("\t\ttcp dport {} accept\n", i + 10);
        }
        text += "\t\ttcp dport @ports drop\n\t}\n}\n";
        let model = crate::model::of_text("long.nft", &text);
        let ruleset = super::Ruleset::new(&model);
        let compiled = &ruleset.chains[0].rules;
        assert_eq!(compiled.len(), rules + 1);
        let dport = ruleset.fields.of_selector("tcp dport").expect("a field");
        for (i, rule) in compiled[..rules].iter().enumerate() {
            assert_eq!(
                rule.cube.get(dport),
                Some(&IntSet::single(i as u128 + 10)),
                "rule {i}"
            );
            assert_eq!(
                text[rule.loc.range.clone()],
                format!("tcp dport {} accept", i + 10)
            );
            assert_eq!(rule.action, super::Action::Accept);
        }
        let last = &compiled[rules];
        assert_eq!(
            last.cube.get(dport),
            Some(&IntSet::from_ranges(vec![(7, 7), (9, 9)]))
        );
        assert_eq!(last.action, super::Action::Drop);
    }

    /// Comment lines above a set's properties and elements, which the tree keeps inside them,
    /// hide none of its elements.
    #[test]
    fn comments_above_set_properties_hide_no_element() {
        let text = "table inet t {\n\tset s {\n\t\t# what\n\t\ttype ipv4_addr\n\t\t# who\n\t\telements = {\n\t\t\t# one\n\t\t\t10.0.0.1,\n\t\t\t# two\n\t\t\t10.0.0.2\n\t\t}\n\t}\n\tchain c {\n\t\tip saddr @s accept\n\t}\n}\n";
        let model = crate::model::of_text("commented.nft", text);
        let ruleset = super::Ruleset::new(&model);
        let rule = &ruleset.chains[0].rules[0];
        let saddr = ruleset.fields.of_selector("ip saddr").expect("a field");
        assert!(rule.exact);
        assert_eq!(
            rule.cube.get(saddr),
            Some(&IntSet::from_ranges(vec![(0x0a00_0001, 0x0a00_0002)]))
        );
    }
}

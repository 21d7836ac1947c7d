//! The semantic model: the ruleset nft would load from a file, with its includes expanded, its
//! defines resolved and its commands applied in order.
//!
//! Building the model reports what nft reports while reading the file (missing includes, unknown
//! variables); the rules in `crate::rules` then check the finished model.

mod build;
pub(crate) mod green;
mod includes;
pub(crate) mod objects;
pub(crate) mod predicate;
mod scope;

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

use nftlint_syntax::SyntaxKind::{self, *};
use nftlint_syntax::{Parse, SyntaxNode, TextSize};
use rowan::GreenNodeData;

use crate::symbols::families::{Family, Hook, PriorityError, priority_value};
use crate::{Diagnostic, FileLoader, Options, SourceFile};

pub(crate) use build::build;
#[cfg(test)]
pub(crate) use build::of_text;

/// A place in one of the model's files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Loc {
    /// Index into [`Model::files`].
    pub file: usize,
    pub range: Range<usize>,
}

impl Loc {
    /// The node's text without the comment lines the tree attaches in front of it.
    pub(crate) fn of(file: usize, node: &SyntaxNode) -> Loc {
        Loc::of_green(file, node.green(), node.text_range().start())
    }

    /// [`Loc::of`] a green node that starts at `start`.
    pub(crate) fn of_green(file: usize, node: &GreenNodeData, start: TextSize) -> Loc {
        let significant = green::first_significant(node, start).unwrap_or(start);
        Loc {
            file,
            range: usize::from(significant)..usize::from(start + node.text_len()),
        }
    }
}

/// A file of the model and its tree.
pub(crate) struct ParsedFile {
    pub source: SourceFile,
    pub parse: Parse,
    /// Where it was included from, for diagnostics inside it.
    pub included_from: Option<Loc>,
    /// The nodes checks look for, in source order: found in one walk of the tree, so that each
    /// check does not walk it again.
    index: Vec<Indexed>,
}

/// A node of [`ParsedFile::index`], with its kind and start at hand for searching.
struct Indexed {
    kind: SyntaxKind,
    start: TextSize,
    node: SyntaxNode,
}

/// The node kinds [`ParsedFile::nodes`] and [`ParsedFile::descendants`] find.
const INDEXED: &[SyntaxKind] = &[
    RULE,
    MATCH_STMT,
    VMAP_STMT,
    VERDICT_STMT,
    SET_STMT,
    SET_UPDATE_STMT,
    METER_STMT,
    SET_REF,
    STMT_OPTION,
    SET,
    MAP,
    COMMAND,
];

impl ParsedFile {
    pub(crate) fn new(source: SourceFile, parse: Parse, included_from: Option<Loc>) -> Self {
        let index = index(&parse.syntax());
        ParsedFile {
            source,
            parse,
            included_from,
            index,
        }
    }

    /// The nodes of these kinds, anywhere in the file, in source order.
    pub(crate) fn nodes<'f>(
        &'f self,
        kinds: &'f [SyntaxKind],
    ) -> impl Iterator<Item = &'f SyntaxNode> + 'f {
        debug_assert!(
            kinds.iter().all(|k| INDEXED.contains(k)),
            "{kinds:?} are not indexed"
        );
        self.index
            .iter()
            .filter(move |n| kinds.contains(&n.kind))
            .map(|n| &n.node)
    }

    /// The nodes of these kinds inside `node`, an indexed node, in source order: what
    /// `node.descendants()` would find of them, without walking its tree.
    pub(crate) fn descendants<'f>(
        &'f self,
        node: &SyntaxNode,
        kinds: &'f [SyntaxKind],
    ) -> impl Iterator<Item = &'f SyntaxNode> + 'f {
        debug_assert!(
            INDEXED.contains(&node.kind()) && kinds.iter().all(|k| INDEXED.contains(k)),
            "{:?} in {kinds:?} are not indexed",
            node.kind()
        );
        let range = node.text_range();
        // The index is in preorder, so sorted by start; ancestors starting where `node` does
        // come before it, descendants after it. The indexed kinds always hold a token, so its
        // descendants are the nodes after it that start before its end.
        let first = self.index.partition_point(|n| n.start < range.start());
        let at = self.index[first..]
            .iter()
            .position(|n| n.node == *node)
            .map_or(self.index.len(), |at| first + at + 1);
        self.index[at..]
            .iter()
            .take_while(move |n| n.start < range.end())
            .filter(move |n| kinds.contains(&n.kind))
            .map(|n| &n.node)
    }
}

/// The nodes of the [`INDEXED`] kinds in a tree, in preorder. Cursor nodes are made only for
/// the children of nodes that hold an indexed node; the green tree tells which do.
fn index(root: &SyntaxNode) -> Vec<Indexed> {
    let mut index = Vec::new();
    let mut levels = vec![root.children()];
    while let Some(level) = levels.last_mut() {
        let Some(node) = level.next() else {
            levels.pop();
            continue;
        };
        let kind = node.kind();
        if green::holds(&node, INDEXED) {
            levels.push(node.children());
        }
        if INDEXED.contains(&kind) {
            let start = node.text_range().start();
            index.push(Indexed { kind, start, node });
        }
    }
    index
}

/// A `define`, with whether anything used it.
#[derive(Debug, Clone)]
pub(crate) struct Define {
    pub name: String,
    pub loc: Loc,
    /// The expression after `=` and where it starts in the file of `loc`: a green tree, which
    /// (unlike a node) the threads that lower matches may share.
    pub value: Option<(rowan::GreenNode, TextSize)>,
    pub used: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub family: String,
    pub name: String,
    /// Added, renamed and removed through the methods below, which keep `chain_index` right.
    pub chains: Vec<Chain>,
    /// The first chain of each name: a ruleset may declare thousands of chains.
    chain_index: HashMap<String, usize>,
    /// Added and removed through the methods below, which keep `set_index` right.
    pub sets: Vec<NamedSet>,
    /// The first set or map of each name.
    set_index: HashMap<String, usize>,
    /// Stateful objects and flowtables: `counter`, `quota`, `limit`, `ct helper`, `flowtable` ...
    /// Added and removed through the methods below, which keep `object_index` right.
    pub objects: Vec<Object>,
    /// The kind and name of every object.
    object_index: HashSet<(String, String)>,
}

/// The `type filter hook input priority 0` of a base chain.
#[derive(Debug, Clone)]
pub(crate) struct BaseChain {
    pub chain_type: String,
    pub hook: String,
    /// The priority as written: `filter + 10`, `-150`, `$prio`.
    pub priority: Option<SyntaxNode>,
    /// The devices of an `ingress` or `egress` chain: `device eth0`, `devices = { a, b }`.
    pub devices: Vec<String>,
    pub loc: Loc,
}

impl BaseChain {
    /// The value of the `priority` clause: `Ok(None)` without one, or for a variable, which
    /// nftlint does not evaluate here.
    pub(crate) fn priority_value(
        &self,
        family: Family,
        hook: Hook,
    ) -> Result<Option<i32>, PriorityError> {
        let Some(priority) = &self.priority else {
            return Ok(None);
        };
        let mut value: Option<i32> = None;
        let mut sign = 1;
        for element in priority.children_with_tokens().skip(1) {
            match element.kind() {
                VARIABLE => return Ok(None),
                NEG_EXPR => {
                    value = element
                        .as_node()
                        .and_then(|n| n.text().to_string().replace(' ', "").parse().ok())
                }
                PLUS => sign = 1,
                MINUS => sign = -1,
                LITERAL => {
                    let text = element
                        .as_node()
                        .map(|n| n.text().to_string())
                        .unwrap_or_default();
                    match (value, text.parse::<i32>()) {
                        (None, Ok(number)) => value = Some(number),
                        (None, Err(_)) => value = Some(priority_value(family, hook, &text)?),
                        (Some(base), Ok(offset)) => value = Some(base + sign * offset),
                        (Some(_), Err(_)) => return Ok(None),
                    }
                }
                _ => {}
            }
        }
        Ok(value)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Chain {
    pub name: String,
    /// Where the chain was first declared.
    pub loc: Loc,
    pub base: Option<BaseChain>,
    pub policy: Option<String>,
    /// The rules in order, after every command was applied.
    pub rules: Vec<Rule>,
}

#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub file: usize,
    pub node: SyntaxNode,
}

impl Rule {
    /// The word of the rule's last verdict: `accept`, `drop`, `jump` ...
    pub(crate) fn verdict(&self) -> Option<&str> {
        let verdict = green::child_nodes(&self.node)
            .filter(|&(statement, _)| green::node_kind(statement) == VERDICT_STMT)
            .last()?;
        green::first_word(verdict.0)
    }

    /// Whether the rule hands its packets to another chain or a verdict map, whose decisions
    /// the checks on a single chain do not see.
    pub(crate) fn decides_elsewhere(&self) -> bool {
        green::any_descendant(self.node.green(), |node| match green::node_kind(node) {
            VMAP_STMT => true,
            VERDICT_STMT => matches!(green::first_word(node), Some("jump" | "goto")),
            _ => false,
        })
    }
}

impl Chain {
    pub(crate) fn hook(&self) -> Option<&str> {
        self.base.as_ref().map(|b| b.hook.as_str())
    }
}

impl Table {
    pub(crate) fn new(family: &str, name: &str) -> Self {
        Table {
            family: family.to_string(),
            name: name.to_string(),
            chains: Vec::new(),
            chain_index: HashMap::new(),
            sets: Vec::new(),
            set_index: HashMap::new(),
            objects: Vec::new(),
            object_index: HashSet::new(),
        }
    }

    /// The index of the first chain named `name`.
    pub(crate) fn chain_position(&self, name: &str) -> Option<usize> {
        self.chain_index.get(name).copied()
    }

    /// Appends a chain and returns its index.
    pub(crate) fn add_chain(&mut self, chain: Chain) -> usize {
        let at = self.chains.len();
        self.chain_index.entry(chain.name.clone()).or_insert(at);
        self.chains.push(chain);
        at
    }

    pub(crate) fn rename_chain(&mut self, at: usize, name: String) {
        self.chains[at].name = name;
        self.reindex_chains();
    }

    /// Removes every chain named `name`.
    pub(crate) fn remove_chains(&mut self, name: &str) {
        self.chains.retain(|c| c.name != name);
        self.reindex_chains();
    }

    fn reindex_chains(&mut self) {
        self.chain_index = first_of_each_name(self.chains.iter().map(|c| c.name.as_str()));
    }

    /// The first set or map named `name`.
    pub(crate) fn set(&self, name: &str) -> Option<&NamedSet> {
        self.set_index.get(name).map(|&at| &self.sets[at])
    }

    pub(crate) fn set_mut(&mut self, name: &str) -> Option<&mut NamedSet> {
        self.set_index.get(name).map(|&at| &mut self.sets[at])
    }

    pub(crate) fn add_set(&mut self, set: NamedSet) {
        self.set_index
            .entry(set.name.clone())
            .or_insert(self.sets.len());
        self.sets.push(set);
    }

    /// Adds an object unless the table has one of its kind and name.
    pub(crate) fn add_object(&mut self, object: Object) {
        if self
            .object_index
            .insert((object.kind.clone(), object.name.clone()))
        {
            self.objects.push(object);
        }
    }

    /// Removes every object named `name`, whatever its kind.
    pub(crate) fn remove_objects(&mut self, name: &str) {
        self.objects.retain(|o| o.name != name);
        self.object_index.retain(|(_, n)| n != name);
    }

    /// Removes every set and map named `name`.
    pub(crate) fn remove_sets(&mut self, name: &str) {
        self.sets.retain(|s| s.name != name);
        self.set_index = first_of_each_name(self.sets.iter().map(|s| s.name.as_str()));
    }

    /// The families whose base chains run on one set of hooks: ip, ip6 and inet share the IP
    /// stack's.
    pub(crate) fn stack(&self) -> &str {
        match self.family.as_str() {
            "ip" | "ip6" | "inet" => "ip",
            other => other,
        }
    }
}

/// The index of the first of each name among `names`.
fn first_of_each_name<'n>(names: impl Iterator<Item = &'n str>) -> HashMap<String, usize> {
    let mut index = HashMap::new();
    for (at, name) in names.enumerate() {
        index.entry(name.to_string()).or_insert(at);
    }
    index
}

#[derive(Debug, Clone)]
pub(crate) struct NamedSet {
    pub name: String,
    pub is_map: bool,
    pub loc: Loc,
    /// The `type`/`typeof` property, to tell conflicting redeclarations apart.
    pub key_type: Option<String>,
    /// Every block that declares it, by file: their `elements` are its first elements.
    pub declarations: Vec<(usize, SyntaxNode)>,
    /// Whether a command adds or removes elements: then what it holds depends on the order of
    /// commands and on what the kernel already has.
    pub changed_by_commands: bool,
    /// The `add element` and `delete element` commands on it, in order.
    pub element_commands: Vec<ElementCommand>,
}

impl NamedSet {
    /// Whether it is a map to verdicts (`type inet_service : verdict`), or might be one.
    pub(crate) fn is_verdict_map(&self) -> bool {
        self.is_map
            && self
                .key_type
                .as_deref()
                .is_none_or(|t| t.contains("verdict"))
    }

    /// The blocks and `add element` commands that give its elements.
    pub(crate) fn element_sources(&self) -> impl Iterator<Item = &SyntaxNode> {
        let declarations = self.declarations.iter().map(|(_, node)| node);
        declarations.chain(self.element_commands.iter().map(|c| &c.node))
    }

    /// Whether the file says what it holds: some declaration or command lists elements, none
    /// from a variable. Otherwise it is filled at run time (by a script, a daemon) and may
    /// hold anything.
    pub(crate) fn elements_given(&self) -> bool {
        let has = |kind: SyntaxKind| {
            self.element_sources()
                .any(|node| green::any_descendant(node.green(), |n| green::node_kind(n) == kind))
        };
        has(SET_ELEM) && !has(VARIABLE)
    }
}

/// `add element ...` (or `create`), or `delete element ...` (or `destroy`).
#[derive(Debug, Clone)]
pub(crate) struct ElementCommand {
    pub add: bool,
    pub file: usize,
    /// The command; its `SET_EXPR` holds the elements.
    pub node: SyntaxNode,
}

#[derive(Debug, Clone)]
pub(crate) struct Object {
    /// `counter`, `quota`, `limit`, `secmark`, `synproxy`, `tunnel`, `ct helper`,
    /// `ct timeout`, `ct expectation` or `flowtable`.
    pub kind: String,
    pub name: String,
}

/// The whole ruleset as nft would load it.
pub(crate) struct Model {
    pub files: Vec<ParsedFile>,
    pub tables: Vec<Table>,
    pub defines: Vec<Define>,
    /// Sets, maps and chains that some statement names, by table index.
    pub references: Vec<Reference>,
    /// The define each `$name` resolved to, by file and the variable's offset.
    pub variables: HashMap<(usize, usize), usize>,
    /// Every match lowered, made the first time a check asks.
    pub lowered: OnceCell<Lowering>,
    /// The ports SSH listens on, which the lockout check protects.
    pub ssh_ports: Vec<u16>,
    /// The packet-space analysis, made the first time a check asks.
    pub space: OnceCell<crate::space::Space>,
}

/// Every match and vmap statement of the model lowered, and which rule each match belongs to.
pub(crate) struct Lowering {
    /// In source order, file by file.
    matches: Vec<LoweredMatch>,
    /// Indices into `matches` of the match statements directly in a rule, in order.
    in_rules: Vec<usize>,
    /// Runs of `in_rules` that belong to one rule, in order: the matches of a rule that an
    /// anonymous chain's matches interrupt make a run before it and one after it.
    runs: Vec<(SyntaxNode, Range<usize>)>,
}

/// A match statement and what it means.
pub(crate) struct LoweredMatch {
    pub statement: SyntaxNode,
    pub predicates: Vec<predicate::Predicate>,
    /// Constants nft would refuse.
    pub bad: Vec<predicate::BadConstant>,
}

impl Lowering {
    /// Groups the matches by rule: each run holds the consecutive matches of one rule.
    fn new(matches: Vec<LoweredMatch>) -> Self {
        let mut in_rules = Vec::new();
        let mut runs: Vec<(SyntaxNode, Range<usize>)> = Vec::new();
        for (index, lowered) in matches.iter().enumerate() {
            if lowered.statement.kind() != MATCH_STMT {
                continue;
            }
            let Some(rule) = lowered.statement.parent().filter(|p| p.kind() == RULE) else {
                continue;
            };
            in_rules.push(index);
            match runs.last_mut() {
                Some((last, run)) if *last == rule => run.end = in_rules.len(),
                _ => runs.push((rule, in_rules.len() - 1..in_rules.len())),
            }
        }
        Lowering {
            matches,
            in_rules,
            runs,
        }
    }
}

/// The value of the `$name` at `at` in `file`: the define's file, its value and where that
/// starts.
fn variable_in(
    variables: &HashMap<(usize, usize), usize>,
    defines: &[Define],
    file: usize,
    at: TextSize,
) -> Option<(usize, rowan::GreenNode, TextSize)> {
    let define = &defines[*variables.get(&(file, usize::from(at)))?];
    let (value, start) = define.value.as_ref()?;
    Some((define.loc.file, value.clone(), *start))
}

/// Match statements from this many on are lowered on two threads.
const LOWER_IN_PARALLEL_FROM: usize = 4096;

/// Lowers match statements (file, green tree, start), half of a long list on a second thread:
/// lowering reads only green trees, the defines and which define each `$name` resolved to, all
/// of which threads may share.
fn lower_all(
    variables: &HashMap<(usize, usize), usize>,
    defines: &[Define],
    work: &[(usize, rowan::GreenNode, TextSize)],
) -> Vec<(Vec<predicate::Predicate>, Vec<predicate::BadConstant>)> {
    let lower = |part: &[(usize, rowan::GreenNode, TextSize)]| {
        let variables = |file: usize, at: TextSize| variable_in(variables, defines, file, at);
        part.iter()
            .map(|(file, statement, start)| {
                predicate::lower_match(&variables, *file, statement, *start)
            })
            .collect::<Vec<_>>()
    };
    crate::parallel::in_halves(work, LOWER_IN_PARALLEL_FROM, lower)
}

/// The match statements of one rule, lowered.
#[derive(Clone, Copy)]
pub(crate) struct RuleMatches<'m> {
    pub rule: &'m SyntaxNode,
    /// Indices into `lowered`.
    matches: &'m [usize],
    lowered: &'m [LoweredMatch],
}

impl<'m> RuleMatches<'m> {
    /// Every predicate of the rule's matches, the dependencies nft adds included, in order.
    pub(crate) fn predicates(self) -> impl Iterator<Item = &'m predicate::Predicate> {
        self.matches
            .iter()
            .flat_map(move |&at| &self.lowered[at].predicates)
    }
}

/// A statement naming a chain, set, map or object of its table.
#[derive(Debug, Clone)]
pub(crate) struct Reference {
    pub table: usize,
    /// The chain the statement is in, if it is in a rule.
    pub from_chain: Option<String>,
    pub kind: RefKind,
    pub name: String,
    pub loc: Loc,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RefKind {
    /// `jump` or `goto`.
    Chain { goto: bool },
    /// `@name` in a match or set statement: a set or map.
    Set,
    /// A named object: `counter name "c"`, `ct helper set "ftp"`, `flow add @ft` ...
    Object(&'static str),
}

impl Model {
    pub(crate) fn diagnostic_file(&self, file: usize) -> Option<std::path::PathBuf> {
        (file != 0).then(|| self.files[file].source.path.clone())
    }

    /// A diagnostic of `rule` at `loc`, pointing into the right file.
    pub(crate) fn diagnostic(
        &self,
        rule: &crate::Rule,
        loc: &Loc,
        message: impl Into<String>,
    ) -> Diagnostic {
        let mut diagnostic = Diagnostic::new(rule, loc.range.clone(), message);
        diagnostic.file = self.diagnostic_file(loc.file);
        diagnostic
    }

    pub(crate) fn related(&self, loc: &Loc, message: impl Into<String>) -> crate::Related {
        crate::Related {
            file: self.diagnostic_file(loc.file),
            range: loc.range.clone(),
            message: message.into(),
        }
    }

    /// Every match and vmap statement of every file, lowered to predicates, in source order.
    pub(crate) fn matches(&self) -> &[LoweredMatch] {
        &self.lowering().matches
    }

    /// The match statements of each rule, rule by rule in source order (rules of anonymous
    /// chains are rules of their own).
    pub(crate) fn rule_matches(&self) -> impl Iterator<Item = RuleMatches<'_>> {
        let lowering = self.lowering();
        lowering.runs.iter().map(move |(rule, run)| RuleMatches {
            rule,
            matches: &lowering.in_rules[run.clone()],
            lowered: &lowering.matches,
        })
    }

    fn lowering(&self) -> &Lowering {
        self.lowered.get_or_init(|| {
            let statements: Vec<(usize, SyntaxNode)> = self
                .files
                .iter()
                .enumerate()
                .flat_map(|(file, f)| {
                    f.nodes(&[MATCH_STMT, VMAP_STMT])
                        .map(move |statement| (file, statement.clone()))
                })
                .collect();
            let work: Vec<(usize, rowan::GreenNode, TextSize)> = statements
                .iter()
                .map(|(file, s)| (*file, s.green().to_owned(), s.text_range().start()))
                .collect();
            let lowered = lower_all(&self.variables, &self.defines, &work);
            let matches = statements
                .into_iter()
                .zip(lowered)
                .map(|((_, statement), (predicates, bad))| LoweredMatch {
                    statement,
                    predicates,
                    bad,
                })
                .collect();
            Lowering::new(matches)
        })
    }

    /// The packet-space analysis of the ruleset.
    pub(crate) fn space(&self) -> &crate::space::Space {
        self.space.get_or_init(|| crate::space::Space::new(self))
    }

    /// The source text at `loc` on one line, whitespace collapsed: for quoting in messages.
    pub(crate) fn quote(&self, loc: &Loc) -> String {
        self.files[loc.file].source.text[loc.range.clone()]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The define the `$name` at offset `at` of `file` stands for: its file and value.
    pub(crate) fn variable_at(
        &self,
        file: usize,
        at: TextSize,
    ) -> Option<(usize, rowan::GreenNode, TextSize)> {
        variable_in(&self.variables, &self.defines, file, at)
    }

    /// The files' sources; the rest of the model is freed, unless it is left to the process's
    /// exit ([`crate::leave_models_to_exit`]).
    pub(crate) fn into_sources(mut self) -> Vec<SourceFile> {
        let sources = self
            .files
            .iter_mut()
            .map(|f| std::mem::take(&mut f.source))
            .collect();
        if !crate::FREE_MODELS.load(std::sync::atomic::Ordering::Relaxed) {
            std::mem::forget(self);
        }
        sources
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::{DiskLoader, Options};

    /// A long ruleset is lowered on two threads: in the same order, to the same predicates and
    /// bad constants, variables resolved alike, as one thread lowers each statement.
    #[test]
    fn lowering_on_two_threads_matches_one() {
        let mut text = "define web = { 80, 443 }\ntable inet t {\n\tchain c {\n".to_string();
        for i in 0..super::LOWER_IN_PARALLEL_FROM {
            let port = if i % 7 == 0 {
                "$web".to_string()
            } else {
                (i % 65536).to_string()
            };
            text += &format!(
                "\t\tip saddr 10.{}.{}.0/24 tcp dport {port} accept\n",
                i / 256 % 256,
                i % 256
            );
        }
        text += "\t\tip saddr 10.0.0.0/33 drop\n\t}\n}\n";
        let (model, _) = super::build(
            Path::new("long.nft"),
            text,
            &Options::default(),
            &DiskLoader,
        );
        let lowered = &model.lowering().matches;
        assert!(lowered.len() > super::LOWER_IN_PARALLEL_FROM);
        let variables = |file, at| model.variable_at(file, at);
        for m in lowered {
            let alone = super::predicate::lower_match(
                &variables,
                0,
                m.statement.green(),
                m.statement.text_range().start(),
            );
            assert_eq!((&m.predicates, &m.bad), (&alone.0, &alone.1));
        }
        assert!(
            lowered.last().is_some_and(|m| !m.bad.is_empty()),
            "the bad prefix is last"
        );
    }
}

//! Walks the files in the order nft reads them and builds the [`Model`].

use std::cell::OnceCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use nftlint_syntax::ast::{AstNode, Spec};
use nftlint_syntax::{SyntaxKind::*, SyntaxNode};

use super::includes::{self, Resolved};
use super::objects;
use super::scope::Scopes;
use super::*;
use crate::rules::{duplicate_definition, include_error, undefined_reference, undefined_variable};

/// The model of `text` as the file `name`, with the default options: for tests.
#[cfg(test)]
pub(crate) fn of_text(name: &str, text: &str) -> Model {
    let options = Options::default();
    build(
        Path::new(name),
        text.to_string(),
        &options,
        &crate::DiskLoader,
    )
    .0
}

pub(crate) fn build(
    path: &Path,
    text: String,
    options: &Options,
    loader: &dyn FileLoader,
) -> (Model, Vec<Diagnostic>) {
    let mut builder = Builder {
        model: Model {
            files: Vec::new(),
            tables: Vec::new(),
            defines: Vec::new(),
            references: Vec::new(),
            variables: HashMap::new(),
            lowered: OnceCell::new(),
            space: OnceCell::new(),
            ssh_ports: options.config.ssh_ports.clone(),
        },
        diagnostics: Vec::new(),
        scopes: Scopes::new(),
        options,
        loader,
        include_stack: Vec::new(),
        comparisons_left: SUGGESTION_COMPARISONS,
    };
    let root = builder.add_file(path.to_path_buf(), text, None);
    builder.walk_file(root);
    (builder.model, builder.diagnostics)
}

struct Builder<'o> {
    model: Model,
    diagnostics: Vec<Diagnostic>,
    scopes: Scopes,
    options: &'o Options,
    loader: &'o dyn FileLoader,
    /// Files being walked, outermost first: for include cycles and depth.
    include_stack: Vec<PathBuf>,
    /// What is left of [`SUGGESTION_COMPARISONS`].
    comparisons_left: usize,
}

/// How many names "did you mean" suggestions for unknown variables may compare in one analysis.
/// Each unknown name is compared with every visible define: thousands of each in a hostile file
/// would take quadratic time. Past the budget, unknown names are still reported, without a
/// suggestion.
const SUGGESTION_COMPARISONS: usize = 1_000_000;

/// The object a command names.
struct Target {
    table: usize,
    name: String,
    /// `family table name`, for messages.
    path: String,
    spec: SyntaxNode,
}

/// The table and chain a statement sits in.
#[derive(Clone, Copy)]
struct Place<'c> {
    table: usize,
    /// The chain's index in the table, and its name.
    chain: Option<(usize, &'c str)>,
}

fn text_of(node: &SyntaxNode) -> String {
    node.text().to_string()
}

fn child(node: &SyntaxNode, kind: nftlint_syntax::SyntaxKind) -> Option<SyntaxNode> {
    node.children().find(|c| c.kind() == kind)
}

/// Where a declaration names what it declares: `input` of `chain input {`, or the last name of
/// `add chain ip t input`.
fn name_loc(file: usize, node: &SyntaxNode) -> Loc {
    let name = child(node, NAME).or_else(|| {
        child(node, SPEC)?
            .children()
            .filter(|n| n.kind() == NAME)
            .last()
    });
    Loc::of(file, name.as_ref().unwrap_or(node))
}

/// The first word token of a node: a verb, a keyword.
fn first_word(node: &SyntaxNode) -> Option<&str> {
    green::child_tokens(node.green())
        .find(|&(kind, _)| kind == WORD)
        .map(|(_, text)| text)
}

impl Builder<'_> {
    fn add_file(&mut self, path: PathBuf, text: String, included_from: Option<Loc>) -> usize {
        let parse = nftlint_syntax::parse(&text);
        let file = self.model.files.len();
        for error in parse.errors() {
            let mut diagnostic = crate::rules::syntax_error::diagnostic(error);
            diagnostic.file = (file != 0).then(|| path.clone());
            self.diagnostics.push(diagnostic);
        }
        self.model.files.push(ParsedFile::new(
            SourceFile { path, text },
            parse,
            included_from,
        ));
        file
    }

    fn report(
        &mut self,
        rule: &crate::Rule,
        loc: &Loc,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let mut diagnostic = self.model.diagnostic(rule, loc, message);
        // Point from an included file back along the include chain.
        let mut from = self.model.files[loc.file].included_from.clone();
        while let Some(at) = from {
            diagnostic
                .related
                .push(self.model.related(&at, "included from here"));
            from = self.model.files[at.file].included_from.clone();
        }
        self.diagnostics.push(diagnostic);
        self.diagnostics.last_mut().expect("just pushed")
    }

    fn walk_file(&mut self, file: usize) {
        self.include_stack
            .push(includes::normalize(&self.model.files[file].source.path));
        let root = self.model.files[file].parse.syntax();
        for item in root.children() {
            match item.kind() {
                TABLE => self.table(file, &item, None),
                CHAIN | SET | MAP | FLOWTABLE | OBJECT => self.object_command(file, &item, "add"),
                COMMAND => self.command(file, &item),
                _ => self.common(file, &item, None),
            }
        }
        self.include_stack.pop();
    }

    /// `include`, `define`, `redefine`, `undefine`; anything else only has its variables resolved.
    fn common(&mut self, file: usize, node: &SyntaxNode, place: Option<Place>) {
        match node.kind() {
            INCLUDE => self.include(file, node, place),
            DEFINE => {
                let value = node.children().filter(|c| c.kind() != NAME).last();
                if let Some(value) = &value {
                    self.resolve_variables(file, value);
                }
                let Some(name) = child(node, NAME) else {
                    return;
                };
                let redefine = first_word(node) == Some("redefine");
                let loc = Loc::of(file, &name);
                if let Err(earlier) = self.scopes.define(
                    &mut self.model.defines,
                    text_of(&name),
                    loc.clone(),
                    value,
                    redefine,
                ) {
                    let earlier = self.model.defines[earlier].loc.clone();
                    let related = self.model.related(&earlier, "first defined here");
                    self.report(
                        &duplicate_definition::RULE,
                        &loc,
                        format!("redefinition of symbol '{}'", text_of(&name)),
                    )
                    .related
                    .push(related);
                }
            }
            UNDEFINE => {
                let Some(name) = child(node, NAME) else {
                    return;
                };
                if !self.scopes.undefine(&text_of(&name)) {
                    let loc = Loc::of(file, &name);
                    self.report(
                        &undefined_variable::RULE,
                        &loc,
                        format!("undefined symbol '{}'", text_of(&name)),
                    );
                }
            }
            _ => self.resolve_variables(file, node),
        }
    }

    fn include(&mut self, file: usize, node: &SyntaxNode, place: Option<Place>) {
        let Some(literal) = child(node, LITERAL) else {
            return;
        };
        let pattern = text_of(&literal).trim_matches('"').to_string();
        let loc = Loc::of(file, node);
        let including = self.model.files[file].source.path.clone();
        let found = includes::resolve(
            &pattern,
            &including,
            &self.options.include_paths,
            self.loader,
        );
        // Each file, with its text when resolving already read it.
        let files: Vec<(PathBuf, Option<std::io::Result<String>>)> = match found {
            Resolved::Glob(paths) => paths.into_iter().map(|path| (path, None)).collect(),
            Resolved::File(path, read) => vec![(path, Some(read))],
            Resolved::NotFound { searched } => {
                let list = searched
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ");
                self.report(
                    &include_error::RULE,
                    &loc,
                    format!("File not found: {pattern}"),
                )
                .help = Some(format!(
                    "searched {list}; add the directory with --include-path"
                ));
                return;
            }
        };
        for (path, read) in files {
            if self.include_stack.len() >= includes::MAX_DEPTH {
                self.report(
                    &include_error::RULE,
                    &loc,
                    format!(
                        "Include nested too deeply, max {} levels",
                        includes::MAX_DEPTH
                    ),
                );
                return;
            }
            if self.include_stack.contains(&includes::normalize(&path)) {
                self.report(
                    &include_error::RULE,
                    &loc,
                    format!("include cycle: {} includes itself", path.display()),
                );
                continue;
            }
            let text = match read.unwrap_or_else(|| self.loader.read(&path)) {
                Ok(text) => text,
                Err(error) => {
                    self.report(
                        &include_error::RULE,
                        &loc,
                        format!("cannot read {}: {error}", path.display()),
                    );
                    continue;
                }
            };
            let included = self.add_file(path, text, Some(loc.clone()));
            match place {
                // Inside a block, the included lines are items of that block.
                Some(place) => {
                    let root = self.model.files[included].parse.syntax();
                    self.include_stack
                        .push(includes::normalize(&self.model.files[included].source.path));
                    for item in root.children() {
                        self.table_item(included, &item, place.table);
                    }
                    self.include_stack.pop();
                }
                None => self.walk_file(included),
            }
        }
    }

    /// Marks every `$name` in `node` used, or reports it unknown.
    fn resolve_variables(&mut self, file: usize, node: &SyntaxNode) {
        // Most statements hold no variable: one scan of their source text spares walking their
        // tree.
        let range = node.text_range();
        let text = &self.model.files[file].source.text
            [usize::from(range.start())..usize::from(range.end())];
        if !text.contains('$') {
            return;
        }
        for variable in node.descendants().filter(|n| n.kind() == VARIABLE) {
            let Some(name) = variable
                .children_with_tokens()
                .filter_map(|e| e.into_token())
                .find(|t| t.kind() == WORD)
            else {
                continue;
            };
            self.use_variable(file, &variable, name.text());
        }
        // nft expands variables inside quoted strings such as `log prefix "$host: "`.
        for token in node
            .descendants_with_tokens()
            .filter_map(|e| e.into_token())
            .filter(|t| t.kind() == QUOTED_STRING)
        {
            for name in token.text().split('$').skip(1) {
                let name: String = name
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if let Some(i) = self.scopes.lookup(&name) {
                    self.model.defines[i].used = true;
                }
            }
        }
    }

    fn use_variable(&mut self, file: usize, node: &SyntaxNode, name: &str) {
        if let Some(i) = self.scopes.lookup(name) {
            self.model.defines[i].used = true;
            self.model
                .variables
                .insert((file, usize::from(node.text_range().start())), i);
            return;
        }
        let suggestion = self.suggest(name);
        let loc = Loc::of(file, node);
        let diagnostic = self.report(
            &undefined_variable::RULE,
            &loc,
            format!("unknown identifier '{name}'"),
        );
        diagnostic.help = Some(match suggestion {
            Some(s) => format!("did you mean '${s}'?"),
            None => format!("define it first: define {name} = ..."),
        });
    }

    /// A visible define spelled like `name`, while the budget of comparisons lasts.
    fn suggest(&mut self, name: &str) -> Option<String> {
        if self.comparisons_left == 0 {
            return None;
        }
        let visible: Vec<&str> = self.scopes.visible(&self.model.defines).collect();
        self.comparisons_left = self.comparisons_left.saturating_sub(visible.len());
        crate::symbols::closest(name, visible).map(str::to_string)
    }

    fn table_index(&mut self, family: &str, name: &str) -> usize {
        if let Some(i) = self
            .model
            .tables
            .iter()
            .position(|t| t.family == family && t.name == name)
        {
            return i;
        }
        self.model.tables.push(Table::new(family, name));
        self.model.tables.len() - 1
    }

    /// `[family] table [name...]` of a command; family `ip` when left out.
    fn spec_parts(spec: &SyntaxNode) -> (String, Vec<String>) {
        let spec = Spec::cast(spec.clone()).expect("a SPEC node");
        (
            spec.family().unwrap_or_else(|| "ip".to_string()),
            spec.names().collect(),
        )
    }

    /// A `table` block or `add table` command: creates the table and walks its body.
    fn table(&mut self, file: usize, node: &SyntaxNode, verb: Option<&str>) {
        let Some(spec) = child(node, SPEC) else {
            return;
        };
        let (family, names) = Self::spec_parts(&spec);
        let Some(name) = names.first() else { return };
        match verb {
            Some("delete") | Some("destroy") => {
                let found = self
                    .model
                    .tables
                    .iter()
                    .position(|t| t.family == family && &t.name == name);
                // A table the file never created may exist in the kernel from an earlier load:
                // nothing to say about it.
                if let Some(i) = found {
                    self.model.tables.remove(i);
                    self.model.references.retain(|r| r.table != i);
                    for r in &mut self.model.references {
                        if r.table > i {
                            r.table -= 1;
                        }
                    }
                }
                return;
            }
            Some("flush") => {
                if let Some(t) = self
                    .model
                    .tables
                    .iter_mut()
                    .find(|t| t.family == family && &t.name == name)
                {
                    t.chains.iter_mut().for_each(|c| c.rules.clear());
                }
                return;
            }
            Some("list") | Some("reset") => return,
            _ => {}
        }
        let table = self.table_index(&family, name);
        self.scopes.push();
        for item in node.children() {
            self.table_item(file, &item, table);
        }
        self.scopes.pop(&self.model.defines);
    }

    fn table_item(&mut self, file: usize, item: &SyntaxNode, table: usize) {
        let place = Place { table, chain: None };
        match item.kind() {
            CHAIN => {
                if let Some(name) = child(item, NAME) {
                    self.chain(file, item, table, text_of(&name));
                }
            }
            SET | MAP => {
                if let Some(name) = child(item, NAME) {
                    self.named_set(file, item, table, text_of(&name));
                }
            }
            FLOWTABLE | OBJECT => {
                if let Some(name) = child(item, NAME) {
                    self.object(file, item, table, text_of(&name));
                }
            }
            SPEC => {}
            _ => self.common(file, item, Some(place)),
        }
    }

    fn chain(&mut self, file: usize, node: &SyntaxNode, table: usize, name: String) {
        let loc = name_loc(file, node);
        let t = &mut self.model.tables[table];
        let index = match t.chain_position(&name) {
            Some(i) => i,
            None => t.add_chain(Chain {
                name: name.clone(),
                loc,
                base: None,
                policy: None,
                rules: Vec::new(),
            }),
        };
        self.scopes.push();
        let place = Place {
            table,
            chain: Some((index, &name)),
        };
        for item in node.children() {
            match item.kind() {
                PROPERTY => {
                    self.resolve_variables(file, &item);
                    self.chain_property(file, &item, table, index);
                }
                RULE => self.rule(file, &item, place, None),
                NAME | SPEC => {}
                _ => self.common(file, &item, Some(place)),
            }
        }
        self.scopes.pop(&self.model.defines);
    }

    fn chain_property(&mut self, file: usize, property: &SyntaxNode, table: usize, chain: usize) {
        match first_word(property) {
            Some("type") => {
                let words: Vec<String> = property
                    .children()
                    .filter(|c| c.kind() == LITERAL)
                    .map(|c| text_of(&c))
                    .collect();
                let hook = child(property, HOOK).and_then(|h| {
                    h.children_with_tokens()
                        .filter_map(|e| e.into_token())
                        .filter(|t| t.kind() == WORD)
                        .nth(1)
                        .map(|t| t.text().to_string())
                });
                let base = BaseChain {
                    chain_type: words.first().cloned().unwrap_or_default(),
                    hook: hook.unwrap_or_default(),
                    priority: child(property, PRIORITY),
                    devices: property
                        .descendants()
                        .filter(|n| n.kind() == DEVICES)
                        .flat_map(|d| d.descendants().filter(|n| n.kind() == LITERAL))
                        .map(|device| text_of(&device).trim_matches('"').to_string())
                        .collect(),
                    loc: Loc::of(file, property),
                };
                let existing = self.model.tables[table].chains[chain].base.clone();
                match existing {
                    Some(old) if old.chain_type != base.chain_type || old.hook != base.hook => {
                        let related = self.model.related(&old.loc, "first declared here");
                        let name = self.model.tables[table].chains[chain].name.clone();
                        self.report(
                            &duplicate_definition::RULE,
                            &base.loc,
                            format!(
                                "chain '{name}' already exists with type {} hook {}",
                                old.chain_type, old.hook
                            ),
                        )
                        .related
                        .push(related);
                    }
                    _ => self.model.tables[table].chains[chain].base = Some(base),
                }
            }
            Some("policy") => {
                let value = property
                    .children()
                    .find(|c| c.kind() == LITERAL)
                    .map(|c| text_of(&c));
                self.model.tables[table].chains[chain].policy = value;
            }
            _ => {}
        }
    }

    fn named_set(&mut self, file: usize, node: &SyntaxNode, table: usize, name: String) {
        self.resolve_variables(file, node);
        let is_map = node.kind() == MAP;
        let key_type = node
            .children()
            .filter(|c| c.kind() == PROPERTY)
            .find(|p| matches!(first_word(p), Some("type" | "typeof")))
            .map(|p| {
                green::significant_text(&p)
                    .split_whitespace()
                    .skip(1)
                    .collect::<Vec<_>>()
                    .join(" ")
            });
        let loc = name_loc(file, node);
        match self.model.tables[table].set(&name) {
            Some(old)
                if old.is_map != is_map
                    || (key_type.is_some()
                        && old.key_type.is_some()
                        && old.key_type != key_type) =>
            {
                let related = self.model.related(&old.loc, "first declared here");
                self.report(
                    &duplicate_definition::RULE,
                    &loc,
                    format!("set '{name}' already exists with a different type"),
                )
                .related
                .push(related);
            }
            Some(_) => {
                if let Some(set) = self.model.tables[table].set_mut(&name) {
                    set.declarations.push((file, node.clone()));
                }
            }
            None => self.model.tables[table].add_set(NamedSet {
                name,
                is_map,
                loc,
                key_type,
                declarations: vec![(file, node.clone())],
                changed_by_commands: false,
                element_commands: Vec::new(),
            }),
        }
        self.collect_references(file, node, Place { table, chain: None });
    }

    fn object(&mut self, file: usize, node: &SyntaxNode, table: usize, name: String) {
        self.resolve_variables(file, node);
        let kind = match node.kind() {
            FLOWTABLE => "flowtable".to_string(),
            _ => {
                let words: Vec<String> = node
                    .children_with_tokens()
                    .filter_map(|e| e.into_token())
                    .filter(|t| t.kind() == WORD)
                    .take(2)
                    .map(|t| t.text().to_string())
                    .collect();
                match words.as_slice() {
                    [ct, kind, ..] if ct == "ct" => format!("ct {kind}"),
                    [kind, ..] => kind.clone(),
                    [] => return,
                }
            }
        };
        self.model.tables[table].add_object(Object { kind, name });
    }

    /// Appends (or inserts) a rule to its chain and records what it refers to.
    fn rule(
        &mut self,
        file: usize,
        node: &SyntaxNode,
        place: Place,
        position: Option<(&str, usize)>,
    ) {
        self.resolve_variables(file, node);
        self.collect_references(file, node, place);
        let Some((chain, _)) = place.chain else {
            return;
        };
        let chain = &mut self.model.tables[place.table].chains[chain];
        let rule = Rule {
            file,
            node: node.clone(),
        };
        match position {
            Some(("insert", index)) => chain.rules.insert(index.min(chain.rules.len()), rule),
            Some((_, index)) => chain.rules.insert((index + 1).min(chain.rules.len()), rule),
            None => chain.rules.push(rule),
        }
    }

    /// Every name a node's statements refer to: chains, sets, maps, objects.
    fn collect_references(&mut self, file: usize, node: &SyntaxNode, place: Place) {
        let from_chain = place.chain.map(|(_, name)| name.to_string());
        let push = |model: &mut Model, kind: RefKind, name: String, at: &SyntaxNode| {
            model.references.push(Reference {
                table: place.table,
                from_chain: from_chain.clone(),
                kind,
                name,
                loc: Loc::of(file, at),
            });
        };
        let kinds = &[VERDICT_STMT, SET_REF, STMT_OPTION, SET_STMT];
        let nodes: Vec<SyntaxNode> = self.model.files[file]
            .descendants(node, kinds)
            .cloned()
            .collect();
        for n in nodes {
            match n.kind() {
                VERDICT_STMT => {
                    if let (Some(verb @ ("jump" | "goto")), Some(target)) =
                        (first_word(&n), child(&n, NAME))
                    {
                        push(
                            &mut self.model,
                            RefKind::Chain {
                                goto: verb == "goto",
                            },
                            text_of(&target),
                            &target,
                        );
                    }
                }
                SET_REF => {
                    let name = green::set_ref_name(n.green());
                    let in_flow = n.parent().is_some_and(|p| p.kind() == FLOW_STMT);
                    let kind = if in_flow {
                        RefKind::Object("flowtable")
                    } else {
                        RefKind::Set
                    };
                    push(&mut self.model, kind, name, &n);
                }
                STMT_OPTION | SET_STMT => {
                    if let Some((kind, name)) = objects::object_reference(&n) {
                        push(
                            &mut self.model,
                            RefKind::Object(kind),
                            text_of(&name).trim_matches('"').to_string(),
                            &name,
                        );
                    }
                }
                _ => {}
            }
        }
    }

    fn command(&mut self, file: usize, node: &SyntaxNode) {
        // After the comment lines above the command, which its node holds.
        let verb = node
            .children_with_tokens()
            .find(|e| !e.kind().is_trivia())
            .and_then(|e| e.into_token())
            .filter(|t| t.kind() == WORD)
            .map(|t| t.text().to_string());
        let Some(verb) = verb else {
            // A bare rule: `t c tcp dport 22 accept`.
            self.rule_command(file, node, "add");
            return;
        };
        if let Some(object) = node
            .children()
            .find(|c| matches!(c.kind(), TABLE | CHAIN | SET | MAP | FLOWTABLE | OBJECT))
        {
            match object.kind() {
                TABLE => self.table(file, &object, Some(&verb)),
                _ => self.object_command(file, &object, &verb),
            }
            return;
        }
        let second = node
            .children_with_tokens()
            .filter_map(|e| e.into_token())
            .filter(|t| t.kind() == WORD)
            .nth(1)
            .map(|t| t.text().to_string());
        match (verb.as_str(), second.as_deref()) {
            ("flush", None)
                if child(node, SPEC).is_some_and(|s| text_of(&s).trim() == "ruleset") =>
            {
                self.model.tables.clear();
                self.model.references.clear();
            }
            (_, Some("rule")) => self.rule_command(file, node, &verb),
            (_, Some("element")) => {
                self.resolve_variables(file, node);
                if let Some(Target {
                    table,
                    name,
                    path,
                    spec,
                }) = self.command_target(file, node)
                {
                    match self.model.tables[table].set_mut(&name) {
                        Some(set) => {
                            set.changed_by_commands = true;
                            set.element_commands.push(ElementCommand {
                                add: matches!(verb.as_str(), "add" | "create"),
                                file,
                                node: node.clone(),
                            });
                        }
                        None => {
                            let loc = Loc::of(file, &spec);
                            self.report(
                                &undefined_reference::RULE,
                                &loc,
                                format!("No such file or directory: set {path}"),
                            );
                        }
                    }
                }
            }
            ("rename", _) => {
                let new_name = node
                    .children()
                    .filter(|c| c.kind() == NAME)
                    .last()
                    .map(|n| text_of(&n));
                if let (Some(Target { table, name, .. }), Some(new_name)) =
                    (self.command_target(file, node), new_name)
                {
                    let table = &mut self.model.tables[table];
                    if let Some(chain) = table.chain_position(&name) {
                        table.rename_chain(chain, new_name);
                    }
                }
            }
            _ => self.resolve_variables(file, node),
        }
    }

    /// The table a command names, or an error where nft's kernel answers "No such file or
    /// directory".
    fn existing_table(
        &mut self,
        file: usize,
        at: &SyntaxNode,
        family: &str,
        name: &str,
    ) -> Option<usize> {
        let found = self
            .model
            .tables
            .iter()
            .position(|t| t.family == family && t.name == name);
        if found.is_none() {
            let loc = Loc::of(file, at);
            self.report(
                &undefined_reference::RULE,
                &loc,
                format!("No such file or directory: table {family} {name}"),
            )
            .help = Some(format!("create it first: add table {family} {name}"));
        }
        found
    }

    /// What a command's `[family] table name` path names: the table's index (reported when the
    /// table does not exist), the object's name and the path node.
    fn command_target(&mut self, file: usize, node: &SyntaxNode) -> Option<Target> {
        let spec = child(node, SPEC)?;
        let (family, names) = Self::spec_parts(&spec);
        let [table_name, name] = names.as_slice() else {
            return None;
        };
        // nft points at the table's name, not at the family before it.
        let table_node = child(&spec, NAME).unwrap_or_else(|| spec.clone());
        let table = self.existing_table(file, &table_node, &family, table_name)?;
        Some(Target {
            table,
            name: name.clone(),
            path: format!("{family} {table_name} {name}"),
            spec,
        })
    }

    /// `add|insert|replace|delete rule [family] table chain [position N] STATEMENTS`.
    fn rule_command(&mut self, file: usize, node: &SyntaxNode, verb: &str) {
        let Some(Target {
            table,
            name: chain_name,
            path,
            spec,
        }) = self.command_target(file, node)
        else {
            return;
        };
        let Some(chain) = self.model.tables[table].chain_position(&chain_name) else {
            let loc = Loc::of(file, &spec);
            self.report(
                &undefined_reference::RULE,
                &loc,
                format!("No such file or directory: chain {path}"),
            );
            return;
        };
        let position = child(node, POSITION).and_then(|p| {
            let key = first_word(&p)?.to_string();
            let n: usize = p
                .children()
                .find(|c| c.kind() == LITERAL)?
                .text()
                .to_string()
                .parse()
                .ok()?;
            Some((key, n))
        });
        let Some(rule) = child(node, RULE) else {
            return;
        };
        let place = Place {
            table,
            chain: Some((chain, &chain_name)),
        };
        match (verb, position) {
            // `index N` counts rules; `position`/`handle` name a kernel handle nftlint cannot
            // know, so those rules go to the end (add) or the start (insert).
            ("insert", Some((key, n))) if key == "index" => {
                self.rule(file, &rule, place, Some(("insert", n)))
            }
            ("insert", _) => self.rule(file, &rule, place, Some(("insert", 0))),
            (_, Some((key, n))) if key == "index" => {
                self.rule(file, &rule, place, Some(("add", n)))
            }
            ("add" | "create", _) => self.rule(file, &rule, place, None),
            _ => {
                self.resolve_variables(file, &rule);
                self.collect_references(file, &rule, place);
            }
        }
    }

    /// `[add|create|delete|destroy|flush] chain|set|map|flowtable|OBJECT [family] table name [{ ... }]`.
    fn object_command(&mut self, file: usize, node: &SyntaxNode, verb: &str) {
        let Some(Target { table, name, .. }) = self.command_target(file, node) else {
            return;
        };
        match verb {
            "add" | "create" => match node.kind() {
                CHAIN => self.chain(file, node, table, name),
                SET | MAP => self.named_set(file, node, table, name),
                _ => self.object(file, node, table, name),
            },
            "delete" | "destroy" => {
                // Deleting what the file never created targets the kernel's ruleset: nothing to
                // check here.
                let t = &mut self.model.tables[table];
                match node.kind() {
                    CHAIN => t.remove_chains(&name),
                    SET | MAP => t.remove_sets(&name),
                    _ => t.remove_objects(&name),
                }
            }
            "flush" => {
                let table = &mut self.model.tables[table];
                if let Some(chain) = table.chain_position(&name) {
                    table.chains[chain].rules.clear();
                }
            }
            _ => {}
        }
    }
}

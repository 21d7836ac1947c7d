//! What an editor asks of one file: its outline, where a name is defined, and what a name under
//! the cursor stands for. Names resolve as nft resolves them: `$name` to its `define`, `@name`
//! to the set or map of the same table, a `jump`/`goto` target to the chain of the same table.

use std::ops::Range;

use nftlint_syntax::SyntaxKind::{self, *};
use nftlint_syntax::ast::{AstNode, Chain, Define, Set, SourceFile, Table};
use nftlint_syntax::{SyntaxNode, SyntaxToken, TextSize};

use crate::symbols::services::service_port;

/// What an outline entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    Table,
    Chain,
    Set,
    Map,
    Define,
}

/// An entry of a file's outline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub kind: SymbolKind,
    /// `inet`, `filter hook input priority 0`, `type ipv4_addr`.
    pub detail: Option<String>,
    /// The whole block.
    pub range: Range<usize>,
    /// The name.
    pub name_range: Range<usize>,
    pub children: Vec<Symbol>,
}

/// The file's tables with their chains, sets and maps, and its defines, in order.
pub fn symbols(text: &str) -> Vec<Symbol> {
    let file = source_file(text);
    let defines = file.defines().filter_map(|define| {
        let name = define.syntax().children().find(|n| n.kind() == NAME)?;
        Some(Symbol {
            name: define.name()?,
            kind: SymbolKind::Define,
            detail: define.value().map(|v| one_line(v.syntax())),
            range: range(define.syntax()),
            name_range: range(&name),
            children: Vec::new(),
        })
    });
    let tables = file.tables().filter_map(|table| {
        let spec = table.spec()?;
        let children = table
            .syntax()
            .children()
            .filter_map(|item| match item.kind() {
                CHAIN => chain_symbol(&Chain::cast(item)?),
                SET | MAP => set_symbol(&Set::cast(item)?),
                _ => None,
            })
            .collect();
        Some(Symbol {
            name: table.name()?,
            kind: SymbolKind::Table,
            detail: table.family(),
            range: range(table.syntax()),
            name_range: range(
                &spec
                    .syntax()
                    .children()
                    .last()
                    .unwrap_or(spec.syntax().clone()),
            ),
            children,
        })
    });
    let mut all: Vec<Symbol> = defines.chain(tables).collect();
    all.sort_by_key(|s| s.range.start);
    all
}

fn chain_symbol(chain: &Chain) -> Option<Symbol> {
    let name = chain.syntax().children().find(|n| n.kind() == NAME)?;
    Some(Symbol {
        name: chain.name()?,
        kind: SymbolKind::Chain,
        detail: chain
            .base_type()
            .map(|t| one_line(t.syntax()).trim_start_matches("type ").to_string()),
        range: range(chain.syntax()),
        name_range: range(&name),
        children: Vec::new(),
    })
}

fn set_symbol(set: &Set) -> Option<Symbol> {
    let name = set.syntax().children().find(|n| n.kind() == NAME)?;
    let key = set
        .properties()
        .find(|p| matches!(p.key().as_deref(), Some("type" | "typeof")))
        .map(|p| one_line(p.syntax()));
    Some(Symbol {
        name: set.name()?,
        kind: if set.is_map() {
            SymbolKind::Map
        } else {
            SymbolKind::Set
        },
        detail: key,
        range: range(set.syntax()),
        name_range: range(&name),
        children: Vec::new(),
    })
}

/// Where the name at `offset` is defined: the name of a define, set, map or chain.
pub fn definition(text: &str, offset: usize) -> Option<Range<usize>> {
    let file = source_file(text);
    match reference(&file, offset)? {
        Reference::Variable(name) => define_named(text, &name).map(|(range, _)| range),
        Reference::Set(table, name) => {
            let set = table.sets().find(|s| s.name().as_deref() == Some(&name))?;
            set.syntax()
                .children()
                .find(|n| n.kind() == NAME)
                .map(|n| range(&n))
        }
        Reference::Chain(table, name) => {
            let chain = table
                .chains()
                .find(|c| c.name().as_deref() == Some(&name))?;
            chain
                .syntax()
                .children()
                .find(|n| n.kind() == NAME)
                .map(|n| range(&n))
        }
        Reference::Service(_) => None,
    }
}

/// The name of the `$variable` at `offset`, when the file does not define it: it is looked up
/// in the files the file includes.
pub fn undefined_variable(text: &str, offset: usize) -> Option<String> {
    let file = source_file(text);
    match reference(&file, offset)? {
        Reference::Variable(name)
            if !defines(&file).any(|d| d.name().as_deref() == Some(&name)) =>
        {
            Some(name)
        }
        _ => None,
    }
}

/// Where a file defines `$name`, and the hover text for it: the last definition, as nft reads
/// them in order.
pub fn define_named(text: &str, name: &str) -> Option<(Range<usize>, String)> {
    let file = source_file(text);
    let define = defines(&file)
        .filter(|d| d.name().as_deref() == Some(name))
        .last()?;
    let at = define.syntax().children().find(|n| n.kind() == NAME)?;
    let value = define
        .value()
        .map(|v| one_line(v.syntax()))
        .unwrap_or_default();
    Some((range(&at), format!("```nft\ndefine {name} = {value}\n```")))
}

/// Every place that names what the name at `offset` names, its definition included, in file
/// order: the ranges of the names alone (`admins` in `$admins`), so that a rename replaces
/// exactly them.
pub fn references(text: &str, offset: usize) -> Vec<Range<usize>> {
    let file = source_file(text);
    let Some(target) = reference(&file, offset) else {
        return Vec::new();
    };
    let name_of = |node: &SyntaxNode| {
        node.children()
            .find(|n| n.kind() == NAME)
            .map(|n| range(&n))
    };
    let mut found: Vec<Range<usize>> = match &target {
        Reference::Variable(name) => defines(&file)
            .filter(|d| d.name().as_deref() == Some(name))
            .filter_map(|d| name_of(d.syntax()))
            .chain(words_of(file.syntax(), VARIABLE, name))
            .collect(),
        Reference::Set(table, name) => table
            .sets()
            .filter(|s| s.name().as_deref() == Some(name))
            .filter_map(|s| name_of(s.syntax()))
            .chain(words_of(table.syntax(), SET_REF, name))
            .collect(),
        Reference::Chain(table, name) => {
            let targets = table
                .syntax()
                .descendants()
                .filter(|n| n.kind() == VERDICT_STMT)
                .filter_map(|v| v.children().find(|n| n.kind() == NAME))
                .filter(|n| n.text().to_string().trim_matches('"') == name)
                .map(|n| range(&n));
            table
                .chains()
                .filter(|c| c.name().as_deref() == Some(name))
                .filter_map(|c| name_of(c.syntax()))
                .chain(targets)
                .collect()
        }
        Reference::Service(_) => Vec::new(),
    };
    found.sort_by_key(|r| r.start);
    found.dedup();
    found
}

/// The ranges of the words of the `$name` or `@name` nodes below `root` that spell `name`.
fn words_of(root: &SyntaxNode, kind: SyntaxKind, name: &str) -> Vec<Range<usize>> {
    root.descendants()
        .filter(|n| n.kind() == kind)
        .filter_map(|n| {
            let token = n
                .children_with_tokens()
                .filter_map(|e| e.into_token())
                .find(|t| t.kind() == WORD)?;
            (token.text() == name).then(|| token_range(&token))
        })
        .collect()
}

/// The edits that rename what the name at `offset` names to `new_name`, or `None` when there is
/// nothing there to rename or the new name is no name nft reads.
pub fn rename(text: &str, offset: usize, new_name: &str) -> Option<Vec<(Range<usize>, String)>> {
    let mut chars = new_name.chars();
    let valid = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !valid {
        return None;
    }
    let places = references(text, offset);
    (!places.is_empty()).then(|| {
        places
            .into_iter()
            .map(|r| (r, new_name.to_string()))
            .collect()
    })
}

/// The ranges an editor's "expand selection" steps through from `offset`: the word, then each
/// enclosing node (expression, statement, rule, block, file), innermost first.
pub fn selection(text: &str, offset: usize) -> Vec<Range<usize>> {
    let file = source_file(text);
    let Some(token) = token_at(file.syntax(), offset) else {
        return Vec::new();
    };
    let mut ranges = vec![token_range(&token)];
    for node in token.parent_ancestors() {
        let node_range = range(&node);
        if ranges.last() != Some(&node_range) && node_range.start <= ranges[0].start {
            ranges.push(node_range);
        }
    }
    ranges
}

/// What a highlighted token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Highlight {
    Comment,
    Keyword,
    String,
    Number,
    /// `$name` and `@name`.
    Variable,
    /// Chain names, where declared and where jumped to.
    Function,
    /// The name of a define, set, map or table where it is declared.
    Declaration,
}

/// The tokens of a file an editor colours, in order: comments, keywords, strings, numbers and
/// addresses, and names by what they name.
pub fn highlights(text: &str) -> Vec<(Range<usize>, Highlight)> {
    let file = source_file(text);
    let mut out = Vec::new();
    for token in file
        .syntax()
        .descendants_with_tokens()
        .filter_map(|e| e.into_token())
    {
        let parent = token.parent().map(|p| p.kind());
        let grandparent = token.parent().and_then(|p| p.parent()).map(|p| p.kind());
        let highlight = match (token.kind(), parent, grandparent) {
            (COMMENT, ..) => Highlight::Comment,
            (QUOTED_STRING, ..) => Highlight::String,
            (NUMBER | IPV4_ADDR | IPV6_ADDR | MAC_ADDR, ..) => Highlight::Number,
            (WORD | DOLLAR | AT, Some(VARIABLE | SET_REF), _) => Highlight::Variable,
            (WORD, Some(NAME), Some(CHAIN | VERDICT_STMT)) => Highlight::Function,
            (WORD, Some(NAME), Some(DEFINE | SET | MAP | SPEC)) => Highlight::Declaration,
            (WORD, Some(LITERAL | NAME), _) => continue,
            (WORD, ..) => Highlight::Keyword,
            _ => continue,
        };
        out.push((token_range(&token), highlight));
    }
    out
}

/// The range of a token.
fn token_range(token: &SyntaxToken) -> Range<usize> {
    usize::from(token.text_range().start())..usize::from(token.text_range().end())
}

/// What a completion inserts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    Keyword,
    Variable,
    Set,
    Chain,
    Value,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
}

/// The fields each header offers after its name: `tcp dport`, `ct state`.
const FIELDS: &[(&str, &[&str])] = &[
    (
        "tcp",
        &[
            "dport", "sport", "flags", "sequence", "ackseq", "window", "checksum", "urgptr",
            "doff", "option",
        ],
    ),
    ("udp", &["dport", "sport", "length", "checksum"]),
    ("th", &["dport", "sport"]),
    (
        "ip",
        &[
            "saddr", "daddr", "protocol", "ttl", "length", "id", "version", "dscp", "ecn",
            "frag-off", "checksum",
        ],
    ),
    (
        "ip6",
        &[
            "saddr",
            "daddr",
            "nexthdr",
            "hoplimit",
            "flowlabel",
            "length",
            "dscp",
            "ecn",
            "version",
        ],
    ),
    (
        "icmp",
        &[
            "type", "code", "id", "sequence", "mtu", "gateway", "checksum",
        ],
    ),
    (
        "icmpv6",
        &[
            "type",
            "code",
            "id",
            "sequence",
            "mtu",
            "max-delay",
            "checksum",
        ],
    ),
    (
        "ct",
        &[
            "state",
            "status",
            "mark",
            "direction",
            "expiration",
            "helper",
            "label",
            "zone",
            "count",
        ],
    ),
    (
        "meta",
        &[
            "iifname", "oifname", "iif", "oif", "mark", "l4proto", "nfproto", "protocol", "length",
            "skuid", "skgid", "pkttype", "priority", "nftrace",
        ],
    ),
];

/// What may start a statement in a rule.
const STATEMENTS: &[&str] = &[
    "accept",
    "drop",
    "reject",
    "jump",
    "goto",
    "return",
    "continue",
    "counter",
    "log",
    "limit",
    "quota",
    "queue",
    "masquerade",
    "snat",
    "dnat",
    "redirect",
    "notrack",
    "tcp",
    "udp",
    "th",
    "ip",
    "ip6",
    "icmp",
    "icmpv6",
    "ct",
    "meta",
    "iifname",
    "oifname",
    "iif",
    "oif",
    "mark",
    "fib",
];

/// What fits at `offset`: names after `$` and `@` and after `jump`, families after `table`,
/// hooks after `hook`, fields after a header, values after `ct state` or `tcp flags`, and the
/// statements a rule may start with.
pub fn completions(text: &str, offset: usize) -> Vec<Completion> {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |at| at + 1);
    let before = &text[line_start..offset];
    let partial_start = before
        .rfind(|c: char| c.is_whitespace() || c == ';' || c == '{')
        .map_or(0, |at| at + 1);
    let partial = &before[partial_start..];
    let words: Vec<&str> = before[..partial_start].split_whitespace().collect();
    let file = source_file(text);
    // The table of the last word before the cursor: trailing blanks may sit outside it.
    let anchor = text[..offset].trim_end().len();
    let table = || {
        let token = file
            .syntax()
            .token_at_offset(TextSize::try_from(anchor).ok()?)
            .left_biased()?;
        token.parent_ancestors().find_map(Table::cast)
    };
    let names = |labels: Vec<String>, kind: CompletionKind| -> Vec<Completion> {
        labels
            .into_iter()
            .map(|label| Completion { label, kind })
            .collect()
    };
    let keywords = |labels: &[&str], kind: CompletionKind| -> Vec<Completion> {
        names(labels.iter().map(|l| l.to_string()).collect(), kind)
    };
    if partial.starts_with('$') {
        let defines = defines(&file)
            .filter_map(|d| d.name())
            .map(|n| format!("${n}"));
        return names(defines.collect(), CompletionKind::Variable);
    }
    if partial.starts_with('@') {
        let sets = table()
            .map(|t| {
                t.sets()
                    .filter_map(|s| s.name())
                    .map(|n| format!("@{n}"))
                    .collect()
            })
            .unwrap_or_default();
        return names(sets, CompletionKind::Set);
    }
    let symbols_of = |datatype: crate::symbols::Datatype| {
        crate::symbols::names(datatype)
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    match words.as_slice() {
        [.., "table"] => keywords(
            &["ip", "ip6", "inet", "arp", "bridge", "netdev"],
            CompletionKind::Keyword,
        ),
        [.., "hook"] => keywords(
            &[
                "prerouting",
                "input",
                "forward",
                "output",
                "postrouting",
                "ingress",
                "egress",
            ],
            CompletionKind::Keyword,
        ),
        [.., "type"] if table().is_some() => {
            keywords(&["filter", "nat", "route"], CompletionKind::Keyword)
        }
        [.., "policy"] => keywords(&["accept", "drop"], CompletionKind::Keyword),
        [.., "jump" | "goto"] => {
            let chains = table()
                .map(|t| {
                    t.chains()
                        .filter(|c| c.base_type().is_none())
                        .filter_map(|c| c.name())
                        .collect()
                })
                .unwrap_or_default();
            names(chains, CompletionKind::Chain)
        }
        [.., "ct", "state"] => names(
            symbols_of(crate::symbols::Datatype::CtState),
            CompletionKind::Value,
        ),
        [.., "ct", "status"] => names(
            symbols_of(crate::symbols::Datatype::CtStatus),
            CompletionKind::Value,
        ),
        [.., "tcp", "flags"] => names(
            symbols_of(crate::symbols::Datatype::TcpFlag),
            CompletionKind::Value,
        ),
        [.., header] if FIELDS.iter().any(|(h, _)| h == header) => {
            let fields = FIELDS
                .iter()
                .find(|(h, _)| h == header)
                .map(|(_, f)| *f)
                .unwrap_or_default();
            keywords(fields, CompletionKind::Keyword)
        }
        _ if table().is_some() => keywords(STATEMENTS, CompletionKind::Keyword),
        _ => keywords(
            &["table", "define", "include", "flush", "add"],
            CompletionKind::Keyword,
        ),
    }
}

/// What the name at `offset` stands for, in Markdown: a define's value, a set's elements, a
/// chain's hook, priority and policy, a service's port.
pub fn hover(text: &str, offset: usize) -> Option<String> {
    let file = source_file(text);
    Some(match reference(&file, offset)? {
        Reference::Variable(name) => define_named(text, &name)?.1,
        Reference::Set(table, name) => {
            let set = table.sets().find(|s| s.name().as_deref() == Some(&name))?;
            let kind = if set.is_map() { "map" } else { "set" };
            let properties: Vec<String> = set
                .properties()
                .filter(|p| p.key().as_deref() != Some("elements"))
                .map(|p| one_line(p.syntax()))
                .collect();
            let elements: Vec<String> = set.elements().map(|e| one_line(e.syntax())).collect();
            let shown = elements
                .iter()
                .take(20)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ");
            let more = if elements.len() > 20 {
                format!(", … ({} elements)", elements.len())
            } else {
                String::new()
            };
            format!(
                "```nft\n{kind} {name} {{\n{}\n\telements = {{ {shown}{more} }}\n}}\n```",
                properties
                    .iter()
                    .map(|p| format!("\t{p}"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        }
        Reference::Chain(table, name) => {
            let chain = table
                .chains()
                .find(|c| c.name().as_deref() == Some(&name))?;
            let rules = chain.rules().count();
            match chain.base_type() {
                Some(base) => format!(
                    "```nft\nchain {name} {{ {}; policy {}; }}\n```\nbase chain, {}",
                    one_line(base.syntax()),
                    chain.policy().unwrap_or_else(|| "accept".to_string()),
                    count(rules, "rule")
                ),
                None => format!(
                    "```nft\nchain {name}\n```\nregular chain, {}",
                    count(rules, "rule")
                ),
            }
        }
        Reference::Service(name) => {
            let port = service_port(&name)?;
            format!("`{name}`: port {port} (`/etc/services`)")
        }
    })
}

/// `1 rule`, `3 rules`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A name in a file, with the table it resolves in.
enum Reference {
    Variable(String),
    Set(Table, String),
    Chain(Table, String),
    Service(String),
}

/// The name at `offset`, if it is one an editor can follow.
fn reference(file: &SourceFile, offset: usize) -> Option<Reference> {
    let token = token_at(file.syntax(), offset)?;
    let parent = token.parent()?;
    let table = || parent.ancestors().find_map(Table::cast);
    match parent.kind() {
        VARIABLE => Some(Reference::Variable(word(&parent)?)),
        SET_REF => Some(Reference::Set(table()?, word(&parent)?)),
        NAME if parent.parent().is_some_and(|p| p.kind() == VERDICT_STMT) => {
            Some(Reference::Chain(
                table()?,
                parent.text().to_string().trim_matches('"').to_string(),
            ))
        }
        NAME if parent.parent().is_some_and(|p| p.kind() == CHAIN) => {
            Some(Reference::Chain(table()?, parent.text().to_string()))
        }
        NAME if parent.parent().is_some_and(|p| p.kind() == DEFINE) => {
            Some(Reference::Variable(parent.text().to_string()))
        }
        NAME if parent
            .parent()
            .is_some_and(|p| matches!(p.kind(), SET | MAP)) =>
        {
            Some(Reference::Set(table()?, parent.text().to_string()))
        }
        LITERAL if token.kind() == WORD && is_port(&parent) => {
            Some(Reference::Service(token.text().to_string()))
        }
        _ => None,
    }
}

/// Whether a constant stands where ports go: after `tcp dport`, `udp sport`, `th dport`.
fn is_port(literal: &SyntaxNode) -> bool {
    let statement = literal.ancestors().find(|n| n.kind() == MATCH_STMT);
    statement
        .and_then(|s| s.first_child())
        .is_some_and(|selector| {
            let text = one_line(&selector);
            text.ends_with("dport") || text.ends_with("sport")
        })
}

/// The word of a `$name` or `@name`.
fn word(node: &SyntaxNode) -> Option<String> {
    node.children_with_tokens()
        .filter_map(|e| e.into_token())
        .find(|t| t.kind() == WORD)
        .map(|t| t.text().to_string())
}

/// The token the cursor is on, or just after.
fn token_at(root: &SyntaxNode, offset: usize) -> Option<SyntaxToken> {
    let offset = TextSize::try_from(offset).ok()?;
    if offset > root.text_range().end() {
        return None;
    }
    let tokens = root.token_at_offset(offset);
    let pick = |t: &SyntaxToken| matches!(t.kind(), WORD | QUOTED_STRING | DOLLAR | AT);
    tokens.clone().find(pick).or_else(|| tokens.last())
}

/// Defines at the top level and in tables, in order.
fn defines(file: &SourceFile) -> impl Iterator<Item = Define> {
    file.syntax().descendants().filter_map(Define::cast)
}

fn source_file(text: &str) -> SourceFile {
    SourceFile::cast(nftlint_syntax::parse(text).syntax()).expect("the root is a source file")
}

fn range(node: &SyntaxNode) -> Range<usize> {
    let start = node
        .descendants_with_tokens()
        .filter_map(|e| e.into_token())
        .find(|t| !t.kind().is_trivia() && t.kind() != NEWLINE)
        .map_or(node.text_range().start(), |t| t.text_range().start());
    usize::from(start)..usize::from(node.text_range().end())
}

/// A node's text on one line, whitespace collapsed, comments dropped.
fn one_line(node: &SyntaxNode) -> String {
    let mut line = String::new();
    for token in node
        .descendants_with_tokens()
        .filter_map(|e| e.into_token())
    {
        let kind: SyntaxKind = token.kind();
        if kind.is_trivia() || kind == NEWLINE {
            if !line.is_empty() && !line.ends_with(' ') {
                line.push(' ');
            }
        } else {
            line.push_str(token.text());
        }
    }
    line.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "define admins = { 192.0.2.0/28 }\n\
        table inet filter {\n\
        \tset allow {\n\t\ttype ipv4_addr\n\t\telements = { 192.0.2.1, 192.0.2.2 }\n\t}\n\
        \tchain web {\n\t\ttcp dport https accept\n\t}\n\
        \tchain input {\n\t\ttype filter hook input priority 0; policy drop;\n\
        \t\tip saddr $admins tcp dport ssh accept\n\t\tip saddr @allow jump web\n\t}\n}\n";

    fn at(needle: &str) -> usize {
        TEXT.find(needle).unwrap_or_else(|| panic!("{needle}")) + 1
    }

    #[test]
    fn outline() {
        let symbols = symbols(TEXT);
        let names: Vec<(&str, SymbolKind)> =
            symbols.iter().map(|s| (s.name.as_str(), s.kind)).collect();
        assert_eq!(
            names,
            [
                ("admins", SymbolKind::Define),
                ("filter", SymbolKind::Table)
            ]
        );
        let table: Vec<(&str, Option<&str>)> = symbols[1]
            .children
            .iter()
            .map(|s| (s.name.as_str(), s.detail.as_deref()))
            .collect();
        assert_eq!(
            table,
            [
                ("allow", Some("type ipv4_addr")),
                ("web", None),
                ("input", Some("filter hook input priority 0"))
            ]
        );
    }

    #[test]
    fn definitions() {
        let name = |range: Range<usize>| &TEXT[range];
        assert_eq!(definition(TEXT, at("$admins")).map(name), Some("admins"));
        assert_eq!(definition(TEXT, at("@allow")).map(name), Some("allow"));
        assert_eq!(definition(TEXT, at("jump web") + 5).map(name), Some("web"));
        let web = definition(TEXT, at("jump web") + 5).unwrap();
        assert!(TEXT[..web.start].ends_with("chain "));
        assert_eq!(definition(TEXT, at("accept")), None);
    }

    #[test]
    fn references_and_renames() {
        let texts = |ranges: Vec<Range<usize>>| -> Vec<&str> {
            ranges.into_iter().map(|r| &TEXT[r]).collect()
        };
        assert_eq!(texts(references(TEXT, at("$admins"))), ["admins", "admins"]);
        assert_eq!(texts(references(TEXT, at("chain web") + 6)), ["web", "web"]);
        assert_eq!(
            texts(references(TEXT, at("set allow") + 4)),
            ["allow", "allow"]
        );
        let edits = rename(TEXT, at("@allow"), "trusted").unwrap();
        let mut renamed = TEXT.to_string();
        for (range, name) in edits.into_iter().rev() {
            renamed.replace_range(range, &name);
        }
        assert!(renamed.contains("set trusted {") && renamed.contains("ip saddr @trusted jump"));
        assert_eq!(rename(TEXT, at("@allow"), "no spaces"), None);
        assert_eq!(rename(TEXT, at("accept"), "x"), None);
    }

    #[test]
    fn completions_by_context() {
        let labels = |text: &str| -> Vec<String> {
            completions(text, text.len())
                .into_iter()
                .map(|c| c.label)
                .collect()
        };
        let rule = |line: &str| {
            format!(
                "{}\t\t{line}",
                &TEXT[..TEXT.find("\t\tip saddr $admins").unwrap()]
            )
        };
        assert!(labels("table ").contains(&"inet".to_string()));
        assert!(labels(&rule("ip saddr $")).contains(&"$admins".to_string()));
        assert_eq!(labels(&rule("ip saddr @")), ["@allow"]);
        assert_eq!(labels(&rule("jump ")), ["web"]);
        assert!(labels(&rule("tcp ")).contains(&"dport".to_string()));
        assert!(labels(&rule("ct state ")).contains(&"established".to_string()));
        assert!(labels(&rule("")).contains(&"accept".to_string()));
        assert!(labels("").contains(&"table".to_string()));
    }

    #[test]
    fn selections_grow_outward() {
        let steps: Vec<&str> = selection(TEXT, at("@allow") + 1)
            .into_iter()
            .map(|r| &TEXT[r])
            .collect();
        assert_eq!(&steps[..3], ["allow", "@allow", "ip saddr @allow"]);
        assert!(steps[3].starts_with("ip saddr @allow jump web"));
        assert!(steps.last().unwrap().starts_with("define admins"));
    }

    #[test]
    fn highlighting() {
        let text =
            "define x = 1 # one\ntable inet t {\n\tchain c {\n\t\tip saddr $x jump c\n\t}\n}\n";
        let shown: Vec<(&str, Highlight)> = highlights(text)
            .into_iter()
            .map(|(r, h)| (&text[r], h))
            .collect();
        use Highlight::*;
        assert_eq!(
            shown,
            [
                ("define", Keyword),
                ("x", Declaration),
                ("1", Number),
                ("# one", Comment),
                ("table", Keyword),
                ("inet", Keyword),
                ("t", Declaration),
                ("chain", Keyword),
                ("c", Function),
                ("ip", Keyword),
                ("saddr", Keyword),
                ("$", Variable),
                ("x", Variable),
                ("jump", Keyword),
                ("c", Function),
            ]
        );
    }

    #[test]
    fn variables_of_other_files() {
        let text = "table ip t {\n\tchain c {\n\t\tip saddr $lan accept\n\t}\n}\n";
        assert_eq!(
            undefined_variable(text, text.find("$lan").unwrap() + 1).as_deref(),
            Some("lan")
        );
        assert_eq!(undefined_variable(TEXT, at("$admins")), None);
        let (range, hover) = define_named("define lan = 10.0.0.0/8\n", "lan").unwrap();
        assert_eq!(range, 7..10);
        assert_eq!(hover, "```nft\ndefine lan = 10.0.0.0/8\n```");
    }

    #[test]
    fn hovers() {
        assert_eq!(
            hover(TEXT, at("$admins")).unwrap(),
            "```nft\ndefine admins = { 192.0.2.0/28 }\n```"
        );
        assert!(
            hover(TEXT, at("@allow"))
                .unwrap()
                .contains("elements = { 192.0.2.1, 192.0.2.2 }")
        );
        assert_eq!(
            hover(TEXT, at("jump web") + 5).unwrap(),
            "```nft\nchain web\n```\nregular chain, 1 rule"
        );
        assert!(
            hover(TEXT, at("chain input") + 6)
                .unwrap()
                .contains("policy drop")
        );
        assert_eq!(
            hover(TEXT, at("dport ssh") + 6).unwrap(),
            "`ssh`: port 22 (`/etc/services`)"
        );
    }
}

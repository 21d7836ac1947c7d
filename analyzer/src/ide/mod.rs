//! What an editor asks of a file: its outline, highlighting, selection ranges and completions,
//! and (in [`navigate`]) what the name under the cursor stands for, where it is declared and
//! named, in this file and in the files it includes or is included by.

use std::ops::Range;

use nftlint_syntax::SyntaxKind::{self, *};
use nftlint_syntax::ast::{AstNode, Chain, Define, Set, SourceFile, Table};
use nftlint_syntax::{SyntaxNode, SyntaxToken, TextSize};

mod navigate;

pub use navigate::{Place, TableId, Target, definition, describe, is_name, places, target};

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
    /// Chain names where jumped to.
    Function,
    /// A chain's name where it is declared.
    FunctionDeclaration,
    /// The name of a define, set, map or table where it is declared.
    Declaration,
    /// A field of a header or of packet metadata: `saddr` of `ip saddr`, `state` of `ct state`.
    Property,
    /// A symbolic constant: `new`, `tcp`, `ssh`.
    Constant,
}

/// The expressions that read a packet field: their first word names the header or source, the
/// words after it the field.
const SELECTORS: &[SyntaxKind] = &[
    PAYLOAD_EXPR,
    CT_EXPR,
    META_EXPR,
    EXTHDR_EXPR,
    FIB_EXPR,
    RT_EXPR,
    SOCKET_EXPR,
    IPSEC_EXPR,
    OSF_EXPR,
    TUNNEL_EXPR,
];

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
            (COMMENT, ..) => {
                // A comment's token ends with its line break; an editor's token must not.
                let range = token_range(&token);
                let text = token.text().trim_end_matches(['\n', '\r']);
                out.push((range.start..range.start + text.len(), Highlight::Comment));
                continue;
            }
            (QUOTED_STRING, ..) => Highlight::String,
            (NUMBER | IPV4_ADDR | IPV6_ADDR | MAC_ADDR, ..) => Highlight::Number,
            (WORD | DOLLAR | AT, Some(VARIABLE | SET_REF), _) => Highlight::Variable,
            (WORD, Some(NAME), Some(CHAIN)) => Highlight::FunctionDeclaration,
            (WORD, Some(NAME), Some(VERDICT_STMT)) => Highlight::Function,
            (WORD, Some(NAME), Some(DEFINE | SET | MAP | SPEC)) => Highlight::Declaration,
            (WORD, Some(LITERAL), _) => Highlight::Constant,
            (WORD, Some(NAME), _) => continue,
            (WORD, Some(selector), _)
                if SELECTORS.contains(&selector) && token.prev_sibling_or_token().is_some() =>
            {
                Highlight::Property
            }
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
    /// What the label replaces: the word at the cursor, `$` or `@` included (editors take only
    /// letters for a word, and would keep a typed `$` before an inserted `$name`).
    pub replace: Range<usize>,
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
    // Completing in the middle of a word replaces all of it.
    let word_end = text[offset..]
        .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '.')))
        .map_or(text.len(), |at| offset + at);
    let replace = line_start + partial_start..word_end;
    let names = |labels: Vec<String>, kind: CompletionKind| -> Vec<Completion> {
        labels
            .into_iter()
            .map(|label| Completion {
                label,
                kind,
                replace: replace.clone(),
            })
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
pub(super) mod tests {
    use super::*;

    pub(super) const TEXT: &str = "define admins = { 192.0.2.0/28 }\n\
        table inet filter {\n\
        \tset allow {\n\t\ttype ipv4_addr\n\t\telements = { 192.0.2.1, 192.0.2.2 }\n\t}\n\
        \tchain web {\n\t\ttcp dport https accept\n\t}\n\
        \tchain input {\n\t\ttype filter hook input priority 0; policy drop;\n\
        \t\tip saddr $admins tcp dport ssh accept\n\t\tip saddr @allow jump web\n\t}\n}\n";

    pub(super) fn at(needle: &str) -> usize {
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
        // What a completion replaces: the word typed so far, sigil included.
        let replaced = |text: &str| {
            let completion = completions(text, text.len()).remove(0);
            text[completion.replace].to_string()
        };
        assert_eq!(replaced(&rule("ip saddr @al")), "@al");
        assert_eq!(replaced(&rule("ip saddr $")), "$");
        assert_eq!(replaced(&rule("tcp dp")), "dp");
        assert_eq!(replaced(&rule("jump ")), "");
        // In the middle of a word, the whole word.
        let middle = rule("ip saddr @allow accept");
        let at = middle.rfind("llow").unwrap();
        let completion = completions(&middle, at).remove(0);
        assert_eq!(&middle[completion.replace], "@allow");
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
        let text = "define x = 1 # one\n# two\ntable inet t {\n\tchain c {\n\t\tip saddr $x ct state new jump c\n\t}\n}\n";
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
                // A comment on a line of its own, without its line break.
                ("# two", Comment),
                ("table", Keyword),
                ("inet", Keyword),
                ("t", Declaration),
                ("chain", Keyword),
                ("c", FunctionDeclaration),
                ("ip", Keyword),
                ("saddr", Property),
                ("$", Variable),
                ("x", Variable),
                ("ct", Keyword),
                ("state", Property),
                ("new", Constant),
                ("jump", Keyword),
                ("c", Function),
            ]
        );
    }
}

//! Following names, within a file and across the files that include one another: what the name
//! under the cursor stands for ([`target`]), where it is declared and named ([`places`],
//! [`definition`]) and what it holds ([`describe`]).
//!
//! Names resolve as nft resolves them: `$name` to its `define`; `@name`, a `jump`/`goto` target
//! and `counter name "hits"` to the set, chain or object of their table. A table is known by its
//! family and name, so a [`Target`] found in one file is looked up in another: an included file
//! adds chains and sets to a table by declaring it again.

use std::ops::Range;

use nftlint_syntax::SyntaxKind::*;
use nftlint_syntax::SyntaxNode;
use nftlint_syntax::ast::{AstNode, SourceFile, Table};

use super::{defines, one_line, range, source_file, token_at, token_range};
use crate::model::objects::object_reference;
use crate::symbols::services::service_port;

/// A table as nft tells tables apart: `ip` where the family is left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableId {
    pub family: String,
    pub name: String,
}

impl TableId {
    fn of(table: &Table) -> Option<TableId> {
        Some(TableId {
            family: table.family().unwrap_or_else(|| "ip".to_string()),
            name: table.name()?,
        })
    }

    /// The declarations of this table in a file.
    fn in_file<'f>(&'f self, file: &'f SourceFile) -> impl Iterator<Item = Table> + 'f {
        file.tables()
            .filter(move |t| TableId::of(t).as_ref() == Some(self))
    }
}

/// What a name stands for, the same in every file that names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Variable(String),
    /// A set or map.
    Set(TableId, String),
    Chain(TableId, String),
    /// A stateful object: its kind (`counter`, `quota`, `ct helper` ...) and name.
    Object(TableId, String, String),
    /// A service name where ports go: `ssh`.
    Service(String),
}

/// A place that names a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The name alone (`admins` of `$admins`, `hits` of `"hits"`), so that a rename replaces
    /// exactly it.
    pub range: Range<usize>,
    /// Whether this is where the target is declared rather than used.
    pub declaration: bool,
}

/// What the name at `offset` stands for, if it is one an editor can follow.
pub fn target(text: &str, offset: usize) -> Option<Target> {
    let file = source_file(text);
    let token = token_at(file.syntax(), offset)?;
    let parent = token.parent()?;
    // The quoted name of `counter name "hits"` sits in a literal of the option.
    if parent.kind() == LITERAL
        && let Some(option) = parent.parent()
        && let Some((kind, _)) = object_reference(&option)
    {
        let table = TableId::of(&option.ancestors().find_map(Table::cast)?)?;
        return Some(Target::Object(table, kind.to_string(), unquoted(&parent)));
    }
    let table = || TableId::of(&parent.ancestors().find_map(Table::cast)?);
    let holder = parent.parent().map(|p| p.kind());
    match (parent.kind(), holder) {
        (VARIABLE, _) => Some(Target::Variable(word(&parent)?)),
        (SET_REF, _) => Some(Target::Set(table()?, word(&parent)?)),
        (NAME, Some(VERDICT_STMT | CHAIN)) => Some(Target::Chain(table()?, unquoted(&parent))),
        (NAME, Some(DEFINE)) => Some(Target::Variable(parent.text().to_string())),
        (NAME, Some(SET | MAP)) => Some(Target::Set(table()?, parent.text().to_string())),
        (NAME, Some(OBJECT)) => {
            let object = nftlint_syntax::ast::Object::cast(parent.parent()?)?;
            Some(Target::Object(table()?, object.kind(), unquoted(&parent)))
        }
        (LITERAL, _) if token.kind() == WORD && is_port(&parent) => {
            Some(Target::Service(token.text().to_string()))
        }
        _ => None,
    }
}

/// Every place of `text` that names `target`, declarations included, in file order.
pub fn places(text: &str, target: &Target) -> Vec<Place> {
    let file = source_file(text);
    let declared = |nodes: Vec<SyntaxNode>| {
        nodes
            .into_iter()
            .filter_map(|n| n.children().find(|c| c.kind() == NAME))
            .map(|name| Place {
                range: range(&name),
                declaration: true,
            })
            .collect::<Vec<_>>()
    };
    let used = |ranges: Vec<Range<usize>>| {
        ranges.into_iter().map(|range| Place {
            range,
            declaration: false,
        })
    };
    let mut found: Vec<Place> = match target {
        Target::Variable(name) => {
            let declarations = defines(&file)
                .filter(|d| d.name().as_deref() == Some(name))
                .map(|d| d.syntax().clone())
                .collect();
            let uses = words_of(file.syntax(), VARIABLE, name);
            declared(declarations)
                .into_iter()
                .chain(used(uses))
                .collect()
        }
        Target::Set(table, name) => table
            .in_file(&file)
            .flat_map(|t| {
                let sets = t
                    .sets()
                    .filter(|s| s.name().as_deref() == Some(name))
                    .map(|s| s.syntax().clone())
                    .collect();
                let uses = words_of(t.syntax(), SET_REF, name);
                declared(sets).into_iter().chain(used(uses))
            })
            .collect(),
        Target::Chain(table, name) => table
            .in_file(&file)
            .flat_map(|t| {
                let chains = t
                    .chains()
                    .filter(|c| c.name().as_deref() == Some(name))
                    .map(|c| c.syntax().clone())
                    .collect();
                let jumps = t
                    .syntax()
                    .descendants()
                    .filter(|n| n.kind() == VERDICT_STMT)
                    .filter_map(|v| v.children().find(|n| n.kind() == NAME))
                    .filter(|n| unquoted(n) == *name)
                    .map(|n| quoted_range(&n))
                    .collect();
                declared(chains).into_iter().chain(used(jumps))
            })
            .collect(),
        Target::Object(table, kind, name) => table
            .in_file(&file)
            .flat_map(|t| {
                let objects = t
                    .objects()
                    .filter(|o| o.kind() == *kind && o.name().as_deref() == Some(name))
                    .map(|o| o.syntax().clone())
                    .collect();
                let uses = t
                    .syntax()
                    .descendants()
                    .filter_map(|n| object_reference(&n))
                    .filter(|(k, literal)| k == kind && unquoted(literal) == *name)
                    .map(|(_, literal)| quoted_range(&literal))
                    .collect();
                declared(objects).into_iter().chain(used(uses))
            })
            .collect(),
        Target::Service(_) => Vec::new(),
    };
    found.sort_by_key(|p| p.range.start);
    found.dedup();
    found
}

/// Where `text` declares `target`: the last define of a variable (nft reads them in order), the
/// first declaration of anything else.
pub fn definition(text: &str, target: &Target) -> Option<Range<usize>> {
    let mut declarations = places(text, target)
        .into_iter()
        .filter(|p| p.declaration)
        .map(|p| p.range);
    match target {
        Target::Variable(_) => declarations.next_back(),
        _ => declarations.next(),
    }
}

/// What `target` stands for, in Markdown, as `text` declares it: a define's value, a set's
/// elements, a chain's hook, priority and policy, an object's settings, a service's port.
pub fn describe(text: &str, target: &Target) -> Option<String> {
    let file = source_file(text);
    Some(match target {
        Target::Variable(name) => {
            let define = defines(&file)
                .filter(|d| d.name().as_deref() == Some(name))
                .last()?;
            let value = define
                .value()
                .map(|v| one_line(v.syntax()))
                .unwrap_or_default();
            format!("```nft\ndefine {name} = {value}\n```")
        }
        Target::Set(table, name) => {
            let set = table
                .in_file(&file)
                .flat_map(|t| t.sets().collect::<Vec<_>>())
                .find(|s| s.name().as_deref() == Some(name))?;
            let kind = if set.is_map() { "map" } else { "set" };
            let properties: Vec<String> = set
                .properties()
                .filter(|p| p.key().as_deref() != Some("elements"))
                .map(|p| format!("\t{}", one_line(p.syntax())))
                .collect();
            let elements: Vec<String> = set.elements().map(|e| one_line(e.syntax())).collect();
            let shown = elements[..elements.len().min(20)].join(", ");
            let more = if elements.len() > 20 {
                format!(", … ({} elements)", elements.len())
            } else {
                String::new()
            };
            format!(
                "```nft\n{kind} {name} {{\n{}\n\telements = {{ {shown}{more} }}\n}}\n```",
                properties.join("\n"),
            )
        }
        Target::Chain(table, name) => {
            let chain = table
                .in_file(&file)
                .flat_map(|t| t.chains().collect::<Vec<_>>())
                .find(|c| c.name().as_deref() == Some(name))?;
            let rules = count(chain.rules().count(), "rule");
            match chain.base_type() {
                Some(base) => format!(
                    "```nft\nchain {name} {{ {}; policy {}; }}\n```\nbase chain, {rules}",
                    one_line(base.syntax()),
                    chain.policy().unwrap_or_else(|| "accept".to_string()),
                ),
                None => format!("```nft\nchain {name}\n```\nregular chain, {rules}"),
            }
        }
        Target::Object(table, kind, name) => {
            let object = table
                .in_file(&file)
                .flat_map(|t| t.objects().collect::<Vec<_>>())
                .find(|o| o.kind() == *kind && o.name().as_deref() == Some(name))?;
            format!("```nft\n{}\n```", one_line(object.syntax()))
        }
        Target::Service(name) => {
            let port = service_port(name)?;
            format!("`{name}`: port {port} (`/etc/services`)")
        }
    })
}

/// Whether nft reads `name` as a name: what a rename may write.
pub fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// `1 rule`, `3 rules`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The ranges of the words of the `$name` or `@name` nodes below `root` that spell `name`.
fn words_of(root: &SyntaxNode, kind: nftlint_syntax::SyntaxKind, name: &str) -> Vec<Range<usize>> {
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

/// A name's text without the quotes nft allows around it.
fn unquoted(node: &SyntaxNode) -> String {
    node.text().to_string().trim().trim_matches('"').to_string()
}

/// A name's range without its quotes.
fn quoted_range(node: &SyntaxNode) -> Range<usize> {
    let whole = range(node);
    let text = node.text().to_string();
    let text = text.trim();
    if text.len() >= 2 && text.starts_with('"') && text.ends_with('"') {
        whole.start + 1..whole.start + text.len() - 1
    } else {
        whole
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{TEXT, at};
    use super::*;

    fn table(family: &str, name: &str) -> TableId {
        TableId {
            family: family.to_string(),
            name: name.to_string(),
        }
    }

    fn names(text: &str, target: &Target) -> Vec<(&'static str, String)> {
        places(text, target)
            .into_iter()
            .map(|p| {
                let what = if p.declaration { "declared" } else { "used" };
                (what, text[p.range].to_string())
            })
            .collect()
    }

    #[test]
    fn targets() {
        let filter = || table("inet", "filter");
        assert_eq!(
            target(TEXT, at("$admins")),
            Some(Target::Variable("admins".into()))
        );
        assert_eq!(
            target(TEXT, at("define admins") + 7),
            Some(Target::Variable("admins".into()))
        );
        assert_eq!(
            target(TEXT, at("@allow")),
            Some(Target::Set(filter(), "allow".into()))
        );
        assert_eq!(
            target(TEXT, at("jump web") + 5),
            Some(Target::Chain(filter(), "web".into()))
        );
        assert_eq!(
            target(TEXT, at("dport ssh") + 6),
            Some(Target::Service("ssh".into()))
        );
        assert_eq!(target(TEXT, at("accept")), None);
        // Without a family, a table is an `ip` table.
        let text =
            "table t {\n\tcounter hits {\n\t}\n\tchain c {\n\t\tcounter name \"hits\"\n\t}\n}\n";
        let hits = Target::Object(table("ip", "t"), "counter".into(), "hits".into());
        assert_eq!(
            target(text, text.find("\"hits").unwrap() + 2),
            Some(hits.clone())
        );
        assert_eq!(target(text, text.find("hits {").unwrap()), Some(hits));
    }

    #[test]
    fn places_and_definitions() {
        let name = |range: Range<usize>| &TEXT[range];
        let admins = target(TEXT, at("$admins")).unwrap();
        assert_eq!(
            names(TEXT, &admins),
            [("declared", "admins".into()), ("used", "admins".into())]
        );
        assert_eq!(definition(TEXT, &admins).map(name), Some("admins"));
        let web = target(TEXT, at("jump web") + 5).unwrap();
        assert_eq!(
            names(TEXT, &web),
            [("declared", "web".into()), ("used", "web".into())]
        );
        let declared = definition(TEXT, &web).unwrap();
        assert!(TEXT[..declared.start].ends_with("chain "));
        let allow = target(TEXT, at("set allow") + 4).unwrap();
        assert_eq!(
            names(TEXT, &allow),
            [("declared", "allow".into()), ("used", "allow".into())]
        );
        // Objects are named by a quoted string: the name without its quotes.
        let text = "table inet t {\n\tquota q { 25 mbytes }\n\tcounter q {\n\t}\n\tchain c {\n\t\tquota name \"q\" drop\n\t\tcounter name \"q\"\n\t}\n}\n";
        let quota = Target::Object(table("inet", "t"), "quota".into(), "q".into());
        let places = places(text, &quota);
        assert_eq!(
            places.len(),
            2,
            "the counter of the same name is another object"
        );
        assert_eq!(&text[places[1].range.clone()], "q");
        assert!(text[..places[1].range.start].ends_with("quota name \""));
    }

    #[test]
    fn across_files() {
        // The including file declares the table again and jumps to the included file's chain.
        let included = "table inet filter {\n\tchain web {\n\t\ttcp dport https accept\n\t}\n}\n\
                        define admins = 192.0.2.1\n";
        let web = target(TEXT, at("jump web") + 5).unwrap();
        assert_eq!(names(included, &web), [("declared", "web".into())]);
        let admins = target(TEXT, at("$admins")).unwrap();
        assert_eq!(
            describe(included, &admins).unwrap(),
            "```nft\ndefine admins = 192.0.2.1\n```"
        );
        // Another family's table of the same name is another table.
        let other = included.replace("inet filter", "ip filter");
        assert_eq!(names(&other, &web), []);
        assert_eq!(definition(&other, &web), None);
    }

    #[test]
    fn descriptions() {
        let describe_at = |needle: &str, shift: usize| {
            describe(TEXT, &target(TEXT, at(needle) + shift).unwrap()).unwrap()
        };
        assert_eq!(
            describe_at("$admins", 0),
            "```nft\ndefine admins = { 192.0.2.0/28 }\n```"
        );
        assert!(describe_at("@allow", 0).contains("elements = { 192.0.2.1, 192.0.2.2 }"));
        assert_eq!(
            describe_at("jump web", 5),
            "```nft\nchain web\n```\nregular chain, 1 rule"
        );
        assert!(describe_at("chain input", 6).contains("policy drop"));
        assert_eq!(
            describe_at("dport ssh", 6),
            "`ssh`: port 22 (`/etc/services`)"
        );
        let text =
            "table t {\n\tquota q { 25 mbytes }\n\tchain c {\n\t\tquota name \"q\" drop\n\t}\n}\n";
        let quota = target(text, text.find("\"q\"").unwrap() + 1).unwrap();
        assert_eq!(
            describe(text, &quota).unwrap(),
            "```nft\nquota q { 25 mbytes }\n```"
        );
    }

    #[test]
    fn names_a_rename_may_write() {
        assert!(is_name("trusted"));
        assert!(is_name("_web-v2.1"));
        assert!(!is_name("no spaces"));
        assert!(!is_name("1st"));
        assert!(!is_name(""));
    }
}

//! Typed views over the tree, rust-analyzer style: every accessor returns `Option` or an
//! iterator, so code above the parser works on broken files too.

use crate::SyntaxKind::{self, *};
use crate::{SyntaxNode, SyntaxToken};

pub trait AstNode: Sized {
    fn can_cast(kind: SyntaxKind) -> bool;
    fn cast(node: SyntaxNode) -> Option<Self>;
    fn syntax(&self) -> &SyntaxNode;
}

macro_rules! ast_node {
    ($($(#[$doc:meta])* $name:ident = $($kind:ident)|+;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(SyntaxNode);

        impl AstNode for $name {
            fn can_cast(kind: SyntaxKind) -> bool {
                matches!(kind, $($kind)|+)
            }
            fn cast(node: SyntaxNode) -> Option<Self> {
                Self::can_cast(node.kind()).then(|| $name(node))
            }
            fn syntax(&self) -> &SyntaxNode {
                &self.0
            }
        }
    )*};
}

ast_node! {
    /// The whole file.
    SourceFile = SOURCE_FILE;
    /// `include "file"`.
    Include = INCLUDE;
    /// `define NAME = VALUE` and `redefine NAME = VALUE`.
    Define = DEFINE;
    Undefine = UNDEFINE;
    /// A command with a verb: `add rule ...`, `flush ruleset`, `delete table ip t`.
    Command = COMMAND;
    Spec = SPEC;
    Table = TABLE;
    Chain = CHAIN;
    /// A named set or map.
    Set = SET | MAP;
    Flowtable = FLOWTABLE;
    /// counter, quota, limit, secmark, synproxy, tunnel, ct helper/timeout/expectation.
    Object = OBJECT;
    /// One `key value...` line of a block.
    Property = PROPERTY;
    Rule = RULE;
    /// Any statement of a rule.
    Stmt = MATCH_STMT | SET_STMT | VMAP_STMT | VERDICT_STMT | COUNTER_STMT | LIMIT_STMT | QUOTA_STMT
        | LAST_STMT | CT_COUNT_STMT | LOG_STMT | REJECT_STMT | NAT_STMT | TPROXY_STMT | DUP_STMT
        | FWD_STMT | QUEUE_STMT | NOTRACK_STMT | FLOW_STMT | SET_UPDATE_STMT | METER_STMT
        | SYNPROXY_STMT | OPTSTRIP_STMT | XT_STMT | TUNNEL_STMT;
    /// `key value` inside a statement: `prefix "x"`, `burst 5 packets`, `to 10.0.0.1`.
    StmtOption = STMT_OPTION;
    /// Any expression: selectors, constants and the operators over them.
    Expr = PAYLOAD_EXPR | RAW_PAYLOAD_EXPR | EXTHDR_EXPR | META_EXPR | CT_EXPR | FIB_EXPR | RT_EXPR
        | SOCKET_EXPR | OSF_EXPR | NUMGEN_EXPR | HASH_EXPR | IPSEC_EXPR | TUNNEL_EXPR | LITERAL
        | BRACKETED_ADDR | VARIABLE | SET_REF | PREFIX_EXPR | RANGE_EXPR | CONCAT_EXPR | LIST_EXPR
        | BINARY_EXPR | NEG_EXPR | PAREN_EXPR | SET_EXPR | MAP_EXPR | NAME;
    SetElem = SET_ELEM;
    Error = ERROR;
}

/// The significant tokens directly below `node`, in order.
fn tokens(node: &SyntaxNode) -> impl Iterator<Item = SyntaxToken> + use<> {
    node.children_with_tokens()
        .filter_map(|e| e.into_token())
        .filter(|t| !t.kind().is_trivia())
}

fn children<N: AstNode>(node: &SyntaxNode) -> impl Iterator<Item = N> + use<N> {
    node.children().filter_map(N::cast)
}

fn first_word(node: &SyntaxNode) -> Option<SyntaxToken> {
    tokens(node).find(|t| t.kind() == WORD)
}

impl SourceFile {
    pub fn tables(&self) -> impl Iterator<Item = Table> + '_ {
        children(&self.0)
    }
    pub fn commands(&self) -> impl Iterator<Item = Command> + '_ {
        children(&self.0)
    }
    pub fn includes(&self) -> impl Iterator<Item = Include> + '_ {
        children(&self.0)
    }
    pub fn defines(&self) -> impl Iterator<Item = Define> + '_ {
        children(&self.0)
    }
}

impl Include {
    /// The path as written, without quotes.
    pub fn path(&self) -> Option<String> {
        self.0
            .children()
            .find(|n| n.kind() == LITERAL)
            .map(|n| n.text().to_string().trim_matches('"').to_string())
    }
}

impl Define {
    pub fn name(&self) -> Option<String> {
        self.0
            .children()
            .find(|n| n.kind() == NAME)
            .map(|n| n.text().to_string())
    }
    pub fn is_redefine(&self) -> bool {
        first_word(&self.0).is_some_and(|t| t.text() == "redefine")
    }
    pub fn value(&self) -> Option<Expr> {
        children(&self.0)
            .filter(|e: &Expr| e.syntax().kind() != NAME)
            .last()
    }
}

impl Undefine {
    pub fn name(&self) -> Option<String> {
        self.0
            .children()
            .find(|n| n.kind() == NAME)
            .map(|n| n.text().to_string())
    }
}

impl Command {
    /// `add`, `delete`, `flush` ...; `None` for a bare rule such as `t c drop`.
    pub fn verb(&self) -> Option<SyntaxToken> {
        tokens(&self.0).next().filter(|t| t.kind() == WORD)
    }
    pub fn spec(&self) -> Option<Spec> {
        children(&self.0).next()
    }
    /// The object a command creates or names, when it has a block form.
    pub fn table(&self) -> Option<Table> {
        children(&self.0).next()
    }
    pub fn rule(&self) -> Option<Rule> {
        children(&self.0).next()
    }
}

impl Spec {
    pub fn family(&self) -> Option<String> {
        self.0
            .children()
            .find(|n| n.kind() == FAMILY)
            .map(|n| n.text().to_string())
    }
    /// The names in order: table, then chain, set or object.
    pub fn names(&self) -> impl Iterator<Item = String> + '_ {
        self.0
            .children()
            .filter(|n| matches!(n.kind(), NAME | VARIABLE))
            .map(|n| n.text().to_string())
    }
}

impl Table {
    pub fn spec(&self) -> Option<Spec> {
        children(&self.0).next()
    }
    pub fn family(&self) -> Option<String> {
        self.spec().and_then(|s| s.family())
    }
    pub fn name(&self) -> Option<String> {
        self.spec().and_then(|s| s.names().last())
    }
    pub fn chains(&self) -> impl Iterator<Item = Chain> + '_ {
        children(&self.0)
    }
    pub fn sets(&self) -> impl Iterator<Item = Set> + '_ {
        children(&self.0)
    }
    pub fn objects(&self) -> impl Iterator<Item = Object> + '_ {
        children(&self.0)
    }
    pub fn flowtables(&self) -> impl Iterator<Item = Flowtable> + '_ {
        children(&self.0)
    }
    pub fn properties(&self) -> impl Iterator<Item = Property> + '_ {
        children(&self.0)
    }
}

/// The name of a block declared inside a table (`chain input`), or the last name of a command's
/// path (`add chain ip t input`).
fn block_name(node: &SyntaxNode) -> Option<String> {
    match node
        .children()
        .find(|n| matches!(n.kind(), NAME | VARIABLE | SPEC))?
    {
        spec if spec.kind() == SPEC => Spec(spec).names().last(),
        name => Some(name.text().to_string()),
    }
}

impl Chain {
    pub fn name(&self) -> Option<String> {
        block_name(&self.0)
    }
    pub fn properties(&self) -> impl Iterator<Item = Property> + '_ {
        children(&self.0)
    }
    pub fn rules(&self) -> impl Iterator<Item = Rule> + '_ {
        children(&self.0)
    }
    /// `type filter hook input ...`: the property that makes this a base chain.
    pub fn base_type(&self) -> Option<Property> {
        self.properties()
            .find(|p| p.key().as_deref() == Some("type"))
    }
    pub fn policy(&self) -> Option<String> {
        self.properties()
            .find(|p| p.key().as_deref() == Some("policy"))
            .and_then(|p| p.value_text())
    }
    pub fn hook(&self) -> Option<String> {
        let hook = self
            .base_type()?
            .syntax()
            .children()
            .find(|n| n.kind() == HOOK)?;
        tokens(&hook).nth(1).map(|t| t.text().to_string())
    }
    pub fn priority(&self) -> Option<SyntaxNode> {
        self.base_type()?
            .syntax()
            .children()
            .find(|n| n.kind() == PRIORITY)
    }
}

impl Set {
    pub fn is_map(&self) -> bool {
        self.0.kind() == MAP
    }
    pub fn name(&self) -> Option<String> {
        block_name(&self.0)
    }
    pub fn properties(&self) -> impl Iterator<Item = Property> + '_ {
        children(&self.0)
    }
    /// The elements of `elements = { ... }`.
    pub fn elements(&self) -> impl Iterator<Item = SetElem> + '_ {
        self.properties()
            .filter(|p| p.key().as_deref() == Some("elements"))
            .flat_map(|p| {
                p.syntax()
                    .descendants()
                    .filter(|n| n.kind() == SET_ELEM)
                    .collect::<Vec<_>>()
            })
            .filter_map(SetElem::cast)
    }
}

impl Flowtable {
    pub fn name(&self) -> Option<String> {
        block_name(&self.0)
    }
}

impl Object {
    /// `counter`, `quota`, ..., `ct helper`.
    pub fn kind(&self) -> String {
        tokens(&self.0)
            .take_while(|t| t.kind() == WORD)
            .take(2)
            .fold(String::new(), |mut kind, t| {
                if kind.is_empty() || kind == "ct" {
                    if !kind.is_empty() {
                        kind.push(' ');
                    }
                    kind.push_str(t.text());
                }
                kind
            })
    }
    pub fn name(&self) -> Option<String> {
        block_name(&self.0)
    }
}

impl Property {
    /// The first word: `type`, `policy`, `flags`, `elements` ...
    pub fn key(&self) -> Option<String> {
        let first = self.0.first_child_or_token()?;
        match first {
            rowan::NodeOrToken::Token(t) if t.kind() == WORD => Some(t.text().to_string()),
            rowan::NodeOrToken::Node(n) => first_word(&n).map(|t| t.text().to_string()),
            rowan::NodeOrToken::Token(_) => None,
        }
    }
    /// The text of the value of a one-value property such as `policy drop`.
    pub fn value_text(&self) -> Option<String> {
        self.0
            .children()
            .find(|n| matches!(n.kind(), LITERAL | VARIABLE))
            .map(|n| n.text().to_string())
    }
}

impl Rule {
    pub fn statements(&self) -> impl Iterator<Item = Stmt> + '_ {
        children(&self.0)
    }
    /// The text of a trailing `comment "..."`, without quotes.
    pub fn comment(&self) -> Option<String> {
        let comment = self.0.children().find(|n| n.kind() == RULE_COMMENT)?;
        Some(
            comment
                .last_child()?
                .text()
                .to_string()
                .trim_matches('"')
                .to_string(),
        )
    }
}

impl Stmt {
    pub fn kind(&self) -> SyntaxKind {
        self.0.kind()
    }
    /// The leading keyword: `accept`, `counter`, `log`, `snat` ...; `None` for matches.
    pub fn keyword(&self) -> Option<String> {
        tokens(&self.0).next().map(|t| t.text().to_string())
    }
    /// For a match, assignment or vmap: the expression on the left.
    pub fn lhs(&self) -> Option<Expr> {
        children(&self.0).next()
    }
    /// For a match, assignment or vmap: the expression on the right.
    pub fn rhs(&self) -> Option<Expr> {
        let mut exprs = children::<Expr>(&self.0);
        exprs.next();
        exprs.next()
    }
    /// The relational operator of a match, if written.
    pub fn operator(&self) -> Option<SyntaxToken> {
        tokens(&self.0).find(|t| {
            t.kind() != WORD || matches!(t.text(), "eq" | "ne" | "lt" | "gt" | "le" | "ge")
        })
    }
    pub fn options(&self) -> impl Iterator<Item = StmtOption> + '_ {
        children(&self.0)
    }
}

impl StmtOption {
    pub fn key(&self) -> Option<String> {
        first_word(&self.0).map(|t| t.text().to_string())
    }
    pub fn value(&self) -> Option<Expr> {
        children(&self.0).next()
    }
}

impl Expr {
    pub fn kind(&self) -> SyntaxKind {
        self.0.kind()
    }
    /// The operands of a compound expression (range, prefix, concatenation, list, binary op,
    /// map) or the elements of a set.
    pub fn operands(&self) -> impl Iterator<Item = Expr> + '_ {
        children(&self.0)
    }
    pub fn elements(&self) -> impl Iterator<Item = SetElem> + '_ {
        children(&self.0)
    }
    /// The words of a selector: `["ct", "original", "ip", "saddr"]`.
    pub fn words(&self) -> Vec<String> {
        tokens(&self.0)
            .filter(|t| t.kind() == WORD)
            .map(|t| t.text().to_string())
            .collect()
    }
    /// The token of a one-token literal.
    pub fn token(&self) -> Option<SyntaxToken> {
        (self.0.kind() == LITERAL)
            .then(|| tokens(&self.0).next())
            .flatten()
    }
}

impl SetElem {
    pub fn key(&self) -> Option<Expr> {
        children(&self.0).next()
    }
    /// The value after `:` in a map element: an expression or a verdict.
    pub fn value(&self) -> Option<SyntaxNode> {
        let colon = tokens(&self.0).find(|t| t.kind() == COLON)?;
        self.0
            .children()
            .find(|n| n.text_range().start() > colon.text_range().start())
    }
    pub fn options(&self) -> impl Iterator<Item = SyntaxNode> + '_ {
        self.0
            .children()
            .filter(|n| n.kind() != SET_ELEM && Expr::cast(n.clone()).is_none())
    }
}

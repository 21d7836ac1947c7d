//! Every kind of token and node in the lossless tree.
//!
//! nft keywords are contextual (`saddr` is a keyword after `ip` and a chain name elsewhere), so the
//! tree keeps every word as a `WORD` token and puts the meaning in the node kinds around it.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(non_camel_case_types, clippy::upper_case_acronyms)]
#[repr(u16)]
pub enum SyntaxKind {
    // Trivia.
    WHITESPACE = 0,
    COMMENT,
    /// `\` followed by a newline: nft joins the two lines.
    LINE_CONTINUATION,
    // Significant tokens.
    NEWLINE,
    /// `\r\n`: nft has a token for it that its grammar never accepts.
    CRLF,
    WORD,
    NUMBER,
    QUOTED_STRING,
    IPV4_ADDR,
    IPV6_ADDR,
    MAC_ADDR,
    /// `hex:hex`, as in `meta priority 1:2` and `meta hour 17:00`.
    CLASSID,
    L_CURLY,
    R_CURLY,
    L_BRACK,
    R_BRACK,
    L_PAREN,
    R_PAREN,
    COMMA,
    SEMICOLON,
    COLON,
    EQ,
    DOT,
    SLASH,
    MINUS,
    PLUS,
    STAR,
    AT,
    DOLLAR,
    BANG,
    LT,
    GT,
    LTEQ,
    GTEQ,
    EQ2,
    NEQ,
    SHL,
    SHR,
    AMP,
    PIPE,
    CARET,
    /// A byte nft cannot lex; an unterminated string.
    ERROR_TOKEN,

    // Nodes: file level.
    SOURCE_FILE,
    /// Tokens the grammar could not place.
    ERROR,
    INCLUDE,
    DEFINE,
    UNDEFINE,
    /// `add|create|insert|replace|delete|destroy|flush|list|reset|rename|get|...` and the object.
    COMMAND,
    /// The `[family] table [chain|set|...] [handle N|position N|index N]` part of a command.
    SPEC,
    FAMILY,
    NAME,
    /// `handle N`, `position N`, `index N`.
    POSITION,
    // Blocks.
    TABLE,
    CHAIN,
    SET,
    MAP,
    FLOWTABLE,
    /// counter, quota, limit, secmark, synproxy, tunnel and ct helper/timeout/expectation objects.
    OBJECT,
    /// One `key value...` line inside a block: `type filter hook input priority 0`, `policy drop`,
    /// `flags interval`, `elements = { ... }`, `comment "x"` ...
    PROPERTY,
    /// `hook input` in a chain type, flowtable or object line.
    HOOK,
    PRIORITY,
    /// `devices = { ... }`, `device eth0`.
    DEVICES,
    /// A `type` or `typeof` of a set or map: `ipv4_addr . inet_service : verdict`.
    DATA_TYPE,
    // Rules and statements.
    RULE,
    /// A relational match: `LHS [OP] RHS`.
    MATCH_STMT,
    /// `LHS set EXPR`: meta, ct, payload and exthdr assignments.
    SET_STMT,
    /// `LHS vmap RHS`.
    VMAP_STMT,
    VERDICT_STMT,
    COUNTER_STMT,
    LIMIT_STMT,
    QUOTA_STMT,
    LAST_STMT,
    CT_COUNT_STMT,
    LOG_STMT,
    REJECT_STMT,
    /// snat, dnat, masquerade, redirect.
    NAT_STMT,
    TPROXY_STMT,
    DUP_STMT,
    FWD_STMT,
    QUEUE_STMT,
    NOTRACK_STMT,
    /// `flow add @ft`, `flow offload @ft`.
    FLOW_STMT,
    /// `add|update|delete @set { ... }`, `set add|update EXPR @set`.
    SET_UPDATE_STMT,
    METER_STMT,
    SYNPROXY_STMT,
    /// `reset tcp option KIND`.
    OPTSTRIP_STMT,
    XT_STMT,
    /// `tunnel name EXPR`.
    TUNNEL_STMT,
    /// The trailing `comment "text"` of a rule.
    RULE_COMMENT,
    /// A `key value` option inside a statement: `prefix "x"`, `burst 5 packets`, `with tcp reset`.
    STMT_OPTION,
    // Expressions.
    PAYLOAD_EXPR,
    /// `@ll|nh|th|ih,OFFSET,LEN`.
    RAW_PAYLOAD_EXPR,
    /// IPv6 extension headers, `tcp option`, `ip option`, `sctp chunk`, `dccp option`.
    EXTHDR_EXPR,
    META_EXPR,
    CT_EXPR,
    FIB_EXPR,
    RT_EXPR,
    SOCKET_EXPR,
    OSF_EXPR,
    NUMGEN_EXPR,
    HASH_EXPR,
    IPSEC_EXPR,
    TUNNEL_EXPR,
    /// A one-token value: word, number, string, address, `*`.
    LITERAL,
    /// `[dead::beef]`.
    BRACKETED_ADDR,
    /// `$name`.
    VARIABLE,
    /// `@name`.
    SET_REF,
    /// `x/N` and bitmask-with-mask `syn / syn,ack`.
    PREFIX_EXPR,
    RANGE_EXPR,
    CONCAT_EXPR,
    /// `a, b, c` outside braces.
    LIST_EXPR,
    BINARY_EXPR,
    /// `-150`, `-1`: the two places nft accepts a minus sign.
    NEG_EXPR,
    PAREN_EXPR,
    /// `{ ... }`.
    SET_EXPR,
    /// A member of a set or map: key, options, stateful statements, `: value`.
    SET_ELEM,
    /// `timeout 1h`, `expires 30m`, `comment "x"` inside an element.
    ELEM_OPTION,
    /// `EXPR map RHS`.
    MAP_EXPR,
    /// An anonymous chain: `jump { ... }`.
    CHAIN_BLOCK,
    // Keep last.
    __LAST,
}

use SyntaxKind::*;

impl SyntaxKind {
    pub fn is_trivia(self) -> bool {
        matches!(self, WHITESPACE | COMMENT | LINE_CONTINUATION)
    }

    pub fn is_token(self) -> bool {
        (self as u16) <= ERROR_TOKEN as u16
    }

    /// How nft's bison grammar names the token in `syntax error, unexpected X`.
    pub fn describe(self) -> &'static str {
        match self {
            NEWLINE => "newline",
            CRLF => "CRLF line terminator",
            WORD | IPV4_ADDR | IPV6_ADDR | MAC_ADDR | CLASSID => "string",
            NUMBER => "number",
            QUOTED_STRING => "quoted string",
            L_CURLY => "'{'",
            R_CURLY => "'}'",
            L_BRACK => "'['",
            R_BRACK => "']'",
            L_PAREN => "'('",
            R_PAREN => "')'",
            COMMA => "comma",
            SEMICOLON => "semicolon",
            COLON => "colon",
            EQ => "'='",
            DOT => "dot",
            SLASH => "slash",
            MINUS => "dash",
            PLUS => "'+'",
            STAR => "asterisk",
            AT => "'@'",
            DOLLAR => "'$'",
            BANG => "'!'",
            LT => "'<'",
            GT => "'>'",
            LTEQ => "'<='",
            GTEQ => "'>='",
            EQ2 => "'=='",
            NEQ => "'!='",
            SHL => "'<<'",
            SHR => "'>>'",
            AMP => "'&'",
            PIPE => "'|'",
            CARET => "'^'",
            ERROR_TOKEN => "junk",
            _ => "node",
        }
    }
}

impl From<SyntaxKind> for rowan::SyntaxKind {
    fn from(kind: SyntaxKind) -> Self {
        rowan::SyntaxKind(kind as u16)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NftLanguage {}

impl rowan::Language for NftLanguage {
    type Kind = SyntaxKind;

    fn kind_from_raw(raw: rowan::SyntaxKind) -> SyntaxKind {
        assert!(raw.0 < __LAST as u16);
        // SAFETY: SyntaxKind is repr(u16) with contiguous discriminants below __LAST.
        unsafe { std::mem::transmute::<u16, SyntaxKind>(raw.0) }
    }

    fn kind_to_raw(kind: SyntaxKind) -> rowan::SyntaxKind {
        kind.into()
    }
}

pub type SyntaxNode = rowan::SyntaxNode<NftLanguage>;
pub type SyntaxToken = rowan::SyntaxToken<NftLanguage>;
pub type SyntaxElement = rowan::SyntaxElement<NftLanguage>;

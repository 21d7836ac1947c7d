//! The diagnostics model shared by every output: terminal, JSON and the language server.

use std::ops::Range;
use std::path::PathBuf;

use serde::Serialize;

use crate::registry::Rule;

/// How serious a finding is. Ordered by seriousness, so `Info < Warning < Error` and a threshold
/// such as `--fail-on warning` is a plain comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Style and performance.
    Info,
    /// A bug in intent: a dead rule, a missing established accept.
    Warning,
    /// The kernel will reject the ruleset, or it will certainly do harm.
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One finding of one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file `range` points into; `None` for the file that was checked, which only the caller
    /// can name. Set when a finding lies in another file, such as an included one.
    pub file: Option<PathBuf>,
    /// Byte range of the cause: the offending statement or expression.
    pub range: Range<usize>,
    pub severity: Severity,
    /// Stable code, `NFT001`.
    pub code: &'static str,
    /// Stable kebab-case name, `syntax-error`.
    pub name: &'static str,
    pub message: String,
    pub help: Option<String>,
    /// Other places that explain the finding, such as the earlier rules that shadow this one.
    pub related: Vec<Related>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A diagnostic of `rule` at its default severity, with no help, related places or fix.
    pub fn new(rule: &Rule, range: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: None,
            range,
            severity: rule.severity,
            code: rule.code,
            name: rule.name,
            message: message.into(),
            help: None,
            related: Vec::new(),
            fix: None,
        }
    }
}

/// A secondary place a diagnostic points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// `None` for the same file as the diagnostic.
    pub file: Option<PathBuf>,
    pub range: Range<usize>,
    pub message: String,
}

/// A change that resolves a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does, as offered to the user: `Remove the redundant rule`.
    pub message: String,
    /// Non-overlapping edits to the diagnostic's file.
    pub edits: Vec<Edit>,
    pub applicability: Applicability,
}

/// Replaces a byte range of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: String,
}

/// Whether a fix may be applied without review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps what the ruleset does: `--fix` applies it.
    Safe,
    /// May change what the ruleset does: offered in the editor only.
    Unsafe,
}

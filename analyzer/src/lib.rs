//! nftlint-analyzer: checks nftables rulesets and reports what it finds as [`Diagnostic`]s.
//!
//! The diagnostics model knows nothing about rendering: the CLI turns it into terminal or JSON
//! output, the language server into LSP diagnostics. Positions are byte ranges; [`LineIndex`]
//! converts them to the lines and columns users see.
//!
//! ```
//! let diagnostics = nftlint_analyzer::check_source("table inet filter {\n}\n");
//! assert!(diagnostics.is_empty());
//! ```

mod diagnostic;
mod line_index;
pub mod registry;
pub mod rules;

pub use diagnostic::{Applicability, Diagnostic, Edit, Fix, Related, Severity};
pub use line_index::{LineCol, LineIndex};
pub use registry::{Rule, Status};

/// Checks one file's text. The diagnostics come sorted by position, and their `file` is `None`:
/// they all point into `text`, and the caller knows its name.
pub fn check_source(text: &str) -> Vec<Diagnostic> {
    let parse = nftlint_syntax::parse(text);
    let mut diagnostics: Vec<Diagnostic> = rules::syntax_error::check(&parse).collect();
    diagnostics.sort_by_key(|diagnostic| (diagnostic.range.start, diagnostic.range.end));
    diagnostics
}

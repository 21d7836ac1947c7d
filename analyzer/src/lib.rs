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

pub mod config;
mod diagnostic;
pub mod eval;
pub mod ide;
mod line_index;
mod model;
pub mod parallel;
pub mod registry;
pub mod rules;
mod source;
mod space;
mod suppress;
pub mod symbols;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

pub use config::Config;
pub use diagnostic::{Applicability, Diagnostic, Edit, Fix, Related, Severity};
pub use line_index::{LineCol, LineIndex};
pub use registry::{Rule, Status};
pub use source::{
    DiskLoader, FileLoader, MAX_FILE_SIZE, NotUtf8, SourceFile, decode, read_at_most,
};

/// What an analysis needs besides the file: where includes are searched and the user's settings.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Directories searched for relative includes, like nft's `-I`, before the default
    /// include directory.
    pub include_paths: Vec<PathBuf>,
    pub config: Config,
}

/// The result of checking one file: every file it read and every finding.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The checked file first, then the files it includes, in the order they were read.
    pub files: Vec<SourceFile>,
    /// Sorted by file, then position. A diagnostic's `file` is `None` for the checked file and
    /// the path of a [`SourceFile`] of `files` otherwise.
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    /// The file a diagnostic or related place points into.
    pub fn file(&self, path: Option<&Path>) -> &SourceFile {
        match path {
            None => &self.files[0],
            Some(path) => self
                .files
                .iter()
                .find(|f| f.path == path)
                .unwrap_or(&self.files[0]),
        }
    }
}

/// Whether models are freed when an analysis is done with them; see [`leave_models_to_exit`].
pub(crate) static FREE_MODELS: AtomicBool = AtomicBool::new(true);

/// Has every later [`analyze`] and [`eval::Interpreter::load`] leave its model unfreed: for a
/// program that exits once it has reported, whose memory the kernel takes back all at once.
/// Freeing a large ruleset's model (its syntax trees, lowered matches and compiled rules:
/// hundreds of thousands of allocations) one allocation at a time costs a twentieth of its
/// analysis.
pub fn leave_models_to_exit() {
    FREE_MODELS.store(false, Ordering::Relaxed);
}

/// Checks a file and what it includes, applying the configuration and the suppression comments.
pub fn analyze(path: &Path, text: String, options: &Options, loader: &dyn FileLoader) -> Analysis {
    let (model, mut diagnostics) = model::build(path, text, options, loader);
    diagnostics.extend(rules::check(&model, &options.config));
    suppress::apply(&model.files, &mut diagnostics);
    let files = model.into_sources();
    options.config.apply(&mut diagnostics);
    diagnostics.sort_by(|a, b| {
        (&a.file, a.range.start, a.range.end).cmp(&(&b.file, b.range.start, b.range.end))
    });
    Analysis { files, diagnostics }
}

/// The syntax errors of one file's text, without reading includes or building the ruleset: what
/// can be said of a text alone. [`analyze`] runs every rule. The diagnostics come sorted by
/// position, and their `file` is `None`: they all point into `text`, and the caller knows its name.
pub fn check_source(text: &str) -> Vec<Diagnostic> {
    let parse = nftlint_syntax::parse(text);
    let mut diagnostics: Vec<Diagnostic> = rules::syntax_error::check(&parse).collect();
    diagnostics.sort_by_key(|diagnostic| (diagnostic.range.start, diagnostic.range.end));
    diagnostics
}

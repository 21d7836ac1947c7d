//! The user's settings: `nftlint.toml`.

use crate::Diagnostic;

/// Settings from `nftlint.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {}

impl Config {
    /// Applies per-rule severities and `off`.
    pub(crate) fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        let _ = diagnostics;
    }
}

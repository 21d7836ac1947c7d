//! Suppression comments: `# nftlint: disable=NAME[,NAME] -- reason` and
//! `# nftlint: disable-file=NAME`.

use crate::{Diagnostic, SourceFile};

/// Drops the diagnostics a suppression comment in their file covers.
pub(crate) fn apply(files: &[SourceFile], diagnostics: &mut Vec<Diagnostic>) {
    let _ = (files, diagnostics);
}

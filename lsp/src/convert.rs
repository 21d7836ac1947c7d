//! The analyzer's findings as LSP diagnostics: the CLI's codes, names, severities and messages,
//! positions in UTF-16 columns, the places that explain a finding, and `Unnecessary` on dead code.

use std::path::Path;

use line_index::LineIndex;
use nftlint_analyzer::{Analysis, Diagnostic, Severity, ide};
use tower_lsp_server::ls_types::{
    self as lsp, CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag,
    DocumentSymbol, Location, NumberOrString, SymbolKind, Uri,
};

use crate::document::{Document, position};

/// Where each rule is documented.
const RULES_DOCS: &str = "https://github.com/nftlint/nftlint/blob/main/README.md#rules";

/// Findings about code that does nothing, which editors grey out.
const UNNECESSARY: &[&str] = &["shadowed-rule", "redundant-rule", "unused-definition"];

/// The editor's location of a byte range in a file of the analysis (`None`: the checked one).
type Locate<'a> = &'a dyn Fn(Option<&Path>, &std::ops::Range<usize>) -> Option<Location>;

/// The diagnostics of an analysis that lie in the checked document, for the editor.
pub(crate) fn diagnostics(analysis: &Analysis, uri: &Uri) -> Vec<lsp::Diagnostic> {
    let indices: Vec<LineIndex> = analysis
        .files
        .iter()
        .map(|f| LineIndex::new(&f.text))
        .collect();
    let range = |file: Option<&Path>, range: &std::ops::Range<usize>| {
        let source = analysis.file(file);
        let at = analysis
            .files
            .iter()
            .position(|f| std::ptr::eq(f, source))
            .unwrap_or(0);
        lsp::Range::new(
            position(&indices[at], &source.text, range.start),
            position(&indices[at], &source.text, range.end),
        )
    };
    let location = |file: Option<&Path>, place: &std::ops::Range<usize>| {
        let uri = match file {
            None => Some(uri.clone()),
            Some(path) => Uri::from_file_path(path),
        };
        Some(Location::new(uri?, range(file, place)))
    };
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.file.is_none())
        .map(|d| diagnostic(d, range(None, &d.range), &location))
        .collect()
}

fn diagnostic(d: &Diagnostic, range: lsp::Range, location: Locate) -> lsp::Diagnostic {
    let severity = match d.severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    };
    let mut message = format!("{} [{}]", d.message, d.name);
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .related
        .iter()
        .filter_map(|r| {
            Some(DiagnosticRelatedInformation {
                location: location(r.file.as_deref().or(d.file.as_deref()), &r.range)?,
                message: r.message.clone(),
            })
        })
        .collect();
    lsp::Diagnostic {
        range,
        severity: Some(severity),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: RULES_DOCS.parse().ok().map(|href| CodeDescription { href }),
        source: Some("nftlint".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: UNNECESSARY
            .contains(&d.name)
            .then(|| vec![DiagnosticTag::UNNECESSARY]),
        data: Some(serde_json::json!({ "name": d.name })),
    }
}

/// An outline entry for the editor.
pub(crate) fn symbol(symbol: &ide::Symbol, document: &Document) -> DocumentSymbol {
    #[allow(deprecated)] // `deprecated` is a field the type requires, deprecated by the protocol.
    DocumentSymbol {
        name: symbol.name.clone(),
        detail: symbol.detail.clone(),
        kind: match symbol.kind {
            ide::SymbolKind::Table => SymbolKind::NAMESPACE,
            ide::SymbolKind::Chain => SymbolKind::FUNCTION,
            ide::SymbolKind::Set => SymbolKind::ARRAY,
            ide::SymbolKind::Map => SymbolKind::OBJECT,
            ide::SymbolKind::Define => SymbolKind::CONSTANT,
        },
        tags: None,
        deprecated: None,
        range: document.range(symbol.range.clone()),
        selection_range: document.range(symbol.name_range.clone()),
        children: Some(
            symbol
                .children
                .iter()
                .map(|c| self::symbol(c, document))
                .collect(),
        ),
    }
}

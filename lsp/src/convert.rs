//! The analyzer's answers in the protocol's terms. Findings become diagnostics with the CLI's
//! codes, names, severities and messages, positions in UTF-16 columns, the places that explain
//! a finding, and `Unnecessary` on dead code; outlines, completions, quick fixes and highlights
//! follow.

use std::path::Path;

use line_index::LineIndex;
use nftlint_analyzer::{Analysis, Applicability, Diagnostic, Severity, ide};
use serde_json::{Value, json};
use tower_lsp_server::ls_types::{
    self as lsp, CodeAction, CodeActionKind, CodeActionOrCommand, CodeDescription, CompletionItem,
    CompletionItemKind, CompletionTextEdit, DiagnosticRelatedInformation, DiagnosticSeverity,
    DiagnosticTag, DocumentSymbol, Location, NumberOrString, Position, SemanticToken,
    SemanticTokenModifier, SemanticTokenType, SemanticTokens, SemanticTokensLegend, SymbolKind,
    TextEdit, Uri, WorkspaceEdit,
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
        .map(|d| diagnostic(d, range(None, &d.range), &location, &|r| range(None, r)))
        .collect()
}

fn diagnostic(
    d: &Diagnostic,
    range: lsp::Range,
    location: Locate,
    to_range: &dyn Fn(&std::ops::Range<usize>) -> lsp::Range,
) -> lsp::Diagnostic {
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
        data: Some(data(d, to_range)),
    }
}

/// What a quick fix needs, carried with the diagnostic so that no new check is needed: the
/// rule's name (for a suppression comment) and the fix's edits in the editor's positions.
fn data(d: &Diagnostic, range: &dyn Fn(&std::ops::Range<usize>) -> lsp::Range) -> Value {
    let fix = d.fix.as_ref().map(|fix| {
        let edits: Vec<TextEdit> = fix
            .edits
            .iter()
            .map(|e| TextEdit::new(range(&e.range), e.replacement.clone()))
            .collect();
        json!({
            "message": fix.message,
            "safe": fix.applicability == Applicability::Safe,
            "edits": edits,
        })
    });
    json!({ "name": d.name, "fix": fix })
}

/// The quick fixes for a diagnostic of this server: its fix, if it has one, and a comment that
/// suppresses its rule on the statement, put on a line of its own above.
pub(crate) fn code_actions(
    diagnostic: &lsp::Diagnostic,
    uri: &Uri,
    document: &Document,
) -> Vec<CodeActionOrCommand> {
    let Some(name) = diagnostic.data.as_ref().and_then(|d| d["name"].as_str()) else {
        return Vec::new();
    };
    let action = |title: String, edits: Vec<TextEdit>, preferred: bool| {
        CodeActionOrCommand::CodeAction(CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diagnostic.clone()]),
            edit: Some(WorkspaceEdit::new(
                [(uri.clone(), edits)].into_iter().collect(),
            )),
            is_preferred: Some(preferred),
            ..Default::default()
        })
    };
    let mut actions = Vec::new();
    let fix = diagnostic
        .data
        .as_ref()
        .map(|d| &d["fix"])
        .filter(|f| !f.is_null());
    if let Some(fix) = fix {
        let edits: Option<Vec<TextEdit>> = serde_json::from_value(fix["edits"].clone()).ok();
        if let (Some(message), Some(edits)) = (fix["message"].as_str(), edits) {
            let safe = fix["safe"].as_bool().unwrap_or(false);
            actions.push(action(message.to_string(), edits, safe));
        }
    }
    let line = diagnostic.range.start.line;
    let start = document.offset(Position::new(line, 0));
    let indent: String = document.text[start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let comment = TextEdit::new(
        lsp::Range::new(Position::new(line, 0), Position::new(line, 0)),
        format!("{indent}# nftlint: disable={name}\n"),
    );
    actions.push(action(
        format!("Suppress {name} for this statement"),
        vec![comment],
        false,
    ));
    actions
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

/// A completion for the editor.
/// A completion that replaces what was typed of it, its `$` or `@` included.
pub(crate) fn completion(completion: ide::Completion, document: &Document) -> CompletionItem {
    let kind = match completion.kind {
        ide::CompletionKind::Keyword => CompletionItemKind::KEYWORD,
        ide::CompletionKind::Variable => CompletionItemKind::VARIABLE,
        ide::CompletionKind::Set => CompletionItemKind::VALUE,
        ide::CompletionKind::Chain => CompletionItemKind::FUNCTION,
        ide::CompletionKind::Value => CompletionItemKind::ENUM_MEMBER,
    };
    let edit = TextEdit::new(document.range(completion.replace), completion.label.clone());
    CompletionItem {
        filter_text: Some(completion.label.clone()),
        label: completion.label,
        kind: Some(kind),
        text_edit: Some(CompletionTextEdit::Edit(edit)),
        ..Default::default()
    }
}

/// What a finding's rule is about, for a hover over the finding: the rule's documentation up to
/// its example.
pub(crate) fn explanation(diagnostic: &lsp::Diagnostic) -> Option<String> {
    let name = diagnostic.data.as_ref()?["name"].as_str()?;
    let rule = nftlint_analyzer::registry::find(name)?;
    let about = rule
        .doc
        .split("## Example")
        .next()
        .unwrap_or(rule.doc)
        .trim();
    Some(format!("**{} {}**\n\n{about}", rule.code, rule.name))
}

/// The token types and modifiers semantic tokens use, by index.
const TOKEN_TYPES: [SemanticTokenType; 8] = [
    SemanticTokenType::COMMENT,
    SemanticTokenType::KEYWORD,
    SemanticTokenType::STRING,
    SemanticTokenType::NUMBER,
    SemanticTokenType::VARIABLE,
    SemanticTokenType::FUNCTION,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::ENUM_MEMBER,
];

pub(crate) fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TOKEN_TYPES.to_vec(),
        token_modifiers: vec![SemanticTokenModifier::DECLARATION],
    }
}

/// Highlights in the protocol's encoding: each token relative to the one before, in UTF-16.
pub(crate) fn semantic_tokens(
    highlights: &[(std::ops::Range<usize>, ide::Highlight)],
    document: &Document,
) -> SemanticTokens {
    let mut data = Vec::with_capacity(highlights.len());
    let mut last = Position::new(0, 0);
    for (range, highlight) in highlights {
        let span = document.range(range.clone());
        // Tokens never span lines; one that did would need splitting, so it is left plain.
        if span.end.line != span.start.line {
            continue;
        }
        let (token_type, modifiers) = match highlight {
            ide::Highlight::Comment => (0, 0),
            ide::Highlight::Keyword => (1, 0),
            ide::Highlight::String => (2, 0),
            ide::Highlight::Number => (3, 0),
            ide::Highlight::Variable => (4, 0),
            ide::Highlight::Function => (5, 0),
            ide::Highlight::FunctionDeclaration => (5, 1),
            ide::Highlight::Property => (6, 0),
            ide::Highlight::Constant => (7, 0),
            ide::Highlight::Declaration => (4, 1),
        };
        let delta_line = span.start.line - last.line;
        let delta_start = if delta_line == 0 {
            span.start.character - last.character
        } else {
            span.start.character
        };
        data.push(SemanticToken {
            delta_line,
            delta_start,
            length: span.end.character - span.start.character,
            token_type,
            token_modifiers_bitset: modifiers,
        });
        last = span.start;
    }
    SemanticTokens {
        result_id: None,
        data,
    }
}

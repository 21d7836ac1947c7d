//! The server: open documents, their checks, and what it answers about them.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use nftlint_analyzer::ide::{self, Target};
use nftlint_analyzer::{Config, DiskLoader, FileLoader, Options};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};

use crate::convert;
use crate::document::Document;

pub struct Backend {
    client: Client,
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    documents: HashMap<Uri, Document>,
    /// The files each document's last check read (its includes), to re-check it when one of
    /// them changes.
    reads: HashMap<Uri, Vec<PathBuf>>,
    /// What each document's last check found, for hovers that explain a finding.
    published: HashMap<Uri, Vec<Diagnostic>>,
    /// Documents being checked now, and whether they changed since that check began.
    checking: HashMap<Uri, bool>,
}

impl Backend {
    pub fn new(client: Client) -> Self {
        Backend {
            client,
            state: Arc::default(),
        }
    }

    /// Checks `uri` and the open documents that include it: at once when no check of theirs is
    /// running, else right after it. Typing does not queue a check per keystroke: changes that
    /// arrive during a check make one more, of the text as it is then.
    fn schedule(&self, uri: Uri) {
        let dependents: Vec<Uri> = {
            let state = self.state.lock().expect("the state lock");
            let path = file_path(&uri);
            state
                .reads
                .iter()
                .filter(|(other, reads)| **other != uri && reads.contains(&path))
                .map(|(other, _)| other.clone())
                .collect()
        };
        for uri in std::iter::once(uri).chain(dependents) {
            match self
                .state
                .lock()
                .expect("the state lock")
                .checking
                .entry(uri.clone())
            {
                Entry::Occupied(mut changed) => {
                    *changed.get_mut() = true;
                    continue;
                }
                Entry::Vacant(idle) => idle.insert(false),
            };
            let client = self.client.clone();
            let state = Arc::clone(&self.state);
            tokio::spawn(async move { check_until_current(client, state, uri).await });
        }
    }
}

impl Backend {
    /// The open document `uri` and the files its names may lead to, each with its URI: the files
    /// it includes (the last read first: its definitions are the ones in force), then the open
    /// documents that include it and the files those include. Open documents count as the
    /// editor has them. Files are read as the iteration reaches them: a name declared in the
    /// document itself reads no other file.
    fn related(&self, uri: &Uri) -> impl Iterator<Item = (Uri, Document)> + use<> {
        let found = {
            let state = self.state.lock().expect("the state lock");
            state.documents.get(uri).map(|own| {
                let path = file_path(uri);
                let reads = |of: &Uri| state.reads.get(of).into_iter().flatten().rev().cloned();
                let includers = state
                    .reads
                    .iter()
                    .filter(|(other, reads)| *other != uri && reads.contains(&path))
                    .flat_map(|(other, _)| std::iter::once(file_path(other)).chain(reads(other)));
                let mut paths: Vec<PathBuf> = reads(uri).chain(includers).collect();
                let mut seen = HashSet::from([path]);
                paths.retain(|p| seen.insert(p.clone()));
                (own.clone(), paths, Overlay::of(&state))
            })
        };
        let uri = uri.clone();
        found.into_iter().flat_map(move |(own, paths, overlay)| {
            let others = paths.into_iter().filter_map(move |path| {
                let text = overlay.read(&path).ok()?;
                Some((Uri::from_file_path(&path)?, Document::new(text, 0)))
            });
            std::iter::once((uri.clone(), own)).chain(others)
        })
    }

    /// What the name at `position` of `uri` stands for, and the files it may be named in.
    fn target(
        &self,
        uri: &Uri,
        position: Position,
    ) -> Option<(Target, impl Iterator<Item = (Uri, Document)> + use<>)> {
        let target = self.with_document(uri, |document| {
            ide::target(&document.text, document.offset(position))
        })?;
        Some((target, self.related(uri)))
    }

    /// Answers from an open document; a panic inside is logged and answers nothing.
    fn with_document<T>(&self, uri: &Uri, read: impl FnOnce(&Document) -> Option<T>) -> Option<T> {
        let state = self.state.lock().expect("the state lock");
        let document = state.documents.get(uri)?;
        answer(|| read(document))
    }
}

/// An answer to a request; a panic inside it answers nothing, and the server goes on.
fn answer<T>(compute: impl FnOnce() -> Option<T>) -> Option<T> {
    catch_unwind(AssertUnwindSafe(compute)).ok().flatten()
}

/// Checks a document, and again as long as it (or a file it includes) changed during the check.
async fn check_until_current(client: Client, state: Arc<Mutex<State>>, uri: Uri) {
    loop {
        check(&client, &state, &uri).await;
        let mut state = state.lock().expect("the state lock");
        if state.checking.get(&uri) != Some(&true) {
            state.checking.remove(&uri);
            return;
        }
        state.checking.insert(uri.clone(), false);
    }
}

/// Checks a document and publishes what was found, unless the document changed meanwhile. A
/// panic in the analysis is logged and leaves the server running.
async fn check(client: &Client, state: &Mutex<State>, uri: &Uri) {
    let (version, snapshot) = {
        let state = state.lock().expect("the state lock");
        let Some(document) = state.documents.get(uri) else {
            return;
        };
        (
            document.version,
            (document.text.clone(), Overlay::of(&state)),
        )
    };
    let path = file_path(uri);
    let target = uri.clone();
    let found = tokio::task::spawn_blocking(move || {
        let (text, overlay) = snapshot;
        catch_unwind(AssertUnwindSafe(|| {
            let analysis = nftlint_analyzer::analyze(&path, text, &options(&path), &overlay);
            let reads: Vec<PathBuf> = analysis
                .files
                .iter()
                .skip(1)
                .map(|f| f.path.clone())
                .collect();
            (convert::diagnostics(&analysis, &target), reads)
        }))
    })
    .await;
    let (diagnostics, reads) = match found {
        Ok(Ok(found)) => found,
        _ => {
            client
                .log_message(
                    MessageType::ERROR,
                    format!(
                        "nftlint: checking {} failed; please report it",
                        uri.as_str()
                    ),
                )
                .await;
            return;
        }
    };
    {
        let mut state = state.lock().expect("the state lock");
        // Changed meanwhile: the next check publishes.
        if state.documents.get(uri).map(|d| d.version) != Some(version) {
            return;
        }
        state.reads.insert(uri.clone(), reads);
        state.published.insert(uri.clone(), diagnostics.clone());
    }
    client
        .publish_diagnostics(uri.clone(), diagnostics, Some(version))
        .await;
}

/// The settings `nftlint check` would use for the file: the `nftlint.toml` found upward.
fn options(path: &Path) -> Options {
    let config = path
        .parent()
        .and_then(|dir| Config::discover(dir).ok().flatten())
        .map(|(_, config)| config)
        .unwrap_or_default();
    Options {
        include_paths: config.include_paths.clone(),
        config,
    }
}

/// The path a document stands for; an unsaved one gets its URI as a name.
fn file_path(uri: &Uri) -> PathBuf {
    uri.to_file_path()
        .map(|p| p.into_owned())
        .unwrap_or_else(|| PathBuf::from(uri.as_str()))
}

/// Reads open documents from the editor and the rest from disk: an included file being edited
/// counts as the editor has it.
struct Overlay {
    documents: HashMap<PathBuf, String>,
}

impl Overlay {
    fn of(state: &State) -> Overlay {
        let documents = state
            .documents
            .iter()
            .map(|(uri, d)| (file_path(uri), d.text.clone()))
            .collect();
        Overlay { documents }
    }
}

impl FileLoader for Overlay {
    fn read(&self, path: &Path) -> io::Result<String> {
        match self.documents.get(path) {
            Some(text) => Ok(text.clone()),
            None => DiskLoader.read(path),
        }
    }

    fn read_dir(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        DiskLoader.read_dir(dir)
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, _: InitializeParams) -> Result<InitializeResult> {
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::INCREMENTAL),
                        ..Default::default()
                    },
                )),
                position_encoding: Some(PositionEncodingKind::UTF16),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                definition_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
                references_provider: Some(OneOf::Left(true)),
                selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
                semantic_tokens_provider: Some(
                    SemanticTokensServerCapabilities::SemanticTokensOptions(
                        SemanticTokensOptions {
                            legend: convert::legend(),
                            full: Some(SemanticTokensFullOptions::Bool(true)),
                            ..Default::default()
                        },
                    ),
                ),
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec![
                        "$".to_string(),
                        "@".to_string(),
                        " ".to_string(),
                    ]),
                    ..Default::default()
                }),
                rename_provider: Some(OneOf::Right(RenameOptions {
                    prepare_provider: Some(true),
                    work_done_progress_options: Default::default(),
                })),
                folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
                ..Default::default()
            },
            server_info: Some(ServerInfo {
                name: "nftlint".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            }),
            ..Default::default()
        })
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let document = params.text_document;
        self.state.lock().expect("the state lock").documents.insert(
            document.uri.clone(),
            Document::new(document.text, document.version),
        );
        self.schedule(document.uri);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        {
            let mut state = self.state.lock().expect("the state lock");
            let Some(document) = state.documents.get_mut(&uri) else {
                return;
            };
            document.apply(params.content_changes, params.text_document.version);
        }
        self.schedule(uri);
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let at = params.text_document_position_params;
        let findings: Vec<Diagnostic> = {
            let state = self.state.lock().expect("the state lock");
            let published = state.published.get(&at.text_document.uri);
            published
                .into_iter()
                .flatten()
                .filter(|d| d.range.start <= at.position && at.position < d.range.end)
                .cloned()
                .collect()
        };
        let described =
            self.target(&at.text_document.uri, at.position)
                .and_then(|(target, mut files)| {
                    answer(|| files.find_map(|(_, file)| ide::describe(&file.text, &target)))
                });
        Ok(self.with_document(&at.text_document.uri, |_| {
            let explained = findings.iter().filter_map(convert::explanation);
            let text = described
                .into_iter()
                .chain(explained)
                .collect::<Vec<_>>()
                .join("\n\n---\n\n");
            if text.is_empty() {
                return None;
            }
            Some(Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: text,
                }),
                range: None,
            })
        }))
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        let at = params.text_document_position_params;
        let Some((target, mut files)) = self.target(&at.text_document.uri, at.position) else {
            return Ok(None);
        };
        let location = answer(|| {
            files.find_map(|(uri, file)| {
                let range = ide::definition(&file.text, &target)?;
                Some(Location::new(uri.clone(), file.range(range)))
            })
        });
        Ok(location.map(GotoDefinitionResponse::Scalar))
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        Ok(self.with_document(&params.text_document.uri, |document| {
            let symbols = ide::symbols(&document.text);
            Some(DocumentSymbolResponse::Nested(
                symbols
                    .iter()
                    .map(|s| convert::symbol(s, document))
                    .collect(),
            ))
        }))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let at = params.text_document_position;
        Ok(self.with_document(&at.text_document.uri, |document| {
            let offset = document.offset(at.position);
            let items = ide::completions(&document.text, offset)
                .into_iter()
                .map(|completion| convert::completion(completion, document))
                .collect();
            Some(CompletionResponse::Array(items))
        }))
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        Ok(self.with_document(&params.text_document.uri, |document| {
            let highlights = ide::highlights(&document.text);
            Some(SemanticTokensResult::Tokens(convert::semantic_tokens(
                &highlights,
                document,
            )))
        }))
    }

    async fn selection_range(
        &self,
        params: SelectionRangeParams,
    ) -> Result<Option<Vec<SelectionRange>>> {
        Ok(self.with_document(&params.text_document.uri, |document| {
            let chains = params.positions.iter().map(|&position| {
                let ranges = ide::selection(&document.text, document.offset(position));
                // Outermost first, each the parent of the next.
                ranges.iter().rev().fold(None, |parent, range| {
                    Some(SelectionRange {
                        range: document.range(range.clone()),
                        parent: parent.map(Box::new),
                    })
                })
            });
            chains.collect()
        }))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let at = params.text_document_position;
        let Some((target, files)) = self.target(&at.text_document.uri, at.position) else {
            return Ok(None);
        };
        let declarations = params.context.include_declaration;
        Ok(answer(|| {
            let places = files.flat_map(|(uri, file)| {
                ide::places(&file.text, &target)
                    .into_iter()
                    .filter(|p| declarations || !p.declaration)
                    .map(move |p| Location::new(uri.clone(), file.range(p.range)))
            });
            Some(places.collect())
        }))
    }

    /// The name a rename at `position` would change, so that editors offer it only on names.
    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        Ok(self.with_document(&params.text_document.uri, |document| {
            let offset = document.offset(params.position);
            let target = ide::target(&document.text, offset)?;
            let place = ide::places(&document.text, &target)
                .into_iter()
                .find(|p| p.range.start <= offset && offset <= p.range.end)?;
            Some(PrepareRenameResponse::Range(document.range(place.range)))
        }))
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let at = params.text_document_position;
        if !ide::is_name(&params.new_name) {
            return Ok(None);
        }
        let Some((target, files)) = self.target(&at.text_document.uri, at.position) else {
            return Ok(None);
        };
        Ok(answer(|| {
            let changes: HashMap<Uri, Vec<TextEdit>> = files
                .map(|(uri, file)| {
                    let edits = ide::places(&file.text, &target)
                        .into_iter()
                        .map(|p| TextEdit::new(file.range(p.range), params.new_name.clone()))
                        .collect::<Vec<_>>();
                    (uri.clone(), edits)
                })
                .filter(|(_, edits)| !edits.is_empty())
                .collect();
            (!changes.is_empty()).then(|| WorkspaceEdit::new(changes))
        }))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        Ok(self.with_document(&uri, |document| {
            let ours = params
                .context
                .diagnostics
                .iter()
                .filter(|d| d.source.as_deref() == Some("nftlint"));
            Some(
                ours.flat_map(|d| convert::code_actions(d, &uri, document))
                    .collect(),
            )
        }))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        Ok(self.with_document(&params.text_document.uri, |document| {
            let symbols = ide::symbols(&document.text);
            let blocks = symbols
                .iter()
                .flat_map(|s| std::iter::once(s).chain(&s.children));
            Some(
                blocks
                    .map(|s| document.range(s.range.clone()))
                    // The closing brace stays visible below the folded block.
                    .filter(|r| r.end.line > r.start.line + 1)
                    .map(|r| FoldingRange {
                        start_line: r.start.line,
                        end_line: r.end.line - 1,
                        ..Default::default()
                    })
                    .collect(),
            )
        }))
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        {
            let mut state = self.state.lock().expect("the state lock");
            state.documents.remove(&uri);
            state.reads.remove(&uri);
            state.published.remove(&uri);
        }
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }
}

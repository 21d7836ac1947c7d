//! nftlint-lsp: the nftlint language server. It keeps the open documents, re-checks a document
//! (and the documents that include a changed one) when it changes, and publishes the
//! same findings `nftlint check` prints, with positions in the editor's UTF-16 columns.
//!
//! `nftlint lsp` runs [`run_stdio`]; tests drive [`service`] over an in-memory pipe.

mod backend;
mod convert;
mod document;

use tower_lsp_server::{ClientSocket, LspService, Server};

pub use backend::Backend;
pub use document::Document;

/// The language service, not yet bound to a transport.
pub fn service() -> (LspService<Backend>, ClientSocket) {
    LspService::new(Backend::new)
}

/// Serves the language server on standard input and output until the client exits.
pub async fn serve<I, O>(input: I, output: O)
where
    I: tokio::io::AsyncRead + Unpin,
    O: tokio::io::AsyncWrite,
{
    // Every change parses its document again.
    nftlint_syntax::keep_buffers_between_parses();
    let (service, socket) = service();
    Server::new(input, output, socket).serve(service).await;
}

/// Runs the server on standard input and output, on a runtime of its own.
pub fn run_stdio() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout()));
    Ok(())
}

//! A client that drives the server the way an editor does: JSON-RPC messages with
//! `Content-Length` headers over an in-memory pipe. Shared by the protocol tests and the latency
//! benchmark, which each use part of it.
#![allow(dead_code)]

use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream, ReadHalf};

pub struct Editor {
    to_server: DuplexStream,
    from_server: BufReader<ReadHalf<DuplexStream>>,
    next_id: i64,
}

pub const URI: &str = "file:///tmp/nftlint-protocol-test/rules.nft";

impl Editor {
    pub fn start() -> Editor {
        let (to_server, server_in) = tokio::io::duplex(1 << 20);
        let (server_out, from_server) = tokio::io::duplex(1 << 20);
        tokio::spawn(nftlint_lsp::serve(server_in, server_out));
        let (from_server, _) = tokio::io::split(from_server);
        Editor {
            to_server,
            from_server: BufReader::new(from_server),
            next_id: 1,
        }
    }

    pub async fn send(&mut self, message: Value) {
        let body = message.to_string();
        let framed = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.to_server.write_all(framed.as_bytes()).await.unwrap();
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}))
            .await;
    }

    /// Sends a request and returns its result, skipping the notifications before it.
    pub async fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}))
            .await;
        loop {
            let message = self.receive().await;
            if message["id"] == json!(id) {
                return message["result"].clone();
            }
        }
    }

    pub async fn receive(&mut self) -> Value {
        let read = async {
            let mut length = 0;
            loop {
                let mut line = String::new();
                self.from_server.read_line(&mut line).await.unwrap();
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(value) = line.strip_prefix("Content-Length: ") {
                    length = value.parse().unwrap();
                }
            }
            let mut body = vec![0; length];
            self.from_server.read_exact(&mut body).await.unwrap();
            serde_json::from_slice(&body).unwrap()
        };
        tokio::time::timeout(Duration::from_secs(20), read)
            .await
            .expect("the server answers")
    }

    /// The next diagnostics published for the test document.
    pub async fn diagnostics(&mut self) -> Vec<Value> {
        self.published().await.1
    }

    /// The next diagnostics published for the test document, with the version they are for.
    pub async fn published(&mut self) -> (Value, Vec<Value>) {
        loop {
            let message = self.receive().await;
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == URI
            {
                let params = &message["params"];
                return (
                    params["version"].clone(),
                    params["diagnostics"].as_array().unwrap().clone(),
                );
            }
        }
    }

    pub async fn initialize(&mut self) -> Value {
        let result = self
            .request(
                "initialize",
                json!({"processId": null, "rootUri": null, "capabilities": {}}),
            )
            .await;
        self.notify("initialized", json!({})).await;
        result
    }

    pub async fn open(&mut self, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": URI, "languageId": "nftables", "version": 1, "text": text}}),
        )
        .await;
    }

    pub async fn change(&mut self, version: i32, changes: Value) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": URI, "version": version}, "contentChanges": changes}),
        )
        .await;
    }
}

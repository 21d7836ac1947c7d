//! The server driven the way an editor drives it: JSON-RPC messages with `Content-Length`
//! headers over a pipe, from `initialize` to `exit`.

use serde_json::{Value, json};

mod editor;
use editor::{Editor, URI};

/// Codes and ranges, `NFT001@0:5-0:6`.
fn summary(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| {
            let r = &d["range"];
            format!(
                "{}@{}:{}-{}:{}",
                d["code"].as_str().unwrap(),
                r["start"]["line"],
                r["start"]["character"],
                r["end"]["line"],
                r["end"]["character"]
            )
        })
        .collect()
}

#[tokio::test]
async fn diagnostics_follow_the_edits() {
    let mut editor = Editor::start();
    let capabilities = editor.initialize().await["capabilities"].clone();
    assert_eq!(
        capabilities["textDocumentSync"]["change"], 2,
        "{capabilities}"
    );
    assert_eq!(capabilities["positionEncoding"], "utf-16");

    // A comment with characters of two and four bytes (one and two UTF-16 units) before the
    // error: its column counts UTF-16 units.
    let text = "table inet t {\n\tchain c {\n\t\ttype filter hook input priority 0; policy accept;\n\t\t# ä𝄞\n\t\tip saddr $nope accept # é\n\t}\n}\n";
    editor.open(text).await;
    let diagnostics = editor.diagnostics().await;
    assert_eq!(summary(&diagnostics), ["NFT002@4:11-4:16"]);
    let d = &diagnostics[0];
    assert_eq!(d["severity"], 1);
    assert_eq!(d["source"], "nftlint");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("[undefined-variable]"),
        "{d}"
    );
    assert!(
        d["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );

    // Define the variable at the top: a partial edit.
    editor
        .change(
            2,
            json!([{"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
                    "text": "define nope = 192.0.2.1\n"}]),
        )
        .await;
    assert_eq!(summary(&editor.diagnostics().await), Vec::<String>::new());

    // A rule after one that takes all its packets: greyed out, with the rule that shadows it.
    editor
        .change(
            3,
            json!([{"range": {"start": {"line": 5, "character": 27}, "end": {"line": 5, "character": 27}},
                    "text": "\n\t\tip saddr 192.0.2.1 drop"}]),
        )
        .await;
    let diagnostics = editor.diagnostics().await;
    assert_eq!(
        summary(&diagnostics),
        ["NFT101@6:2-6:25"],
        "{diagnostics:#?}"
    );
    assert_eq!(diagnostics[0]["tags"], json!([1]));
    let related = &diagnostics[0]["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], URI);
    assert_eq!(related["location"]["range"]["start"]["line"], 5);

    assert_eq!(editor.request("shutdown", json!(null)).await, Value::Null);
    editor.notify("exit", json!(null)).await;
}

#[tokio::test]
async fn half_typed_garbage_keeps_the_server_answering() {
    let mut editor = Editor::start();
    editor.initialize().await;
    editor.open("").await;
    editor.diagnostics().await;
    let pieces = [
        "table",
        " inet",
        " {",
        "\n\tchain",
        " c {",
        " type filter hook",
        " input priority",
        " $",
        "{{{{",
        "\"",
        "\u{0}",
        "ä",
        "}",
        "\n}",
        "@",
        "jump",
        " ;;",
        "\r\n",
    ];
    let mut version = 1;
    let mut length = 0u32;
    for piece in pieces {
        version += 1;
        // Appends at the end of the first line, which only ever grows.
        editor
            .change(
                version,
                json!([{"range": {"start": {"line": 0, "character": length}, "end": {"line": 0, "character": length}},
                        "text": piece}]),
            )
            .await;
        length += piece.encode_utf16().count() as u32;
    }
    // Whatever the text became, the server still checks a clean document, and the edits that
    // came while a check ran are checked after it: the last version is published, and nothing
    // older comes after it.
    editor
        .change(version + 1, json!([{"text": "table inet t {\n}\n"}]))
        .await;
    let mut published = editor.published().await;
    while published.0 != json!(version + 1) {
        published = editor.published().await;
    }
    assert_eq!(published.1, Vec::<Value>::new());
    editor
        .send(json!({"jsonrpc": "2.0", "id": 99, "method": "shutdown", "params": null}))
        .await;
    loop {
        let message = editor.receive().await;
        if message["id"] == 99 {
            break;
        }
        let stale = message["params"]["version"].as_i64() < Some(i64::from(version + 1));
        assert!(
            !(message["method"] == "textDocument/publishDiagnostics" && stale),
            "{message}"
        );
    }
}

#[tokio::test]
async fn hover_definition_and_outline() {
    let mut editor = Editor::start();
    editor.initialize().await;
    let text = "define admins = { 192.0.2.0/28 } # ä\ntable inet filter {\n\tchain web {\n\t\ttcp dport https accept\n\t}\n\tchain input {\n\t\ttype filter hook input priority 0; policy drop;\n\t\tip saddr $admins jump web\n\t}\n}\n";
    editor.open(text).await;
    editor.diagnostics().await;
    let at = |line: u32, character: u32| json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}});
    let hover = editor.request("textDocument/hover", at(7, 13)).await;
    assert_eq!(
        hover["contents"]["value"],
        "```nft\ndefine admins = { 192.0.2.0/28 }\n```"
    );
    let definition = editor.request("textDocument/definition", at(7, 25)).await;
    assert_eq!(definition["uri"], URI);
    assert_eq!(
        definition["range"]["start"],
        json!({"line": 2, "character": 7})
    );
    let symbols = editor
        .request(
            "textDocument/documentSymbol",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let outline: Vec<String> = symbols
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| {
            std::iter::once(s["name"].as_str().unwrap().to_string()).chain(
                s["children"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|c| format!("  {}", c["name"].as_str().unwrap())),
            )
        })
        .collect();
    assert_eq!(outline, ["admins", "filter", "  web", "  input"]);
    // Nothing to say about a keyword.
    assert_eq!(
        editor.request("textDocument/hover", at(1, 1)).await,
        Value::Null
    );
}

#[tokio::test]
async fn quick_fixes_and_folding() {
    let mut editor = Editor::start();
    editor.initialize().await;
    let text = "table inet t {\n\tchain input {\n\t\ttype filter hook input priority 0; policy drop;\n\t\tct state established,related accept\n\t\ttcp dport 22 accept\n\t\ttcp dport 22 accept\n\t}\n}\n";
    editor.open(text).await;
    let diagnostics = editor.diagnostics().await;
    assert_eq!(summary(&diagnostics), ["NFT102@5:2-5:21"]);
    let hover = editor
        .request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": {"line": 5, "character": 4}}),
        )
        .await;
    let explained = hover["contents"]["value"].as_str().unwrap();
    assert!(
        explained.starts_with("**NFT102 redundant-rule**"),
        "{explained}"
    );
    let actions = editor
        .request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI},
                   "range": diagnostics[0]["range"],
                   "context": {"diagnostics": diagnostics}}),
        )
        .await;
    let titles: Vec<&str> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles.last(),
        Some(&"Suppress redundant-rule for this statement")
    );
    let suppress = &actions.as_array().unwrap().last().unwrap()["edit"]["changes"][URI][0];
    assert_eq!(
        suppress["newText"],
        "\t\t# nftlint: disable=redundant-rule\n"
    );
    assert_eq!(
        suppress["range"]["start"],
        json!({"line": 5, "character": 0})
    );
    // Applied, the comment silences the finding.
    editor
        .change(
            2,
            json!([{"range": suppress["range"], "text": suppress["newText"]}]),
        )
        .await;
    assert_eq!(summary(&editor.diagnostics().await), Vec::<String>::new());

    let folds = editor
        .request(
            "textDocument/foldingRange",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    let lines: Vec<(u64, u64)> = folds
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["startLine"].as_u64().unwrap(),
                f["endLine"].as_u64().unwrap(),
            )
        })
        .collect();
    // Up to the line before the closing brace, which stays visible.
    assert_eq!(lines, [(0, 7), (1, 6)]);
}

#[tokio::test]
async fn references_and_rename() {
    let mut editor = Editor::start();
    editor.initialize().await;
    let text = "table inet t {\n\tchain input {\n\t\ttype filter hook input priority 0; policy accept;\n\t\tjump sub\n\t}\n\tchain sub {\n\t\tcounter\n\t}\n}\n";
    editor.open(text).await;
    editor.diagnostics().await;
    let at = json!({"textDocument": {"uri": URI}, "position": {"line": 3, "character": 8}});
    let mut references = at.clone();
    references["context"] = json!({"includeDeclaration": true});
    let places = editor
        .request("textDocument/references", references.clone())
        .await;
    let lines: Vec<u64> = places
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["range"]["start"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [3, 5]);
    references["context"] = json!({"includeDeclaration": false});
    let uses = editor.request("textDocument/references", references).await;
    assert_eq!(uses.as_array().unwrap().len(), 1, "{uses}");
    let prepared = editor
        .request("textDocument/prepareRename", at.clone())
        .await;
    assert_eq!(
        prepared,
        json!({"start": {"line": 3, "character": 7}, "end": {"line": 3, "character": 10}})
    );
    let mut on_keyword = at.clone();
    on_keyword["position"]["character"] = json!(3);
    let refused = editor
        .request("textDocument/prepareRename", on_keyword)
        .await;
    assert_eq!(refused, Value::Null);
    let mut rename = at;
    rename["newName"] = json!("services");
    let edit = editor.request("textDocument/rename", rename).await;
    let edits = edit["changes"][URI].as_array().unwrap();
    assert_eq!(edits.len(), 2);
    assert!(edits.iter().all(|e| e["newText"] == "services"));
}

#[tokio::test]
async fn completion_by_context() {
    let mut editor = Editor::start();
    editor.initialize().await;
    let text = "define ports = { 22, 80 }\ntable inet t {\n\tchain input {\n\t\ttype filter hook input priority 0; policy accept;\n\t\ttcp dport $\n\t}\n}\n";
    editor.open(text).await;
    editor.diagnostics().await;
    let complete = |line: u32, character: u32| json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}});
    let items = editor
        .request("textDocument/completion", complete(4, 13))
        .await;
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["$ports"]);
    // The item replaces the `$` typed, which editors do not take for part of a word.
    assert_eq!(
        items[0]["textEdit"],
        json!({"range": {"start": {"line": 4, "character": 12}, "end": {"line": 4, "character": 13}},
               "newText": "$ports"})
    );
    let items = editor
        .request("textDocument/completion", complete(4, 6))
        .await;
    assert!(
        items
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["label"] == "dport"),
        "{items}"
    );
}

#[tokio::test]
async fn semantic_tokens_in_utf16() {
    let mut editor = Editor::start();
    editor.initialize().await;
    editor.open("define x = \"é\" # é\n").await;
    editor.diagnostics().await;
    let tokens = editor
        .request(
            "textDocument/semanticTokens/full",
            json!({"textDocument": {"uri": URI}}),
        )
        .await;
    // `define` (keyword), `x` (a declaration), `"é"` (a string of three UTF-16 units), then the
    // comment four units further.
    assert_eq!(
        tokens["data"],
        json!([0, 0, 6, 1, 0, 0, 7, 1, 4, 1, 0, 4, 3, 2, 0, 0, 4, 3, 0, 0])
    );
}

#[tokio::test]
async fn selection_ranges_grow_outward() {
    let mut editor = Editor::start();
    editor.initialize().await;
    editor
        .open("table inet t {\n\tset s {\n\t\ttype ipv4_addr\n\t}\n}\n")
        .await;
    editor.diagnostics().await;
    let selection = editor
        .request(
            "textDocument/selectionRange",
            json!({"textDocument": {"uri": URI}, "positions": [{"line": 2, "character": 8}]}),
        )
        .await;
    let mut lines = Vec::new();
    let mut range = &selection[0];
    while !range.is_null() {
        lines.push((
            range["range"]["start"]["line"].as_u64().unwrap(),
            range["range"]["end"]["line"].as_u64().unwrap(),
        ));
        range = &range["parent"];
    }
    assert_eq!(lines.first(), Some(&(2, 2)));
    assert_eq!(lines.last(), Some(&(0, 5)));
}

#[tokio::test]
async fn names_across_included_files() {
    let dir = std::env::temp_dir().join(format!("nftlint-lsp-include-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let vars = dir.join("vars.nft");
    // The included file defines a variable and adds a chain to the including file's table.
    let included = "# the networks\ndefine lan = 10.0.0.0/8\ntable ip t {\n\tchain web {\n\t\tip saddr $lan accept\n\t}\n}\n";
    std::fs::write(&vars, included).unwrap();
    let vars_uri = format!("file://{}", vars.display());
    let mut editor = Editor::start();
    editor.initialize().await;
    let text = format!(
        "include \"{}\"\ntable ip t {{\n\tchain c {{\n\t\ttype filter hook input priority 0; policy accept;\n\t\tip saddr $lan jump web\n\t}}\n}}\n",
        vars.display()
    );
    editor.open(&text).await;
    assert_eq!(summary(&editor.diagnostics().await), Vec::<String>::new());
    let at = |character: u32| json!({"textDocument": {"uri": URI}, "position": {"line": 4, "character": character}});
    let definition = editor.request("textDocument/definition", at(13)).await;
    assert_eq!(definition["uri"], vars_uri.as_str(), "{definition}");
    assert_eq!(
        definition["range"]["start"],
        json!({"line": 1, "character": 7})
    );
    let hover = editor.request("textDocument/hover", at(13)).await;
    assert_eq!(
        hover["contents"]["value"],
        "```nft\ndefine lan = 10.0.0.0/8\n```"
    );
    let chain = editor.request("textDocument/definition", at(21)).await;
    assert_eq!(chain["uri"], vars_uri.as_str(), "{chain}");
    assert_eq!(chain["range"]["start"], json!({"line": 3, "character": 7}));

    // References and renames reach into the included file...
    let mut references = at(13);
    references["context"] = json!({"includeDeclaration": true});
    let places = editor.request("textDocument/references", references).await;
    let places: Vec<(String, u64)> = places
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let file = p["uri"].as_str().unwrap().rsplit('/').next().unwrap();
            (
                file.to_string(),
                p["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            ("rules.nft".to_string(), 4),
            ("vars.nft".to_string(), 1),
            ("vars.nft".to_string(), 4)
        ]
    );
    let mut rename = at(21);
    rename["newName"] = json!("http");
    let edit = editor.request("textDocument/rename", rename).await;
    assert_eq!(edit["changes"][URI].as_array().unwrap().len(), 1, "{edit}");
    assert_eq!(
        edit["changes"][vars_uri.as_str()][0]["range"]["start"],
        json!({"line": 3, "character": 7})
    );

    // ... and from the included file, opened too, back into the file that includes it.
    editor
        .notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": vars_uri, "languageId": "nftables", "version": 1, "text": included}}),
        )
        .await;
    let from_included = json!({"textDocument": {"uri": vars_uri}, "position": {"line": 3, "character": 8},
                               "context": {"includeDeclaration": false}});
    let uses = editor
        .request("textDocument/references", from_included)
        .await;
    assert_eq!(uses[0]["uri"], URI, "{uses}");
    assert_eq!(
        uses[0]["range"]["start"],
        json!({"line": 4, "character": 21})
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

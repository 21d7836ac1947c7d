// Drives the real `nftlint lsp` over stdio the way the extension's language client does, and
// checks the answers the extension relies on: diagnostics, hover, go to definition, edits and a
// clean shutdown. The binary is $NFTLINT, or `nftlint` on PATH.
//
//   NFTLINT=../../target/debug/nftlint node test/smoke.mjs

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import lsp from "vscode-languageserver-protocol/node.js";

const TIMEOUT_MS = 20_000;
const command = process.env.NFTLINT || "nftlint";

const server = spawn(command, ["lsp"], { stdio: ["pipe", "pipe", "pipe"] });
let stderr = "";
server.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
const exited = new Promise((resolve, reject) => {
  server.on("error", (error) =>
    reject(new Error(`cannot start ${command} lsp: ${error.message} (set NFTLINT to the nftlint binary)`)),
  );
  server.on("exit", (code, signal) => resolve({ code, signal }));
});

const connection = lsp.createProtocolConnection(
  new lsp.StreamMessageReader(server.stdout),
  new lsp.StreamMessageWriter(server.stdin),
);

// Every publishDiagnostics, kept so that a test can wait for one that came before it asked.
const published = [];
const onPublish = new Set();
connection.onNotification(lsp.PublishDiagnosticsNotification.type, (params) => {
  published.push(params);
  onPublish.forEach((check) => check());
});
connection.listen();

let checks = 0;
function ok(what) {
  checks += 1;
  console.log(`ok ${checks} - ${what}`);
}

function withTimeout(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Rejects when the server stops before the test is done, so that a crash fails at once.
const died = exited.then(({ code, signal }) => {
  throw new Error(`the server exited early (${code ?? signal})`);
});
died.catch(() => {});

function answer(promise, what) {
  return withTimeout(Promise.race([promise, died]), what);
}

function request(type, ...params) {
  return answer(connection.sendRequest(type, ...params), `answer to ${type.method}`);
}

/** The diagnostics published for `document` at `version`; any version if the server sends none. */
function diagnostics(document, version) {
  const arrived = new Promise((resolve) => {
    const check = () => {
      const found = published.find(
        (p) => p.uri === document.uri && (p.version === undefined || p.version === version),
      );
      if (found) {
        onPublish.delete(check);
        resolve(found.diagnostics);
      }
    };
    onPublish.add(check);
    check();
  });
  return answer(arrived, `diagnostics for ${document.name} version ${version}`);
}

function open(name) {
  const url = new URL(`fixtures/${name}`, import.meta.url);
  const document = { name, uri: url.href, text: readFileSync(url, "utf8") };
  connection.sendNotification(lsp.DidOpenTextDocumentNotification.type, {
    textDocument: { uri: document.uri, languageId: "nftables", version: 1, text: document.text },
  });
  return document;
}

/** The position of the `offset`-th character of the first occurrence of `needle`. */
function find(document, needle, offset = 0) {
  const lines = document.text.split("\n");
  const line = lines.findIndex((l) => l.includes(needle));
  assert.notEqual(line, -1, `${needle} is not in ${document.name}`);
  return { line, character: lines[line].indexOf(needle) + offset };
}

function at(document, position) {
  return { textDocument: { uri: document.uri }, position };
}

/** A definition answer (Location, Location[] or LocationLink[]) as one { uri, range }. */
function onlyLocation(answer) {
  const all = Array.isArray(answer) ? answer : answer ? [answer] : [];
  assert.equal(all.length, 1, `one definition expected, got ${JSON.stringify(answer)}`);
  const [location] = all;
  return "targetUri" in location
    ? { uri: location.targetUri, range: location.targetSelectionRange }
    : location;
}

async function main() {
  const initialized = await request(lsp.InitializeRequest.type, {
    processId: process.pid,
    clientInfo: { name: "nftlint smoke test" },
    rootUri: null,
    capabilities: {
      general: { positionEncodings: ["utf-16"] },
      textDocument: {
        synchronization: { dynamicRegistration: false, didSave: false },
        hover: { dynamicRegistration: false, contentFormat: ["markdown", "plaintext"] },
        definition: { dynamicRegistration: false, linkSupport: false },
        publishDiagnostics: {
          relatedInformation: true,
          versionSupport: true,
          codeDescriptionSupport: true,
          tagSupport: { valueSet: [1, 2] },
        },
      },
    },
  });
  const capabilities = initialized.capabilities;
  assert.ok(capabilities.hoverProvider, "the server offers hover");
  assert.ok(capabilities.definitionProvider, "the server offers go to definition");
  const sync = capabilities.textDocumentSync;
  assert.equal(typeof sync === "object" ? sync.change : sync, lsp.TextDocumentSyncKind.Incremental,
    "the server takes incremental edits");
  connection.sendNotification(lsp.InitializedNotification.type, {});
  ok(`initialize: ${initialized.serverInfo?.name ?? "server"} ${initialized.serverInfo?.version ?? ""}`);

  const lockout = open("lockout.nft");
  const sets = open("sets.nft");

  const found = await diagnostics(lockout, 1);
  assert.deepEqual(found.map((d) => d.code), ["NFT202"], `lockout.nft findings: ${JSON.stringify(found)}`);
  const [lockoutRisk] = found;
  assert.equal(lockoutRisk.severity, lsp.DiagnosticSeverity.Error, "NFT202 is an error");
  assert.equal(lockoutRisk.source, "nftlint");
  assert.match(lockoutRisk.message, /SSH lockout/);
  // The finding points at the name of the chain whose policy drops SSH.
  const chain = find(lockout, "chain input", "chain ".length);
  assert.deepEqual(lockoutRisk.range, {
    start: chain,
    end: { line: chain.line, character: chain.character + "input".length },
  }, "NFT202 is on the name of chain input");
  ok("lockout.nft: one NFT202 error on chain input");

  assert.deepEqual(await diagnostics(sets, 1), [], "sets.nft has no findings");
  ok("sets.nft: no findings");

  const variable = find(lockout, "$admins", 3);
  const hover = await request(lsp.HoverRequest.type, at(lockout, variable));
  assert.equal(hover?.contents?.kind, lsp.MarkupKind.Markdown, `hover is markdown: ${JSON.stringify(hover)}`);
  assert.match(hover.contents.value, /define admins = \{ 192\.0\.2\.0\/28, 198\.51\.100\.10 \}/,
    "hover on $admins shows its value");
  ok("hover on $admins shows its definition");

  const variableDefinition = onlyLocation(
    await request(lsp.DefinitionRequest.type, at(lockout, variable)),
  );
  assert.equal(variableDefinition.uri, lockout.uri);
  assert.deepEqual(variableDefinition.range.start, find(lockout, "define admins", "define ".length),
    "definition of $admins is its define");
  ok("definition of $admins is the define line");

  const set = find(sets, "saddr @blocklist", "saddr @".length + 1);
  const setDefinition = onlyLocation(await request(lsp.DefinitionRequest.type, at(sets, set)));
  assert.equal(setDefinition.uri, sets.uri);
  assert.deepEqual(setDefinition.range.start, find(sets, "set blocklist", "set ".length),
    "definition of @blocklist is the set declaration");
  ok("definition of @blocklist is the set declaration");

  // Accepting SSH from the admin networks fixes the lockout: the finding goes away.
  const after = find(lockout, "tcp dport https accept");
  connection.sendNotification(lsp.DidChangeTextDocumentNotification.type, {
    textDocument: { uri: lockout.uri, version: 2 },
    contentChanges: [{
      range: { start: { line: after.line + 1, character: 0 }, end: { line: after.line + 1, character: 0 } },
      text: "\t\tip saddr $admins tcp dport ssh accept\n",
    }],
  });
  assert.deepEqual(await diagnostics(lockout, 2), [], "no findings once SSH is accepted");
  ok("an edit that accepts SSH clears the finding");

  assert.equal(await request(lsp.ShutdownRequest.type), null);
  connection.sendNotification(lsp.ExitNotification.type);
  const { code, signal } = await withTimeout(exited, "exit after shutdown");
  assert.equal(code, 0, `the server exits with 0 after shutdown, not ${code ?? signal}`);
  ok("shutdown and exit: status 0");
}

let failed = false;
async function fail(error) {
  if (failed) {
    return;
  }
  failed = true;
  console.error(`smoke test failed: ${error.message}`);
  // A write error often means that the server died: wait a moment for its status and last words.
  const status = await Promise.race([
    exited.then(({ code, signal }) => `exited with ${code ?? signal}`, () => "did not start"),
    new Promise((resolve) => setTimeout(resolve, 1000, "still running")),
  ]);
  console.error(`the server ${status}`);
  if (stderr.trim()) {
    console.error(`server stderr:\n${stderr.slice(-2000)}`);
  }
  server.kill();
  process.exit(1);
}

// Writes to a server that has died reject in the protocol library too, not only in `main`.
process.on("unhandledRejection", fail);
main().then(() => {
  console.log(`smoke test passed: ${checks} checks against ${command}`);
  connection.dispose();
}, fail);

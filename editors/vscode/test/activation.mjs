// Loads the bundled extension (out/extension.js) with a stand-in for the `vscode` module, since
// no editor can be downloaded here, and checks what the extension itself decides: the message
// for a missing binary, a restart when nftlint.path changes, the restart command, and a clean
// stop. The language client and the server ($NFTLINT, or `nftlint` on PATH) are the real ones.

import assert from "node:assert/strict";
import Module, { createRequire } from "node:module";

const TIMEOUT_MS = 20_000;
const nftlint = process.env.NFTLINT || "nftlint";

/** Anything the test does not look at: callable, constructible and chainable, doing nothing. */
function inert() {
  return new Proxy(function () {}, {
    get: (_, key) => (key === "then" ? undefined : key === Symbol.iterator ? [][Symbol.iterator] : inert()),
    apply: () => inert(),
    construct: () => inert(),
  });
}
function withInert(members) {
  return new Proxy(members, { get: (target, key) => (key in target ? target[key] : inert()) });
}

const settings = { "nftlint.path": "/nonexistent/nftlint", "nftlint.trace.server": "messages" };
const errors = [];
const output = [];
const commands = new Map();
const configurationListeners = [];

const vscode = withInert({
  version: "1.90.0",
  env: withInert({ appName: "Visual Studio Code", language: "en" }),
  window: withInert({
    createOutputChannel: () =>
      withInert({ append: (text) => output.push(text), appendLine: (line) => output.push(line) }),
    showErrorMessage: (message) => {
      errors.push(message);
      return Promise.resolve(undefined);
    },
  }),
  workspace: withInert({
    workspaceFolders: undefined,
    textDocuments: [],
    getConfiguration: (section) =>
      withInert({ get: (key, fallback) => settings[`${section}.${key}`] ?? fallback }),
    onDidChangeConfiguration: (listener) => {
      configurationListeners.push(listener);
      return inert();
    },
  }),
  commands: withInert({
    registerCommand: (name, handler) => {
      commands.set(name, handler);
      return inert();
    },
  }),
});

const load = Module._load;
Module._load = function (request, ...rest) {
  return request === "vscode" ? vscode : load.call(this, request, ...rest);
};
const extension = createRequire(import.meta.url)("../out/extension.js");

/** How many times the server has answered `method`, as the client's message trace shows. */
function answered(method) {
  return output.filter((line) => line.includes(`Received response '${method} `)).length;
}

async function until(condition, what) {
  const deadline = Date.now() + TIMEOUT_MS;
  while (!condition()) {
    assert.ok(Date.now() < deadline, `${what} within ${TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function main() {
  const context = { subscriptions: [] };
  await extension.activate(context);
  assert.ok(commands.has("nftlint.restart"), "the restart command is registered");
  assert.equal(errors.length, 1, `one error message: ${JSON.stringify(errors)}`);
  assert.match(errors[0], /^nftlint not found \(\/nonexistent\/nftlint\): install it \(cargo install .*\) or set nftlint\.path\.$/);
  console.log("ok 1 - a missing binary: one clear error message");

  settings["nftlint.path"] = nftlint;
  configurationListeners.forEach((listener) => listener({ affectsConfiguration: (name) => name === "nftlint.path" }));
  await until(() => answered("initialize") === 1, "the server starts after nftlint.path changes");
  console.log("ok 2 - changing nftlint.path starts the server");

  await commands.get("nftlint.restart")();
  assert.equal(answered("shutdown"), 1, "the restart shuts the first server down");
  assert.equal(answered("initialize"), 2, "and starts another");
  console.log("ok 3 - nftlint.restart stops the server and starts a new one");

  await extension.deactivate();
  assert.equal(answered("shutdown"), 2, "deactivation shuts the server down");
  assert.deepEqual(errors.slice(1), [], "no other error message");
}

function fail(error) {
  console.error(`activation test failed: ${error.message}`);
  console.error(`nftlint output channel:\n${output.join("\n").slice(-3000)}`);
  process.exit(1);
}

// A server that dies makes the client's own writes fail too, outside of `main`.
process.on("unhandledRejection", fail);
main().then(() => console.log(`activation test passed against ${nftlint}`), fail);

import { execFile } from "node:child_process";
import { homedir } from "node:os";
import { promisify } from "node:util";
import * as vscode from "vscode";
import { LanguageClient } from "vscode-languageclient/node";

const INSTALL_HINT =
  "install it (cargo install --locked --git https://github.com/nftlint/nftlint nftlint-cli) or set nftlint.path";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
// Starts and stops run one after the other, so that a restart command and a settings change
// arriving together do not leave two servers running.
let queue: Promise<void> = Promise.resolve();

export function activate(context: vscode.ExtensionContext): Promise<void> {
  // One channel for every server this session starts, instead of one per restart.
  output = vscode.window.createOutputChannel("nftlint");
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("nftlint.restart", restart),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("nftlint.path")) {
        void restart();
      }
    }),
  );
  return enqueue(start);
}

export function deactivate(): Promise<void> {
  return enqueue(stop);
}

function restart(): Promise<void> {
  return enqueue(async () => {
    await stop();
    await start();
  });
}

function enqueue(task: () => Promise<void>): Promise<void> {
  queue = queue.then(task, task);
  return queue;
}

function serverPath(): string {
  const configured = vscode.workspace.getConfiguration("nftlint").get<string>("path")?.trim();
  const path = configured || "nftlint";
  return path === "~" || path.startsWith("~/") ? homedir() + path.slice(1) : path;
}

async function start(): Promise<void> {
  const command = serverPath();
  // The language client reports a missing executable only as "couldn't create connection to
  // server"; asking for the version first lets us say what to do about it.
  try {
    const { stdout } = await promisify(execFile)(command, ["--version"]);
    output.appendLine(`Starting ${stdout.trim()} from ${command}`);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "not found" : "cannot be run";
    output.appendLine(`${command}: ${String(error)}`);
    void vscode.window.showErrorMessage(`nftlint ${reason} (${command}): ${INSTALL_HINT}.`);
    return;
  }
  client = new LanguageClient(
    "nftlint",
    "nftlint",
    // No `transport`: with TransportKind.stdio the client would append `--stdio`, which
    // `nftlint lsp` rejects; without one it talks over stdin and stdout all the same.
    { command, args: ["lsp"] },
    {
      documentSelector: [
        { scheme: "file", language: "nftables" },
        { scheme: "untitled", language: "nftables" },
      ],
      outputChannel: output,
    },
  );
  try {
    await client.start();
  } catch {
    // The client has already shown the failure and logged it to the output channel; the
    // extension stays active so that the restart command can try again.
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running?.isRunning()) {
    // A server that does not shut down in time is killed by the client, which logs it; the
    // restart goes on either way.
    await running.stop().catch(() => undefined);
  }
}

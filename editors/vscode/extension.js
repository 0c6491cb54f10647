// Starts `briefgen lsp` in the workspace folder holding briefgen.yaml, for its YAML files.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

async function activate(context) {
  const [folder] = await vscode.workspace.findFiles("briefgen.yaml", null, 1);
  const cwd = folder ? vscode.Uri.joinPath(folder, "..").fsPath : undefined;
  const [command, ...args] = vscode.workspace.getConfiguration("briefgen").get("command");
  client = new LanguageClient(
    "briefgen",
    "briefgen",
    { command, args, options: { cwd } },
    {
      documentSelector: [
        { scheme: "file", language: "yaml", pattern: "**/facts/**/*.{yaml,yml}" },
        { scheme: "file", language: "yaml", pattern: "**/briefgen.yaml" },
      ],
    },
  );
  context.subscriptions.push(client);
  await client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };

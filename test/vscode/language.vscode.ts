// Language features in desktop VS Code (run by scripts/test-electron.mjs, not by `npm test`): the extension
// activates on a .gan file, the server publishes diagnostics, offers quick fixes, completion, hover,
// inlay hints, formatting and symbols through VS Code's own APIs.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Scenario } from './runner';

const extensionId = 'gan-studio.gan-studio';

async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function openExample(name: string): Promise<vscode.TextEditor> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the runner opens the examples folder');
  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, name));
  assert.equal(document.languageId, 'gan');
  return vscode.window.showTextDocument(document);
}

function errorsOf(uri: vscode.Uri, code?: string): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.severity === vscode.DiagnosticSeverity.Error)
    .filter((d) => code === undefined || (typeof d.code === 'object' ? d.code.value : d.code) === code);
}

async function replace(editor: vscode.TextEditor, from: string, to: string): Promise<void> {
  const text = editor.document.getText();
  const at = text.indexOf(from);
  assert.ok(at >= 0, from);
  const range = new vscode.Range(
    editor.document.positionAt(at),
    editor.document.positionAt(at + from.length),
  );
  assert.ok(await editor.edit((edit) => edit.replace(range, to)));
}

export const scenarios: readonly Scenario[] = [
  {
    name: 'the extension activates on a .gan file',
    async run() {
      await openExample('mnist-dcgan.gan');
      const extension = vscode.extensions.getExtension(extensionId);
      assert.ok(extension);
      await waitFor('activation', () => (extension.isActive ? true : undefined));
    },
  },
  {
    name: 'a broken reshape gets E301, and its quick fix removes it',
    async run() {
      const editor = await openExample('mnist-dcgan.gan');
      await replace(editor, 'reshape [7, 7, 256]', 'reshape [7, 7, 128]');
      const e301 = await waitFor('E301', () => errorsOf(editor.document.uri, 'E301')[0]);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        editor.document.uri,
        e301.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const fix = actions.find((a) => a.isPreferred);
      assert.ok(fix?.edit);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      await waitFor('E301 gone', () => (errorsOf(editor.document.uri).length === 0 ? true : undefined));
      assert.match(editor.document.getText(), /reshape \[7, 7, 256\]/);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    },
  },
  {
    name: 'completion, hover, inlay hints, formatting and symbols answer',
    async run() {
      const editor = await openExample('mnist-dcgan.gan');
      const text = editor.document.getText();
      const at = (needle: string, offset = 0): vscode.Position =>
        editor.document.positionAt(text.indexOf(needle) + offset);
      const completions = await waitFor('completion', async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>(
          'vscode.executeCompletionItemProvider',
          editor.document.uri,
          at('activation=tanh', 'activation='.length),
        );
        return list.items.length > 0 ? list : undefined;
      });
      assert.ok(
        completions.items.some((i) => (typeof i.label === 'string' ? i.label : i.label.label) === 'sigmoid'),
      );
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        editor.document.uri,
        at('deconv 128', 2),
      );
      const hoverText = hovers
        .flatMap((h) => h.contents)
        .map((c) => (typeof c === 'string' ? c : c.value))
        .join('\n');
      assert.match(hoverText, /7×7×128/);
      const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>(
        'vscode.executeInlayHintProvider',
        editor.document.uri,
        new vscode.Range(0, 0, editor.document.lineCount, 0),
      );
      assert.ok(
        hints.some((h) =>
          String(typeof h.label === 'string' ? h.label : h.label[0].value).includes('7×7×256'),
        ),
      );
      const edits = await vscode.commands.executeCommand<vscode.TextEdit[]>(
        'vscode.executeFormatDocumentProvider',
        editor.document.uri,
        { tabSize: 2, insertSpaces: true },
      );
      assert.deepEqual(edits ?? [], [], 'the example is already formatted');
      const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>(
        'vscode.executeDocumentSymbolProvider',
        editor.document.uri,
      );
      assert.deepEqual(
        symbols.map((s) => s.name),
        ['dcgan', 'dcgan_small', 'dcgan_hinge'],
      );
    },
  },
];

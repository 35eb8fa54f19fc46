// Self-test of the e2e harness helpers against a real VS Code, before the real language features exist:
// a stand-in extension (fixtures/probe-extension) shows a diagnostic, a CodeLens, a webview, a quick fix and hovers
// the way the GAN language server will. It also checks this repository's language configuration
// (word pattern, auto-closing braces, indentation on Enter, line comments) in the real editor.
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  goToLine,
  hoverText,
  languageExtension,
  makeWorkspace,
  openFileFromExplorer,
  pickListItem,
  runCommand,
  saveActiveFile,
  startVSCode,
  triggerCompletion,
  triggerQuickFix,
  typeInEditor,
  visibleEditorText,
  webviewFrame,
  waitForCodeLens,
  waitForLightBulb,
  waitForNoSquiggle,
  waitForNotification,
  waitForProblemCounts,
  waitForSquiggle,
} from './harness';

const probeSource = `# A probe model for the harness self-test.
model probe: gan {
  data mnist { scale [-1, 1]; batch 64 }
  latent 100
  generator {
    dence 7*7*256 bias=false
    reshape [7, 7, 256]
  }
  optimizer adam lr=2e-4 beta1=0.5
  sample { grid 8x8 }
}
`;

test(
  'harness helpers drive diagnostics, CodeLens, quick fix, hover and editing',
  { timeout: 240_000 },
  async (t) => {
    const extension = languageExtension(join(__dirname, 'fixtures', 'probe-extension', 'extension.js'));
    const workspace = await makeWorkspace({ 'probe.gan': probeSource });
    const start = Date.now();
    const vscode = await startVSCode({ workspace, extensionDevelopmentPath: extension, name: 'harness' });
    const { page } = vscode;
    try {
      await openFileFromExplorer(page, 'probe.gan');

      await waitForSquiggle(page, 'error');
      await waitForProblemCounts(page, [1, 0]);

      const lens = await waitForCodeLens(page, 'Train probe');
      await lens.click();
      await waitForNotification(page, 'Probe: training probe');
      await webviewFrame(page)
        .locator('#probe', { hasText: 'Probe panel for probe' })
        .waitFor({ timeout: 20_000 });

      // The word under the mouse comes from language-configuration.json's wordPattern.
      assert.match(await hoverText(page, '2e-4'), /probe word: 2e-4\b/);
      assert.match(await hoverText(page, '8x8'), /probe word: 8x8\b/);
      assert.match(await hoverText(page, '256'), /probe word: 256\b/);

      await goToLine(page, 6, 6);
      await waitForLightBulb(page);
      const fixes = await triggerQuickFix(page);
      assert.ok(
        fixes.some((title) => title.includes('Change to `dense`')),
        `quick fixes: ${fixes.join(' | ')}`,
      );
      await pickListItem(page, 'Change to `dense`');
      await waitForProblemCounts(page, [0, 0]);
      await waitForNoSquiggle(page, 'error');
      assert.match(await visibleEditorText(page), /^ {4}dense 7\*7\*256 bias=false$/m);

      // Auto-closing `{` and `[`, indentation between braces on Enter, word-based completion, line comment.
      await goToLine(page, 7, 24);
      // A suggestion list opened by the digits may still be on screen when `{` is typed: close it first, and
      // see the pair closed before pressing Enter (CI once typed ahead of it and lost the `}`).
      await typeInEditor(page, '\nrepeat 2 ');
      await page.keyboard.press('Escape');
      await typeInEditor(page, '{');
      await waitForEditorText(page, /^ {4}repeat 2 \{\}$/m);
      await typeInEditor(page, '\nresh');
      const labels = await triggerCompletion(page);
      assert.ok(
        labels.some((label) => label.startsWith('reshape')),
        `suggestions: ${labels.join(' | ')}`,
      );
      await page.keyboard.press('Escape');
      await typeInEditor(page, 'ape [1]');
      await runCommand(page, 'Toggle Line Comment');
      await saveActiveFile(page);
      const expected = '    reshape [7, 7, 256]\n    repeat 2 {\n      # reshape [1]\n    }\n  }\n';
      await waitForFileContaining(join(workspace, 'probe.gan'), expected);
      assert.match(vscode.readLogs(), /ExtensionService#_doActivateExtension gan-studio\.gan-studio-e2e\b/);
      t.diagnostic(`scenario (start to saved edit) took ${((Date.now() - start) / 1000).toFixed(1)} s`);
    } finally {
      await vscode.screenshot('harness');
      await vscode.stop();
      rmSync(extension, { recursive: true, force: true });
      rmSync(workspace, { recursive: true, force: true });
    }
  },
);

async function waitForEditorText(page: Page, pattern: RegExp, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = await visibleEditorText(page);
    if (pattern.test(text)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`the editor never showed ${pattern}; it shows:\n${text}`);
}

async function waitForFileContaining(file: string, expected: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let content = '';
  while (Date.now() < deadline) {
    content = readFileSync(file, 'utf8');
    if (content.includes(expected)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`${file} never contained:\n${expected}\nit holds:\n${content}`);
}

// Proves the harness end to end: a real VS Code loads the grammar and language configuration from this
// repository, opens an example, recognises it as GAN and colours it.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  copyToWorkspace,
  ensureCodeServer,
  languageExtension,
  openFile,
  repoRoot,
  startVSCode,
  statusBarLanguage,
  tokenColor,
  visibleEditorText,
} from './harness';

// Default Dark Modern colours: comment (#6A9955), storage.type (#569CD6), support.function (#DCDCAA).
const themeColors = {
  comment: 'rgb(106, 153, 85)',
  keyword: 'rgb(86, 156, 214)',
  layer: 'rgb(220, 220, 170)',
};

test('VS Code opens a .gan file as GAN and colours it with the grammar', { timeout: 240_000 }, async (t) => {
  const installStart = Date.now();
  ensureCodeServer();
  t.diagnostic(`code-server ready in ${((Date.now() - installStart) / 1000).toFixed(1)} s`);

  // The repository's language contributions alone: this test must not depend on dist/extension.js.
  const extension = languageExtension();
  const workspace = await copyToWorkspace(join(repoRoot, 'examples'), ['mnist-dcgan.gan']);
  const scenarioStart = Date.now();
  const vscode = await startVSCode({ workspace, extensionDevelopmentPath: extension, name: 'smoke' });
  try {
    t.diagnostic(`workbench ready in ${((Date.now() - scenarioStart) / 1000).toFixed(1)} s`);
    await openFile(vscode.page, 'mnist-dcgan.gan');
    assert.match(await visibleEditorText(vscode.page), /model dcgan: gan \{/);
    assert.equal(await statusBarLanguage(vscode.page), 'GAN');

    // Tokenisation is asynchronous: the comment turns green once the grammar has run.
    await vscode.page.waitForFunction(
      ({ text, color }) =>
        [...document.querySelectorAll('.view-lines span span')].some(
          (span) =>
            // Monaco renders spaces as no-break spaces.
            (span.textContent ?? '').replace(/\u00a0/g, ' ').includes(text) &&
            getComputedStyle(span).color === color,
        ),
      { text: '# DCGAN on MNIST', color: themeColors.comment },
      { timeout: 20_000 },
    );
    assert.equal(await tokenColor(vscode.page, 'model'), themeColors.keyword);
    assert.equal(await tokenColor(vscode.page, 'leakyrelu'), themeColors.layer);
    t.diagnostic(`scenario done in ${((Date.now() - scenarioStart) / 1000).toFixed(1)} s`);
  } finally {
    await vscode.screenshot('smoke');
    await vscode.stop();
    rmSync(extension, { recursive: true, force: true });
    rmSync(workspace, { recursive: true, force: true });
  }
});

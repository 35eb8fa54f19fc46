// Workspace Trust in a real VS Code (code-server) with the extension installed from a packaged .vsix, as a
// user gets it: a folder opened in Restricted Mode gets the language features (diagnostics, inlay hints,
// hover) but nothing that executes (no ▶ Train lens, no training commands, no Runs view); trusting the
// folder later starts the training features without a reload. Screenshots: test-results/e2e/trust-*.png.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  ensureCodeServer,
  hoverText,
  makeWorkspace,
  openFile,
  openFileFromExplorer,
  repoRoot,
  runCommand,
  selectors,
  startVSCode,
  waitForCodeLens,
  waitForProblemCounts,
  waitForSquiggle,
} from './harness';
import { packExtension } from '../packaging/pack';
import { extensionHostLogs } from './logs';

/** Builds and packs the extension in a copy of the repository (dist/ belongs to the other tests). */
function packageExtension(scratch: string): string {
  const vsix = join(scratch, 'gan-studio.vsix');
  packExtension(scratch, vsix);
  return vsix;
}

const example = readFileSync(join(repoRoot, 'examples', 'mnist-dcgan.gan'), 'utf8');
const modelCount = (example.match(/^model /gm) ?? []).length;
// E301: the generator's reshape no longer matches the dense layer before it.
const broken = example.replace('reshape [7, 7, 256', 'reshape [7, 7, 128');

/** Labels of the Command Palette's rows for `query` ([] when it says there is no matching command). */
async function paletteMatches(page: Page, query: string): Promise<string[]> {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator(selectors.quickInputBox);
  await input.waitFor();
  await input.fill(`>${query}`);
  const rows = page.locator(selectors.quickInputRow);
  const none = page.locator(`${selectors.quickInput} .quick-input-message`, { hasText: 'No matching' });
  await rows.first().or(none).waitFor();
  const labels = (await none.isVisible())
    ? []
    : await rows.evaluateAll((elements) =>
        elements.map((element) => element.getAttribute('aria-label') ?? ''),
      );
  await page.keyboard.press('Escape');
  return labels.filter((label) => label.includes(query));
}

const restrictedBanner = '.part.banner:has-text("Restricted Mode is intended for safe code browsing")';

/** The CodeLens titles drawn in the visible editors. */
async function codeLensTitles(page: Page): Promise<string[]> {
  return page.locator(selectors.codeLens).allTextContents();
}

test(
  'an untrusted workspace gets language features but no training; trusting it enables training',
  { timeout: 240_000 },
  async (t) => {
    ensureCodeServer();
    const scratch = mkdtempSync(join(tmpdir(), 'gan-e2e-trust-'));
    const started = Date.now();
    const vsix = packageExtension(scratch);
    t.diagnostic(`packaged the .vsix in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const workspace = await makeWorkspace({ 'model.gan': example, 'broken.gan': broken });
    const vscode = await startVSCode({ workspace, vsix, workspaceTrust: true, name: 'trust' });
    const { page } = vscode;
    let shot = 'trust-0-start';
    try {
      // VS Code asks on first open; answering No opens the folder in Restricted Mode.
      await page.locator('.monaco-dialog-box', { hasText: 'Do you trust the authors' }).waitFor();
      await vscode.screenshot((shot = 'trust-1-prompt'));
      await page.getByRole('button', { name: "No, I don't trust the authors" }).click();
      await page.locator('.monaco-dialog-box').waitFor({ state: 'detached' });
      await page.locator(restrictedBanner).waitFor();

      await openFile(page, 'model.gan');
      // The language server runs: inlay hints (layer output shapes) and hover.
      await page.waitForFunction(
        (selector) => (document.querySelector(selector)?.textContent ?? '').includes('7×7×256'),
        selectors.editorLines,
        { timeout: 60_000 },
      );
      assert.match(await hoverText(page, 'reshape'), /7×7×256/);
      await page.mouse.move(0, 0);
      await page.keyboard.press('Escape');
      await openFile(page, 'broken.gan');
      await waitForSquiggle(page, 'error', 30_000);
      await waitForProblemCounts(page, [1, 0]);
      await vscode.screenshot((shot = 'trust-2-restricted-squiggle'));
      assert.match(vscode.readLogs(), /GAN Studio activated in [\d.]+ ms; workspace untrusted/);

      // Nothing that executes: no lenses (a trusted window shows ▶ Train / Fix … to train within a
      // second of the diagnostics, see below), no training commands, no Runs view.
      await page.waitForTimeout(2000);
      assert.deepEqual(await codeLensTitles(page), []);
      await openFileFromExplorer(page, 'model.gan');
      await page.waitForTimeout(1000);
      assert.deepEqual(await codeLensTitles(page), []);
      assert.deepEqual(await paletteMatches(page, 'GAN Studio: Train Model'), []);
      assert.deepEqual(await paletteMatches(page, 'GAN Studio: Open Training Dashboard'), []);
      assert.equal((await paletteMatches(page, 'GAN: Restart Language Server')).length, 1);
      assert.equal(await page.locator('.activitybar .action-label[aria-label^="GAN Studio"]').count(), 0);
      await vscode.screenshot((shot = 'trust-3-restricted-no-lens'));

      // Trust the folder from the Workspace Trust editor: training starts without a reload.
      await runCommand(page, 'Workspaces: Manage Workspace Trust');
      await vscode.screenshot((shot = 'trust-4-manage'));
      const trusted = Date.now();
      await page.getByRole('button', { name: 'Trust', exact: true }).click();
      await page.locator(restrictedBanner).waitFor({ state: 'hidden' });
      await openFileFromExplorer(page, 'model.gan');
      await waitForCodeLens(page, '▶ Train', 30_000);
      t.diagnostic(`Trust clicked → ▶ Train lens: ${Date.now() - trusted} ms`);
      const trainLenses = (await codeLensTitles(page)).filter((title) => title === '▶ Train');
      assert.equal(trainLenses.length, modelCount);
      await vscode.screenshot((shot = 'trust-5-train-lens'));
      const reopened = Date.now();
      await openFileFromExplorer(page, 'broken.gan');
      await waitForCodeLens(page, 'to train', 30_000);
      t.diagnostic(`switch to broken.gan → "Fix … to train" lens: ${Date.now() - reopened} ms`);
      assert.equal((await paletteMatches(page, 'GAN Studio: Train Model')).length, 1);
      await page.locator('.activitybar .action-label[aria-label^="GAN Studio"]').waitFor();
      await vscode.screenshot((shot = 'trust-6-trusted'));
    } catch (error) {
      await vscode.screenshot(`${shot}-failed`).catch(() => undefined);
      t.diagnostic(extensionHostLogs(vscode.readLogs()));
      throw error;
    } finally {
      await vscode.stop();
      rmSync(scratch, { recursive: true, force: true });
      rmSync(workspace, { recursive: true, force: true });
    }
  },
);

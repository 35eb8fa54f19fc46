// The language server in a real VS Code (code-server): squiggles as you type (E301's wording, inlay
// hints that stay above an error), both reshape quick fixes, completions (an activation, a dropout
// rate), a variant's hover and inlay hints, W405's quick fix, and the client restarting a server that
// was killed. Screenshots: test-results/e2e/lsp-*.png.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { ensureExtensionBuilt } from '../server/lspHarness';
import {
  copyToWorkspace,
  ensureCodeServer,
  goToLine,
  hoverText,
  openFileFromExplorer,
  pickListItem,
  repoRoot,
  saveActiveFile,
  selectors,
  startVSCode,
  triggerCompletion,
  triggerQuickFix,
  typeInEditor,
  visibleEditorText,
  waitForProblemCounts,
  waitForSquiggle,
} from './harness';
import { waitUntil } from './wait';

const source = readFileSync(join(repoRoot, 'examples', 'mnist-dcgan.gan'), 'utf8');
const lines = source.split('\n');
/** 1-based line and column just after `needle` on the first line containing it. */
function after(needle: string): { line: number; column: number } {
  const index = lines.findIndex((l) => l.includes(needle));
  assert.ok(index >= 0, needle);
  return { line: index + 1, column: lines[index].indexOf(needle) + needle.length + 1 };
}

/** The rendered line (inlay hints included) that starts with `start`, or '' when none is in view. */
async function renderedLine(page: Page, start: string): Promise<string> {
  const text = await visibleEditorText(page);
  return text.split('\n').find((line) => line.trimStart().startsWith(start)) ?? '';
}

/** Points at the first squiggle of this severity and returns the hover's text (the diagnostic's). */
async function hoverSquiggle(page: Page, severity: 'error' | 'warning', contains: string): Promise<string> {
  const hover = page.locator(selectors.hover).first();
  await page.mouse.move(0, 0);
  await page.keyboard.press('Escape');
  await hover.waitFor({ state: 'hidden', timeout: 10_000 });
  const squiggle = page.locator(severity === 'error' ? selectors.squiggleError : selectors.squiggleWarning);
  const withText = page.locator(selectors.hover, { hasText: contains }).first();
  // Inlay hints arriving after an edit move the text under a pointer that is already there, and
  // a hover once hidden is not shown again for the same position: point at the squiggle anew.
  const deadline = Date.now() + 30_000;
  for (;;) {
    // The editor redraws its decorations when diagnostics or inlay hints arrive: the squiggle can be
    // gone for a frame between finding it and measuring it.
    await squiggle.first().waitFor({ state: 'visible', timeout: Math.max(1000, deadline - Date.now()) });
    const box = await squiggle
      .first()
      .boundingBox({ timeout: 1000 })
      .catch(() => null);
    if (!box) {
      assert.ok(Date.now() < deadline, 'the squiggle stays on screen long enough to point at it');
      continue;
    }
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
    try {
      await withText.waitFor({ timeout: 5000 });
      return ((await withText.textContent()) ?? '').trim();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await page.mouse.move(0, 0);
      await page.keyboard.press('Escape');
    }
  }
}

test(
  'language server in VS Code: squiggles, quick fixes, completions, hovers, inlay hints, restart',
  { timeout: 300_000 },
  async (t) => {
    ensureCodeServer();
    ensureExtensionBuilt();
    const workspace = await copyToWorkspace(join(repoRoot, 'examples'), ['mnist-dcgan.gan']);
    const vscode = await startVSCode({
      workspace,
      extensionDevelopmentPath: repoRoot,
      name: 'lsp',
      settings: { 'editor.quickSuggestions': { other: false, comments: false, strings: false } },
    });
    const { page } = vscode;
    let shot = 'lsp-0-start';
    try {
      // From the Explorer: Quick Open waits on a file search, which takes long on a busy machine.
      await openFileFromExplorer(page, 'mnist-dcgan.gan');
      // The server is up once the inlay hints (layer output shapes) are drawn.
      await page.waitForFunction(
        (selector) => (document.querySelector(selector)?.textContent ?? '').includes('7×7×256'),
        selectors.editorLines,
        { timeout: 60_000 },
      );
      // The training CodeLens lines (trusted workspace) arrive on their own schedule and push the
      // text down: let the layout settle before pointing at a word.
      await page.locator(selectors.codeLens, { hasText: 'Train' }).first().waitFor({ timeout: 30_000 });
      await page.waitForTimeout(1000);
      const hover = await hoverText(page, 'reshape');
      assert.match(hover, /7×7×256/);
      await waitForProblemCounts(page, [0, 0]);
      await vscode.screenshot((shot = 'lsp-1-hover'));
      await page.keyboard.press('Escape');

      // Break the reshape: E301 appears as an error squiggle.
      const reshape = after('reshape [7, 7, 256');
      await goToLine(page, reshape.line, reshape.column);
      await page.keyboard.press('Backspace');
      await page.keyboard.press('Backspace');
      await page.keyboard.press('Backspace');
      await typeInEditor(page, '128');
      await waitForSquiggle(page, 'error');
      await waitForProblemCounts(page, [1, 0]);
      // The layers above the error keep their output shapes: the checker stops at the reshape.
      for (const layer of ['dense 7*7*256 bias=false', 'batchnorm', 'leakyrelu']) {
        await waitUntil(
          async () => /→\s*12544/.test(await renderedLine(page, layer)),
          `the inlay hint of \`${layer}\` above the error`,
          10_000,
        );
      }
      await vscode.screenshot((shot = 'lsp-2-squiggle'));
      // E301 says what the reshape needs and what it gets.
      const e301 = await hoverSquiggle(page, 'error', 'E301');
      assert.match(
        e301,
        /`?reshape \[7, 7, 128\]`? needs 7×7×128 = 6272 elements, but the layer before it outputs 12544\./,
      );
      await vscode.screenshot((shot = 'lsp-2-e301-hover'));
      await page.mouse.move(0, 0);
      await page.keyboard.press('Escape');

      // Two quick fixes: reshape what there is, or make the dense produce what the reshape asks for.
      const fixes = await triggerQuickFix(page);
      assert.ok(
        fixes.some((f) => f.includes('reshape [7, 7, 256]')),
        fixes.join(' | '),
      );
      assert.ok(
        fixes.some((f) => f.includes('Change the dense size to 7*7*128 (= 6272)')),
        fixes.join(' | '),
      );
      await vscode.screenshot((shot = 'lsp-3-quickfix-menu'));
      await pickListItem(page, 'reshape [7, 7, 256]');
      await waitForProblemCounts(page, [0, 0]);
      assert.match(await visibleEditorText(page), /reshape \[7, 7, 256\]/);
      await vscode.screenshot((shot = 'lsp-4-fixed'));

      // Break it again and apply the second fix: the dense layer now makes 7×7×128.
      await goToLine(page, reshape.line, reshape.column);
      for (let i = 0; i < 3; i++) await page.keyboard.press('Backspace');
      await typeInEditor(page, '128');
      await waitForProblemCounts(page, [1, 0]);
      await triggerQuickFix(page);
      await pickListItem(page, 'Change the dense size');
      await waitForProblemCounts(page, [0, 0]);
      await saveActiveFile(page);
      const modelFile = join(workspace, 'mnist-dcgan.gan');
      const expectedText = source
        .replace('dense 7*7*256 bias=false', 'dense 7*7*128 bias=false')
        .replace('reshape [7, 7, 256]', 'reshape [7, 7, 128]');
      // The save truncates then writes, so a read can land on an empty file: wait for a whole one.
      await waitUntil(
        async () => {
          const text = readFileSync(modelFile, 'utf8');
          return text !== source && text.length >= expectedText.length;
        },
        'the file saved after the dense-size fix',
        10_000,
      );
      assert.equal(readFileSync(modelFile, 'utf8'), expectedText);
      await waitUntil(
        async () => /→\s*7×7×128/.test(await renderedLine(page, 'reshape [7, 7, 128]')),
        'the reshape to show 7×7×128',
        10_000,
      );
      await vscode.screenshot((shot = 'lsp-4-dense-size-fixed'));

      // Complete an activation value.
      const activation = after('activation=tanh');
      await goToLine(page, activation.line, activation.column);
      for (let i = 0; i < 'tanh'.length; i++) await page.keyboard.press('Backspace');
      await typeInEditor(page, 'ta');
      const labels = await triggerCompletion(page);
      assert.ok(
        labels.some((l) => l.startsWith('tanh')),
        labels.join(' | '),
      );
      await vscode.screenshot((shot = 'lsp-5-completion'));
      await pickListItem(page, 'tanh');
      await waitForProblemCounts(page, [0, 0]);
      assert.match(await visibleEditorText(page), /deconv 1 kernel=5 stride=2 activation=tanh\b/);

      // After `dropout ` the completion offers rates, not words from the file.
      const dropout = after('dropout 0.3');
      await goToLine(page, dropout.line, dropout.column);
      for (let i = 0; i < '0.3'.length; i++) await page.keyboard.press('Backspace');
      const rates = await triggerCompletion(page);
      assert.ok(rates.length > 0, 'some rate is offered');
      assert.ok(
        rates.every((label) => /^0?\.\d+\b/.test(label)),
        `only rates are offered: ${rates.join(' | ')}`,
      );
      await vscode.screenshot((shot = 'lsp-5-dropout-completion'));
      await pickListItem(page, '0.3');
      await waitForProblemCounts(page, [0, 0]);
      assert.match(await renderedLine(page, 'dropout'), /^\s*dropout 0\.3/);

      // A variant: its hover says what it overrides and how it trains; its inlay hints show what it
      // inherits and what each override replaced.
      const variant = after('model dcgan_hinge');
      await goToLine(page, variant.line, 1);
      await waitUntil(
        async () =>
          /inherits generator [\d.]+k · discriminator [\d.]+k params/.test(await visibleEditorText(page)),
        "the variant's inlay hints",
        20_000,
      );
      const variantText = await visibleEditorText(page);
      assert.match(await renderedLine(page, 'loss hinge'), /was loss nonsaturating/);
      assert.match(
        await renderedLine(page, 'optimizer generator'),
        /was optimizer adam lr=2e-4 beta1=0\.5/,
        variantText,
      );
      assert.match(
        await renderedLine(page, 'optimizer discriminator'),
        /was optimizer adam lr=2e-4 beta1=0\.5/,
      );
      await vscode.screenshot((shot = 'lsp-6-variant-inlay-hints'));
      const variantHover = await hoverText(page, 'dcgan_hinge');
      assert.match(variantHover, /extends dcgan_small/);
      assert.match(
        variantHover,
        /Overrides loss, optimizer generator, optimizer discriminator; everything else comes from dcgan_small\./,
      );
      assert.match(variantHover, /data mnist 28×28×1, batch 64/);
      assert.match(variantHover, /loss hinge/);
      assert.match(
        variantHover,
        /optimizer generator adam lr=1e-4 β1=0 β2=0\.9; discriminator adam lr=4e-4 β1=0 β2=0\.9/,
      );
      assert.match(variantHover, /2,000 steps/);
      await vscode.screenshot((shot = 'lsp-7-variant-hover'));
      await page.mouse.move(0, 0);
      await page.keyboard.press('Escape');

      // W405: a learning rate far above the usual range; its quick fix puts the usual one back.
      const lr = after('optimizer adam lr=2e-4');
      await goToLine(page, lr.line, lr.column);
      for (let i = 0; i < '2e-4'.length; i++) await page.keyboard.press('Backspace');
      await typeInEditor(page, '0.5');
      await waitForSquiggle(page, 'warning');
      await waitForProblemCounts(page, [0, 1]);
      const w405 = await hoverSquiggle(page, 'warning', 'W405');
      assert.match(w405, /lr=0\.5 is far above the usual range for adam/);
      await page.mouse.move(0, 0);
      await page.keyboard.press('Escape');
      const lrFixes = await triggerQuickFix(page);
      assert.ok(
        lrFixes.some((f) => f.includes('Use the usual lr=0.0002')),
        lrFixes.join(' | '),
      );
      await vscode.screenshot((shot = 'lsp-8-w405-quickfix'));
      await pickListItem(page, 'Use the usual lr=0.0002');
      await waitForProblemCounts(page, [0, 0]);
      assert.match(await renderedLine(page, 'optimizer adam'), /^\s*optimizer adam lr=0\.0002 beta1=0\.5/);
      await vscode.screenshot((shot = 'lsp-9-w405-fixed'));

      // Activation stays within its budget (the extension logs its own activate() time).
      const activated = await waitForLog(vscode.logsDir, /GAN Studio activated in ([\d.]+) ms/);
      t.diagnostic(`activate() took ${activated[1]} ms`);
      assert.ok(Number(activated[1]) < 100, `activate() took ${activated[1]} ms`);

      // Kill the server: the client starts a new one and diagnostics keep coming.
      const first = await waitForLog(vscode.logsDir, /GAN Language Server started \(pid (\d+)\)/);
      const pid = Number(first[1]);
      process.kill(pid, 'SIGKILL');
      const second = await waitForLog(
        vscode.logsDir,
        /GAN Language Server started \(pid (\d+)\)/,
        (m) => Number(m[1]) !== pid,
      );
      t.diagnostic(`server ${pid} killed; restarted as ${second[1]}`);
      await goToLine(page, reshape.line, reshape.column);
      await page.keyboard.press('Backspace');
      await typeInEditor(page, '5');
      await waitForProblemCounts(page, [1, 0], 30_000);
      await vscode.screenshot((shot = 'lsp-10-after-restart'));
    } catch (error) {
      await vscode.screenshot(`${shot}-failed`).catch(() => undefined);
      throw error;
    } finally {
      await vscode.stop();
      rmSync(workspace, { recursive: true, force: true });
    }
  },
);

/** Polls VS Code's log files (output channels included) for a line matching `pattern`. */
async function waitForLog(
  dir: string,
  pattern: RegExp,
  accept: (match: RegExpMatchArray) => boolean = () => true,
  timeout = 30_000,
): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeout;
  const global = new RegExp(pattern.source, 'g');
  for (;;) {
    for (const file of logFiles(dir)) {
      for (const match of readFileSync(file, 'utf8').matchAll(global)) if (accept(match)) return match;
    }
    if (Date.now() > deadline) throw new Error(`no log line matching ${pattern} under ${dir}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function logFiles(dir: string): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...logFiles(path));
    else if (name.endsWith('.log')) out.push(path);
  }
  return out;
}

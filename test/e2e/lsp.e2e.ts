// The language server in a real VS Code (code-server): squiggles as you type, a quick fix, a completion,
// hover, and the client restarting a server that was killed. Screenshots: test-results/e2e/lsp-*.png.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ensureExtensionBuilt } from '../server/lspHarness';
import {
  copyToWorkspace,
  ensureCodeServer,
  goToLine,
  hoverText,
  openFile,
  pickListItem,
  repoRoot,
  selectors,
  startVSCode,
  triggerCompletion,
  triggerQuickFix,
  typeInEditor,
  visibleEditorText,
  waitForProblemCounts,
  waitForSquiggle,
} from './harness';

const source = readFileSync(join(repoRoot, 'examples', 'mnist-dcgan.gan'), 'utf8');
const lines = source.split('\n');
/** 1-based line and column just after `needle` on the first line containing it. */
function after(needle: string): { line: number; column: number } {
  const index = lines.findIndex((l) => l.includes(needle));
  assert.ok(index >= 0, needle);
  return { line: index + 1, column: lines[index].indexOf(needle) + needle.length + 1 };
}

test(
  'language server in VS Code: squiggle, quick fix, completion, hover, restart',
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
      await openFile(page, 'mnist-dcgan.gan');
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
      await vscode.screenshot((shot = 'lsp-2-squiggle'));

      // Apply the quick fix offered for it.
      const fixes = await triggerQuickFix(page);
      assert.ok(
        fixes.some((f) => f.includes('reshape [7, 7, 256]')),
        fixes.join(' | '),
      );
      await vscode.screenshot((shot = 'lsp-3-quickfix-menu'));
      await pickListItem(page, 'reshape [7, 7, 256]');
      await waitForProblemCounts(page, [0, 0]);
      assert.match(await visibleEditorText(page), /reshape \[7, 7, 256\]/);
      await vscode.screenshot((shot = 'lsp-4-fixed'));

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
      await vscode.screenshot((shot = 'lsp-6-after-restart'));
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

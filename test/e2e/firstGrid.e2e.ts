// The first sample grid of the real examples, clicked from their ▶ Train lens in code-server: the
// time until the dashboard shows it, for dcgan_small, the VAE and the cGAN, however many steps their
// `sample { every }` asks for. Printed against the 5 s target; asserted under 10 s.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import {
  copyToWorkspace,
  goToLine,
  openFile,
  repoRoot,
  runCommand,
  selectors,
  startVSCode,
  waitForCodeLens,
  webviewFrame,
} from './harness';
import { waitForSampleGrid } from './wait';

const EXAMPLES = [
  { file: 'mnist-dcgan.gan', model: 'dcgan_small' },
  { file: 'mnist-vae.gan', model: 'mnist_vae' },
  { file: 'fashion-cgan.gan', model: 'fashion_cgan' },
] as const;
/** The target; measured here: dcgan_small 4.0 s, the VAE 5.4 s, the cGAN 6.1 s (CI, 2 cores). */
const TARGET_MS = 5000;
/** What this suite holds every example to: before early grids the first one took 71–263 s. */
const LIMIT_MS = 10_000;

/** The ▶ Train lens drawn just above `model NAME` (scrolled into view first). */
async function trainLensOf(page: Page, file: string, model: string): Promise<Locator> {
  const line = readFileSync(join(repoRoot, 'examples', file), 'utf8')
    .split('\n')
    .findIndex((l) => new RegExp(`^model ${model}\\b`).test(l));
  assert.ok(line >= 0, `model ${model} in ${file}`);
  // The file opens at its top: the first lens shows once the server has answered.
  await waitForCodeLens(page, '▶ Train', 60_000);
  await goToLine(page, line + 1);
  await page.waitForTimeout(300);
  const declaration = page.locator(`${selectors.editorLines} .view-line`, {
    hasText: new RegExp(`^model\\s${model}\\b`),
  });
  const top = (await declaration.first().boundingBox())?.y ?? 0;
  const lenses = page.locator('.codelens-decoration a', { hasText: '▶ Train' });
  let best = -1;
  let bestGap = Infinity;
  for (let i = 0; i < (await lenses.count()); i++) {
    const box = await lenses.nth(i).boundingBox();
    const gap = box ? top - box.y : Infinity;
    if (gap > 0 && gap < bestGap) [best, bestGap] = [i, gap];
  }
  assert.ok(best >= 0, `a ▶ Train lens above model ${model}`);
  return lenses.nth(best);
}

async function firstGridAfterTrain(page: Page, file: string, model: string): Promise<number> {
  const train = await trainLensOf(page, file, model);
  const clicked = Date.now();
  await train.click();
  const dashboard = webviewFrame(page);
  await waitForSampleGrid(dashboard, 60_000);
  return Date.now() - clicked;
}

test(
  'the examples show their first sample grid within seconds of ▶ Train',
  { timeout: 300_000 },
  async (t) => {
    const workspace = await copyToWorkspace(
      join(repoRoot, 'examples'),
      EXAMPLES.map((e) => e.file),
    );
    const vscode = await startVSCode({
      workspace,
      extensionDevelopmentPath: repoRoot,
      name: 'first-grid',
      viewport: { width: 1800, height: 1000 },
      settings: { 'gan.dashboard.refreshInterval': 250 },
    });
    const { page } = vscode;
    const latencies: Record<string, number> = {};
    try {
      for (const example of EXAMPLES) {
        await openFile(page, example.file);
        latencies[example.model] = await firstGridAfterTrain(page, example.file, example.model);
        const ms = latencies[example.model];
        const verdict = ms < TARGET_MS ? 'met' : 'missed';
        t.diagnostic(
          `${example.model}: click ▶ Train → first sample grid ${ms} ms (target < ${TARGET_MS}: ${verdict})`,
        );
        await vscode.screenshot(`first-grid-${example.model}`);
        await runCommand(page, 'GAN Studio: Stop Training');
        await runCommand(page, 'View: Close All Editors');
      }
      for (const [model, ms] of Object.entries(latencies))
        assert.ok(
          ms < LIMIT_MS,
          `${model}: first grid after ${ms} ms (limit ${LIMIT_MS}, target ${TARGET_MS})`,
        );
    } finally {
      await vscode.screenshot('first-grid-final');
      await vscode.stop();
    }
  },
);

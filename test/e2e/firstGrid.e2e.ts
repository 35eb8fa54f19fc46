// The first sample grid of the real examples, clicked from their ▶ Train lens in code-server: the
// time until the dashboard shows it, for dcgan_small, the VAE and the cGAN, however many steps their
// `sample { every }` asks for. Printed against the 5 s target; asserted under 10 s.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { copyToWorkspace, openFile, repoRoot, runCommand, startVSCode, webviewFrame } from './harness';
import { clickTrainLens } from './trainLens';
import { waitForSampleGrid, waitUntil } from './wait';

const EXAMPLES = [
  { file: 'mnist-dcgan.gan', model: 'dcgan_small' },
  { file: 'mnist-vae.gan', model: 'mnist_vae' },
  { file: 'fashion-cgan.gan', model: 'fashion_cgan' },
] as const;
/** The target. Measured in CI (2 cores): dcgan_small 2.2 s, the VAE 5.2 s, the cGAN 3.9 s;
 *  the VAE's grid is written 1.5–2.1 s after the click, but its dashboard, the second webview of the
 *  session, takes VS Code 3–4 s to start its page. */
const TARGET_MS = 5000;
/** What this suite holds every example to: before early grids the first one took 71–263 s. */
const LIMIT_MS = 10_000;

/** The worker's start-up phases (GAN_STARTUP_TRACE) from the newest run of `model`'s worker.log,
 *  in ms after the click: where the time to the first grid went. */
function startupPhases(workspace: string, model: string, clicked: number): string {
  const runs = join(workspace, '.gan', 'runs');
  const newest = existsSync(runs)
    ? readdirSync(runs)
        .filter((name) => name.startsWith(`${model}-`))
        .sort()
        .pop()
    : undefined;
  const log = newest ? join(runs, newest, 'worker.log') : '';
  if (!log || !existsSync(log)) return 'no worker.log';
  const phases = [
    ...readFileSync(log, 'utf8').matchAll(/gan: startup (.+) at ([\d.]+) s \(unix ms (\d+)\)/g),
  ];
  if (!phases.length) return 'none traced';
  const forked = Number(phases[0][3]) - Number(phases[0][2]) * 1000;
  return [
    `process started ${Math.round(forked - clicked)}`,
    ...phases.map((m) => `${m[1]} ${Number(m[3]) - clicked}`),
  ]
    .map((phase) => `${phase} ms`)
    .join(', ');
}

async function firstGridAfterTrain(
  page: Page,
  file: string,
  model: string,
): Promise<{ clicked: number; ms: number }> {
  const clicked = await clickTrainLens(page, file, model);
  const dashboard = webviewFrame(page);
  await waitForSampleGrid(dashboard, 60_000);
  return { clicked, ms: Date.now() - clicked };
}

function dashboardTabs(page: Page): Locator {
  return page.locator('.tabs-container .tab', { hasText: 'Dashboard:' });
}

/** Stops the run and waits until the dashboard shows it stopped with every grid loaded: a webview
 *  closed while one of its images loads leaves VS Code's webview service worker waiting 30 s for
 *  the answer, and the next webview's page waits with it (measured: 29.7 s to the next first grid). */
async function stopAndSettle(page: Page): Promise<void> {
  await runCommand(page, 'GAN Studio: Stop Training');
  const dashboard = webviewFrame(page);
  await waitUntil(
    async () => /stopped/i.test((await dashboard.locator('.status-badge').first().textContent()) ?? ''),
    'the stopped run in the dashboard',
  );
  await waitUntil(
    () =>
      dashboard.locator('img').evaluateAll((images) => images.every((i) => (i as HTMLImageElement).complete)),
    'the last grid to load',
  );
}

test(
  'the examples show their first sample grid within seconds of ▶ Train',
  { timeout: 300_000 },
  async (t) => {
    // The worker prints its start-up phases into the run's worker.log.
    process.env.GAN_STARTUP_TRACE = '1';
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
      // A researcher trains one example after another with the dashboard left open beside the
      // editor: ▶ Train shows each new run in that dashboard (gan.dashboard.reuseOnTrain).
      for (const example of EXAMPLES) {
        await openFile(page, example.file);
        const { clicked, ms } = await firstGridAfterTrain(page, example.file, example.model);
        latencies[example.model] = ms;
        const verdict = ms < TARGET_MS ? 'met' : 'missed';
        t.diagnostic(
          `${example.model}: click ▶ Train → first sample grid ${ms} ms (target < ${TARGET_MS}: ${verdict}); ` +
            `after the click: ${startupPhases(workspace, example.model, clicked)}`,
        );
        await vscode.screenshot(`first-grid-${example.model}`);
        assert.equal(await dashboardTabs(page).count(), 1, 'one dashboard, reused by each ▶ Train');
        await stopAndSettle(page);
      }
      // After Close All Editors, ▶ Train opens a new webview. In code-server every webview shares
      // one origin, so the new one first waits for VS Code's webview service worker to be replaced
      // (3–4 s on 2 busy cores, before any code of ours runs); desktop VS Code gives each webview
      // its own origin. Printed, and held to the suite's limit.
      await runCommand(page, 'View: Close All Editors');
      const again = EXAMPLES[1];
      await openFile(page, again.file);
      const fresh = await firstGridAfterTrain(page, again.file, again.model);
      t.diagnostic(
        `${again.model} in a new dashboard after Close All Editors: first sample grid ${fresh.ms} ms; ` +
          `after the click: ${startupPhases(workspace, again.model, fresh.clicked)}`,
      );
      latencies[`${again.model} (new dashboard)`] = fresh.ms;
      await stopAndSettle(page);
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

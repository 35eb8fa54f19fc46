// The dashboard's Quality charts, class histogram, mode-collapse warning and "Evaluating…" status
// in real headless Chromium under the real CSP page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { MetricRow, RunSummary } from '../../src/protocol/webview';
import {
  buildDashboard,
  type DashboardServer,
  fixtureRuns,
  gridPng,
  launchChromium,
  newDashboardPage,
  startDashboardServer,
} from './harness';

let browser: Browser;
let server: DashboardServer;
let cleanupBundle: () => void;

before(async () => {
  const bundle = await buildDashboard();
  cleanupBundle = bundle.cleanup;
  server = await startDashboardServer(bundle.script);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  cleanupBundle?.();
});

const run: RunSummary = {
  ...fixtureRuns[0],
  status: 'running',
  step: 2000,
  settings: { ...fixtureRuns[0].settings, 'eval.features': 'MNIST classifier' },
};

/** Losses every 100 steps; evaluations every 500, with coverage collapsing after step 1000. */
function rows(): MetricRow[] {
  const coverage: Record<number, number> = { 500: 0.4, 1000: 0.6, 1500: 0.45, 2000: 0.2 };
  const out: MetricRow[] = [];
  for (let step = 100; step <= 2000; step += 100) {
    const row: Record<string, number> = { step, epoch: 0, time: step / 10, d_loss: 1, g_loss: 1 };
    if (coverage[step] !== undefined) {
      row['eval/fid'] = 80 - step / 50;
      row['eval/kid'] = 50 - step / 100;
      row['eval/coverage'] = coverage[step];
      row['eval/precision'] = 0.6;
      for (let c = 0; c < 10; c++) row[`eval/class/${c}`] = c === 3 ? 0.55 : 0.05;
    }
    out.push(row as MetricRow);
  }
  return out;
}

test('Quality charts name their features; the histogram, the collapse warning and its link work', async () => {
  const dashboard = await newDashboardPage(browser, server);
  await dashboard.open('dark');
  const grids = Array.from({ length: 4 }, (_, i) => ({
    step: (i + 1) * 500,
    uri: server.addFile(`/samples/q-${i}.png`, 'image/png', gridPng(i)),
  }));
  await dashboard.send(
    { type: 'init', runs: [run] },
    { type: 'metrics', runId: run.id, rows: rows() },
    { type: 'samples', runId: run.id, grids },
    { type: 'status', runId: run.id, status: 'running', step: 2000, evaluating: true },
  );
  await dashboard.settle();
  const page = dashboard.page;
  const title = (id: string) => page.$eval(`[data-chart="${id}"] .chart-title`, (e) => e.textContent ?? '');
  assert.equal(await title('quality-fid'), 'Quality: FID (MNIST classifier features)');
  assert.match(
    await title('quality-pr'),
    /precision, recall, density, coverage \(MNIST classifier features\)/,
  );
  assert.equal(await page.$$eval('[data-chart^="metric-eval/class"]', (e) => e.length), 0);
  assert.equal(await page.$eval('.status-badge', (e) => e.textContent), 'Evaluating…');

  assert.equal(await page.$$eval('.histogram-row', (e) => e.length), 10);
  assert.equal(
    await page.$eval('.histogram-caption', (e) => e.textContent),
    'Classes of the samples at step 2000',
  );
  assert.match(
    await page.$eval('.histogram-row:nth-child(4)', (e) => e.getAttribute('title') ?? ''),
    /^3: 55\.0%/,
  );

  const warning = await page.$eval('.collapse-warning', (e) => ({
    hidden: (e as HTMLElement).hidden,
    text: e.textContent ?? '',
  }));
  assert.equal(warning.hidden, false);
  assert.match(warning.text, /Possible mode collapse from step 1500: coverage fell from 60% to 20%/);
  await page.click('.collapse-warning a');
  await dashboard.settle();
  assert.match(await page.$eval('.sample-caption', (e) => e.textContent ?? ''), /1,?500/);
  assert.deepEqual(dashboard.problems, []);
  await page.close();
});

// The dashboard webview in real headless Chromium, under the real CSP page, fed recorded metrics.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { HostToWebviewMessage, MetricRow, RunSummary, SampleGrid } from '../../src/protocol/webview';
import { formatMetric } from '../../src/protocol/format';
import { debiasedEma } from '../../src/webview/dashboard/smoothing';
import {
  buildDashboard,
  type DashboardPage,
  type DashboardServer,
  fixtureRows,
  fixtureRuns,
  gridPng,
  launchChromium,
  newDashboardPage,
  startDashboardServer,
} from './harness';
import { themeAttributes } from './themes';

const [ganA, ganB, vae] = fixtureRuns;
const ganARows = fixtureRows('gan-a');
const ganBRows = fixtureRows('gan-b');
const vaeRows = fixtureRows('vae');
const screenshots = 'test-results/webview';

let browser: Browser;
let server: DashboardServer;
let cleanupBundle: () => void;

before(async () => {
  const bundle = await buildDashboard();
  cleanupBundle = bundle.cleanup;
  server = await startDashboardServer(bundle.script);
  browser = await launchChromium();
  mkdirSync(screenshots, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
  cleanupBundle?.();
});

async function openWith(
  theme: 'dark' | 'light',
  ...messages: HostToWebviewMessage[]
): Promise<DashboardPage> {
  const dashboard = await newDashboardPage(browser, server);
  await dashboard.open(theme);
  if (messages.length > 0) await dashboard.send(...messages);
  return dashboard;
}

function init(...runs: RunSummary[]): HostToWebviewMessage {
  return { type: 'init', runs };
}

function metrics(run: RunSummary, rows: readonly MetricRow[]): HostToWebviewMessage {
  return { type: 'metrics', runId: run.id, rows };
}

function grids(count: number, from = 0): SampleGrid[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return { step: (i + 1) * 100, uri: server.addFile(`/samples/step-${i}.png`, 'image/png', gridPng(i)) };
  });
}

interface ChartState {
  rows: number;
  drawn: number;
  lines: number;
  xAxis: string;
  yScale: string;
  xRange: string;
  zoomed: string;
  /** Legend entries shown (raw lines are hidden): label -> value text. */
  legend: Record<string, string>;
  canvas: string;
  title: string;
  /** The tick labels as drawn on the canvas ('' for an unlabelled tick), and the y scale's range. */
  xTicks: string[];
  yTicks: string[];
  yRange: [number, number];
  axisLabels: string[];
}

async function chart(dashboard: DashboardPage, id: string): Promise<ChartState> {
  return dashboard.page.evaluate((chartId) => {
    const element = document.querySelector<HTMLElement>(`[data-chart="${chartId}"]`);
    if (!element) throw new Error(`no chart ${chartId}`);
    const legend: Record<string, string> = {};
    for (const row of element.querySelectorAll<HTMLElement>('.u-legend .u-series')) {
      if (getComputedStyle(row).display === 'none') continue;
      const label = row.querySelector('.u-label')?.textContent ?? '';
      legend[label] = row.querySelector('.u-value')?.textContent ?? '';
    }
    return {
      rows: Number(element.dataset.rows),
      drawn: Number(element.dataset.drawn),
      lines: Number(element.dataset.lines),
      xAxis: element.dataset.xAxis ?? '',
      yScale: element.dataset.yScale ?? '',
      xRange: element.dataset.xRange ?? '',
      zoomed: element.dataset.zoomed ?? '',
      legend,
      canvas: element.querySelector('canvas')?.toDataURL() ?? '',
      title: element.querySelector('.chart-title')?.textContent ?? '',
      xTicks: JSON.parse(element.dataset.xTicks ?? '[]') as string[],
      yTicks: JSON.parse(element.dataset.yTicks ?? '[]') as string[],
      yRange: (element.dataset.yRange ?? ':').split(':').map(Number) as [number, number],
      axisLabels: JSON.parse(element.dataset.axisLabels ?? '[]') as string[],
    };
  }, id);
}

async function chartIds(dashboard: DashboardPage): Promise<string[]> {
  return dashboard.page.$$eval('[data-chart]', (charts) =>
    charts.map((c) => (c as HTMLElement).dataset.chart ?? ''),
  );
}

function lastSmoothed(rows: readonly MetricRow[], metric: string, weight: number): number {
  const smoothed = debiasedEma(
    rows.map((r) => r[metric]),
    weight,
  );
  return smoothed[smoothed.length - 1];
}

/** The cells' texts of a compare table's rows. */
async function tableRows(dashboard: DashboardPage, name: string): Promise<string[][]> {
  return dashboard.page.$$eval(`[data-table="${name}"] vscode-table-row`, (rows) =>
    rows.map((row) => [...row.querySelectorAll('vscode-table-cell')].map((c) => c.textContent?.trim() ?? '')),
  );
}

/** Labels only at decades (1, 10, 0.01, -100…) and, on a symlog axis, 0; at least one of them. */
function assertDecadeLabels(labels: readonly string[], where: string): void {
  const shown = labels.filter((l) => l !== '');
  assert.ok(shown.length > 0, `${where}: no labelled tick in ${JSON.stringify(labels)}`);
  for (const label of shown) {
    const value = Math.abs(Number(label));
    const exponent = Math.log10(value);
    assert.ok(
      value === 0 || Math.abs(exponent - Math.round(exponent)) < 1e-9,
      `${where}: "${label}" is not a decade (${JSON.stringify(labels)})`,
    );
  }
}

async function sampleSrc(dashboard: DashboardPage): Promise<string> {
  return dashboard.page.$eval('.sample-image', (img) => (img as HTMLImageElement).src);
}

describe('training dashboard webview', { concurrency: false }, () => {
  test('curves grow as rows arrive, on the same plots, without errors under the CSP', async () => {
    const dashboard = await openWith('dark', init(ganA), metrics(ganA, ganARows.slice(0, 100)));
    assert.deepEqual(await chartIds(dashboard), ['losses', 'd-outputs', 'throughput']);
    const first = await chart(dashboard, 'losses');
    assert.equal(first.rows, 100);
    assert.equal(first.drawn, 100);
    assert.equal(first.lines, 2);
    assert.deepEqual(Object.keys(first.legend), ['Step', 'd_loss', 'g_loss']);
    assert.equal((await chart(dashboard, 'd-outputs')).lines, 2);
    // Tag the canvas: an incremental update must keep it.
    await dashboard.page.$eval('[data-chart="losses"] canvas', (c) => c.setAttribute('data-original', 'yes'));

    const bursts: HostToWebviewMessage[] = [];
    for (let from = 100; from < ganARows.length; from += 50)
      bursts.push(metrics(ganA, ganARows.slice(from, from + 50)));
    await dashboard.send(...bursts); // ten messages in one go: one batched redraw
    const grown = await chart(dashboard, 'losses');
    assert.equal(grown.rows, ganARows.length);
    assert.equal(grown.drawn, ganARows.length); // 600 points fit in the plot: nothing dropped
    assert.notEqual(grown.canvas, first.canvas);
    assert.equal(
      await dashboard.page.$$eval('[data-chart="losses"] canvas[data-original]', (c) => c.length),
      1,
    );
    const last = ganARows[ganARows.length - 1];
    assert.equal(grown.legend.Step, String(last.step));
    assert.equal(
      grown.legend.d_loss,
      `${formatMetric(lastSmoothed(ganARows, 'd_loss', 0.6))} (raw ${formatMetric(last.d_loss)})`,
    );

    // The read-out is keyboard-driven too.
    await dashboard.page.focus('[data-chart="losses"] .chart-plot');
    await dashboard.page.keyboard.press('End');
    await dashboard.page.keyboard.press('ArrowLeft');
    await dashboard.settle();
    const previous = ganARows[ganARows.length - 2];
    const readOut = await chart(dashboard, 'losses');
    assert.equal(readOut.legend.Step, String(previous.step));
    assert.match(
      readOut.legend.g_loss,
      new RegExp(`\\(raw ${formatMetric(previous.g_loss).replace('.', '\\.')}\\)$`),
    );
    await dashboard.page.keyboard.press('Home');
    await dashboard.settle();
    assert.equal((await chart(dashboard, 'losses')).legend.Step, '1');
    assert.deepEqual(dashboard.problems, []);
    await dashboard.page.close();
  });

  test("the smoothing slider applies TensorBoard's debiased EMA to the drawn line", async () => {
    const dashboard = await openWith('dark', init(ganA), metrics(ganA, ganARows));
    const before = await chart(dashboard, 'losses');
    await dashboard.page.focus('#smoothing');
    await dashboard.page.keyboard.press('End');
    await dashboard.settle();
    assert.equal(await dashboard.page.$eval('#smoothing', (s) => (s as HTMLInputElement).value), '0.99');
    const heavy = await chart(dashboard, 'losses');
    assert.notEqual(heavy.canvas, before.canvas);
    const last = ganARows[ganARows.length - 1];
    assert.equal(
      heavy.legend.g_loss,
      `${formatMetric(lastSmoothed(ganARows, 'g_loss', 0.99))} (raw ${formatMetric(last.g_loss)})`,
    );
    await dashboard.page.keyboard.press('Home');
    await dashboard.settle();
    const none = await chart(dashboard, 'losses');
    assert.equal(none.legend.g_loss, formatMetric(last.g_loss));
    assert.notEqual(none.canvas, heavy.canvas);
    assert.notEqual(none.canvas, before.canvas);
    await dashboard.page.close();
  });

  test('dragging zooms into a range that new rows keep, double-click resets', async () => {
    const dashboard = await openWith('dark', init(ganA), metrics(ganA, ganARows.slice(0, 500)));
    const over = await dashboard.page.$('[data-chart="losses"] .u-over');
    const box = await over?.boundingBox();
    assert.ok(box);
    const y = box.y + box.height / 2;
    await dashboard.page.mouse.move(box.x + box.width * 0.3, y);
    await dashboard.page.mouse.down();
    await dashboard.page.mouse.move(box.x + box.width * 0.45, y, { steps: 5 });
    await dashboard.page.mouse.move(box.x + box.width * 0.6, y, { steps: 5 });
    await dashboard.page.mouse.up();
    await dashboard.settle();
    await dashboard.settle();
    const zoomed = await chart(dashboard, 'losses');
    assert.equal(zoomed.zoomed, 'true');
    const [min, max] = zoomed.xRange.split(':').map(Number);
    assert.ok(min > 100 && min < 200 && max > 250 && max < 350, `zoomed to ${zoomed.xRange}`);
    assert.ok(zoomed.drawn < 200, `${zoomed.drawn} points drawn for the zoomed range`);

    await dashboard.send(metrics(ganA, ganARows.slice(500)));
    const stillZoomed = await chart(dashboard, 'losses');
    assert.equal(stillZoomed.rows, 600);
    assert.equal(stillZoomed.xRange, zoomed.xRange);

    await dashboard.page.mouse.dblclick(box.x + box.width / 2, y);
    await dashboard.settle();
    const reset = await chart(dashboard, 'losses');
    assert.equal(reset.zoomed, 'false');
    assert.equal(reset.xRange, '1:600');
    assert.equal(reset.drawn, 600);
    await dashboard.page.close();
  });

  test('the sample slider steps back through every grid and follows new ones at the end', async () => {
    const written = grids(3);
    const dashboard = await openWith('dark', init(ganA), { type: 'samples', runId: ganA.id, grids: written });
    assert.equal(await sampleSrc(dashboard), written[2].uri);
    const loaded = await dashboard.page.$eval(
      '.sample-image',
      (img) => (img as HTMLImageElement).naturalWidth,
    );
    assert.equal(loaded, 32); // the PNG really loaded under the CSP's img-src

    await dashboard.page.focus('#sample-step');
    await dashboard.page.keyboard.press('ArrowLeft');
    await dashboard.settle();
    assert.equal(await sampleSrc(dashboard), written[1].uri);
    await dashboard.page.keyboard.press('Home');
    await dashboard.settle();
    assert.equal(await sampleSrc(dashboard), written[0].uri);
    assert.match(
      await dashboard.page.$eval('.sample-caption', (c) => c.textContent ?? ''),
      /^Step 100 · 1 of 3$/,
    );

    // A new grid does not move a user who went back...
    const fourth = grids(1, 3);
    await dashboard.send({ type: 'samples', runId: ganA.id, grids: fourth });
    assert.equal(await sampleSrc(dashboard), written[0].uri);
    // ...but at the end of the slider the latest grid is followed.
    await dashboard.page.focus('#sample-step');
    await dashboard.page.keyboard.press('End');
    await dashboard.settle();
    assert.equal(await sampleSrc(dashboard), fourth[0].uri);
    const fifth = grids(1, 4);
    await dashboard.send({ type: 'samples', runId: ganA.id, grids: fifth });
    assert.equal(await sampleSrc(dashboard), fifth[0].uri);
    assert.match(
      await dashboard.page.$eval('.sample-caption', (c) => c.textContent ?? ''),
      /5 of 5 \(latest\)/,
    );
    await dashboard.page.close();
  });

  test('the header shows the run and Stop posts a stop message while it trains', async () => {
    const dashboard = await openWith('dark', init(ganA), metrics(ganA, ganARows), {
      type: 'status',
      runId: ganA.id,
      status: 'running',
      step: 1234,
      imagesPerSec: 812.4,
      etaSeconds: 125,
    });
    const text = (selector: string) => dashboard.page.$eval(selector, (e) => e.textContent ?? '');
    assert.equal(await text('.run-model'), 'mnist_gan');
    assert.equal(await text('.family-badge'), 'gan');
    assert.equal(await text('.status-badge'), 'Running');
    assert.equal(await text('.run-device'), 'tensorflow · CPU (tfjs-node, 2 threads)');
    assert.equal(await text('[data-stat="step"]'), '1,234 / 2,000');
    assert.equal(await text('[data-stat="speed"]'), '812');
    assert.equal(await text('[data-stat="eta"]'), '2m05s');

    await dashboard.page.click('.stop-button');
    await dashboard.page.click('.preview-button');
    const posted = await dashboard.posted();
    assert.deepEqual(posted, [
      { type: 'ready' },
      { type: 'stop', runId: ganA.id },
      { type: 'openPreview', runId: ganA.id },
    ]);

    await dashboard.send({ type: 'status', runId: ganA.id, status: 'stopped', step: 1240 });
    assert.equal(await text('.status-badge'), 'Stopped');
    assert.equal(await dashboard.page.$eval('.stop-button', (b) => b.hasAttribute('disabled')), true);
    await dashboard.page.click('.stop-button', { force: true });
    assert.equal((await dashboard.posted()).filter((m) => (m as { type: string }).type === 'stop').length, 1);
    await dashboard.page.close();
  });

  test('charts label their axes, fit their tick labels, and share one crosshair with a readout', async () => {
    const huge = ganARows.map((r) => ({ ...r, g_loss: r.g_loss * 1e9 }));
    const dashboard = await openWith('dark', init(ganA), metrics(ganA, huge));
    const axisLabels = (id: string) =>
      dashboard.page.$eval(`[data-chart="${id}"]`, (c) =>
        JSON.parse((c as HTMLElement).dataset.axisLabels ?? '[]'),
      );
    assert.deepEqual(await axisLabels('losses'), ['step', 'loss']);
    assert.deepEqual(await axisLabels('d-outputs'), ['step', 'D(x), probability']);
    assert.deepEqual(await axisLabels('throughput'), ['step', 'images/s']);
    // Values near 1e9: the y axis is wide enough for "1.2e+9"-style labels, not a fixed 56 px.
    const axisWidth = await dashboard.page.$eval('[data-chart="losses"]', (c) =>
      Number((c as HTMLElement).dataset.yAxisWidth),
    );
    assert.ok(axisWidth > 56, `y axis ${axisWidth}px`);

    // Hovering one chart moves the crosshair of every chart, each with its values beside it.
    const over = await dashboard.page.$eval('[data-chart="losses"] .u-over', (o) => {
      const r = o.getBoundingClientRect();
      return { x: r.left + r.width * 0.3, y: r.top + r.height / 2 };
    });
    await dashboard.page.mouse.move(over.x, over.y);
    await dashboard.settle();
    const readouts = await dashboard.page.$$eval('.cursor-readout', (rs) =>
      rs.filter((r) => !(r as HTMLElement).hidden).map((r) => r.textContent ?? ''),
    );
    assert.equal(readouts.length, 3, readouts.join(' | '));
    const steps = readouts.map((r) => r.split('\n')[0]);
    assert.equal(new Set(steps).size, 1, `one step everywhere: ${steps.join(', ')}`);
    assert.match(steps[0], /^step \d+$/);
    assert.ok(Number(steps[0].slice(5)) < 600, 'the hovered step, not the latest');
    assert.match(readouts[1], /d_fake: [\d.]+\nd_real: [\d.]+/);
    await dashboard.page.screenshot({ path: `${screenshots}/dark-crosshair.png` });
    assert.deepEqual(dashboard.problems, []);
    await dashboard.page.close();
  });

  test('beside an editor (700 px wide) the sample grid shows without scrolling, above the charts', async () => {
    const dashboard = await openWith('dark', init(ganA), metrics(ganA, ganARows), {
      type: 'samples',
      runId: ganA.id,
      grids: grids(2),
    });
    await dashboard.page.setViewportSize({ width: 700, height: 900 });
    await dashboard.settle();
    const box = await dashboard.page.$eval('img.sample-image', (i) => {
      const r = i.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, width: r.width };
    });
    assert.ok(box.bottom <= 900, `the grid ends at ${box.bottom}px`);
    assert.ok(box.width >= 200, `the grid is ${box.width}px wide`);
    const firstChart = await dashboard.page.$eval('[data-chart]', (c) => c.getBoundingClientRect().top);
    assert.ok(firstChart > box.top, 'samples come before the charts');
    await dashboard.page.screenshot({ path: `${screenshots}/dark-half-width.png` });
    await dashboard.page.close();
  });

  test('cGAN training grids are labelled with the class of each row; GAN grids are not', async () => {
    const cganRun: RunSummary = {
      ...ganA,
      family: 'cgan',
      rows: { grid: [4, 4], classes: 3, classNames: ['circle', 'square', 'triangle'], latent: 8 },
    };
    const dashboard = await openWith('dark', init(cganRun), metrics(cganRun, ganARows), {
      type: 'samples',
      runId: cganRun.id,
      grids: grids(1),
    });
    const labels = () =>
      dashboard.page.$$eval('.samples .row-label', (ls) => ls.map((l) => l.textContent ?? ''));
    // Row r shows class r mod 3.
    assert.deepEqual(await labels(), ['circle', 'square', 'triangle', 'circle']);
    await dashboard.page.screenshot({ path: `${screenshots}/dark-cgan-row-labels.png` });
    await dashboard.send(
      init({ ...ganA, rows: { grid: [4, 4], classes: null, classNames: null, latent: 8 } }),
    );
    assert.deepEqual(await labels(), []);
    assert.equal(await dashboard.page.$eval('.samples .row-labels', (l) => (l as HTMLElement).hidden), true);
    await dashboard.page.close();
  });

  test('a completed but unhealthy run says so in the badge, with each problem and what to try', async () => {
    const dashboard = await openWith('light', init(ganA), metrics(ganA, ganARows), {
      type: 'status',
      runId: ganA.id,
      status: 'completed',
      step: 2000,
      health: [
        {
          signal: 'saturated',
          step: 600,
          message: 'the discriminator wins outright: D(real) 1 and D(fake) 0 over the last 200 steps',
          advice: 'Slow the discriminator down.',
        },
        {
          signal: 'diverging',
          step: 650,
          message: 'g_loss grew from about 0.9 to 9e+8',
          advice: 'Try a lower lr.',
        },
      ],
    });
    const text = (selector: string) => dashboard.page.$eval(selector, (e) => e.textContent ?? '');
    assert.equal(await text('.status-badge'), 'Completed — unhealthy');
    assert.equal(
      await dashboard.page.$eval('.status-badge', (b) => (b as HTMLElement).dataset.status),
      'unhealthy',
    );
    const problems = await dashboard.page.$$eval('.health-problem', (ps) => ps.map((p) => p.textContent));
    assert.deepEqual(problems, [
      'discriminator saturated (from step 600): the discriminator wins outright: D(real) 1 and D(fake) 0 over the last 200 steps. Slow the discriminator down.',
      'diverging (from step 650): g_loss grew from about 0.9 to 9e+8. Try a lower lr.',
    ]);
    await dashboard.page.screenshot({ path: `${screenshots}/light-unhealthy-run.png` });
    // A healthy status clears it.
    await dashboard.send({ type: 'status', runId: ganA.id, status: 'completed', step: 2000 });
    assert.equal(await text('.status-badge'), 'Completed');
    assert.equal(await dashboard.page.$eval('.run-health', (h) => (h as HTMLElement).hidden), true);
    assert.deepEqual(dashboard.problems, []);
    await dashboard.page.close();
  });

  test('compare never puts probabilities and raw critic scores, or different losses, on one axis', async () => {
    const probability: RunSummary = {
      ...ganA,
      settings: { ...ganA.settings, loss: 'nonsaturating' },
      criticReadout: 'probability',
    };
    const hinge: RunSummary = {
      ...ganB,
      settings: { ...ganB.settings, loss: 'hinge' },
      criticReadout: 'score',
    };
    const dashboard = await openWith(
      'dark',
      init(probability, hinge),
      metrics(probability, ganARows),
      metrics(hinge, ganBRows),
    );
    const ids = await chartIds(dashboard);
    for (const id of [
      'metric-d_real-probability',
      'metric-d_real-raw-critic-score-hinge',
      'metric-d_loss-nonsaturating-loss',
      'metric-d_loss-hinge-loss',
    ])
      assert.ok(ids.includes(id), `${id} in ${ids.join(', ')}`);
    assert.ok(!ids.includes('metric-d_real'));
    const scores = await chart(dashboard, 'metric-d_real-raw-critic-score-hinge');
    assert.equal(scores.lines, 1);
    assert.match(scores.title, /d_real · Discriminator outputs · raw critic score \(hinge\)/);
    // Throughput means the same for both: one chart, both runs.
    assert.equal((await chart(dashboard, 'metric-images_per_sec')).lines, 2);

    // The final metrics table splits the same way: a row per meaning, labelled with it.
    const finals = await tableRows(dashboard, 'final-metrics');
    const last = (rows: readonly MetricRow[], metric: string) => formatMetric(rows.at(-1)?.[metric]);
    const row = (label: string) => finals.find((r) => r[0] === label);
    assert.deepEqual(row('d_real · probability'), ['d_real · probability', last(ganARows, 'd_real'), '—']);
    assert.deepEqual(row('d_real · raw critic score (hinge)'), [
      'd_real · raw critic score (hinge)',
      '—',
      last(ganBRows, 'd_real'),
    ]);
    assert.deepEqual(row('d_fake · probability')?.slice(1), [last(ganARows, 'd_fake'), '—']);
    assert.deepEqual(row('d_loss · nonsaturating loss')?.slice(1), [last(ganARows, 'd_loss'), '—']);
    assert.deepEqual(row('d_loss · hinge loss')?.slice(1), ['—', last(ganBRows, 'd_loss')]);
    assert.deepEqual(row('g_loss · hinge loss')?.slice(1), ['—', last(ganBRows, 'g_loss')]);
    for (const mixed of ['d_real', 'd_fake', 'd_loss', 'g_loss'])
      assert.equal(row(mixed), undefined, `no row mixes the meanings of ${mixed}`);
    assert.deepEqual(row('images_per_sec')?.slice(1), [
      last(ganARows, 'images_per_sec'),
      last(ganBRows, 'images_per_sec'),
    ]);
    await dashboard.page.$eval('.final-metrics-table', (t) => t.scrollIntoView());
    await dashboard.page.screenshot({ path: `${screenshots}/dark-compare-meanings.png`, fullPage: true });
    assert.deepEqual(dashboard.problems, []);
    await dashboard.page.close();
  });

  test('a run of a few steps labels each step of its x axis once', async () => {
    const dashboard = await openWith('dark', init(ganA), metrics(ganA, ganARows.slice(0, 3)));
    for (const id of await chartIds(dashboard)) {
      const { xTicks } = await chart(dashboard, id);
      assert.deepEqual(xTicks, ['1', '2', '3'], `${id}: ${JSON.stringify(xTicks)}`);
    }
    // A few more steps: still whole steps, each once.
    await dashboard.send(metrics(ganA, ganARows.slice(3, 7)));
    const { xTicks } = await chart(dashboard, 'losses');
    assert.equal(new Set(xTicks).size, xTicks.length, JSON.stringify(xTicks));
    assert.ok(xTicks.length >= 4 && xTicks.every((t) => /^\d+$/.test(t)), JSON.stringify(xTicks));
    await dashboard.page.screenshot({ path: `${screenshots}/dark-few-steps.png` });
    assert.deepEqual(dashboard.problems, []);
    await dashboard.page.close();
  });

  test('a VAE run: reconstruction and KL on charts of their own, learning rates and gradient norms too', async () => {
    const dashboard = await openWith('dark', init(vae), metrics(vae, vaeRows));
    assert.deepEqual(await chartIds(dashboard), [
      'losses',
      'vae-recon',
      'vae-kl',
      'grad-norms',
      'learning-rates',
      'throughput',
    ]);
    const recon = await chart(dashboard, 'vae-recon');
    const kl = await chart(dashboard, 'vae-kl');
    assert.deepEqual(Object.keys(recon.legend), ['Step', 'recon']);
    assert.deepEqual(Object.keys(kl.legend), ['Step', 'kl']);
    assert.deepEqual(kl.axisLabels, ['step', 'nats per image']);
    // The KL axis spans the KL values (0.18 to 18), not the reconstruction's hundreds: not flat.
    const klValues = vaeRows.map((r) => r.kl);
    const [klMin, klMax] = [Math.min(...klValues), Math.max(...klValues)];
    const [yMin, yMax] = kl.yRange;
    assert.ok(yMin <= klMin && yMax >= klMax, `kl axis ${yMin}..${yMax}`);
    assert.ok(yMax - yMin < 2 * (klMax - klMin), `kl axis ${yMin}..${yMax} for ${klMin}..${klMax}`);
    assert.ok(recon.yRange[0] > klMax, `recon axis ${recon.yRange.join('..')}`);

    const last = vaeRows[vaeRows.length - 1];
    const rates = await chart(dashboard, 'learning-rates');
    assert.deepEqual(Object.keys(rates.legend), ['Step', 'lr/decoder', 'lr/encoder']);
    assert.deepEqual(rates.axisLabels, ['step', 'learning rate']);
    assert.equal(rates.drawn, vaeRows.length);
    assert.equal(
      rates.legend['lr/encoder'],
      `${formatMetric(0.001)} (raw ${formatMetric(last['lr/encoder'])})`,
    );
    assert.ok(rates.yTicks.includes('0.001'), JSON.stringify(rates.yTicks));
    const norms = await chart(dashboard, 'grad-norms');
    assert.deepEqual(Object.keys(norms.legend), ['Step', 'grad_norm/decoder', 'grad_norm/encoder']);
    assert.deepEqual(norms.axisLabels, ['step', 'global L2 norm']);
    assert.equal(norms.drawn, vaeRows.length);
    for (const metric of ['grad_norm/decoder', 'grad_norm/encoder'])
      assert.equal(
        norms.legend[metric],
        `${formatMetric(lastSmoothed(vaeRows, metric, 0.6))} (raw ${formatMetric(last[metric])})`,
      );
    await dashboard.page.screenshot({ path: `${screenshots}/dark-vae-single.png`, fullPage: true });
    assert.deepEqual(dashboard.problems, []);
    await dashboard.page.close();
  });

  test('a log scale labels decades only; so does the symlog a value <= 0 turns it into', async () => {
    const dashboard = await openWith('dark', init(vae), metrics(vae, vaeRows));
    await dashboard.page.click('#log-scale');
    await dashboard.settle();
    for (const id of ['losses', 'vae-recon', 'vae-kl', 'grad-norms']) {
      const state = await chart(dashboard, id);
      assert.equal(state.yScale, 'log', id);
      assertDecadeLabels(state.yTicks, id);
    }
    // KL runs from 0.18 to 18: an axis of whole decades, 0.1 to 100, unlabelled ticks between them.
    const { yTicks } = await chart(dashboard, 'vae-kl');
    assert.deepEqual(
      yTicks.filter((t) => t !== ''),
      ['0.1', '1', '10', '100'],
    );
    assert.ok(yTicks.filter((t) => t === '').length > 3, JSON.stringify(yTicks));
    // A constant learning rate (smoothed: a rounding error apart) still gets an axis, a decade each side.
    const rates = await chart(dashboard, 'learning-rates');
    assert.deepEqual(rates.yRange, [1e-4, 1e-2]);
    assert.deepEqual(
      rates.yTicks.filter((t) => t !== ''),
      ['1e-4', '0.001', '0.01'],
    );
    await dashboard.page.screenshot({ path: `${screenshots}/dark-log-scale.png`, fullPage: true });

    // A WGAN-like critic loss below 0: the losses chart turns symlog, labelled at 0 and ±decades.
    await dashboard.send(
      init(ganA),
      metrics(
        ganA,
        ganARows.map((r) => ({ ...r, d_loss: (r.d_loss - 1) * 40 })),
      ),
    );
    const symlog = await chart(dashboard, 'losses');
    assert.equal(symlog.yScale, 'symlog');
    assertDecadeLabels(symlog.yTicks, 'symlog losses');
    const shown = symlog.yTicks.filter((t) => t !== '');
    assert.ok(shown.includes('0') && shown.some((t) => t.startsWith('-')), JSON.stringify(symlog.yTicks));
    await dashboard.page.screenshot({ path: `${screenshots}/dark-symlog-scale.png`, fullPage: true });
    assert.deepEqual(dashboard.problems, []);
    await dashboard.page.close();
  });

  test('"Align x range" shows only the steps every compared run reached, until unticked', async () => {
    const dashboard = await openWith('dark', init(ganA, vae), metrics(ganA, ganARows), metrics(vae, vaeRows));
    assert.equal(
      await dashboard.page.$eval('#align-x', (b) => b.closest('.control')?.hasAttribute('hidden')),
      false,
    );
    const before = await chart(dashboard, 'metric-images_per_sec');
    assert.equal(Number(before.xRange.split(':')[1]) >= 600, true, before.xRange);
    await dashboard.page.click('#align-x');
    await dashboard.settle();
    const aligned = await chart(dashboard, 'metric-images_per_sec');
    const [from, to] = aligned.xRange.split(':').map(Number);
    assert.equal(to, 400, `the VAE's last step: ${aligned.xRange}`);
    assert.ok(from <= ganARows[0].step + 1, aligned.xRange);
    assert.equal(aligned.zoomed, 'false', 'an alignment, not a user zoom');
    await dashboard.page.screenshot({ path: `${screenshots}/dark-compare-aligned.png`, fullPage: true });
    await dashboard.page.click('#align-x');
    await dashboard.settle();
    assert.ok(Number((await chart(dashboard, 'metric-images_per_sec')).xRange.split(':')[1]) >= 600);
    // One run: nothing to align.
    await dashboard.page.click('[data-table="runs"] vscode-table-row:nth-child(2) vscode-checkbox');
    await dashboard.settle();
    assert.equal(
      await dashboard.page.$eval('#align-x', (b) => b.closest('.control')?.hasAttribute('hidden')),
      true,
    );
    assert.deepEqual(dashboard.problems, []);
    await dashboard.page.close();
  });

  test('comparing, the other runs grids show beside the focused one at the same step', async () => {
    const dashboard = await openWith(
      'dark',
      init(ganA, ganB),
      metrics(ganA, ganARows),
      metrics(ganB, ganBRows),
      { type: 'samples', runId: ganA.id, grids: grids(4) },
      // ganB's grids: steps 100 and 200 only.
      { type: 'samples', runId: ganB.id, grids: grids(2, 10).map((g, i) => ({ ...g, step: (i + 1) * 100 })) },
    );
    const compared = () =>
      dashboard.page.$$eval('.compared-run figcaption', (cs) => cs.map((c) => c.textContent ?? ''));
    const differs = () =>
      dashboard.page.$$eval('.compared-run .shown-step', (ss) =>
        ss.map((s) => s.classList.contains('differs')),
      );
    const slideTo = async (index: number) => {
      await dashboard.page.$eval(
        '#sample-step',
        (slider, value) => {
          (slider as HTMLInputElement).value = String(value);
          slider.dispatchEvent(new Event('input', { bubbles: true }));
        },
        index,
      );
      await dashboard.settle();
    };
    // ganA (focused) shows its latest, step 400; ganB has no grid there: its nearest, step 200,
    // says so under it.
    assert.deepEqual(await compared(), ['mnist_gan 10:30:00 · step 200 (no grid at 400)']);
    assert.deepEqual(await differs(), [true]);
    assert.match(await dashboard.page.$eval('.compared-title', (t) => t.textContent ?? ''), /at step 400$/);
    await dashboard.page.screenshot({
      path: `${screenshots}/dark-compare-samples-other-step.png`,
      fullPage: true,
    });
    // Back to step 200 and 100 on the slider: ganB shows its grid of that very step, unmarked.
    await slideTo(1);
    assert.deepEqual(await compared(), ['mnist_gan 10:30:00 · step 200']);
    assert.deepEqual(await differs(), [false]);
    await slideTo(0);
    assert.deepEqual(await compared(), ['mnist_gan 10:30:00 · step 100']);
    assert.equal(
      await dashboard.page.$eval('.compared-image', (i) => (i as HTMLImageElement).alt),
      'mnist_gan 10:30:00 at step 100',
    );
    await dashboard.page.screenshot({ path: `${screenshots}/dark-compare-samples.png`, fullPage: true });
    // Step 300: none there either; the nearest is 200.
    await slideTo(2);
    assert.deepEqual(await compared(), ['mnist_gan 10:30:00 · step 200 (no grid at 300)']);
    // One run: no comparison strip.
    await dashboard.page.click('[data-table="runs"] vscode-table-row:nth-child(2) vscode-checkbox');
    await dashboard.settle();
    assert.equal(await dashboard.page.$eval('.compared-samples', (c) => (c as HTMLElement).hidden), true);
    assert.deepEqual(dashboard.problems, []);
    await dashboard.page.close();
  });

  test('compare overlays runs per metric, with their differing settings and final metrics', async () => {
    const dashboard = await openWith(
      'dark',
      init(ganA, ganB, vae),
      metrics(ganA, ganARows),
      metrics(ganB, ganBRows),
      metrics(vae, vaeRows),
    );
    const ids = await chartIds(dashboard);
    for (const id of ['metric-d_loss', 'metric-g_loss', 'metric-loss', 'metric-kl', 'metric-images_per_sec'])
      assert.ok(ids.includes(id), `${id} in ${ids.join(', ')}`);
    const dLoss = await chart(dashboard, 'metric-d_loss');
    assert.equal(dLoss.lines, 2);
    assert.deepEqual(Object.keys(dLoss.legend), ['Step', 'mnist_gan 10:15:00', 'mnist_gan 10:30:00']);
    assert.equal((await chart(dashboard, 'metric-kl')).lines, 1);
    const throughput = await chart(dashboard, 'metric-images_per_sec');
    assert.equal(throughput.lines, 3);
    // Not hovering, the VAE (400 steps) says its own step under the header's 600.
    assert.match(throughput.legend['fashion_vae 10:45:00'] ?? '', /at step 400$/);
    assert.doesNotMatch(throughput.legend['mnist_gan 10:15:00'] ?? '', /at step/);
    const colours = await dashboard.page.$$eval(
      '[data-chart="metric-d_loss"] .u-series:not(.raw-series) .u-marker',
      (m) => m.map((marker) => getComputedStyle(marker).borderColor),
    );
    assert.equal(new Set(colours.slice(1)).size, 2, `one colour per run: ${colours.join(' ')}`);

    const settings = await tableRows(dashboard, 'settings');
    assert.deepEqual(
      settings.map((r) => r[0]),
      [
        'discriminator.hidden',
        'generator.hidden',
        'kl_weight',
        'latent',
        'train.beta1',
        'train.lr',
        'train.seed',
      ],
    );
    assert.deepEqual(
      settings.find((r) => r[0] === 'train.lr'),
      ['train.lr', '0.0002', '0.0005', '0.001'],
    );
    // The VAE stopped at step 400, the GANs at 600: every run is read at step 400.
    const finals = await tableRows(dashboard, 'final-metrics');
    const at400 = (rows: readonly MetricRow[]) => rows.filter((r) => r.step <= 400).at(-1)?.d_loss;
    assert.deepEqual(
      finals.find((r) => r[0] === 'd_loss'),
      ['d_loss', formatMetric(at400(ganARows)), formatMetric(at400(ganBRows)), '—'],
    );
    assert.notEqual(formatMetric(at400(ganARows)), formatMetric(ganARows.at(-1)?.d_loss));
    assert.equal(
      await dashboard.page.$eval('.final-metrics-table', (t) => t.previousElementSibling?.textContent),
      'Metrics at step 400, the last all compared runs reached',
    );
    await dashboard.page.screenshot({ path: `${screenshots}/dark-compare.png`, fullPage: true });

    // Untick the VAE: two GANs remain, so the d_loss chart stays; the VAE's charts go.
    await dashboard.page.click('[data-table="runs"] vscode-table-row:nth-child(3) vscode-checkbox');
    await dashboard.settle();
    assert.deepEqual((await dashboard.posted()).at(-1), { type: 'selectRuns', runIds: [ganA.id, ganB.id] });
    assert.equal((await chartIds(dashboard)).includes('metric-kl'), false);
    assert.deepEqual(
      (await tableRows(dashboard, 'settings')).map((r) => r[0]),
      ['discriminator.hidden', 'generator.hidden', 'train.lr', 'train.seed'],
    );
    // Untick the second GAN: one run left, back to grouped charts.
    await dashboard.page.click('[data-table="runs"] vscode-table-row:nth-child(2) vscode-checkbox');
    await dashboard.settle();
    assert.deepEqual(await chartIds(dashboard), ['losses', 'd-outputs', 'throughput']);
    assert.deepEqual((await dashboard.posted()).at(-1), { type: 'selectRuns', runIds: [ganA.id] });
    // The last ticked run cannot be unticked.
    const postedBefore = (await dashboard.posted()).length;
    await dashboard.page.click('[data-table="runs"] vscode-table-row:nth-child(1) vscode-checkbox');
    await dashboard.settle();
    assert.equal((await dashboard.posted()).length, postedBefore);
    const ticked = await dashboard.page.$$eval('[data-table="runs"] vscode-checkbox', (boxes) =>
      boxes.map((b) => (b as HTMLElement & { checked: boolean }).checked),
    );
    assert.deepEqual(ticked, [true, false, false]);
    assert.deepEqual(dashboard.problems, []);
    await dashboard.page.close();
  });

  test('smoothing, x axis, log scale and the picked grid survive a reload', async () => {
    const written = grids(3);
    const history = [
      init(ganA),
      metrics(ganA, ganARows),
      { type: 'samples', runId: ganA.id, grids: written },
    ] as const;
    const dashboard = await openWith('dark', ...history);
    await dashboard.page.focus('#smoothing');
    for (let i = 0; i < 3; i++) await dashboard.page.keyboard.press('ArrowLeft');
    await dashboard.page.$eval('#x-axis', (select) => {
      (select as HTMLElement & { value: string }).value = 'time';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await dashboard.page.click('#log-scale');
    await dashboard.page.focus('#sample-step');
    await dashboard.page.keyboard.press('ArrowLeft');
    await dashboard.settle();
    const beforeReload = await chart(dashboard, 'losses');
    assert.equal(beforeReload.xAxis, 'time');
    assert.equal(beforeReload.yScale, 'log');

    await dashboard.page.reload();
    await dashboard.page.waitForFunction(() =>
      (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
    );
    await dashboard.send(...history);
    assert.equal(await dashboard.page.$eval('#smoothing', (s) => (s as HTMLInputElement).value), '0.57');
    assert.equal(
      await dashboard.page.$eval('#x-axis', (s) => (s as HTMLElement & { value: string }).value),
      'time',
    );
    assert.equal(
      await dashboard.page.$eval('#log-scale', (c) => (c as HTMLElement & { checked: boolean }).checked),
      true,
    );
    assert.equal(await sampleSrc(dashboard), written[1].uri);
    const afterReload = await chart(dashboard, 'losses');
    assert.equal(afterReload.xAxis, 'time');
    assert.equal(afterReload.yScale, 'log');
    assert.equal(afterReload.legend.Time, `${Number(ganARows.at(-1)?.time.toFixed(1))}s`);
    assert.equal(afterReload.canvas, beforeReload.canvas);
    await dashboard.page.close();
  });

  test('light and dark themes: charts take their colours from the VS Code variables', async () => {
    const markerColours: Record<string, string> = {};
    for (const theme of ['light', 'dark'] as const) {
      const dashboard = await openWith(
        theme,
        init(ganA),
        metrics(ganA, ganARows),
        { type: 'samples', runId: ganA.id, grids: grids(3) },
        { type: 'status', runId: ganA.id, status: 'running', step: 600, imagesPerSec: 11200, etaSeconds: 95 },
      );
      markerColours[theme] = await dashboard.page.$eval(
        '[data-chart="losses"] .u-series:nth-child(4) .u-marker',
        (m) => getComputedStyle(m).borderColor,
      );
      await dashboard.page.screenshot({ path: `${screenshots}/${theme}-single.png`, fullPage: true });
      assert.deepEqual(dashboard.problems, []);
      await dashboard.page.close();
    }
    // --vscode-charts-blue: #1a85ff in Light Modern, #3794ff in Dark Modern.
    assert.equal(markerColours.light, 'rgb(26, 133, 255)');
    assert.equal(markerColours.dark, 'rgb(55, 148, 255)');

    const light = await openWith(
      'light',
      init(ganA, ganB, vae),
      metrics(ganA, ganARows),
      metrics(ganB, ganBRows),
      metrics(vae, vaeRows),
    );
    await light.page.screenshot({ path: `${screenshots}/light-compare.png`, fullPage: true });
    await light.page.close();
  });

  test('a live theme switch recolours the charts; log scale turns symlog when a value <= 0 arrives', async () => {
    const dashboard = await openWith('dark', init(ganA), metrics(ganA, ganARows.slice(0, 300)));
    const marker = () =>
      dashboard.page.$eval(
        '[data-chart="losses"] .u-series:nth-child(4) .u-marker',
        (m) => getComputedStyle(m).borderColor,
      );
    assert.equal(await marker(), 'rgb(55, 148, 255)');
    const light = themeAttributes('light');
    await dashboard.page.evaluate(({ htmlStyle, bodyClass }) => {
      document.documentElement.setAttribute('style', htmlStyle);
      document.body.className = bodyClass;
    }, light);
    await dashboard.settle();
    assert.equal(await marker(), 'rgb(26, 133, 255)');

    await dashboard.page.click('#log-scale');
    await dashboard.settle();
    assert.equal((await chart(dashboard, 'losses')).yScale, 'log');
    const negative = { ...ganARows[300], d_loss: -0.5 }; // e.g. a WGAN critic
    await dashboard.send(metrics(ganA, [negative]));
    const symlog = await chart(dashboard, 'losses');
    assert.equal(symlog.yScale, 'symlog');
    assert.equal(symlog.rows, 301);
    assert.deepEqual(dashboard.problems, []);
    await dashboard.page.close();
  });

  test('1,000,000 points: drawn downsampled, hover exact, appends incremental (timings logged)', async () => {
    const dashboard = await openWith('dark', init({ ...ganA, totalSteps: 1_000_000 }));
    const timings = await dashboard.page.evaluate(async (runId) => {
      const frame = () => new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
      const rowAt = (step: number) => ({
        step,
        epoch: Math.floor(step / 1000),
        time: step * 0.01,
        d_loss: 1 + Math.sin(step / 5000) * 0.5 + ((step * 7919) % 1000) / 5000,
        g_loss: 2 + Math.cos(step / 7000) * 0.5 + ((step * 104729) % 1000) / 4000,
      });
      const post = (from: number, to: number) => {
        const rows = [];
        for (let s = from; s < to; s++) rows.push(rowAt(s));
        window.postMessage({ type: 'metrics', runId, rows }, '*');
      };
      const settle = async () => {
        await new Promise((resolve) => setTimeout(resolve, 0));
        await frame();
        await frame();
      };
      const t = performance.now();
      for (let from = 1; from <= 1_000_000; from += 100_000) post(from, from + 100_000);
      await settle();
      const firstDraw = performance.now() - t;
      const renders = () => performance.getEntriesByName('gan-dashboard:render').map((e) => e.duration);
      const appendDraws: number[] = [];
      for (let i = 0; i < 5; i++) {
        post(1_000_001 + i * 200, 1_000_001 + (i + 1) * 200);
        await settle();
        appendDraws.push(renders().at(-1) ?? NaN);
      }
      const slider = document.querySelector<HTMLInputElement>('#smoothing');
      if (slider) {
        slider.value = '0.9';
        slider.dispatchEvent(new Event('input'));
      }
      await frame();
      await frame();
      const resmooth = renders().at(-1) ?? NaN;
      return { firstDraw, appendDraws, resmooth };
    }, ganA.id);
    const losses = await chart(dashboard, 'losses');
    console.log(
      `[webview] 1,000,000 rows (2 metrics): ingest + first draw ${timings.firstDraw.toFixed(0)} ms; ` +
        `then 200 more rows: render (downsample + setData + draw) ${timings.appendDraws.map((d) => d.toFixed(1)).join(' / ')} ms; ` +
        `smoothing change (re-smooth 1M + render) ${timings.resmooth.toFixed(0)} ms; drawn points per line ${losses.drawn}`,
    );
    assert.equal(losses.rows, 1_001_000);
    // At most first, last and each of 4 series' (2 raw, 2 smoothed) min and max per pixel column.
    const columns = await dashboard.page.$eval('[data-chart="losses"] .chart-plot', (o) => o.clientWidth);
    assert.ok(losses.drawn <= columns * 10 + 2, `${losses.drawn} drawn for ${columns} px`);

    // Hover the middle of the plot: the read-out is a real row's exact values.
    const over = await dashboard.page.$('[data-chart="losses"] .u-over');
    const box = await over?.boundingBox();
    assert.ok(box);
    await dashboard.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await dashboard.settle();
    const hovered = await chart(dashboard, 'losses');
    const step = Number(hovered.legend.Step.replace(/,/g, ''));
    assert.ok(step > 400_000 && step < 600_000, `hovered step ${step}`);
    const expected = 1 + Math.sin(step / 5000) * 0.5 + ((step * 7919) % 1000) / 5000;
    assert.match(
      hovered.legend.d_loss,
      new RegExp(`\\(raw ${formatMetric(expected).replace('.', '\\.')}\\)$`),
    );
    assert.deepEqual(dashboard.problems, []);
    await dashboard.page.close();
  });
});

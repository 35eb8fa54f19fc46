// The dashboard's feed and the Runs view's index over a real run folder, written by a real worker
// training a tiny model while the feed polls it.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { LineTail, readLastMetricRow, RunFeed } from '../../src/extension/experiments/runFeed';
import { indexRuns } from '../../src/extension/experiments/runIndex';
import { previewRun, runSummary } from '../../src/extension/experiments/summaries';
import { resolveModelIn } from '../../src/server/features/models';
import { dashboardRunDirs, previewRunOfModel } from '../../src/extension/experiments/targets';
import type { HostToWebviewMessage, MetricRow } from '../../src/protocol/webview';
import { startWorker } from '../../src/training/runs/client';
import { ensureBuilt } from '../training/runs/harness';

const root = join(__dirname, '..', '..');
const workerPath = join(root, 'dist', 'worker.js');
const TINY = `model tiny: gan {
  data shapes size=8x8 channels=1 { scale [-1, 1]; batch 8 }
  latent 8
  generator {
    dense 64 activation=tanh
    reshape [8, 8, 1]
  }
  discriminator {
    flatten
    dense 16
    leakyrelu
    dense 1
  }
  loss nonsaturating
  optimizer adam lr=2e-3 beta1=0.5
  train { steps 30; seed 3; checkpoint 10 }
  sample { every 10; grid 2x3 }
}

model tiny_wide extends tiny {
  latent 16
}
`;
const dir = mkdtempSync(join(tmpdir(), 'gan-ext-runs-'));
const file = join(dir, 'tiny.gan');
const runsDir = join(dir, 'runs');

before(async () => {
  await ensureBuilt();
  writeFileSync(file, TINY);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('LineTail returns whole new lines only, once each, and starts over after truncation', () => {
  const path = join(dir, 'tail.jsonl');
  const tail = new LineTail(path);
  assert.equal(tail.readNew(), '', 'a missing file has nothing to read');
  writeFileSync(path, '{"a":1}\n{"b"');
  assert.equal(tail.readNew(), '{"a":1}\n');
  assert.equal(tail.readNew(), '');
  appendFileSync(path, ':2}\n');
  assert.equal(tail.readNew(), '{"b":2}\n');
  writeFileSync(path, '{"c":3}\n');
  assert.equal(tail.readNew(), '{"c":3}\n');
});

test('a feed polled while a worker trains sends every metric row once, in order, then each grid and the final status', async () => {
  const worker = startWorker({
    workerPath,
    start: { file, text: TINY, model: 'tiny', options: { runsDir } },
  });
  const messages: HostToWebviewMessage[] = [];
  let feed: RunFeed | undefined;
  const toUri = (path: string): string => `webview://${path}`;
  const poll = (): void => {
    if (feed) messages.push(...feed.poll(toUri, { imagesPerSec: 10 }));
  };
  worker.on('started', (message) => {
    feed = new RunFeed(message.runId, message.runDir);
    poll();
  });
  worker.on('progress', poll);
  worker.on('sample', poll);
  const outcome = await worker.done;
  assert.equal(outcome.type, 'finished', outcome.type === 'failed' ? outcome.message : '');
  poll();
  assert.ok(feed, 'the worker reported its run folder');

  const rows: MetricRow[] = messages.flatMap((m) => (m.type === 'metrics' ? [...m.rows] : []));
  assert.deepEqual(
    rows.map((row) => row.step),
    Array.from({ length: 30 }, (_, i) => i + 1),
  );
  const onDisk = readFileSync(join(feed.dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.deepEqual(rows, onDisk);
  assert.ok(messages.filter((m) => m.type === 'metrics').length > 1, 'rows arrived in several polls');

  const grids = messages.flatMap((m) => (m.type === 'samples' ? [...m.grids] : []));
  assert.deepEqual(
    grids.map((g) => g.step),
    [0, 10, 20, 30],
    'a grid before the first step, then every 10 steps',
  );
  for (const grid of grids) assert.match(grid.uri, /^webview:\/\/.*samples\/step-0000[0123]0\.png$/);

  const statuses = messages.filter((m) => m.type === 'status');
  assert.equal(statuses.at(-1)?.type === 'status' && statuses.at(-1)?.status, 'completed');
  assert.deepEqual(feed.poll(toUri), [], 'nothing new after the run ended');
  assert.deepEqual(
    readLastMetricRow(join(feed.dir, 'metrics.jsonl'), 1000),
    onDisk.at(-1),
    'the hover reads the last row',
  );
  assert.deepEqual(readLastMetricRow(join(feed.dir, 'metrics.jsonl')), onDisk.at(-1));
  assert.equal(readLastMetricRow(join(feed.dir, 'missing.jsonl')), undefined);
});

test('the run index, summaries and command targets read the run the worker wrote', () => {
  const runs = indexRuns([runsDir, join(dir, 'missing')]);
  assert.equal(runs.length, 1);
  const [run] = runs;
  assert.equal(run.model, 'tiny');
  assert.equal(run.status, 'completed');
  assert.deepEqual(run.checkpoints, [10, 20, 30]);
  assert.equal(run.info.sourceFile, file);

  // What the language server answers the extension's gan/resolveModel with.
  const model = resolveModelIn(readFileSync(join(run.dir, 'model.gan'), 'utf8'), run.model);
  assert.ok(model, 'model.gan of the run resolves');
  const summary = runSummary(run.info, model, { imagesPerSec: 42, etaSeconds: null });
  assert.equal(summary.status, 'completed');
  assert.equal(summary.step, 30);
  assert.equal(summary.imagesPerSec, 42);
  assert.equal(summary.settings.latent, 8);
  assert.equal(summary.settings['data.source'], 'shapes');
  assert.equal(summary.settings['optimizer.generator.lr'], 2e-3);
  assert.equal(summary.settings['train.seed'], 3);

  const preview = previewRun(run.info, model, run.checkpoints);
  assert.deepEqual(preview.grid, [2, 3]);
  assert.deepEqual(preview.checkpoints, [10, 20, 30]);
  assert.equal(preview.classes, null);

  assert.equal(previewRunOfModel(runs, { file, model: 'tiny' })?.dir, run.dir);
  assert.equal(previewRunOfModel(runs, { file, model: 'tiny_wide' }), undefined);
  // A newer run still training, before its first checkpoint, is the one the preview follows.
  const live = {
    ...run,
    dir: join(dir, 'live'),
    startedAt: '9999',
    status: 'running' as const,
    checkpoints: [],
  };
  assert.equal(previewRunOfModel([run, live], { file, model: 'tiny' })?.dir, live.dir);
  assert.equal(
    previewRunOfModel([run, { ...live, status: 'failed' as const }], { file, model: 'tiny' })?.dir,
    run.dir,
  );
  assert.deepEqual(dashboardRunDirs(runs, { file, model: 'tiny_wide' }, ['tiny']), [run.dir]);
});

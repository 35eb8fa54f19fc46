// The worker protocol as the extension uses it: startWorker() from source, dist/worker.js forked.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { PNG } from 'pngjs';
import type { MetricRow, ProgressMessage } from '../../../src/protocol/training';
import { startWorker } from '../../../src/training/runs/client';
import { readRun } from '../../../src/training/runs/reader';
import { ensureBuilt, ROOT, scratch, tinyGan } from './harness';

const workerPath = join(ROOT, 'dist', 'worker.js');
const TINY = tinyGan('steps 24; seed 3; checkpoint 8; backend cpu', 'every 8; grid 2x2');
const dir = scratch({ 'tiny.gan': TINY });
const start = { file: join(dir, 'tiny.gan'), text: TINY, options: { runsDir: join(dir, 'runs') } };
let completedRun = '';

before(ensureBuilt);

test('a worker reports started, batched progress, samples, checkpoints and the outcome in order', async () => {
  const worker = startWorker({ workerPath, start });
  const events: string[] = [];
  const progress: ProgressMessage[] = [];
  worker.on('started', (m) => events.push(`started ${m.model} ${m.totalSteps} ${m.backend.name}`));
  worker.on('progress', (m) => progress.push(m));
  worker.on('sample', (m) => events.push(`sample ${m.step} ${existsSync(m.path)}`));
  worker.on('checkpoint', (m) => events.push(`checkpoint ${m.step} ${existsSync(m.path)}`));
  const outcome = await worker.done;
  assert.equal(outcome.type, 'finished', JSON.stringify(outcome));
  assert.deepEqual(events, [
    'started tiny 24 cpu',
    'sample 0 true',
    ...[8, 16, 24].flatMap((step) => [`sample ${step} true`, `checkpoint ${step} true`]),
  ]);
  const rows: MetricRow[] = progress.flatMap((m) => m.rows);
  assert.deepEqual(
    rows.map((r) => r.step),
    Array.from({ length: 24 }, (_, i) => i + 1),
  );
  assert.ok(progress.length < rows.length, 'rows are batched');
  assert.ok(progress.every((m) => m.imagesPerSec > 0 && m.totalSteps === 24));
  completedRun = outcome.runDir ?? '';
  assert.deepEqual(rows, readRun(completedRun).metrics);
});

test('stop() ends a run after the current step with a checkpoint', async () => {
  const worker = startWorker({ workerPath, start });
  worker.on('progress', () => worker.stop());
  const outcome = await worker.done;
  assert.equal(outcome.type, 'finished');
  assert.equal(outcome.type === 'finished' && outcome.status, 'stopped');
  const run = readRun(outcome.runDir ?? '');
  assert.equal(run.info.status, 'stopped');
  assert.ok(run.info.step < 24);
  assert.equal(run.checkpoints[run.checkpoints.length - 1], run.info.step);
});

test('a sample-only worker renders requested grids and explains bad requests', async () => {
  const worker = startWorker({ workerPath });
  try {
    const out = join(dir, 'preview.png');
    const answer = await worker.sample({
      runDir: completedRun,
      checkpoint: 8,
      request: { grid: [3, 5], seed: 4 },
      out,
    });
    assert.deepEqual(answer, { path: out, step: 8 });
    const png = PNG.sync.read(readFileSync(out));
    const modelGrid = PNG.sync.read(readFileSync(join(completedRun, 'samples', 'step-000008.png')));
    // 3x5 cells of the same size as the 2x2 cells of the model's grid.
    assert.ok(png.width > modelGrid.width && png.height > modelGrid.height);
    const latest = await worker.sample({ runDir: completedRun, request: {} });
    assert.equal(latest.step, 24);
    await assert.rejects(
      worker.sample({ runDir: completedRun, checkpoint: 5, request: {} }),
      /no checkpoint at step 5 \(checkpoints: 8, 16, 24\)/,
    );
    await assert.rejects(
      worker.sample({ runDir: completedRun, request: { classes: 1 } }),
      /tiny is not conditional/,
    );
  } finally {
    worker.close();
  }
  const outcome = await worker.done;
  assert.equal(outcome.type, 'failed');
  assert.match(outcome.type === 'failed' ? outcome.message : '', /^worker closed$/);
});

test('a worker forked ahead of time (no start) trains when given one later', async () => {
  const worker = startWorker({ workerPath });
  // Idle, it waits: nothing is reported until `train`.
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.ok(worker.process.connected);
  const started = new Promise<string>((resolve) => worker.on('started', (m) => resolve(m.runDir)));
  worker.train({ ...start, options: { ...start.options, steps: 2 } });
  const runDir = await started;
  const outcome = await worker.done;
  assert.equal(outcome.type, 'finished', JSON.stringify(outcome));
  assert.equal(readRun(runDir).info.status, 'completed');
});

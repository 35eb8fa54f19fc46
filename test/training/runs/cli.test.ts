// `gan train | sample | runs` end to end through the built CLI and a real worker process:
// the run folder contract, stop, kill, resume, divergence and bad input.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { before, test } from 'node:test';
import { PNG } from 'pngjs';
import type { MetricRow } from '../../../src/protocol/training';
import { readMetrics } from '../../../src/training/runs/metrics';
import { readRun } from '../../../src/training/runs/reader';
import { ensureBuilt, gan, scratch, startGan, tinyGan, waitFor } from './harness';

const STEPS = 48;
const TINY = tinyGan('steps 1000; seed 3; checkpoint 8; backend cpu');

const dir = scratch({ 'tiny.gan': TINY });
const runsDir = join(dir, 'runs');
let reference: { dir: string; metrics: MetricRow[] };

before(ensureBuilt);

/** A row without its wall-clock columns: what must be identical between runs. */
function deterministic(rows: readonly MetricRow[]): Record<string, number>[] {
  return rows.map((row) => {
    const copy: Record<string, number> = { ...row };
    delete copy.time;
    delete copy.images_per_sec;
    return copy;
  });
}

function runFolderOf(output: string): string {
  const match = /run folder: (.+)/.exec(output);
  assert.ok(match, `no run folder in:\n${output}`);
  return resolve(dir, match[1].trim());
}

/** The run folder's name from gan train's output (its folder is relative to the cwd it ran in). */
function runIdOf(output: string): string {
  return basename(runFolderOf(output));
}

function readPng(path: string): PNG {
  return PNG.sync.read(readFileSync(path));
}

test('gan train writes the run folder of the contract', async () => {
  const result = await gan(['train', 'tiny.gan', '--steps', String(STEPS), '--runs', 'runs'], dir);
  assert.equal(result.code, 0, result.stderr);
  const runDir = runFolderOf(result.stdout + result.stderr);
  assert.match(result.stdout, /samples: .*samples\//);
  assert.match(runDir, /runs\/tiny-\d{8}-\d{6}$/);
  assert.deepEqual(readdirSync(runDir).sort(), [
    'checkpoints',
    'metrics.jsonl',
    'model.gan',
    'run.json',
    'samples',
  ]);

  const run = readRun(runDir);
  assert.equal(run.info.status, 'completed');
  assert.equal(run.info.step, STEPS);
  assert.equal(run.info.totalSteps, STEPS);
  assert.equal(run.info.model, 'tiny');
  assert.equal(run.info.family, 'gan');
  assert.equal(run.info.backend, 'cpu');
  assert.equal(run.info.seed, 3);
  assert.equal(run.info.sourceFile, join(dir, 'tiny.gan'));
  assert.ok(run.info.device.length > 0 && run.info.finishedAt !== null);
  assert.match(readFileSync(join(runDir, 'model.gan'), 'utf8'), /model tiny: gan/);

  assert.deepEqual(
    run.metrics.map((row) => row.step),
    Array.from({ length: STEPS }, (_, i) => i + 1),
  );
  for (const row of run.metrics) {
    assert.ok(Number.isFinite(row.d_loss) && Number.isFinite(row.g_loss), JSON.stringify(row));
    assert.ok(row.time > 0 && row.images_per_sec > 0 && row.epoch === 0, JSON.stringify(row));
  }
  const everyEighth = [8, 16, 24, 32, 40, 48];
  // A grid of the untrained generator before the first step (samples early), then every 8 steps.
  assert.deepEqual(
    run.samples.map((s) => s.step),
    [0, ...everyEighth],
  );
  assert.deepEqual(run.checkpoints, everyEighth);
  const grid = readPng(run.samples[0].path);
  assert.ok(
    grid.width >= 3 * 8 && grid.height >= 2 * 8 && grid.width > grid.height,
    `${grid.width}x${grid.height}`,
  );
  reference = { dir: runDir, metrics: [...run.metrics] };
});

test('SIGKILL of the worker fails the run; --resume continues exactly as if uninterrupted', async () => {
  const cli = startGan(['train', 'tiny.gan', '--steps', String(STEPS), '--runs', 'runs'], dir);
  const runDir = await waitFor(() => /run folder: (.+)/.exec(cli.output()) && runFolderOf(cli.output()));
  await waitFor(() => existsSync(join(runDir, 'checkpoints', 'step-000008')));
  process.kill(readRun(runDir).info.pid, 'SIGKILL');
  const killed = await cli.result;
  assert.equal(killed.code, 1);
  assert.match(killed.stderr, /worker killed by SIGKILL/);
  const dead = readRun(runDir);
  assert.equal(dead.info.status, 'failed');
  assert.equal(dead.info.error, 'worker killed by SIGKILL');
  assert.ok(readMetrics(join(runDir, 'metrics.jsonl')).length >= 8);

  const resumed = await gan(['train', '--resume', runDir, '--runs', 'runs'], dir);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, /resuming tiny-\S+ at step (8|16|24|32|40)/);
  const run = readRun(runDir);
  assert.equal(run.info.status, 'completed');
  assert.deepEqual(deterministic(run.metrics), deterministic(reference.metrics));
});

test('SIGTERM to gan train stops after the current step with a checkpoint', async () => {
  const cli = startGan(['train', 'tiny.gan', '--steps', String(STEPS), '--runs', 'runs'], dir);
  const runDir = await waitFor(() => /run folder: (.+)/.exec(cli.output()) && runFolderOf(cli.output()));
  await waitFor(() => readMetrics(join(runDir, 'metrics.jsonl')).length >= 3);
  cli.child.kill('SIGTERM');
  const stopped = await cli.result;
  assert.equal(stopped.code, 130, stopped.stderr);
  assert.match(stopped.stdout, /stopped at step \d+ \(checkpoint saved\)/);
  const run = readRun(runDir);
  assert.equal(run.info.status, 'stopped');
  assert.ok(run.info.step >= 3 && run.info.step < STEPS, `stopped at ${run.info.step}`);
  assert.equal(run.metrics[run.metrics.length - 1].step, run.info.step);
  assert.equal(run.checkpoints[run.checkpoints.length - 1], run.info.step);

  const resumed = await gan(['train', '--resume', run.info.id, '--runs', 'runs'], dir);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.deepEqual(deterministic(readRun(runDir).metrics), deterministic(reference.metrics));
});

test('on wasm too, a run stopped and resumed has the losses of an uninterrupted one', async () => {
  const args = ['train', 'tiny.gan', '--steps', String(STEPS), '--backend', 'wasm', '--runs', 'runs-wasm'];
  const whole = await gan(args, dir);
  assert.equal(whole.code, 0, whole.stderr);
  const expected = readRun(runFolderOf(whole.stderr));
  assert.equal(expected.info.backend, 'wasm');

  const cli = startGan(args, dir);
  const runDir = await waitFor(() => /run folder: (.+)/.exec(cli.output()) && runFolderOf(cli.output()));
  await waitFor(() => readMetrics(join(runDir, 'metrics.jsonl')).length >= 3);
  cli.child.kill('SIGTERM');
  assert.equal((await cli.result).code, 130);
  assert.ok(readRun(runDir).info.step < STEPS);
  const resumed = await gan(['train', '--resume', runDir], dir);
  assert.equal(resumed.code, 0, resumed.stderr);
  const run = readRun(runDir);
  assert.equal(run.info.backend, 'wasm');
  assert.deepEqual(deterministic(run.metrics), deterministic(expected.metrics));
});

test('threads: train { threads N } is used, --threads overrides it, run.json records it', async () => {
  const threaded = scratch({ 'threads.gan': TINY.replace('backend cpu', 'backend wasm; threads 2') });
  const fromModel = await gan(['train', 'threads.gan', '--steps', '2', '--runs', 'runs'], threaded);
  assert.equal(fromModel.code, 0, fromModel.stderr);
  assert.equal(readRun(join(threaded, 'runs', runIdOf(fromModel.stderr))).info.threads, 2);
  const fromFlag = await gan(
    ['train', 'threads.gan', '--steps', '2', '--threads', '1', '--runs', 'runs'],
    threaded,
  );
  assert.equal(fromFlag.code, 0, fromFlag.stderr);
  assert.equal(readRun(join(threaded, 'runs', runIdOf(fromFlag.stderr))).info.threads, 1);
  const zero = await gan(['train', 'threads.gan', '--threads', '0'], threaded);
  assert.equal(zero.code, 2);
  assert.match(zero.stderr, /--threads must be a whole number from 1 to 64/);
});

test('gan sample renders a grid from a checkpoint into a PNG', async () => {
  const out = join(dir, 'six.png');
  const result = await gan(
    ['sample', reference.dir, '--checkpoint', '16', '--n', '6', '--seed', '9', '--out', out],
    dir,
  );
  assert.equal(result.code, 0, result.stderr);
  const six = readPng(out);
  const modelGrid = readPng(join(reference.dir, 'samples', 'step-000016.png'));
  assert.deepEqual([six.width, six.height], [modelGrid.width, modelGrid.height]);
  const four = await gan(['sample', 'tiny', '--n', '4', '--out', 'four.png', '--runs', 'runs'], dir);
  assert.equal(four.code, 0, four.stderr);
  const square = readPng(join(dir, 'four.png'));
  assert.equal(square.width, square.height);

  const missing = await gan(['sample', reference.dir, '--checkpoint', '5'], dir);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no checkpoint at step 5 \(checkpoints: 8, 16, 24, 32, 40, 48\)/);
});

test('gan runs lists every run with status, steps and last losses', async () => {
  const result = await gan(['runs', 'runs'], dir);
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trimEnd().split('\n');
  assert.match(lines[0], /^RUN\s+MODEL\s+STATUS\s+STEP\s+LOSSES\s+AGE$/);
  const runs = readdirSync(runsDir);
  assert.equal(lines.length, 1 + runs.length);
  for (const id of runs) {
    const line = lines.find((l) => l.split(' ')[0] === id);
    assert.ok(line, `${id} missing from\n${result.stdout}`);
    assert.match(
      line,
      new RegExp(
        `^${id}\\s+tiny\\s+completed\\s+${STEPS}/${STEPS}\\s+d_loss=\\S+ .*(just now|\\d+ min ago)$`,
      ),
    );
  }
});

test('a diverging model fails naming the loss and the step, with advice', async () => {
  // Squared errors under a huge plain-SGD step overflow float32 within two steps.
  const text = TINY.replace('model tiny', 'model wild')
    .replace('loss nonsaturating', 'loss lsgan')
    .replace('optimizer adam lr=2e-3 beta1=0.5', 'optimizer sgd lr=1e6');
  const wild = scratch({ 'wild.gan': text });
  const result = await gan(['train', 'wild.gan', '--steps', String(STEPS)], wild);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /failed: training diverged: \w+ became (NaN|-?Infinity) at step \d+\./);
  assert.match(result.stderr, /Try a lower learning rate \(now generator lr=1000000, /);
  const run = readRun(join(wild, '.gan', 'runs', readdirSync(join(wild, '.gan', 'runs'))[0]));
  assert.equal(run.info.status, 'failed');
  assert.match(run.info.error ?? '', /diverged/);
  assert.equal(run.metrics.length, run.info.step, 'no row for the diverged step');
  assert.ok(run.metrics.every((row) => Number.isFinite(row.g_loss)));
});

test('bad input: a missing data folder, errors in the file, unknown flags, unreadable files', async () => {
  const folder = TINY.replace(
    'data shapes size=8x8 channels=1',
    'data folder "missing/path" size=8x8 channels=1',
  );
  const bad = scratch({ 'folder.gan': folder, 'broken.gan': TINY.replace('dense 32\n', 'dense\n') });
  const noData = await gan(['train', 'folder.gan'], bad);
  assert.equal(noData.code, 1);
  assert.match(noData.stderr, /missing\/path/);
  assert.match(noData.stderr, /folder\.gan:3/);

  const broken = await gan(['train', 'broken.gan'], bad);
  assert.equal(broken.code, 1);
  assert.match(broken.stderr, /^broken\.gan:\d+:\d+: error E\d{3} /m);

  const unknown = await gan(['train', 'broken.gan', '--stepz', '3'], bad);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /usage: gan train FILE/);

  const missing = await gan(['train', 'nowhere.gan'], bad);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read nowhere\.gan: ENOENT/);

  const noModel = await gan(['train', 'folder.gan', '--model', 'nope'], bad);
  assert.equal(noModel.code, 2);
  assert.match(noModel.stderr, /folder\.gan: no model "nope" \(models: tiny\)/);
  assert.ok(!existsSync(join(bad, '.gan')), 'no run folder for input that never trained');
});

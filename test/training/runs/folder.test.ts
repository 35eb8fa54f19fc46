// The run folder's pieces without a trainer: naming, run.json, metrics.jsonl tolerance,
// atomic checkpoints, dead-worker detection, listing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  KEEP_CHECKPOINTS,
  lastCheckpoint,
  listCheckpoints,
  readCheckpointState,
  removeIncompleteCheckpoints,
} from '../../../src/training/runs/checkpoints';
import { parseMetrics, readMetrics } from '../../../src/training/runs/metrics';
import { parseStepName, runIdFor, stepName } from '../../../src/training/runs/paths';
import { listRuns, readRun, resolveRunRef, RunReadError } from '../../../src/training/runs/reader';
import { markRunFailed, RunWriter } from '../../../src/training/runs/writer';
import { tinyRunFields } from './runFields';

const fields = tinyRunFields({ device: 'CPU (plain JS)' });

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'gan-runs-'));
}

test('run ids and step names follow the contract', () => {
  assert.equal(runIdFor('dcgan', new Date(2026, 0, 2, 3, 4, 5)), 'dcgan-20260102-030405');
  assert.equal(stepName(120), 'step-000120');
  assert.equal(parseStepName('step-000120.png', '.png'), 120);
  assert.equal(parseStepName('step-000120'), 120);
  assert.equal(parseStepName('.tmp-step-000120-55'), null);
  assert.equal(parseStepName('step-000120.jpg', '.png'), null);
});

test('a new run folder has the contract layout and a running run.json', () => {
  const runs = tempDir();
  const writer = RunWriter.create(runs, fields, 'model tiny: gan {}\n');
  assert.match(writer.info.id, /^tiny-\d{8}-\d{6}$/);
  assert.deepEqual(readdirSync(writer.dir).sort(), [
    'checkpoints',
    'metrics.jsonl',
    'model.gan',
    'run.json',
    'samples',
  ]);
  const run = readRun(writer.dir);
  assert.equal(run.info.status, 'running');
  assert.equal(run.info.pid, process.pid);
  assert.equal(readFileSync(join(writer.dir, 'model.gan'), 'utf8'), 'model tiny: gan {}\n');
  // Two runs of one model in the same second get distinct folders.
  const second = RunWriter.create(runs, fields, '');
  assert.notEqual(second.dir, writer.dir);
});

test('metrics.jsonl readers skip a torn last line and junk lines', () => {
  const text = '{"step":1,"epoch":0,"time":0.1,"d_loss":0.7}\nnot json\n{"step":2,"epoch":0,"time":0.2,"d_lo';
  assert.deepEqual(parseMetrics(text), [{ step: 1, epoch: 0, time: 0.1, d_loss: 0.7 }]);
});

test('checkpoints become visible only when complete, and old ones are pruned', async () => {
  const writer = RunWriter.create(tempDir(), fields, '');
  await assert.rejects(
    writer.writeCheckpoint({ step: 3, time: 1 }, async () => {
      throw new Error('disk full');
    }),
  );
  assert.deepEqual(readdirSync(join(writer.dir, 'checkpoints')), []);
  mkdirSync(join(writer.dir, 'checkpoints', '.tmp-step-000009-1'));
  assert.deepEqual(listCheckpoints(writer.dir), []);
  removeIncompleteCheckpoints(writer.dir);
  assert.deepEqual(readdirSync(join(writer.dir, 'checkpoints')), []);
  for (let step = 1; step <= KEEP_CHECKPOINTS + 2; step++)
    await writer.writeCheckpoint({ step, time: step / 10 }, async (dir) =>
      writeFileSync(join(dir, 'w.bin'), 'x'),
    );
  assert.equal(listCheckpoints(writer.dir).length, KEEP_CHECKPOINTS);
  assert.equal(lastCheckpoint(writer.dir), KEEP_CHECKPOINTS + 2);
  assert.deepEqual(readCheckpointState(join(writer.dir, 'checkpoints', stepName(KEEP_CHECKPOINTS + 2))), {
    step: KEEP_CHECKPOINTS + 2,
    time: (KEEP_CHECKPOINTS + 2) / 10,
  });
});

test('resuming truncates metrics and samples after the checkpoint step', () => {
  const writer = RunWriter.create(tempDir(), fields, '');
  for (let step = 1; step <= 6; step++) writer.appendMetrics({ step, epoch: 0, time: step, g_loss: step });
  appendFileSync(join(writer.dir, 'metrics.jsonl'), '{"step":7,"ep');
  writer.writeSample(4, new Uint8Array([1]));
  writer.writeSample(6, new Uint8Array([1]));
  writer.finish('stopped', 6);
  const { rows } = RunWriter.resume(writer.dir, 4, {});
  assert.deepEqual(
    rows.map((r) => r.step),
    [1, 2, 3, 4],
  );
  assert.deepEqual(
    readMetrics(join(writer.dir, 'metrics.jsonl')).map((r) => r.step),
    [1, 2, 3, 4],
  );
  assert.deepEqual(
    readRun(writer.dir).samples.map((s) => s.step),
    [4],
  );
  assert.equal(readRun(writer.dir).info.status, 'running');
});

test('a running run whose worker is dead reads as failed; the parent can mark it', () => {
  const writer = RunWriter.create(tempDir(), fields, '');
  const dead = spawnSync(process.execPath, [
    '-e',
    'process.stdout.write(String(process.pid))',
  ]).stdout.toString();
  writer.update({ pid: Number(dead) });
  const run = readRun(writer.dir);
  assert.equal(run.info.status, 'failed');
  assert.match(run.info.error ?? '', /no longer running/);
  assert.equal(markRunFailed(writer.dir, 'worker killed by SIGKILL'), true);
  assert.equal(readRun(writer.dir).info.error, 'worker killed by SIGKILL');
  assert.equal(markRunFailed(writer.dir, 'again'), false);
});

test('listRuns sorts newest first and resolveRunRef accepts folders, ids and model names', () => {
  const runs = tempDir();
  const a = RunWriter.create(runs, fields, '');
  a.update({ startedAt: '2026-01-01T00:00:00.000Z' });
  const b = RunWriter.create(runs, { ...fields, model: 'other' }, '');
  writeFileSync(join(runs, 'stray.txt'), '');
  assert.deepEqual(
    listRuns(runs).map((r) => r.info.id),
    [b.info.id, a.info.id],
  );
  assert.equal(resolveRunRef(a.dir, runs), a.dir);
  assert.equal(resolveRunRef(a.info.id, runs), a.dir);
  assert.equal(resolveRunRef('other', runs), b.dir);
  assert.throws(() => resolveRunRef('nope', runs), RunReadError);
  assert.ok(!existsSync(join(runs, 'nope')));
});

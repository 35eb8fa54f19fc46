// Adversarial runs through the built CLI and real workers (issue 10): two resumes of one run at
// once (exactly one trains), a resume after the newest checkpoint was corrupted (falls back to
// the newest valid one and says why), and a run stuck as `running` with a reused pid.
import assert from 'node:assert/strict';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, test } from 'node:test';
import { readRun } from '../../src/training/runs/reader';
import { ensureBuilt, gan, scratch, startGan, tinyGan } from '../training/runs/harness';

const TINY = tinyGan('steps 1000; seed 5; checkpoint 8; backend cpu');

before(ensureBuilt);

function runFolderOf(dir: string, output: string): string {
  const match = /run folder: (.+)/.exec(output);
  assert.ok(match, `no run folder in:\n${output}`);
  return resolve(dir, match[1].trim());
}

async function trainedRun(steps: number): Promise<{ dir: string; runDir: string }> {
  const dir = scratch({ 'tiny.gan': TINY });
  const result = await gan(['train', 'tiny.gan', '--steps', String(steps), '--runs', 'runs'], dir);
  assert.equal(result.code, 0, result.stderr);
  return { dir, runDir: runFolderOf(dir, result.stdout + result.stderr) };
}

function metricSteps(runDir: string): number[] {
  return readRun(runDir).metrics.map((row) => row.step);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

test('two resumes of one run started together: exactly one trains, the other says why', async () => {
  const { dir, runDir } = await trainedRun(16);
  const args = ['train', '--resume', runDir, '--steps', '400'];
  const [a, b] = await Promise.all([startGan(args, dir).result, startGan(args, dir).result]);
  const winners = [a, b].filter((r) => r.code === 0);
  const losers = [a, b].filter((r) => r.code !== 0);
  assert.equal(winners.length, 1, `outputs:\n${a.stderr}\n---\n${b.stderr}`);
  assert.match(winners[0].stdout, /completed 400 steps/);
  assert.equal(losers[0].code, 1);
  assert.match(
    losers[0].stderr,
    /cannot be trained here: it is being trained by pid \d+ on .*Stop that run first/,
  );
  assert.deepEqual(metricSteps(runDir), range(1, 400), 'every step once, none interleaved');
  const run = readRun(runDir);
  assert.equal(run.info.status, 'completed');
  assert.equal(run.info.step, 400);
});

test('a corrupt newest checkpoint: resume falls back to the newest valid one, saying which and why', async () => {
  const { dir, runDir } = await trainedRun(24);
  truncateSync(join(runDir, 'checkpoints', 'step-000024', 'networks', 'generator', 'weights.bin'), 10);
  const resumed = await gan(['train', '--resume', runDir, '--steps', '32'], dir);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(
    resumed.stderr,
    /skipped checkpoint step-000024 \(networks\/generator\/weights\.bin has 10 bytes, the manifest says \d+\); resuming from step-000016/,
  );
  assert.match(resumed.stderr, /resuming tiny-\d{8}-\d{6} at step 16/);
  assert.deepEqual(metricSteps(runDir), range(1, 32));
  assert.deepEqual(readRun(runDir).checkpoints, [8, 16, 24, 32]);

  writeFileSync(join(runDir, 'checkpoints', 'step-000032', 'trainer.json'), '{ broken');
  const sampled = await gan(['sample', runDir, '--n', '4', '--out', 'grid.png'], dir);
  assert.equal(sampled.code, 0, sampled.stderr);
  assert.match(sampled.stderr, /skipped step-000032 \(trainer\.json (has \d+ bytes|does not match)/);
  assert.match(sampled.stdout, /grid\.png {2}\(step 24, 2x2 grid\)/);
  const chosen = await gan(['sample', runDir, '--checkpoint', '32', '--out', 'bad.png'], dir);
  assert.equal(chosen.code, 1);
  assert.match(chosen.stderr, /checkpoint step-000032 is unusable: trainer\.json/);

  const rewound = await gan(['train', '--resume', runDir, '--checkpoint', '8', '--steps', '12'], dir);
  assert.equal(rewound.code, 0, rewound.stderr);
  assert.match(rewound.stderr, /resuming tiny-\d{8}-\d{6} at step 8/);
  assert.match(rewound.stderr, /removed the checkpoints after step-000008: step-000016, step-000024/);
  assert.deepEqual(metricSteps(runDir), range(1, 12));
  assert.deepEqual(readRun(runDir).checkpoints, [8, 12]);
});

test('a run stuck as `running` with a reused pid is resumed (no live lock), and listed as failed', async () => {
  const { dir, runDir } = await trainedRun(8);
  const info = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));
  writeFileSync(join(runDir, 'run.json'), JSON.stringify({ ...info, status: 'running', pid: 1 }));
  const resumed = await gan(['train', '--resume', runDir, '--steps', '16'], dir);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, /completed 16 steps/);
});

// srgan end to end through the built CLI and real workers: a run killed in its pretraining stage
// resumes into the adversarial stage exactly as if uninterrupted, `gan sample` draws the four-row
// blocks, and `gan upscale` super-resolves a PNG of any size into one factor times larger.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, test } from 'node:test';
import { PNG } from 'pngjs';
import type { MetricRow } from '../../../src/protocol/training';
import { readRun } from '../../../src/training/runs/reader';
import { ensureBuilt, gan, scratch, startGan, tinyGan, waitFor } from './harness';

const STEPS = 16;
const PRETRAIN = 6;
const TINY_SR = `# A tiny SRGAN on procedural shapes: 4x4 inputs back to 16x16.
model tiny_sr: srgan {
  data shapes size=16x16 channels=3 { scale [-1, 1]; batch 8 }
  upscale 4 method=area
  generator {
    conv 8 kernel=3
    prelu
    residual { conv 8 kernel=3; prelu; conv 8 kernel=3 }
    conv 32 kernel=3
    pixelshuffle 2
    prelu
    conv 12 kernel=3
    pixelshuffle 2
    conv 3 kernel=3
  }
  discriminator {
    conv 8 kernel=3 stride=2
    leakyrelu
    conv 8 kernel=3 stride=2
    leakyrelu
    flatten
    dense 1
  }
  loss lsgan content=l1 adversarial=1e-2 features=discriminator feature_weight=0.5
  pretrain { steps ${PRETRAIN} }
  optimizer adam lr=1e-3
  train { steps 1000; seed 5; checkpoint 4; backend wasm; threads 1 }
  sample { every 8; grid 8x3 }
}
`;

const dir = scratch({ 'sr.gan': TINY_SR, 'tiny.gan': tinyGan('steps 2; backend cpu') });
let reference: string;

before(ensureBuilt);

function runFolderOf(output: string): string {
  const match = /run folder: (.+)/.exec(output);
  assert.ok(match, `no run folder in:\n${output}`);
  return resolve(dir, match[1].trim());
}

function deterministic(rows: readonly MetricRow[]): Record<string, number>[] {
  return rows.map((row) => {
    const copy: Record<string, number> = { ...row };
    delete copy.time;
    delete copy.images_per_sec;
    return copy;
  });
}

function readPng(path: string): PNG {
  return PNG.sync.read(readFileSync(path));
}

test('srgan pretrains on the content loss, then trains adversarially; a kill resumes exactly', async () => {
  const args = ['train', 'sr.gan', '--steps', String(STEPS), '--runs', 'runs'];
  const whole = await gan(args, dir);
  assert.equal(whole.code, 0, whole.stderr);
  reference = runFolderOf(whole.stderr);
  const expected = readRun(reference);
  assert.equal(expected.info.family, 'srgan');
  for (const row of expected.metrics) {
    const adversarial = row.step > PRETRAIN;
    assert.equal(row.stage, adversarial ? 1 : 0, `step ${row.step}`);
    assert.equal(row.d_loss !== 0, adversarial, `d_loss at step ${row.step}`);
    assert.equal(row.feature !== 0, adversarial, `feature loss at step ${row.step}`);
  }

  const cli = startGan(args, dir);
  const runDir = await waitFor(() => /run folder: (.+)/.exec(cli.output()) && runFolderOf(cli.output()));
  await waitFor(() => existsSync(join(runDir, 'checkpoints', 'step-000004')));
  process.kill(readRun(runDir).info.pid, 'SIGKILL');
  assert.equal((await cli.result).code, 1);
  const resumed = await gan(['train', '--resume', runDir], dir);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, /resuming tiny_sr-\S+ at step (4|8|12)/);
  assert.deepEqual(deterministic(readRun(runDir).metrics), deterministic(expected.metrics));
});

test('gan sample draws blocks of low-res, bicubic, super-resolved and original rows', async () => {
  const out = join(dir, 'blocks.png');
  const result = await gan(['sample', reference, '--n', '12', '--out', out], dir);
  assert.equal(result.code, 0, result.stderr);
  const png = readPng(out);
  // 12 images: a 3x4 grid, shown as one block of four rows of four 16-pixel tiles with 2-pixel gutters.
  assert.deepEqual([png.width, png.height], [4 * 16 + 5 * 2, 4 * 16 + 5 * 2]);
});

test('gan upscale super-resolves a PNG of any size, in tiles, into one 4 times larger', async () => {
  const input = join(dir, 'small.png');
  const small = new PNG({ width: 13, height: 10 });
  for (let i = 0; i < small.data.length; i += 4) {
    const p = i / 4;
    small.data[i] = (p * 37) % 256;
    small.data[i + 1] = (p * 11) % 256;
    small.data[i + 2] = p % 13 < 6 ? 255 : 0;
    small.data[i + 3] = 255;
  }
  writeFileSync(input, PNG.sync.write(small));
  const result = await gan(['upscale', reference, 'small.png', '--out', 'big.png'], dir);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /big\.png\s+\(step 16\)/);
  const big = readPng(join(dir, 'big.png'));
  assert.deepEqual([big.width, big.height], [52, 40]);
  const values = new Set(Array.from(big.data.filter((_, i) => i % 4 !== 3)));
  assert.ok(values.size > 16, `only ${values.size} distinct values: not an image`);

  const byDefault = await gan(['upscale', reference, 'small.png', '--checkpoint', '8'], dir);
  assert.equal(byDefault.code, 0, byDefault.stderr);
  assert.deepEqual(
    [readPng(join(dir, 'small-upscaled.png')).width, readPng(join(dir, 'small-upscaled.png')).height],
    [52, 40],
  );
});

test('gan upscale refuses other families and missing images with a clear error', async () => {
  const trained = await gan(['train', 'tiny.gan', '--runs', 'runs'], dir);
  assert.equal(trained.code, 0, trained.stderr);
  const notSr = await gan(['upscale', runFolderOf(trained.stderr), 'small.png'], dir);
  assert.equal(notSr.code, 1);
  assert.match(notSr.stderr, /only srgan runs upscale images/);
  const missing = await gan(['upscale', reference, 'nothing.png'], dir);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no such image: nothing\.png/);
});

// A corrupt newest checkpoint never strands a run (issue 10, case 2): checkpoints carry a manifest
// (sizes, checksums) written last; readers verify it and fall back to the newest valid one.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  CheckpointError,
  loadNewestValid,
  removeCheckpointsAfter,
  writeCheckpoint,
} from '../../../src/training/runs/checkpoints';
import { MANIFEST, verifyCheckpoint } from '../../../src/training/runs/manifest';
import { checkpointPath } from '../../../src/training/runs/paths';

/** Writes what a trainer writes: a network (model.json + weights.bin) and trainer.json. */
async function fakeSave(dir: string): Promise<void> {
  mkdirSync(join(dir, 'networks', 'generator'), { recursive: true });
  writeFileSync(join(dir, 'networks', 'generator', 'model.json'), '{"format":"layers-model"}');
  writeFileSync(join(dir, 'networks', 'generator', 'weights.bin'), Buffer.alloc(4096, 7));
  writeFileSync(join(dir, 'trainer.json'), '{"format":1,"step":1}');
}

async function runWithCheckpoints(steps: readonly number[]): Promise<string> {
  const run = mkdtempSync(join(tmpdir(), 'gan-ckpt-'));
  for (const step of steps) await writeCheckpoint(run, { step, time: step / 10 }, fakeSave);
  return run;
}

test('a checkpoint is published with its manifest and verifies', async () => {
  const run = await runWithCheckpoints([8]);
  const dir = checkpointPath(run, 8);
  assert.ok(readdirSync(dir).includes(MANIFEST));
  assert.equal(verifyCheckpoint(dir), null);
});

test('truncated weights, a broken trainer.json and a deleted model.json are each caught', async () => {
  const run = await runWithCheckpoints([8, 16, 24]);
  truncateSync(join(checkpointPath(run, 24), 'networks', 'generator', 'weights.bin'), 100);
  writeFileSync(join(checkpointPath(run, 16), 'trainer.json'), '{"format":1,"step":1!');
  rmSync(join(checkpointPath(run, 8), 'networks', 'generator', 'model.json'));
  assert.equal(
    verifyCheckpoint(checkpointPath(run, 24)),
    'networks/generator/weights.bin has 100 bytes, the manifest says 4096',
  );
  assert.equal(verifyCheckpoint(checkpointPath(run, 16)), 'trainer.json does not match its checksum');
  assert.equal(verifyCheckpoint(checkpointPath(run, 8)), 'networks/generator/model.json is missing');
});

test('loading falls back to the newest valid checkpoint and says which were skipped and why', async () => {
  const run = await runWithCheckpoints([8, 16, 24, 32]);
  truncateSync(join(checkpointPath(run, 32), 'networks', 'generator', 'weights.bin'), 0);
  const loaded: string[] = [];
  const result = await loadNewestValid(run, async (dir) => {
    loaded.push(dir);
    // A checkpoint that verifies but fails in the loader is skipped too.
    if (dir === checkpointPath(run, 24)) throw new Error('weights do not fit the network\nstack');
  });
  assert.equal(result.step, 16);
  assert.deepEqual(result.skipped, [
    { step: 32, reason: 'networks/generator/weights.bin has 0 bytes, the manifest says 4096' },
    { step: 24, reason: 'it does not load: weights do not fit the network' },
  ]);
  assert.deepEqual(loaded, [checkpointPath(run, 24), checkpointPath(run, 16)]);
  assert.deepEqual(removeCheckpointsAfter(run, 16), [24, 32]);
});

test('a chosen checkpoint is used only if valid; no valid checkpoint at all is an error', async () => {
  const run = await runWithCheckpoints([8, 16]);
  const noLoad = async (): Promise<void> => undefined;
  assert.equal((await loadNewestValid(run, noLoad, 8)).step, 8);
  await assert.rejects(loadNewestValid(run, noLoad, 12), /no checkpoint at step 12 \(checkpoints: 8, 16\)/);
  rmSync(join(checkpointPath(run, 8), 'trainer.json'));
  await assert.rejects(loadNewestValid(run, noLoad, 8), (error: unknown) => {
    return (
      error instanceof CheckpointError &&
      /step-000008 is unusable: trainer.json is missing/.test(error.message)
    );
  });
  rmSync(join(checkpointPath(run, 16), 'trainer.json'));
  await assert.rejects(
    loadNewestValid(run, noLoad),
    /no usable checkpoint: step-000016 \(trainer.json is missing\); step-000008/,
  );
  const empty = mkdtempSync(join(tmpdir(), 'gan-ckpt-'));
  assert.deepEqual(await loadNewestValid(empty, noLoad), { step: null, skipped: [] });
});

test('a checkpoint without a manifest (written before manifests) is checked by loading it', async () => {
  const run = await runWithCheckpoints([8]);
  rmSync(join(checkpointPath(run, 8), MANIFEST));
  assert.equal(verifyCheckpoint(checkpointPath(run, 8)), null);
});

// Every model of every example file trains 20 steps (on a few hundred images) through the CLI,
// on the WebAssembly backend, and writes a sample grid and a checkpoint.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, test } from 'node:test';
import { analyzeModels } from '../../../src/training/runs/models';
import { readRun } from '../../../src/training/runs/reader';
import { ensureBuilt, gan, ROOT, scratch } from './harness';

const STEPS = 20;
const LIMIT = 256;
const examples = join(ROOT, 'examples');
const runsDir = join(scratch(), 'runs');

before(ensureBuilt);

for (const name of readdirSync(examples)
  .filter((f) => f.endsWith('.gan'))
  .sort()) {
  const file = join(examples, name);
  const { models, diagnostics } = analyzeModels(readFileSync(file, 'utf8'));
  test(`${name} checks clean`, () => {
    assert.deepEqual(
      diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
  });
  for (const model of models) {
    test(`${name}: ${model.name} trains ${STEPS} steps`, async (t) => {
      const started = Date.now();
      const args = ['train', file, '--model', model.name, '--steps', String(STEPS), '--limit', String(LIMIT)];
      const result = await gan([...args, '--backend', 'wasm', '--runs', runsDir], ROOT);
      const seconds = (Date.now() - started) / 1000;
      t.diagnostic(`${model.name}: ${seconds.toFixed(1)} s for ${STEPS} steps`);
      assert.equal(result.code, 0, result.stderr);
      const dir = /run folder: (.+)/.exec(result.stderr)?.[1].trim();
      assert.ok(dir, result.stderr);
      const run = readRun(resolve(ROOT, dir));
      assert.equal(run.info.status, 'completed');
      assert.equal(run.metrics.length, STEPS);
      // A grid before the first step (and, on a slow machine, one by wall time), and the last.
      const gridSteps = run.samples.map((s) => s.step);
      assert.equal(gridSteps[0], 0, gridSteps.join(', '));
      assert.equal(gridSteps.at(-1), STEPS, gridSteps.join(', '));
      assert.equal(run.checkpoints[run.checkpoints.length - 1], STEPS);
    });
  }
}

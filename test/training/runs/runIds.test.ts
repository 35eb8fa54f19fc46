// Paths built from run data stay inside their folder (issue 10, case 8): run ids are validated
// where run.json is read, and every path built from one is resolved, then checked.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { previewImagePath } from '../../../src/extension/experiments/previewFiles';
import { isRunId } from '../../../src/protocol/ids';
import { resolveInside } from '../../../src/training/runs/paths';
import { readRunInfo, RunReadError } from '../../../src/training/runs/reader';
import { RunWriter } from '../../../src/training/runs/writer';
import { ensureBuilt, gan, scratch } from './harness';
import { tinyRunFields } from './runFields';

before(ensureBuilt);

test('run ids are [A-Za-z0-9._-]+ without ..', () => {
  for (const id of ['dcgan_small-20261123-101500', 'a.b', 'x-2', 'v1.0_final']) assert.ok(isRunId(id), id);
  for (const id of ['', '.', '..', '../../../x', 'a/b', 'a\\b', 'a..b', 'x y', 'C:', '\u00e9', 7, null])
    assert.ok(!isRunId(id), String(id));
});

test('resolveInside refuses what climbs out of its folder', () => {
  assert.equal(resolveInside('/base', 'x-step-000001.png'), '/base/x-step-000001.png');
  assert.throws(() => resolveInside('/base', '../../../x-step.png'), /outside \/base/);
  assert.throws(() => resolveInside('/base', '/etc/passwd'), /outside \/base/);
  assert.equal(resolveInside('/base', '..x'), '/base/..x');
});

test('preview images are named after the panel run folder, inside the output folder', () => {
  assert.equal(previewImagePath('/out', '/ws/.gan/runs/tiny-1', 3, 100), '/out/tiny-1-100-3.png');
  assert.equal(previewImagePath('/out', '/ws/.gan/runs/we ird', 3, 100), '/out/run-100-3.png');
});

const fields = tinyRunFields();

test('gan sample refuses a run.json whose id would write outside the working folder', async () => {
  const root = scratch();
  const work = join(root, 'a', 'b', 'c');
  mkdirSync(work, { recursive: true });
  const writer = RunWriter.create(join(work, 'runs'), fields, '');
  writer.finish('completed', 10);
  mkdirSync(join(writer.dir, 'checkpoints', 'step-000010'), { recursive: true });
  const info = JSON.parse(JSON.stringify(writer.info));
  writeFileSync(join(writer.dir, 'run.json'), JSON.stringify({ ...info, id: '../../../x' }));
  assert.throws(() => readRunInfo(writer.dir), RunReadError);

  const result = await gan(['sample', writer.dir], work);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /"id" "\.\.\/\.\.\/\.\.\/x" is not a valid run id/);
  assert.deepEqual(readdirSync(root), ['a']);
  assert.ok(!existsSync(join(root, 'x-step-000010.png')));
});

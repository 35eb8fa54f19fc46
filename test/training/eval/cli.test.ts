// Evaluation end to end through the CLI: `evaluate` in a model logs eval/… metrics at its steps
// while training; `gan eval` prints a table, records eval.jsonl and compares runs side by side.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, test } from 'node:test';
import { readEvalRecords } from '../../../src/training/runs/evalRecords';
import { readRun } from '../../../src/training/runs/reader';
import { ensureBuilt, gan, scratch, tinyGan } from '../runs/harness';

const EVALUATE = 'evaluate { fid every=4 samples=300; kid every=4 samples=200; pr every=8 samples=200 }';
const MODEL = tinyGan('steps 8; seed 3; checkpoint 4; backend wasm').replace(
  /\n}\n$/,
  `\n  ${EVALUATE}\n}\n`,
);

before(ensureBuilt);

test('training logs eval metrics at their steps; gan eval reports, records and compares', async () => {
  const dir = scratch({ 'tiny.gan': MODEL });
  const trained = await gan(['train', 'tiny.gan', '--runs', 'runs'], dir);
  assert.equal(trained.code, 0, trained.stderr);
  const runDir = resolve(dir, /run folder: (.+)/.exec(trained.stderr)?.[1].trim() ?? '');
  const rows = readRun(runDir).metrics;
  const evaluated = rows.filter((r) => 'eval/fid' in r).map((r) => r.step);
  assert.deepEqual(evaluated, [4, 8]);
  const last = rows[rows.length - 1];
  for (const key of ['eval/fid', 'eval/kid', 'eval/precision', 'eval/recall', 'eval/coverage', 'eval/d_acc'])
    assert.ok(Number.isFinite(last[key]), `${key} in ${JSON.stringify(last)}`);
  assert.ok(!('eval/precision' in rows[3]), 'pr is due every 8 steps only');
  const shares = Object.keys(last).filter((k) => k.startsWith('eval/class/'));
  assert.deepEqual(shares.sort(), ['eval/class/circle', 'eval/class/square', 'eval/class/triangle']);

  // The worker stored the held-out reference's features for the next process (gan eval below).
  assert.equal(readdirSync(join(dir, 'eval-cache')).length, 2);
  const single = await gan(
    ['eval', runDir, '--checkpoint', '4', '--samples', '300', '--metrics', 'fid,kid'],
    dir,
  );
  assert.equal(single.code, 0, single.stderr);
  assert.match(single.stdout, /features: shapes classifier \(not comparable with Inception FID\)/);
  assert.match(single.stdout, /^fid\s+\d/m);
  assert.doesNotMatch(single.stdout, /^precision/m);
  const records = readEvalRecords(runDir);
  assert.equal(records.length, 1);
  assert.equal(records[0].step, 4);
  assert.ok(
    Math.abs(records[0].values['eval/fid'] - Number(/^fid\s+(\S+)/m.exec(single.stdout)?.[1])) <
      0.01 * records[0].values['eval/fid'] + 1e-3,
  );

  const compared = await gan(['eval', runDir, runDir, '--samples', '200', '--metrics', 'fid'], dir);
  assert.equal(compared.code, 0, compared.stderr);
  const header = compared.stdout.split('\n')[1];
  assert.equal((header.match(/@8/g) ?? []).length, 2, compared.stdout);
  assert.equal(readFileSync(join(runDir, 'eval.jsonl'), 'utf8').trim().split('\n').length, 3);

  const bad = await gan(['eval', runDir, '--metrics', 'fid,bogus'], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--metrics takes a comma-separated list of fid, kid, pr, nll, got "bogus"/);
});

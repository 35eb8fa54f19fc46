// The best FID of a run: the lowest of its training-time evaluations and its `gan eval` records.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { runHoverMarkdown } from '../../../src/extension/experiments/format';
import { bestFid, EVAL_JSONL } from '../../../src/training/runs/evalRecords';
import { METRICS_JSONL } from '../../../src/training/runs/paths';

test('best FID comes from metrics.jsonl and eval.jsonl, and the hover names its features', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gan-best-'));
  assert.equal(bestFid(dir), null);
  const rows = [
    { step: 499, epoch: 0, time: 1, d_loss: 1 },
    { step: 500, epoch: 0, time: 2, d_loss: 1, 'eval/fid': 40 },
    { step: 1000, epoch: 0, time: 3, d_loss: 1, 'eval/fid': 25.5 },
  ];
  writeFileSync(join(dir, METRICS_JSONL), rows.map((r) => JSON.stringify(r)).join('\n') + '\n{"step": 15');
  assert.deepEqual(bestFid(dir), { value: 25.5, step: 1000 });
  const record = {
    run: 'r',
    model: 'm',
    step: 1500,
    time: '',
    features: 'MNIST classifier',
    samples: {},
    values: { 'eval/fid': 19 },
    seconds: 1,
  };
  writeFileSync(join(dir, EVAL_JSONL), `${JSON.stringify(record)}\n`);
  const best = bestFid(dir);
  assert.deepEqual(best, { value: 19, step: 1500 });
  const markdown = runHoverMarkdown(
    {
      id: 'r',
      status: 'completed',
      step: 2000,
      totalSteps: 2000,
      startedAt: new Date(0).toISOString(),
      device: 'CPU',
      error: null,
      metrics: [],
      bestFid: { value: 19, step: 1500, features: 'MNIST classifier' },
    },
    new Date(1000),
  );
  assert.match(markdown, /Best FID \(MNIST classifier features\): 19 at step 1500/);
});

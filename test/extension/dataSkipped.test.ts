// The dashboard header's "skipped" line comes from run.json, read as untrusted data (issue 10,
// case 3): a well-formed record is described, a malformed one is ignored.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSummary } from '../../src/extension/experiments/summaries';
import type { RunInfo } from '../../src/training/runs/runInfo';

const info = {
  id: 'photos-20261130-101010',
  model: 'photos',
  family: 'gan',
  backend: 'cpu',
  device: 'CPU',
  status: 'completed',
  step: 4,
  totalSteps: 4,
  error: null,
} as unknown as RunInfo;

test('the summary carries one line about skipped images, only when there were some', () => {
  const skipped = { count: 7, examples: ['a.png: corrupt', 'b.png: empty'] };
  assert.equal(
    runSummary({ ...info, dataSkipped: skipped }, null).dataSkipped,
    'skipped 7 unreadable images or folders: a.png: corrupt; b.png: empty, …',
  );
  assert.equal(runSummary({ ...info, dataSkipped: { count: 0, examples: [] } }, null).dataSkipped, undefined);
  assert.equal(runSummary(info, null).dataSkipped, undefined);
  const broken = { ...info, dataSkipped: 'lots' } as unknown as RunInfo;
  assert.equal(runSummary(broken, null).dataSkipped, undefined);
});

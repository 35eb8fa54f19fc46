// One bad run folder never breaks the listing of the others (issue 10, case 5): metrics rows are
// read by schema, and each broken folder is listed with its reason instead of throwing or hiding.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatRunsTable } from '../../../src/cli/runs';
import { parseMetrics } from '../../../src/training/runs/metrics';
import { readRun, scanRuns } from '../../../src/training/runs/reader';
import { brokenRunsFolder } from './brokenRunsFolder';

test('metrics rows keep numbers only: a string or null value is dropped, not passed on', () => {
  const rows = parseMetrics(
    [
      '{"step":1,"epoch":0,"time":0.1,"d_loss":"high","g_loss":null,"ok":0.5}',
      '{"step":"2","epoch":0,"time":0.2}',
      '{"step":3,"epoch":0,"time":0.3,"d_loss":1}',
    ].join('\n'),
  );
  assert.deepEqual(rows, [
    { step: 1, epoch: 0, time: 0.1, ok: 0.5 },
    { step: 3, epoch: 0, time: 0.3, d_loss: 1 },
  ]);
});

test('a broken runs folder lists every run, the broken ones with their reason', () => {
  const { runs, good } = brokenRunsFolder();
  const scan = scanRuns(runs);
  assert.deepEqual(
    scan.runs.map((r) => r.dir),
    [good],
  );
  assert.deepEqual(readRun(good).metrics.at(-1), { step: 2, epoch: 0, time: 0.2, d_loss: 0.7 });
  const reasons = Object.fromEntries(scan.broken.map((b) => [b.name, b.reason]));
  assert.match(reasons['badjson-20260101-000000'], /run\.json is not valid JSON/);
  assert.match(reasons['escape-20260101-000000'], /"id" .*not a valid run id/);
  assert.equal(reasons.dangling, 'dangling symbolic link');
  const dirMetrics = scan.broken.find((b) => b.name.startsWith('dirmetrics-'));
  assert.equal(dirMetrics?.reason, 'metrics.jsonl is not a file');
  assert.equal(scan.broken.length, 4);
  const table = formatRunsTable(scan.runs, new Date(), scan.broken);
  assert.match(table, /d_loss=0\.7/);
  assert.match(table, /^dangling\s+-\s+broken/m);
  assert.match(table, /^badjson-20260101-000000: broken: run\.json is not valid JSON/m);
});

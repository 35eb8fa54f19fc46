// A runs folder with one good run and every kind of broken one (issue 10, case 5), shared by the
// reader's unit test and the reliability suite's `gan runs` test.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunWriter } from '../../../src/training/runs/writer';
import { tinyRunFields } from './runFields';

const fields = tinyRunFields();

/** A runs folder with one good run and every kind of broken one. */
export function brokenRunsFolder(): { runs: string; good: string } {
  const runs = mkdtempSync(join(tmpdir(), 'gan-broken-runs-'));
  const good = RunWriter.create(runs, fields, '');
  good.finish('completed', 10);
  writeFileSync(
    join(good.dir, 'metrics.jsonl'),
    '{"step":1,"epoch":0,"time":0.1,"d_loss":"x","g_loss":null}\n{"step":2,"epoch":0,"time":0.2,"d_loss":0.7}\n',
  );
  const dirMetrics = RunWriter.create(runs, { ...fields, model: 'dirmetrics' }, '');
  dirMetrics.finish('completed', 10);
  const metrics = join(dirMetrics.dir, 'metrics.jsonl');
  rmSync(metrics);
  mkdirSync(metrics);
  mkdirSync(join(runs, 'badjson-20260101-000000'));
  writeFileSync(join(runs, 'badjson-20260101-000000', 'run.json'), '{"id": "badjson", ');
  mkdirSync(join(runs, 'escape-20260101-000000'));
  writeFileSync(
    join(runs, 'escape-20260101-000000', 'run.json'),
    JSON.stringify({ ...good.info, id: '../../../x' }),
  );
  symlinkSync(join(runs, 'nowhere'), join(runs, 'dangling'));
  mkdirSync(join(runs, 'not-a-run'));
  writeFileSync(join(runs, 'notes.txt'), 'not a run');
  return { runs, good: good.dir };
}

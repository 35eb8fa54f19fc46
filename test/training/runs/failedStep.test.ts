// One source of truth for a failed run's step (issue 10, case 7): when a worker dies, the parent
// reports the step run.json recorded, not the last progress message (which may lag it).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startWorker } from '../../../src/training/runs/client';
import { readRun } from '../../../src/training/runs/reader';
import { RunWriter } from '../../../src/training/runs/writer';
import { scratch } from './harness';
import { tinyRunFields } from './runFields';

const fields = tinyRunFields({ totalSteps: 100, stepsOverride: 100 });

test('a killed worker fails at the step run.json recorded', async () => {
  const dir = scratch();
  const writer = RunWriter.create(join(dir, 'runs'), fields, '');
  writer.update({ step: 44 });
  // A worker that reported step 43, had written 44 to run.json, and was then killed.
  const fake = join(dir, 'fake-worker.js');
  writeFileSync(
    fake,
    `process.send({ type: 'started', runDir: ${JSON.stringify(writer.dir)}, runId: 'x', model: 'tiny',
       family: 'gan', backend: {}, totalSteps: 100, stepsPerEpoch: null, step: 0, resumed: false, pid: process.pid });
     process.send({ type: 'progress', rows: [], step: 43, totalSteps: 100, imagesPerSec: 1, etaSeconds: 1 },
       () => process.kill(process.pid, 'SIGKILL'));`,
  );
  const worker = startWorker({ workerPath: fake, start: { file: '', text: '', options: { runsDir: dir } } });
  const outcome = await worker.done;
  assert.equal(outcome.type, 'failed');
  assert.equal(outcome.step, 44);
  assert.equal(readRun(writer.dir).info.step, 44);
  assert.equal(readRun(writer.dir).info.status, 'failed');
});

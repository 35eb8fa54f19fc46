// The worker refuses an oversized or malformed sample request itself (issue 10, case 9), before
// building any network: the extension host's checks are not its only defence.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { SampleRequest } from '../../../src/protocol/sample';
import { Sampler } from '../../../src/training/runs/sampler';
import { RunWriter } from '../../../src/training/runs/writer';
import { tinyRunFields } from './runFields';

const fields = tinyRunFields();

test('a sample request over 1024 images is refused by the worker', async () => {
  const writer = RunWriter.create(mkdtempSync(join(tmpdir(), 'gan-sampler-')), fields, '');
  const sampler = new Sampler();
  const request = (r: unknown) =>
    sampler.render({ type: 'sample', id: 1, runDir: writer.dir, request: r as SampleRequest });
  await assert.rejects(request({ grid: [100, 100] }), /bad sample request: grid has more than 1024 images/);
  await assert.rejects(request({ grid: [2, 2], seed: -5 }), /bad sample request: seed must be/);
  sampler.dispose();
});

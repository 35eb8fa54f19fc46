// Stage boundaries drawn on every dashboard chart: the steps where a progan run's resolution
// changes; none for families that do not grow.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunSummary } from '../../src/protocol/webview';
import { RunData } from '../../src/webview/dashboard/runStore';
import { stageMarkers } from '../../src/webview/dashboard/stageMarkers';

function run(family: RunSummary['family'], resolutions: readonly number[]): RunData {
  const data = new RunData({ id: `${family}-1`, family } as RunSummary);
  data.appendRows(
    resolutions.map((resolution, step) => ({
      step,
      epoch: 0,
      time: step / 2,
      d_loss: 1,
      resolution,
      alpha: 1,
    })),
  );
  return data;
}

test('marks the first row of each new resolution, on the step or time axis', () => {
  const growing = run('progan', [4, 4, 4, 8, 8, 16, 16]);
  assert.deepEqual(stageMarkers([growing], 'step'), [3, 5]);
  assert.deepEqual(stageMarkers([growing], 'time'), [1.5, 2.5]);
});

test('families without a stage metric get no markers', () => {
  assert.deepEqual(stageMarkers([run('gan', [4, 8, 16])], 'step'), []);
});

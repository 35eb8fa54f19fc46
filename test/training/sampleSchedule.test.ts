// Grids come early: at step 0 (before the first step), then by wall time (10 s, 20 s, 40 s…)
// until the first grid by steps, without letting slow rendering take over the run. A resumed run
// (no step 0) gets its first timed grid after its first step.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FIRST_TIMED_INTERVAL_S, SampleSchedule } from '../../src/training/sampleSchedule';

/** Steps of one simulated session: `stepSeconds` per step, rendering `renderSeconds` per grid. */
function gridSteps(
  every: number,
  steps: number,
  stepSeconds: number,
  renderSeconds: number,
  from = 0,
): number[] {
  let clock = 100;
  const schedule = new SampleSchedule(every, clock);
  const written: number[] = [];
  if (from === 0) {
    clock += renderSeconds;
    schedule.written(0, clock, renderSeconds);
    written.push(0);
  }
  for (let step = from + 1; step <= from + steps; step++) {
    clock += stepSeconds;
    if (schedule.due(step, clock)) {
      clock += renderSeconds;
      schedule.written(step, clock, renderSeconds);
      written.push(step);
    }
  }
  return written;
}

test('the first grid is step 0; timed grids double their interval until `every`', () => {
  // 0.15 s a step, every 500 steps: grids at 0 s, ~10 s, ~30 s, ~70 s, then by steps.
  const steps = gridSteps(500, 1600, 0.15, 0.05);
  assert.equal(steps[0], 0);
  const timed = steps.filter((s) => s === 0 || s % 500 !== 0);
  assert.deepEqual(
    timed.map((s, i) => (i === 0 ? 0 : Math.round((s - timed[i - 1]) * 0.15))),
    [0, FIRST_TIMED_INTERVAL_S, 2 * FIRST_TIMED_INTERVAL_S, 4 * FIRST_TIMED_INTERVAL_S],
  );
  assert.deepEqual(
    steps.filter((s) => s > 0 && s % 500 === 0),
    [500, 1000, 1500],
  );
  assert.ok(
    steps.filter((s) => s > 500).every((s) => s % 500 === 0),
    'no timed grid after the first by steps',
  );
});

test('a run whose grids come quickly by steps gets no extra ones', () => {
  assert.deepEqual(gridSteps(8, 24, 0.01, 0.01), [0, 8, 16, 24]);
});

test('a resumed run gets its first timed grid after its first step', () => {
  assert.deepEqual(gridSteps(500, 100, 0.15, 0.05, 100).slice(0, 2), [101, 168]);
});

test('slow rendering spaces timed grids so they cost at most a quarter of the time', () => {
  // 30 s to render (a pixel-by-pixel sampler): the next timed grid waits for 120 s of training.
  const steps = gridSteps(10_000, 400, 1, 30);
  assert.equal(steps[0], 0);
  assert.ok(steps[1] - steps[0] >= 120, `second grid at step ${steps[1]}`);
});

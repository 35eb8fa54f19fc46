// Within-class diversity: a generator that ignores z (one image per class) scores 0, a sample of the
// real distribution scores about 1.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { meanPairwiseDistance, withinClassDiversity } from '../../../src/training/eval/diversity';

const PIXELS = 16;

/** Class c: pixels around c with per-image noise of the given spread (seeded LCG). */
function sample(n: number, classes: number, spread: number, seed: number) {
  let state = seed;
  const rand = () => ((state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const images = new Float32Array(n * PIXELS);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % classes;
    for (let k = 0; k < PIXELS; k++) images[i * PIXELS + k] = labels[i] + spread * rand();
  }
  return { images, labels };
}

test('mean pairwise distance of two points is their distance', () => {
  assert.equal(meanPairwiseDistance(new Float32Array([0, 0, 3, 4]), 2, 2), 5);
});

test('collapsed classes score 0; a fresh sample of the real distribution scores about 1', () => {
  const real = sample(600, 3, 0.5, 1);
  const collapsed = sample(300, 3, 0, 2);
  assert.equal(withinClassDiversity(collapsed, real, PIXELS), 0);
  const fresh = withinClassDiversity(sample(300, 3, 0.5, 3), real, PIXELS);
  assert.ok(Math.abs(fresh - 1) < 0.05, String(fresh));
  const half = withinClassDiversity(sample(300, 3, 0.25, 4), real, PIXELS);
  assert.ok(half > 0.4 && half < 0.6, String(half));
});

test('classes without two images on both sides are left out; nothing comparable is NaN', () => {
  const one = { images: new Float32Array(PIXELS), labels: [0] };
  assert.ok(Number.isNaN(withinClassDiversity(one, sample(30, 3, 0.5, 5), PIXELS)));
});

// The temporal measures' pieces: where a frame's ink is, how far and how smoothly it moves, and
// frames re-centred on their ink for a classifier trained on centred digits.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { centredWindows, clipMotion, inkCentres } from '../../../src/training/eval/clipMotion';

const SIZE = 16;
const SHAPE = [SIZE, SIZE, 1] as const;
const SCALE = [-1, 1] as const;

/** Frames in [-1, 1] with a 3x3 square of ink whose top-left corner is at each (y, x). */
function squares(corners: readonly [number, number][]): Float32Array {
  const frames = new Float32Array(corners.length * SIZE * SIZE).fill(-1);
  corners.forEach(([y0, x0], i) => {
    for (let y = y0; y < y0 + 3; y++)
      for (let x = x0; x < x0 + 3; x++) frames[i * SIZE * SIZE + y * SIZE + x] = 1;
  });
  return frames;
}

describe('clip motion', () => {
  it('finds the centre of the ink, ignoring a faint background, and NaN on an empty frame', () => {
    const frames = squares([[2, 5]]);
    for (let p = 0; p < SIZE * SIZE; p++) if (frames[p] < 0) frames[p] = -0.9; // 5% grey: below the floor
    const both = new Float32Array(2 * SIZE * SIZE).fill(-1);
    both.set(frames);
    const centres = inkCentres(both, 2, SHAPE, SCALE);
    assert.ok(
      Math.abs(centres[0] - 3) < 1e-9 && Math.abs(centres[1] - 6) < 1e-9,
      `${centres[0]}, ${centres[1]}`,
    );
    assert.ok(Number.isNaN(centres[2]) && Number.isNaN(centres[3]));
  });

  it('constant velocity moves a step a frame with no change; a jump shows as change', () => {
    const steady = squares([0, 1, 2, 3].map((t) => [2 + 3 * t, 1 + 4 * t] as [number, number]));
    const motion = clipMotion(inkCentres(steady, 4, SHAPE, SCALE), 1, 4);
    assert.ok(Math.abs(motion.step - 5) < 1e-9, `step ${motion.step}`);
    assert.ok(Math.abs(motion.accel) < 1e-9, `accel ${motion.accel}`);

    const jumpy = squares([
      [2, 2],
      [2, 2],
      [10, 2],
      [10, 2],
    ]);
    const jumps = clipMotion(inkCentres(jumpy, 4, SHAPE, SCALE), 1, 4);
    assert.ok(Math.abs(jumps.step - 8 / 3) < 1e-9, `step ${jumps.step}`);
    assert.ok(Math.abs(jumps.accel - 8) < 1e-9, `accel ${jumps.accel}`);
  });

  it('measures clips apart: no step across the boundary between two clips', () => {
    const frames = squares([
      [0, 0],
      [0, 2],
      [12, 11],
      [12, 13],
    ]);
    const motion = clipMotion(inkCentres(frames, 4, SHAPE, SCALE), 2, 2);
    assert.ok(Math.abs(motion.step - 2) < 1e-9, `step ${motion.step}`);
  });

  it('re-centres a frame on its ink: the same window wherever the ink was, background outside the frame', () => {
    const frames = squares([
      [1, 1],
      [11, 9],
      [0, 13],
    ]);
    const centres = inkCentres(frames, 3, SHAPE, SCALE);
    const windows = centredWindows(frames, 3, SHAPE, SCALE, centres, 7);
    const window = (i: number) => Array.from(windows.subarray(i * 49, (i + 1) * 49));
    const ink = window(0).flatMap((v, p) => (v > 0 ? [p] : []));
    assert.deepEqual(ink, [16, 17, 18, 23, 24, 25, 30, 31, 32], 'the 3x3 square in the middle of 7x7');
    assert.deepEqual(window(1), window(0));
    assert.deepEqual(window(2), window(0), 'cut at the frame edge: the rest is background');
  });
});

// The cpu backend's corrected kernels (src/training/backend/cpuKernelFixes.ts) give the gradients
// wasm gives: nearest-neighbour upsampling of a batch of several images, channels, both corner modes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import '../../../src/training/backend/cpuKernelFixes';

/** The gradient of sum(resize(x) · w) by the definition: each output pixel's weight added to its source. */
function expectedGrad(w: number[][][][], shape: readonly number[], alignCorners: boolean): number[][][][] {
  const [n, h, wd, c] = shape;
  const [oh, ow] = [w[0].length, w[0][0].length];
  const scale = (x: number, y: number): number => (alignCorners && y > 1 ? (x - 1) / (y - 1) : x / y);
  const src = (i: number, s: number, size: number): number =>
    Math.min(size - 1, alignCorners ? Math.round(i * s) : Math.floor(i * s));
  const out = Array.from({ length: n }, () =>
    Array.from({ length: h }, () => Array.from({ length: wd }, () => new Array<number>(c).fill(0))),
  );
  for (let b = 0; b < n; b++)
    for (let y = 0; y < oh; y++)
      for (let x = 0; x < ow; x++)
        for (let d = 0; d < c; d++)
          out[b][src(y, scale(h, oh), h)][src(x, scale(wd, ow), wd)][d] += w[b][y][x][d];
  return out;
}

describe('cpu kernel corrections', () => {
  for (const alignCorners of [false, true])
    it(`ResizeNearestNeighborGrad sums each image's own gradient (batch of 3, alignCorners ${alignCorners})`, async () => {
      await tf.setBackend('cpu');
      const x = tf.randomNormal([3, 4, 5, 2], 0, 1, 'float32', 1);
      const w = tf.randomNormal([3, 8, 9, 2], 0, 1, 'float32', 2);
      const grad = tf.grad((v: tf.Tensor) =>
        tf.image
          .resizeNearestNeighbor(v as tf.Tensor4D, [8, 9], alignCorners)
          .mul(w)
          .sum(),
      )(x);
      const expected = expectedGrad(w.arraySync() as number[][][][], x.shape, alignCorners);
      const actual = grad.arraySync() as number[][][][];
      actual
        .flat(3)
        .forEach((value, i) => assert.ok(Math.abs(value - expected.flat(3)[i]) < 1e-5, `entry ${i}`));
    });
});

// Bicubic and area resizing against known values: Keys' kernel (a = −0.5), the weights of a 2×
// upscale worked out by hand, linear ramps kept, block means for area, and the tensor version
// against a direct evaluation of the matrices.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { keysCubic, resizeImages, resizeMatrix } from '../../../src/training/engine/resize';
import { useBackend } from './helpers';

before(async () => {
  await useBackend();
});

function close(actual: number, expected: number, what: string, eps = 1e-6): void {
  assert.ok(Math.abs(actual - expected) < eps, `${what}: ${actual} vs ${expected}`);
}

describe('Keys cubic kernel', () => {
  it('has the a = −0.5 values', () => {
    close(keysCubic(0), 1, 'W(0)');
    close(keysCubic(1), 0, 'W(1)');
    close(keysCubic(2), 0, 'W(2)');
    close(keysCubic(0.5), 0.5625, 'W(0.5)');
    close(keysCubic(-1.5), -0.0625, 'W(-1.5)');
    close(keysCubic(2.5), 0, 'W(2.5)');
  });
});

describe('resizeMatrix', () => {
  it('upscales by 2 with the hand-computed weights at distances 1.25, 0.25, 0.75, 1.75', () => {
    const m = resizeMatrix(8, 16, 'bicubic');
    // Output 6 has its centre at 6/2 − 0.25 = 2.75 in input pixels: inputs 1..4.
    const row = Array.from(m.subarray(6 * 8, 7 * 8));
    const expected = [0, -0.0234375, 0.2265625, 0.8671875, -0.0703125, 0, 0, 0];
    row.forEach((w, i) => close(w, expected[i], `weight ${i}`));
  });

  it('rows sum to 1 and interior rows keep a linear ramp, upscaling and downscaling', () => {
    for (const [from, to] of [
      [7, 28],
      [16, 64],
      [64, 16],
      [28, 7],
    ]) {
      const m = resizeMatrix(from, to, 'bicubic');
      const scale = from / to;
      for (let o = 0; o < to; o++) {
        const row = m.subarray(o * from, (o + 1) * from);
        close(
          row.reduce((a, b) => a + b, 0),
          1,
          `${from}->${to} row ${o} sum`,
          1e-5,
        );
        const centre = (o + 0.5) * scale - 0.5;
        const reach = 2 * Math.max(1, scale);
        if (centre - reach >= 0 && centre + reach <= from - 1)
          close(
            row.reduce((a, w, i) => a + w * i, 0),
            centre,
            `${from}->${to} ramp at ${o}`,
            1e-4,
          );
      }
    }
  });

  it('area shrinking averages each block', () => {
    const m = resizeMatrix(8, 2, 'area');
    assert.deepEqual(Array.from(m), [0.25, 0.25, 0.25, 0.25, 0, 0, 0, 0, 0, 0, 0, 0, 0.25, 0.25, 0.25, 0.25]);
  });
});

describe('resizeImages', () => {
  it('applies the matrices along height and width, each channel apart', async () => {
    const [n, h, w, c, oh, ow] = [2, 5, 6, 3, 10, 3];
    const values = Float32Array.from({ length: n * h * w * c }, (_, i) => Math.sin(i * 1.7) * 3);
    const out = await resizeImages(tf.tensor4d(values, [n, h, w, c]), oh, ow, 'bicubic').data();
    const mh = resizeMatrix(h, oh, 'bicubic');
    const mw = resizeMatrix(w, ow, 'bicubic');
    for (let b = 0; b < n; b++)
      for (let y = 0; y < oh; y++)
        for (let x = 0; x < ow; x++)
          for (let ch = 0; ch < c; ch++) {
            let expected = 0;
            for (let i = 0; i < h; i++)
              for (let j = 0; j < w; j++)
                expected += mh[y * h + i] * mw[x * w + j] * values[((b * h + i) * w + j) * c + ch];
            close(out[((b * oh + y) * ow + x) * c + ch], expected, `pixel ${b},${y},${x},${ch}`, 1e-4);
          }
  });

  it('area shrinking equals average pooling', async () => {
    const x = tf.tensor4d(
      Float32Array.from({ length: 2 * 8 * 8 * 3 }, (_, i) => Math.cos(i)),
      [2, 8, 8, 3],
    );
    const area = await resizeImages(x, 2, 2, 'area').data();
    const pooled = await tf.avgPool(x, 4, 4, 'valid').data();
    area.forEach((v, i) => close(v, pooled[i], `value ${i}`, 1e-5));
  });
});

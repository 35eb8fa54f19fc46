import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convertChannels } from '../../../src/training/data/conform';
import { createResampler } from '../../../src/training/data/resample';

describe('resampling and channel conversion', () => {
  it('keeps flat images flat and averages when halving', () => {
    const flat = createResampler([28, 28, 1], [32, 32, 1])(new Uint8Array(28 * 28).fill(77));
    assert.ok(flat.every((v) => v === 77));
    // Vertical stripes 0/200 halve to their mean (edge taps are cut off and renormalised).
    const stripes = Uint8Array.from({ length: 8 * 8 }, (_, p) => (p % 2 ? 200 : 0));
    const half = createResampler([8, 8, 1], [4, 4, 1])(stripes);
    const interior = [...half].filter((_, p) => p % 4 === 1 || p % 4 === 2);
    assert.ok(
      interior.every((v) => v === 100),
      `${half}`,
    );
    assert.equal(half.reduce((sum, v) => sum + v, 0) / half.length, 100, 'edges trade off symmetrically');
  });

  it('resizes each channel on its own', () => {
    const rgb = Uint8Array.from({ length: 6 * 6 * 3 }, (_, i) => [10, 120, 250][i % 3]);
    const out = createResampler([6, 6, 3], [3, 2, 3])(rgb);
    assert.equal(out.length, 3 * 2 * 3);
    assert.deepEqual([...out.subarray(0, 3)], [10, 120, 250]);
  });

  it('converts grey to RGB by copying and RGB to grey by luma', () => {
    assert.deepEqual([...convertChannels(Uint8Array.of(9, 200), 1, 3)], [9, 9, 9, 200, 200, 200]);
    assert.deepEqual(
      [...convertChannels(Uint8Array.of(255, 0, 0, 0, 0, 255, 255, 255, 255), 3, 1)],
      [76, 29, 255],
    );
    assert.deepEqual([...convertChannels(Uint8Array.of(1, 2, 3, 128), 4, 3)], [1, 2, 3]);
  });
});

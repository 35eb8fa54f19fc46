// Tiled upscaling: tiles cover the image with even overlaps, and blending the tiles of a
// translation-equivariant generator (nearest-neighbour ×2, then a 1×1 colour mix) gives exactly
// what the generator gives on the whole image, whatever the image size: no seams, no shifts.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { tileStarts, upscaleTiled } from '../../../src/training/engine/tiles';
import { randomValues } from '../backend/compare';
import { useBackend } from './helpers';

before(async () => {
  await useBackend();
});

describe('tileStarts', () => {
  it('covers the size with tiles that overlap by at least the overlap', () => {
    for (const [size, tile, overlap] of [
      [16, 16, 4],
      [10, 16, 4],
      [17, 16, 4],
      [100, 16, 4],
      [13, 4, 1],
    ]) {
      const starts = tileStarts(size, tile, overlap);
      assert.equal(starts[0], 0);
      assert.ok(starts[starts.length - 1] + tile >= size, `${size}/${tile}: ${starts}`);
      for (let i = 1; i < starts.length; i++) {
        assert.ok(starts[i] > starts[i - 1]);
        assert.ok(starts[i - 1] + tile - starts[i] >= overlap, `${size}/${tile}: ${starts}`);
      }
    }
  });
});

describe('upscaleTiled', () => {
  const generatorFor = (tile: number, channels: number): tf.LayersModel => {
    const input = tf.input({ shape: [tile, tile, channels] });
    const up = tf.layers.upSampling2d({ size: [2, 2] }).apply(input) as tf.SymbolicTensor;
    const mix = tf.layers.conv2d({ filters: channels, kernelSize: 1, kernelInitializer: 'glorotUniform' });
    return tf.model({ inputs: input, outputs: mix.apply(up) as tf.SymbolicTensor });
  };

  for (const [height, width] of [
    [8, 8],
    [13, 10],
    [5, 3],
    [31, 17],
  ]) {
    it(`matches the generator on the whole ${height}x${width} image`, async () => {
      const channels = 3;
      const g = generatorFor(8, channels);
      const pixels = randomValues(height * width * channels, height * 31 + width);
      const tiled = await upscaleTiled(g, { height, width, channels, pixels }, [8, 8], 2);
      assert.deepEqual([tiled.height, tiled.width, tiled.channels], [2 * height, 2 * width, channels]);
      const up = tf.image.resizeNearestNeighbor(tf.tensor4d(pixels, [1, height, width, channels]), [
        2 * height,
        2 * width,
      ]);
      const whole = await (g.layers[2].apply(up) as tf.Tensor).data();
      let worst = 0;
      whole.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - tiled.pixels[i]))));
      assert.ok(worst < 1e-5, `largest difference ${worst}`);
    });
  }
});

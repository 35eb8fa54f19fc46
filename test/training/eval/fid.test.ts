// FID in the shipped MNIST classifier's features, on real images: the train split against the
// test split is small, Gaussian noise is huge, and blur raises it step by step.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ResolvedData } from '../../../src/language/model';
import { loadMnist } from '../../../src/training/data/mnist';
import { CLASSIFIERS } from '../../../src/training/eval/classifiers';
import { openFeatureNetwork, type FeatureNetwork } from '../../../src/training/eval/featureNetwork';
import { frechetDistance } from '../../../src/training/eval/fid';
import { kernelDistance } from '../../../src/training/eval/kid';
import { gaussianStats, type GaussianStats } from '../../../src/training/eval/linalg';
import { useBackend } from '../engine/helpers';

const N = 10000;
const spec: ResolvedData = { ...CLASSIFIERS.mnist.data[0], scale: [0, 1] };

function images(split: 'train' | 'test', n: number): Promise<Float32Array> {
  return loadMnist(split).then((table) =>
    Float32Array.from(table.pixels.subarray(0, n * 784), (v) => v / 255),
  );
}

/** Box blur of radius r, per image (28x28x1), edges clamped. */
function blur(pixels: Float32Array, count: number, r: number): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(pixels, [count, 28, 28, 1]);
    const k = 2 * r + 1;
    const kernel = tf.fill([k, k, 1, 1], 1 / (k * k)) as tf.Tensor4D;
    const padded = tf.pad(x, [
      [0, 0],
      [r, r],
      [r, r],
      [0, 0],
    ]);
    return tf.conv2d(padded as tf.Tensor4D, kernel, 1, 'valid').dataSync() as Float32Array;
  });
}

describe('FID (MNIST classifier features)', () => {
  let network: FeatureNetwork;
  let testStats: GaussianStats;
  let train: Float32Array;
  const stats = (pixels: Float32Array, n: number): GaussianStats =>
    gaussianStats(network.embed(pixels, n, spec).features);

  before(async () => {
    await useBackend();
    network = await openFeatureNetwork(spec, {
      ganDir: mkdtempSync(join(tmpdir(), 'gan-fid-')),
      baseDir: process.cwd(),
    });
    testStats = stats(await images('test', N), N);
    train = await images('train', N);
  });
  after(() => network?.dispose());

  it('is below 3 between 10,000 training and 10,000 test images', (t) => {
    const fid = frechetDistance(stats(train, N), testStats);
    t.diagnostic(`FID train vs test: ${fid.toFixed(3)}`);
    assert.ok(fid < 3, `FID train vs test ${fid}`);
  });

  it('is huge for Gaussian noise and rises monotonically with blur', (t) => {
    const n = 2000;
    const real = train.subarray(0, n * 784);
    const values = [0, 1, 2, 3].map((r) => frechetDistance(stats(r ? blur(real, n, r) : real, n), testStats));
    for (let i = 1; i < values.length; i++)
      assert.ok(
        values[i] > values[i - 1] * 1.2,
        `blur radii 0..3: ${values.map((v) => v.toFixed(2)).join(', ')}`,
      );
    const noise = tf.tidy(
      () => tf.randomNormal([n, 28, 28, 1], 0.5, 0.5, 'float32', 5).dataSync() as Float32Array,
    );
    const fidNoise = frechetDistance(stats(noise, n), testStats);
    t.diagnostic(
      `blur radius 0..3: ${values.map((v) => v.toFixed(2)).join(', ')}; noise ${fidNoise.toFixed(1)}`,
    );
    assert.ok(fidNoise > 100 * Math.max(1, values[0]), `noise ${fidNoise} vs real ${values[0]}`);
    // A 7x7 box blur leaves no digit either, but noise is further still.
    assert.ok(fidNoise > values[3], `noise ${fidNoise} vs strongest blur ${values[3]}`);
  });

  it('KID of two real samples is ≈ 0 and of blurred images clearly positive', () => {
    const n = 1000;
    const a = network.embed(train.subarray(0, n * 784), n, spec).features;
    const b = network.embed(train.subarray(n * 784, 2 * n * 784), n, spec).features;
    const blurred = network.embed(blur(train.subarray(2 * n * 784, 3 * n * 784), n, 2), n, spec).features;
    const same = kernelDistance(a, b, { subsets: 5, subsetSize: 500 });
    const different = kernelDistance(a, blurred, { subsets: 5, subsetSize: 500 });
    assert.ok(Math.abs(same.mean) < 3 * same.std + 0.01 * different.mean, `same ${same.mean} ± ${same.std}`);
    assert.ok(different.mean > 20 * Math.abs(same.mean), `blurred ${different.mean} vs same ${same.mean}`);
  });
});

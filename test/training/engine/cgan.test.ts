// cgan: a small classifier trained here on real labelled shapes recognises the class each sample
// row was asked for far more often than chance, with the label joined to z (the default) and
// through conditional batch norm (generator=batchnorm).
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import type { ResolvedModel } from '../../../src/language/model';
import type { Trainer } from '../../../src/training/contract';
import { openDataSource } from '../../../src/training/data';
import { GUTTER } from '../../../src/training/engine/png';
import { resolveModel, train, trainerFor } from './helpers';

const SIZE = 12;
const CGAN = `
model tiny_cgan: cgan {
  data shapes size=${SIZE}x${SIZE} channels=1 { scale [-1, 1]; batch 32 }
  latent 8
  condition classes=3 embed=4
  generator { dense 64; leakyrelu; dense ${SIZE * SIZE} activation=tanh; reshape [${SIZE}, ${SIZE}, 1] }
  discriminator { flatten; dense 64; leakyrelu; dense 1 }
  loss nonsaturating
  optimizer adam lr=2e-3 beta1=0.5
  train { steps 400; seed 4 }
  sample { every 100; grid 3x10 }
}`;
/** The same model with the label conditioning the generator's batch norm instead of joining z. */
const CBN = CGAN.replace(
  'condition classes=3 embed=4',
  'condition classes=3 embed=4 generator=batchnorm',
).replace('generator { dense 64; leakyrelu;', 'generator { dense 64 bias=false; batchnorm; leakyrelu;');

/** A dense softmax classifier on real images of the model's data. */
async function trainClassifier(
  model: ResolvedModel,
): Promise<{ classifier: tf.Sequential; realAccuracy: number }> {
  const source = await openDataSource(model.data[0], { seed: 99, baseDir: process.cwd() });
  const classifier = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [SIZE, SIZE, 1] }),
      tf.layers.dense({
        units: 64,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
      }),
      tf.layers.dense({
        units: 3,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
      }),
    ],
  });
  classifier.compile({ optimizer: tf.train.adam(3e-3), loss: 'sparseCategoricalCrossentropy' });
  for (let i = 0; i < 300; i++) {
    const batch = await source.next();
    const [x, y] = [
      tf.tensor4d(batch.images, [batch.count, SIZE, SIZE, 1]),
      tf.tensor1d(batch.labels ?? [], 'float32'),
    ];
    await classifier.trainOnBatch(x, y);
    tf.dispose([x, y]);
  }
  const held = await source.heldOut(300);
  const predicted = tf.tidy(() =>
    (classifier.predict(tf.tensor4d(held.images, [held.count, SIZE, SIZE, 1])) as tf.Tensor)
      .argMax(1)
      .dataSync(),
  );
  const correct = predicted.filter((p, i) => p === held.labels?.[i]).length;
  source.dispose();
  return { classifier, realAccuracy: correct / held.count };
}

/** The tiles of a sample grid PNG, mapped back to the data's [-1, 1] scale. */
function tiles(png: PNG, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols * SIZE * SIZE);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++)
      for (let y = 0; y < SIZE; y++)
        for (let x = 0; x < SIZE; x++) {
          const px = GUTTER + c * (SIZE + GUTTER) + x;
          const py = GUTTER + r * (SIZE + GUTTER) + y;
          out[((r * cols + c) * SIZE + y) * SIZE + x] = (png.data[(py * png.width + px) * 4] / 255) * 2 - 1;
        }
  return out;
}

// The per-class scale and shift start at the identity (no label effect at all), so conditional
// batch norm takes longer to separate the classes here: measured mean |difference| between
// classes from the same z, 0.04-0.09 at 300 steps, 0.09-0.25 at 600 (one-hot: 0.08-0.26 at 300).
for (const [name, text, steps] of [
  ['cgan', CGAN, 300],
  ['cgan generator=batchnorm', CBN, 600],
] as const)
  describe(name, () => {
    let trainer: Trainer;
    const model = resolveModel(text);
    before(async () => {
      trainer = await trainerFor(model);
      await train(trainer, steps);
    });
    after(() => trainer.dispose());

    it('draws the class each row asks for, as judged by a classifier of real images', async () => {
      const { classifier, realAccuracy } = await trainClassifier(model);
      assert.ok(realAccuracy > 0.6, `classifier accuracy on real images ${realAccuracy}`);
      const rows = 6;
      const cols = 10;
      const classes = [0, 1, 2, 2, 1, 0];
      const png = PNG.sync.read(
        Buffer.from(await trainer.renderSamples({ grid: [rows, cols], classes, seed: 77 })),
      );
      const predicted = tf.tidy(() =>
        (classifier.predict(tf.tensor4d(tiles(png, rows, cols), [rows * cols, SIZE, SIZE, 1])) as tf.Tensor)
          .argMax(1)
          .dataSync(),
      );
      const hits = Array.from(predicted).filter((p, i) => p === classes[Math.floor(i / cols)]).length;
      classifier.dispose();
      assert.ok(
        hits / (rows * cols) > 0.5,
        `${hits} of ${rows * cols} samples classified as asked (chance: 1/3)`,
      );
    });

    it('draws different images for different labels from the same z', () => {
      const generator = trainer.networks.generator;
      const latent = model.latent?.size ?? 0;
      const images = tf.tidy(() => {
        const z = tf.randomNormal([1, latent], 0, 1, 'float32', 5).tile([3, 1]);
        const labels = tf.tensor2d([[0], [1], [2]], [3, 1], 'int32');
        return (generator.predict([z, labels]) as tf.Tensor).reshape([3, -1]).arraySync() as number[][];
      });
      for (const [a, b] of [
        [0, 1],
        [0, 2],
        [1, 2],
      ]) {
        const distance =
          images[a].reduce((sum, v, i) => sum + Math.abs(v - images[b][i]), 0) / images[a].length;
        assert.ok(distance > 0.03, `classes ${a} and ${b}: mean absolute difference ${distance}`);
      }
    });

    it('renders one row per class by default and keeps the tensor count constant', async () => {
      const png = PNG.sync.read(Buffer.from(await trainer.renderSamples()));
      assert.deepEqual([png.width, png.height], [10 * SIZE + 11 * GUTTER, 3 * SIZE + 4 * GUTTER]);
      await trainer.trainStep();
      const count = tf.memory().numTensors;
      await train(trainer, 2);
      await trainer.renderSamples({ mode: 'interpolate', seed: 1, seed2: 2 });
      assert.equal(tf.memory().numTensors, count);
    });
  });

describe('cgan conditioning modes', () => {
  for (const [generator, discriminator] of [
    ['onehot', 'planes'],
    ['onehot', 'projection'],
    ['embed', 'embed'],
    ['batchnorm', 'planes'],
    ['batchnorm', 'projection'],
  ] as const) {
    it(`generator=${generator} discriminator=${discriminator} trains, renders and keeps the tensor count`, async () => {
      const text = (generator === 'batchnorm' ? CBN : CGAN).replace(
        /condition classes=3 embed=4.*/,
        `condition classes=3 embed=4 generator=${generator} discriminator=${discriminator}`,
      );
      const trainer = await trainerFor(resolveModel(text));
      try {
        await train(trainer, 2);
        const count = tf.memory().numTensors;
        const rows = await train(trainer, 3);
        assert.ok(rows.every((r) => Number.isFinite(r.d_loss) && Number.isFinite(r.g_loss)));
        const png = PNG.sync.read(
          Buffer.from(await trainer.renderSamples({ grid: [3, 2], classes: [0, 1, 2] })),
        );
        assert.equal(png.height, 3 * SIZE + 4 * GUTTER);
        assert.equal(tf.memory().numTensors, count);
      } finally {
        trainer.dispose();
      }
    });
  }
});

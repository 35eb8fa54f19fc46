// gan: the discriminator first separates real from generated images, then the generator closes
// the gap; every adversarial loss trains; EMA follows its formula; no tensor leaks.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { WeightAverage } from '../../../src/training/engine/ema';
import { minimize } from '../../../src/training/engine/families/family';
import { mean, resolveModel, train, trainerFor, useBackend } from './helpers';

const gan = (loss: string, extra = ''): string => `
model tiny_gan: gan {
  data shapes size=8x8 channels=1 { scale [-1, 1]; batch 32 }
  latent 8
  generator { dense 64; batchnorm; relu; dense 64 activation=tanh; reshape [8, 8, 1] }
  discriminator { flatten; dense 64 sn=true; leakyrelu; dropout 0.2; dense 1 }
  loss ${loss}
  optimizer adam lr=2e-3 beta1=0.5
  train { steps 150; seed 1; ema 0.9; ${extra} }
  sample { every 50; grid 4x4 }
}`;

/** d_real − d_fake averaged over windows of 5 steps. */
function gaps(history: readonly Record<string, number>[]): number[] {
  const out: number[] = [];
  for (let i = 0; i + 5 <= history.length; i += 5)
    out.push(mean(history.slice(i, i + 5).map((m) => m.d_real - m.d_fake)));
  return out;
}

describe('gan', () => {
  before(useBackend);

  it('moves D(x) and D(G(z)) apart, then the generator brings them back together', async () => {
    const trainer = await trainerFor(resolveModel(gan('nonsaturating smoothing=0.9')));
    try {
      const history = await train(trainer, 150);
      for (const m of history)
        for (const k of ['d_loss', 'g_loss', 'd_real', 'd_fake']) assert.ok(Number.isFinite(m[k]));
      const windows = gaps(history);
      const apart = Math.max(...windows.slice(0, 10));
      const together = mean(windows.slice(-6));
      assert.ok(apart > 0.12, `largest early gap ${apart.toFixed(3)}`);
      assert.ok(together < 0.4 * apart, `late gap ${together.toFixed(3)} vs early ${apart.toFixed(3)}`);
      assert.ok(
        history.every((m) => m.d_real > 0 && m.d_real < 1),
        'sigmoid losses report probabilities',
      );
    } finally {
      trainer.dispose();
    }
  });

  for (const loss of ['minimax', 'wasserstein gp=10', 'hinge', 'lsgan smoothing=0.9']) {
    it(`trains with ${loss}: the critic separates real from fake, without leaking tensors`, async () => {
      const trainer = await trainerFor(resolveModel(gan(loss, 'd_steps 2')));
      try {
        assert.equal(trainer.imagesPerStep, 64);
        const history = await train(trainer, 25);
        for (const m of history)
          for (const k of ['d_loss', 'g_loss', 'd_real', 'd_fake']) assert.ok(Number.isFinite(m[k]), `${k}`);
        assert.ok(Math.max(...gaps(history)) > 0.05, `gaps ${gaps(history).map((g) => g.toFixed(3))}`);
        const count = tf.memory().numTensors;
        await train(trainer, 2);
        await trainer.renderSamples();
        assert.equal(tf.memory().numTensors, count);
      } finally {
        trainer.dispose();
      }
    });
  }

  it('averages weights as avg = decay·avg + (1 − decay)·w', () => {
    const make = (): tf.LayersModel => {
      const input = tf.input({ shape: [2] });
      return tf.model({
        inputs: input,
        outputs: tf.layers.dense({ units: 1 }).apply(input) as tf.SymbolicTensor,
      });
    };
    const source = make();
    const average = new WeightAverage(source, make(), 0.9);
    const before = source.getWeights()[0].arraySync() as number[][];
    source.weights[0].write(tf.tensor2d([[1], [2]]));
    average.update();
    const after = average.average.getWeights()[0].arraySync() as number[][];
    after.forEach((row, i) => assert.ok(Math.abs(row[0] - (0.9 * before[i][0] + 0.1 * (i + 1))) < 1e-6));
  });

  it('a critic update nested in the generator tape equals a critic update then a generator update', () => {
    const initial = {
      g: [
        [0.5, -0.3],
        [0.2, 0.8],
      ],
      d: [[0.7], [-0.4]],
    };
    const g = tf.variable(tf.tensor2d(initial.g));
    const d = tf.variable(tf.tensor2d(initial.d));
    const z = tf.tensor2d([
      [1, 2],
      [-1, 0.5],
    ]);
    const real = tf.tensor2d([
      [0.3, 0.1],
      [0.9, -0.2],
    ]);
    const criticLoss = (fake: tf.Tensor): tf.Scalar =>
      tf
        .softplus(real.matMul(d).neg())
        .mean()
        .add(tf.softplus(fake.matMul(d)).mean());
    const generatorLoss = (fake: tf.Tensor): tf.Scalar => tf.softplus(fake.matMul(d).neg()).mean();
    const [optG, optD] = [tf.train.sgd(0.5), tf.train.sgd(0.5)];
    minimize(optG, [g], () => {
      const fake = z.matMul(g);
      minimize(optD, [d], () => criticLoss(fake));
      return generatorLoss(fake);
    });
    const nested = [g.arraySync(), d.arraySync()];
    g.assign(tf.tensor2d(initial.g));
    d.assign(tf.tensor2d(initial.d));
    const fake = z.matMul(g);
    minimize(optD, [d], () => criticLoss(fake));
    minimize(optG, [g], () => generatorLoss(z.matMul(g)));
    assert.deepEqual(nested, [g.arraySync(), d.arraySync()]);
    assert.notDeepEqual(nested[0], initial.g);
    tf.dispose([g, d, z, real, fake]);
  });
});

// vae: the negative ELBO falls clearly in 200 steps; every sample mode renders a PNG of the right size.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import type { Trainer } from '../../../src/training/contract';
import { gridSize } from '../../../src/training/engine/png';
import { mean, resolveModel, train, trainerFor } from './helpers';

const VAE = `
model tiny_vae: vae {
  data shapes size=12x12 channels=1 { scale [0, 1]; batch 32 }
  latent 4
  encoder { conv 4 kernel=3 stride=2 activation=relu; flatten; dense 32 activation=relu }
  decoder { dense 64 activation=relu; dense 144 activation=sigmoid; reshape [12, 12, 1] }
  loss elbo beta=1 reconstruction=bce
  optimizer adam lr=3e-3
  train { steps 200; seed 2 }
  sample { every 100; grid 4x6 }
}`;

describe('vae', () => {
  let trainer: Trainer;
  let history: Record<string, number>[] = [];
  before(async () => {
    trainer = await trainerFor(resolveModel(VAE));
    history = await train(trainer, 200);
  });
  after(() => trainer.dispose());

  it('logs loss = recon + beta·kl', () => {
    for (const m of history) {
      assert.ok(Number.isFinite(m.loss) && m.kl >= 0 && m.recon > 0);
      assert.ok(Math.abs(m.loss - (m.recon + m.kl)) < 1e-3 * m.loss);
    }
  });

  it('lowers the negative ELBO by a clear margin in 200 steps', () => {
    const first = mean(history.slice(0, 10).map((m) => m.loss));
    const last = mean(history.slice(-20).map((m) => m.loss));
    assert.ok(last < 0.6 * first, `loss ${first.toFixed(2)} -> ${last.toFixed(2)}`);
  });

  it('keeps the tensor count constant across steps and samples', async () => {
    await trainer.trainStep();
    const before = tf.memory().numTensors;
    await train(trainer, 2);
    await trainer.renderSamples({ mode: 'reconstruct' });
    assert.equal(tf.memory().numTensors, before);
  });

  for (const mode of ['grid', 'interpolate', 'reconstruct', 'walk'] as const) {
    it(`renders ${mode} samples as a PNG of the grid's size`, async () => {
      const png = PNG.sync.read(Buffer.from(await trainer.renderSamples({ mode, seed: 5, seed2: 6 })));
      assert.deepEqual([png.width, png.height], gridSize(4, 6, [12, 12, 1]));
      const values = new Set<number>();
      for (let i = 0; i < png.data.length; i += 4) values.add(png.data[i]);
      assert.ok(values.size > 20, `${values.size} grey levels`);
    });
  }

  it('reconstructs held-out images better than chance', async () => {
    const png = PNG.sync.read(
      Buffer.from(await trainer.renderSamples({ mode: 'reconstruct', grid: [2, 8] })),
    );
    const tile = (row: number, col: number): number[] => {
      const out: number[] = [];
      for (let y = 0; y < 12; y++)
        for (let x = 0; x < 12; x++)
          out.push(png.data[((2 + row * 14 + y) * png.width + 2 + col * 14 + x) * 4]);
      return out;
    };
    const distance = (a: number[], b: number[]): number => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0);
    let matched = 0;
    let shifted = 0;
    for (let c = 0; c < 8; c++) {
      matched += distance(tile(0, c), tile(1, c));
      shifted += distance(tile(0, c), tile(1, (c + 1) % 8));
    }
    assert.ok(matched < 0.8 * shifted, `own ${matched} vs another's ${shifted}`);
  });
});

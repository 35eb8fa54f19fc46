// A run resumed from a checkpoint continues exactly like an uninterrupted one: networks,
// optimizer slots, EMA weights, batch-norm statistics, spectral-norm vectors, the random
// stream and the data position are all restored.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { resolveModel, train, trainerFor } from './helpers';

const MODELS = {
  gan: `
model resumable_gan: gan {
  data shapes size=8x8 channels=1 limit=48 { scale [-1, 1]; batch 16 }
  latent 6
  generator { dense 32 bias=false; batchnorm; leakyrelu; dropout 0.1; dense 64 activation=tanh; reshape [8, 8, 1] }
  discriminator { flatten; dense 32 sn=true; leakyrelu; dropout 0.3; dense 1 }
  loss wasserstein gp=5
  optimizer generator adam lr=1e-3 beta1=0.5
  optimizer discriminator rmsprop lr=1e-3
  train { steps 6; seed 9; d_steps 2; ema 0.8 }
  sample { every 3; grid 2x3 }
}`,
  cgan: `
model resumable_cgan: cgan {
  data shapes size=8x8 channels=1 limit=40 { scale [-1, 1]; batch 16 }
  latent 6
  condition classes=3 embed=3
  generator { dense 32; layernorm; relu; dense 64 activation=tanh; reshape [8, 8, 1] }
  discriminator { flatten; dropout 0.2; dense 16; leakyrelu; dense 1 }
  loss nonsaturating smoothing=0.9
  optimizer sgd lr=1e-2 momentum=0.9
  train { steps 6; seed 10 }
  sample { every 3; grid 3x3 }
}`,
  vae: `
model resumable_vae: vae {
  data shapes size=8x8 channels=1 limit=40 { scale [0, 1]; batch 16 }
  latent 3
  encoder { flatten; dense 24 activation=elu; dropout 0.2 }
  decoder { dense 64 activation=sigmoid; reshape [8, 8, 1] }
  loss elbo beta=2 reconstruction=mse
  optimizer adam lr=1e-3
  train { steps 6; seed 11 }
  sample { every 3; grid 2x2 }
}`,
};

describe('resume', () => {
  let dir = '';
  before(() => (dir = mkdtempSync(join(tmpdir(), 'gan-resume-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [family, text] of Object.entries(MODELS)) {
    it(`${family}: 3 steps + checkpoint + a new trainer + 3 steps equals 6 uninterrupted steps`, async () => {
      const model = resolveModel(text);
      const straight = await trainerFor(model);
      const expected = await train(straight, 6);
      const expectedSamples = await straight.renderSamples();
      straight.dispose();

      const first = await trainerFor(model);
      const head = await train(first, 3);
      const checkpoint = join(dir, family);
      await first.saveCheckpoint(checkpoint);
      first.dispose();
      const second = await trainerFor(model);
      await second.loadCheckpoint(checkpoint);
      assert.equal(second.step, 3);
      const tail = await train(second, 3);
      assert.deepEqual([...head, ...tail], expected);
      assert.deepEqual(await second.renderSamples(), expectedSamples);
      second.dispose();
      assert.ok(
        existsSync(join(checkpoint, 'networks', family === 'vae' ? 'decoder' : 'generator', 'model.json')),
      );
    });
  }

  it('a model loaded from a checkpoint folder with tf.loadLayersModel matches the trainer', async () => {
    const model = resolveModel(MODELS.gan);
    const trainer = await trainerFor(model);
    await train(trainer, 1);
    const checkpoint = join(dir, 'loadable');
    await trainer.saveCheckpoint(checkpoint);
    const { directoryIO } = await import('../../../src/training/engine/modelFiles');
    const ema = await tf.loadLayersModel(directoryIO(join(checkpoint, 'networks', 'generator_ema')));
    assert.deepEqual(ema.outputs[0].shape, [null, 8, 8, 1]);
    ema.dispose();
    trainer.dispose();
  });
});

// A run resumed from a checkpoint continues exactly like an uninterrupted one: networks,
// optimizer slots, EMA weights, batch-norm statistics (conditional ones' per-class tables
// included), spectral-norm vectors, the random
// stream and the data position are all restored; srgan's stage follows from the restored step;
// video's trajectory (a GRU) and clip critic with them.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { directoryIO } from '../../../src/training/engine/modelFiles';
import { latentValues } from '../../../src/training/engine/noise';
import { GUTTER } from '../../../src/training/engine/png';
import { CounterRng } from '../../../src/training/engine/rng';
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
  // Conditional batch norm (a batchnorm layer and norm=batch) with a projection discriminator.
  cgan_batchnorm: `
model resumable_cbn: cgan {
  data shapes size=8x8 channels=1 limit=40 { scale [-1, 1]; batch 16 }
  latent 6
  condition classes=3 generator=batchnorm discriminator=projection
  generator {
    dense 4*4*8 bias=false
    batchnorm momentum=0.8
    relu
    reshape [4, 4, 8]
    deconv 4 kernel=3 stride=2 norm=batch activation=relu
    conv 1 kernel=3 activation=tanh
  }
  discriminator { flatten; dense 16; leakyrelu; dense 1 }
  loss hinge
  optimizer adam lr=1e-3 beta1=0.5
  train { steps 6; seed 13; ema 0.8 }
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
  // Checkpointed in the pretraining stage (steps 1-4), resumed into the adversarial one.
  srgan: `
model resumable_sr: srgan {
  data shapes size=8x8 channels=1 limit=40 { scale [-1, 1]; batch 8 }
  upscale 2 method=bicubic
  generator { conv 4 kernel=3; prelu; conv 4 kernel=3; pixelshuffle 2 }
  discriminator { conv 4 kernel=3 stride=2; leakyrelu; flatten; dense 1 }
  loss nonsaturating adversarial=0.1 features=discriminator
  pretrain { steps 4 }
  optimizer adam lr=1e-3
  train { steps 6; seed 12; ema 0.8 }
  sample { every 3; grid 4x2 }
}`,
  pixelcnn: `
model resumable_pixelcnn: pixelcnn {
  data shapes size=8x8 channels=1 limit=40 { scale [0, 1]; batch 8 }
  levels 2 quantize=stochastic
  network { gated 4 kernel=3 mask=A; residual { gated 4 }; dropout 0.1; maskedconv 2 kernel=1 }
  optimizer adam lr=1e-3
  train { steps 6; seed 12 }
  sample { every 3; grid 1x2 }
}`,
  // Class-conditional: the labels follow the restored data position, the class biases their
  // optimizer slots; the grid's rows are classes.
  pixelcnn_cond: `
model resumable_pixelcnn_cond: pixelcnn {
  data shapes size=8x8 channels=1 limit=40 { scale [0, 1]; batch 8 }
  levels 2 quantize=stochastic
  condition classes=3
  network { gated 4 kernel=3 mask=A; residual { gated 4 }; dropout 0.1; maskedconv 2 kernel=1 }
  optimizer adam lr=1e-3
  train { steps 6; seed 12 }
  sample { every 3; grid 3x2 }
}`,
  // A recurrent trajectory (gru), both critics (the frame critic on 2 frames a clip picked from the
  // stream), EMA of trajectory and generator, d_steps 2.
  video: `
model resumable_video: video {
  data moving_shapes size=8x8 channels=1 frames=3 { scale [-1, 1]; batch 4 }
  latent 4
  motion 3
  critic_frames 2
  trajectory { gru 6; dense 3 }
  generator { dense 32 bias=false; batchnorm; leakyrelu; dense 64 activation=tanh; reshape [8, 8, 1] }
  discriminator { flatten; dense 16; leakyrelu; dropout 0.2; dense 1 }
  video_discriminator { conv 4 kernel=3 stride=2; leakyrelu; flatten; dense 1 }
  loss hinge
  optimizer adam lr=1e-3 beta1=0.5
  train { steps 6; seed 14; d_steps 2; ema 0.8 }
  sample { every 3; grid 2x3 }
}`,
};

/** The network each family's sample grid comes from. */
const SAMPLED: Record<keyof typeof MODELS, string> = {
  gan: 'generator',
  cgan: 'generator',
  cgan_batchnorm: 'generator',
  vae: 'decoder',
  pixelcnn: 'network',
  pixelcnn_cond: 'network',
  srgan: 'generator',
  video: 'generator',
};

describe('resume', () => {
  let dir = '';
  before(() => (dir = mkdtempSync(join(tmpdir(), 'gan-resume-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [family, text] of Object.entries(MODELS) as [keyof typeof MODELS, string][]) {
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
      assert.ok(existsSync(join(checkpoint, 'networks', SAMPLED[family], 'model.json')));
    });
  }

  for (const family of ['gan', 'cgan', 'cgan_batchnorm'] as const) {
    it(`${family}: a generator loaded from a checkpoint with tf.loadLayersModel matches the trainer's samples`, async () => {
      const model = resolveModel(MODELS[family]);
      const trainer = await trainerFor(model);
      await train(trainer, 1);
      const checkpoint = join(dir, `loadable-${family}`);
      await trainer.saveCheckpoint(checkpoint);
      const name = model.train.ema === null ? 'generator' : 'generator_ema';
      const loaded = await tf.loadLayersModel(directoryIO(join(checkpoint, 'networks', name)));
      assert.deepEqual(loaded.outputs[0].shape, [null, 8, 8, 1]);
      const latent = model.latent?.size ?? 0;
      const values = tf.tidy(() => {
        const z = tf.tensor2d(
          latentValues(new CounterRng(model.sample.seed), 2, { size: latent, dist: 'normal' }),
          [2, latent],
        );
        const inputs = family === 'gan' ? z : [z, tf.tensor2d([[0], [0]], [2, 1], 'int32')];
        return Array.from((loaded.predict(inputs) as tf.Tensor).dataSync());
      });
      const png = PNG.sync.read(Buffer.from(await trainer.renderSamples({ grid: [1, 2] })));
      // The trainer's first two samples (row 0: class 0) are the same noise through the same weights.
      const byte = (v: number): number => Math.round(((v + 1) / 2) * 255);
      assert.equal(png.data[(GUTTER * png.width + GUTTER) * 4], byte(values[0]));
      assert.equal(png.data[(GUTTER * png.width + GUTTER + 8 + GUTTER) * 4], byte(values[64]));
      loaded.dispose();
      trainer.dispose();
    });
  }
});

// Every family evaluates through its row of the family table: gan (D accuracy), cgan (conditional
// accuracy), vae (test ELBO, reconstructions), cyclegan (a→b translations against domain b) and
// srgan (super-resolved held-out images; PSNR and SSIM of the model and of bicubic upscaling),
// progan (the full generator: every stage, those not reached yet enlarging the current one).
// video (frames of fresh clips against held-out frames; how often a clip keeps its class).
// pixelcnn (test NLL without generating anything; samples drawn only for the metrics that ask;
// conditional: per-class samples and their conditional accuracy, the conditional test NLL).
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Trainer } from '../../../src/training/contract';
import { Evaluator } from '../../../src/training/eval/evaluator';
import { resolveModel, train, trainerFor } from '../engine/helpers';

const ganDir = mkdtempSync(join(tmpdir(), 'gan-eval-families-'));
const DATA = 'data shapes size=12x12 channels=1 { scale [-1, 1]; batch 16 }';
const GAN_NETS = `
  generator { dense 32; leakyrelu; dense 144 activation=tanh; reshape [12, 12, 1] }
  discriminator { flatten; dense 16; leakyrelu; dense 1 }`;
const MODELS: Record<string, string> = {
  gan: `model g: gan { ${DATA}\n latent 4 ${GAN_NETS}\n train { steps 10; seed 1 } }`,
  cgan: `model c: cgan { ${DATA}\n latent 4\n condition classes=3 embed=2 ${GAN_NETS}\n train { steps 10; seed 1 } }`,
  vae: `model v: vae { ${DATA}\n latent 4
  encoder { flatten; dense 16; relu }
  decoder { dense 144 activation=tanh; reshape [12, 12, 1] }
  loss elbo reconstruction=mse
  train { steps 10; seed 1 } }`,
  cyclegan: `model y: cyclegan {
  data shapes domain=a kind=circle size=12x12 channels=1 { scale [-1, 1]; batch 4 }
  data shapes domain=b kind=square size=12x12 channels=1 { scale [-1, 1]; batch 4 }
  generator { conv 4 kernel=3 activation=relu; conv 1 kernel=3 activation=tanh }
  discriminator { conv 4 kernel=4 stride=2; leakyrelu; conv 1 kernel=3 }
  train { steps 10; seed 1 } }`,
  srgan: `model s: srgan { ${DATA}
  upscale 2
  generator { conv 8 kernel=3; prelu; conv 4 kernel=3; pixelshuffle 2 }
  discriminator { conv 4 kernel=3 stride=2; leakyrelu; flatten; dense 1 }
  pretrain { steps 1 }
  train { steps 10; seed 1 } }`,
  // Grows 3x3 -> 12x12; evaluated after 2 steps, at 3x3, through the full generator (enlarged).
  progan: `model p: progan { ${DATA}
  latent 4
  grow { stable 2; fade 2; unit steps; from_rgb 4 }
  generator {
    stage 3x3 { dense 3*3*4; reshape [3, 3, 4]; leakyrelu; pixelnorm }
    stage 6x6 { upsample 2; conv 4 kernel=3; leakyrelu; pixelnorm }
    stage 12x12 { upsample 2; conv 4 kernel=3; leakyrelu; pixelnorm }
  }
  discriminator {
    stage 12x12 { conv 4 kernel=3 stride=2; leakyrelu }
    stage 6x6 { conv 4 kernel=3 stride=2; leakyrelu }
    stage 3x3 { minibatchstd; flatten; dense 1 }
  }
  train { steps 10; seed 1 } }`,
  video: `model m: video {
  data moving_shapes size=12x12 channels=1 frames=4 { scale [-1, 1]; batch 4 }
  latent 4
  motion 3
  trajectory { gru 4; dense 3 }
  generator { dense 32; leakyrelu; dense 144 activation=tanh; reshape [12, 12, 1] }
  discriminator { flatten; dense 16; leakyrelu; dense 1 }
  video_discriminator { flatten; dense 16; leakyrelu; dense 1 }
  train { steps 10; seed 1 } }`,
};

const EXPECTED: Record<string, { has: string[]; lacks: string[] }> = {
  gan: { has: ['eval/fid', 'eval/kid', 'eval/d_acc', 'eval/is'], lacks: ['eval/cond_acc', 'eval/neg_elbo'] },
  cgan: { has: ['eval/fid', 'eval/cond_acc', 'eval/cond_acc_real', 'eval/d_acc'], lacks: ['eval/neg_elbo'] },
  vae: { has: ['eval/fid', 'eval/neg_elbo', 'eval/recon_mse', 'eval/recon_acc'], lacks: ['eval/d_acc'] },
  cyclegan: {
    has: [
      'eval/fid',
      'eval/d_acc',
      'eval/class/square',
      'eval/domain_acc',
      'eval/domain_acc_ba',
      'eval/cycle_psnr',
    ],
    lacks: ['eval/cond_acc'],
  },
  srgan: {
    has: ['eval/fid', 'eval/d_acc', 'eval/psnr', 'eval/psnr_bicubic', 'eval/ssim', 'eval/ssim_bicubic'],
    lacks: ['eval/cond_acc', 'eval/neg_elbo'],
  },
  progan: {
    has: ['eval/fid', 'eval/kid', 'eval/d_acc', 'eval/is'],
    lacks: ['eval/cond_acc', 'eval/neg_elbo'],
  },
  video: {
    has: [
      'eval/fid',
      'eval/d_acc',
      'eval/label_consistency',
      'eval/label_consistency_real',
      'eval/legible_frames',
      'eval/legible_frames_real',
      'eval/motion_step',
      'eval/motion_step_real',
      'eval/motion_accel',
      'eval/motion_accel_real',
    ],
    lacks: ['eval/cond_acc', 'eval/neg_elbo'],
  },
};

describe('evaluation of every family', () => {
  const open: { trainer: Trainer; evaluator: Evaluator }[] = [];
  after(() => open.forEach(({ trainer, evaluator }) => (evaluator.dispose(), trainer.dispose())));

  for (const [family, text] of Object.entries(MODELS)) {
    it(`${family}: ${EXPECTED[family].has.join(', ')}`, async () => {
      const model = resolveModel(text);
      const trainer = await trainerFor(model);
      await train(trainer, 2);
      const evaluator = await Evaluator.open(model, { ganDir, baseDir: process.cwd() });
      open.push({ trainer, evaluator });
      assert.equal(evaluator.features, 'shapes classifier');
      const { values } = await evaluator.evaluate(trainer.networks, { samples: { fid: 200, kid: 100 } });
      for (const key of EXPECTED[family].has)
        assert.ok(Number.isFinite(values[key]), `${key}: ${JSON.stringify(values)}`);
      for (const key of EXPECTED[family].lacks) assert.ok(!(key in values), `${key} should be absent`);
      assert.ok(!('eval/precision' in values), 'pr was not asked for');
      // The classifier reads 32x32 shapes (99.8%); at these 12x12 it is well above chance (1/3), no more.
      if ('eval/cond_acc_real' in values)
        assert.ok(
          values['eval/cond_acc_real'] > 0.45,
          `real shapes read by the classifier: ${values['eval/cond_acc_real']}`,
        );
      const shares = Object.entries(values).filter(([k]) => k.startsWith('eval/class/'));
      assert.ok(Math.abs(shares.reduce((t, [, v]) => t + v, 0) - 1) < 1e-9);
      // Same networks, same seed: the same numbers.
      const again = await evaluator.evaluate(trainer.networks, { samples: { fid: 200, kid: 100 } });
      assert.equal(again.values['eval/fid'], values['eval/fid']);
    });
  }
});

describe('evaluation of video on moving MNIST', () => {
  it('held-out clips keep their digit when read centred, as MNIST was made, and move at the data’s speed', async () => {
    const model = resolveModel(`model m: video {
  data moving_mnist { size 32x32; frames 6; speed 1.5; digit_size 20; scale [-1, 1]; batch 4 }
  latent 4
  motion 2
  trajectory { gru 4; dense 2 }
  generator { dense 32; leakyrelu; dense 1024 activation=tanh; reshape [32, 32, 1] }
  discriminator { flatten; dense 8; leakyrelu; dense 1 }
  video_discriminator { flatten; dense 8; leakyrelu; dense 1 }
  train { steps 10; seed 1 } }`);
    const trainer = await trainerFor(model);
    const evaluator = await Evaluator.open(model, { ganDir, baseDir: process.cwd() });
    try {
      await train(trainer, 1);
      assert.equal(evaluator.features, 'MNIST classifier');
      const { values } = await evaluator.evaluate(trainer.networks, { samples: { fid: 64 } });
      // Read whole, a 20-pixel digit off the centre of a 32x32 frame is a 0.06 consistency (measured):
      // nearly every clip would seem to change its digit.
      assert.ok(values['eval/label_consistency_real'] >= 0.95, JSON.stringify(values));
      // Real digits are read clearly; a generator after one step draws noise, read clearly by nothing.
      assert.ok(values['eval/legible_frames_real'] > 0.85, JSON.stringify(values));
      assert.ok(
        values['eval/legible_frames'] < 0.5 * values['eval/legible_frames_real'],
        JSON.stringify(values),
      );
      // Bounces and whole-pixel positions make the measured step a little under the speed.
      assert.ok(values['eval/motion_step_real'] > 1 && values['eval/motion_step_real'] <= 1.5 * Math.SQRT2);
      assert.ok(values['eval/motion_accel_real'] < values['eval/motion_step_real']);
      for (const key of ['eval/label_consistency', 'eval/motion_step', 'eval/motion_accel'])
        assert.ok(values[key] >= 0, `${key}: ${JSON.stringify(values)}`);
    } finally {
      evaluator.dispose();
      trainer.dispose();
    }
  });
});

describe('evaluation of pixelcnn', () => {
  const PIXEL = `model p: pixelcnn {
  data shapes size=12x12 channels=1 { scale [0, 1]; batch 16 }
  levels 2
  network { gated 4 kernel=5 mask=A; gated 4; maskedconv 2 kernel=1 }
  train { steps 10; seed 1 } }`;
  let trainer: Trainer | undefined;
  let evaluator: Evaluator | undefined;
  after(() => (evaluator?.dispose(), trainer?.dispose()));

  it('nll alone: the held-out NLL in nats and bits per dimension, and no generated images', async () => {
    const model = resolveModel(PIXEL);
    trainer = await trainerFor(model);
    await train(trainer, 2);
    evaluator = await Evaluator.open(model, { ganDir, baseDir: process.cwd() });
    const { values } = await evaluator.evaluate(trainer.networks, { samples: { nll: 64 } });
    assert.ok(values['eval/nll'] > 0 && values['eval/nll'] < 144 * Math.log(2) * 2, JSON.stringify(values));
    assert.ok(Math.abs(values['eval/bpd'] - values['eval/nll'] / (144 * Math.LN2)) < 1e-9);
    for (const key of ['eval/fid', 'eval/class_entropy', 'eval/is'])
      assert.ok(!(key in values), `${key} should be absent: nothing was generated`);
    const withFid = await evaluator.evaluate(trainer.networks, { samples: { nll: 64, fid: 100 } });
    assert.ok(Number.isFinite(withFid.values['eval/fid']), 'fid draws its 100 samples pixel by pixel');
    assert.equal(withFid.values['eval/nll'], values['eval/nll']);
  });

  it('nll of a colour model under its discretised logistic mixture', async () => {
    const model = resolveModel(`model c: pixelcnn {
  data shapes size=8x8 channels=3 { scale [0, 1]; batch 16 }
  levels 256 output=logistic mixtures=2
  network { gated 4 kernel=5 mask=A; gated 4; maskedconv 20 kernel=1 }
  train { steps 10; seed 1 } }`);
    const colour = await trainerFor(model);
    const colourEval = await Evaluator.open(model, { ganDir, baseDir: process.cwd() });
    try {
      await train(colour, 2);
      const { values } = await colourEval.evaluate(colour.networks, { samples: { nll: 32 } });
      const dims = 8 * 8 * 3;
      // Barely trained: a few bits per value, finite, and never below 0.
      assert.ok(values['eval/bpd'] > 0 && values['eval/bpd'] < 16, JSON.stringify(values));
      assert.ok(Math.abs(values['eval/bpd'] - values['eval/nll'] / (dims * Math.LN2)) < 1e-9);
    } finally {
      colourEval.dispose();
      colour.dispose();
    }
  });
});

describe('evaluation of a class-conditional pixelcnn', () => {
  const COND = `model p: pixelcnn {
  data shapes size=12x12 channels=1 { scale [0, 1]; batch 16 }
  levels 2
  condition classes=3
  network { gated 4 kernel=5 mask=A; gated 4; maskedconv 2 kernel=1 }
  train { steps 10; seed 1 } }`;
  let trainer: Trainer | undefined;
  let evaluator: Evaluator | undefined;
  after(() => (evaluator?.dispose(), trainer?.dispose()));

  it('samples every class equally often: conditional accuracy, within-class diversity, the test NLL', async () => {
    const model = resolveModel(COND);
    trainer = await trainerFor(model);
    await train(trainer, 2);
    evaluator = await Evaluator.open(model, { ganDir, baseDir: process.cwd() });
    const { values } = await evaluator.evaluate(trainer.networks, { samples: { nll: 64, kid: 30 } });
    for (const key of ['eval/cond_acc', 'eval/class_diversity', 'eval/nll', 'eval/bpd', 'eval/kid'])
      assert.ok(Number.isFinite(values[key]), `${key}: ${JSON.stringify(values)}`);
    assert.ok(values['eval/cond_acc'] >= 0 && values['eval/cond_acc'] <= 1);
    const nllOnly = await evaluator.evaluate(trainer.networks, { samples: { nll: 64 } });
    assert.equal(nllOnly.values['eval/nll'], values['eval/nll']);
    assert.ok(!('eval/cond_acc' in nllOnly.values), 'nothing generated, nothing to classify');
  });
});

describe('evaluation of stackgan', () => {
  const STACK = `model t: stackgan {
  data emoji size=16x16 { scale [-1, 1]; batch 8 }
  latent 4
  text embed=8 vocab=50
  augment 4
  stage1 { size 8x8; steps 1 }
  generator { dense 8*8*3 activation=tanh; reshape [8, 8, 3] }
  discriminator { flatten; dense 8; leakyrelu; dense 1 }
  generator2 { upsample 2; conv 3 kernel=3 activation=tanh }
  discriminator2 { conv 4 kernel=4 stride=4; leakyrelu; flatten; dense 1 }
  train { steps 10; seed 1 } }`;
  let trainer: Trainer | undefined;
  let evaluator: Evaluator | undefined;
  after(() => (evaluator?.dispose(), trainer?.dispose()));

  it("stage-II images for held-out captions: conditional accuracy against each caption's category", async () => {
    const model = resolveModel(STACK);
    trainer = await trainerFor(model);
    await train(trainer, 2);
    evaluator = await Evaluator.open(model, { ganDir, baseDir: process.cwd() });
    assert.equal(evaluator.features, 'emoji category classifier');
    const { values } = await evaluator.evaluate(trainer.networks, { samples: { fid: 100 } });
    for (const key of ['eval/fid', 'eval/cond_acc', 'eval/class_entropy'])
      assert.ok(Number.isFinite(values[key]), `${key}: ${JSON.stringify(values)}`);
    assert.ok(values['eval/cond_acc'] >= 0 && values['eval/cond_acc'] <= 1);
    assert.ok(!('eval/d_acc' in values), 'the critics need captions: no D accuracy');
  });
});

describe('evaluation of a cgan conditioned on captions', () => {
  const TEXT = `model t: cgan {
  data emoji size=16x16 { scale [-1, 1]; batch 8 }
  latent 4
  condition text embed=8 vocab=50
  generator { dense 16*16*3 activation=tanh; reshape [16, 16, 3] }
  discriminator { flatten; dense 8; leakyrelu; dense 1 }
  train { steps 10; seed 1 } }`;
  let trainer: Trainer | undefined;
  let evaluator: Evaluator | undefined;
  after(() => (evaluator?.dispose(), trainer?.dispose()));

  it("samples for held-out captions: conditional accuracy against each caption's category, D accuracy with captions", async () => {
    const model = resolveModel(TEXT);
    trainer = await trainerFor(model);
    await train(trainer, 2);
    evaluator = await Evaluator.open(model, { ganDir, baseDir: process.cwd() });
    const { values } = await evaluator.evaluate(trainer.networks, { samples: { fid: 100 } });
    for (const key of ['eval/fid', 'eval/cond_acc', 'eval/cond_acc_chance', 'eval/d_acc'])
      assert.ok(Number.isFinite(values[key]), `${key}: ${JSON.stringify(values)}`);
    assert.ok(values['eval/cond_acc'] >= 0 && values['eval/cond_acc'] <= 1);
  });
});

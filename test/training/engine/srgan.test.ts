// srgan: in the content-only stage the loss falls and the generator beats bicubic upscaling on
// held-out images (PSNR and SSIM, as the evaluation measures them); then the adversarial stage
// trains the discriminator; the preview renders blocks of four rows.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import type { ResolvedModel } from '../../../src/language/model';
import type { Trainer } from '../../../src/training/contract';
import { openDataSource } from '../../../src/training/data';
import { gridSize } from '../../../src/training/engine/png';
import { FAMILY_EVALUATION } from '../../../src/training/eval/familyEval';
import { mean, resolveModel, train, trainerFor } from './helpers';

const PRETRAIN = 100;

const SR = `
model mnist_sr: srgan {
  data mnist { scale [-1, 1]; batch 32 }
  upscale 4
  generator {
    conv 32 kernel=3
    prelu
    residual { residual { conv 32 kernel=3; prelu; conv 32 kernel=3 }; conv 32 kernel=3 }
    conv 4*32 kernel=3
    pixelshuffle 2
    prelu
    conv 4*16 kernel=3
    pixelshuffle 2
    prelu
    conv 1 kernel=5
  }
  discriminator { conv 16 kernel=3 stride=2; leakyrelu; conv 32 kernel=3 stride=2; leakyrelu; flatten; dense 1 }
  loss nonsaturating content=mse adversarial=1e-3 features=discriminator feature_weight=1e-2
  pretrain { steps ${PRETRAIN} }
  optimizer adam lr=1e-3
  train { steps ${PRETRAIN + 10}; seed 4 }
  sample { every 100; grid 8x4 }
}`;

async function quality(model: ResolvedModel, trainer: Trainer): Promise<Record<string, number>> {
  const test = await openDataSource(
    { ...model.data[0], split: 'test', limit: 512 },
    { seed: 0, baseDir: '.' },
  );
  try {
    const ctx = { model, networks: trainer.networks, heldOut: (_: number, n: number) => test.heldOut(n) };
    const measure = FAMILY_EVALUATION.srgan.measure;
    assert.ok(measure);
    return await measure(ctx, await test.heldOut(1), null as never);
  } finally {
    test.dispose();
  }
}

describe('srgan', () => {
  const model = resolveModel(SR);
  let trainer: Trainer;
  let pretraining: Record<string, number>[] = [];
  let adversarial: Record<string, number>[] = [];
  let afterPretraining: Record<string, number>;
  before(async () => {
    trainer = await trainerFor(model, { dataLimit: 1024 });
    pretraining = await train(trainer, PRETRAIN);
    afterPretraining = await quality(model, trainer);
    adversarial = await train(trainer, 10);
  });
  after(() => trainer.dispose());

  it('pretrains on the content loss alone: it falls by more than half', () => {
    for (const m of pretraining) {
      assert.equal(m.stage, 0);
      assert.equal(m.g_loss, m.content);
      assert.deepEqual([m.d_loss, m.adversarial, m.feature], [0, 0, 0]);
    }
    const first = mean(pretraining.slice(0, 5).map((m) => m.content));
    const last = mean(pretraining.slice(-10).map((m) => m.content));
    assert.ok(last < first / 2, `content ${first} -> ${last}`);
  });

  it('beats bicubic upscaling on held-out digits after pretraining', () => {
    const q = afterPretraining;
    assert.ok(q['eval/psnr'] > q['eval/psnr_bicubic'], JSON.stringify(q));
    assert.ok(q['eval/ssim'] > q['eval/ssim_bicubic'], JSON.stringify(q));
  });

  it('then trains adversarially: discriminator and feature terms, generator loss as their weighted sum', () => {
    for (const m of adversarial) {
      assert.equal(m.stage, 1);
      assert.ok(m.d_loss > 0 && m.adversarial > 0 && m.feature > 0, JSON.stringify(m));
      const expected = m.content + 1e-3 * m.adversarial + 1e-2 * m.feature;
      assert.ok(Math.abs(m.g_loss - expected) < 1e-4 * Math.max(1, expected), JSON.stringify(m));
    }
  });

  it('renders blocks of four rows (low-res, bicubic, super-resolved, original)', async () => {
    const png = PNG.sync.read(Buffer.from(await trainer.renderSamples({ mode: 'superres', grid: [9, 3] })));
    assert.deepEqual([png.width, png.height], gridSize(8, 3, [28, 28, 1]));
  });
});

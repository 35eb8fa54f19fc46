// progan: the stage and the fade-in α follow the grow schedule; a run resumed in the middle of a
// fade-in (and one resumed at a stage boundary, where the optimizers reset) continues exactly;
// samples drawn at a lower stage are that stage's images enlarged to the data size; equalised
// learning rate starts from He-normal kernels; the full generator loads with tf.loadLayersModel.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { growthAt, growthSchedule, stageBoundaries } from '../../../src/language/families/proganSchedule';
import { trainableCount } from '../../../src/training/engine/compile';
import { directoryIO } from '../../../src/training/engine/modelFiles';
import { GUTTER } from '../../../src/training/engine/png';
import { openDataSource } from '../../../src/training/data';
import { resolveModel, train, trainerFor } from './helpers';

const model = (grow: string, loss = 'wasserstein gp=5 drift=0.01', extra = ''): string => `
model tiny_progan: progan {
  data shapes size=8x8 channels=1 limit=48 { scale [-1, 1]; batch 8 }
  latent 6
  grow { ${grow} }
  generator {
    stage 4x4 { dense 4*4*8; reshape [4, 4, 8]; leakyrelu; pixelnorm }
    stage 8x8 { upsample 2; conv 8 kernel=3; leakyrelu; pixelnorm }
  }
  discriminator {
    stage 8x8 { conv 8 kernel=3 stride=2; leakyrelu }
    stage 4x4 { minibatchstd group=4; conv 8 kernel=3; leakyrelu; flatten; dense 1 }
  }
  loss ${loss}
  optimizer adam lr=1e-3 beta1=0 beta2=0.99
  train { steps 6; seed 5${extra} }
  sample { every 3; grid 2x3 }
}`;

/** Steps 0-1: 4x4; 2-3: 8x8 fading in (α 1/3, 2/3); then 8x8. */
const FADING = model('stable 2; fade 2; unit steps; from_rgb 8', undefined, '; ema 0.9');

describe('progan', () => {
  let dir = '';
  before(() => (dir = mkdtempSync(join(tmpdir(), 'gan-progan-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('schedules stages from images or steps', () => {
    const images = growthSchedule({ stable: 100, fade: 40, unit: 'images' }, 3, 32);
    assert.deepEqual([images.stableSteps, images.fadeSteps], [4, 2]);
    assert.deepEqual(stageBoundaries(images), [4, 10]);
    assert.deepEqual(
      [0, 3, 4, 5, 6, 9, 10, 11, 12, 1000].map((s) => {
        const g = growthAt(images, s);
        return [g.stage, Math.round(g.alpha * 100) / 100];
      }),
      [
        [0, 1],
        [0, 1],
        [1, 0.33],
        [1, 0.67],
        [1, 1],
        [1, 1],
        [2, 0.33],
        [2, 0.67],
        [2, 1],
        [2, 1],
      ],
    );
  });

  it('logs the resolution and α the schedule gives, with finite losses', async () => {
    const trainer = await trainerFor(resolveModel(FADING));
    const rows = await train(trainer, 6);
    trainer.dispose();
    assert.deepEqual(
      rows.map((r) => r.resolution),
      [4, 4, 8, 8, 8, 8],
    );
    assert.deepEqual(
      rows.map((r) => Math.round(r.alpha * 1000) / 1000),
      [1, 1, 0.333, 0.667, 1, 1],
    );
    for (const r of rows)
      for (const k of ['d_loss', 'g_loss', 'd_real', 'd_fake']) assert.ok(Number.isFinite(r[k]));
  });

  for (const [name, text, at] of [
    ['mid-fade (α 1/3 done, EMA on)', FADING, 3],
    [
      'at a stage boundary, optimizers reset there; SGD, no equalised lr',
      model('stable 2; fade 2; unit steps; from_rgb 8; equalized_lr false', 'nonsaturating').replace(
        'adam lr=1e-3 beta1=0 beta2=0.99',
        'sgd lr=1e-2 momentum=0.9',
      ),
      2,
    ],
    ['without the optimizer reset', model('stable 2; fade 2; unit steps; reset_optimizer false'), 3],
  ] as const) {
    it(`resumes exactly ${name}`, async () => {
      const resolved = resolveModel(text);
      const straight = await trainerFor(resolved);
      const expected = await train(straight, 6);
      const expectedSamples = await straight.renderSamples();
      straight.dispose();
      const first = await trainerFor(resolved);
      const head = await train(first, at);
      const checkpoint = join(dir, `resume-${at}-${name.length}`);
      await first.saveCheckpoint(checkpoint);
      first.dispose();
      const second = await trainerFor(resolved);
      await second.loadCheckpoint(checkpoint);
      const tail = await train(second, 6 - at);
      assert.deepEqual([...head, ...tail], expected);
      assert.deepEqual(await second.renderSamples(), expectedSamples);
      second.dispose();
    });
  }

  it('draws a lower stage’s images enlarged to the data size, and the full generator loads alone', async () => {
    const resolved = resolveModel(model('stable 50; fade 2; unit steps'));
    const trainer = await trainerFor(resolved);
    await train(trainer, 2);
    const png = PNG.sync.read(Buffer.from(await trainer.renderSamples({ grid: [1, 2] })));
    // Each 2x2 block of the first 8x8 sample is one 4x4 pixel.
    const at = (x: number, y: number): number => png.data[((GUTTER + y) * png.width + GUTTER + x) * 4];
    for (let y = 0; y < 8; y += 2)
      for (let x = 0; x < 8; x += 2)
        assert.deepEqual([at(x + 1, y), at(x, y + 1), at(x + 1, y + 1)], [at(x, y), at(x, y), at(x, y)]);
    const checkpoint = join(dir, 'loadable');
    await trainer.saveCheckpoint(checkpoint);
    const loaded = await tf.loadLayersModel(directoryIO(join(checkpoint, 'networks', 'generator')));
    assert.deepEqual(loaded.outputs[0].shape, [null, 8, 8, 1]);
    loaded.dispose();
    trainer.dispose();
  });

  it('builds full networks with the checker’s parameter counts (stages and RGB layers)', async () => {
    const resolved = resolveModel(FADING);
    const trainer = await trainerFor(resolved);
    for (const role of ['generator', 'discriminator'] as const)
      assert.equal(trainableCount(trainer.networks[role]), resolved.networks[role]?.paramCount, role);
    trainer.dispose();
  });

  it('starts equalised kernels He-normal: std √(2 / fan-in)', async () => {
    const resolved = resolveModel(
      model('stable 2; fade 2; unit steps').replace(
        'dense 4*4*8; reshape [4, 4, 8]',
        'dense 4*4*256; reshape [4, 4, 256]',
      ),
    );
    const trainer = await trainerFor(resolved);
    const dense = trainer.networks.generator.trainableWeights.find(
      (w) => w.shape.length === 2 && w.shape[1] === 4096,
    );
    assert.ok(dense);
    const std = tf.tidy(() => tf.moments(dense.read()).variance.sqrt().dataSync()[0]);
    trainer.dispose();
    const he = Math.sqrt(2 / 6);
    assert.ok(Math.abs(std - he) / he < 0.05, `std ${std}, He ${he}`);
  });

  it('learns: the samples’ mean and spread move to the data’s', async () => {
    const resolved = resolveModel(
      model('stable 100; fade 0; unit steps; equalized_lr false', 'nonsaturating')
        .replace('limit=48 { scale [-1, 1]; batch 8 }', 'limit=256 { scale [-1, 1]; batch 16 }')
        .replace('adam lr=1e-3', 'adam lr=5e-3'),
    );
    const trainer = await trainerFor(resolved, { steps: 100 });
    const data = await openDataSource({ ...resolved.data[0], split: 'test' }, { seed: 0, baseDir: '.' });
    const real = await data.heldOut(64);
    data.dispose();
    // Compared at 4x4: the trainer stays in its first stage.
    const moments = (images: tf.Tensor): [number, number] =>
      tf.tidy(() => {
        const m = tf.moments(images.reshape([-1, 8, 8, 1]).avgPool(2, 2, 'valid'));
        return [m.mean.dataSync()[0], m.variance.sqrt().dataSync()[0]];
      });
    const target = moments(tf.tensor(real.images));
    const gap = (): [number, number] => {
      const z = tf.randomNormal([64, 6], 0, 1, 'float32', 3);
      const fake = trainer.networks.generator.predict(z) as tf.Tensor;
      const [mean, std] = moments(fake);
      tf.dispose([z, fake]);
      return [Math.abs(mean - target[0]), Math.abs(std - target[1])];
    };
    const before = gap();
    await train(trainer, 100);
    const after = gap();
    trainer.dispose();
    assert.ok(after[0] < before[0] / 3 && after[1] < before[1] / 3, `|Δmean|, |Δstd| ${before} -> ${after}`);
  });
});

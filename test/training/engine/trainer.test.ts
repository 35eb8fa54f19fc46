// Step budget and epochs: train.steps, epochs x steps per epoch (d_steps batches a step), overrides.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { resolveModel, train, trainerFor } from './helpers';

const model = (train: string, data = 'mnist limit=64'): string => `
model budget: gan {
  data ${data} { scale [-1, 1]; batch 16 }
  latent 4
  generator { dense 784 activation=tanh; reshape [28, 28, 1] }
  discriminator { flatten; dense 1 }
  loss lsgan
  optimizer adam lr=1e-3
  train { ${train}; seed 1 }
  sample { every 1; grid 2x2 }
}`;

it('counts epochs over the finite source, d_steps batches per step', async () => {
  const trainer = await trainerFor(resolveModel(model('epochs 3; d_steps 2')));
  try {
    assert.equal(trainer.stepsPerEpoch, 2);
    assert.equal(trainer.totalSteps, 6);
    assert.equal(trainer.imagesPerStep, 32);
    await train(trainer, 3);
    assert.equal(trainer.step, 3);
    assert.equal(trainer.epoch(), 1);
  } finally {
    trainer.dispose();
  }
});

it('takes train.steps, and an explicit override over either', async () => {
  const bySteps = await trainerFor(resolveModel(model('steps 7', 'shapes size=28x28 channels=1')));
  assert.equal(bySteps.totalSteps, 7);
  assert.equal(bySteps.stepsPerEpoch, null);
  bySteps.dispose();
  const overridden = await trainerFor(resolveModel(model('epochs 5')), { steps: 2 });
  assert.equal(overridden.totalSteps, 2);
  overridden.dispose();
});

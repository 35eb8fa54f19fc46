// cyclegan: the cycle-consistency loss falls; translate samples come back as six-row blocks.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import type { Trainer } from '../../../src/training/contract';
import { gridSize } from '../../../src/training/engine/png';
import { mean, resolveModel, train, trainerFor } from './helpers';

const CYCLEGAN = `
model tiny_cycle: cyclegan {
  data shapes domain=a kind=circle size=8x8 channels=1 { scale [-1, 1]; batch 8 }
  data shapes domain=b kind=square size=8x8 channels=1 { scale [-1, 1]; batch 8 }
  generator {
    conv 8 kernel=3 norm=instance activation=relu
    residual { conv 8 kernel=3 norm=instance activation=relu }
    conv 1 kernel=3 activation=tanh
  }
  discriminator { conv 8 kernel=3 stride=2; leakyrelu; conv 1 kernel=3 }
  loss lsgan cycle=10 identity=5
  optimizer adam lr=2e-3 beta1=0.5
  train { steps 30; seed 5 }
  sample { every 20; grid 6x4 }
}`;

describe('cyclegan', () => {
  let trainer: Trainer;
  let history: Record<string, number>[] = [];
  before(async () => {
    trainer = await trainerFor(resolveModel(CYCLEGAN));
    history = await train(trainer, 30);
  });
  after(() => trainer.dispose());

  it('logs every loss, and the cycle loss falls', () => {
    for (const m of history)
      for (const k of ['g_loss', 'd_loss', 'cycle', 'identity', 'd_a', 'd_b'])
        assert.ok(Number.isFinite(m[k]), k);
    const first = mean(history.slice(0, 5).map((m) => m.cycle));
    const last = mean(history.slice(-5).map((m) => m.cycle));
    assert.ok(last < 0.6 * first, `cycle ${first.toFixed(3)} -> ${last.toFixed(3)}`);
    assert.ok(Math.abs(history[5].d_loss - (history[5].d_a + history[5].d_b)) < 1e-4);
  });

  it('renders a->b->a and b->a->b rows of held-out images without leaking tensors', async () => {
    const count = tf.memory().numTensors;
    const png = PNG.sync.read(Buffer.from(await trainer.renderSamples({ mode: 'translate' })));
    assert.equal(tf.memory().numTensors, count);
    assert.deepEqual([png.width, png.height], gridSize(6, 4, [8, 8, 1]));
    await trainer.trainStep();
    const before = tf.memory().numTensors;
    await train(trainer, 2);
    assert.equal(tf.memory().numTensors, before);
  });
});

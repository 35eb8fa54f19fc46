// video (MoCoGAN): clips stack frame t into channels t·c…, the trajectory and generator compile
// to the checker's parameter counts, and sample rows hold content and motion apart.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { compileNetwork, trainableCount } from '../../../src/training/engine/compile';
import { stackClips } from '../../../src/training/engine/families/video';
import { GUTTER } from '../../../src/training/engine/png';
import { resolveModel, train, trainerFor, useBackend } from './helpers';

const TEXT = `
model clips: video {
  data moving_shapes size=8x8 channels=1 frames=3 { scale [-1, 1]; batch 4 }
  latent 4
  motion 2
  trajectory { lstm 5; gru 6; dense 2 }
  generator { dense 16; leakyrelu; dense 64 activation=tanh; reshape [8, 8, 1] }
  discriminator { flatten; dense 8; leakyrelu; dense 1 }
  video_discriminator { conv 4 kernel=3 stride=2; leakyrelu; flatten; dense 1 }
  train { steps 4; seed 3 }
  sample { every 2; grid 3x3 }
}`;

/** The grid's rows of cells as pixel rows (first channel), gutters dropped. */
function rowsOf(png: Uint8Array, rows: number, cols: number, size: number): number[][] {
  const image = PNG.sync.read(Buffer.from(png));
  return Array.from({ length: rows }, (_, r) => {
    const out: number[] = [];
    for (let c = 0; c < cols; c++)
      for (let y = 0; y < size; y++)
        for (let x = 0; x < size; x++) {
          const top = GUTTER + r * (size + GUTTER) + y;
          const left = GUTTER + c * (size + GUTTER) + x;
          out.push(image.data[(top * image.width + left) * 4]);
        }
    return out;
  });
}

describe('video', () => {
  it('stacks frame t of a clip into channels t·c … t·c + c − 1', async () => {
    await useBackend();
    const frames = tf.tensor4d(
      Array.from({ length: 2 * 3 * 2 * 2 * 2 }, (_, i) => i),
      [6, 2, 2, 2],
    );
    const clips = stackClips(frames, { frames: 3, content: 1, motion: 1, frame: [2, 2, 2] });
    assert.deepEqual(clips.shape, [2, 2, 2, 6]);
    const values = clips.arraySync();
    // Clip 1, pixel (0, 1): frames 3, 4, 5 of the batch, two channels each.
    const pixel = (f: number, c: number) => ((f * 2 + 0) * 2 + 1) * 2 + c;
    assert.deepEqual(values[1][0][1], [
      pixel(3, 0),
      pixel(3, 1),
      pixel(4, 0),
      pixel(4, 1),
      pixel(5, 0),
      pixel(5, 1),
    ]);
    tf.dispose([frames, clips]);
  });

  it('compiles the recurrent trajectory with the checker’s parameter counts', async () => {
    await useBackend();
    const model = resolveModel(TEXT);
    for (const role of ['trajectory', 'video_discriminator'] as const) {
      const network = model.networks[role];
      assert.ok(network);
      const compiled = compileNetwork(network, role, 1);
      assert.equal(trainableCount(compiled.model), network.paramCount, role);
      assert.deepEqual(compiled.model.outputs[0].shape.slice(1), [...network.outputShape]);
      compiled.model.dispose();
    }
  });

  it('grid rows are different clips; interpolate moves the content under one motion, motion the reverse', async () => {
    const trainer = await trainerFor(resolveModel(TEXT));
    try {
      const rows = await train(trainer, 2);
      assert.ok(rows.every((r) => Number.isFinite(r.v_loss) && Number.isFinite(r.g_loss)));
      const grid = rowsOf(await trainer.renderSamples({ grid: [3, 1], seed: 4 }), 3, 3, 8);
      assert.notDeepEqual(grid[0], grid[1]);
      // seed2 = seed: the same content and the same motion in every row.
      const same = rowsOf(
        await trainer.renderSamples({ mode: 'interpolate', grid: [3, 1], seed: 4, seed2: 4 }),
        3,
        3,
        8,
      );
      assert.deepEqual(same[1], same[0]);
      assert.deepEqual(same[2], same[0]);
      const moving = rowsOf(
        await trainer.renderSamples({ mode: 'interpolate', grid: [3, 1], seed: 4, seed2: 9 }),
        3,
        3,
        8,
      );
      assert.deepEqual(moving[0], same[0], 'the first row is seed’s content');
      assert.notDeepEqual(moving[2], moving[0]);
      // motion: seed's content in every row, the motion noise moving from seed's to seed2's.
      const still = rowsOf(
        await trainer.renderSamples({ mode: 'motion', grid: [3, 1], seed: 4, seed2: 4 }),
        3,
        3,
        8,
      );
      assert.deepEqual(still, [same[0], same[0], same[0]]);
      const moved = rowsOf(
        await trainer.renderSamples({ mode: 'motion', grid: [3, 1], seed: 4, seed2: 9 }),
        3,
        3,
        8,
      );
      assert.deepEqual(moved[0], same[0], 'the first row is seed’s motion');
      assert.notDeepEqual(moved[2], moved[0]);
      assert.notDeepEqual(moved[2], moving[2], 'content and motion move apart');
    } finally {
      trainer.dispose();
    }
  });
});

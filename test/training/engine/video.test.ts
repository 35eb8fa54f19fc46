// video (MoCoGAN): clips stack frame t into channels t·c…, the trajectory and generator compile
// to the checker's parameter counts, and sample rows hold content and motion apart.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { compileNetwork, trainableCount } from '../../../src/training/engine/compile';
import {
  criticFramePicks,
  motionNoise,
  pickedFrames,
  stackClips,
} from '../../../src/training/engine/families/video';
import { CounterRng } from '../../../src/training/engine/rng';
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
    const clips = stackClips(frames, {
      frames: 3,
      content: 1,
      motion: 1,
      noise: 'each',
      criticFrames: null,
      frame: [2, 2, 2],
    });
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

  it('critic_frames picks distinct frames of each clip at random, and the frame critic’s gradient reaches only them', async () => {
    await useBackend();
    const shape = {
      frames: 4,
      content: 1,
      motion: 1,
      noise: 'each',
      criticFrames: 2,
      frame: [1, 1, 1],
    } as const;
    assert.equal(criticFramePicks(new CounterRng(1), 3, { ...shape, criticFrames: null }), null);
    const picks = criticFramePicks(new CounterRng(1), 500, shape);
    assert.ok(picks);
    const seen = new Array(4).fill(0);
    for (let clip = 0; clip < 500; clip++) {
      const [a, b] = [picks[clip * 2], picks[clip * 2 + 1]];
      assert.ok(a !== b && a >= 0 && a < 4 && b >= 0 && b < 4, `clip ${clip}: ${a}, ${b}`);
      seen[a]++;
      seen[b]++;
    }
    // 1000 picks over 4 frames: each near 250 (a fixed order or a biased shuffle would not be).
    for (const count of seen) assert.ok(count > 200 && count < 300, String(seen));
    // Two clips of four frames, frame values 10·clip + t.
    const frames = tf.tensor4d([0, 1, 2, 3, 10, 11, 12, 13], [8, 1, 1, 1]);
    const chosen = Int32Array.from([3, 1, 0, 2]);
    const picked = pickedFrames(frames, chosen, shape);
    assert.deepEqual(Array.from(picked.dataSync()), [3, 1, 10, 12]);
    const grad = tf.grad((x: tf.Tensor) =>
      pickedFrames(x as tf.Tensor4D, chosen, shape)
        .mul(tf.tensor4d([1, 2, 3, 4], [4, 1, 1, 1]))
        .sum(),
    )(frames);
    assert.deepEqual(Array.from(grad.dataSync()), [0, 2, 0, 1, 3, 0, 4, 0]);
    tf.dispose([frames, picked, grad]);
  });

  it('motion noise=first keeps the first frame’s noise of each clip and zeroes the rest, from the same stream', () => {
    const shape = { frames: 3, content: 1, motion: 2, criticFrames: null, frame: [2, 2, 1] } as const;
    const each = motionNoise(new CounterRng(7), 2, { ...shape, noise: 'each' });
    const first = motionNoise(new CounterRng(7), 2, { ...shape, noise: 'first' });
    assert.ok(each.every((v) => v !== 0));
    // Clip c's frame t holds values (c · 3 + t) · 2 … + 1.
    for (let c = 0; c < 2; c++)
      for (let t = 0; t < 3; t++)
        for (let k = 0; k < 2; k++) {
          const i = (c * 3 + t) * 2 + k;
          assert.equal(first[i], t === 0 ? each[i] : 0, `clip ${c} frame ${t}`);
        }
  });

  it('with noise=first every clip follows from its first frame: the same content and start, the same clip', async () => {
    const trainer = await trainerFor(resolveModel(TEXT.replace('motion 2', 'motion 2 noise=first')));
    try {
      await train(trainer, 2);
      // motion mode moves the noise from seed's to seed2's; with only ε(0) left, rows still differ
      // (their starts do), and seed2 = seed draws one clip in every row.
      const same = rowsOf(
        await trainer.renderSamples({ mode: 'motion', grid: [3, 1], seed: 4, seed2: 4 }),
        3,
        3,
        8,
      );
      assert.deepEqual(same, [same[0], same[0], same[0]]);
      const moved = rowsOf(
        await trainer.renderSamples({ mode: 'motion', grid: [3, 1], seed: 4, seed2: 9 }),
        3,
        3,
        8,
      );
      assert.notDeepEqual(moved[2], moved[0]);
    } finally {
      trainer.dispose();
    }
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

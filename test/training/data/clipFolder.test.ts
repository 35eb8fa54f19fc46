// clips: a folder of the user's clips — a folder's frames in name order, or an animated GIF's
// pages or animated PNG's frames, cut into clips of `frames`; short clips skipped and reported; a video model trains on it.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PNG } from 'pngjs';
import UPNG from 'upng-js';
import { listClips } from '../../../src/training/data/clipFolder';
import { openDataSource } from '../../../src/training/data/index';
import { encodeGif } from '../../../src/training/runs/gif';
import { resolveModel, train, trainerFor } from '../engine/helpers';
import { dataSpec, take } from './helpers';

const SIZE = 8;

function grey(level: number): Uint8Array {
  return new Uint8Array(SIZE * SIZE * 4).map((_, i) => (i % 4 === 3 ? 255 : level));
}

function writeFrames(dir: string, levels: readonly number[]): void {
  mkdirSync(dir, { recursive: true });
  levels.forEach((level, i) => {
    const png = new PNG({ width: SIZE, height: SIZE });
    png.data = Buffer.from(grey(level));
    writeFileSync(join(dir, `frame-${String(i).padStart(2, '0')}.png`), PNG.sync.write(png));
  });
}

/** more/a/ (4 frames), short/ (3: too few), spin.gif (5 pages), walk/ (10 frames: two clips). */
function clipFolder(): string {
  const root = mkdtempSync(join(tmpdir(), 'gan-clips-'));
  writeFrames(join(root, 'walk'), [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  writeFrames(join(root, 'more', 'a'), [150, 160, 170, 180]);
  writeFrames(join(root, 'short'), [1, 2, 3]);
  const pages = [200, 210, 220, 230, 240].map(grey);
  writeFileSync(join(root, 'spin.gif'), encodeGif({ width: SIZE, height: SIZE, frames: pages, delay: 10 }));
  return root;
}

/** Each clip of a batch as its frames' mean level (0–255). */
function clipLevels(images: Float32Array, clips: number, frames: number): number[][] {
  const size = SIZE * SIZE;
  return Array.from({ length: clips }, (_, c) =>
    Array.from({ length: frames }, (_, f) => {
      const frame = images.subarray((c * frames + f) * size, (c * frames + f + 1) * size);
      return Math.round((frame.reduce((a, b) => a + b, 0) / size) * 255);
    }),
  );
}

describe('clips data (a folder of clips)', () => {
  it('lists a folder’s frames in name order and an animated GIF’s pages, cut into clips of `frames`', async () => {
    const root = clipFolder();
    const listing = await listClips(root, 4);
    assert.deepEqual(
      listing.clips.map((c) => c.name),
      ['more/a/', 'spin.gif', 'walk/ (frames 1–4)', 'walk/ (frames 5–8)'],
    );
    assert.deepEqual(listing.skipped, ['short/: 3 frames, fewer than frames=4']);
    assert.deepEqual(
      listing.clips[1].frames.map((f) => f.page),
      [0, 1, 2, 3],
    );
  });

  it('reads an animated PNG’s frames, each composed over the ones before (sharp reads only its first)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'gan-clips-apng-'));
    // A bright 2×2 square moving right over a grey field: the encoder stores later frames as the
    // changed rectangles only, so each must be composed over the previous frame.
    const frames = Array.from({ length: 6 }, (_, f) => {
      const frame = grey(40);
      for (let y = 3; y < 5; y++)
        for (let x = f; x < f + 2; x++) frame.set([250, 250, 250, 255], (y * SIZE + x) * 4);
      return frame;
    });
    const apng = UPNG.encode(
      frames.map((f) => f.buffer as ArrayBuffer),
      SIZE,
      SIZE,
      0,
      frames.map(() => 100),
    );
    writeFileSync(join(root, 'move.png'), Buffer.from(apng));
    writeFrames(join(root, 'still'), [10, 20, 30]);
    const listing = await listClips(root, 3);
    assert.deepEqual(
      listing.clips.map((c) => c.name),
      ['move.png (frames 1–3)', 'move.png (frames 4–6)', 'still/'],
    );
    const spec = dataSpec({
      source: 'clips',
      shape: [SIZE, SIZE, 1],
      classes: null,
      scale: [0, 1],
      batch: 2,
      shuffle: false,
      options: { path: root, frames: 3, channels: 1 },
    });
    const source = await openDataSource(spec, { seed: 1, baseDir: root });
    const [batch] = await take(source, 1);
    source.dispose();
    const decoded = Array.from(batch.images, (v) => Math.round(v * 255));
    const expected = frames.flatMap((f) => Array.from({ length: SIZE * SIZE }, (_, i) => f[i * 4]));
    assert.deepEqual(decoded, expected);
  });

  it('batches whole clips, frames in order, and reports what it skipped', async () => {
    const root = clipFolder();
    const spec = dataSpec({
      source: 'clips',
      shape: [SIZE, SIZE, 1],
      classes: null,
      scale: [0, 1],
      batch: 2,
      shuffle: false,
      options: { path: root, frames: 4, channels: 1 },
    });
    const source = await openDataSource(spec, { seed: 1, baseDir: root });
    assert.equal(source.size, 4);
    assert.equal(source.batchesPerEpoch, 2);
    const [first, second] = await take(source, 2);
    assert.equal(first.count, 8);
    assert.deepEqual(clipLevels(first.images, 2, 4), [
      [150, 160, 170, 180],
      [200, 210, 220, 230],
    ]);
    assert.deepEqual(clipLevels(second.images, 2, 4), [
      [10, 20, 30, 40],
      [50, 60, 70, 80],
    ]);
    assert.equal(source.skipped.count, 1);
    assert.match(source.skipped.examples[0], /short\/: 3 frames/);
    // Fewer than ten clips: nothing is left for a test split, and the error says why.
    await assert.rejects(
      openDataSource({ ...spec, split: 'test' }, { seed: 1, baseDir: root }),
      /4 clips of 4 frames, too few for a test split/,
    );
    source.dispose();
  });

  it('a video model trains on it', async () => {
    const root = clipFolder();
    const model = resolveModel(`model mine: video {
  data clips "${root}" { size 8x8; channels 1; frames 4; scale [-1, 1]; batch 2 }
  latent 4
  motion 2
  trajectory { gru 4; dense 2 }
  generator { dense 16; leakyrelu; dense 64 activation=tanh; reshape [8, 8, 1] }
  discriminator { flatten; dense 8; leakyrelu; dense 1 }
  video_discriminator { conv 4 kernel=3 stride=2; leakyrelu; flatten; dense 1 }
  train { steps 3; seed 3 }
  sample { every 3; grid 2x4 }
}`);
    const trainer = await trainerFor(model);
    const metrics = await train(trainer, 3);
    assert.ok(metrics.every((m) => Number.isFinite(m.d_loss) && Number.isFinite(m.v_loss)));
    trainer.dispose();
  });
});

// moving_mnist and moving_shapes: endless clip streams, a batch is batch × frames consecutive
// frames, replayed exactly from a position; digits bounce inside the field at the asked speed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataBatch } from '../../../src/training/contract';
import { bounce } from '../../../src/training/data/clips';
import { openDataSource } from '../../../src/training/data/index';
import { dataSpec, take } from './helpers';

const opts = { seed: 5, baseDir: __dirname };
const FRAMES = 6;
const SIZE = 32;

const movingMnist = (overrides: Parameters<typeof dataSpec>[0] = {}) =>
  dataSpec({
    source: 'moving_mnist',
    shape: [SIZE, SIZE, 1],
    scale: [0, 1],
    batch: 3,
    options: { frames: FRAMES, digits: 1, speed: 2 },
    ...overrides,
  });

function frame(batch: DataBatch, i: number): Float32Array {
  const size = SIZE * SIZE;
  return batch.images.subarray(i * size, (i + 1) * size);
}

/** Total brightness and its centroid. */
function mass(image: Float32Array): { sum: number; x: number; y: number } {
  let sum = 0;
  let x = 0;
  let y = 0;
  for (let p = 0; p < image.length; p++) {
    sum += image[p];
    x += image[p] * (p % SIZE);
    y += image[p] * Math.floor(p / SIZE);
  }
  return { sum, x: x / sum, y: y / sum };
}

describe('clip data', () => {
  it('bounce stays inside the span and reflects off its ends', () => {
    for (let t = 0; t < 50; t++) {
      const p = bounce(1, 1.7, t, 4);
      assert.ok(p >= 0 && p <= 4, `t=${t}: ${p}`);
    }
    assert.equal(bounce(3, 1, 1, 4), 4);
    assert.equal(bounce(3, 1, 2, 4), 3);
    assert.equal(bounce(1, -2, 1, 4), 1);
  });

  it('moving_mnist: a batch is batch × frames frames; one digit keeps its ink and moves about `speed` a frame', async () => {
    const source = await openDataSource(movingMnist(), opts);
    const [batch] = await take(source, 1);
    assert.equal(batch.count, 3 * FRAMES);
    assert.equal(batch.images.length, 3 * FRAMES * SIZE * SIZE);
    for (let clip = 0; clip < 3; clip++) {
      const first = mass(frame(batch, clip * FRAMES));
      assert.ok(first.sum > 20, 'a digit is drawn');
      for (let t = 1; t < FRAMES; t++) {
        const i = clip * FRAMES + t;
        assert.equal(batch.labels?.[i], batch.labels?.[clip * FRAMES], 'one label per clip');
        const now = mass(frame(batch, i));
        const before = mass(frame(batch, i - 1));
        assert.ok(Math.abs(now.sum - first.sum) < 1e-3, 'the whole digit stays in the field');
        const step = Math.hypot(now.x - before.x, now.y - before.y);
        assert.ok(step <= 2 * Math.SQRT2 + 1e-6, `clip ${clip} frame ${t} moved ${step}`);
      }
      const travelled = mass(frame(batch, clip * FRAMES + FRAMES - 1));
      assert.ok(Math.hypot(travelled.x - first.x, travelled.y - first.y) > 0.5, 'it moves');
    }
    source.dispose();
  });

  it('moving_mnist digit_size: digits without their empty border, or scaled down, with more room to move', async () => {
    /** Rows and columns of a frame that hold ink. */
    const extent = (image: Float32Array) => {
      const rows = new Set<number>();
      const cols = new Set<number>();
      image.forEach((v, p) => {
        if (v <= 0) return;
        rows.add(Math.floor(p / SIZE));
        cols.add(p % SIZE);
      });
      return {
        height: Math.max(...rows) - Math.min(...rows) + 1,
        width: Math.max(...cols) - Math.min(...cols) + 1,
      };
    };
    for (const size of [20, 12]) {
      const source = await openDataSource(
        movingMnist({ options: { frames: FRAMES, digits: 1, speed: 2, digit_size: size } }),
        opts,
      );
      const [batch] = await take(source, 1);
      for (let i = 0; i < batch.count; i++) {
        const { height, width } = extent(frame(batch, i));
        assert.ok(height <= size && width <= size, `digit_size ${size}: ink spans ${height}x${width}`);
        assert.ok(
          Math.max(height, width) >= size / 2,
          `digit_size ${size}: the digit fills its box (${height}x${width})`,
        );
      }
      source.dispose();
    }
    // 20 keeps MNIST's own pixels: the same ink as the whole image, only the border cut.
    const whole = await openDataSource(
      movingMnist({ options: { frames: FRAMES, digits: 1, speed: 0 } }),
      opts,
    );
    const cut = await openDataSource(
      movingMnist({ options: { frames: FRAMES, digits: 1, speed: 0, digit_size: 20 } }),
      opts,
    );
    const ink = (b: DataBatch) => mass(frame(b, 0)).sum;
    const [a, b] = [ink(await whole.next()), ink(await cut.next())];
    assert.ok(a > 20 && Math.abs(a - b) < 1e-3, `ink ${a} whole, ${b} at digit_size 20`);
    whole.dispose();
    cut.dispose();
    await assert.rejects(
      openDataSource(
        movingMnist({ shape: [16, 16, 1], options: { frames: FRAMES, digits: 1, speed: 2, digit_size: 20 } }),
        opts,
      ),
      /field 16x16 is smaller than a digit \(20x20\)/,
    );
  });

  it('moving_mnist: the stream replays from a position and depends on the seed', async () => {
    const source = await openDataSource(movingMnist(), opts);
    const batches = await take(source, 3);
    source.seek({ epoch: 0, index: 2 });
    assert.deepEqual(await source.next(), batches[2]);
    assert.equal(source.size, null);
    const other = await openDataSource(movingMnist(), { ...opts, seed: 6 });
    assert.notDeepEqual((await other.next()).images, batches[0].images);
    // Held out: n frames, the same for every seed.
    const held = await source.heldOut(10);
    assert.equal(held.count, 10);
    assert.deepEqual(held.images, (await other.heldOut(10)).images);
    source.dispose();
    other.dispose();
  });

  it('moving_shapes: one shape per clip, labelled per frame, replayed from a position', async () => {
    const spec = dataSpec({
      source: 'moving_shapes',
      shape: [16, 16, 3],
      classes: 3,
      batch: 2,
      options: { frames: 4, kind: 'square', speed: 1.5 },
    });
    const source = await openDataSource(spec, opts);
    const batches = await take(source, 2);
    assert.equal(batches[0].count, 8);
    assert.deepEqual([...(batches[0].labels ?? [])], [1, 1, 1, 1, 1, 1, 1, 1]);
    const pixels = 16 * 16 * 3;
    const a = batches[0].images.subarray(0, pixels);
    const b = batches[0].images.subarray(pixels, 2 * pixels);
    assert.notDeepEqual(a, b, 'consecutive frames differ');
    source.seek({ epoch: 0, index: 1 });
    assert.deepEqual(await source.next(), batches[1]);
    source.dispose();
  });

  it('limit: the first N clips of the stream, shuffled as whole clips each epoch', async () => {
    const endless = await openDataSource(movingMnist(), opts);
    const streamed = await take(endless, 3); // clips 0…8
    const clipsOf = (batch: DataBatch) =>
      Array.from({ length: batch.count / FRAMES }, (_, c) =>
        Array.from(batch.images.subarray(c * FRAMES * SIZE * SIZE, (c + 1) * FRAMES * SIZE * SIZE)).join(),
      );
    const first = streamed.flatMap(clipsOf);
    const source = await openDataSource(movingMnist({ limit: 7 }), opts);
    assert.equal(source.size, 7);
    assert.equal(source.batchesPerEpoch, 2); // 7 clips in batches of 3: the seventh is dropped
    const epochs = await take(source, 4);
    const epoch0 = epochs.slice(0, 2).flatMap(clipsOf);
    const epoch1 = epochs.slice(2).flatMap(clipsOf);
    for (const clip of [...epoch0, ...epoch1])
      assert.ok(first.slice(0, 7).includes(clip), 'a clip of the first 7');
    assert.equal(new Set(epoch0).size, 6);
    assert.notDeepEqual(epoch0, epoch1, 'reshuffled');
    source.seek({ epoch: 1, index: 1 });
    assert.deepEqual(await source.next(), epochs[3]);
    endless.dispose();
    source.dispose();
  });
});

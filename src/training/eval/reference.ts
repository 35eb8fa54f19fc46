// The real images generated ones are compared with: a data source's held-out images, embedded
// once per (data source, feature network) and kept for the process, as features, their Gaussian
// statistics and the class histogram of the data.
import type { DataSourceName, ResolvedData } from '../../language/model';
import type { DataBatch } from '../contract';
import { openDataSource } from '../data';
import { classHistogram, entropy } from './classStats';
import type { Embedding, FeatureNetwork } from './featureNetwork';
import { gaussianStats, type GaussianStats } from './linalg';

/** The most real images a reference holds (MNIST's whole test split). */
export const MAX_REFERENCE = 10000;
/** Held-out images of an endless (procedural) source. */
export const ENDLESS_REFERENCE = 5000;

export interface Reference {
  readonly images: DataBatch;
  readonly embedding: Embedding;
  readonly stats: GaussianStats;
  readonly classEntropy: number | null;
}

/** How many distinct held-out images a source has (null: endless). Held-out batches cycle past it. */
const HELD_OUT_SIZE: Readonly<
  Record<DataSourceName, (spec: ResolvedData, baseDir: string) => Promise<number | null>>
> = {
  mnist: async (spec) => (spec.split === 'train' ? 10000 : 60000),
  fashion_mnist: async (spec) => (spec.split === 'train' ? 10000 : 60000),
  emoji: testSplitSize,
  folder: testSplitSize,
  shapes: async () => null,
};

async function testSplitSize(spec: ResolvedData, baseDir: string): Promise<number | null> {
  const test = await openDataSource({ ...spec, split: 'test', limit: null }, { seed: 0, baseDir });
  const size = test.size;
  test.dispose();
  return size;
}

const cache = new Map<string, Promise<Reference>>();

export function referenceFor(
  spec: ResolvedData,
  network: FeatureNetwork,
  baseDir: string,
): Promise<Reference> {
  const key = JSON.stringify([
    network.id,
    spec.source,
    spec.options,
    spec.shape,
    spec.scale,
    spec.split,
    baseDir,
  ]);
  let reference = cache.get(key);
  if (!reference) {
    reference = build(spec, network, baseDir);
    cache.set(key, reference);
    reference.catch(() => cache.delete(key));
  }
  return reference;
}

async function build(spec: ResolvedData, network: FeatureNetwork, baseDir: string): Promise<Reference> {
  const size = (await HELD_OUT_SIZE[spec.source](spec, baseDir)) ?? ENDLESS_REFERENCE;
  const count = Math.min(size, MAX_REFERENCE);
  const source = await openDataSource({ ...spec, limit: null }, { seed: 0, baseDir });
  try {
    const images = await source.heldOut(count);
    const embedding = network.embed(images.images, images.count, spec);
    return {
      images,
      embedding,
      stats: gaussianStats(embedding.features),
      classEntropy: embedding.probabilities ? entropy(classHistogram(embedding.probabilities)) : null,
    };
  } finally {
    source.dispose();
  }
}

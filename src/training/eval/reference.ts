// The real images generated ones are compared with: a data source's held-out images, embedded
// once per (data source, feature network) and kept for the process and on disk (.gan/eval-cache/,
// keyed by the feature network's weights), as features, their Gaussian statistics and the class
// entropy of the data.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { DataSourceName, ResolvedData } from '../../language/model';
import { openDataSource } from '../data';
import { classHistogram, entropy } from './classStats';
import type { Embedding, FeatureNetwork } from './featureNetwork';
import { gaussianStats, type GaussianStats } from './linalg';

/** The most real images a reference holds (MNIST's whole test split). */
export const MAX_REFERENCE = 10000;
/** Held-out images of an endless (procedural) source. */
export const ENDLESS_REFERENCE = 5000;

export interface Reference {
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
  moving_mnist: async () => null,
  moving_shapes: async () => null,
  clips: testSplitSize,
};

async function testSplitSize(spec: ResolvedData, baseDir: string): Promise<number | null> {
  const test = await openDataSource({ ...spec, split: 'test', limit: null }, { seed: 0, baseDir });
  const size = test.size;
  test.dispose();
  return size;
}

const cache = new Map<string, Promise<Reference>>();

/** cacheDir: where references persist between processes; null keeps them in memory only. */
export function referenceFor(
  spec: ResolvedData,
  network: FeatureNetwork,
  baseDir: string,
  cacheDir: string | null = null,
): Promise<Reference> {
  // A user's folder (images or clips) is named by its place on disk, not only by the setting.
  const folder = typeof spec.options.path === 'string' ? resolve(baseDir, spec.options.path) : null;
  const key = JSON.stringify([
    network.id,
    spec.source,
    spec.options,
    spec.shape,
    spec.scale,
    spec.split,
    folder,
  ]);
  let reference = cache.get(key);
  if (!reference) {
    reference = loadOrBuild(key, spec, network, baseDir, cacheDir);
    cache.set(key, reference);
    reference.catch(() => cache.delete(key));
  }
  return reference;
}

async function loadOrBuild(
  key: string,
  spec: ResolvedData,
  network: FeatureNetwork,
  baseDir: string,
  cacheDir: string | null,
): Promise<Reference> {
  const file = cacheDir
    ? join(cacheDir, `${createHash('sha256').update(key).digest('hex').slice(0, 24)}`)
    : null;
  const stored = file ? readStored(file) : null;
  if (stored) return withStats(stored);
  const embedding = await embedReal(spec, network, baseDir);
  if (file) writeStored(file, embedding);
  return withStats(embedding);
}

function withStats(embedding: Embedding): Reference {
  return {
    embedding,
    stats: gaussianStats(embedding.features),
    classEntropy: embedding.probabilities ? entropy(classHistogram(embedding.probabilities)) : null,
  };
}

interface StoredHeader {
  readonly count: number;
  readonly dim: number;
  readonly classes: number;
}

/** <file>.json holds the sizes, <file>.bin the features then the class probabilities (float32). */
function readStored(file: string): Embedding | null {
  try {
    const header = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as StoredHeader;
    const bytes = readFileSync(`${file}.bin`);
    const floats = new Float32Array(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    );
    const featureCount = header.count * header.dim;
    if (floats.length !== featureCount + header.count * header.classes) return null;
    return {
      features: { count: header.count, dim: header.dim, values: floats.subarray(0, featureCount) },
      probabilities: header.classes
        ? { count: header.count, classes: header.classes, values: floats.subarray(featureCount) }
        : null,
    };
  } catch {
    return null;
  }
}

function writeStored(file: string, embedding: Embedding): void {
  const { features, probabilities } = embedding;
  const classes = probabilities?.classes ?? 0;
  const floats = new Float32Array(features.values.length + (probabilities?.values.length ?? 0));
  floats.set(features.values);
  if (probabilities) floats.set(probabilities.values, features.values.length);
  try {
    mkdirSync(dirname(file), { recursive: true });
    // The .json is written last: a reader finding it finds a complete .bin.
    writeFileSync(`${file}.bin`, new Uint8Array(floats.buffer));
    writeFileSync(`${file}.json`, JSON.stringify({ count: features.count, dim: features.dim, classes }));
  } catch {
    // A read-only workspace: the reference stays in memory.
  }
}

async function embedReal(spec: ResolvedData, network: FeatureNetwork, baseDir: string): Promise<Embedding> {
  const size = (await HELD_OUT_SIZE[spec.source](spec, baseDir)) ?? ENDLESS_REFERENCE;
  const count = Math.min(size, MAX_REFERENCE);
  const source = await openDataSource({ ...spec, limit: null }, { seed: 0, baseDir });
  try {
    const images = await source.heldOut(count);
    return network.embed(images.images, images.count, spec);
  } finally {
    source.dispose();
  }
}

// Trains the feature networks evaluation uses (one small CNN per labelled built-in data source)
// with the project's own engine on the wasm backend, single-threaded and seeded, so a rerun
// reproduces the shipped weights. Writes assets/classifiers/<id>/{model.json,weights.bin,info.json}
// and prints each test accuracy.
//   node --import tsx scripts/train-classifiers.ts [mnist fashion_mnist emoji emoji_style shapes]
import { join } from 'node:path';
import { initBackend } from '../src/training/backend';
import type { DataBatch, DataSource } from '../src/training/contract';
import { openDataSource } from '../src/training/data';
import { mulberry32 } from '../src/training/data/prng';
import { FEATURE_SIZE } from '../src/training/eval/classifierNet';
import { classifierAccuracy, trainClassifier } from '../src/training/eval/trainClassifier';
import { CLASSIFIERS, type ClassifierSpec, type ShippedClassifierId } from '../src/training/eval/classifiers';
import { saveClassifier } from '../src/training/eval/classifierStore';

const SEED = 20261130;

const ROOT = join(__dirname, '..', 'assets', 'classifiers');
/** Held-out images for endless sources (shapes). */
const ENDLESS_TEST_IMAGES = 3000;

/** Image i of a batch turned by one of the square's 8 symmetries (k: 0-7), in place. An artwork
 *  style does not depend on which way an emoji faces: 8 times the 1,700 drawings per style. */
function turn(images: Float32Array, i: number, shape: readonly [number, number, number], k: number): void {
  const [h, w, c] = shape;
  const size = h * w * c;
  const from = images.slice(i * size, (i + 1) * size);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      let [sy, sx] = k & 1 ? [x, y] : [y, x];
      if (k & 2) sy = h - 1 - sy;
      if (k & 4) sx = w - 1 - sx;
      for (let ch = 0; ch < c; ch++) images[i * size + (y * w + x) * c + ch] = from[(sy * w + sx) * c + ch];
    }
}

/** A batch labelled by which of the spec's data sources it came from (labelBy: 'source'). */
function labelledBySource(batch: DataBatch, index: number): DataBatch {
  return { ...batch, labels: new Int32Array(batch.count).fill(index) };
}

function relabel(spec: ClassifierSpec, source: DataSource, index: number): DataSource {
  if (spec.labelBy === 'label') return source;
  const random = mulberry32(SEED + index);
  return {
    spec: source.spec,
    shape: source.shape,
    classes: spec.classNames.length,
    classNames: spec.classNames,
    size: source.size,
    batchesPerEpoch: source.batchesPerEpoch,
    skipped: source.skipped,
    next: async () => {
      const batch = labelledBySource(await source.next(), index);
      const images = batch.images.slice();
      for (let i = 0; i < batch.count; i++) turn(images, i, source.shape, Math.floor(random() * 8));
      return { ...batch, images };
    },
    position: () => source.position(),
    seek: (position) => source.seek(position),
    heldOut: async (n) => labelledBySource(await source.heldOut(n), index),
    dispose: () => source.dispose(),
  };
}

async function testImages(spec: ClassifierSpec, sources: readonly DataSource[]): Promise<DataBatch[]> {
  const batches: DataBatch[] = [];
  for (const [index, data] of spec.data.entries()) {
    const test = await openDataSource({ ...data, split: 'test' }, { seed: SEED, baseDir: process.cwd() });
    const count = test.size ?? ENDLESS_TEST_IMAGES;
    test.dispose();
    const held =
      index < sources.length ? sources[index] : await openDataSource(data, { seed: SEED, baseDir: '.' });
    batches.push(await held.heldOut(count));
  }
  return batches;
}

async function train(id: ShippedClassifierId): Promise<void> {
  const spec = CLASSIFIERS[id];
  const opened = await Promise.all(spec.data.map((d) => openDataSource(d, { seed: SEED, baseDir: '.' })));
  const sources = opened.map((source, index) => relabel(spec, source, index));
  const { model, trainImages } = await trainClassifier({
    sources,
    classes: spec.classNames.length,
    epochs: spec.epochs,
    batches: spec.batches,
    schedule: spec.schedule,
    seed: SEED,
    log: (line) => console.log(`${id}: ${line}`),
  });
  const tests = await testImages(spec, sources);
  const testCount = tests.reduce((n, t) => n + t.count, 0);
  const correct = tests.reduce((n, t) => n + classifierAccuracy(model, t, spec.shape) * t.count, 0);
  const testAccuracy = Math.round((correct / testCount) * 1e4) / 1e4;
  await saveClassifier(model, join(ROOT, id), {
    id,
    label: spec.label,
    shape: spec.shape,
    classNames: spec.classNames,
    testAccuracy,
    testImages: testCount,
    trainImages,
    seed: SEED,
    featureSize: FEATURE_SIZE,
  });
  console.log(`${id}: test accuracy ${(testAccuracy * 100).toFixed(2)}% on ${testCount} held-out images`);
  model.dispose();
  for (const s of opened) s.dispose();
}

async function main(): Promise<void> {
  const asked = process.argv.slice(2);
  const ids = (asked.length ? asked : Object.keys(CLASSIFIERS)) as ShippedClassifierId[];
  for (const id of ids) if (!(id in CLASSIFIERS)) throw new Error(`unknown classifier ${id}`);
  await initBackend('wasm', { threads: 1 });
  for (const id of ids) await train(id);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

// Trains the feature networks evaluation uses (one small CNN per labelled built-in data source)
// with the project's own engine on the wasm backend, single-threaded and seeded, so a rerun
// reproduces the shipped weights. Writes assets/classifiers/<id>/{model.json,weights.bin,info.json}
// and prints each test accuracy.
//   node --import tsx scripts/train-classifiers.ts [mnist fashion_mnist emoji shapes]
import { join } from 'node:path';
import { initBackend } from '../src/training/backend';
import type { DataBatch, DataSource } from '../src/training/contract';
import { openDataSource } from '../src/training/data';
import { FEATURE_SIZE } from '../src/training/eval/classifierNet';
import { classifierAccuracy, trainClassifier } from '../src/training/eval/trainClassifier';
import { CLASSIFIERS, type ClassifierSpec, type ShippedClassifierId } from '../src/training/eval/classifiers';
import { saveClassifier } from '../src/training/eval/classifierStore';

const SEED = 20261130;
const ROOT = join(__dirname, '..', 'assets', 'classifiers');
/** Held-out images for endless sources (shapes). */
const ENDLESS_TEST_IMAGES = 3000;

async function testImages(spec: ClassifierSpec, source: DataSource): Promise<DataBatch[]> {
  const batches: DataBatch[] = [];
  for (const data of spec.data) {
    const test = await openDataSource({ ...data, split: 'test' }, { seed: SEED, baseDir: process.cwd() });
    const count = test.size ?? ENDLESS_TEST_IMAGES;
    test.dispose();
    const held = data === spec.data[0] ? source : await openDataSource(data, { seed: SEED, baseDir: '.' });
    batches.push(await held.heldOut(count));
  }
  return batches;
}

async function train(id: ShippedClassifierId): Promise<void> {
  const spec = CLASSIFIERS[id];
  const sources = await Promise.all(spec.data.map((d) => openDataSource(d, { seed: SEED, baseDir: '.' })));
  const { model, trainImages } = await trainClassifier({
    sources,
    classes: spec.classNames.length,
    epochs: spec.epochs,
    batches: spec.batches,
    seed: SEED,
    log: (line) => console.log(`${id}: ${line}`),
  });
  const tests = await testImages(spec, sources[0]);
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
  for (const s of sources) s.dispose();
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

// Trains the feature networks evaluation uses (one small CNN per labelled built-in data source)
// with the project's own engine on the wasm backend, single-threaded and seeded, so a rerun
// reproduces the shipped weights. Writes assets/classifiers/<id>/{model.json,weights.bin,info.json}
// and prints each test accuracy.
//   node --import tsx scripts/train-classifiers.ts [mnist fashion_mnist emoji shapes]
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { initBackend } from '../src/training/backend';
import type { DataBatch, DataSource } from '../src/training/contract';
import { openDataSource } from '../src/training/data';
import { buildClassifier, FEATURE_SIZE } from '../src/training/eval/classifierNet';
import { CLASSIFIERS, type ClassifierSpec, type ShippedClassifierId } from '../src/training/eval/classifiers';
import { saveClassifier } from '../src/training/eval/classifierStore';

const SEED = 20261130;
const ROOT = join(__dirname, '..', 'assets', 'classifiers');
/** Held-out images for endless sources (shapes). */
const ENDLESS_TEST_IMAGES = 3000;

function tensors(batch: DataBatch, shape: readonly number[]): [tf.Tensor4D, tf.Tensor1D] {
  if (!batch.labels) throw new Error('classifier data must be labelled');
  return [
    tf.tensor4d(batch.images, [batch.count, shape[0], shape[1], shape[2]]),
    tf.tensor1d(batch.labels, 'float32'),
  ];
}

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

function accuracy(model: tf.LayersModel, batch: DataBatch, shape: readonly number[]): number {
  let correct = 0;
  for (let start = 0; start < batch.count; start += 500) {
    const n = Math.min(500, batch.count - start);
    const size = shape[0] * shape[1] * shape[2];
    const predicted = tf.tidy(() =>
      (
        model.predict(
          tf.tensor4d(batch.images.subarray(start * size, (start + n) * size), [n, ...shape] as never),
        ) as tf.Tensor
      ).argMax(1),
    );
    const labels = predicted.dataSync();
    predicted.dispose();
    for (let i = 0; i < n; i++) if (labels[i] === batch.labels?.[start + i]) correct++;
  }
  return correct / batch.count;
}

async function train(id: ShippedClassifierId): Promise<void> {
  const spec = CLASSIFIERS[id];
  const sources = await Promise.all(spec.data.map((d) => openDataSource(d, { seed: SEED, baseDir: '.' })));
  const model = buildClassifier(spec.shape, spec.classNames.length, SEED);
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'sparseCategoricalCrossentropy' });
  const perEpoch = spec.batches ?? Math.max(...sources.map((s) => s.batchesPerEpoch ?? 0));
  const started = performance.now();
  let images = 0;
  for (let epoch = 0; epoch < spec.epochs; epoch++) {
    let loss = 0;
    for (let b = 0; b < perEpoch; b++) {
      const batch = await sources[b % sources.length].next();
      const [x, y] = tensors(batch, spec.shape);
      loss += (await model.trainOnBatch(x, y)) as number;
      tf.dispose([x, y]);
      images += batch.count;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    console.log(
      `${id}: epoch ${epoch + 1}/${spec.epochs}  loss ${(loss / perEpoch).toFixed(4)}  ${seconds}s`,
    );
  }
  const tests = await testImages(spec, sources[0]);
  const testCount = tests.reduce((n, t) => n + t.count, 0);
  const correct = tests.reduce((n, t) => n + accuracy(model, t, spec.shape) * t.count, 0);
  const testAccuracy = Math.round((correct / testCount) * 1e4) / 1e4;
  await saveClassifier(model, join(ROOT, id), {
    id,
    label: spec.label,
    shape: spec.shape,
    classNames: spec.classNames,
    testAccuracy,
    testImages: testCount,
    trainImages: images,
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

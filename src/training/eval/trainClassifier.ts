// Trains a feature classifier on labelled data sources (pixels in [0, 1] at the classifier's
// shape) and measures it on held-out images. Used by scripts/train-classifiers.ts for the
// shipped ones and on first use for labelled folder data.
import * as tf from '@tensorflow/tfjs';
import type { DataBatch, DataSource } from '../contract';
import { buildClassifier } from './classifierNet';

export interface ClassifierTraining {
  readonly sources: readonly DataSource[];
  readonly classes: number;
  readonly epochs: number;
  /** Batches per epoch; default: one pass over every source (they take turns, batch by batch). */
  readonly batches?: number;
  readonly seed: number;
  /** Learning rate along the epochs: constant, or falling from its start to 0 on a half cosine. */
  readonly schedule?: ClassifierSchedule;
  readonly log?: (line: string) => void;
}

export type ClassifierSchedule = 'constant' | 'cosine';

const LEARNING_RATE = 1e-3;

/** The learning rate of `epoch` (0-based) of `epochs`. */
export function classifierLearningRate(schedule: ClassifierSchedule, epoch: number, epochs: number): number {
  return schedule === 'cosine'
    ? LEARNING_RATE * 0.5 * (1 + Math.cos((Math.PI * epoch) / epochs))
    : LEARNING_RATE;
}

export interface TrainedClassifier {
  readonly model: tf.Sequential;
  readonly trainImages: number;
}

function tensors(batch: DataBatch, shape: readonly number[]): [tf.Tensor4D, tf.Tensor1D] {
  if (!batch.labels) throw new Error('classifier data must be labelled');
  return [
    tf.tensor4d(batch.images, [batch.count, shape[0], shape[1], shape[2]]),
    tf.tensor1d(batch.labels, 'float32'),
  ];
}

export async function trainClassifier(job: ClassifierTraining): Promise<TrainedClassifier> {
  const shape = job.sources[0].shape;
  const model = buildClassifier(shape, job.classes, job.seed);
  const optimizer = tf.train.adam(LEARNING_RATE);
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy' });
  const perEpoch = job.batches ?? job.sources.reduce((n, s) => n + (s.batchesPerEpoch ?? 0), 0);
  if (perEpoch < 1) throw new Error('not enough images to train a classifier on');
  const started = performance.now();
  let images = 0;
  for (let epoch = 0; epoch < job.epochs; epoch++) {
    // Adam reads its rate at every update; tfjs has no public setter for it.
    (optimizer as unknown as { learningRate: number }).learningRate = classifierLearningRate(
      job.schedule ?? 'constant',
      epoch,
      job.epochs,
    );
    let loss = 0;
    for (let b = 0; b < perEpoch; b++) {
      const batch = await job.sources[b % job.sources.length].next();
      const [x, y] = tensors(batch, shape);
      loss += (await model.trainOnBatch(x, y)) as number;
      tf.dispose([x, y]);
      images += batch.count;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    job.log?.(`epoch ${epoch + 1}/${job.epochs}  loss ${(loss / perEpoch).toFixed(4)}  ${seconds}s`);
  }
  return { model, trainImages: images };
}

/** Fraction of the batch's images whose most likely class is their label. */
export function classifierAccuracy(
  model: tf.LayersModel,
  batch: DataBatch,
  shape: readonly number[],
): number {
  const size = shape[0] * shape[1] * shape[2];
  let correct = 0;
  for (let start = 0; start < batch.count; start += 500) {
    const n = Math.min(500, batch.count - start);
    const predicted = tf.tidy(() =>
      (
        model.predict(
          tf.tensor4d(batch.images.subarray(start * size, (start + n) * size), [
            n,
            shape[0],
            shape[1],
            shape[2],
          ]),
        ) as tf.Tensor
      ).argMax(1),
    );
    const labels = predicted.dataSync();
    predicted.dispose();
    for (let i = 0; i < n; i++) if (labels[i] === batch.labels?.[start + i]) correct++;
  }
  return correct / Math.max(1, batch.count);
}

// Class-conditional PixelCNN (`condition classes=N`; van den Oord et al. 2016, "Conditional Image
// Generation with PixelCNN Decoders"): the network takes [image, label] and its gated and masked
// layers add a learned bias per class (custom/pixelcnn.ts). This module is the labels' side: the
// network's input with them, and which label each image of a sample grid or completion is drawn for.
import * as tf from '@tensorflow/tfjs';
import type { ResolvedModel } from '../../../language/model';
import { rowClasses, type SampleRequest } from '../../../protocol/sample';
import type { DataBatch } from '../../contract';

/** The classes of a conditional model, or null when it is unconditional. */
export function classCount(model: ResolvedModel): number | null {
  return model.condition?.classes ?? null;
}

/** What the network is applied to: the images, joined by their labels [n, 1] when conditional. */
export function networkInput(x: tf.Tensor4D, labels: Int32Array | null): tf.Tensor | tf.Tensor[] {
  return labels ? [x, tf.tensor2d(labels, [labels.length, 1], 'int32')] : x;
}

/** A batch's labels when the model is conditional (null when it is not); the data must have them. */
export function batchLabels(model: ResolvedModel, batch: DataBatch): Int32Array | null {
  if (classCount(model) === null) return null;
  if (!batch.labels) throw new Error(`${model.name} is conditional: its data must have labels`);
  return batch.labels;
}

/** Per-class samples, as cgan's grid: row r shows the request's class for it, else class r mod classes. */
export function gridLabels(
  model: ResolvedModel,
  request: SampleRequest,
  rows: number,
  cols: number,
): Int32Array | null {
  const classes = classCount(model);
  if (classes === null) return null;
  const perRow = rowClasses(request, rows, classes);
  return Int32Array.from({ length: rows * cols }, (_, i) => perRow[Math.floor(i / cols)]);
}

/** Held-out images searched for completions of an asked class (MNIST's test split has ~1,000 per digit). */
export const COMPLETION_POOL = 2000;

/**
 * The held-out images a completion grid's rows start from. Unconditional, or no class asked: the
 * first `rows` of the test split, each completed for its own label. A class asked (the preview's
 * picker, `gan sample --class`): for each row the next held-out image of that row's class, so a
 * top half is completed as the class it was drawn from; cycled when the pool has too few.
 */
export async function completionStarts(
  model: ResolvedModel,
  request: SampleRequest,
  rows: number,
  heldOut: (n: number) => Promise<DataBatch>,
): Promise<{ images: DataBatch; labels: Int32Array | null }> {
  const classes = classCount(model);
  if (classes === null || request.classes === undefined) {
    const images = await heldOut(rows);
    return { images, labels: batchLabels(model, images) };
  }
  const pool = await heldOut(COMPLETION_POOL);
  const own = batchLabels(model, pool);
  const wanted = rowClasses(request, rows, classes);
  const size = pool.images.length / Math.max(1, pool.count);
  const images = new Float32Array(rows * size);
  const seen = new Map<number, number>();
  for (const [row, label] of wanted.entries()) {
    const matches = own ? [...own.keys()].filter((i) => own[i] === label) : [];
    if (!matches.length) throw new Error(`no held-out image of class ${label} to complete`);
    const k = seen.get(label) ?? 0;
    seen.set(label, k + 1);
    const index = matches[k % matches.length];
    images.set(pool.images.subarray(index * size, (index + 1) * size), row * size);
  }
  return {
    images: { count: rows, images, labels: Int32Array.from(wanted) },
    labels: Int32Array.from(wanted),
  };
}

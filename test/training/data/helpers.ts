// Shared builders for the data source tests.
import type { ResolvedData } from '../../../src/language/model';
import type { DataBatch, DataSource } from '../../../src/training/contract';

export function dataSpec(overrides: Partial<ResolvedData> = {}): ResolvedData {
  return {
    line: 0,
    source: 'mnist',
    domain: null,
    shape: [28, 28, 1],
    classes: 10,
    scale: [-1, 1],
    batch: 32,
    split: 'train',
    limit: null,
    shuffle: true,
    options: {},
    ...overrides,
  };
}

export async function take(source: DataSource, count: number): Promise<DataBatch[]> {
  const batches: DataBatch[] = [];
  for (let i = 0; i < count; i++) batches.push(await source.next());
  return batches;
}

export function range(values: Float32Array): { min: number; max: number; mean: number } {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  return { min, max, mean: sum / values.length };
}

export function labelCounts(labels: Iterable<number>, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const label of labels) counts[label]++;
  return counts;
}

/** Same images and labels, value for value. */
export function sameBatch(a: DataBatch, b: DataBatch): boolean {
  if (a.count !== b.count || a.images.length !== b.images.length) return false;
  for (let i = 0; i < a.images.length; i++) if (a.images[i] !== b.images[i]) return false;
  if (!a.labels || !b.labels) return a.labels === b.labels;
  return a.labels.every((label, i) => label === b.labels?.[i]);
}

/** Image i of a batch as a view. */
export function imageOf(batch: DataBatch, i: number): Float32Array {
  const size = batch.images.length / batch.count;
  return batch.images.subarray(i * size, (i + 1) * size);
}

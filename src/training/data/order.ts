// Batch order over a finite table: epoch e visits the images in a permutation drawn from
// (seed, e) -- or in stored order without shuffle -- in full batches; the rest is dropped.
import type { DataBatch, DataPosition } from '../contract';
import type { ResolvedData } from '../../language/model';
import { mixSeeds } from '../seeds';
import { mulberry32, permutation } from './prng';
import { type ImageTable, gatherBatch } from './table';

export interface FiniteBatches {
  readonly size: number;
  readonly batchesPerEpoch: number;
  batchAt(position: DataPosition): DataBatch;
}

export function finiteBatches(
  table: ImageTable,
  spec: ResolvedData,
  seed: number,
  what: string,
): FiniteBatches {
  const batchesPerEpoch = Math.floor(table.count / spec.batch);
  if (batchesPerEpoch < 1)
    throw new Error(
      `${what} has ${table.count} images, fewer than one batch of ${spec.batch}; lower \`batch\` or raise \`limit\``,
    );
  let cached: { epoch: number; order: Uint32Array } | null = null;
  const orderOf = (epoch: number): Uint32Array | null => {
    if (!spec.shuffle) return null;
    if (cached?.epoch !== epoch)
      cached = { epoch, order: permutation(table.count, mulberry32(mixSeeds(seed, epoch))) };
    return cached.order;
  };
  return {
    size: table.count,
    batchesPerEpoch,
    batchAt({ epoch, index }: DataPosition): DataBatch {
      const order = orderOf(epoch);
      const start = index * spec.batch;
      const indices = order
        ? order.subarray(start, start + spec.batch)
        : Array.from({ length: spec.batch }, (_, i) => start + i);
      return gatherBatch(table, indices, spec.scale);
    },
  };
}

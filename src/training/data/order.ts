// Batch order over a finite table: epoch e visits the items (images, or clips of `group`
// consecutive frames) in a permutation drawn from (seed, e) -- or in stored order without shuffle --
// in full batches; the rest is dropped.
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
  group = 1,
): FiniteBatches {
  const items = Math.floor(table.count / group);
  const batchesPerEpoch = Math.floor(items / spec.batch);
  if (batchesPerEpoch < 1)
    throw new Error(
      `${what} has ${items} ${group === 1 ? 'images' : 'clips'}, fewer than one batch of ${spec.batch}; lower \`batch\` or raise \`limit\``,
    );
  let cached: { epoch: number; order: Uint32Array } | null = null;
  const orderOf = (epoch: number): Uint32Array | null => {
    if (!spec.shuffle) return null;
    if (cached?.epoch !== epoch)
      cached = { epoch, order: permutation(items, mulberry32(mixSeeds(seed, epoch))) };
    return cached.order;
  };
  return {
    size: items,
    batchesPerEpoch,
    batchAt({ epoch, index }: DataPosition): DataBatch {
      const order = orderOf(epoch);
      const start = index * spec.batch;
      const picked = order
        ? order.subarray(start, start + spec.batch)
        : Array.from({ length: spec.batch }, (_, i) => start + i);
      if (group === 1) return gatherBatch(table, picked, spec.scale);
      // A clip's frames stay together, in order.
      const frames = Array.from(picked, (item) => Array.from({ length: group }, (_, f) => item * group + f));
      return gatherBatch(table, frames.flat(), spec.scale);
    },
  };
}

// shapes: endless (image i of the stream rendered on demand), or, with `limit`, the first
// `limit` images rendered once and cycled in epochs like any finite source.
import type { ResolvedData } from '../../language/model';
import type { DataBatch, DataSource, OpenDataOptions } from '../contract';
import { stringOption } from './options';
import { finiteBatches } from './order';
import { HELD_OUT_SEED, SHAPE_KINDS, STREAM, type ShapeKind, renderShapes } from './shapes';
import { createDataSource } from './stream';
import { gatherBatch } from './table';

const KINDS: readonly ShapeKind[] = [...SHAPE_KINDS, 'all'];

function allIndices(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

/** `opts.limit` caps images *loaded*; shapes loads none, so only the spec's own limit applies. */
export async function openShapesSource(spec: ResolvedData, opts: OpenDataOptions): Promise<DataSource> {
  const kind = stringOption(spec, 'kind', KINDS, 'all');
  const stream = STREAM[spec.split];
  const heldOut = new Map<number, DataBatch>();
  const common = {
    spec,
    classes: SHAPE_KINDS.length,
    heldOut: async (n: number) => {
      let batch = heldOut.get(n);
      if (!batch) {
        batch = gatherBatch(
          renderShapes(HELD_OUT_SEED, STREAM.heldOut, 0, n, spec.shape, kind),
          allIndices(n),
          spec.scale,
        );
        heldOut.set(n, batch);
      }
      return batch;
    },
    skipped: () => ({ count: 0, examples: [] }),
  };
  if (spec.limit !== null) {
    const table = renderShapes(opts.seed, stream, 0, spec.limit, spec.shape, kind);
    return createDataSource({
      ...common,
      ...finiteBatches(table, spec, opts.seed, `shapes limit ${spec.limit}`),
    });
  }
  return createDataSource({
    ...common,
    size: null,
    batchesPerEpoch: null,
    batchAt: ({ index }) => {
      const images = renderShapes(opts.seed, stream, index * spec.batch, spec.batch, spec.shape, kind);
      return gatherBatch(images, allIndices(spec.batch), spec.scale);
    },
  });
}

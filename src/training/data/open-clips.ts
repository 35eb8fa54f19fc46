// moving_mnist and moving_shapes: endless clip sources. A batch is `batch` clips of `frames`
// frames each, frames of a clip consecutive (count = batch × frames images); batch k of the
// stream holds clips k·batch … k·batch + batch − 1, so a position replays exactly. With `limit`,
// the first `limit` clips are rendered once and cycled in epochs, shuffled as whole clips. Held-out
// frames come from a fixed stream that does not depend on the seed (moving_mnist: digits of the
// other split).
import type { ResolvedData } from '../../language/model';
import { MNIST_DIGIT_SIZE } from '../../language/schema';
import type { DataBatch, DataSource, OpenDataOptions } from '../contract';
import { type ClipSettings, digitGlyphs, renderMovingDigits, renderMovingShapes } from './clips';
import { loadMnist, type Split } from './mnist';
import { memoize } from './memo';
import { stringOption } from './options';
import { HELD_OUT_SEED, SHAPE_KINDS, STREAM, type ShapeKind } from './shapes';
import { finiteBatches } from './order';
import { createDataSource } from './stream';
import { gatherBatch, type ImageTable } from './table';

const KINDS: readonly ShapeKind[] = [...SHAPE_KINDS, 'all'];
const NO_SKIPS = { count: 0, examples: [] } as const;

function numberOption(spec: ResolvedData, name: string, fallback: number): number {
  const value = spec.options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw new Error(`data ${spec.source}: ${name} must be a number`);
  return value;
}

/** Frames per clip of a clip source. */
export function framesOf(spec: ResolvedData): number {
  return numberOption(spec, 'frames', 8);
}

function clipSettings(spec: ResolvedData): ClipSettings {
  return { frames: framesOf(spec), speed: numberOption(spec, 'speed', 2) };
}

/** Renders clips `first`…`first + count − 1` of a stream as frames in [0, 1]. */
type ClipRenderer = (
  seed: number,
  stream: number,
  first: number,
  count: number,
  heldOut: boolean,
) => ImageTable;

function allIndices(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i);
}

function clipSource(
  spec: ResolvedData,
  opts: OpenDataOptions,
  classes: number,
  render: ClipRenderer,
): DataSource {
  const frames = framesOf(spec);
  const stream = STREAM[spec.split];
  const heldOut = new Map<number, DataBatch>();
  const batches =
    spec.limit === null
      ? {
          size: null,
          batchesPerEpoch: null,
          batchAt: ({ index }: { index: number }) => {
            const table = render(opts.seed, stream, index * spec.batch, spec.batch, false);
            return gatherBatch(table, allIndices(table.count), spec.scale);
          },
        }
      : finiteBatches(
          render(opts.seed, stream, 0, spec.limit, false),
          spec,
          opts.seed,
          `${spec.source} limit ${spec.limit}`,
          frames,
        );
  return createDataSource({
    spec,
    classes,
    ...batches,
    // n frames: the first ⌈n / frames⌉ held-out clips, the last one cut short.
    heldOut: async (n) => {
      let batch = heldOut.get(n);
      if (!batch) {
        const table = render(HELD_OUT_SEED, STREAM.heldOut, 0, Math.ceil(n / frames), true);
        batch = gatherBatch(table, allIndices(n), spec.scale);
        heldOut.set(n, batch);
      }
      return batch;
    },
    skipped: () => NO_SKIPS,
  });
}

export async function openMovingMnistSource(spec: ResolvedData, opts: OpenDataOptions): Promise<DataSource> {
  const clip = { ...clipSettings(spec), digits: numberOption(spec, 'digits', 1) };
  const size = numberOption(spec, 'digit_size', MNIST_DIGIT_SIZE);
  if (spec.shape[0] < size || spec.shape[1] < size)
    throw new Error(
      `data moving_mnist: the field ${spec.shape[0]}x${spec.shape[1]} is smaller than a digit (${size}x${size})`,
    );
  const glyphs = (split: Split) =>
    memoize(`moving-mnist-glyphs:${split}:${size}`, async () => digitGlyphs(await loadMnist(split), size));
  const own = await glyphs(spec.split);
  const other = await glyphs(spec.split === 'train' ? 'test' : 'train');
  return clipSource(spec, opts, 10, (seed, stream, first, count, held) =>
    renderMovingDigits(seed, stream, first, count, spec.shape, clip, held ? other : own),
  );
}

export async function openMovingShapesSource(spec: ResolvedData, opts: OpenDataOptions): Promise<DataSource> {
  const clip = clipSettings(spec);
  const kind = stringOption(spec, 'kind', KINDS, 'all');
  return clipSource(spec, opts, SHAPE_KINDS.length, (seed, stream, first, count) =>
    renderMovingShapes(seed, stream, first, count, spec.shape, clip, kind),
  );
}

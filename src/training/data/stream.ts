// The DataSource a trainer sees: positions, epochs, seeking and one batch of prefetch over
// a source-specific `batchAt`. Because batchAt is a pure function of the position, a
// prefetched batch is just the next position's batch made early, and seek only drops it.
import type { DataBatch, DataPosition, DataSource } from '../contract';
import type { ResolvedData } from '../../language/model';
import { sourceClassNames } from '../../language/schema';

export interface SourceParts {
  readonly spec: ResolvedData;
  readonly classes: number | null;
  /** Label names when the source knows them itself (folder sub-folders); else the schema's. */
  readonly classNames?: readonly string[] | null;
  readonly size: number | null;
  /** The training split's captions, where the source has them. */
  readonly captions?: readonly string[] | null;
  /** Full batches per epoch, null for endless sources. */
  readonly batchesPerEpoch: number | null;
  batchAt(position: DataPosition): DataBatch;
  heldOut(n: number): Promise<DataBatch>;
  skipped(): { readonly count: number; readonly examples: readonly string[] };
}

function checkPosition(position: DataPosition, batchesPerEpoch: number | null): void {
  const { epoch, index } = position;
  const valid =
    Number.isInteger(epoch) &&
    Number.isInteger(index) &&
    epoch >= 0 &&
    index >= 0 &&
    (batchesPerEpoch === null ? epoch === 0 : index < batchesPerEpoch);
  if (!valid) throw new Error(`invalid data position ${JSON.stringify(position)}`);
}

export function createDataSource(parts: SourceParts): DataSource {
  let position: DataPosition = { epoch: 0, index: 0 };
  let prefetched: { readonly position: DataPosition; readonly batch: Promise<DataBatch> } | null = null;
  let disposed = false;

  const after = ({ epoch, index }: DataPosition): DataPosition =>
    parts.batchesPerEpoch !== null && index + 1 >= parts.batchesPerEpoch
      ? { epoch: epoch + 1, index: 0 }
      : { epoch, index: index + 1 };

  // Made on a later turn of the event loop, so it fills the time the caller spends awaiting its step.
  const prepare = (at: DataPosition): Promise<DataBatch> =>
    new Promise((resolve, reject) =>
      setImmediate(() => {
        try {
          resolve(parts.batchAt(at));
        } catch (error) {
          reject(error);
        }
      }),
    );

  return {
    spec: parts.spec,
    shape: parts.spec.shape,
    classes: parts.classes,
    classNames: parts.classNames ?? sourceClassNames({ source: parts.spec.source, classes: parts.classes }),
    size: parts.size,
    captions: parts.captions ?? null,
    batchesPerEpoch: parts.batchesPerEpoch,
    get skipped() {
      return parts.skipped();
    },
    next(): Promise<DataBatch> {
      if (disposed) return Promise.reject(new Error('data source is disposed'));
      const current = position;
      const same =
        prefetched &&
        prefetched.position.epoch === current.epoch &&
        prefetched.position.index === current.index;
      const batch =
        same && prefetched ? prefetched.batch : Promise.resolve().then(() => parts.batchAt(current));
      position = after(current);
      const upcoming = position;
      prefetched = { position: upcoming, batch: prepare(upcoming) };
      prefetched.batch.catch(() => undefined); // surfaced when that batch is asked for
      return batch;
    },
    position: () => position,
    seek(target: DataPosition): void {
      checkPosition(target, parts.batchesPerEpoch);
      position = { epoch: target.epoch, index: target.index };
      prefetched = null;
    },
    heldOut: (n: number) => {
      if (!Number.isInteger(n) || n <= 0)
        return Promise.reject(new Error(`heldOut needs a positive count, got ${n}`));
      return parts.heldOut(n);
    },
    dispose(): void {
      disposed = true;
      prefetched = null;
    },
  };
}

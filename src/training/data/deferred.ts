// A data source for sampling only: its shape and classes come from the model, and nothing is read
// until a sample mode needs real images (vae reconstructions, cyclegan translations), so a
// checkpoint samples without its data (moved images, a missing package) and without decoding it.
import type { ResolvedData } from '../../language/model';
import { sourceClassNames } from '../../language/schema';
import type { DataBatch, DataPosition, DataSource } from '../contract';

export function deferredDataSource(
  spec: ResolvedData,
  open: (spec: ResolvedData) => Promise<DataSource>,
): DataSource {
  let opened: Promise<DataSource> | null = null;
  let position: DataPosition = { epoch: 0, index: 0 };
  const real = (): Promise<DataSource> => (opened ??= open(spec));
  return {
    spec,
    shape: spec.shape,
    classes: spec.classes,
    classNames: sourceClassNames(spec),
    size: null,
    batchesPerEpoch: null,
    skipped: { count: 0, examples: [] },
    next(): Promise<DataBatch> {
      return Promise.reject(new Error('a sampling-only data source has no training batches'));
    },
    position: () => position,
    seek(target: DataPosition): void {
      position = target;
    },
    async heldOut(n: number): Promise<DataBatch> {
      return (await real()).heldOut(n);
    },
    dispose(): void {
      void opened?.then(
        (source) => source.dispose(),
        () => undefined,
      );
    },
  };
}

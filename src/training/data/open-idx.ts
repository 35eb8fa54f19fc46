// mnist and fashion_mnist: a real train/test split, so held-out images come from the other one.
import type { ResolvedData } from '../../language/model';
import type { DataBatch, DataSource, OpenDataOptions } from '../contract';
import { conformTable } from './conform';
import { type Split, loadFashionMnist, loadMnist } from './mnist';
import { imageLimit } from './options';
import { finiteBatches } from './order';
import { createDataSource } from './stream';
import { cyclicBatch, firstImages, type ImageTable } from './table';

const NO_SKIPS = { count: 0, examples: [] } as const;

/** The decoder of an IDX source's split (memoized per process). */
export function idxLoader(spec: ResolvedData): (split: Split) => Promise<ImageTable> {
  return spec.source === 'fashion_mnist' ? loadFashionMnist : loadMnist;
}

export async function openIdxSource(spec: ResolvedData, opts: OpenDataOptions): Promise<DataSource> {
  const load = idxLoader(spec);
  const full = await load(spec.split);
  const table = conformTable(firstImages(full, imageLimit(spec, opts)), spec.shape);
  const batches = finiteBatches(table, spec, opts.seed, `${spec.source} ${spec.split} split`);
  const heldOutSplit: Split = spec.split === 'train' ? 'test' : 'train';
  const heldOut = new Map<number, Promise<DataBatch>>();
  return createDataSource({
    spec,
    classes: 10,
    ...batches,
    heldOut(n) {
      let batch = heldOut.get(n);
      if (!batch) {
        batch = load(heldOutSplit).then((other) =>
          cyclicBatch(conformTable(firstImages(other, n), spec.shape), n, spec.scale),
        );
        heldOut.set(n, batch);
      }
      return batch;
    },
    skipped: () => NO_SKIPS,
  });
}

// folder: the user's images. Decoded once at open (bounded by MAX_FOLDER_BYTES) so training
// never waits on disk; every tenth file (sorted order) is the test split / held-out set.
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { ResolvedData } from '../../language/model';
import type { DataBatch, DataSource, OpenDataOptions } from '../contract';
import { folderCaptions } from './captions';
import {
  type DecodedFolder,
  type FolderFile,
  type FolderListing,
  decodeFolderFiles,
  listFolder,
} from './folder';
import { memoize } from './memo';
import { backgroundOption, boolOption, imageLimit, textOption } from './options';
import { finiteBatches } from './order';
import { createDataSource } from './stream';
import { cyclicBatch, isTestIndex } from './table';

const SKIP_EXAMPLES = 5;

function decodeCached(
  listing: FolderListing,
  files: readonly FolderFile[],
  spec: ResolvedData,
  limit: number,
): Promise<DecodedFolder> {
  const background = backgroundOption(spec);
  const key = createHash('sha1')
    .update(JSON.stringify([listing.root, spec.shape, background, limit, files]))
    .digest('hex');
  return memoize(`folder:${key}`, () => decodeFolderFiles(listing, files, spec.shape, background, limit));
}

/** The decoded images with their captions (caption files), where the folder has any. */
function withCaptions(decoded: DecodedFolder): DecodedFolder {
  const captions = folderCaptions(decoded.paths);
  return captions ? { ...decoded, table: { ...decoded.table, captions } } : decoded;
}

export async function openFolderSource(spec: ResolvedData, opts: OpenDataOptions): Promise<DataSource> {
  const root = resolve(opts.baseDir, textOption(spec, 'path'));
  const listing = await listFolder(root, boolOption(spec, 'labels', false));
  const own = listing.files.filter((_, i) => isTestIndex(i) === (spec.split === 'test'));
  const other = listing.files.filter((_, i) => isTestIndex(i) !== (spec.split === 'test'));
  if (!own.length)
    throw new Error(
      `folder data source: ${root} has ${listing.files.length} images, too few for a test split (every tenth image is held out)`,
    );
  if (listing.classNames && spec.classes !== null && spec.classes !== listing.classNames.length)
    throw new Error(
      `folder data source: ${root} has ${listing.classNames.length} class sub-folders ` +
        `(${listing.classNames.join(', ')}) but the model declares classes=${spec.classes}`,
    );
  const training = withCaptions(await decodeCached(listing, own, spec, imageLimit(spec, opts)));
  const failures = new Set([...listing.unreadable, ...training.failures]);
  const skipped = () => ({ count: failures.size, examples: [...failures].slice(0, SKIP_EXAMPLES) });
  if (training.table.count === 0)
    throw new Error(
      `folder data source: no readable images in ${root} (expected PNG, JPEG or WebP images); ` +
        `${failures.size} skipped: ${skipped().examples.join('; ')}`,
    );
  const heldOut = new Map<number, Promise<DataBatch>>();
  return createDataSource({
    spec,
    classes: listing.classNames ? listing.classNames.length : null,
    classNames: listing.classNames,
    captions: training.table.captions ?? null,
    ...finiteBatches(training.table, spec, opts.seed, `folder ${root} (${spec.split} split)`),
    heldOut(n) {
      let batch = heldOut.get(n);
      if (!batch) {
        batch = (other.length ? decodeCached(listing, other, spec, n) : Promise.resolve(training)).then(
          (found) => {
            const decoded = withCaptions(found);
            decoded.failures.forEach((failure) => failures.add(failure));
            return cyclicBatch(decoded.table.count ? decoded.table : training.table, n, spec.scale);
          },
        );
        heldOut.set(n, batch);
      }
      return batch;
    },
    skipped,
  });
}

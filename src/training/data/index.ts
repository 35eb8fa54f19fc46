// Data sources of the training engine: plain Float32Array batches (channels-last, scaled to
// the spec's range) and Int32Array labels, in an order fixed by (seed, position).
//
// - mnist, fashion_mnist: 60k train / 10k test, 10 classes; held out = the other split.
// - emoji: every emoji the style draws (Component category excluded), 9 classes
//   (EMOJI_CATEGORIES); test split and held out = every tenth emoji in Unicode order.
// - folder: images under `path` (sorted), classes = sorted sub-folders when labels=true;
//   test split and held out = every tenth file; decoded once at open, unreadable files skipped.
// - shapes: endless, 3 classes (SHAPE_KINDS); with `limit`, a finite set of that many images.
//   Held out = a fixed stream that does not depend on the seed.
// - moving_mnist, moving_shapes: endless clips (batch × frames consecutive frames per batch),
//   10 and 3 classes; held out = frames of a fixed clip stream (moving_mnist: test-split digits);
//   with `limit`, the first that many clips, shuffled as whole clips.
// - clips: the user's clips under `path` (sub-folders of frames, animated GIF/WebP/PNG), unlabelled;
//   test split and held out = every tenth clip.
// Finite sources are decoded into memory at open (and cached per process), so a batch is a
// copy-and-scale; epochs are shuffled by (seed, epoch) and drop the last partial batch.
import { resolve } from 'node:path';
import type { ResolvedData } from '../../language/model';
import type { DataSource, OpenDataOptions } from '../contract';
import { openEmojiSource } from './open-emoji';
import { openClipFolderSource } from './clipFolder';
import { openFolderSource } from './open-folder';
import { idxLoader, openIdxSource } from './open-idx';
import { openMovingMnistSource, openMovingShapesSource } from './open-clips';
import { openShapesSource } from './open-shapes';
import { checkSpec, textOption } from './options';
import { mixSeeds } from '../seeds';

export { EMOJI_CATEGORIES, EMOJI_CLASS_COUNT } from './emoji';
export { SHAPE_KINDS } from './shapes';

/** Domain b of a cyclegan gets its own order (and shapes), so the two domains are never paired. */
function sourceSeed(spec: ResolvedData, seed: number): number {
  return spec.domain === 'b' ? mixSeeds(seed, 0xb) : seed;
}

export async function openDataSource(spec: ResolvedData, opts: OpenDataOptions): Promise<DataSource> {
  checkSpec(spec);
  const options = { ...opts, seed: sourceSeed(spec, opts.seed) };
  switch (spec.source) {
    case 'mnist':
    case 'fashion_mnist':
      return openIdxSource(spec, options);
    case 'emoji':
      return openEmojiSource(spec, options);
    case 'folder':
      return openFolderSource(spec, options);
    case 'shapes':
      return openShapesSource(spec, options);
    case 'moving_mnist':
      return openMovingMnistSource(spec, options);
    case 'moving_shapes':
      return openMovingShapesSource(spec, options);
    case 'clips':
      return openClipFolderSource(spec, options, resolve(opts.baseDir, textOption(spec, 'path')));
  }
}

/**
 * Starts decoding a source's files (memoized per process) without opening it, so that the
 * decoding (gunzip runs on libuv's threads) overlaps the backend's start-up. Errors are left to
 * `openDataSource`, which reports them with the source's location.
 */
export function prefetchData(spec: ResolvedData): void {
  if (spec.source === 'moving_mnist')
    idxLoader({ ...spec, source: 'mnist' })(spec.split).catch(() => undefined);
  if (spec.source !== 'mnist' && spec.source !== 'fashion_mnist') return;
  idxLoader(spec)(spec.split).catch(() => undefined);
}

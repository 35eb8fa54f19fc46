// clips: the user's clips from a folder. Each folder's image files, in name order, are the frames
// of one clip (sub-folders are clips of their own), and each animated GIF or WebP is a clip of its
// pages, and each animated PNG (APNG) of its frames. A clip of n frames gives ⌊n / frames⌋ clips of `frames` consecutive frames; a shorter one
// is skipped and reported. Every tenth clip (in that order) is the test split / held-out set.
import { join, relative } from 'node:path';
import type { ResolvedData } from '../../language/model';
import type { DataBatch, DataSource, OpenDataOptions } from '../contract';
import { isPngName, pngFrameCount } from './apng';
import { decodeImage, isImageName, MAX_FOLDER_BYTES, MAX_FOLDER_ENTRIES, Walk } from './folder';
import { framesOf } from './open-clips';
import { loadSharp } from './optional-package';
import { backgroundOption, imageLimit } from './options';
import { finiteBatches } from './order';
import { DECODE_CONCURRENCY, mapConcurrent } from './pool';
import { createDataSource } from './stream';
import { gatherBatch, type ImageShape, type ImageTable, isTestIndex, pixelsPerImage } from './table';

const SKIP_EXAMPLES = 5;
const ANIMATED = ['.gif', '.webp', '.png', '.apng'];

/** One frame: an image file, or one page of an animated one. */
export interface FrameRef {
  readonly path: string;
  readonly page: number | null;
}

export interface ClipRef {
  /** Where it comes from, relative to the root (a folder, or an animated file), with its frames. */
  readonly name: string;
  readonly frames: readonly FrameRef[];
}

export interface ClipListing {
  readonly root: string;
  readonly clips: readonly ClipRef[];
  /** `name: reason` for each folder, file or clip skipped. */
  readonly skipped: readonly string[];
}

/** Pages of an animated GIF, WebP or PNG (1 for a still image; 0 when it cannot be read). */
async function pagesOf(path: string): Promise<number> {
  if (isPngName(path)) return pngFrameCount(path);
  const sharp = loadSharp('the clips data source (animated images)');
  try {
    return (await sharp(path).metadata()).pages ?? 1;
  } catch {
    return 0;
  }
}

/** The clips under root, each cut into clips of `frames` consecutive frames. */
export async function listClips(
  root: string,
  frames: number,
  maxEntries = MAX_FOLDER_ENTRIES,
): Promise<ClipListing> {
  const walk = new Walk(root, maxEntries);
  const whole: ClipRef[] = [];
  const skipped: string[] = [];
  const name = (path: string) => relative(root, path) || '.';
  const visit = async (dir: string): Promise<void> => {
    const entries = (await walk.entries(dir)) ?? [];
    const stills: FrameRef[] = [];
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && !entry.name.startsWith('.')) await visit(path);
      else if (entry.isFile() && isImageName(entry.name)) {
        const animated = ANIMATED.some((ext) => entry.name.toLowerCase().endsWith(ext));
        const pages = animated ? await pagesOf(path) : 1;
        if (pages === 0) skipped.push(`${name(path)}: unreadable`);
        else if (pages > 1)
          whole.push({
            name: name(path),
            frames: Array.from({ length: pages }, (_, page) => ({ path, page })),
          });
        else stills.push({ path, page: null });
      }
    }
    if (stills.length) whole.push({ name: `${name(dir)}/`, frames: stills });
  };
  await visit(root);
  skipped.push(...walk.unreadable);
  const clips: ClipRef[] = [];
  for (const clip of whole) {
    const count = Math.floor(clip.frames.length / frames);
    if (count === 0) skipped.push(`${clip.name}: ${clip.frames.length} frames, fewer than frames=${frames}`);
    for (let k = 0; k < count; k++)
      clips.push({
        name: count > 1 ? `${clip.name} (frames ${k * frames + 1}–${(k + 1) * frames})` : clip.name,
        frames: clip.frames.slice(k * frames, (k + 1) * frames),
      });
  }
  return { root, clips, skipped };
}

export interface DecodedClips {
  /** The clips' frames, each clip's consecutive. */
  readonly table: ImageTable;
  readonly failures: readonly string[];
}

/** Decodes clips in order until `limit` have been read; a clip with an unreadable frame is skipped. */
export async function decodeClips(
  listing: ClipListing,
  clips: readonly ClipRef[],
  shape: ImageShape,
  background: string,
  limit: number,
): Promise<DecodedClips> {
  const size = pixelsPerImage(shape);
  const wanted = Math.min(limit, clips.length);
  const frames = clips[0]?.frames.length ?? 0;
  if (wanted * frames * size > MAX_FOLDER_BYTES)
    throw new Error(
      `clips data source: ${listing.root} has ${clips.length} clips; at ${frames} frames of ${shape.join('x')} that is more than ` +
        `${MAX_FOLDER_BYTES >> 20} MiB in memory. Set \`limit\` (e.g. limit ${Math.floor(MAX_FOLDER_BYTES / (frames * size))}) or a smaller size.`,
    );
  const decoded: Uint8Array[][] = [];
  const failures: string[] = [];
  for (let start = 0; start < clips.length && decoded.length < wanted; start += DECODE_CONCURRENCY) {
    const chunk = clips.slice(start, start + DECODE_CONCURRENCY);
    const results = await mapConcurrent(chunk, DECODE_CONCURRENCY, async (clip) => {
      try {
        const out: Uint8Array[] = [];
        for (const frame of clip.frames)
          out.push(await decodeImage(frame.path, shape, background, frame.page));
        return out;
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
    });
    results.forEach((result, i) => {
      if (result instanceof Error) failures.push(`${chunk[i].name}: ${result.message.split('\n')[0]}`);
      else if (decoded.length < wanted) decoded.push(result);
    });
  }
  const pixels = new Uint8Array(decoded.length * frames * size);
  decoded.flat().forEach((frame, i) => pixels.set(frame, i * size));
  return { table: { count: decoded.length * frames, shape, pixels, labels: null }, failures };
}

export async function openClipFolderSource(
  spec: ResolvedData,
  opts: OpenDataOptions,
  root: string,
): Promise<DataSource> {
  const frames = framesOf(spec);
  const listing = await listClips(root, frames);
  const own = listing.clips.filter((_, i) => isTestIndex(i) === (spec.split === 'test'));
  const other = listing.clips.filter((_, i) => isTestIndex(i) !== (spec.split === 'test'));
  if (!own.length)
    throw new Error(
      `clips data source: ${root} has ${listing.clips.length} clips of ${frames} frames` +
        (listing.clips.length ? ', too few for a test split (every tenth clip is held out)' : '') +
        ` (expected sub-folders of frame images, or animated GIF/WebP/PNG files)` +
        (listing.skipped.length ? `; skipped: ${listing.skipped.slice(0, SKIP_EXAMPLES).join('; ')}` : ''),
    );
  const background = backgroundOption(spec);
  const training = await decodeClips(listing, own, spec.shape, background, imageLimit(spec, opts));
  const failures = new Set([...listing.skipped, ...training.failures]);
  const skipped = () => ({ count: failures.size, examples: [...failures].slice(0, SKIP_EXAMPLES) });
  if (training.table.count === 0)
    throw new Error(
      `clips data source: no readable clips in ${root}; skipped: ${skipped().examples.join('; ')}`,
    );
  const heldOut = new Map<number, Promise<DataBatch>>();
  return createDataSource({
    spec,
    classes: null,
    ...finiteBatches(training.table, spec, opts.seed, `clips ${root} (${spec.split} split)`, frames),
    // n frames: the first ⌈n / frames⌉ held-out clips (cycled if there are fewer), the last one cut short.
    heldOut(n) {
      let batch = heldOut.get(n);
      if (!batch) {
        const wanted = Math.ceil(n / frames);
        batch = (
          other.length
            ? decodeClips(listing, other, spec.shape, background, wanted)
            : Promise.resolve(training)
        ).then((found) => {
          found.failures.forEach((failure) => failures.add(failure));
          const table = found.table.count ? found.table : training.table;
          return gatherBatch(
            table,
            Array.from({ length: n }, (_, i) => i % table.count),
            spec.scale,
          );
        });
        heldOut.set(n, batch);
      }
      return batch;
    },
    skipped,
  });
}

// A folder of the user's images (PNG, JPEG, WebP, ...), decoded and resized with sharp.
// With labels, each sub-folder is a class (sorted by name). Files are taken in sorted path
// order; unreadable ones are skipped and reported, never fatal.
import { type Dirent, existsSync, statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { convertChannels } from './conform';
import { loadSharp } from './optional-package';
import { DECODE_CONCURRENCY, mapConcurrent } from './pool';
import { type ImageShape, type ImageTable, pixelsPerImage } from './table';

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff', '.avif'] as const;

/** Decoded pixels kept in memory per folder split at most; beyond it the user must set `limit`. */
export const MAX_FOLDER_BYTES = 1 << 30;

export interface FolderFile {
  readonly path: string;
  readonly label: number;
  /** Size and modification time: part of the cache key, so edited folders are re-read. */
  readonly signature: string;
}

export interface FolderListing {
  readonly root: string;
  readonly files: readonly FolderFile[];
  /** Class names (sub-folders) when labelled, else null. */
  readonly classNames: readonly string[] | null;
}

function expected(labels: boolean): string {
  return labels
    ? 'a folder with one sub-folder of PNG, JPEG or WebP images per class'
    : 'a folder of PNG, JPEG or WebP images';
}

function isImageName(name: string): boolean {
  const lower = name.toLowerCase();
  return !name.startsWith('.') && IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

async function imageFilesUnder(dir: string): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort(byName);
  const files: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !entry.name.startsWith('.')) files.push(...(await imageFilesUnder(path)));
    else if (entry.isFile() && isImageName(entry.name)) files.push(path);
  }
  return files;
}

async function withSignatures(paths: readonly string[], label: number): Promise<FolderFile[]> {
  return Promise.all(
    paths.map(async (path) => {
      const info = await stat(path);
      return { path, label, signature: `${info.size}:${info.mtimeMs}` };
    }),
  );
}

/** Lists the images of a folder source; throws naming the path when it is missing or empty. */
export async function listFolder(root: string, labels: boolean): Promise<FolderListing> {
  if (!existsSync(root))
    throw new Error(`folder data source: ${root} does not exist (expected ${expected(labels)})`);
  if (!statSync(root).isDirectory())
    throw new Error(`folder data source: ${root} is not a folder (expected ${expected(labels)})`);
  if (!labels) {
    const files = await withSignatures(await imageFilesUnder(root), 0);
    if (!files.length)
      throw new Error(`folder data source: no images in ${root} (expected ${expected(labels)})`);
    return { root, files, classNames: null };
  }
  const subfolders = (await readdir(root, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .sort(byName);
  const classes: { name: string; files: string[] }[] = [];
  for (const sub of subfolders) {
    const files = await imageFilesUnder(join(root, sub.name));
    if (files.length) classes.push({ name: sub.name, files });
  }
  if (!classes.length)
    throw new Error(
      `folder data source: no class sub-folders with images in ${root} (labels=true expects ${expected(labels)})`,
    );
  const files = (await Promise.all(classes.map((c, label) => withSignatures(c.files, label)))).flat();
  return { root, files, classNames: classes.map((c) => c.name) };
}

async function decodeImage(path: string, shape: ImageShape, background: string): Promise<Uint8Array> {
  // Grey comes from the same luma formula as every other source (convertChannels), not libvips' L*.
  const sharp = loadSharp('the folder data source (image decoding)');
  const { data, info } = await sharp(path)
    .rotate()
    .flatten({ background })
    .resize(shape[1], shape[0], { fit: 'cover' })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return convertChannels(
    new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    info.channels,
    shape[2],
  );
}

export interface DecodedFolder {
  readonly table: ImageTable;
  /** `relative/path: reason` for each file that could not be decoded. */
  readonly failures: readonly string[];
}

/** Decodes files in order until `limit` images have been read (unreadable ones don't count). */
export async function decodeFolderFiles(
  listing: FolderListing,
  files: readonly FolderFile[],
  shape: ImageShape,
  background: string,
  limit: number,
): Promise<DecodedFolder> {
  const size = pixelsPerImage(shape);
  const wanted = Math.min(limit, files.length);
  if (wanted * size > MAX_FOLDER_BYTES)
    throw new Error(
      `folder data source: ${listing.root} has ${files.length} images; at ${shape.join('x')} that is more than ` +
        `${MAX_FOLDER_BYTES >> 20} MiB in memory. Set \`limit\` (e.g. limit ${Math.floor(MAX_FOLDER_BYTES / size)}) or a smaller size.`,
    );
  const images: Uint8Array[] = [];
  const labels: number[] = [];
  const failures: string[] = [];
  for (let start = 0; start < files.length && images.length < wanted; start += DECODE_CONCURRENCY * 4) {
    const chunk = files.slice(start, start + DECODE_CONCURRENCY * 4);
    const decoded = await mapConcurrent(chunk, DECODE_CONCURRENCY, (file) =>
      decodeImage(file.path, shape, background).catch((error: unknown) =>
        error instanceof Error ? error : new Error(String(error)),
      ),
    );
    decoded.forEach((result, i) => {
      if (result instanceof Error)
        failures.push(`${relative(listing.root, chunk[i].path)}: ${result.message.split('\n')[0]}`);
      else if (images.length < wanted) {
        images.push(result);
        labels.push(chunk[i].label);
      }
    });
  }
  const pixels = new Uint8Array(images.length * size);
  images.forEach((image, i) => pixels.set(image, i * size));
  const table = {
    count: images.length,
    shape,
    pixels,
    labels: listing.classNames ? Int32Array.from(labels) : null,
  };
  return { table, failures };
}

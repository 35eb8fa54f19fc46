// A folder of the user's images (PNG, JPEG, WebP, ...), decoded and resized with sharp.
// With labels, each sub-folder is a class (sorted by name). Files are taken in sorted path
// order; unreadable ones (and unreadable sub-folders) are skipped and reported, never fatal.
// The walk is bounded: the file system's root is refused, and so is a tree of more than
// MAX_FOLDER_ENTRIES entries (a folder named by mistake, not a data set).
import { apngFrame, isPngName } from './apng';
import { type Dirent, existsSync, statSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, parse, relative, resolve } from 'node:path';
import { convertChannels } from './conform';
import { loadSharp } from './optional-package';
import { DECODE_CONCURRENCY, mapConcurrent } from './pool';
import { type ImageShape, type ImageTable, pixelsPerImage } from './table';

export const IMAGE_EXTENSIONS = [
  '.png',
  '.apng',
  '.jpg',
  '.jpeg',
  '.webp',
  '.gif',
  '.tif',
  '.tiff',
  '.avif',
] as const;

/** Decoded pixels kept in memory per folder split at most; beyond it the user must set `limit`. */
export const MAX_FOLDER_BYTES = 1 << 30;

/** Files and folders visited while listing a folder source, at most. */
export const MAX_FOLDER_ENTRIES = 200_000;

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
  /** `sub/folder/: reason` for each sub-folder that could not be read (skipped). */
  readonly unreadable: readonly string[];
}

function expected(labels: boolean): string {
  return labels
    ? 'a folder with one sub-folder of PNG, JPEG or WebP images per class'
    : 'a folder of PNG, JPEG or WebP images';
}

export function isImageName(name: string): boolean {
  const lower = name.toLowerCase();
  return !name.startsWith('.') && IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? (error instanceof Error ? error.message : String(error));
}

/** One listing: a budget of entries shared by every folder it walks, and what it could not read. */
export class Walk {
  private visited = 0;
  readonly unreadable: string[] = [];

  constructor(
    readonly root: string,
    private readonly maxEntries: number,
  ) {}

  /** The entries of dir, sorted; null (and recorded) when it cannot be read. */
  async entries(dir: string): Promise<Dirent[] | null> {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if (dir === this.root)
        throw new Error(`folder data source: cannot read ${dir} (${readFailure(error)})`, { cause: error });
      this.unreadable.push(`${relative(this.root, dir)}/: ${readFailure(error)}`);
      return null;
    }
    this.visited += entries.length;
    if (this.visited > this.maxEntries)
      throw new Error(
        `folder data source: ${this.root} holds more than ${this.maxEntries.toLocaleString('en-US')} files ` +
          `and folders; name the folder of one set of images`,
      );
    return entries.sort(byName);
  }

  async imageFilesUnder(dir: string): Promise<string[]> {
    const files: string[] = [];
    for (const entry of (await this.entries(dir)) ?? []) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && !entry.name.startsWith('.'))
        files.push(...(await this.imageFilesUnder(path)));
      else if (entry.isFile() && isImageName(entry.name)) files.push(path);
    }
    return files;
  }
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
export async function listFolder(
  root: string,
  labels: boolean,
  maxEntries = MAX_FOLDER_ENTRIES,
): Promise<FolderListing> {
  if (!existsSync(root))
    throw new Error(`folder data source: ${root} does not exist (expected ${expected(labels)})`);
  if (!statSync(root).isDirectory())
    throw new Error(`folder data source: ${root} is not a folder (expected ${expected(labels)})`);
  if (resolve(root) === parse(resolve(root)).root)
    throw new Error(
      `folder data source: ${root} is the root of the file system; name the folder that holds ${expected(labels)}`,
    );
  const walk = new Walk(root, maxEntries);
  if (!labels) {
    const files = await withSignatures(await walk.imageFilesUnder(root), 0);
    if (!files.length)
      throw new Error(`folder data source: no images in ${root} (expected ${expected(labels)})`);
    return { root, files, classNames: null, unreadable: walk.unreadable };
  }
  const subfolders = ((await walk.entries(root)) ?? []).filter(
    (e) => e.isDirectory() && !e.name.startsWith('.'),
  );
  const classes: { name: string; files: string[] }[] = [];
  for (const sub of subfolders) {
    const files = await walk.imageFilesUnder(join(root, sub.name));
    if (files.length) classes.push({ name: sub.name, files });
  }
  if (!classes.length)
    throw new Error(
      `folder data source: no class sub-folders with images in ${root} (labels=true expects ${expected(labels)})`,
    );
  const files = (await Promise.all(classes.map((c, label) => withSignatures(c.files, label)))).flat();
  return { root, files, classNames: classes.map((c) => c.name), unreadable: walk.unreadable };
}

/** One image (or one page of an animated GIF/WebP, one frame of an APNG) as the shape's bytes: resized to cover it. */
export async function decodeImage(
  path: string,
  shape: ImageShape,
  background: string,
  page: number | null = null,
): Promise<Uint8Array> {
  // Grey comes from the same luma formula as every other source (convertChannels), not libvips' L*.
  const sharp = loadSharp('the folder data source (image decoding)');
  // An APNG's frames: sharp reads only its default image.
  const frame = page !== null && isPngName(path) ? await apngFrame(path, page) : null;
  const { data, info } = await (
    frame ? sharp(frame.data, { raw: frame.raw }) : sharp(path, page === null ? {} : { page })
  )
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
  /** The path of each decoded image, in table order. */
  readonly paths: readonly string[];
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
  const paths: string[] = [];
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
        paths.push(chunk[i].path);
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
  return { table, failures, paths };
}

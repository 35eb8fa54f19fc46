// An in-memory set of images: the common currency of every finite source.
import type { DataBatch } from '../contract';

/** Pixels channels-last, either bytes (0..255) or floats already in [0, 1]. */
export type Pixels = Uint8Array | Float32Array;

export type ImageShape = readonly [number, number, number];

export interface ImageTable {
  readonly count: number;
  readonly shape: ImageShape;
  readonly pixels: Pixels;
  readonly labels: Int32Array | null;
  /** One caption per image, where the source has them. */
  readonly captions?: readonly string[];
}

export function pixelsPerImage(shape: ImageShape): number {
  return shape[0] * shape[1] * shape[2];
}

/** The first `count` images, sharing memory with the table. */
export function firstImages(table: ImageTable, count: number): ImageTable {
  if (count >= table.count) return table;
  const size = pixelsPerImage(table.shape);
  return {
    count,
    shape: table.shape,
    pixels: table.pixels.subarray(0, count * size),
    labels: table.labels ? table.labels.subarray(0, count) : null,
    ...(table.captions ? { captions: table.captions.slice(0, count) } : {}),
  };
}

/** A new table holding the images at `indices`, in that order. */
export function pickImages(table: ImageTable, indices: ArrayLike<number>): ImageTable {
  const size = pixelsPerImage(table.shape);
  const pixels =
    table.pixels instanceof Uint8Array
      ? new Uint8Array(indices.length * size)
      : new Float32Array(indices.length * size);
  const labels = table.labels ? new Int32Array(indices.length) : null;
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i];
    pixels.set(table.pixels.subarray(from * size, (from + 1) * size), i * size);
    if (labels && table.labels) labels[i] = table.labels[from];
  }
  const captions = table.captions ? Array.from(indices, (i) => table.captions?.[i] ?? '') : undefined;
  return { count: indices.length, shape: table.shape, pixels, labels, ...(captions ? { captions } : {}) };
}

/** Copies `length` pixel values into `dst`, mapping the stored range onto [lo, hi]. */
export function writeScaled(
  dst: Float32Array,
  dstOffset: number,
  src: Pixels,
  srcOffset: number,
  length: number,
  scale: readonly [number, number],
): void {
  const [lo, hi] = scale;
  const factor = (hi - lo) / (src instanceof Uint8Array ? 255 : 1);
  for (let i = 0; i < length; i++) dst[dstOffset + i] = src[srcOffset + i] * factor + lo;
}

/** A batch of the images at `indices`, scaled. */
export function gatherBatch(
  table: ImageTable,
  indices: ArrayLike<number>,
  scale: readonly [number, number],
): DataBatch {
  const size = pixelsPerImage(table.shape);
  const images = new Float32Array(indices.length * size);
  const labels = table.labels ? new Int32Array(indices.length) : null;
  for (let i = 0; i < indices.length; i++) {
    writeScaled(images, i * size, table.pixels, indices[i] * size, size, scale);
    if (labels && table.labels) labels[i] = table.labels[indices[i]];
  }
  const captions = table.captions ? Array.from(indices, (i) => table.captions?.[i] ?? '') : undefined;
  return { count: indices.length, images, labels, ...(captions ? { captions } : {}) };
}

/** n images cycling through the table from its start: a fixed held-out batch of any size. */
export function cyclicBatch(table: ImageTable, n: number, scale: readonly [number, number]): DataBatch {
  if (table.count === 0) throw new Error('no images to hold out');
  const indices = Array.from({ length: n }, (_, i) => i % table.count);
  return gatherBatch(table, indices, scale);
}

/** Splits a source without its own test set: every tenth image (index 9, 19, ...) is held out. */
export function splitEveryTenth(table: ImageTable): {
  readonly train: ImageTable;
  readonly test: ImageTable;
} {
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < table.count; i++) (isTestIndex(i) ? test : train).push(i);
  return { train: pickImages(table, train), test: pickImages(table, test) };
}

export function isTestIndex(index: number): boolean {
  return index % 10 === 9;
}

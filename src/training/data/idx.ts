// The IDX format of MNIST and Fashion-MNIST: a big-endian header (magic, dimensions) then
// unsigned bytes. 0x803 = images (count, rows, cols), 0x801 = labels (count).
import type { ImageTable } from './table';

const IMAGES_MAGIC = 0x00000803;
const LABELS_MAGIC = 0x00000801;

export function parseIdxImages(
  bytes: Uint8Array,
  name: string,
): { count: number; rows: number; cols: number; pixels: Uint8Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 16 || view.getUint32(0) !== IMAGES_MAGIC)
    throw new Error(`${name} is not an IDX image file`);
  const count = view.getUint32(4);
  const rows = view.getUint32(8);
  const cols = view.getUint32(12);
  if (bytes.byteLength !== 16 + count * rows * cols)
    throw new Error(`${name} is truncated or has trailing bytes`);
  return { count, rows, cols, pixels: bytes.subarray(16) };
}

export function parseIdxLabels(bytes: Uint8Array, name: string): Int32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 8 || view.getUint32(0) !== LABELS_MAGIC)
    throw new Error(`${name} is not an IDX label file`);
  const count = view.getUint32(4);
  if (bytes.byteLength !== 8 + count) throw new Error(`${name} is truncated or has trailing bytes`);
  return Int32Array.from(bytes.subarray(8));
}

export function idxTable(
  images: Uint8Array,
  labels: Uint8Array,
  names: readonly [string, string],
): ImageTable {
  const parsed = parseIdxImages(images, names[0]);
  const parsedLabels = parseIdxLabels(labels, names[1]);
  if (parsedLabels.length !== parsed.count)
    throw new Error(
      `${names[0]} has ${parsed.count} images but ${names[1]} has ${parsedLabels.length} labels`,
    );
  return {
    count: parsed.count,
    shape: [parsed.rows, parsed.cols, 1],
    pixels: parsed.pixels,
    labels: parsedLabels,
  };
}

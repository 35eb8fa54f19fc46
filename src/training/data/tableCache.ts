// Decoded image tables kept in the user's cache folder, for sources whose decoding is slow:
// the emoji sprite sheets take ~2.9 s to decode, flatten and resize per process (most of the
// time to an emoji run's first sample grid); reading the table back takes milliseconds. A
// table is named by everything it depends on (the caller's key: package version, sheet size and
// time, shape, background), written under a temporary name and renamed into place, and read
// back only when its sizes agree with its header: anything else decodes afresh.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { userCacheDir, writeCacheFile } from './decompressedCache';
import type { ImageShape, ImageTable } from './table';

interface Header {
  readonly count: number;
  readonly shape: ImageShape;
  readonly labels: boolean;
}

function tablePath(key: string): string {
  const name = createHash('sha256').update(key).digest('hex').slice(0, 32);
  return join(userCacheDir(), 'tables', `${name}.bin`);
}

/** [header length (uint32 LE)] [header JSON] [pixels, uint8] [labels, int32 LE, optional] */
function encode(table: ImageTable, pixels: Uint8Array): Buffer {
  const header = Buffer.from(
    JSON.stringify({
      count: table.count,
      shape: table.shape,
      labels: table.labels !== null,
    } satisfies Header),
  );
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  const labels = table.labels
    ? Buffer.from(table.labels.buffer, table.labels.byteOffset, table.labels.byteLength)
    : Buffer.alloc(0);
  return Buffer.concat([length, header, Buffer.from(pixels), labels]);
}

function decode(bytes: Buffer): ImageTable {
  const headerLength = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.subarray(4, 4 + headerLength).toString('utf8')) as Header;
  const [h, w, c] = header.shape;
  const pixelCount = header.count * h * w * c;
  const start = 4 + headerLength;
  const expected = start + pixelCount + (header.labels ? 4 * header.count : 0);
  if (!Number.isInteger(pixelCount) || pixelCount <= 0 || bytes.length !== expected)
    throw new Error('a cached table of the wrong size');
  const pixels = new Uint8Array(bytes.subarray(start, start + pixelCount));
  const labels = header.labels
    ? new Int32Array(new Uint8Array(bytes.subarray(start + pixelCount)).buffer)
    : null;
  return { count: header.count, shape: [h, w, c], pixels, labels };
}

export async function cachedTable(key: string, build: () => Promise<ImageTable>): Promise<ImageTable> {
  const path = tablePath(key);
  try {
    return decode(await readFile(path));
  } catch {
    // No usable copy: decode the source.
  }
  const table = await build();
  if (table.pixels instanceof Uint8Array) writeCacheFile(path, encode(table, table.pixels));
  return table;
}

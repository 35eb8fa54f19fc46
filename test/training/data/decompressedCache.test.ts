// Gunzipped dataset files are kept in the user's cache folder; a bad copy or an unwritable
// folder only costs a gunzip, never wrong bytes.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { gunzippedFile } from '../../../src/training/data/decompressedCache';

const content = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7) % 251));
/** Accepts only the whole content, as the IDX parsers accept only whole files. */
const check = (bytes: Uint8Array): void => {
  if (bytes.byteLength !== content.byteLength) throw new Error('truncated');
};

function setup(): { file: string; cache: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gan-decompressed-'));
  const file = join(dir, 'data.gz');
  writeFileSync(file, gzipSync(content));
  const cache = join(dir, 'cache');
  process.env.GAN_CACHE_DIR = cache;
  return { file, cache };
}

test('the first read gunzips and keeps a copy; the next read returns the copy', async () => {
  const { file, cache } = setup();
  assert.deepEqual(Buffer.from(await gunzippedFile(file, check)), content);
  const copies = readdirSync(join(cache, 'decompressed'));
  assert.equal(copies.length, 1);
  const copy = join(cache, 'decompressed', copies[0]);
  assert.deepEqual(readFileSync(copy), content);
  // The copy is what is read now: marked so a gunzip would not reproduce it, but still whole.
  const marked = Buffer.from(content);
  marked[0] = 255;
  writeFileSync(copy, marked);
  assert.equal((await gunzippedFile(file, check))[0], 255);
});

test('a truncated copy is replaced from the original', async () => {
  const { file, cache } = setup();
  await gunzippedFile(file, check);
  const copy = join(cache, 'decompressed', readdirSync(join(cache, 'decompressed'))[0]);
  writeFileSync(copy, content.subarray(0, 100));
  assert.deepEqual(Buffer.from(await gunzippedFile(file, check)), content);
  assert.deepEqual(readFileSync(copy), content);
});

test('a cache folder that cannot be made still gives the bytes', async () => {
  const { file, cache } = setup();
  // A file where the folder should be: mkdir fails even for root.
  writeFileSync(cache, 'not a folder');
  assert.deepEqual(Buffer.from(await gunzippedFile(file, check)), content);
});

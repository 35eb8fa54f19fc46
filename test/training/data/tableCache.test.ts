// Decoded tables kept in the user's cache folder come back exactly; a damaged copy is decoded
// afresh; the emoji source reads its table back instead of decoding the sprite sheet again.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { emojiTableKey, loadEmoji } from '../../../src/training/data/emoji';
import { cachedTable } from '../../../src/training/data/tableCache';
import type { ImageTable } from '../../../src/training/data/table';

function freshCacheDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gan-table-cache-'));
  process.env.GAN_CACHE_DIR = dir;
  return dir;
}

const table: ImageTable = {
  count: 3,
  shape: [2, 2, 1],
  pixels: Uint8Array.from({ length: 12 }, (_, i) => i * 20),
  labels: Int32Array.from([2, 0, 7]),
};

test('a table is built once, then read back equal, labels and all', async () => {
  freshCacheDir();
  let builds = 0;
  const build = async (): Promise<ImageTable> => (builds++, table);
  await cachedTable('k', build);
  const again = await cachedTable('k', build);
  assert.equal(builds, 1);
  assert.deepEqual(again, table);
  const other = await cachedTable('another key', build);
  assert.equal(builds, 2);
  assert.deepEqual(other, table);
});

test('a damaged copy is decoded afresh and replaced', async () => {
  const dir = freshCacheDir();
  let builds = 0;
  const build = async (): Promise<ImageTable> => (builds++, table);
  await cachedTable('k', build);
  const [name] = readdirSync(join(dir, 'tables'));
  writeFileSync(join(dir, 'tables', name), Buffer.from([9, 0, 0, 0, 123]));
  assert.deepEqual(await cachedTable('k', build), table);
  assert.equal(builds, 2);
  assert.deepEqual(await cachedTable('k', build), table);
  assert.equal(builds, 2);
});

test('emoji tables are cached: the copy read back equals the decoded table', async () => {
  freshCacheDir();
  const decoded = await loadEmoji('twitter', [16, 16, 3], 'white');
  const key = await emojiTableKey('twitter', [16, 16, 3], 'white');
  assert.ok(key);
  const cached = await cachedTable(key, () => assert.fail('the copy is read, nothing is decoded'));
  assert.deepEqual(cached, decoded);
});

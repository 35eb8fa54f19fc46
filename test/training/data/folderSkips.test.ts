// Folder data reports what it skipped (issue 10, case 3): unreadable images (corrupt, zero-byte,
// a 30000x30000 PNG) and unreadable sub-folders are counted and named, never a raw error that
// stops the run; the walk refuses the file system's root and a tree too large to be a data set.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { buildSync } from 'esbuild';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { listFolder } from '../../../src/training/data/folder';
import { openDataSource } from '../../../src/training/data/index';
import { folderWithBadImages } from './badImages';
import { dataSpec } from './helpers';

const spec = (path: string) =>
  dataSpec({
    source: 'folder',
    shape: [8, 8, 1],
    classes: null,
    batch: 2,
    scale: [-1, 1],
    options: { path },
  });

test('unreadable images are counted and named in DataSource.skipped', async () => {
  const dir = await folderWithBadImages();
  const source = await openDataSource(spec('images'), { seed: 1, baseDir: dir });
  try {
    // Every tenth file is held out; the three bad ones sort first, so they are in the training split.
    assert.equal(source.skipped.count, 3);
    const [corrupt, empty, huge] = source.skipped.examples;
    assert.match(corrupt, /^a-corrupt\.png: /);
    assert.match(empty, /^b-empty\.png: /);
    assert.match(huge, /^c-huge\.png: /);
  } finally {
    source.dispose();
  }
});

test('an unreadable sub-folder is skipped and reported, not an EACCES that stops the run', async () => {
  const dir = await folderWithBadImages();
  const locked = join(dir, 'images', 'private');
  mkdirSync(locked);
  writeFileSync(join(locked, 'x.png'), '');
  chmodSync(locked, 0o000);
  chmodSync(dir, 0o755);
  // The listing runs as an unprivileged user (root reads any folder), who may not be able to read
  // this checkout: bundle it into the test's own world-readable folder first.
  const bundle = join(dir, 'list-folder.cjs');
  buildSync({
    stdin: {
      contents: `
        const { listFolder } = require('./src/training/data/folder');
        listFolder(${JSON.stringify(join(dir, 'images'))}, false).then(
          (l) => console.log(JSON.stringify({ files: l.files.length, unreadable: l.unreadable })),
          (e) => console.log(JSON.stringify({ error: e.message })),
        );`,
      resolveDir: join(__dirname, '../../..'),
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: bundle,
    logLevel: 'silent',
  });
  const asRoot = process.getuid?.() === 0;
  const result = spawnSync(process.execPath, [bundle], {
    encoding: 'utf8',
    ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
  });
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), { files: 15, unreadable: ['private/: permission denied'] });
});

test('the file system root and oversized trees are refused with a clear message', async () => {
  await assert.rejects(listFolder('/', false), /\/ is the root of the file system; name the folder/);
  const dir = await folderWithBadImages();
  await assert.rejects(listFolder(dir, false, 10), /holds more than 10 files and folders/);
  assert.equal((await listFolder(dir, false, 100)).files.length, 15);
});

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { Sharp } from 'sharp';
import { openDataSource } from '../../../src/training/data/index';
import { dataSpec, imageOf, range, take } from './helpers';

let base = '';
const opts = () => ({ seed: 1, baseDir: base });
const folder = (path: string, overrides: Parameters<typeof dataSpec>[0] = {}) =>
  dataSpec({
    source: 'folder',
    shape: [8, 8, 3],
    classes: null,
    batch: 2,
    shuffle: false,
    scale: [0, 1],
    options: { path },
    ...overrides,
  });

function solid(width: number, height: number, rgba: readonly [number, number, number, number]): Sharp {
  return sharp({
    create: {
      width,
      height,
      channels: 4,
      background: { r: rgba[0], g: rgba[1], b: rgba[2], alpha: rgba[3] },
    },
  });
}

/** Mean of each channel of image i. */
function meanColour(batch: { images: Float32Array; count: number }, i: number, channels: number): number[] {
  const image = imageOf({ ...batch, labels: null }, i);
  return Array.from({ length: channels }, (_, c) => {
    let sum = 0;
    for (let p = c; p < image.length; p += channels) sum += image[p];
    return sum / (image.length / channels);
  });
}

before(async () => {
  base = mkdtempSync(join(tmpdir(), 'gan-folder-'));
  const pets = join(base, 'pets');
  mkdirSync(join(pets, 'cats'), { recursive: true });
  mkdirSync(join(pets, 'dogs'), { recursive: true });
  for (const name of ['a', 'b', 'c'])
    await solid(20, 10, [255, 0, 0, 255])
      .png()
      .toFile(join(pets, 'cats', `${name}.png`));
  for (const name of ['a', 'b', 'c'])
    await solid(12, 16, [0, 0, 255, 255])
      .jpeg()
      .toFile(join(pets, 'dogs', `${name}.jpg`));
  writeFileSync(join(pets, 'dogs', 'broken.png'), Buffer.from('not a png at all'));
  writeFileSync(join(pets, 'dogs', 'notes.txt'), 'ignored: not an image');
  const greys = join(base, 'greys');
  mkdirSync(greys);
  for (let i = 0; i < 12; i++)
    await solid(6, 6, [i * 20, i * 20, i * 20, 255])
      .toColourspace('b-w')
      .png()
      .toFile(join(greys, `g${String(i).padStart(2, '0')}.png`));
  mkdirSync(join(base, 'only-broken'));
  writeFileSync(join(base, 'only-broken', 'x.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0x00]));
  await solid(4, 4, [0, 0, 0, 0]).png().toFile(join(base, 'transparent.png'));
  mkdirSync(join(base, 'flat'));
  await solid(4, 4, [0, 0, 0, 0])
    .png()
    .toFile(join(base, 'flat', 'clear.png'));
  await solid(4, 4, [0, 255, 0, 255])
    .webp()
    .toFile(join(base, 'flat', 'green.webp'));
});

after(() => rmSync(base, { recursive: true, force: true }));

describe('folder data source', () => {
  it('labels images by sorted sub-folder, decodes PNG and JPEG, and skips the corrupt file', async () => {
    const source = await openDataSource(folder('pets', { options: { path: 'pets', labels: true } }), opts());
    assert.equal(source.classes, 2);
    assert.equal(source.size, 6);
    assert.equal(source.skipped.count, 1);
    assert.match(source.skipped.examples[0], /dogs[/\\]broken\.png/);
    const batches = await take(source, 3);
    assert.deepEqual(
      batches.flatMap((b) => [...(b.labels ?? [])]),
      [0, 0, 0, 1, 1, 1],
    );
    const red = meanColour(batches[0], 0, 3);
    const blue = meanColour(batches[2], 1, 3);
    assert.ok(red[0] > 0.98 && red[1] < 0.02 && red[2] < 0.02, `cats are red: ${red}`);
    assert.ok(blue[2] > 0.95 && blue[0] < 0.05, `dogs are blue: ${blue}`);
    assert.equal(
      batches[0].images.length,
      2 * 8 * 8 * 3,
      'resized to the model shape whatever the file size',
    );
  });

  it('converts to one channel and takes no labels unless asked', async () => {
    const source = await openDataSource(folder('pets', { shape: [5, 7, 1] }), opts());
    assert.equal(source.classes, null);
    assert.equal(source.size, 6);
    const [batch] = await take(source, 1);
    assert.equal(batch.labels, null);
    assert.equal(batch.images.length, 2 * 5 * 7);
    const [grey] = meanColour(batch, 0, 1);
    assert.ok(grey > 0.15 && grey < 0.35, `red in grey is dark: ${grey}`);
  });

  it('flattens transparency onto white and reads WebP', async () => {
    const [batch] = await take(await openDataSource(folder('flat', { scale: [-1, 1] }), opts()), 1);
    assert.deepEqual(
      meanColour(batch, 0, 3).map((v) => Math.round(v * 100) / 100),
      [1, 1, 1],
    );
    const green = meanColour(batch, 1, 3);
    assert.ok(green[1] > 0.95 && green[0] < -0.9, `webp green: ${green}`);
    assert.equal(range(batch.images).min >= -1, true);
  });

  it('holds out every tenth file as the test split', async () => {
    const train = await openDataSource(folder('greys', { shape: [4, 4, 1], batch: 1 }), opts());
    const test = await openDataSource(folder('greys', { shape: [4, 4, 1], batch: 1, split: 'test' }), opts());
    assert.equal(train.size, 11);
    assert.equal(test.size, 1);
    const [only] = await take(test, 1);
    assert.ok(Math.abs(only.images[0] - 180 / 255) < 0.01, 'file g09 is the test image');
    const heldOut = await train.heldOut(3);
    assert.deepEqual(
      [...heldOut.images.filter((_, i) => i % 16 === 0)].map((v) => Math.round(v * 255)),
      [180, 180, 180],
    );
    const [colour] = await take(
      await openDataSource(folder('greys', { shape: [4, 4, 3], batch: 1 }), opts()),
      1,
    );
    assert.ok(
      colour.images.every((v) => v === 0),
      'single-channel g00 becomes black RGB',
    );
    const limited = await openDataSource(folder('greys', { shape: [4, 4, 1], batch: 2, limit: 4 }), opts());
    assert.equal(limited.size, 4);
  });

  it('names the path and what it expected when the folder is missing, empty or unreadable', async () => {
    const missing = join(base, 'nowhere');
    await assert.rejects(openDataSource(folder('nowhere'), opts()), (error: Error) => {
      assert.ok(error.message.includes(missing), error.message);
      assert.match(error.message, /does not exist.*PNG, JPEG or WebP/);
      return true;
    });
    await assert.rejects(
      openDataSource(folder('only-broken'), opts()),
      /no readable images in .*only-broken.*1 skipped: x\.jpg/,
    );
    await assert.rejects(
      openDataSource(folder('greys', { options: { path: 'greys', labels: true } }), opts()),
      /no class sub-folders with images in .*greys/,
    );
    await assert.rejects(
      openDataSource(folder('transparent.png'), opts()),
      /transparent\.png is not a folder/,
    );
    await assert.rejects(
      openDataSource(folder('pets', { classes: 3, options: { path: 'pets', labels: true } }), opts()),
      /pets has 2 class sub-folders \(cats, dogs\) but the model declares classes=3/,
    );
    await assert.rejects(
      openDataSource(folder('greys', { shape: [6000, 6000, 3] }), opts()),
      /more than 1024 MiB in memory\. Set `limit`/,
    );
    await assert.rejects(
      openDataSource(folder('greys', { split: 'test', batch: 2 }), opts()),
      /1 images, fewer than one batch of 2/,
    );
  });
});

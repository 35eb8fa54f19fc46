import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { EMOJI_CATEGORIES, EMOJI_CLASS_COUNT, openDataSource } from '../../../src/training/data/index';
import { dataSpec, imageOf, labelCounts, range, sameBatch, take } from './helpers';

const opts = { seed: 5, baseDir: __dirname };
const emoji = (overrides: Parameters<typeof dataSpec>[0] = {}) =>
  dataSpec({ source: 'emoji', shape: [32, 32, 3], classes: EMOJI_CLASS_COUNT, batch: 50, ...overrides });

function drawnEmojiCount(style: string): number {
  const entries = JSON.parse(
    readFileSync(require.resolve(`emoji-datasource-${style}/emoji.json`), 'utf8'),
  ) as {
    category: string;
    obsoleted_by?: string;
    [key: string]: unknown;
  }[];
  return entries.filter(
    (e) => e[`has_img_${style}`] === true && !e.obsoleted_by && e.category !== 'Component',
  ).length;
}

describe('emoji data source', () => {
  it('cuts every drawn emoji of a style, on white, labelled by category', async () => {
    const total = drawnEmojiCount('google');
    const train = await openDataSource(emoji({ options: { style: 'google' } }), opts);
    const test = await openDataSource(
      emoji({ split: 'test', batch: 10, options: { style: 'google' } }),
      opts,
    );
    assert.equal(EMOJI_CATEGORIES.length, 9);
    assert.equal(train.classes, 9);
    assert.equal((train.size ?? 0) + (test.size ?? 0), total);
    assert.equal(test.size, Math.floor(total / 10));
    const batches = await take(train, train.batchesPerEpoch ?? 0);
    const counts = labelCounts(
      batches.flatMap((b) => [...(b.labels ?? [])]),
      9,
    );
    assert.ok(
      counts.every((n) => n > 0),
      `every category appears: ${counts}`,
    );
    const { min, max } = range(batches[0].images);
    assert.ok(min >= -1 && max <= 1 && min < -0.5);
    let whiteCorners = 0;
    for (const batch of batches)
      for (let i = 0; i < batch.count; i++)
        if (
          imageOf(batch, i)
            .subarray(0, 3)
            .every((v) => v > 0.98)
        )
          whiteCorners++;
    assert.ok(whiteCorners > 0.8 * (train.size ?? 0), `transparent corners become white (${whiteCorners})`);
  });

  it('draws the same emoji differently per style, and replays by seed', async () => {
    const spec = (style: string) => emoji({ shuffle: false, options: { style } });
    const [google] = await take(await openDataSource(spec('google'), opts), 1);
    const [twitter] = await take(await openDataSource(spec('twitter'), opts), 1);
    assert.ok(!sameBatch(google, twitter));
    const shuffled = emoji({ options: { style: 'twitter' } });
    const a = await take(await openDataSource(shuffled, opts), 3);
    const b = await openDataSource(shuffled, opts);
    b.seek({ epoch: 0, index: 1 });
    assert.ok((await take(b, 2)).every((batch, i) => sameBatch(batch, a[i + 1])));
    await assert.rejects(openDataSource(emoji({ options: { style: 'apple' } }), opts), /style=apple/);
  });

  it('converts to grey and other sizes, and holds out the test emoji', async () => {
    const source = await openDataSource(emoji({ shape: [16, 16, 1], batch: 8, limit: 40 }), opts);
    assert.equal(source.size, 40);
    const [batch] = await take(source, 1);
    assert.equal(batch.images.length, 8 * 16 * 16);
    const heldOut = await source.heldOut(12);
    assert.equal(heldOut.count, 12);
    assert.ok(sameBatch(heldOut, await source.heldOut(12)));
    const test = await openDataSource(
      emoji({ shape: [16, 16, 1], split: 'test', batch: 12, shuffle: false }),
      opts,
    );
    assert.ok(sameBatch(heldOut, (await take(test, 1))[0]), 'held out = the first test-split emoji');
  });
});

// Folder data: with labels, a classifier is trained on first use and cached in .gan/classifiers/;
// without, a fixed random network gives the features and there are no class metrics.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { ResolvedData } from '../../../src/language/model';
import { readClassifierInfo } from '../../../src/training/eval/classifierStore';
import { openFeatureNetwork } from '../../../src/training/eval/featureNetwork';
import { useBackend } from '../engine/helpers';

const base = mkdtempSync(join(tmpdir(), 'gan-folder-eval-'));
const ganDir = join(base, '.gan');

function spec(labels: boolean): ResolvedData {
  return {
    line: 0,
    source: 'folder',
    domain: null,
    shape: [8, 8, 3],
    classes: labels ? 2 : null,
    scale: [-1, 1],
    batch: 8,
    split: 'train',
    limit: null,
    shuffle: true,
    options: { path: 'images', labels },
  };
}

before(async () => {
  await useBackend();
  for (const [name, colour] of [
    ['red', { r: 220, g: 30, b: 30 }],
    ['blue', { r: 30, g: 30, b: 220 }],
  ] as const) {
    const dir = join(base, 'images', name);
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 20; i++)
      await sharp({
        create: { width: 8, height: 8, channels: 3, background: { ...colour, g: colour.g + i * 5 } },
      })
        .png()
        .toFile(join(dir, `${i}.png`));
  }
});

describe('folder feature networks', () => {
  it('train a classifier on labelled folders once, cache it, and name it', async () => {
    const network = await openFeatureNetwork(spec(true), { ganDir, baseDir: base });
    assert.equal(network.label, 'classifier trained on images');
    const cached = readdirSync(join(ganDir, 'classifiers'));
    assert.equal(cached.length, 1);
    const dir = join(ganDir, 'classifiers', cached[0]);
    const info = readClassifierInfo(dir);
    assert.ok(info.testAccuracy >= 0.75, `held-out accuracy ${info.testAccuracy}`);
    const written = statSync(join(dir, 'weights.bin')).mtimeMs;
    const image = new Float32Array(8 * 8 * 3).fill(-1);
    const embedded = network.embed(image, 1, spec(true));
    assert.equal(embedded.probabilities?.classes, 2);
    network.dispose();
    const again = await openFeatureNetwork(spec(true), { ganDir, baseDir: base });
    assert.equal(statSync(join(dir, 'weights.bin')).mtimeMs, written, 'the cached classifier is reused');
    again.dispose();
  });

  it('fall back to random-network features without labels, with no class probabilities', async () => {
    const network = await openFeatureNetwork(spec(false), { ganDir: join(base, 'other'), baseDir: base });
    assert.equal(network.label, 'random-network');
    assert.equal(network.classNames, null);
    const embedded = network.embed(new Float32Array(2 * 8 * 8 * 3).fill(0.5), 2, spec(false));
    assert.equal(embedded.probabilities, null);
    assert.equal(embedded.features.count, 2);
    assert.ok(!existsSync(join(base, 'other')));
    network.dispose();
  });
});

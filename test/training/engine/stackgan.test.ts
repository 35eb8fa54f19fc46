// stackgan: captions from a folder's caption files, a vocabulary built from them and saved with
// each checkpoint, stage I then stage II with stage I frozen, exact resume at the stage boundary,
// and text prompts rendered stage I beside stage II.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { createTrainer } from '../../../src/training/engine';
import { emojiCaption, folderCaptions } from '../../../src/training/data/captions';
import { GUTTER } from '../../../src/training/engine/png';
import { Vocabulary, buildVocabulary, tokenize } from '../../../src/training/engine/text';
import { resolveModel, train, trainerFor, useBackend } from './helpers';

const COLOURS: Record<string, readonly [number, number, number]> = {
  red: [255, 0, 0],
  blue: [0, 0, 255],
};

function writeImage(path: string, rgb: readonly [number, number, number]): void {
  const png = new PNG({ width: 8, height: 8 });
  for (let i = 0; i < 64; i++) png.data.set([...rgb, 255], i * 4);
  writeFileSync(path, PNG.sync.write(png));
}

function modelText(folder: string): string {
  return `
model tiny_stack: stackgan {
  data folder "${folder}" size=8x8 channels=3 { scale [-1, 1]; batch 4 }
  latent 4
  text embed=6 vocab=8
  augment 3 kl=1
  stage1 { size 4x4; steps 2 }
  generator { dense 4*4*3 activation=tanh; reshape [4, 4, 3] }
  discriminator { flatten; dense 8; leakyrelu; dense 1 }
  generator2 { conv 4 kernel=3 activation=relu; upsample 2; conv 3 kernel=3 activation=tanh }
  discriminator2 { conv 4 kernel=3 stride=2; leakyrelu; flatten; dense 1 }
  optimizer adam lr=1e-2 beta1=0.5
  train { steps 4; seed 3 }
  sample { every 2; grid 2x4 }
}`;
}

describe('stackgan', () => {
  let dir = '';
  let folder = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gan-stackgan-'));
    folder = join(dir, 'images');
    mkdirSync(join(folder, 'listed'), { recursive: true });
    const listed: string[] = [];
    for (let i = 0; i < 20; i++) {
      const colour = i % 2 ? 'red' : 'blue';
      // Half the images have their own caption file, the others a line in captions.txt.
      const sub = i < 10 ? folder : join(folder, 'listed');
      const name = `img${String(i).padStart(2, '0')}.png`;
      writeImage(join(sub, name), COLOURS[colour]);
      if (i < 10) writeFileSync(join(sub, `img${String(i).padStart(2, '0')}.txt`), `a ${colour} square\n`);
      else listed.push(`${name}: ${colour} square, plain`);
    }
    writeFileSync(join(folder, 'listed', 'captions.txt'), listed.join('\n'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('tokenizes captions and builds the vocabulary by frequency', async () => {
    await useBackend();
    assert.deepEqual(tokenize('Grinning Face, smileys & emotion'), [
      'grinning',
      'face',
      'smileys',
      'emotion',
    ]);
    assert.deepEqual(buildVocabulary(['red apple', 'red car', 'a car'], 2), ['car', 'red']);
    const bags = new Vocabulary(['car', 'red'], 3).bags(['red red zebra']).arraySync();
    assert.deepEqual(bags, [[Math.fround(1 / 3), 0, Math.fround(2 / 3)]]);
  });

  it('captions emoji from their names and categories, folders from caption files', () => {
    assert.equal(
      emojiCaption({
        name: 'GRINNING FACE',
        short_names: ['grinning'],
        category: 'Smileys & Emotion',
        subcategory: 'face-smiling',
      }),
      'grinning face, grinning, smileys & emotion, face smiling',
    );
    const captions = folderCaptions([join(folder, 'img01.png'), join(folder, 'listed', 'img11.png')]);
    assert.deepEqual(captions, ['a red square', 'red square, plain']);
    assert.equal(folderCaptions([join(folder, 'missing.png')]), null);
  });

  it('trains stage I, then stage II with stage I frozen; resumes exactly at the boundary', async () => {
    const model = resolveModel(modelText(folder));
    const straight = await trainerFor(model);
    const expected = await train(straight, 4);
    assert.deepEqual(
      expected.map((row) => row.stage),
      [1, 1, 2, 2],
    );
    assert.ok(expected.every((row) => Number.isFinite(row.g_loss) && Number.isFinite(row.d_wrong)));
    const samples = await straight.renderSamples();
    straight.dispose();

    const first = await trainerFor(model);
    const head = await train(first, 2);
    const checkpoint = join(dir, 'boundary');
    await first.saveCheckpoint(checkpoint);
    const frozen = first.networks.generator.getWeights().map((w) => Array.from(w.dataSync()));
    first.dispose();
    const words = (
      JSON.parse(readFileSync(join(checkpoint, 'vocabulary.json'), 'utf8')) as { words: string[] }
    ).words;
    assert.deepEqual(words.slice(0, 2), ['square', 'blue']);

    const second = await trainerFor(model);
    await second.loadCheckpoint(checkpoint);
    const tail = await train(second, 2);
    assert.deepEqual([...head, ...tail], expected);
    assert.deepEqual(await second.renderSamples(), samples);
    // Stage II left the stage-I generator as the checkpoint had it.
    assert.deepEqual(
      second.networks.generator.getWeights().map((w) => Array.from(w.dataSync())),
      frozen,
    );
    second.dispose();
  });

  it('renders a prompt without data: stage I beside stage II, one row per prompt', async () => {
    const model = resolveModel(modelText(folder));
    const trainer = await trainerFor(model);
    await train(trainer, 1);
    const checkpoint = join(dir, 'sampling');
    await trainer.saveCheckpoint(checkpoint);
    trainer.dispose();
    const sampler = await createTrainer({
      model,
      backend: await useBackend(),
      baseDir: dir,
      samplingOnly: true,
    });
    await sampler.loadCheckpoint(checkpoint);
    const png = PNG.sync.read(
      Buffer.from(await sampler.renderSamples({ text: ['red square', 'blue square'], grid: [2, 6] })),
    );
    sampler.dispose();
    assert.equal(png.width, GUTTER + 6 * (8 + GUTTER));
    assert.equal(png.height, GUTTER + 2 * (8 + GUTTER));
  });
});

// CodeLens computation for .gan files: which lens each model gets, on which line. The models come
// from the language server's gan/models answer, built here by the same function the server uses.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { computeModelLenses, type LensState } from '../../src/extension/experiments/lenses';
import { modelAt, modelNameAt } from '../../src/extension/experiments/modelLookup';
import { relatedModels } from '../../src/extension/experiments/variants';
import { analyze } from '../../src/language';
import type { DocumentModels } from '../../src/protocol/language';
import { describeModels, fileErrorCount } from '../../src/server/features/models';

const example = readFileSync(join(__dirname, '..', '..', 'examples', 'mnist-dcgan.gan'), 'utf8');
const idle: LensState = { training: new Set(), withRuns: new Set(), withCheckpoints: new Set() };

function modelsOf(text: string): DocumentModels {
  const analysis = analyze(text);
  return {
    uri: 'file:///x.gan',
    version: 1,
    fileErrors: fileErrorCount(analysis),
    models: describeModels(analysis),
  };
}

function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split('\n').length - 1;
}

test('every model of a clean file gets ▶ Train on its `model` line', () => {
  const groups = computeModelLenses(modelsOf(example), idle);
  assert.deepEqual(
    groups.map((g) => [g.model, g.line, g.lenses.map((l) => l.title)]),
    [
      ['dcgan', lineOf(example, 'model dcgan:'), ['▶ Train']],
      ['dcgan_small', lineOf(example, 'model dcgan_small'), ['▶ Train']],
      ['dcgan_hinge', lineOf(example, 'model dcgan_hinge'), ['▶ Train']],
    ],
  );
});

test('a training model shows Stop (no step: the status bar and dashboard show it); runs add Dashboard, checkpoints add Preview samples', () => {
  const groups = computeModelLenses(modelsOf(example), {
    training: new Set(['dcgan_small']),
    withRuns: new Set(['dcgan_small', 'dcgan']),
    withCheckpoints: new Set(['dcgan']),
  });
  const byModel = new Map(groups.map((g) => [g.model, g.lenses.map((l) => `${l.kind}:${l.title}`)]));
  assert.deepEqual(byModel.get('dcgan_small'), ['stop:■ Stop', 'dashboard:Dashboard']);
  assert.deepEqual(byModel.get('dcgan'), ['train:▶ Train', 'dashboard:Dashboard', 'preview:Preview samples']);
  assert.deepEqual(byModel.get('dcgan_hinge'), ['train:▶ Train']);
});

test('a model with errors asks to fix them, counting its own errors', () => {
  const broken = example
    .replace('latent 100', 'latent 100\n  frobnicate 3')
    .replace('deconv 1 kernel=5 stride=2 activation=tanh', 'deconv 1 kernel=5 stride=2 activation=nope');
  const groups = computeModelLenses(modelsOf(broken), idle);
  const dcgan = groups.find((g) => g.model === 'dcgan');
  assert.ok(dcgan);
  assert.equal(dcgan.lenses.length, 1);
  assert.equal(dcgan.lenses[0].kind, 'fix');
  assert.match(dcgan.lenses[0].title, /^Fix [2-9]\d* problems to train$/);
  // The worker refuses a file with any error, so the variants cannot train either.
  for (const model of ['dcgan_small', 'dcgan_hinge'])
    assert.equal(groups.find((g) => g.model === model)?.lenses[0].kind, 'fix');
});

test('one error reads "1 problem"', () => {
  const groups = computeModelLenses(
    modelsOf(example.replace('latent 100', 'latent 100\n  frobnicate 3')),
    idle,
  );
  assert.equal(groups[0].lenses[0].title, 'Fix 1 problem to train');
});

test('a Stop lens shows before the worker has started, with Dashboard', () => {
  const groups = computeModelLenses(modelsOf(example), { ...idle, training: new Set(['dcgan']) });
  assert.deepEqual(
    groups[0].lenses.map((l) => l.title),
    ['■ Stop', 'Dashboard'],
  );
});

test('variants of a model: its bases and everything that extends them', () => {
  assert.deepEqual(relatedModels(modelsOf(example).models, 'dcgan_small'), [
    'dcgan_small',
    'dcgan',
    'dcgan_hinge',
  ]);
  assert.deepEqual(relatedModels(modelsOf(example).models, 'dcgan'), ['dcgan', 'dcgan_hinge', 'dcgan_small']);
  const alone = 'model a: gan {}\nmodel b: gan {}\n';
  assert.deepEqual(relatedModels(modelsOf(alone).models, 'a'), ['a']);
});

test('the model under a cursor, and the model name under a pointer (declarations and extends)', () => {
  const { models } = modelsOf(example);
  const at = (needle: string, delta = 0) => {
    const offset = example.indexOf(needle) + delta;
    const line = lineOf(example, needle);
    return { line, character: offset - (example.lastIndexOf('\n', offset - 1) + 1) };
  };
  assert.equal(modelAt(models, at('model dcgan_small'))?.name, 'dcgan_small');
  assert.equal(modelAt(models, at('latent 100'))?.name, 'dcgan');
  assert.equal(modelNameAt(models, at('model dcgan_small', 'model '.length + 2)), 'dcgan_small');
  assert.equal(modelNameAt(models, at('extends dcgan', 'extends '.length)), 'dcgan');
  assert.equal(modelNameAt(models, at('latent 100')), undefined);
  assert.equal(modelAt(models, { line: 0, character: 0 }), undefined, 'the comment above the first model');
});

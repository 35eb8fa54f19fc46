import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../src/language/analyze';
import { inlayHints } from '../../../src/language/services';
import { example } from './cursor';

const ALL = { start: { line: 0, character: 0 }, end: { line: 10_000, character: 0 } };

/** Each hint as `code of its line up to the hint` + `label`. */
function hintLines(text: string, range = ALL): string[] {
  const lines = text.split('\n');
  return inlayHints(analyze(text), range).map(
    (h) => `${lines[h.position.line].slice(0, h.position.character).trim()} | ${h.label}`,
  );
}

test('inlay: every layer of the dcgan example shows its output shape, networks their size', () => {
  const text = example('mnist-dcgan.gan');
  const dcganEnd = text.indexOf('# A quarter');
  const hints = hintLines(text).slice(0, 21);
  assert.deepEqual(hints, [
    // Generator: 1,254,400 + 25,088 + 819,200 + 256 + 204,800 + 128 + 1,601 = 2,305,473.
    'generator { | 2.31M params',
    'dense 7*7*256 bias=false | → 12544',
    'batchnorm | → 12544',
    'leakyrelu | → 12544',
    'reshape [7, 7, 256] | → 7×7×256',
    'deconv 128 kernel=5 stride=1 bias=false | → 7×7×128',
    'batchnorm | → 7×7×128',
    'leakyrelu | → 7×7×128',
    'deconv 64 kernel=5 stride=2 bias=false | → 14×14×64',
    'batchnorm | → 14×14×64',
    'leakyrelu | → 14×14×64',
    'deconv 1 kernel=5 stride=2 activation=tanh | → 28×28×1',
    // Discriminator: 1,664 + 204,928 + 6,273 = 212,865.
    'discriminator { | 213k params',
    'conv 64 kernel=5 stride=2 | → 14×14×64',
    'leakyrelu | → 14×14×64',
    'dropout 0.3 | → 14×14×64',
    'conv 128 kernel=5 stride=2 | → 7×7×128',
    'leakyrelu | → 7×7×128',
    'dropout 0.3 | → 7×7×128',
    'flatten | → 6272',
    'dense 1 | → 1',
  ]);
  // Only lines of the dcgan model so far.
  const all = inlayHints(analyze(text), ALL);
  const firstVariantLine = text.slice(0, dcganEnd).split('\n').length - 1;
  assert.equal(all.filter((h) => h.position.line < firstVariantLine).length, 21);
});

test('inlay: a variant shows the networks it inherits and what each overridden line replaced', () => {
  const text = example('mnist-dcgan.gan');
  const hingeLine = text.split('\n').findIndex((l) => l.startsWith('model dcgan_hinge'));
  const hinge = hintLines(text, {
    start: { line: hingeLine, character: 0 },
    end: { line: hingeLine + 5, character: 0 },
  });
  assert.deepEqual(hinge, [
    // dcgan_small's networks: 200,704 + 6,272 + 32,768 + 64 + 513 and 544 + 32,832 + 3,137.
    'model dcgan_hinge extends dcgan_small { | inherits generator 240k · discriminator 36.5k params',
    // dcgan_small inherits its loss and its one optimizer from dcgan; the variant's per-role
    // optimizers each replace that shared one.
    'loss hinge | was loss nonsaturating',
    'optimizer generator adam lr=1e-4 beta1=0 beta2=0.9 | was optimizer adam lr=2e-4 beta1=0.5',
    'optimizer discriminator adam lr=4e-4 beta1=0 beta2=0.9 | was optimizer adam lr=2e-4 beta1=0.5',
  ]);
  // A variant that replaces every network inherits none; a block section shows no "was".
  const own = `model a: gan {
  data mnist
  latent 8
  generator { dense 784 activation=tanh; reshape [28, 28, 1] }
  discriminator { flatten; dense 1 }
  train { steps 10 }
}
model b extends a {
  generator { dense 784 activation=tanh; reshape [28, 28, 1] }
  discriminator { flatten; dense 1 }
  train { steps 20 }
  latent 16
}
`;
  assert.deepEqual(
    hintLines(own).filter((h) => h.includes('inherits') || h.includes('was')),
    ['latent 16 | was latent 8'],
  );
});

test('inlay: repeat shows the output after all repetitions, and hints sit before trailing comments', () => {
  const text = example('shapes-cyclegan.gan');
  const hints = hintLines(text);
  // 1,664 + 18,624 + 3 × 2 × 37,056 + 18,528 + 1,569 = 262,721 (conv with bias and instance norm).
  assert.ok(hints.includes('generator { | 263k params'));
  // 544 + 32,960 + 1,025 = 34,529.
  assert.ok(hints.includes('discriminator { | 34.5k params'));
  assert.ok(hints.includes('repeat 3 { | → 16×16×64'));
  assert.ok(hints.includes('residual { | → 16×16×64'));
  assert.ok(hints.includes('conv 1 kernel=7 activation=tanh | → 32×32×1'));
  assert.ok(hints.includes('conv 1 kernel=4 | → 8×8×1'));
  const lines = text.split('\n');
  for (const h of inlayHints(analyze(text), ALL))
    assert.ok(!lines[h.position.line].slice(0, h.position.character).includes('#'));
});

test('inlay: only lines in the requested range, nothing after a shape error', () => {
  const text = example('mnist-dcgan.gan');
  const analysis = analyze(text);
  const reshapeLine = text.split('\n').findIndex((l) => l.includes('reshape [7, 7, 256]'));
  const some = inlayHints(analysis, {
    start: { line: reshapeLine, character: 0 },
    end: { line: reshapeLine + 1, character: 0 },
  });
  assert.deepEqual(
    some.map((h) => h.label),
    ['→ 7×7×256', '→ 7×7×128'],
  );
  assert.match(some[1].tooltip, /7×7×256 → 7×7×128, 819,200 parameters/);
  const broken =
    'model x: gan {\n  data mnist\n  latent 10\n  generator {\n    dense 20\n    conv 8\n    flatten\n  }\n}\n';
  assert.deepEqual(hintLines(broken), ['dense 20 | → 20']);
});

test('inlay: a pixelcnn’s `levels` line shows the output its network needs (softmax or logistic mixture)', () => {
  const hints = hintLines(example('emoji-pixelcnn.gan'));
  assert.ok(hints.includes('levels 256 output=logistic mixtures=5 | → network 16×16×50'), hints.join('\n'));
  assert.ok(
    hintLines(example('mnist-pixelcnn.gan')).includes('levels 2 quantize=nearest | → network 28×28×2'),
  );
  const analysis = analyze(example('emoji-pixelcnn.gan'));
  const levels = inlayHints(analysis, ALL).find((h) => h.label.startsWith('→ network'));
  assert.match(
    levels?.tooltip ?? '',
    /50 = 5 logistic mixture components × \(1 logit, 3 means, 3 log-scales, 3 channel-coupling coefficients\)/,
  );
});

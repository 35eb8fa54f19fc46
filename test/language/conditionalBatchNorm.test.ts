// cgan `generator=batchnorm` (conditional batch norm) in the language: accepted with a batch norm
// anywhere in the generator, rejected at the setting without one, z alone at the generator's input,
// every class's scale and shift in the parameter count, a note on each conditioned layer's hover.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/language';
import { complete, hover } from '../../src/language/services';
import { applyFix, example, replaceOnce } from './helpers';
import { atCursor, positionOf } from './services/cursor';

const CGAN = example('fashion-cgan.gan');
const CBN = replaceOnce(CGAN, 'condition classes=10', 'condition classes=10 generator=batchnorm');

test('generator=batchnorm: z alone enters the generator; every class has its own γ and β', () => {
  const errors = analyze(CBN).diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors, []);
  const cbn = analyze(CBN).models[0].resolved;
  const onehot = analyze(CGAN).models[0].resolved;
  assert.ok(cbn && onehot);
  assert.deepEqual(cbn.condition, {
    classes: 10,
    embed: 50,
    generator: 'batchnorm',
    discriminator: 'planes',
    reads: ['classes', 'embed', 'generator', 'discriminator'],
  });
  assert.deepEqual(cbn.networks.generator?.inputShape, [64]);
  // One-hot: the first dense also weighs the 10 label inputs (10 × 6272, no bias). Conditional
  // batch norm: 9 more rows of γ and β for each of the two batch norms (6272 and 64 channels).
  const generator = (m: typeof cbn) => m.networks.generator?.paramCount ?? 0;
  assert.equal(generator(cbn) - generator(onehot), 9 * 2 * (6272 + 64) - 10 * 6272);
  assert.equal(cbn.networks.discriminator?.paramCount, onehot.networks.discriminator?.paramCount);
});

test('generator=batchnorm: norm=batch and batch norms inside residual blocks count', () => {
  const conv = replaceOnce(
    replaceOnce(CBN, '    batchnorm\n    leakyrelu\n    reshape', '    leakyrelu\n    reshape'),
    '    deconv 64 kernel=4 stride=2 bias=false\n    batchnorm\n',
    '    deconv 64 kernel=4 stride=2 bias=false norm=batch\n',
  );
  assert.deepEqual(analyze(conv).diagnostics, []);
  const residual = replaceOnce(
    CBN.replaceAll('    batchnorm\n', ''),
    '    deconv 1 kernel=4',
    '    residual { conv 64 kernel=3; batchnorm }\n    deconv 1 kernel=4',
  );
  assert.deepEqual(analyze(residual).diagnostics, []);
  const model = analyze(residual).models[0].resolved;
  const layers = model?.networks.generator?.layers ?? [];
  // The batch norm inside the residual block counts γ and β for each of the 10 classes.
  const norm = layers.find((l) => l.kind === 'residual')?.body?.find((l) => l.kind === 'batchnorm');
  assert.equal(norm?.paramCount, 10 * 2 * 64);
  assert.equal(
    model?.networks.generator?.paramCount,
    layers.reduce((n, l) => n + l.paramCount, 0),
  );
});

test('generator=batchnorm without a batch norm: E309 at the setting, fixed by generator=onehot', () => {
  const bad = CBN.replaceAll('    batchnorm\n', '');
  const found = analyze(bad).diagnostics;
  assert.deepEqual(
    found.map((d) => [d.code, d.severity]),
    [['E309', 'error']],
  );
  const [d] = found;
  const at = bad.indexOf('generator=batchnorm') + 'generator='.length;
  assert.deepEqual([d.start, d.end], [at, at + 'batchnorm'.length]);
  assert.equal(bad.slice(d.start, d.end), 'batchnorm');
  assert.match(d.message, /nothing would see the label/);
  assert.deepEqual(
    d.fixes.map((f) => f.title),
    ['Use `generator=onehot`'],
  );
  assert.deepEqual(analyze(applyFix(bad, d.fixes[0])).diagnostics, []);
  // Nothing to say while the generator keeps a batch norm, or with the label joined to z.
  assert.deepEqual(analyze(CBN).diagnostics, []);
  assert.deepEqual(analyze(CGAN.replaceAll('    batchnorm\n', '')).diagnostics, []);
});

test('generator=batchnorm: hover notes on each conditioned layer, docs on the value, completion', () => {
  const analysis = analyze(CBN);
  const on = (needle: string, delta: number, nth = 0): string => {
    const h = hover(analysis, positionOf(analysis, needle, delta, nth));
    assert.ok(h, `a hover on ${needle}`);
    return h.contents;
  };
  assert.match(on('    batchnorm', 6, 0), /Conditional batch norm.*10 × 2 × 6272 = 125440 parameters/);
  assert.match(on('    batchnorm', 6, 1), /10 × 2 × 64 = 1280 parameters/);
  const plain = analyze(CGAN);
  assert.doesNotMatch(hover(plain, positionOf(plain, '    batchnorm', 6))?.contents ?? '', /Conditional/);
  assert.match(
    on('generator=batchnorm', 'generator='.length + 2),
    /conditional batch norm \(de Vries et al\. 2017/,
  );
  const { analysis: partial, position } = atCursor(
    CGAN.replace('condition classes=10', 'condition classes=10 generator=<|>'),
  );
  const labels = complete(partial, position).map((c) => c.label);
  for (const value of ['onehot', 'embed', 'batchnorm']) assert.ok(labels.includes(value), labels.join(', '));
});

// Files a user would write or mistype, found in an adversarial review of the checker:
// each case pins the diagnostic (or its absence), its range, its message and its fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/language';
import { applyFix, codes, diagnosticsWith, example, GAN, replaceOnce } from './helpers';

const r = replaceOnce;
const CGAN = example('fashion-cgan.gan');

/** The text a diagnostic underlines. */
const underlined = (text: string, d: { start: number; end: number }): string => text.slice(d.start, d.end);

test('a folder cgan with labels=true checks clean and takes its class count from `condition`', () => {
  const text = r(
    CGAN,
    'data fashion_mnist {',
    'data folder "clothes/🧥 coats" size=28x28 channels=1 labels=true {',
  );
  const a = analyze(text);
  assert.deepEqual(
    a.diagnostics.map((d) => `${d.code} ${d.message}`),
    [],
  );
  const data = a.models[0].resolved?.data[0];
  assert.equal(data?.source, 'folder');
  assert.equal(data?.classes, 10, 'the trainer compares this with the number of sub-folders');
  // Without labels=true the E308 message still says what to add.
  const unlabelled = r(CGAN, 'data fashion_mnist {', 'data folder "clothes" size=28x28 channels=1 {');
  const [e308] = diagnosticsWith(unlabelled, 'E308');
  assert.match(e308.message, /labels=true/);
});

test('`size=HxWxC` with a different `channels=` is a conflict, reported on the size', () => {
  const text = r(GAN, 'data mnist {', 'data folder "faces" size=28x28x3 channels=1 {');
  const [d] = diagnosticsWith(text, 'E213');
  assert.ok(d, codes(text).join());
  assert.equal(underlined(text, d), '28x28x3');
  assert.match(d.message, /3 channels/);
  assert.match(d.message, /channels=1/);
  // Agreeing values, or a size alone, are fine.
  const agree = r(GAN, 'data mnist {', 'data folder "faces" size=28x28x1 channels=1 {');
  assert.deepEqual(codes(agree), []);
  const sizeOnly = r(GAN, 'data mnist {', 'data folder "faces" size=28x28x1 {');
  assert.deepEqual(codes(sizeOnly), []);
});

test('a sample grid is rows x columns: a third dimension is an error at the value', () => {
  const text = r(GAN, 'grid 4x4', 'grid 4x4x3');
  const [d] = diagnosticsWith(text, 'E206');
  assert.ok(d, codes(text).join());
  assert.equal(underlined(text, d), '4x4x3');
  assert.match(d.message, /grid/);
  assert.match(d.message, /2 dimensions/);
});

test('a parameter the loss kind does not take names the kinds that do take it', () => {
  const text = r(GAN, 'loss nonsaturating', 'loss hinge smoothing=0.9');
  const [d] = diagnosticsWith(text, 'E203');
  assert.equal(underlined(text, d), 'smoothing');
  assert.doesNotMatch(d.message, /one of: \./, 'no empty list of candidates');
  assert.match(d.message, /`loss hinge` takes no parameters/);
  assert.match(d.message, /nonsaturating/, 'where smoothing= is accepted');
  assert.equal(d.fixes.length, 1);
  const fixed = applyFix(text, d.fixes[0]);
  assert.match(fixed, /loss hinge\n/);
  assert.deepEqual(codes(fixed), []);
});

test('in a CRLF file, inserted lines use CRLF (flatten before dense, a missing section)', () => {
  const crlf = (s: string): string => s.replace(/\n/g, '\r\n');
  const text = crlf(r(GAN, '    flatten\n    dense 1\n', '    dense 1\n'));
  const [w408] = diagnosticsWith(text, 'W408');
  assert.ok(w408);
  const inserted = w408.fixes[0].edits[0].newText;
  assert.equal(inserted, '    flatten\r\n');
  const noLatent = crlf(r(GAN, '  latent 64\n', ''));
  const [e208] = diagnosticsWith(noLatent, 'E208');
  const added = applyFix(noLatent, e208.fixes[0]);
  assert.doesNotMatch(added.replace(/\r\n/g, ''), /\n/, 'no bare LF after the fix');
  assert.deepEqual(codes(added), []);
});

test('removing a duplicate or misplaced section removes its whole line', () => {
  const dup = r(GAN, '  latent 64\n', '  latent 64\n  latent 32\n');
  const [e204] = diagnosticsWith(dup, 'E204');
  assert.equal(applyFix(dup, e204.fixes[0]), GAN);
  const misplaced = r(GAN, '  latent 64\n', '  latent 64\n  condition classes=10 embed=8   # labels\n');
  const [e209] = diagnosticsWith(misplaced, 'E209');
  assert.equal(applyFix(misplaced, e209.fixes[0]), GAN);
  // On a `;` line only the statement goes.
  const oneLine = r(GAN, '  latent 64\n', '  latent 64; latent 32\n');
  const [again] = diagnosticsWith(oneLine, 'E204');
  assert.deepEqual(codes(applyFix(oneLine, again.fixes[0])), []);
});

test('malformed numbers: the message calls a number a number and the range covers the word', () => {
  for (const [bad, word] of [
    ['3px', 'number'],
    ['2e-4x', 'number'],
    ['1_000', 'number'],
    ['28x', 'size'],
  ] as const) {
    const text = r(GAN, 'batch 64', `batch ${bad}`);
    const [d] = diagnosticsWith(text, 'E104');
    assert.ok(d, `${bad}: ${codes(text).join()}`);
    assert.equal(underlined(text, d), bad);
    assert.match(d.message, new RegExp(`Malformed ${word}`), `${bad}: ${d.message}`);
  }
  const [sep] = diagnosticsWith(r(GAN, 'batch 64', 'batch 1_000'), 'E104');
  assert.match(sep.message, /1000/, 'suggests the number without separators');
  // Valid spellings.
  for (const ok of ['1e-3', '.5', '2.', '2E-4']) {
    const text = r(GAN, 'lr=2e-4', `lr=${ok}`);
    assert.deepEqual(
      codes(text).filter((c) => c.startsWith('E')),
      [],
      ok,
    );
  }
});

test('an infinite learning rate is one error, not also a warning', () => {
  const text = r(GAN, 'lr=2e-4', 'lr=1e400');
  assert.deepEqual(codes(text), ['E206']);
});

test('a non-ASCII letter in a model name is one error on the name, and the body is still checked', () => {
  const text = r(GAN, 'model m: gan', 'model modèle: gan').replace('batchnorm', 'batchnrm');
  const a = analyze(text);
  const e100 = a.diagnostics.filter((d) => d.code === 'E100');
  assert.equal(e100.length, 1, a.diagnostics.map((d) => d.message).join('\n'));
  assert.equal(underlined(text, e100[0]), 'modèle');
  assert.match(e100[0].message, /ASCII/);
  assert.deepEqual(
    a.diagnostics.map((d) => d.code),
    ['E100', 'E202'],
  );
});

test('a positional value out of range is named the way the user wrote it', () => {
  const text = r(GAN, 'latent 64', 'latent 0');
  const [d] = diagnosticsWith(text, 'E206');
  assert.equal(underlined(text, d), '0');
  assert.match(d.message, /`latent` size is 0/);
});

test('valid files users write: next-line brace, trailing comments, one-liners, CRLF, uniform latent, fid', () => {
  const text = `# Trailing comments everywhere — ünïcödé 🎨
model tiny: gan      # the family
{
  data mnist { scale [-1, 1]; batch 32 }   # digits
  latent 100 dist=uniform
  generator {
    dense 7*7*64; leakyrelu 0.3; reshape [7, -1, 64]   # -1 is inferred
    upsample 2
    conv 32 kernel=3 activation=leakyrelu      # 14x14
    repeat 2 { residual { conv 32 kernel=3; leakyrelu alpha=0.3 } }
    deconv 1 kernel=2 stride=2 padding=valid activation=tanh   # (14-1)*2+2 = 28
  }
  discriminator { conv 32 kernel=4 stride=2; leakyrelu; flatten; dense 1 }
  train { epochs 5 }
  evaluate { fid every=1000 samples=5000 }
}
model tiny_steps extends tiny {
  train { steps 10 }
}
`;
  for (const variant of [text, text.replace(/\n/g, '\r\n')]) {
    const a = analyze(variant);
    assert.deepEqual(
      a.diagnostics.map((d) => `${d.code} ${d.message}`),
      [],
    );
    const [tiny, steps] = a.models.map((m) => m.resolved);
    assert.equal(tiny?.latent?.dist, 'uniform');
    assert.deepEqual(tiny?.evaluate.fid, { every: 1000, samples: 5000 });
    assert.deepEqual([steps?.train.epochs, steps?.train.steps], [null, 10]);
    assert.deepEqual(tiny?.networks.generator?.outputShape, [28, 28, 1]);
  }
});

test('mistakes users make get one precise error each, with a fix where one is obvious', () => {
  const both = r(GAN, 'train { steps 100; seed 1 }', 'train { epochs 5; steps 10 }');
  const [e213] = diagnosticsWith(both, 'E213');
  assert.equal(underlined(both, e213), 'steps');
  assert.deepEqual(codes(applyFix(both, e213.fixes[0])), []);

  const role = r(GAN, 'optimizer adam', 'optimizer encoder adam');
  const [e212] = diagnosticsWith(role, 'E212');
  assert.equal(underlined(role, e212), 'encoder');
  assert.match(e212.message, /generator, discriminator/);

  const casing = r(GAN, 'deconv 32 kernel=4 stride=2', 'deconv 32 kernel=4 stride=2 activation=LeakyReLU');
  const [e212b] = diagnosticsWith(casing, 'E212');
  assert.equal(underlined(casing, e212b), 'LeakyReLU');
  assert.deepEqual(codes(applyFix(casing, e212b.fixes[0])), []);

  const self = GAN + 'model a extends a {\n}\n';
  const [e211] = diagnosticsWith(self, 'E211');
  assert.equal(underlined(self, e211), 'a');
  assert.match(e211.message, /cycle/);

  const noSource = r(GAN, 'data mnist {', 'data {');
  const [e207] = diagnosticsWith(noSource, 'E207');
  assert.match(e207.message, /mnist/);

  const zero = r(GAN, 'latent 64', 'latent 64\n  generator2 { }').replace(
    'leakyrelu\n    reshape',
    'repeat 0 { }\n    reshape',
  );
  assert.ok(codes(zero).includes('E206'));
});

test('`dense 1` straight after a conv: both W408 and E304 offer the one missing `flatten`', () => {
  const text = r(GAN, '    flatten\n    dense 1\n', '    dense 1\n');
  const [w408] = diagnosticsWith(text, 'W408');
  const [e304] = diagnosticsWith(text, 'E304');
  assert.match(e304.message, /\[7, 7, 1\]/);
  for (const d of [w408, e304]) {
    const fixed = applyFix(text, d.fixes[0]);
    assert.equal(fixed, GAN, d.fixes[0].title);
  }
});

test('the output activation is found through reshape/flatten/upsample (MLP generators and decoders)', () => {
  const mlp = (act: string): string =>
    r(
      GAN,
      GAN.slice(GAN.indexOf('  generator {'), GAN.indexOf('  discriminator {')),
      `  generator {\n    dense 256; leakyrelu\n    dense 784 activation=${act}\n    reshape [28, 28, 1]\n  }\n`,
    );
  assert.deepEqual(codes(mlp('tanh')), []);
  const wrong = mlp('sigmoid');
  const [w400] = diagnosticsWith(wrong, 'W400');
  assert.equal(underlined(wrong, w400), 'dense 784 activation=sigmoid');
  assert.deepEqual(codes(applyFix(wrong, w400.fixes[0])), []);

  const vae = example('mnist-vae.gan');
  const decoder = vae.slice(vae.indexOf('  decoder {'), vae.indexOf('}', vae.indexOf('  decoder {')) + 1);
  const flat = r(vae, decoder, '  decoder {\n    dense 784 activation=sigmoid\n    reshape [28, 28, 1]\n  }');
  assert.ok(/reconstruction=bce|loss elbo/.test(flat));
  assert.deepEqual(
    codes(flat).filter((c) => c === 'W407' || c === 'W400'),
    [],
  );
});

test('an optimizer parameter of another kind says which optimizer takes it', () => {
  const text = r(GAN, 'optimizer adam lr=2e-4 beta1=0.5', 'optimizer adam lr=2e-4 beta1=0.5 momentum=0.9');
  const [d] = diagnosticsWith(text, 'E203');
  assert.equal(underlined(text, d), 'momentum');
  assert.match(d.message, /`optimizer adam` takes `lr=`, `beta1=`, `beta2=`; `momentum=` belongs to sgd/);
  assert.equal(applyFix(text, d.fixes[0]), GAN);
});

test('a data source written as a path or with a dash gets a fix to the source meant', () => {
  const path = r(GAN, 'data mnist {', 'data "data/digits" size=28x28 channels=1 {');
  const [e214] = diagnosticsWith(path, 'E214');
  assert.equal(underlined(path, e214), '"data/digits"');
  assert.match(e214.message, /data folder "data\/digits"/);
  assert.deepEqual(codes(applyFix(path, e214.fixes[0])), []);

  const dash = r(GAN, 'data mnist {', 'data fashion-mnist {');
  const [e212] = diagnosticsWith(dash, 'E212');
  assert.equal(underlined(dash, e212), 'fashion-mnist');
  assert.match(e212.message, /did you mean `fashion_mnist`/);
  assert.deepEqual(codes(applyFix(dash, e212.fixes[0])), []);
});

test('dashed names (`leaky-relu`, `batch-norm`, `non-saturating`) are named whole, with a fix', () => {
  for (const [from, to, bad, code] of [
    ['    batchnorm\n', '    batch-norm\n', 'batch-norm', 'E202'],
    ['    leakyrelu\n    reshape', '    leaky-relu\n    reshape', 'leaky-relu', 'E202'],
    ['activation=tanh', 'activation=leaky-relu', 'leaky-relu', 'E212'],
    ['loss nonsaturating', 'loss non-saturating', 'non-saturating', 'E212'],
  ] as const) {
    const text = r(GAN, from, to);
    const [d] = diagnosticsWith(text, code);
    assert.ok(d, `${bad}: ${codes(text).join()}`);
    assert.equal(underlined(text, d), bad);
    assert.match(d.message, /did you mean/);
    const fixed = applyFix(text, d.fixes[0]);
    assert.ok(!codes(fixed).includes(code), `${bad} fixed: ${codes(fixed).join()}`);
  }
});

test('a quoted number or name says to remove the quotes, and hex is named as unsupported', () => {
  const text = r(GAN, 'batch 64', 'batch "64"');
  const [d] = diagnosticsWith(text, 'E205');
  assert.equal(underlined(text, d), '"64"');
  assert.match(d.message, /not a string: remove the quotes/);
  assert.equal(applyFix(text, d.fixes[0]), GAN);

  const hex = r(GAN, 'lr=2e-4', 'lr=0x10');
  const [h] = diagnosticsWith(hex, 'E205');
  assert.equal(underlined(hex, h), '0x10');
  assert.match(h.message, /hexadecimal is not supported/);
});

test('a cyclegan data source with an unknown domain is an error at the value, suggesting the missing one', () => {
  const cycle = example('shapes-cyclegan.gan');
  const text = r(cycle, 'domain=b', 'domain=c');
  const [d] = diagnosticsWith(text, 'E212');
  assert.ok(d, codes(text).join());
  assert.equal(underlined(text, d), 'c');
  assert.match(d.message, /did you mean `b`/);
  assert.equal(applyFix(text, d.fixes[0]), cycle);
});

test('header mistakes: a missing `:`, a misspelt `extends` or a missing `{` are one error, and the body is still checked', () => {
  const noColon = r(GAN, 'model m: gan {', 'model m gan {').replace('sample {', 'sampel {');
  assert.deepEqual(codes(noColon), ['E100', 'E201']);
  const [colon] = diagnosticsWith(noColon, 'E100');
  assert.equal(underlined(noColon, colon), 'gan');
  assert.match(colon.message, /`model m: gan \{`/);

  const extend = `${GAN}model v extend m {\n  latent 10\n  lattent 10\n}\n`;
  assert.deepEqual(codes(extend), ['E100', 'E201']);
  assert.equal(underlined(extend, diagnosticsWith(extend, 'E100')[0]), 'extend');

  const noBrace = r(GAN, 'model m: gan {', 'model m: gan').replace('batchnorm', 'batchnrm');
  assert.deepEqual(codes(noBrace), ['E100', 'E202']);
  assert.match(diagnosticsWith(noBrace, 'E100')[0].message, /Expected `\{` at the end of this line/);
  assert.equal(analyze(noBrace).diagnostics[0].start, noBrace.indexOf('\n', noBrace.indexOf('model m: gan')));

  const bodiless = `${GAN}model w: gan\n`;
  assert.deepEqual(codes(bodiless), ['E100']);
});

test('removing a duplicate layer parameter leaves the line as it was', () => {
  const text = r(GAN, 'deconv 32 kernel=4 stride=2', 'deconv 32 kernel=4 kernel=4 stride=2');
  const [d] = diagnosticsWith(text, 'E204');
  assert.equal(applyFix(text, d.fixes[0]), GAN);
  const alpha = r(GAN, '    leakyrelu\n    reshape', '    leakyrelu 0.3 alpha=0.2\n    reshape');
  const [a] = diagnosticsWith(alpha, 'E204');
  assert.equal(underlined(alpha, a), 'alpha');
  assert.match(applyFix(alpha, a.fixes[0]), / {4}leakyrelu 0\.3\n {4}reshape/);
});

test('a learning rate written as an expression is still checked against the usual range', () => {
  const text = r(GAN, 'lr=2e-4', 'lr=1e-2*10');
  const [d] = diagnosticsWith(text, 'W405');
  assert.ok(d, codes(text).join());
  assert.equal(underlined(text, d), '1e-2*10');
  assert.deepEqual(codes(r(GAN, 'lr=2e-4', 'lr=2e-4/2')), []);
});

test('every model of an `extends` cycle is reported at its own `extends`', () => {
  const text = 'model a extends b {\n  latent 3\n}\nmodel b extends a {\n  latent 4\n}\n';
  const e211 = diagnosticsWith(text, 'E211');
  assert.deepEqual(
    e211.map((d) => text.slice(d.start, d.end)),
    ['b', 'a'],
  );
  assert.ok(e211.every((d) => /cycle/.test(d.message)));
});

test('names from other frameworks suggest what they are called here', () => {
  for (const [from, to, word, meant] of [
    ['loss nonsaturating', 'loss bce', 'bce', 'nonsaturating'],
    ['latent 64', 'latent 64 dist=gaussian', 'gaussian', 'normal'],
    ['    batchnorm\n', '    BatchNorm2d\n', 'BatchNorm2d', 'batchnorm'],
    ['train { steps 100; seed 1 }', 'train { steps 100; seed 1; backend cuda }', 'cuda', 'gpu'],
  ] as const) {
    const text = r(GAN, from, to);
    const d = analyze(text).diagnostics.find((x) => underlined(text, x) === word);
    assert.ok(d, `${word}: ${codes(text).join()}`);
    assert.match(d.message, new RegExp(`did you mean \`${meant}\``));
    assert.ok(!codes(applyFix(text, d.fixes[0])).some((c) => c.startsWith('E')), word);
  }
});

test('a reshape that does not fit the dense before it offers both fixes: reshape what there is, or resize the dense', () => {
  const text = r(GAN, 'reshape [7, 7, 64]', 'reshape [7, 7, 32]');
  const [d] = diagnosticsWith(text, 'E301');
  assert.match(d.message, /needs 7×7×32 = 1568 elements, but the layer before it outputs 3136\./);
  assert.deepEqual(
    d.fixes.map((f) => f.title),
    ['Change to `reshape [7, 7, 64]`', 'Change the dense size to 7*7*32 (= 1568)'],
  );
  const resized = applyFix(text, d.fixes[1]);
  assert.match(resized, /dense 7\*7\*32 bias=false/);
  assert.deepEqual(codes(resized), []);
});

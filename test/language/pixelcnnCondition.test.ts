// A class-conditional pixelcnn (`condition classes=N`): the section cgan declares, checked the same
// way (E215 classes against the data's, E308 unlabelled data), with cgan's own settings rejected
// (E203), class biases counted in the network's parameters, and the editor features that follow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../src/language';
import { complete, hover, inlayHints } from '../../src/language/services';
import { applyFix, codes, diagnosticsWith, example, replaceOnce } from './helpers';
import { atCursor, positionOf } from './services/cursor';

const PIXEL = example('mnist-pixelcnn.gan');
const COND = `model c: pixelcnn {
  data mnist { scale [0, 1]; batch 8 }
  levels 2
  condition classes=10
  network {
    gated 8 kernel=5 mask=A
    residual { gated 8 }
    maskedconv 16 kernel=1 activation=relu
    maskedconv 2 kernel=1
  }
}
`;

const underlined = (text: string, d: { start: number; end: number }): string => text.slice(d.start, d.end);

test('the example’s conditional variant checks clean and resolves its classes', () => {
  const a = analyze(PIXEL);
  assert.deepEqual(a.diagnostics, []);
  const cond = a.models.find((m) => m.name === 'mnist_pixelcnn_cond')?.resolved;
  const plain = a.models.find((m) => m.name === 'mnist_pixelcnn')?.resolved;
  assert.equal(cond?.condition?.classes, 10);
  assert.equal(plain?.condition, null, 'a pixelcnn without `condition` is unconditional');
  assert.deepEqual(cond?.sample.grid, [10, 4]);
  // 10 classes × (6 gated layers × 2 stacks × 2·16 + maskedconv 32 + maskedconv 2).
  const extra = 10 * (6 * 4 * 16 + 32 + 2);
  assert.equal(cond.networks.network?.paramCount, (plain?.networks.network?.paramCount ?? 0) + extra);
});

test('class biases are counted through residual blocks', () => {
  const model = analyze(COND).models[0].resolved;
  const plain = analyze(replaceOnce(COND, '  condition classes=10\n', '')).models[0].resolved;
  assert.ok(model && plain);
  assert.equal(
    model.networks.network?.paramCount,
    (plain.networks.network?.paramCount ?? 0) + 10 * (4 * 8 + 4 * 8 + 16 + 2),
  );
});

test('E215: classes that differ from the data’s, on the value, fixed to the data’s count', () => {
  const text = replaceOnce(COND, 'classes=10', 'classes=12');
  const [d] = diagnosticsWith(text, 'E215');
  assert.ok(d, codes(text).join());
  assert.equal(underlined(text, d), '12');
  assert.match(d.message, /`mnist` has 10 classes/);
  assert.deepEqual(codes(applyFix(text, d.fixes[0])), []);
});

test('E308: unlabelled data, on `data`; a labelled folder takes its classes from `condition`', () => {
  const folder = (opts: string) =>
    replaceOnce(COND, 'data mnist {', `data folder "digits" size=28x28 channels=1${opts} {`);
  const [d] = diagnosticsWith(folder(''), 'E308');
  assert.ok(d, codes(folder('')).join());
  assert.equal(underlined(folder(''), d), 'data');
  assert.match(d.message, /conditional pixelcnn needs labelled data/);
  assert.match(d.message, /labels=true/);
  const labelled = analyze(folder(' labels=true'));
  assert.deepEqual(labelled.diagnostics, []);
  assert.equal(labelled.models[0].resolved?.data[0].classes, 10);
});

test('E203: cgan’s settings in a pixelcnn `condition`, on the name, removed by the fix', () => {
  for (const [written, name] of [
    ['condition classes=10 generator=embed', 'generator'],
    ['condition { classes 10; discriminator projection }', 'discriminator'],
    ['condition classes=10 embed=8', 'embed'],
  ]) {
    const text = replaceOnce(COND, 'condition classes=10', written);
    const [d] = diagnosticsWith(text, 'E203');
    assert.ok(d, `${written}: ${codes(text).join()}`);
    assert.equal(underlined(text, d), name);
    assert.match(d.message, /cgan setting/);
    assert.match(d.message, /takes `classes` only/);
    assert.deepEqual(codes(applyFix(text, d.fixes[0])), [], written);
  }
  // cgan still reads them.
  const cgan = example('fashion-cgan.gan');
  assert.deepEqual(codes(cgan.replace('condition classes=10', 'condition classes=10 embed=8')), []);
});

test('completion: pixelcnn offers `condition`, and in it `classes` but not cgan’s settings', () => {
  const labels = (source: string) => {
    const { analysis, position } = atCursor(source);
    return complete(analysis, position).map((c) => c.label);
  };
  const sections = labels('model p: pixelcnn {\n  levels 2\n  <|>\n}');
  assert.ok(sections.includes('condition'), sections.join());
  const settings = labels('model p: pixelcnn {\n  condition <|>\n}');
  assert.ok(settings.includes('classes='), settings.join());
  for (const cganOnly of ['embed=', 'generator=', 'discriminator='])
    assert.ok(!settings.includes(cganOnly), `${cganOnly} offered: ${settings.join()}`);
  const cgan = labels('model c: cgan {\n  condition <|>\n}');
  for (const all of ['classes=', 'embed=', 'generator=', 'discriminator='])
    assert.ok(cgan.includes(all), `cgan: ${all} missing`);
});

test('hover and inlay hints: the section names both families; a variant shows its larger network', () => {
  const a = analyze(PIXEL);
  const h = hover(a, positionOf(a, 'condition classes=10', 2));
  assert.ok(h);
  assert.match(h.contents, /Families: cgan, pixelcnn/);
  assert.match(h.contents, /gated/);
  const all = { start: { line: 0, character: 0 }, end: { line: 10_000, character: 0 } };
  const labels = inlayHints(a, all).map((x) => x.label);
  assert.ok(labels.includes('inherits network 37k params'), labels.join(' | '));
});

test('a layer’s hover counts its class biases: 10 × 4F for a gated layer, 10 × F for a maskedconv', () => {
  const count = (text: string, at: string) => {
    const a = analyze(text);
    const h = hover(a, positionOf(a, at, 1));
    return Number(/\*\*([\d,]+)\*\* parameters/.exec(h?.contents ?? '')?.[1].replaceAll(',', ''));
  };
  const plain = replaceOnce(COND, '  condition classes=10\n', '');
  assert.equal(count(COND, 'gated 8 kernel=5') - count(plain, 'gated 8 kernel=5'), 10 * 4 * 8);
  assert.equal(count(COND, 'maskedconv 16') - count(plain, 'maskedconv 16'), 10 * 16);
});

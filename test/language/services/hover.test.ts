import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../../src/language/analyze';
import { hover } from '../../../src/language/services';
import { example, positionOf } from './cursor';

const dcgan = analyze(example('mnist-dcgan.gan'));

function hoverAt(needle: string, delta = 0, nth = 0, analysis = dcgan): string {
  const h = hover(analysis, positionOf(analysis, needle, delta, nth));
  assert.ok(h, `a hover on ${needle}`);
  return h.contents;
}

test('hover: a layer line shows its input and output shape and parameter count', () => {
  // latent 100 -> dense 12544 without bias: 100 * 12544 = 1,254,400 weights.
  const dense = hoverAt('dense 7*7*256', 1);
  assert.match(dense, /`100` → `12544`/);
  assert.match(dense, /\*\*1,254,400\*\* parameters/);
  assert.match(dense, /Fully connected layer/);
  // 7x7x256 -> deconv 128, kernel 5, no bias: 5*5*256*128 = 819,200.
  const deconv = hoverAt('deconv 128', 2);
  assert.match(deconv, /`7×7×256` → `7×7×128`/);
  assert.match(deconv, /\*\*819,200\*\* parameters/);
  // 14x14x64 -> deconv 1, kernel 5, stride 2, with bias: 5*5*64*1 + 1 = 1,601.
  assert.match(hoverAt('deconv 1 kernel=5', 1), /`14×14×64` → `28×28×1`, \*\*1,601\*\* parameters/);
  // 28x28x1 -> conv 64 kernel 5 stride 2 with bias: 5*5*1*64 + 64 = 1,664.
  assert.match(hoverAt(' conv 64 kernel=5', 2), /`28×28×1` → `14×14×64`, \*\*1,664\*\* parameters/);
  // 6272 -> dense 1: 6272 + 1.
  assert.match(hoverAt('dense 1\n', 1), /`6272` → `1`, \*\*6,273\*\* parameters/);
});

test('hover: a model name summarises the model, per network and in total', () => {
  const summary = hoverAt('dcgan: gan', 2);
  assert.match(summary, /\*\*model dcgan\*\*/);
  assert.match(summary, /DCGAN on MNIST \(Radford et al\. 2015\)/);
  assert.match(summary, /family: \*\*gan\*\*/);
  // Generator: 1,254,400 + 25,088 + 819,200 + 256 + 204,800 + 128 + 1,601.
  assert.match(summary, /\*\*generator\*\* `100` → `28×28×1`, 2,305,473 parameters/);
  // Discriminator: 1,664 + 204,928 + 6,273.
  assert.match(summary, /\*\*discriminator\*\* `28×28×1` → `1`, 212,865 parameters/);
  assert.match(summary, /Total: 2,518,338 parameters/);
  assert.match(summary, /\| `dense 7\*7\*256 bias=false` \| 12544 \| 1,254,400 \|/);
  assert.match(summary, /\| `reshape \[7, 7, 256\]` \| 7×7×256 \| 0 \|/);
});

test('hover: an `extends` reference summarises the base model', () => {
  const base = hoverAt('extends dcgan_small', 'extends '.length + 2);
  assert.match(base, /\*\*model dcgan_small\*\*/);
  assert.match(base, /extends \*\*dcgan\*\*/);
  // latent 64 -> dense 7*7*64 without bias: 64 * 3136 = 200,704.
  assert.match(base, /\| `dense 7\*7\*64 bias=false` \| 3136 \| 200,704 \|/);
});

test('hover: schema docs for keywords, families, sections, settings, values, sources and kinds', () => {
  assert.match(hoverAt('model dcgan', 1), /declares a model/);
  assert.match(hoverAt('extends dcgan_small', 1), /copies BASE/);
  assert.match(hoverAt(': gan', 3), /\*\*gan\*\* family: Generative adversarial network/);
  assert.match(hoverAt('latent 100', 1), /\*\*latent\*\* section/);
  assert.match(hoverAt('mnist {', 1), /\*\*mnist\*\* data source/);
  assert.match(hoverAt('scale [-1, 1]', 1), /\*\*scale\*\*.*Pixel range/s);
  assert.match(hoverAt('batch 64', 1), /integer ≥ 1, ≤ 4096, default 64/);
  assert.match(hoverAt('kernel=5', 1), /\*\*kernel\*\*.*Kernel size/s);
  assert.match(hoverAt('activation=tanh', 'activation='.length + 1), /`tanh`: a value of \*\*activation\*\*/);
  assert.match(hoverAt('nonsaturating', 1), /\*\*nonsaturating\*\* loss \(gan\)/);
  assert.match(hoverAt('adam lr', 1), /\*\*adam\*\* optimizer/);
  assert.match(hoverAt('lr=2e-4', 1), /\*\*lr\*\*.*Learning rate/s);
  assert.match(hoverAt('optimizer generator', 'optimizer '.length + 1), /trains only the generator/);
  assert.match(hoverAt('epochs 20', 1), /Passes over the data/);
  assert.match(hoverAt('grid 8x8', 1), /Rows x columns/);
  // A positional value documents its parameter.
  assert.match(hoverAt('dropout 0.3', 'dropout '.length + 1), /\*\*rate\*\*/);
});

test('hover: layers inside repeat report how often they run', () => {
  const cycle = analyze(example('emoji-cyclegan.gan'));
  const inner = hoverAt('conv 128 kernel=3 norm=instance activation=relu', 1, 0, cycle);
  assert.match(inner, /`8×8×128` → `8×8×128`/);
  assert.match(inner, /runs 4×/);
  // 3*3*128*128 + 128 bias + 256 instance-norm parameters.
  assert.match(inner, /\*\*147,840\*\* parameters/);
  const repeat = hoverAt('repeat 4', 1, 0, cycle);
  assert.match(repeat, /after all repetitions/);
  const summary = hoverAt('noto2twemoji', 1, 0, cycle);
  assert.match(summary, /built twice/);
});

test('hover: a variant says what it overrides; every model shows data, loss, optimizers and budget', () => {
  const hinge = hoverAt('dcgan_hinge', 2);
  assert.match(hinge, /extends \*\*dcgan_small\*\*/);
  assert.match(
    hinge,
    /Overrides \*\*loss\*\*, \*\*optimizer generator\*\*, \*\*optimizer discriminator\*\*; everything else comes from \*\*dcgan_small\*\*\./,
  );
  assert.match(
    hinge,
    /data \*\*mnist\*\* 28×28×1, batch 64 · loss \*\*hinge\*\* · optimizer generator adam lr=1e-4 β1=0 β2=0\.9; discriminator adam lr=4e-4 β1=0 β2=0\.9 · \*\*2,000 steps\*\*/,
  );
  // The inherited networks are still summarised.
  assert.match(hinge, /\*\*generator\*\* `64` → `28×28×1`, 240,321 parameters/);
  const base = hoverAt('dcgan: gan', 2);
  assert.doesNotMatch(base, /Overrides/);
  assert.match(base, /loss \*\*nonsaturating\*\* smoothing=\S+ · optimizer adam lr=2e-4 β1=0\.5 β2=0\.999/);
});

test('hover: nothing on blank space, comments or unknown words', () => {
  const text = 'model x: gan {\n  # note\n\n  frobnicate 3\n}\n';
  const analysis = analyze(text);
  assert.equal(hover(analysis, { line: 1, character: 4 }), null);
  assert.equal(hover(analysis, { line: 2, character: 0 }), null);
  assert.equal(hover(analysis, { line: 3, character: 4 }), null);
  const range = hover(analysis, { line: 0, character: 7 })?.range;
  assert.deepEqual(range, { start: { line: 0, character: 6 }, end: { line: 0, character: 7 } });
});

test('hover: a pixelcnn’s `levels` and last layer say what the network outputs per pixel', () => {
  const emoji = analyze(example('emoji-pixelcnn.gan'));
  const levels = hoverAt('levels 256', 1, 0, emoji);
  assert.match(levels, /The network outputs `\[16, 16, 50\]`/);
  assert.match(
    levels,
    /5 logistic mixture components × \(1 logit, 3 means, 3 log-scales, 3 channel-coupling coefficients\)/,
  );
  assert.match(levels, /\*\*levels\*\* section/);
  const last = hoverAt('maskedconv 50', 1, 0, emoji);
  assert.match(last, /Receptive field/);
  assert.match(last, /The network outputs `\[16, 16, 50\]`/);
  const mnist = analyze(example('mnist-pixelcnn.gan'));
  assert.match(hoverAt('levels 2', 1, 1, mnist), /2 = logits over 2 levels × 1 channel/);
});

// pixelcnn: the masked and gated layers against plain-loop reference computations, causality
// proved numerically (the gradient of output pixel i with respect to every input pixel ≥ i is
// exactly 0), the NLL falling while training, and sampling (free samples and completions); in
// colour with the discretised logistic mixture (its math: pixelcnnMixture.test.ts), cached and
// network-pass sampling agreeing draw for draw; the class-conditional network (`condition`): class
// biases in both stacks, the cached sampler and the network's passes both drawing for the class asked.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { GATED_PARTS, gatedParamCount } from '../../../src/language/schema/layers';
import type { Trainer } from '../../../src/training/contract';
import {
  compileClassConditional,
  compileNetwork,
  trainableCount,
} from '../../../src/training/engine/compile';
import { GatedPixel, MaskedConv2D, kernelMask } from '../../../src/training/engine/custom/pixelcnn';
import { SampleCancelled } from '../../../src/training/contract';
import {
  heldOutNll,
  nllPerImage,
  quantize,
  rowsAbove,
  sampleLevels,
} from '../../../src/training/engine/families/pixelcnn';
import { openDataSource } from '../../../src/training/data';
import { GUTTER, gridSize } from '../../../src/training/engine/png';
import { CachedSampler, planCache } from '../../../src/training/engine/families/pixelcnnCache';
import { COMPLETION_POOL, completionStarts } from '../../../src/training/engine/families/pixelcnnCondition';
import { CounterRng } from '../../../src/training/engine/rng';
import { mean, resolveModel, train, trainerFor, useBackend } from './helpers';

const EXAMPLE = readFileSync(join(__dirname, '..', '..', '..', 'examples', 'mnist-pixelcnn.gan'), 'utf8');

function random(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', seed);
}

/** out[b, r, c, f] = Σ x[b, r + dr, c + dc, ch] · w[dr + oy, dc + ox, ch, f] over the taps given (zero outside). */
function refConv(
  x: Float32Array,
  [b, h, w, cin]: number[],
  weights: Float32Array,
  [kh, kw, , cout]: number[],
  taps: (dr: number, dc: number) => boolean,
  origin: [number, number],
): Float32Array {
  const out = new Float32Array(b * h * w * cout);
  for (let n = 0; n < b; n++)
    for (let r = 0; r < h; r++)
      for (let c = 0; c < w; c++)
        for (let f = 0; f < cout; f++) {
          let sum = 0;
          for (let i = 0; i < kh; i++)
            for (let j = 0; j < kw; j++) {
              const dr = i - origin[0];
              const dc = j - origin[1];
              if (!taps(dr, dc)) continue;
              const rr = r + dr;
              const cc = c + dc;
              if (rr < 0 || rr >= h || cc < 0 || cc >= w) continue;
              for (let ch = 0; ch < cin; ch++)
                sum += x[((n * h + rr) * w + cc) * cin + ch] * weights[((i * kw + j) * cin + ch) * cout + f];
            }
          out[((n * h + r) * w + c) * cout + f] = sum;
        }
  return out;
}

function assertClose(actual: Float32Array, expected: Float32Array, tolerance = 1e-4): void {
  assert.equal(actual.length, expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  assert.ok(worst < tolerance, `largest difference ${worst}`);
}

describe('pixelcnn layers', () => {
  before(useBackend);

  it('kernelMask hides the rows below, and the centre too for mask A', () => {
    assert.deepEqual([...kernelMask(3, true)], [1, 1, 1, 1, 0, 0, 0, 0, 0]);
    assert.deepEqual([...kernelMask(3, false)], [1, 1, 1, 1, 1, 0, 0, 0, 0]);
  });

  for (const maskA of [true, false]) {
    it(`maskedconv (mask ${maskA ? 'A' : 'B'}) matches a masked convolution written as loops`, () => {
      const layer = new MaskedConv2D({ filters: 4, kernelSize: 5, maskA, useBias: true, seed: 3 });
      const shape = [2, 6, 7, 3];
      const x = random(shape, 1);
      const y = layer.apply(x) as tf.Tensor;
      const [kernel, bias] = layer.getWeights();
      const taps = (dr: number, dc: number) => dr < 0 || (dr === 0 && (dc < 0 || (dc === 0 && !maskA)));
      const expected = refConv(
        x.dataSync() as Float32Array,
        shape,
        kernel.dataSync() as Float32Array,
        kernel.shape,
        taps,
        [2, 2],
      );
      const b = bias.dataSync();
      for (let i = 0; i < expected.length; i++) expected[i] += b[i % 4];
      assertClose(y.dataSync() as Float32Array, expected);
      tf.dispose([x, y]);
    });
  }

  for (const maskA of [true, false]) {
    it(`gated (mask ${maskA ? 'A' : 'B'}) matches the Gated PixelCNN equations written as loops`, () => {
      const f = 3;
      const k = 5;
      const n = 2;
      const cin = maskA ? 2 : GATED_PARTS * f;
      const layer = new GatedPixel({ filters: f, kernelSize: k, maskA, seed: 7 });
      const shape = [2, 6, 5, cin];
      const x = random(shape, 2);
      const y = layer.apply(x) as tf.Tensor;
      assert.equal(
        layer.countParams(),
        gatedParamCount(maskA ? cin : f, f, k, maskA),
        'the schema counts the same parameters',
      );
      // The layer's biases start at zero; give them values so the test sees them used.
      layer.setWeights(layer.getWeights().map((w, i) => (i % 2 === 1 ? random(w.shape, 10 + i) : w)));
      const out = (layer.apply(x) as tf.Tensor).dataSync() as Float32Array;
      const [vK, vB, hK, hB, lK, lB, oK, oB, sK, sB] = layer
        .getWeights()
        .map((w) => w.dataSync() as Float32Array);
      const [, h, w] = shape;
      const xs = x.dataSync() as Float32Array;
      const part = (index: number): Float32Array => {
        if (maskA) return xs;
        const p = new Float32Array(2 * h * w * f);
        for (let i = 0; i < p.length; i++) p[i] = xs[Math.floor(i / f) * cin + index * f + (i % f)];
        return p;
      };
      const pc = maskA ? cin : f;
      const dims = [2, h, w, pc];
      // Vertical stack: rows above (mask A: r−n … r−1; mask B: r−n … r) across k columns.
      const rows = maskA ? n : n + 1;
      const vf = refConv(part(0), dims, vK, [rows, k, pc, 2 * f], () => true, [maskA ? n : n, n]);
      // refConv's origin puts kernel row i at dr = i − n: mask A's n rows are dr = −n … −1 ✓,
      // mask B's n + 1 rows are dr = −n … 0 ✓.
      const hf = refConv(part(1), dims, hK, [1, rows, pc, 2 * f], () => true, [0, n]);
      const add = (a: Float32Array, bias: Float32Array) => a.map((v, i) => v + bias[i % bias.length]);
      const vfb = add(vf, vB);
      const link = add(
        refConv(vfb, [2, h, w, 2 * f], lK, [1, 1, 2 * f, 2 * f], () => true, [0, 0]),
        lB,
      );
      const hfb = add(hf, hB).map((v, i) => v + link[i]);
      const gate = (t: Float32Array) => {
        const g = new Float32Array(t.length / 2);
        for (let i = 0; i < g.length; i++) {
          const pos = Math.floor(i / f);
          const c = i % f;
          g[i] = Math.tanh(t[pos * 2 * f + c]) / (1 + Math.exp(-t[pos * 2 * f + f + c]));
        }
        return g;
      };
      const vOut = gate(vfb);
      const g = gate(hfb);
      const hOut = add(
        refConv(g, [2, h, w, f], oK, [1, 1, f, f], () => true, [0, 0]),
        oB,
      );
      const sOut = add(
        refConv(g, [2, h, w, f], sK, [1, 1, f, f], () => true, [0, 0]),
        sB,
      );
      if (!maskA) {
        const hIn = part(1);
        const sIn = part(2);
        for (let i = 0; i < hOut.length; i++) {
          hOut[i] += hIn[i];
          sOut[i] += sIn[i];
        }
      }
      const expected = new Float32Array(out.length);
      for (let pos = 0; pos < 2 * h * w; pos++)
        for (let c = 0; c < f; c++) {
          expected[pos * 3 * f + c] = vOut[pos * f + c];
          expected[pos * 3 * f + f + c] = hOut[pos * f + c];
          expected[pos * 3 * f + 2 * f + c] = sOut[pos * f + c];
        }
      assertClose(out, expected);
      tf.dispose([x, y]);
    });
  }

  it('the example network has exactly the parameters the checker counts', () => {
    const model = resolveModel(EXAMPLE);
    const network = model.networks.network;
    assert.ok(network);
    const compiled = compileNetwork(network, 'network', 1);
    assert.equal(trainableCount(compiled.model), network.paramCount);
    compiled.model.dispose();
  });
});

/** Σ |∂ output(i) / ∂ input(j)| over input pixels j at or after i, and over those before it. */
function gradientSplit(
  net: tf.LayersModel,
  shape: readonly [number, number, number],
  row: number,
  col: number,
) {
  const [h, w, c] = shape;
  const x = tf.tensor4d(
    Float32Array.from({ length: h * w * c }, (_, i) => ((i * 7919) % 13) / 13),
    [1, h, w, c],
  );
  const grad = tf.grad((input: tf.Tensor) => {
    const out = net.apply(input, { training: false }) as tf.Tensor4D;
    return out.slice([0, row, col, 0], [1, 1, 1, out.shape[3]]).sum();
  })(x);
  const g = grad.dataSync();
  tf.dispose([x, grad]);
  let later = 0;
  let earlier = 0;
  for (let r = 0; r < h; r++)
    for (let q = 0; q < w; q++)
      for (let ch = 0; ch < c; ch++) {
        const v = Math.abs(g[(r * w + q) * c + ch]);
        if (r > row || (r === row && q >= col)) later += v;
        else earlier += v;
      }
  return { later, earlier };
}

describe('pixelcnn causality, numerically', () => {
  before(useBackend);
  const pixels: [number, number][] = [
    [0, 0],
    [0, 13],
    [5, 0],
    [14, 14],
    [20, 27],
    [27, 27],
  ];

  it('the gradient of output pixel i is 0 for every input pixel ≥ i (the example, randomly initialised)', () => {
    const model = resolveModel(EXAMPLE);
    const net = compileNetwork(model.networks.network!, 'network', 5).model;
    for (const [r, c] of pixels) {
      const { later, earlier } = gradientSplit(net, model.data[0].shape, r, c);
      assert.equal(later, 0, `pixel (${r}, ${c}) depends on itself or later pixels`);
      if (r > 0 || c > 0) assert.ok(earlier > 0, `pixel (${r}, ${c}) depends on no earlier pixel`);
    }
    net.dispose();
  });

  it('a masked-convolution stack (with its blind spot) is causal too, and mask B first is not', () => {
    const text = (first: string) => `model m: pixelcnn {
  data mnist { scale [0, 1]; batch 8 }
  levels 2
  network { ${first}; maskedconv 8 kernel=3 mask=B activation=relu; maskedconv 2 kernel=1 }
}`;
    const good = resolveModel(text('maskedconv 8 kernel=5 mask=A'));
    const net = compileNetwork(good.networks.network!, 'network', 1).model;
    for (const [r, c] of pixels) assert.equal(gradientSplit(net, good.data[0].shape, r, c).later, 0);
    net.dispose();
    // The checker rejects mask B first (E321); built anyway, the network does see the pixel itself.
    const leaky = resolveModel(text('maskedconv 8 kernel=5 mask=A'));
    const layers = leaky.networks.network!.layers.map((l, i) =>
      i === 0 ? { ...l, params: { ...l.params, mask: 'B' } } : l,
    );
    const bad = compileNetwork({ ...leaky.networks.network!, layers }, 'network', 1).model;
    assert.ok(gradientSplit(bad, leaky.data[0].shape, 14, 14).later > 0, 'the test can see a leak');
    bad.dispose();
  });

  it('the sampler’s window covers the receptive field: rows above = reach of the layers', () => {
    const model = resolveModel(EXAMPLE);
    // gated k=7 mask A reaches 3 rows up, each of the 5 gated k=3 layers one more.
    assert.equal(rowsAbove(model.networks.network!.layers, 28, 28), 8);
  });
});

/** The grid's tiles read back from the PNG, N·28·28 values in [0, 1]. */
function tilesOf(png: PNG, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols * 784);
  for (let t = 0; t < rows * cols; t++) {
    const x0 = GUTTER + (t % cols) * (28 + GUTTER);
    const y0 = GUTTER + Math.floor(t / cols) * (28 + GUTTER);
    for (let y = 0; y < 28; y++)
      for (let x = 0; x < 28; x++)
        out[t * 784 + y * 28 + x] = png.data[((y0 + y) * png.width + x0 + x) * 4] / 255;
  }
  return out;
}

describe('pixelcnn training and sampling', () => {
  const TINY = `
model tiny: pixelcnn {
  data mnist { scale [0, 1]; batch 16; limit 512 }
  levels 2 quantize=QUANTIZE
  network {
    gated 8 kernel=5 mask=A
    gated 8 kernel=3
    relu
    maskedconv 2 kernel=1
  }
  loss nll
  optimizer adam lr=5e-3
  train { steps 60; seed 4 }
  sample { every 60; grid 2x3 }
}`;
  let trainer: Trainer;
  let history: Record<string, number>[] = [];
  before(async () => {
    trainer = await trainerFor(resolveModel(TINY.replace('QUANTIZE', 'nearest')));
    history = await train(trainer, 60);
  });
  after(() => trainer.dispose());

  it('logs the NLL in nats per image and the same in bits per dimension', () => {
    for (const m of history) {
      assert.ok(Number.isFinite(m.loss) && m.loss > 0);
      assert.ok(Math.abs(m.bits_per_dim - m.loss / (784 * Math.LN2)) < 1e-4);
    }
  });

  it('starts near 784·ln 2 nats (a fair coin per pixel) and falls by more than half in 60 steps', () => {
    const first = history[0].loss;
    assert.ok(Math.abs(first - 784 * Math.LN2) < 60, `first loss ${first}`);
    const last = mean(history.slice(-10).map((m) => m.loss));
    assert.ok(last < 0.5 * first, `loss ${first.toFixed(1)} -> ${last.toFixed(1)}`);
  });

  it('the cached sampler computes, pixel by pixel, the logits the whole network gives (trained weights)', () => {
    const net = trainer.networks.network;
    const plan = planCache(net);
    assert.ok(plan, 'gated stacks with a 1×1 head are covered');
    const image = Float32Array.from({ length: 784 }, (_, i) => (((i * 7919) % 17) / 17 > 0.6 ? 1 : 0));
    const full = tf.tidy(
      () => net.apply(tf.tensor4d(image, [1, 28, 28, 1]), { training: false }) as tf.Tensor,
    );
    const expected = full.dataSync() as Float32Array;
    full.dispose();
    const cache = new CachedSampler(plan, 28, 28);
    const out = new Float32Array(2);
    let worst = 0;
    for (let r = 0; r < 28; r++) {
      cache.row(image, r);
      for (let c = 0; c < 28; c++) {
        cache.pixel(image, r, c, out);
        for (let l = 0; l < 2; l++)
          worst = Math.max(worst, Math.abs(out[l] - expected[(r * 28 + c) * 2 + l]));
      }
    }
    assert.ok(worst < 1e-3, `largest logit difference ${worst}`);
  });

  it('a network the cache does not cover (a 3×3 masked layer after the stacks) is sampled by network passes', async () => {
    const text = `model m: pixelcnn {
  data mnist { scale [0, 1]; batch 8 }
  levels 2
  network { gated 4 kernel=3 mask=A; maskedconv 4 kernel=3 mask=B; maskedconv 2 kernel=1 }
}`;
    const model = resolveModel(text);
    const net = compileNetwork(model.networks.network!, 'network', 1).model;
    assert.equal(planCache(net), null);
    net.dispose();
  });

  it('nllPerImage is −Σ log softmax at the target level', () => {
    const logits = tf.tensor4d([0, 1, 2, 0], [1, 1, 2, 2]);
    const t = tf.tensor1d([1, 0], 'int32');
    const nll = nllPerImage(logits, t, 2).dataSync()[0];
    const expected = -(1 - Math.log(1 + Math.E)) - (2 - Math.log(1 + Math.exp(2)));
    assert.ok(Math.abs(nll - expected) < 1e-5);
    tf.dispose([logits, t]);
  });

  it('quantizes at the threshold (nearest) or draws Bernoulli(intensity) (stochastic)', () => {
    const x = Float32Array.from([0, 0.49, 0.51, 1]);
    assert.deepEqual([...quantize(x, [0, 1], { levels: 2, quantize: 'nearest' }, null)], [0, 0, 1, 1]);
    assert.deepEqual([...quantize(x, [-1, 1], { levels: 3, quantize: 'nearest' }, null)], [1, 1, 2, 2]);
    const many = new Float32Array(20000).fill(0.3);
    const q = quantize(many, [0, 1], { levels: 2, quantize: 'stochastic' }, new CounterRng(1));
    const share = q.reduce((a, b) => a + b, 0) / q.length;
    assert.ok(Math.abs(share - 0.3) < 0.02, `share of ones ${share}`);
  });

  it('draws free samples pixel by pixel, reporting progress and stopping when asked', async () => {
    const seen: number[] = [];
    await assert.rejects(
      trainer.renderSamples({ grid: [2, 3] }, (done, total) => {
        seen.push(done);
        assert.equal(total, 784);
        return done < 5 * 28;
      }),
      SampleCancelled,
    );
    assert.deepEqual(seen, [28, 56, 84, 112, 140], 'one report per row, stopped after the fifth');
    const png = PNG.sync.read(Buffer.from(await trainer.renderSamples({ grid: [2, 3] })));
    assert.deepEqual([png.width, png.height], gridSize(2, 3, [28, 28, 1]));
  });

  it('completes held-out images: the top half is kept, the bottom half drawn, differently per column', async () => {
    const png = PNG.sync.read(
      Buffer.from(await trainer.renderSamples({ mode: 'complete', grid: [2, 3], seed: 9 })),
    );
    const grid = { pixels: tilesOf(png, 2, 3) };
    const size = 784;
    const top = 14 * 28;
    for (let row = 0; row < 2; row++) {
      const first = grid.pixels.subarray(row * 3 * size, row * 3 * size + size);
      for (let col = 1; col < 3; col++) {
        const other = grid.pixels.subarray((row * 3 + col) * size, (row * 3 + col + 1) * size);
        assert.deepEqual([...other.subarray(0, top)], [...first.subarray(0, top)]);
      }
      assert.ok(
        first.subarray(0, top).some((v) => v > 0),
        'the kept half shows a digit',
      );
    }
    const bottoms = [0, 1, 2].map((col) => grid.pixels.subarray(col * size + top, (col + 1) * size).join());
    assert.ok(new Set(bottoms).size > 1, 'the completions differ');
  });

  it('trains with stochastic binarisation, and resumes bit-exactly from a checkpoint', async () => {
    // Resume exactness is also covered for every family by the resume tests; here: the stream of
    // Bernoulli draws is part of the checkpointed RNG.
    const model = resolveModel(TINY.replace('QUANTIZE', 'stochastic'));
    const a = await trainerFor(model);
    await train(a, 3);
    const dir = join(tmpdir(), `pixelcnn-resume-${process.pid}`);
    await a.saveCheckpoint(dir);
    const next = await train(a, 2);
    a.dispose();
    const b = await trainerFor(model);
    await b.loadCheckpoint(dir);
    const again = await train(b, 2);
    b.dispose();
    assert.deepEqual(again, next);
  });
});

describe('pixelcnn with a discretised logistic mixture, in colour', () => {
  const COLOUR = `
model colour: pixelcnn {
  data shapes size=8x8 channels=3 { scale [0, 1]; batch 16 }
  levels 256 output=logistic mixtures=3
  network {
    gated 8 kernel=5 mask=A
    gated 8 kernel=3
    relu
    maskedconv 30 kernel=1
  }
  loss nll
  optimizer adam lr=5e-3
  train { steps 40; seed 2 }
  sample { every 40; grid 2x3 }
}`;
  const dims = 8 * 8 * 3;
  let trainer: Trainer;
  let history: Record<string, number>[] = [];
  before(async () => {
    trainer = await trainerFor(resolveModel(COLOUR));
    history = await train(trainer, 40);
  });
  after(() => trainer.dispose());

  it('logs the NLL in nats per image and bits per dimension (8x8x3), falling as it trains', () => {
    for (const m of history) {
      assert.ok(Number.isFinite(m.loss) && m.loss > 0);
      assert.ok(Math.abs(m.bits_per_dim - m.loss / (dims * Math.LN2)) < 1e-4);
    }
    // An untrained mixture spreads each channel over the range (a few bits above 8 per value at
    // worst); shapes on a plain background are far more predictable.
    const first = mean(history.slice(0, 3).map((m) => m.bits_per_dim));
    const last = mean(history.slice(-5).map((m) => m.bits_per_dim));
    assert.ok(last < 0.7 * first, `bits/dim ${first.toFixed(2)} -> ${last.toFixed(2)}`);
  });

  it('the network is causal between pixels: no output depends on its own pixel’s colour or later ones', () => {
    const model = resolveModel(COLOUR);
    for (const [r, c] of [
      [0, 0],
      [3, 4],
      [7, 7],
    ] as const)
      assert.equal(gradientSplit(trainer.networks.network, model.data[0].shape, r, c).later, 0);
  });

  it('the cached sampler computes, pixel by pixel, the mixture parameters the whole network gives', () => {
    const net = trainer.networks.network;
    const plan = planCache(net);
    assert.ok(plan);
    assert.equal(plan.outChannels, 30);
    const image = Float32Array.from({ length: dims }, (_, i) => ((i * 7919) % 256) / 255);
    const full = tf.tidy(() => net.apply(tf.tensor4d(image, [1, 8, 8, 3]), { training: false }) as tf.Tensor);
    const expected = full.dataSync() as Float32Array;
    full.dispose();
    const cache = new CachedSampler(plan, 8, 8);
    const out = new Float32Array(30);
    let worst = 0;
    for (let r = 0; r < 8; r++) {
      cache.row(image, r);
      for (let c = 0; c < 8; c++) {
        cache.pixel(image, r, c, out);
        for (let l = 0; l < 30; l++)
          worst = Math.max(worst, Math.abs(out[l] - expected[(r * 8 + c) * 30 + l]));
      }
    }
    assert.ok(worst < 1e-3, `largest difference ${worst}`);
  });

  it('cached and network-pass sampling draw the same images from the same seed', async () => {
    const net = trainer.networks.network;
    const levels = resolveModel(COLOUR).levels!;
    const draw = async (cache: boolean) => {
      const q = new Int32Array(4 * dims);
      const done = await sampleLevels(net, [8, 8, 3], levels, q, 4, {
        fromRow: 0,
        up: rowsAbove(resolveModel(COLOUR).networks.network!.layers, 8, 8),
        rng: new CounterRng(3),
        progress: null,
        cache,
      });
      assert.ok(done);
      return q;
    };
    const cached = await draw(true);
    const passes = await draw(false);
    assert.deepEqual([...cached], [...passes]);
    assert.ok(new Set(cached).size > 10, 'many levels drawn, not a few');
  });

  it('renders colour grids, and completions that keep the top half', async () => {
    const png = PNG.sync.read(Buffer.from(await trainer.renderSamples({ grid: [2, 3] })));
    assert.deepEqual([png.width, png.height], gridSize(2, 3, [8, 8, 3]));
    let coloured = 0;
    for (let i = 0; i < png.data.length; i += 4)
      if (png.data[i] !== png.data[i + 1] || png.data[i + 1] !== png.data[i + 2]) coloured++;
    assert.ok(coloured > 20, `${coloured} pixels with R ≠ G or G ≠ B`);
    const complete = PNG.sync.read(
      Buffer.from(await trainer.renderSamples({ mode: 'complete', grid: [2, 3], seed: 4 })),
    );
    // The top half (4 rows) of the three tiles of a row is the same held-out image.
    const tile = (t: number, y: number) => {
      const x0 = GUTTER + (t % 3) * (8 + GUTTER);
      const y0 = GUTTER + Math.floor(t / 3) * (8 + GUTTER);
      const at = ((y0 + y) * complete.width + x0) * 4;
      return [...complete.data.subarray(at, at + 8 * 4)].join();
    };
    for (let y = 0; y < 4; y++) assert.equal(tile(1, y), tile(0, y));
  });
});

/** The logits the cached sampler gives, pixel by pixel, for `image` drawn as class `label`. */
function cachedLogits(net: tf.LayersModel, image: Float32Array, label: number | null, channels: number) {
  const plan = planCache(net);
  assert.ok(plan, 'gated stacks with a 1×1 head are covered');
  const cache = new CachedSampler(plan, 28, 28, label);
  const out = new Float32Array(channels);
  const all = new Float32Array(784 * channels);
  for (let r = 0; r < 28; r++) {
    cache.row(image, r);
    for (let c = 0; c < 28; c++) {
      cache.pixel(image, r, c, out);
      all.set(out, (r * 28 + c) * channels);
    }
  }
  return all;
}

function logitsFor(net: tf.LayersModel, image: Float32Array, label: number): Float32Array {
  return tf.tidy(
    () =>
      (
        net.apply([tf.tensor4d(image, [1, 28, 28, 1]), tf.tensor2d([label], [1, 1], 'int32')], {
          training: false,
        }) as tf.Tensor
      ).dataSync() as Float32Array,
  );
}

function largestDifference(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe('class-conditional pixelcnn (`condition`)', () => {
  const COND = `
model cond: pixelcnn {
  data mnist { scale [0, 1]; batch 16; limit 512 }
  levels 2
  condition classes=10
  network {
    gated 8 kernel=5 mask=A
    gated 8 kernel=3
    relu
    maskedconv 8 kernel=1 activation=relu bias=false
    maskedconv 2 kernel=1
  }
  loss nll
  optimizer adam lr=5e-3
  train { steps 60; seed 4 }
  sample { every 60; grid 3x2 }
}`;
  const IMAGE = Float32Array.from({ length: 784 }, (_, i) => (((i * 7919) % 17) / 17 > 0.6 ? 1 : 0));
  let trainer: Trainer;
  let history: Record<string, number>[] = [];
  before(async () => {
    await useBackend();
    trainer = await trainerFor(resolveModel(COND));
    history = await train(trainer, 40);
  });
  after(() => trainer.dispose());

  it('has exactly the parameters the checker counts; untrained, it is the unconditional network', () => {
    const model = resolveModel(COND);
    const network = model.networks.network!;
    const cond = compileClassConditional(network, 10, 'network', 3).model;
    const plain = compileNetwork(network, 'network', 3).model;
    assert.equal(trainableCount(cond), network.paramCount);
    // Class biases: 2 gated × 2 stacks × 2·8, maskedconv 8 and 2, per class.
    assert.equal(trainableCount(cond) - trainableCount(plain), 10 * (2 * 2 * 16 + 8 + 2));
    // Same seed, same weights, class biases at zero: the same logits for every class.
    const expected = (
      plain.apply(tf.tensor4d(IMAGE, [1, 28, 28, 1])) as tf.Tensor
    ).dataSync() as Float32Array;
    for (const label of [0, 9]) assert.equal(largestDifference(logitsFor(cond, IMAGE, label), expected), 0);
    cond.dispose();
    plain.dispose();
  });

  it('trains on labelled batches: the conditional NLL falls', () => {
    const first = history[0].loss;
    assert.ok(Math.abs(first - 784 * Math.LN2) < 60, `first loss ${first}`);
    const last = mean(history.slice(-10).map((m) => m.loss));
    assert.ok(last < 0.5 * first, `loss ${first.toFixed(1)} -> ${last.toFixed(1)}`);
  });

  it('different classes give different logits, and the image stays causal for each', () => {
    const net = trainer.networks.network;
    const a = logitsFor(net, IMAGE, 1);
    const b = logitsFor(net, IMAGE, 7);
    assert.ok(largestDifference(a, b) > 1e-3, 'the class changes the prediction');
    const grad = tf.grad((x: tf.Tensor) => {
      const out = net.apply([x, tf.tensor2d([3], [1, 1], 'int32')], { training: false }) as tf.Tensor4D;
      return out.slice([0, 14, 14, 0], [1, 1, 1, 2]).sum();
    })(tf.tensor4d(IMAGE, [1, 28, 28, 1]));
    const g = grad.dataSync();
    grad.dispose();
    let later = 0;
    for (let i = 14 * 28 + 14; i < 784; i++) later += Math.abs(g[i]);
    assert.equal(later, 0);
  });

  it('the cached sampler computes, for each class, the logits the network gives (trained weights)', () => {
    const net = trainer.networks.network;
    for (const label of [0, 3, 9]) {
      const worst = largestDifference(cachedLogits(net, IMAGE, label, 2), logitsFor(net, IMAGE, label));
      assert.ok(worst < 1e-3, `class ${label}: largest logit difference ${worst}`);
    }
    assert.throws(() => new CachedSampler(planCache(net)!, 28, 28), /needs a label/);
  });

  it('both sampling paths draw for the class asked (class biases set to force a level)', async () => {
    const windowed = `model w: pixelcnn {
  data mnist { scale [0, 1]; batch 8 }
  levels 2
  condition classes=10
  network { maskedconv 4 kernel=3 mask=A; maskedconv 4 kernel=3 mask=B activation=relu; maskedconv 2 kernel=1 }
}`;
    const cached = windowed.replace(
      'maskedconv 4 kernel=3 mask=A; maskedconv 4 kernel=3 mask=B activation=relu',
      'gated 4 kernel=3 mask=A; gated 4',
    );
    for (const text of [windowed, cached]) {
      const model = resolveModel(text);
      const net = compileClassConditional(model.networks.network!, 10, 'network', 1).model;
      assert.equal(planCache(net) !== null, text === cached);
      // The last layer's class bias: class 0 → level 0, class 1 → level 1, the others: no preference.
      const last = net.layers[net.layers.length - 1];
      const weights = last.getWeights();
      const bias = new Float32Array(20);
      bias.set([30, -30, -30, 30]);
      weights[weights.length - 1] = tf.tensor2d(bias, [10, 2]);
      last.setWeights(weights);
      const labels = Int32Array.from([0, 1, 2, 1, 0]);
      const q = new Int32Array(5 * 8 * 28).fill(0);
      // Sample the top 8 rows of 5 images (fewer passes): a 8×28 image.
      await sampleLevels(net, [8, 28, 1], { levels: 2, output: 'softmax', mixtures: 1 }, q, 5, {
        fromRow: 0,
        up: rowsAbove(model.networks.network!.layers, 8, 28),
        rng: new CounterRng(1),
        progress: null,
        labels,
      });
      const ones = (i: number) => q.subarray(i * 224, (i + 1) * 224).reduce((n, v) => n + v, 0);
      assert.deepEqual([0, 1, 3, 4].map(ones), [0, 224, 224, 0], text === cached ? 'cached' : 'windowed');
      assert.ok(ones(2) > 0 && ones(2) < 224, 'class 2 is left to the image');
      net.dispose();
    }
  });

  it('grids: row r is class r unless the request names classes; completions keep their image’s label', async () => {
    const png = (request: Parameters<Trainer['renderSamples']>[0]) =>
      trainer.renderSamples(request).then((b) => Buffer.from(b).toString('base64'));
    const byRow = await png({ grid: [3, 2], seed: 5 });
    assert.equal(await png({ grid: [3, 2], seed: 5, classes: [0, 1, 2] }), byRow);
    assert.notEqual(await png({ grid: [3, 2], seed: 5, classes: 7 }), byRow);
    const completed = PNG.sync.read(
      Buffer.from(await trainer.renderSamples({ mode: 'complete', grid: [2, 2], seed: 9 })),
    );
    assert.deepEqual([completed.width, completed.height], gridSize(2, 2, [28, 28, 1]));
    // A class given with `complete`: the rows start from held-out images of that class instead
    // (MNIST's first test images are a 7 and a 2), each completed as a 3.
    const asked = await trainer.renderSamples({ mode: 'complete', grid: [2, 2], seed: 9, classes: 3 });
    assert.notDeepEqual(PNG.sync.read(Buffer.from(asked)).data, completed.data);
  });

  it('completions of an asked class start from held-out images of that class, in test-split order', async () => {
    const model = resolveModel(COND);
    const source = await openDataSource(model.data[0], { seed: 0, baseDir: process.cwd() });
    const heldOut = (n: number) => source.heldOut(n);
    const pool = await heldOut(COMPLETION_POOL);
    const start = await completionStarts(model, { classes: [3, 3, 5] }, 3, heldOut);
    const plain = await completionStarts(model, {}, 2, heldOut);
    source.dispose();
    assert.deepEqual([...(start.labels ?? [])], [3, 3, 5]);
    const size = 28 * 28;
    const labels = [...(pool.labels ?? [])];
    const threes = labels.flatMap((k, i) => (k === 3 ? [i] : []));
    const five = labels.indexOf(5);
    [threes[0], threes[1], five].forEach((index, row) =>
      assert.deepEqual(
        start.images.images.subarray(row * size, (row + 1) * size),
        pool.images.subarray(index * size, (index + 1) * size),
        `row ${row}`,
      ),
    );
    // No class asked: the first held-out images with their own labels.
    assert.deepEqual([...(plain.labels ?? [])], labels.slice(0, 2));
  });

  it('the test NLL is the conditional one: the true labels fit better than shifted ones', async () => {
    const model = resolveModel(COND);
    const source = await openDataSource(model.data[0], { seed: 0, baseDir: process.cwd() });
    const held = await source.heldOut(64);
    source.dispose();
    assert.ok(held.labels, 'mnist held-out images have labels');
    const net = trainer.networks.network;
    const truth = await heldOutNll(net, model, held);
    const shifted = await heldOutNll(net, model, { ...held, labels: held.labels.map((k) => (k + 5) % 10) });
    assert.ok(truth.nats < shifted.nats, `true labels ${truth.nats} vs shifted ${shifted.nats}`);
  });
});

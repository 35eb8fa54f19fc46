// pixelcnn: the network maps an image to the parameters of every pixel's distribution, each from
// the pixels before it (the checker proves the causality): logits over `levels` for every channel,
// or a discretised logistic mixture (pixelcnnMixture.ts). Loss: the exact negative
// log-likelihood of the quantized image, in nats per image (and bits per dimension). Sampling
// draws one pixel per network pass, in raster order.
import * as tf from '@tensorflow/tfjs';
import { OffsetSpace, footprint, type Field } from '../../../language/families/causality';
import { outputChannels } from '../../../language/families/pixelcnnOutput';
import type { ResolvedLayer, ResolvedLevels, ResolvedModel } from '../../../language/model';
import type { SampleRequest } from '../../../protocol/sample';
import {
  SampleCancelled,
  type DataBatch,
  type DataSource,
  type SampleProgress,
  type StepMetrics,
} from '../../contract';
import { compileClassConditional, compileNetwork } from '../compile';
import { CachedSampler, planCache, type CachePlan } from './pixelcnnCache';
import { drawMixturePixel, mixtureNllPerImage } from './pixelcnnMixture';
import { batchLabels, classCount, completionStarts, gridLabels, networkInput } from './pixelcnnCondition';
import { createOptimizer } from '../optimizers';
import type { ImageGrid } from '../png';
import { CounterRng } from '../rng';
import {
  feedDropouts,
  gridOf,
  minimize,
  readScalars,
  trainableVariables,
  type Family,
  type FamilyDeps,
  type TrainingFamily,
} from './family';

/** Seed of the one stochastic binarisation of held-out images (test NLL, completions). */
const HELD_OUT_QUANTIZE_SEED = 0x71756e74;

/** Pixel values as level indices 0 … L−1 from images in the data's scale. */
export function quantize(
  images: Float32Array,
  scale: readonly [number, number],
  levels: Pick<ResolvedLevels, 'levels' | 'quantize'>,
  rng: CounterRng | null,
): Int32Array {
  const [lo, hi] = scale;
  const top = levels.levels - 1;
  const out = new Int32Array(images.length);
  for (let i = 0; i < images.length; i++) {
    const u = Math.min(1, Math.max(0, (images[i] - lo) / (hi - lo))) * top;
    const q = levels.quantize === 'stochastic' && rng ? Math.floor(u + rng.uniform()) : Math.round(u);
    out[i] = Math.min(top, Math.max(0, q));
  }
  return out;
}

/** The network's input for level indices: values in [0, 1]. */
function inputValues(q: Int32Array, levels: number): Float32Array {
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = q[i] / (levels - 1);
  return out;
}

/** Summed −log p(x) per image (nats), from logits [n, h, w, c·L] and level indices. */
export function nllPerImage(logits: tf.Tensor, targets: tf.Tensor, levels: number): tf.Tensor1D {
  const n = logits.shape[0];
  const flat = logits.reshape([-1, levels]);
  const logp = tf.logSoftmax(flat);
  const picked = logp.mul(tf.oneHot(targets.reshape([-1]).toInt(), levels)).sum(1);
  return picked.reshape([n, -1]).sum(1).neg() as tf.Tensor1D;
}

/** The distribution a network's outputs parameterise (the `levels` section). */
export type OutputDistribution = Pick<ResolvedLevels, 'levels' | 'output' | 'mixtures'>;

/** Summed −log p(x) per image (nats) under the model's output distribution; targets: level indices. */
export function outputNll(
  out: tf.Tensor,
  targets: tf.Tensor,
  dist: OutputDistribution,
  channels: number,
): tf.Tensor1D {
  return dist.output === 'logistic'
    ? mixtureNllPerImage(out, targets, dist.levels, dist.mixtures, channels)
    : nllPerImage(out, targets, dist.levels);
}

/** Rows above a pixel its prediction can depend on (from the receptive field of the network). */
export function rowsAbove(layers: readonly ResolvedLayer[], height: number, width: number): number {
  const space = new OffsetSpace(height, width);
  const walk = (ls: readonly ResolvedLayer[], start: Field): Field => {
    let field = start;
    for (const layer of ls) {
      if (layer.kind === 'residual') {
        const body = walk(layer.body ?? [], field);
        const all = new Set([...field.all, ...body.all]);
        const stacks = field.stacks && body.stacks;
        field = { v: stacks ? new Set([...field.v, ...body.v]) : all, all, stacks };
        continue;
      }
      const next = space.apply(field, footprint(layer.kind, layer.params));
      if (!next) return { v: new Set(), all: new Set([space.key(-(height - 1), 0)]), stacks: false };
      field = next;
    }
    return field;
  };
  let up = 0;
  for (const k of walk(layers, space.image()).all) up = Math.max(up, -space.offset(k)[0]);
  return up;
}

export class PixelCnnFamily implements Family {
  readonly networks: Readonly<Record<string, tf.LayersModel>>;
  readonly optimizers: Readonly<Record<string, tf.Optimizer>>;
  readonly imagesPerStep: number;
  readonly batchesPerStep = 1;
  private readonly net: tf.LayersModel;
  private readonly model: ResolvedModel;
  private readonly source: DataSource;
  private readonly levels: ResolvedLevels;
  private readonly up: number;

  constructor(private readonly deps: FamilyDeps) {
    this.model = deps.model;
    this.source = deps.sources[0];
    if (!this.model.levels) throw new Error('pixelcnn needs a levels section');
    this.levels = this.model.levels;
    const network = this.model.networks.network;
    if (!network) throw new Error(`model ${this.model.name} has no network`);
    const classes = classCount(this.model);
    const compiled =
      classes === null
        ? compileNetwork(network, 'network', this.model.train.seed)
        : compileClassConditional(network, classes, 'network', this.model.train.seed);
    this.net = compiled.model;
    feedDropouts(compiled.dropouts, deps.rng);
    const spec = this.model.optimizers.network;
    if (!spec) throw new Error('the model has no optimizer');
    this.optimizers = { network: createOptimizer(spec) };
    this.networks = { network: this.net };
    this.imagesPerStep = this.model.data[0].batch;
    const [h, w] = this.source.shape;
    this.up = rowsAbove(network.layers, h, w);
  }

  private get dims(): number {
    const [h, w, c] = this.source.shape;
    return h * w * c;
  }

  async trainStep(): Promise<StepMetrics> {
    const batch = await this.source.next();
    const L = this.levels.levels;
    const q = quantize(batch.images, this.model.data[0].scale, this.levels, this.deps.rng);
    const labels = batchLabels(this.model, batch);
    const [h, w, c] = this.source.shape;
    const dims = this.dims;
    const loss = tf.tidy(() => {
      const x = networkInput(tf.tensor4d(inputValues(q, L), [batch.count, h, w, c]), labels);
      const t = tf.tensor1d(q, 'int32');
      return minimize(this.optimizers.network, trainableVariables(this.net), () => {
        const out = this.net.apply(x, { training: true }) as tf.Tensor;
        return outputNll(out, t, this.levels, c).mean() as tf.Scalar;
      });
    });
    const bpd = tf.tidy(() => loss.div(dims * Math.LN2));
    return readScalars({ loss, bits_per_dim: bpd });
  }

  /** Held-out images quantized as the test split is: stochastic binarisation drawn once, seeded. */
  heldOutLevels(batch: DataBatch): Int32Array {
    return quantize(
      batch.images,
      this.model.data[0].scale,
      this.levels,
      new CounterRng(HELD_OUT_QUANTIZE_SEED),
    );
  }

  /** Negative log-likelihood of held-out images: nats per image and bits per dimension. */
  async testNll(batch: DataBatch): Promise<{ nats: number; bitsPerDim: number }> {
    return heldOutNll(this.net, this.model, batch);
  }

  async render(request: SampleRequest, progress?: SampleProgress): Promise<ImageGrid> {
    const [rows, cols] = gridOf(request, this.model);
    const data = this.model.data[0];
    const n = rows * cols;
    const seed = request.seed ?? this.model.sample.seed;
    const L = this.levels.levels;
    const q = new Int32Array(n * this.dims);
    let fromRow = 0;
    let labels = gridLabels(this.model, request, rows, cols);
    if (request.mode === 'complete') {
      // Each row of the grid: one held-out image, its top half kept, completed `cols` times.
      const start = await completionStarts(this.model, request, rows, (count) => this.source.heldOut(count));
      const held = start.images;
      const levels = quantize(held.images, data.scale, this.levels, new CounterRng(HELD_OUT_QUANTIZE_SEED));
      const [h] = this.source.shape;
      fromRow = Math.floor(h / 2);
      const keep = fromRow * (this.dims / h);
      for (let i = 0; i < n; i++) {
        const src = Math.floor(i / cols) % Math.max(1, held.count);
        q.set(levels.subarray(src * this.dims, src * this.dims + keep), i * this.dims);
      }
      // Conditional: each completion is drawn for its held-out image's own label.
      const own = start.labels;
      if (own)
        labels = Int32Array.from(
          { length: n },
          (_, i) => own[Math.floor(i / cols) % Math.max(1, held.count)],
        );
    }
    const done = await sampleLevels(this.net, this.source.shape, this.levels, q, n, {
      fromRow,
      up: this.up,
      rng: new CounterRng(seed),
      progress: progress ?? null,
      labels,
    });
    if (!done) throw new SampleCancelled();
    const pixels = new Float32Array(q.length);
    const [lo, hi] = data.scale;
    for (let i = 0; i < q.length; i++) pixels[i] = lo + ((hi - lo) * q[i]) / (L - 1);
    return { rows, cols, pixels, shape: data.shape, scale: data.scale };
  }

  dispose(): void {
    for (const o of Object.values(this.optimizers)) o.dispose();
    this.net.dispose();
  }
}

/** NLL of held-out images (nats per image, bits per dimension), quantized as the test split is;
 *  conditional: −log p(x | y), each given its own label. */
export async function heldOutNll(
  net: tf.LayersModel,
  model: ResolvedModel,
  batch: DataBatch,
  chunk = 100,
): Promise<{ nats: number; bitsPerDim: number }> {
  const levels = model.levels;
  if (!levels) throw new Error('the model has no levels');
  const [h, w, c] = model.data[0].shape;
  const dims = h * w * c;
  const q = quantize(batch.images, model.data[0].scale, levels, new CounterRng(HELD_OUT_QUANTIZE_SEED));
  const labels = batchLabels(model, batch);
  let total = 0;
  for (let start = 0; start < batch.count; start += chunk) {
    const count = Math.min(chunk, batch.count - start);
    const part = q.subarray(start * dims, (start + count) * dims);
    const sum = tf.tidy(() => {
      const x = tf.tensor4d(inputValues(part, levels.levels), [count, h, w, c]);
      const input = networkInput(x, labels?.subarray(start, start + count) ?? null);
      const out = net.apply(input, { training: false }) as tf.Tensor;
      return outputNll(out, tf.tensor1d(part, 'int32'), levels, c).sum();
    });
    total += (await sum.data())[0];
    sum.dispose();
  }
  const nats = total / Math.max(1, batch.count);
  return { nats, bitsPerDim: nats / (dims * Math.LN2) };
}

export interface SampleOptions {
  /** Rows already given (completion): sampling starts below them. */
  readonly fromRow: number;
  /** How many rows above a pixel the network sees: each pass runs on those rows only. */
  readonly up: number;
  readonly rng: CounterRng;
  readonly progress: SampleProgress | null;
  /** false: network passes even where cached sampling applies (tests compare the two). */
  readonly cache?: boolean;
  /** Conditional networks: the class each of the n images is drawn for. */
  readonly labels?: Int32Array | null;
}

/**
 * Fills level indices `q` (n images, channels-last) pixel by pixel from `fromRow` on. A pixel's
 * logits depend only on the `up` rows above it and its own row, so each pass runs the network on
 * that window instead of the whole image.
 */
export async function sampleLevels(
  net: tf.LayersModel,
  shape: readonly [number, number, number],
  dist: OutputDistribution,
  q: Int32Array,
  n: number,
  options: SampleOptions,
): Promise<boolean> {
  const plan = options.cache === false ? null : planCache(net);
  if (plan) return sampleCached(plan, shape, dist, q, n, options);
  const L = dist.levels;
  const [h, w, c] = shape;
  const draw = pixelDrawer(dist, c, options.rng);
  const P = outputChannels(dist, c);
  const dims = h * w * c;
  const rowSize = w * c;
  const total = (h - options.fromRow) * w;
  const window = Math.min(h, options.up + 1);
  const x = new Float32Array(n * window * rowSize);
  for (let r = options.fromRow; r < h; r++) {
    const top = Math.max(0, r - options.up);
    const height = Math.min(window, r - top + 1);
    for (let col = 0; col < w; col++) {
      for (let i = 0; i < n; i++)
        for (let rr = 0; rr < height; rr++)
          for (let k = 0; k < rowSize; k++)
            x[(i * height + rr) * rowSize + k] = q[i * dims + (top + rr) * rowSize + k] / (L - 1);
      const logits = tf.tidy(() => {
        const rows = tf.tensor4d(x.subarray(0, n * height * rowSize), [n, height, w, c]);
        const input = networkInput(rows, options.labels ?? null);
        const out = net.apply(input, { training: false }) as tf.Tensor4D;
        return out.slice([0, height - 1, col, 0], [n, 1, 1, P]);
      });
      const values = await logits.data();
      logits.dispose();
      for (let i = 0; i < n; i++) draw(values, i * P, q, i * dims + r * rowSize + col * c);
    }
    if (options.progress && !options.progress((r - options.fromRow + 1) * w, total)) return false;
  }
  return true;
}

/** Draws one pixel's C levels from the network's outputs values[at …) into out[outAt … outAt + C). */
type DrawPixel = (values: ArrayLike<number>, at: number, out: Int32Array, outAt: number) => void;

function pixelDrawer(dist: OutputDistribution, channels: number, rng: CounterRng): DrawPixel {
  const L = dist.levels;
  if (dist.output === 'logistic')
    return (values, at, out, outAt) =>
      drawMixturePixel(values, at, L, dist.mixtures, channels, rng, out, outAt);
  const probs = new Float64Array(L);
  return (values, at, out, outAt) => {
    for (let ch = 0; ch < channels; ch++) out[outAt + ch] = drawLevel(values, at + ch * L, L, rng, probs);
  };
}

/** A level drawn from the softmax of logits[at … at + L). */
function drawLevel(
  logits: ArrayLike<number>,
  at: number,
  L: number,
  rng: CounterRng,
  probs: Float64Array,
): number {
  let max = -Infinity;
  for (let l = 0; l < L; l++) max = Math.max(max, logits[at + l]);
  let sum = 0;
  for (let l = 0; l < L; l++) sum += probs[l] = Math.exp(logits[at + l] - max);
  let u = rng.uniform() * sum;
  for (let l = 0; l < L; l++) {
    u -= probs[l];
    if (u <= 0) return l;
  }
  return L - 1;
}

/** sampleLevels for gated networks, from cached stacks (pixelcnnCache.ts): no network passes. */
async function sampleCached(
  plan: CachePlan,
  shape: readonly [number, number, number],
  dist: OutputDistribution,
  q: Int32Array,
  n: number,
  options: SampleOptions,
): Promise<boolean> {
  const L = dist.levels;
  const [h, w, c] = shape;
  const draw = pixelDrawer(dist, c, options.rng);
  const dims = h * w * c;
  const total = (h - options.fromRow) * w;
  const samplers = Array.from(
    { length: n },
    (_, i) => new CachedSampler(plan, h, w, options.labels?.[i] ?? null),
  );
  const images = Array.from({ length: n }, (_, i) =>
    Float32Array.from(q.subarray(i * dims, (i + 1) * dims), (v) => v / (L - 1)),
  );
  const logits = new Float32Array(plan.outChannels);
  for (let r = 0; r < h; r++) {
    for (let i = 0; i < n; i++) samplers[i].row(images[i], r);
    if (r < options.fromRow) continue;
    for (let col = 0; col < w; col++)
      for (let i = 0; i < n; i++) {
        samplers[i].pixel(images[i], r, col, logits);
        const at = i * dims + (r * w + col) * c;
        draw(logits, 0, q, at);
        for (let ch = 0; ch < c; ch++) images[i][(r * w + col) * c + ch] = q[at + ch] / (L - 1);
      }
    if (options.progress && !options.progress((r - options.fromRow + 1) * w, total)) return false;
    // Let a cancel request (an IPC message) arrive between rows.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return true;
}

export const pixelcnnTraining: TrainingFamily = {
  create: (deps) => new PixelCnnFamily(deps),
  metrics: ['loss', 'bits_per_dim'],
  sampleModes: ['grid', 'complete'],
  divergenceAdvice: 'fewer or narrower gated layers, or a smaller batch',
};

// Cached sampling for Gated PixelCNN networks, after "Fast Generation for Convolutional
// Autoregressive Models" (Ramachandran et al. 2017): while an image is drawn pixel by pixel,
// nothing already computed changes. The vertical stacks of a row depend only on the rows above,
// so each is computed once per row; each pixel then needs only its own column of the horizontal
// stacks and of the pointwise head. A few thousand multiply-adds per pixel do not pay for
// TensorFlow.js's per-op overhead, so this runs in plain typed-array loops on the trained weights.
// Networks it does not cover (masked convolutions wider than 1×1, residual blocks) are sampled
// by re-running the network (pixelcnn.ts). A class-conditional network's per-class biases are
// added where the layers add them: to each stack's pre-gate values and to the head's 1×1 outputs.
import type * as tf from '@tensorflow/tfjs';

interface GatedOp {
  readonly kind: 'gated';
  readonly filters: number;
  readonly kernel: number;
  readonly maskA: boolean;
  readonly inChannels: number;
  /** v kernel, v bias, h kernel, h bias, link kernel, link bias, out kernel, out bias, skip kernel, skip bias. */
  readonly w: readonly Float32Array[];
  /** Conditional: the class biases of the vertical and horizontal pre-gate values, [classes, 2F] each. */
  readonly byClass: { readonly v: Float32Array; readonly h: Float32Array } | null;
}

type PointOp =
  | {
      readonly kind: 'linear';
      readonly cin: number;
      readonly cout: number;
      readonly w: Float32Array;
      readonly b: Float32Array | null;
      /** Conditional: a bias per class, [classes, cout]. */
      readonly byClass?: Float32Array | null;
    }
  | { readonly kind: 'map'; readonly fn: (x: number) => number }
  | {
      readonly kind: 'layernorm';
      readonly gamma: Float32Array | null;
      readonly beta: Float32Array | null;
      readonly epsilon: number;
    };

export interface CachePlan {
  readonly gated: readonly GatedOp[];
  readonly head: readonly PointOp[];
  readonly outChannels: number;
  /** Whether the network takes a class label (its layers have class biases). */
  readonly conditional: boolean;
}

const ACTIVATIONS: Readonly<Record<string, (x: number) => number>> = {
  linear: (x) => x,
  relu: (x) => (x > 0 ? x : 0),
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  elu: (x) => (x > 0 ? x : Math.exp(x) - 1),
};

function values(w: tf.Tensor): Float32Array {
  return w.dataSync() as Float32Array;
}

/** The network as cached-sampling steps, or null when it has a layer this sampler does not cover. */
export function planCache(net: tf.LayersModel): CachePlan | null {
  const gated: GatedOp[] = [];
  const head: PointOp[] = [];
  let channels = 0;
  for (const layer of net.layers) {
    const name = layer.getClassName();
    const config = layer.getConfig();
    const weights = layer.getWeights();
    if (name === 'InputLayer') {
      const shape = (config.batchInputShape as number[] | undefined) ?? [];
      // A conditional network's second input is its label: the channels are the image's.
      if (layer.name === net.inputNames[0]) channels = shape[shape.length - 1] ?? 0;
      continue;
    }
    // The label's one-hot encoding feeds the class biases, read below.
    if (name === 'GanStudioOneHotLabel') continue;
    const classes = typeof config.classes === 'number' ? config.classes : 0;
    if (name === 'GanStudioGatedPixel') {
      const maskA = config.maskA === true;
      // Gated layers come first, a mask A one starting them.
      if (head.length || maskA !== (gated.length === 0)) return null;
      const filters = config.filters as number;
      gated.push({
        kind: 'gated',
        filters,
        kernel: config.kernelSize as number,
        maskA,
        inChannels: maskA ? channels : filters,
        w: weights.slice(0, 10).map(values),
        byClass: classes > 0 ? { v: values(weights[10]), h: values(weights[11]) } : null,
      });
      channels = 3 * filters;
      continue;
    }
    if (!gated.length) return null;
    switch (name) {
      case 'GanStudioMaskedConv2D':
      case 'Conv2D': {
        const kernel = name === 'Conv2D' ? (config.kernelSize as number[]) : [config.kernelSize as number];
        const strides = name === 'Conv2D' ? (config.strides as number[]) : [1];
        if (kernel.some((k) => k !== 1) || strides.some((s) => s !== 1)) return null;
        const w = values(weights[0]);
        const cout = weights[0].shape[3] ?? 0;
        // A 1×1 mask A hides the only tap it has.
        if (config.maskA === true) w.fill(0);
        const bias = name === 'Conv2D' || config.useBias === true ? weights[1] : undefined;
        const byClass = classes > 0 ? values(weights[weights.length - 1]) : null;
        head.push({ kind: 'linear', cin: channels, cout, w, b: bias ? values(bias) : null, byClass });
        if (name === 'Conv2D') head.push({ kind: 'map', fn: activationOf(config.activation) });
        channels = cout;
        break;
      }
      case 'Dense': {
        const cout = weights[0].shape[1] ?? 0;
        head.push({
          kind: 'linear',
          cin: channels,
          cout,
          w: values(weights[0]),
          b: weights[1] ? values(weights[1]) : null,
        });
        head.push({ kind: 'map', fn: activationOf(config.activation) });
        channels = cout;
        break;
      }
      case 'Activation':
        head.push({ kind: 'map', fn: activationOf(config.activation) });
        break;
      case 'LeakyReLU': {
        const alpha = config.alpha as number;
        head.push({ kind: 'map', fn: (x) => (x > 0 ? x : alpha * x) });
        break;
      }
      case 'ELU':
        head.push({ kind: 'map', fn: ACTIVATIONS.elu });
        break;
      case 'LayerNormalization': {
        const scale = config.scale !== false;
        const center = config.center !== false;
        let i = 0;
        const gamma = scale ? values(weights[i++]) : null;
        const beta = center ? values(weights[i]) : null;
        head.push({ kind: 'layernorm', gamma, beta, epsilon: config.epsilon as number });
        break;
      }
      case 'GanStudioSeededDropout':
        break;
      default:
        return null;
    }
  }
  const conditional = gated.some((g) => g.byClass) || head.some((o) => o.kind === 'linear' && o.byClass);
  return gated.length ? { gated, head, outChannels: channels, conditional } : null;
}

function activationOf(value: unknown): (x: number) => number {
  const name = typeof value === 'string' ? value : 'linear';
  const fn = ACTIVATIONS[name];
  if (!fn) throw new Error(`no cached-sampling form for activation ${name}`);
  return fn;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** out += row `k` of a [rows, out.length] table. */
function addRow(out: Float32Array, table: Float32Array, k: number): void {
  const at = k * out.length;
  for (let o = 0; o < out.length; o++) out[o] += table[at + o];
}

/**
 * Per-image state while sampling: each gated layer's vertical stack for every row so far, and its
 * vertical pre-gate values, horizontal stack and skip sum for the current row.
 */
export class CachedSampler {
  private readonly v: Float32Array[];
  private readonly vf: Float32Array[];
  private readonly h: Float32Array[];
  private readonly s: Float32Array[];
  private readonly scratch: Float32Array;

  /** `label`: the class drawn, for a conditional network (null for an unconditional one). */
  constructor(
    private readonly plan: CachePlan,
    private readonly height: number,
    private readonly width: number,
    private readonly label: number | null = null,
  ) {
    if (plan.conditional && label === null) throw new Error('a class-conditional network needs a label');
    this.v = plan.gated.map((g) => new Float32Array(height * width * g.filters));
    this.vf = plan.gated.map((g) => new Float32Array(width * 2 * g.filters));
    this.h = plan.gated.map((g) => new Float32Array(width * g.filters));
    this.s = plan.gated.map((g) => new Float32Array(width * g.filters));
    const widest = Math.max(
      plan.outChannels,
      ...plan.gated.map((g) => 3 * g.filters),
      ...plan.head.map((o) => (o.kind === 'linear' ? o.cout : 0)),
    );
    this.scratch = new Float32Array(2 * widest);
  }

  /** Computes every layer's vertical stack for row r (it depends only on the rows above r). */
  row(image: Float32Array, r: number): void {
    const { height, width } = this;
    this.plan.gated.forEach((g, l) => {
      const n = Math.floor(g.kernel / 2);
      const f2 = 2 * g.filters;
      const [vK, vB] = g.w;
      const rows = g.maskA ? n : n + 1;
      const cin = g.inChannels;
      const vf = this.vf[l];
      const input = g.maskA ? image : this.v[l - 1];
      for (let c = 0; c < width; c++) {
        const out = vf.subarray(c * f2, (c + 1) * f2);
        out.set(vB);
        if (g.byClass) addRow(out, g.byClass.v, this.label ?? 0);
        for (let i = 0; i < rows; i++) {
          const rr = r - n + i;
          if (rr < 0 || rr >= height) continue;
          for (let j = 0; j < g.kernel; j++) {
            const cc = c - n + j;
            if (cc < 0 || cc >= width) continue;
            const at = (rr * width + cc) * cin;
            for (let ch = 0; ch < cin; ch++) {
              const x = input[at + ch];
              if (x === 0) continue;
              const wAt = ((i * g.kernel + j) * cin + ch) * f2;
              for (let o = 0; o < f2; o++) out[o] += x * vK[wAt + o];
            }
          }
        }
        const v = this.v[l];
        const base = (r * width + c) * g.filters;
        for (let o = 0; o < g.filters; o++) v[base + o] = Math.tanh(out[o]) * sigmoid(out[g.filters + o]);
      }
    });
  }

  /** The logits of pixel (r, c), `levels × channels` values, given the image up to it. */
  pixel(image: Float32Array, r: number, c: number, out: Float32Array): void {
    const { width } = this;
    let prevH: Float32Array | null = null;
    let prevS: Float32Array | null = null;
    this.plan.gated.forEach((g, l) => {
      const n = Math.floor(g.kernel / 2);
      const f = g.filters;
      const f2 = 2 * f;
      const [, , hK, hB, lK, lB, oK, oB, sK, sB] = g.w;
      const cols = g.maskA ? n : n + 1;
      const cin = g.inChannels;
      const hf = this.scratch.subarray(0, f2);
      hf.set(hB);
      for (let o = 0; o < f2; o++) hf[o] += lB[o];
      if (g.byClass) addRow(hf, g.byClass.h, this.label ?? 0);
      for (let j = 0; j < cols; j++) {
        const cc = c - n + j;
        if (cc < 0) continue;
        for (let ch = 0; ch < cin; ch++) {
          const x = g.maskA ? image[(r * width + cc) * cin + ch] : (prevH as Float32Array)[cc * f + ch];
          if (x === 0) continue;
          const wAt = (j * cin + ch) * f2;
          for (let o = 0; o < f2; o++) hf[o] += x * hK[wAt + o];
        }
      }
      const vf = this.vf[l];
      for (let p = 0; p < f2; p++) {
        const x = vf[c * f2 + p];
        if (x === 0) continue;
        for (let o = 0; o < f2; o++) hf[o] += x * lK[p * f2 + o];
      }
      const gate = this.scratch.subarray(f2, f2 + f);
      for (let o = 0; o < f; o++) gate[o] = Math.tanh(hf[o]) * sigmoid(hf[f + o]);
      const h = this.h[l];
      const s = this.s[l];
      for (let o = 0; o < f; o++) {
        let hv = oB[o];
        let sv = sB[o];
        for (let p = 0; p < f; p++) {
          hv += gate[p] * oK[p * f + o];
          sv += gate[p] * sK[p * f + o];
        }
        h[c * f + o] = hv + (prevH ? prevH[c * f + o] : 0);
        s[c * f + o] = sv + (prevS ? prevS[c * f + o] : 0);
      }
      prevH = h;
      prevS = s;
    });
    const last = this.plan.gated[this.plan.gated.length - 1];
    const f = last.filters;
    const L = this.plan.gated.length - 1;
    let x = this.scratch.subarray(0, 3 * f);
    x.set(this.v[L].subarray((r * width + c) * f, (r * width + c + 1) * f), 0);
    x.set(this.h[L].subarray(c * f, (c + 1) * f), f);
    x.set(this.s[L].subarray(c * f, (c + 1) * f), 2 * f);
    let half = 0;
    for (const op of this.plan.head) {
      if (op.kind === 'map') {
        for (let i = 0; i < x.length; i++) x[i] = op.fn(x[i]);
      } else if (op.kind === 'layernorm') {
        let mean = 0;
        for (let i = 0; i < x.length; i++) mean += x[i];
        mean /= x.length;
        let variance = 0;
        for (let i = 0; i < x.length; i++) variance += (x[i] - mean) ** 2;
        variance /= x.length;
        const inv = 1 / Math.sqrt(variance + op.epsilon);
        for (let i = 0; i < x.length; i++)
          x[i] = (x[i] - mean) * inv * (op.gamma ? op.gamma[i] : 1) + (op.beta ? op.beta[i] : 0);
      } else {
        half = half === 0 ? this.scratch.length / 2 : 0;
        const y = this.scratch.subarray(half, half + op.cout);
        if (op.b) y.set(op.b);
        else y.fill(0);
        if (op.byClass) addRow(y, op.byClass, this.label ?? 0);
        for (let p = 0; p < op.cin; p++) {
          const v = x[p];
          if (v === 0) continue;
          for (let o = 0; o < op.cout; o++) y[o] += v * op.w[p * op.cout + o];
        }
        x = y;
      }
    }
    out.set(x);
  }
}

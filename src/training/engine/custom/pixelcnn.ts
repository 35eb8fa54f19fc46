// PixelCNN layers (van den Oord et al. 2016), registered for serialisation so checkpoints save and
// resume: a masked convolution, and the Gated PixelCNN layer with vertical and horizontal stacks.
// The gated layer uses cropped kernels with shifts instead of masks, as in the paper's notes: the
// vertical stack convolves k/2 + 1 rows (mask A: the k/2 rows above) and the horizontal stack
// k/2 + 1 pixels (mask A: the k/2 to the left), so no multiply is spent on a masked-out weight.
// Class-conditional (`classes` > 0, Conditional PixelCNN): the layers take [x, one-hot label] and
// add a learned bias per class, V·h, to their pre-activations (zero at the start, so a conditional
// network starts out as the unconditional one with the same seed).
import * as tf from '@tensorflow/tfjs';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology';
import { single, singleShape, type ConfigDict, type LayerVariable, type Shape } from './common';

/** 1 where a masked k×k kernel reads (rows above; its own row up to the centre, mask A: before it). */
export function kernelMask(kernel: number, maskA: boolean): Float32Array {
  const n = Math.floor(kernel / 2);
  const mask = new Float32Array(kernel * kernel);
  for (let r = 0; r < kernel; r++)
    for (let c = 0; c < kernel; c++) {
      const dr = r - n;
      const dc = c - n;
      mask[r * kernel + c] = dr < 0 || (dr === 0 && (dc < 0 || (dc === 0 && !maskA))) ? 1 : 0;
    }
  return mask;
}

export interface MaskedConvArgs extends LayerArgs {
  filters: number;
  kernelSize: number;
  maskA: boolean;
  useBias: boolean;
  seed: number;
  /** > 0: the input is [x, one-hot label [batch, classes]] and each class adds its own bias. */
  classes?: number;
}

/** V·h for one-hot labels h [batch, classes], shaped to add to [batch, h, w, width] maps. */
function byClass(inputs: tf.Tensor | tf.Tensor[], table: LayerVariable): tf.Tensor4D {
  if (!Array.isArray(inputs) || inputs.length < 2)
    throw new Error('a class-conditional layer needs [x, label]');
  const values = table.read() as tf.Tensor2D;
  return tf.matMul(inputs[1] as tf.Tensor2D, values).reshape([-1, 1, 1, values.shape[1]]);
}

/** The `classes` entry of a layer's config: present only when conditional (configs stay as they were). */
function classesConfig(classes: number): ConfigDict {
  return classes > 0 ? { classes } : {};
}

/** A same-padded stride-1 convolution whose k×k kernel is multiplied by a causal mask. */
export class MaskedConv2D extends tf.layers.Layer {
  static readonly className = 'GanStudioMaskedConv2D';
  private readonly filters: number;
  private readonly kernelSize: number;
  private readonly maskA: boolean;
  private readonly useBias: boolean;
  private readonly seed: number;
  private readonly classes: number;
  private kernel: LayerVariable | null = null;
  private bias: LayerVariable | null = null;
  private classBias: LayerVariable | null = null;
  private inChannels = 0;

  constructor(args: MaskedConvArgs) {
    super(args);
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.maskA = args.maskA;
    this.useBias = args.useBias;
    this.seed = args.seed;
    this.classes = args.classes ?? 0;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(inputShape);
    this.inChannels = shape[shape.length - 1] ?? 1;
    const k = this.kernelSize;
    this.kernel = this.addWeight(
      'kernel',
      [k, k, this.inChannels, this.filters],
      'float32',
      tf.initializers.glorotUniform({ seed: this.seed }),
    );
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', tf.initializers.zeros());
    // A learned bias per class, zero at the start.
    if (this.classes > 0)
      this.classBias = this.addWeight(
        'class_bias',
        [this.classes, this.filters],
        'float32',
        tf.initializers.zeros(),
      );
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs) as tf.Tensor4D;
      if (!this.kernel) throw new Error('MaskedConv2D used before build');
      const k = this.kernelSize;
      let w = this.kernel.read() as tf.Tensor4D;
      if (k > 1) {
        const mask = tf.tensor4d(kernelMask(k, this.maskA), [k, k, 1, 1]);
        w = w.mul(mask);
      } else if (this.maskA) {
        w = tf.zerosLike(w);
      }
      let y = tf.conv2d(x, w, 1, 'same');
      if (this.bias) y = y.add(this.bias.read());
      return this.classBias ? y.add(byClass(inputs, this.classBias)) : y;
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(inputShape);
    return [s[0], s[1], s[2], this.filters];
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      maskA: this.maskA,
      useBias: this.useBias,
      seed: this.seed,
      ...classesConfig(this.classes),
    };
  }
}

export interface GatedPixelArgs extends LayerArgs {
  filters: number;
  kernelSize: number;
  maskA: boolean;
  seed: number;
  /** > 0: the input is [x, one-hot label [batch, classes]]; each class biases both stacks. */
  classes?: number;
}

/** The channels a gated layer passes on: vertical stack, horizontal stack, skip sum. */
export const GATED_PARTS = 3;

function conv(x: tf.Tensor4D, w: LayerVariable, b: LayerVariable): tf.Tensor4D {
  return tf.conv2d(x, w.read() as tf.Tensor4D, 1, 'valid').add(b.read());
}

function gate(x: tf.Tensor4D, filters: number): tf.Tensor4D {
  const [a, b] = tf.split(x, [filters, filters], 3) as tf.Tensor4D[];
  return tf.tanh(a).mul(tf.sigmoid(b));
}

/**
 * One Gated PixelCNN layer. Input: the image (mask A) or the previous gated layer's
 * [vertical | horizontal | skip] channels (mask B); output: the new three, `filters` each.
 * The vertical stack at (r, c) sees only rows above r; the horizontal one also the pixels left
 * of c on row r (and, mask B, its own features). Each stack's convolution gives 2F values,
 * gated as tanh(a)·σ(b); the vertical pre-gate values reach the horizontal stack by a 1×1
 * convolution, and the gated horizontal values feed a residual 1×1 (mask B) and the skip sum.
 * Conditional: the class's rows of V_v and V_h (2F each: the tanh and the sigmoid halves) are
 * added to the vertical and horizontal pre-gate values.
 */
export class GatedPixel extends tf.layers.Layer {
  static readonly className = 'GanStudioGatedPixel';
  private readonly filters: number;
  private readonly kernelSize: number;
  private readonly maskA: boolean;
  private readonly seed: number;
  private readonly classes: number;
  private w: Record<string, LayerVariable> = {};
  private cls: { v: LayerVariable; h: LayerVariable } | null = null;

  constructor(args: GatedPixelArgs) {
    super(args);
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.maskA = args.maskA;
    this.seed = args.seed;
    this.classes = args.classes ?? 0;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = singleShape(inputShape);
    const f = this.filters;
    const k = this.kernelSize;
    const n = Math.floor(k / 2);
    const cin = this.maskA ? (shape[shape.length - 1] ?? 1) : f;
    const span = this.maskA ? n : n + 1;
    let seed = this.seed;
    const weight = (name: string, dims: number[]): LayerVariable =>
      this.addWeight(name, dims, 'float32', tf.initializers.glorotUniform({ seed: seed++ }));
    const bias = (name: string, ...dims: number[]): LayerVariable =>
      this.addWeight(name, dims, 'float32', tf.initializers.zeros());
    this.w = {
      vKernel: weight('v_kernel', [span, k, cin, 2 * f]),
      vBias: bias('v_bias', 2 * f),
      hKernel: weight('h_kernel', [1, span, cin, 2 * f]),
      hBias: bias('h_bias', 2 * f),
      linkKernel: weight('link_kernel', [1, 1, 2 * f, 2 * f]),
      linkBias: bias('link_bias', 2 * f),
      outKernel: weight('out_kernel', [1, 1, f, f]),
      outBias: bias('out_bias', f),
      skipKernel: weight('skip_kernel', [1, 1, f, f]),
      skipBias: bias('skip_bias', f),
    };
    // V_v and V_h: a learned bias per class for each stack's 2F pre-gate values, zero at the start.
    if (this.classes > 0)
      this.cls = { v: bias('v_class', this.classes, 2 * f), h: bias('h_class', this.classes, 2 * f) };
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs) as tf.Tensor4D;
      const [batch, height, width] = x.shape;
      const f = this.filters;
      const n = Math.floor(this.kernelSize / 2);
      const w = this.w;
      let vf: tf.Tensor4D;
      let hf: tf.Tensor4D;
      let h: tf.Tensor4D | null = null;
      let s: tf.Tensor4D | null = null;
      if (this.maskA) {
        // Rows r−n … r−1 for row r: pad n rows on top, convolve n rows, drop the extra last row.
        const vPadded = tf.pad(x, [
          [0, 0],
          [n, 0],
          [n, n],
          [0, 0],
        ]);
        vf = conv(vPadded, w.vKernel, w.vBias).slice([0, 0, 0, 0], [batch, height, width, 2 * f]);
        const hPadded = tf.pad(x, [
          [0, 0],
          [0, 0],
          [n, 0],
          [0, 0],
        ]);
        hf = conv(hPadded, w.hKernel, w.hBias).slice([0, 0, 0, 0], [batch, height, width, 2 * f]);
      } else {
        const [v, hIn, sIn] = tf.split(x, [f, f, f], 3) as tf.Tensor4D[];
        h = hIn;
        s = sIn;
        vf = conv(
          tf.pad(v, [
            [0, 0],
            [n, 0],
            [n, n],
            [0, 0],
          ]),
          w.vKernel,
          w.vBias,
        );
        hf = conv(
          tf.pad(hIn, [
            [0, 0],
            [0, 0],
            [n, 0],
            [0, 0],
          ]),
          w.hKernel,
          w.hBias,
        );
      }
      if (this.cls) {
        vf = vf.add(byClass(inputs, this.cls.v));
        hf = hf.add(byClass(inputs, this.cls.h));
      }
      hf = hf.add(conv(vf, w.linkKernel, w.linkBias));
      const vOut = gate(vf, f);
      const g = gate(hf, f);
      let hOut = conv(g, w.outKernel, w.outBias);
      let sOut = conv(g, w.skipKernel, w.skipBias);
      if (h) hOut = hOut.add(h);
      if (s) sOut = sOut.add(s);
      return tf.concat([vOut, hOut, sOut], 3);
    });
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = singleShape(inputShape);
    return [s[0], s[1], s[2], GATED_PARTS * this.filters];
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      maskA: this.maskA,
      seed: this.seed,
      ...classesConfig(this.classes),
    };
  }
}

tf.serialization.registerClass(MaskedConv2D);
tf.serialization.registerClass(GatedPixel);

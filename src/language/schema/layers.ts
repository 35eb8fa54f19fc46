// Layers: parameters, shape functions and parameter counts, one entry per layer word.
import type { ParamValue, Shape } from '../model';
import type { ParamSpec } from './values';
import { bool, byName, int, num, oneOf } from './values';

export const ACTIVATIONS = ['linear', 'relu', 'leakyrelu', 'tanh', 'sigmoid', 'elu'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

export type ShapeResult =
  | { readonly ok: true; readonly shape: Shape }
  | {
      readonly ok: false;
      readonly code: 'E206' | 'E301' | 'E302' | 'E303' | 'E305' | 'E310' | 'E323';
      readonly message: string;
    };

export interface LayerSpec {
  readonly name: string;
  readonly doc: string;
  readonly params: readonly ParamSpec[];
  /** Output shape for an input shape; errors carry a diagnostic code. */
  readonly shape: (input: Shape, p: Readonly<Record<string, ParamValue>>) => ShapeResult;
  /** Trainable parameters for an input shape. */
  readonly paramCount: (input: Shape, p: Readonly<Record<string, ParamValue>>) => number;
  /** `residual`, `repeat` and `stage` hold a block of layers. */
  readonly block?: 'residual' | 'repeat' | 'stage';
  /** The activation this layer applies, if it is (or ends with) one. */
  readonly activation?: (p: Readonly<Record<string, ParamValue>>) => ActivationName | null;
}

const ok = (shape: Shape): ShapeResult => ({ ok: true, shape });
const prod = (s: Shape): number => s.reduce((a, b) => a * b, 1);
const fmt = (s: Shape): string => `[${s.join(', ')}]`;

function needRank3(layer: string, input: Shape): ShapeResult | null {
  if (input.length === 3) return null;
  return {
    ok: false,
    code: 'E302',
    message: `\`${layer}\` needs an image tensor (height, width, channels) but gets ${fmt(input)}; add \`reshape [h, w, c]\` before it.`,
  };
}

function convLike(transposed: boolean) {
  return (input: Shape, p: Readonly<Record<string, ParamValue>>): ShapeResult => {
    const name = transposed ? 'deconv' : 'conv';
    const bad = needRank3(name, input);
    if (bad) return bad;
    const k = p.kernel as number;
    const s = p.stride as number;
    const same = p.padding === 'same';
    const dim = (n: number): number =>
      transposed ? (same ? n * s : (n - 1) * s + k) : same ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1;
    const h = dim(input[0]);
    const w = dim(input[1]);
    if (h <= 0 || w <= 0) {
      return {
        ok: false,
        code: 'E303',
        message: `\`${name}\` with kernel=${k} stride=${s} padding=${p.padding} shrinks ${input[0]}x${input[1]} to ${h}x${w}: use padding=same, a smaller kernel or stride, or fewer downsampling layers.`,
      };
    }
    return ok([h, w, p.filters as number]);
  };
}

/** conv and deconv alike: a k×k kernel per input and output channel, the bias and the norm's scale and shift. */
function convParamCount(input: Shape, p: Readonly<Record<string, ParamValue>>): number {
  const k = p.kernel as number;
  const f = p.filters as number;
  return k * k * (input[input.length - 1] ?? 0) * f + (p.bias ? f : 0) + normParams(p.norm, f);
}

function normParams(norm: ParamValue, channels: number): number {
  return norm === 'none' ? 0 : 2 * channels;
}

const activationParam = (def: ActivationName = 'linear'): ParamSpec => ({
  name: 'activation',
  type: oneOf(...ACTIVATIONS),
  default: def,
  doc: 'Activation applied to the output (after normalization).',
});
const biasParam: ParamSpec = { name: 'bias', type: bool, default: true, doc: 'Add a learned bias.' };
const snParam: ParamSpec = {
  name: 'sn',
  type: bool,
  default: false,
  doc: 'Spectral normalization of the weights (Miyato et al. 2018): bounds the layer’s Lipschitz constant.',
};
const convParams: readonly ParamSpec[] = [
  {
    name: 'filters',
    type: int(1),
    required: true,
    positional: true,
    doc: 'Number of output channels.',
    suggestions: [64, 32, 128],
  },
  { name: 'kernel', type: int(1, 31), default: 3, doc: 'Kernel size (square).' },
  { name: 'stride', type: int(1, 16), default: 1, doc: 'Stride (both axes).' },
  {
    name: 'padding',
    type: oneOf('same', 'valid'),
    default: 'same',
    doc: '`same`: out = ceil(in / stride) (transposed: in × stride). `valid`: out = floor((in − kernel) / stride) + 1 (transposed: (in − 1) × stride + kernel).',
  },
  activationParam(),
  biasParam,
  {
    name: 'norm',
    type: oneOf('none', 'batch', 'instance', 'layer'),
    default: 'none',
    doc: 'Normalization applied after the convolution, before the activation.',
  },
  snParam,
];
const normLayerParams: readonly ParamSpec[] = [
  {
    name: 'momentum',
    type: num(0, 1, { maxExclusive: true }),
    default: 0.99,
    doc: 'Moving-average momentum.',
  },
  { name: 'epsilon', type: num(0, 1, { minExclusive: true }), default: 0.001, doc: 'Added to the variance.' },
];
const identity = (input: Shape): ShapeResult => ok(input);
const none = (): number => 0;
const channels = (s: Shape): number => s[s.length - 1] ?? 0;
const pool = (name: string) => (input: Shape, p: Readonly<Record<string, ParamValue>>) => {
  const bad = needRank3(name, input);
  if (bad) return bad;
  const size = p.size as number;
  const h = Math.floor(input[0] / size);
  const w = Math.floor(input[1] / size);
  if (h <= 0 || w <= 0)
    return {
      ok: false as const,
      code: 'E303' as const,
      message: `\`${name}\` size=${size} shrinks ${input[0]}x${input[1]} to ${h}x${w}.`,
    };
  return ok([h, w, input[2]]);
};
const fixedActivation = (a: ActivationName) => (): ActivationName => a;

function oddKernel(layer: string, p: Readonly<Record<string, ParamValue>>, min = 1): ShapeResult | null {
  const k = p.kernel as number;
  if (k % 2 === 1 && k >= min) return null;
  return {
    ok: false,
    code: 'E206',
    message: `\`${layer}\` needs an odd kernel${min > 1 ? ` of at least ${min}` : ''} (it is centred on the pixel it predicts) but has kernel=${k}.`,
  };
}

const maskParam = (doc: string): ParamSpec => ({
  name: 'mask',
  type: oneOf('A', 'B'),
  default: 'B',
  doc,
});

/** The tensor a `gated` layer passes on: vertical stack, horizontal stack and skip sum, F channels each. */
export const GATED_PARTS = 3;

/** Weights of a gated layer (van den Oord et al. 2016) with F filters, kernel k, on `inChannels`:
 *  the vertical (rows × k) and horizontal (1 × cols) convolutions to 2F gate inputs, the vertical
 *  → horizontal 1×1 link, and the horizontal output and skip 1×1 convolutions, each with a bias. */
export function gatedParamCount(inChannels: number, filters: number, kernel: number, maskA: boolean): number {
  const n = Math.floor(kernel / 2);
  const rows = maskA ? n : n + 1;
  const cols = maskA ? n : n + 1;
  const f = filters;
  return 2 * f * inChannels * (rows * kernel + cols) + 2 * f + 2 * f + (4 * f * f + 2 * f) + 2 * (f * f + f);
}

/** A recurrent layer returning its whole sequence; `gates` weight blocks (GRU 3, LSTM 4). */
function recurrent(name: string, gates: number, doc: string): LayerSpec {
  return {
    name,
    doc,
    params: [
      {
        name: 'units',
        type: int(1),
        required: true,
        positional: true,
        doc: 'Size of the hidden state, and of each step’s output.',
        suggestions: [32, 64],
      },
    ],
    shape: (input, p) =>
      input.length === 2
        ? ok([input[0], p.units as number])
        : {
            ok: false,
            code: 'E302',
            message: `\`${name}\` needs a sequence (steps, features) but gets ${fmt(input)}; add \`reshape [steps, features]\` before it.`,
          },
    paramCount: (input, p) => {
      const units = p.units as number;
      return gates * units * (channels(input) + units + 1);
    },
  };
}

export const LAYERS: readonly LayerSpec[] = [
  {
    name: 'dense',
    doc: 'Fully connected layer: every output unit sees every input value.',
    params: [
      {
        name: 'units',
        type: int(1),
        required: true,
        positional: true,
        doc: 'Number of output units.',
        suggestions: [128, 256, 1],
      },
      activationParam(),
      biasParam,
      snParam,
    ],
    shape: (input, p) => ok([...input.slice(0, -1), p.units as number]),
    paramCount: (input, p) => channels(input) * (p.units as number) + (p.bias ? (p.units as number) : 0),
    activation: (p) => p.activation as ActivationName,
  },
  {
    name: 'conv',
    doc: '2-D convolution over an image tensor (height, width, channels).',
    params: convParams,
    shape: convLike(false),
    paramCount: convParamCount,
    activation: (p) => p.activation as ActivationName,
  },
  {
    name: 'deconv',
    doc: 'Transposed 2-D convolution (“deconvolution”): upsamples by its stride.',
    params: convParams,
    shape: convLike(true),
    paramCount: convParamCount,
    activation: (p) => p.activation as ActivationName,
  },
  {
    name: 'maskedconv',
    doc: 'Masked 2-D convolution (PixelCNN, van den Oord et al. 2016): the kernel only sees pixels above and to the left of the one it predicts. `mask=A` (the first layer) also hides the pixel itself; `mask=B` (every later layer) lets each position see its own features. Stride 1, same padding.',
    params: [
      convParams[0],
      { name: 'kernel', type: int(1, 31), default: 3, doc: 'Kernel size (square, odd).' },
      maskParam('`A`: the pixel itself is hidden (the first layer); `B`: it is seen (every later layer).'),
      activationParam(),
      biasParam,
    ],
    shape: (input, p) => {
      const bad = needRank3('maskedconv', input) ?? oddKernel('maskedconv', p);
      return bad ?? ok([input[0], input[1], p.filters as number]);
    },
    paramCount: (input, p) => {
      const k = p.kernel as number;
      const f = p.filters as number;
      return k * k * channels(input) * f + (p.bias ? f : 0);
    },
    activation: (p) => p.activation as ActivationName,
  },
  {
    name: 'gated',
    doc: 'Gated PixelCNN layer (van den Oord et al. 2016): a vertical stack (rows above) and a horizontal stack (pixels to the left) with tanh·sigmoid gates, so there is no blind spot; a residual connection on the horizontal stack and a skip sum. It passes on all three, `FILTERS` channels each (shape `[h, w, 3·FILTERS]`). `mask=A` starts the stacks from the image; `mask=B` continues them.',
    params: [
      {
        name: 'filters',
        type: int(1),
        required: true,
        positional: true,
        doc: 'Channels of each stack.',
        suggestions: [32, 64, 16],
      },
      {
        name: 'kernel',
        type: int(1, 31),
        default: 3,
        doc: 'Kernel size (odd): k/2 + 1 rows of k for the vertical stack, k/2 + 1 pixels for the horizontal one.',
      },
      maskParam(
        '`A`: starts the stacks from the image, hiding the pixel itself (the first layer); `B`: continues a gated stack.',
      ),
    ],
    shape: (input, p) => {
      const f = p.filters as number;
      const maskA = p.mask === 'A';
      const bad = needRank3('gated', input) ?? oddKernel('gated', p, maskA ? 3 : 1);
      if (bad) return bad;
      if (!maskA && input[2] !== GATED_PARTS * f)
        return {
          ok: false,
          code: 'E323',
          message: `\`gated ${f}\` (mask B) continues a gated stack of ${f} filters, [h, w, ${GATED_PARTS * f}] (vertical, horizontal and skip), but gets ${fmt(input)}: start the stacks with \`gated ${f} mask=A\` or give every gated layer the same filters.`,
        };
      return ok([input[0], input[1], GATED_PARTS * f]);
    },
    paramCount: (input, p) =>
      gatedParamCount(
        p.mask === 'A' ? channels(input) : (p.filters as number),
        p.filters as number,
        p.kernel as number,
        p.mask === 'A',
      ),
  },
  {
    name: 'batchnorm',
    doc: 'Batch normalization (Ioffe & Szegedy 2015) over the last axis.',
    params: normLayerParams,
    shape: identity,
    paramCount: (input) => 2 * channels(input),
  },
  {
    name: 'instancenorm',
    doc: 'Instance normalization (Ulyanov et al. 2016): per image and channel; the CycleGAN default.',
    params: [normLayerParams[1]],
    shape: (input) => needRank3('instancenorm', input) ?? ok(input),
    paramCount: (input) => 2 * channels(input),
  },
  {
    name: 'layernorm',
    doc: 'Layer normalization (Ba et al. 2016) over the last axis.',
    params: [normLayerParams[1]],
    shape: identity,
    paramCount: (input) => 2 * channels(input),
  },
  {
    name: 'relu',
    doc: 'max(0, x).',
    params: [],
    shape: identity,
    paramCount: none,
    activation: fixedActivation('relu'),
  },
  {
    name: 'leakyrelu',
    doc: 'x for x > 0, alpha·x otherwise; the usual discriminator activation.',
    params: [
      { name: 'alpha', type: num(0, 1), default: 0.2, positional: true, doc: 'Slope for negative inputs.' },
    ],
    shape: identity,
    paramCount: none,
    activation: fixedActivation('leakyrelu'),
  },
  {
    name: 'tanh',
    doc: 'Hyperbolic tangent: output in (−1, 1); the usual generator output for data scaled to [−1, 1].',
    params: [],
    shape: identity,
    paramCount: none,
    activation: fixedActivation('tanh'),
  },
  {
    name: 'sigmoid',
    doc: 'Logistic sigmoid: output in (0, 1); the usual output for data scaled to [0, 1].',
    params: [],
    shape: identity,
    paramCount: none,
    activation: fixedActivation('sigmoid'),
  },
  {
    name: 'elu',
    doc: 'Exponential linear unit.',
    params: [],
    shape: identity,
    paramCount: none,
    activation: fixedActivation('elu'),
  },
  {
    name: 'dropout',
    doc: 'Randomly zeroes a fraction of values while training.',
    params: [
      {
        name: 'rate',
        type: num(0, 1, { maxExclusive: true }),
        required: true,
        positional: true,
        doc: 'Fraction dropped, 0 ≤ rate < 1.',
        suggestions: [0.3, 0.5, 0.2],
      },
    ],
    shape: identity,
    paramCount: none,
  },
  recurrent(
    'gru',
    3,
    'Gated recurrent unit layer (Cho et al. 2014) over a sequence [steps, features]: one output of `units` per step.',
  ),
  recurrent(
    'lstm',
    4,
    'Long short-term memory layer (Hochreiter & Schmidhuber 1997) over a sequence [steps, features]: one output of `units` per step.',
  ),
  {
    name: 'flatten',
    doc: 'Flattens (height, width, channels) into one vector.',
    params: [],
    shape: (input) => ok([prod(input)]),
    paramCount: none,
  },
  {
    name: 'reshape',
    doc: 'Reshapes to the given dimensions (one may be −1: inferred). The element count must not change.',
    params: [
      {
        name: 'dims',
        type: { kind: 'intList', minLength: 1, maxLength: 3 },
        required: true,
        positional: true,
        doc: 'Target dimensions, e.g. [7, 7, 256].',
      },
    ],
    shape: (input, p) => {
      const dims = [...(p.dims as readonly number[])];
      const n = prod(input);
      const unknown = dims.filter((d) => d === -1).length;
      if (unknown > 1 || dims.some((d) => d === 0 || d < -1))
        return {
          ok: false,
          code: 'E301',
          message: `\`reshape ${fmt(dims)}\`: dimensions must be positive, with at most one −1.`,
        };
      const known = dims.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
      if (unknown === 1) {
        if (n % known !== 0)
          return {
            ok: false,
            code: 'E301',
            message: `\`reshape ${fmt(dims)}\`: ${n} elements of ${fmt(input)} do not divide into ${fmt(dims)}.`,
          };
        return ok(dims.map((d) => (d === -1 ? n / known : d)));
      }
      if (known !== n)
        return {
          ok: false,
          code: 'E301',
          message: `\`reshape ${fmt(dims)}\` needs ${dims.join('×')} = ${known} elements, but the layer before it outputs ${input.length === 1 ? n : `${fmt(input)} = ${n}`}.`,
        };
      return ok(dims);
    },
    paramCount: none,
  },
  {
    name: 'upsample',
    doc: 'Nearest-neighbour upsampling by an integer factor.',
    params: [{ name: 'factor', type: int(1, 16), default: 2, positional: true, doc: 'Upsampling factor.' }],
    shape: (input, p) => {
      const bad = needRank3('upsample', input);
      if (bad) return bad;
      const f = p.factor as number;
      return ok([input[0] * f, input[1] * f, input[2]]);
    },
    paramCount: none,
  },
  {
    name: 'pixelshuffle',
    doc: 'Sub-pixel upsampling (Shi et al. 2016; depth-to-space): each group of factor² channels becomes a factor×factor block of pixels, so H×W×(C·factor²) becomes (H·factor)×(W·factor)×C. Put a `conv` with C·factor² filters before it.',
    params: [{ name: 'factor', type: int(2, 8), default: 2, positional: true, doc: 'Upsampling factor.' }],
    shape: (input, p) => {
      const bad = needRank3('pixelshuffle', input);
      if (bad) return bad;
      const f = p.factor as number;
      if (input[2] % (f * f) !== 0)
        return {
          ok: false,
          code: 'E310',
          message: `\`pixelshuffle ${f}\` needs channels divisible by ${f}×${f} = ${f * f}, but gets ${input[2]}: give the conv before it ${Math.max(1, Math.round(input[2] / (f * f))) * f * f} filters (${f * f} × the channels wanted).`,
        };
      return ok([input[0] * f, input[1] * f, input[2] / (f * f)]);
    },
    paramCount: none,
  },
  {
    name: 'prelu',
    doc: 'Parametric ReLU (He et al. 2015): x for x > 0, a·x otherwise, with a learned slope a per channel (shared over height and width); the SRGAN generator’s activation.',
    params: [
      {
        name: 'alpha',
        type: num(0, 1),
        default: 0.25,
        positional: true,
        doc: 'Initial slope for negative inputs.',
      },
    ],
    shape: identity,
    paramCount: (input) => channels(input),
  },
  {
    name: 'maxpool',
    doc: 'Max pooling. GAN networks usually downsample with strided convolutions instead.',
    params: [{ name: 'size', type: int(1, 16), default: 2, doc: 'Window size and stride.' }],
    shape: pool('maxpool'),
    paramCount: none,
  },
  {
    name: 'avgpool',
    doc: 'Average pooling. GAN networks usually downsample with strided convolutions instead.',
    params: [{ name: 'size', type: int(1, 16), default: 2, doc: 'Window size and stride.' }],
    shape: pool('avgpool'),
    paramCount: none,
  },
  {
    name: 'residual',
    doc: 'Residual block: output = input + layers(input). The layers must keep the shape.',
    params: [],
    shape: identity,
    paramCount: none,
    block: 'residual',
  },
  {
    name: 'repeat',
    doc: 'Repeats the layers in its block N times.',
    params: [{ name: 'times', type: int(1, 1000), required: true, positional: true, doc: 'How many times.' }],
    shape: identity,
    paramCount: none,
    block: 'repeat',
  },
  {
    name: 'stage',
    doc: 'A resolution stage of a progressive network (progan): its layers, applied in order. The size is the resolution the stage works at: a generator stage outputs SIZE (the model adds its to-RGB layer after it), a discriminator stage takes SIZE (the model adds its from-RGB layer before it when training starts there). Elsewhere it just groups layers.',
    params: [
      {
        name: 'size',
        type: { kind: 'size', dims: [2] },
        required: true,
        positional: true,
        doc: 'The stage’s resolution, height x width (e.g. 4x4, 8x8).',
      },
    ],
    shape: identity,
    paramCount: none,
    block: 'stage',
  },
  {
    name: 'pixelnorm',
    doc: 'Pixelwise feature-vector normalisation (Karras et al. 2018): each pixel’s feature vector divided by its root mean square over the channels, x / √(mean(x²) + ε). The progressive GAN generator puts it after every convolution.',
    params: [
      {
        name: 'epsilon',
        type: num(0, 1, { minExclusive: true }),
        default: 1e-8,
        doc: 'Added under the root.',
      },
    ],
    shape: (input) => needRank3('pixelnorm', input) ?? ok(input),
    paramCount: none,
  },
  {
    name: 'minibatchstd',
    doc: 'Minibatch standard deviation (Karras et al. 2018): the standard deviation of every feature over groups of `group` images, averaged to one number per group, appended as one more constant channel, so the critic sees how varied a batch is. Put it near the end of the discriminator.',
    params: [
      {
        name: 'group',
        type: int(1, 1024),
        default: 4,
        doc: 'Images per group (the batch is split into groups of this size; a batch not divisible by it uses the whole batch as one group).',
      },
    ],
    shape: (input) => needRank3('minibatchstd', input) ?? ok([input[0], input[1], input[2] + 1]),
    paramCount: none,
  },
];

export const layerByName = byName(LAYERS);

/** A layer parameter's numeric default (the norms and activations other layers imply use them). */
export function numericDefault(layerKind: string, param: string): number {
  const spec = LAYERS.find((l) => l.name === layerKind)?.params.find((p) => p.name === param);
  if (typeof spec?.default !== 'number')
    throw new Error(`schema has no numeric default for ${layerKind}.${param}`);
  return spec.default;
}

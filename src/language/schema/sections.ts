// Sections every family shares (data, loss, optimizer, train, sample, evaluate) and the
// metrics `evaluate` accepts. A family's own sections (latent, condition, its networks) are
// declared in its module under src/language/families/.
import type { EvalMetricName, NetworkRole } from '../model';
import type { KindSpec, ParamSpec } from './values';
import { int, num, oneOf } from './values';
import { ENGINES } from './engines';

export type SectionKind = 'data' | 'latent' | 'settings' | 'network' | 'loss' | 'optimizer' | 'metrics';

/** A section as declared; the schema adds which families use it. */
export interface SectionDecl {
  readonly name: string;
  readonly kind: SectionKind;
  readonly doc: string;
  /** Head-line positional arguments and settings (settings sections: `name value` lines too). */
  readonly params: readonly ParamSpec[];
  /** Network sections: the role they build. */
  readonly role?: NetworkRole;
  /** What the quick fix for a missing required section inserts (network sections: an empty block). */
  readonly starter?: string;
}

export const BACKENDS = ['auto', 'gpu', 'webgpu', 'node', 'wasm', 'cpu'] as const;

/** The data section comes first in every model; the others close it. */
export const DATA_SECTION: SectionDecl = {
  name: 'data',
  kind: 'data',
  doc: 'Training images: `data SOURCE [settings] { settings }`. cyclegan takes two, `domain=a` and `domain=b`.',
  params: [],
  starter: 'data mnist { scale [-1, 1]; batch 64 }',
};

/** Sections after the family's own, in this order. */
export const CLOSING_SECTIONS: readonly SectionDecl[] = [
  {
    name: 'loss',
    kind: 'loss',
    doc: 'The training objective: `loss KIND [settings]`.',
    params: [],
  },
  {
    name: 'optimizer',
    kind: 'optimizer',
    doc: '`optimizer [ROLE] KIND [settings]`: ROLE (generator, discriminator, encoder, decoder, network; stackgan: generator2, discriminator2; video: trajectory, video_discriminator) gives that network its own.',
    params: [],
  },
  {
    name: 'train',
    kind: 'settings',
    doc: 'How long and how to train.',
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
        name: 'engine',
        type: oneOf(...ENGINES),
        default: 'auto',
        doc: 'What trains the model: `tfjs` (TensorFlow.js, built in), `torch` (PyTorch through the Python the `gan.python` setting or the Python extension names; every family), or `auto`: the `gan.training.engine` setting, else TensorFlow.js. `gan train --engine` overrides it.',
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
    doc: 'Sample grids written while training, from fixed noise: every `every` steps and, before the first of those, by wall time (right after the first step, then after 10 s, 20 s, 40 s…, spaced further when rendering is slow), so a run shows samples within seconds.',
    params: [
      {
        name: 'every',
        type: int(1),
        default: 500,
        doc: 'Write a grid every N steps (before the first of those, grids also come by wall time).',
      },
      {
        name: 'grid',
        type: { kind: 'size', dims: [2] },
        default: [8, 8],
        doc: 'Rows x columns (cgan and a pixelcnn with `condition`: one row per class).',
      },
      { name: 'seed', type: int(0, 2 ** 31 - 1), default: 1234, doc: 'Seed of the fixed sample noise.' },
    ],
  },
  {
    name: 'evaluate',
    kind: 'metrics',
    doc: 'Evaluation while training: `fid every=5000 samples=10000`, `kid …`, `pr …`, `nll …` (pixelcnn); results go to metrics.jsonl as eval/fid, eval/kid, … Every evaluation also logs the class histogram of the samples (its entropy against the data’s, an Inception-Score analogue; cgan and a pixelcnn with `condition`: conditional accuracy, the share of samples the data’s classifier assigns to the class they were drawn for), the discriminator’s accuracy on held-out reals and fresh fakes (adversarial families), for a vae the test ELBO and reconstruction error, and for an srgan the PSNR and SSIM of the model and of bicubic upscaling on held-out images; a pixelcnn logs its test NLL (nll) in nats per image and bits per dimension; a video model is measured per frame, and on 256 fresh clips (and 256 held-out ones, as `_real`) logs the share of its clips that keep one class across their frames (eval/label_consistency), the share of its frames read clearly as one class (eval/legible_frames) and how far and how smoothly their ink moves (eval/motion_step, eval/motion_accel).',
    params: [],
  },
];

/** An `evaluate` metric: computed every N steps on its own number of generated images. */
export interface MetricSpec extends KindSpec {
  readonly name: EvalMetricName;
}

const schedule = (every: number, samples: number, minSamples: number): readonly ParamSpec[] => [
  { name: 'every', type: int(1), default: every, doc: 'Compute every N steps.' },
  { name: 'samples', type: int(minSamples), default: samples, doc: 'Images generated for each estimate.' },
];

export const METRICS: readonly MetricSpec[] = [
  {
    name: 'fid',
    doc: 'Fréchet distance between feature Gaussians of generated and held-out real images (Heusel et al. 2017). The features come from a small classifier GAN Studio trains on the data source (e.g. "FID (MNIST classifier features)"), so values are not comparable with Inception FID. Lower is better; biased upward with few samples.',
    params: schedule(5000, 10000, 100),
  },
  {
    name: 'kid',
    doc: 'Kernel distance (Bińkowski et al. 2018): unbiased squared MMD with a cubic polynomial kernel on the same features, mean ± std over subsets. Near 0 when the distributions match; usable with a few hundred samples.',
    params: schedule(5000, 1000, 10),
  },
  {
    name: 'pr',
    doc: 'Precision and recall (Kynkäänniemi et al. 2019, k=3) and density and coverage (Naeem et al. 2020, k=5) of k-nearest-neighbour manifolds in feature space: precision/density measure fidelity, recall/coverage diversity (they fall under mode collapse).',
    params: schedule(5000, 2000, 10),
  },
  {
    name: 'nll',
    doc: 'Families with an exact likelihood (pixelcnn): the negative log-likelihood of held-out test images, quantized as the model quantizes its data (stochastic binarisation: one fixed draw), in nats per image (eval/nll) and bits per dimension (eval/bpd); with `condition`, the conditional NLL −log p(x | y) given each test image’s own label. Needs no generated images.',
    params: [
      { name: 'every', type: int(1), default: 1000, doc: 'Compute every N steps.' },
      { name: 'samples', type: int(10), default: 10000, doc: 'Held-out test images (MNIST has 10,000).' },
    ],
  },
];

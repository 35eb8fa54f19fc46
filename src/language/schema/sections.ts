// Sections every family shares (data, loss, optimizer, train, sample, evaluate) and the
// metrics `evaluate` accepts. A family's own sections (latent, condition, its networks) are
// declared in its module under src/language/families/.
import type { NetworkRole } from '../model';
import type { KindSpec, ParamSpec } from './values';
import { int, num, oneOf } from './values';

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
    doc: '`optimizer [ROLE] KIND [settings]`: ROLE (generator, discriminator, encoder, decoder) gives that network its own.',
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
    ],
  },
  {
    name: 'sample',
    kind: 'settings',
    doc: 'Sample grids written while training, from fixed noise.',
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

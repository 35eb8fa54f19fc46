// The training engines and what the PyTorch engine can train: the one table `gan export --to
// pytorch` and the torch trainer judge a model by. The engine now takes every family (its port
// table, src/training/torch/families, is held equal to this one by a test); a family added to the
// language without a port says why here, and the trainer refuses it with that reason and its line.
import type { ActivationName } from './layers';
import type { FamilyName, NetworkRole, ResolvedModel } from '../model';

export const ENGINES = ['auto', 'tfjs', 'torch'] as const;
export type EngineName = (typeof ENGINES)[number];

const ADVERSARIAL_LOSSES: ReadonlySet<string> = new Set([
  'nonsaturating',
  'minimax',
  'hinge',
  'lsgan',
  'wasserstein',
]);

/** What the PyTorch engine trains of a family: its networks (by role), losses and data sections;
 *  `exported` when `gan export --to pytorch` writes its training loop too. */
interface TorchFamilySupport {
  readonly roles: readonly NetworkRole[];
  readonly losses: ReadonlySet<string>;
  readonly dataSections: number;
  readonly exported: boolean;
}

/** The families whose training loop the PyTorch engine has; the others say why not. The torch
 *  trainer's port table (src/training/torch/families) has a module exactly for the supported ones. */
export const TORCH_FAMILIES: Readonly<Record<FamilyName, TorchFamilySupport | string>> = {
  gan: { roles: ['generator', 'discriminator'], losses: ADVERSARIAL_LOSSES, dataSections: 1, exported: true },
  cgan: {
    roles: ['generator', 'discriminator'],
    losses: ADVERSARIAL_LOSSES,
    dataSections: 1,
    exported: true,
  },
  vae: { roles: ['encoder', 'decoder'], losses: new Set(['elbo']), dataSections: 1, exported: true },
  cyclegan: {
    roles: ['generator', 'discriminator'],
    losses: new Set(['lsgan', 'nonsaturating']),
    dataSections: 2,
    exported: true,
  },
  srgan: {
    roles: ['generator', 'discriminator'],
    losses: new Set(['nonsaturating', 'lsgan']),
    dataSections: 1,
    exported: true,
  },
  pixelcnn: { roles: ['network'], losses: new Set(['nll']), dataSections: 1, exported: true },
  progan: {
    roles: ['generator', 'discriminator'],
    losses: ADVERSARIAL_LOSSES,
    dataSections: 1,
    exported: true,
  },
  stackgan: {
    roles: ['generator', 'discriminator', 'generator2', 'discriminator2'],
    losses: new Set(['nonsaturating']),
    dataSections: 1,
    exported: true,
  },
  video: {
    roles: ['trajectory', 'generator', 'discriminator', 'video_discriminator'],
    losses: new Set(['nonsaturating', 'minimax', 'hinge', 'lsgan']),
    dataSections: 1,
    exported: true,
  },
};

/** Layer words the PyTorch networks build; the rest (maskedconv, gated, gru, …) are refused by line. */
export const TORCH_LAYERS: ReadonlySet<string> = new Set([
  'dense',
  'conv',
  'deconv',
  'batchnorm',
  'instancenorm',
  'layernorm',
  'relu',
  'leakyrelu',
  'tanh',
  'sigmoid',
  'elu',
  'dropout',
  'flatten',
  'reshape',
  'upsample',
  'maxpool',
  'avgpool',
  'residual',
  'prelu',
  'pixelshuffle',
  'maskedconv',
  'gated',
  'gru',
  'lstm',
  'stage',
  'pixelnorm',
  'minibatchstd',
]);

export const TORCH_ACTIVATIONS: ReadonlySet<ActivationName> = new Set([
  'linear',
  'relu',
  'leakyrelu',
  'tanh',
  'sigmoid',
  'elu',
]);

export const TORCH_NORMS: ReadonlySet<string> = new Set(['none', 'batch', 'instance', 'layer']);

/** One thing the PyTorch engine cannot train yet: the layer's 0-based line when a layer is the cause. */
export interface TorchProblem {
  readonly line: number | null;
  readonly message: string;
}

type Layers = NonNullable<ResolvedModel['networks']['generator']>['layers'];

function layerProblems(layers: Layers, out: TorchProblem[]): void {
  for (const layer of layers) {
    const p = layer.params;
    const at = (why: string): void =>
      void out.push({ line: layer.line, message: `\`${layer.kind}\` ${why}` });
    if (!TORCH_LAYERS.has(layer.kind)) at('has no PyTorch version yet');
    else if (typeof p.activation === 'string' && !TORCH_ACTIVATIONS.has(p.activation as ActivationName))
      at(`with activation=${p.activation} has no PyTorch version yet`);
    else if (typeof p.norm === 'string' && !TORCH_NORMS.has(p.norm))
      at(`with norm=${p.norm} has no PyTorch version yet`);
    if (layer.body) layerProblems(layer.body, out);
  }
}

type EngineModel = Pick<ResolvedModel, 'family' | 'loss' | 'networks' | 'data' | 'textCondition'>;

function readyFamilies(which: (support: TorchFamilySupport) => boolean): string {
  const ready = (Object.keys(TORCH_FAMILIES) as FamilyName[]).filter((f) => {
    const support = TORCH_FAMILIES[f];
    return typeof support !== 'string' && which(support);
  });
  return `${ready.slice(0, -1).join(', ')} and ${ready[ready.length - 1]} are`;
}

/** Why the PyTorch engine cannot train this model yet; empty: it can. */
export function torchEngineProblems(model: EngineModel): TorchProblem[] {
  const out: TorchProblem[] = [];
  const support = TORCH_FAMILIES[model.family];
  if (typeof support === 'string') {
    out.push({
      line: null,
      message: `the ${model.family} family: ${support} (${readyFamilies(() => true)})`,
    });
    return out;
  }
  if (!support.losses.has(model.loss.kind))
    out.push({
      line: null,
      message: `loss ${model.loss.kind} is not ported yet (${[...support.losses].join(', ')} are)`,
    });
  if (model.textCondition)
    out.push({
      line: null,
      message:
        '`condition text` is not ported yet (class conditions are; the TensorFlow.js engine trains caption-conditioned cgans)',
    });
  if (model.data.length !== support.dataSections)
    out.push({
      line: null,
      message: `it takes ${support.dataSections === 1 ? 'one data source' : `${support.dataSections} data sources`}`,
    });
  for (const role of support.roles) {
    const network = model.networks[role];
    if (!network) out.push({ line: null, message: `the model has no ${role}` });
    else layerProblems(network.layers, out);
  }
  return out;
}

/** Why `gan export --to pytorch` cannot write this model's project yet; empty: it can. */
export function torchExportProblems(model: EngineModel): TorchProblem[] {
  const support = TORCH_FAMILIES[model.family];
  if (typeof support !== 'string' && !support.exported)
    return [
      {
        line: null,
        message: `the ${model.family} family's training script is not written yet (${readyFamilies((s) => s.exported)}); \`engine torch\` trains it in the editor and \`gan train\``,
      },
    ];
  return torchEngineProblems(model);
}

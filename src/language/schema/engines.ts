// The training engines and what the PyTorch engine can train: the one table the checker (E217),
// `gan export --to pytorch` and the torch trainer all judge a model by.
import type { ActivationName } from './layers';
import type { FamilyName, ResolvedModel } from '../model';

export const ENGINES = ['auto', 'tfjs', 'torch'] as const;
export type EngineName = (typeof ENGINES)[number];

/** The families whose training loop the PyTorch engine has; the others say why not. */
const TORCH_FAMILIES: Readonly<Record<FamilyName, true | string>> = {
  gan: true,
  cgan: true,
  vae: 'its ELBO loop is not ported yet',
  cyclegan: 'its two-generator cycle loop is not ported yet',
  srgan: 'its pretraining and content loss are not ported yet',
  pixelcnn: 'masked convolutions and its likelihood loop are not ported yet',
  progan: 'growing and fading stages are not ported yet',
  stackgan: 'the text encoder and two-stage loop are not ported yet',
  video: 'recurrent layers and the clip discriminators are not ported yet',
};

const TORCH_LOSSES: ReadonlySet<string> = new Set([
  'nonsaturating',
  'minimax',
  'hinge',
  'lsgan',
  'wasserstein',
]);

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
    else if (p.sn === true) at('with sn=true (spectral norm) has no PyTorch version yet');
    else if (typeof p.activation === 'string' && !TORCH_ACTIVATIONS.has(p.activation as ActivationName))
      at(`with activation=${p.activation} has no PyTorch version yet`);
    else if (typeof p.norm === 'string' && !TORCH_NORMS.has(p.norm))
      at(`with norm=${p.norm} has no PyTorch version yet`);
    if (layer.body) layerProblems(layer.body, out);
  }
}

/** Why the PyTorch engine (and `gan export --to pytorch`) cannot take this model yet; empty: it can. */
export function torchEngineProblems(
  model: Pick<ResolvedModel, 'family' | 'loss' | 'networks' | 'condition' | 'data'>,
): TorchProblem[] {
  const out: TorchProblem[] = [];
  const support = TORCH_FAMILIES[model.family];
  if (support !== true) {
    const ready = (Object.keys(TORCH_FAMILIES) as FamilyName[]).filter((f) => TORCH_FAMILIES[f] === true);
    out.push({ line: null, message: `the ${model.family} family: ${support} (${ready.join(' and ')} are)` });
    return out;
  }
  if (!TORCH_LOSSES.has(model.loss.kind))
    out.push({
      line: null,
      message: `loss ${model.loss.kind} is not ported yet (${[...TORCH_LOSSES].join(', ')} are)`,
    });
  if (model.data.length !== 1) out.push({ line: null, message: 'it takes one data source' });
  const condition = model.condition;
  if (condition && (condition.generator !== 'onehot' || condition.discriminator !== 'planes'))
    out.push({
      line: null,
      message: `condition generator=${condition.generator} discriminator=${condition.discriminator} is not ported yet (the default, generator=onehot discriminator=planes, is)`,
    });
  for (const role of ['generator', 'discriminator'] as const) {
    const network = model.networks[role];
    if (!network) out.push({ line: null, message: `the model has no ${role}` });
    else layerProblems(network.layers, out);
  }
  return out;
}

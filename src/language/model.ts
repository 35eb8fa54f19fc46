// The fully resolved model: what the checker produces and the trainer consumes with no further
// interpretation. `extends` is flattened, `repeat` expanded, arithmetic evaluated, defaults
// filled in and every shape inferred. Shapes exclude the batch dimension and are channels-last.

export type Shape = readonly number[];

/** Every family the product trains. Each layer registers each one in a table typed by FamilyName. */
export const FAMILY_NAMES = [
  'gan',
  'cgan',
  'vae',
  'cyclegan',
  'srgan',
  'pixelcnn',
  'progan',
  'stackgan',
  'video',
] as const;

export type FamilyName = (typeof FAMILY_NAMES)[number];

export function isFamilyName(value: unknown): value is FamilyName {
  return typeof value === 'string' && (FAMILY_NAMES as readonly string[]).includes(value);
}

/** A network's role inside its family. cyclegan builds each role twice (a->b and b->a); pixelcnn
 *  has one `network`, the autoregressive model itself; video adds the recurrent `trajectory` of
 *  motion codes and the `video_discriminator` that judges whole clips. */
export type NetworkRole =
  | 'generator'
  | 'discriminator'
  | 'encoder'
  | 'decoder'
  | 'network'
  // stackgan's stage II
  | 'generator2'
  | 'discriminator2'
  // video
  | 'trajectory'
  | 'video_discriminator';

export type ParamValue = number | string | boolean | readonly number[];

export interface SourceLocation {
  /** 0-based line of the statement that produced this item, in the original file. */
  readonly line: number;
}

export interface ResolvedLayer extends SourceLocation {
  /** A layer name from the schema: dense, conv, deconv, batchnorm, ..., residual. */
  readonly kind: string;
  /** Every parameter of the layer, defaults filled in (positional arguments under their names). */
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  /** Trainable parameter count of this layer (for residual: of its body). */
  readonly paramCount: number;
  /** `residual`: the layers whose output is added to the input; `stage`: its layers. */
  readonly body?: readonly ResolvedLayer[];
}

export interface ResolvedNetwork {
  readonly role: NetworkRole;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly layers: readonly ResolvedLayer[];
  readonly paramCount: number;
}

export type DataSourceName =
  'mnist' | 'fashion_mnist' | 'emoji' | 'folder' | 'shapes' | 'moving_mnist' | 'moving_shapes' | 'clips';

export interface ResolvedData extends SourceLocation {
  readonly source: DataSourceName;
  /** cyclegan only: which domain this source feeds. */
  readonly domain: 'a' | 'b' | null;
  /** H, W, C of one image after loading (resize and channel conversion applied). */
  readonly shape: readonly [number, number, number];
  /** Number of label classes the source provides, or null when it is unlabelled. */
  readonly classes: number | null;
  /** Pixel range after scaling: [-1, 1] or [0, 1]. */
  readonly scale: readonly [number, number];
  readonly batch: number;
  readonly split: 'train' | 'test';
  readonly limit: number | null;
  readonly shuffle: boolean;
  /** Source-specific settings: path (folder), style (emoji), kind (shapes), labels (folder). */
  readonly options: Readonly<Record<string, ParamValue>>;
}

export interface ResolvedLatent {
  readonly size: number;
  readonly dist: 'normal' | 'uniform';
}

/** How the generator sees the label: a one-hot vector or a learned embedding joined to z, or
 *  through its batch norms' per-class scale and shift (conditional batch norm; z alone is its input). */
export type GeneratorConditioning = 'onehot' | 'embed' | 'batchnorm';
/** How the discriminator sees the label: one-hot label planes joined to the image, a projection
 *  (Miyato & Koyama 2018) of its features onto a class embedding, or one learned label plane. */
export type DiscriminatorConditioning = 'planes' | 'projection' | 'embed';

export interface ResolvedCondition {
  readonly classes: number;
  readonly embed: number;
  readonly generator: GeneratorConditioning;
  readonly discriminator: DiscriminatorConditioning;
  /** The settings this family's `condition` reads (pixelcnn: classes alone; the others keep
   *  their defaults unread), for tables that list a run's settings. */
  readonly reads: readonly ConditionSetting[];
}

export type ConditionSetting = 'classes' | 'embed' | 'generator' | 'discriminator';

/** cgan's `condition text`: each image's caption conditions both networks. Each network learns its
 *  own text encoder (the average of its captions' word embeddings, size `embed`, over a vocabulary
 *  of the `vocab` most frequent training words); the generator joins the embedding to z, the
 *  discriminator sees it as `discriminator` says (planes: the embedding as constant planes). */
export interface ResolvedTextCondition {
  readonly embed: number;
  readonly vocab: number;
  readonly discriminator: DiscriminatorConditioning;
}

/** How an autoregressive model discretises pixels: `levels` values per channel, reached by
 *  rounding to the nearest level or by stochastic rounding (levels 2: Bernoulli(intensity)), and
 *  the distribution its network outputs for each pixel: a softmax over the levels per channel,
 *  or a discretised mixture of `mixtures` logistics (PixelCNN++; layout in
 *  families/pixelcnnOutput.ts). */
export interface ResolvedLevels {
  readonly levels: number;
  readonly quantize: 'nearest' | 'stochastic';
  readonly output: 'softmax' | 'logistic';
  readonly mixtures: number;
}

export interface ResolvedLoss {
  /** gan/cgan: minimax | nonsaturating | wasserstein | hinge | lsgan; vae: elbo; cyclegan: lsgan | nonsaturating. */
  readonly kind: string;
  /** Every setting of the loss with defaults: smoothing, gp, beta, reconstruction, cycle, identity, content, …. */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Adversarial losses: what the logged d_real / d_fake are, σ(D) or D's raw score; null otherwise. */
  readonly readout: 'probability' | 'score' | null;
}

export interface ResolvedOptimizer {
  readonly kind: 'adam' | 'rmsprop' | 'sgd';
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly momentum: number;
}

export type BackendName = 'auto' | 'gpu' | 'webgpu' | 'node' | 'wasm' | 'cpu';

export interface ResolvedTrain {
  /** Exactly one of epochs and steps is set. */
  readonly epochs: number | null;
  readonly steps: number | null;
  readonly dSteps: number;
  readonly seed: number;
  /** Checkpoint every N steps (always also at the end). */
  readonly checkpoint: number;
  /** Generator EMA decay, or null when off. */
  readonly ema: number | null;
  readonly backend: BackendName;
  /** Who trains it: `auto` defers to the editor's setting, then TensorFlow.js. */
  readonly engine: 'auto' | 'tfjs' | 'torch';
  /** CPU threads asked for (`train { threads N }`); null: the engine's default policy. */
  readonly threads: number | null;
}

export interface ResolvedSample {
  readonly every: number;
  /** rows x cols. */
  readonly grid: readonly [number, number];
  readonly seed: number;
}

/** Metrics of the `evaluate` section (class statistics, D accuracy and VAE measures come with each). */
export type EvalMetricName = 'fid' | 'kid' | 'pr' | 'nll';

export interface EvalSchedule {
  readonly every: number;
  readonly samples: number;
}

/** The metrics the model asks for, each with its schedule; absent ones are not computed. */
export type ResolvedEvaluate = Readonly<Partial<Record<EvalMetricName, EvalSchedule>>>;

export interface ResolvedModel {
  readonly name: string;
  readonly family: FamilyName;
  /** The comment block directly above the model, without `#`. */
  readonly doc: string;
  /** One source; cyclegan: two, domain a first. */
  readonly data: readonly ResolvedData[];
  readonly latent: ResolvedLatent | null;
  /** Class conditioning (cgan, a conditional pixelcnn); null otherwise. */
  readonly condition: ResolvedCondition | null;
  /** Caption conditioning (cgan's `condition text`); null otherwise. */
  readonly textCondition: ResolvedTextCondition | null;
  /** Samples are drawn for captions (stackgan, cgan's `condition text`): they take prompts. */
  readonly captioned: boolean;
  /** The family's own settings sections (srgan: upscale, pretrain) by section name, defaults filled
   *  in; an optional section the model leaves out is absent when it has a required value. */
  readonly settings: Readonly<Record<string, Readonly<Record<string, ParamValue>>>>;
  /** pixelcnn: the discrete values each pixel takes; null in other families. */
  readonly levels: ResolvedLevels | null;
  /** The family's networks by role (gan/cgan/cyclegan: generator + discriminator; vae: encoder + decoder). */
  readonly networks: Readonly<Partial<Record<NetworkRole, ResolvedNetwork>>>;
  readonly loss: ResolvedLoss;
  /** One optimizer per network role present in the family. */
  readonly optimizers: Readonly<Partial<Record<NetworkRole, ResolvedOptimizer>>>;
  readonly train: ResolvedTrain;
  readonly sample: ResolvedSample;
  readonly evaluate: ResolvedEvaluate;
  /** The model as trained, as standalone `.gan` source with `extends` flattened. */
  readonly source: string;
}

/** Reads a numeric parameter; the schema guarantees presence after resolution. */
export function numParam(
  layer: { readonly params: Readonly<Record<string, ParamValue>> },
  name: string,
): number {
  const v = layer.params[name];
  if (typeof v !== 'number') throw new Error(`parameter ${name} is not a number`);
  return v;
}

export function strParam(
  layer: { readonly params: Readonly<Record<string, ParamValue>> },
  name: string,
): string {
  const v = layer.params[name];
  if (typeof v !== 'string') throw new Error(`parameter ${name} is not a name`);
  return v;
}

export function boolParam(
  layer: { readonly params: Readonly<Record<string, ParamValue>> },
  name: string,
): boolean {
  const v = layer.params[name];
  if (typeof v !== 'boolean') throw new Error(`parameter ${name} is not a boolean`);
  return v;
}

// progan (Karras et al. 2018): each `stage` block is its own small model; the networks that train
// at a resolution are composed from them (the generator's stages up to it and its to-RGB, the
// discriminator's from-RGB and stages down from it), sharing weights. While a new stage fades in,
// its output is blended with the upsampled output of the stages before (FadeIn, α a weight), and
// real images with their upsampled half-resolution version by the same α. The full networks, with
// every stage and the α of each, are what checkpoints hold, what samples and evaluations run
// (lower resolutions enlarged to the data size), and the stage and α follow from the step alone,
// so a resumed run continues exactly, mid-fade too.
import * as tf from '@tensorflow/tfjs';
import type { ResolvedLayer, ResolvedModel, ResolvedOptimizer } from '../../../language/model';
import { fromRgbOf, stagesOf, stageSize } from '../../../language/families/progan';
import {
  growthAt,
  growthSchedule,
  stageStart,
  type GrowthSchedule,
  type GrowthState,
} from '../../../language/families/proganSchedule';
import type { DataBatch, DataSource, StepMetrics } from '../../contract';
import type { SampleRequest } from '../../../protocol/sample';
import { mixSeeds } from '../../seeds';
import { hashName, NetworkBuilder } from '../compile';
import { FadeIn } from '../custom/progan';
import type { SeededDropout } from '../custom/seededDropout';
import { WeightAverage } from '../ema';
import { gradientPenalty } from '../gradientPenalty';
import { adversarialLoss, type AdversarialLoss } from '../losses';
import { latentTensor } from '../noise';
import { createOptimizer } from '../optimizers';
import type { ImageGrid } from '../png';
import { CounterRng } from '../rng';
import { ADVERSARIAL_ADVICE, ADVERSARIAL_METRICS } from './adversarial';
import {
  feedDropouts,
  imageTensor,
  numberParam,
  readScalars,
  recordGradNorm,
  type Family,
  type FamilyDeps,
  type TrainingFamily,
} from './family';
import { renderLatentGrid, requireNetwork } from './gan';

type Sym = tf.SymbolicTensor;

/** The leaky ReLU slope after each from-RGB layer (as in the paper). */
const FROM_RGB_SLOPE = 0.2;

function subModel(builder: NetworkBuilder, input: readonly number[], body: (x: Sym) => Sym, name: string) {
  const x = builder.input(input);
  return tf.model({ inputs: x, outputs: body(x), name: builder.name(name) });
}

function rgbConv(builder: NetworkBuilder, filters: number, name: string): tf.layers.Layer {
  return tf.layers.conv2d({
    filters,
    kernelSize: 1,
    kernelInitializer: tf.initializers.glorotUniform({ seed: builder.nextSeed() }),
    name: builder.name(name),
  });
}

/** One network's stages, RGB layers and fade-ins, and the networks composed from them. */
interface Progressive {
  /** Every stage, every fade-in: the network checkpoints, samples and evaluations use. */
  readonly full: tf.LayersModel;
  /** The network that trains at stage K (fading: with the fade-in of stage K). */
  at(stage: number, fading: boolean): tf.LayersModel;
  readonly fades: readonly FadeIn[];
  readonly dropouts: readonly SeededDropout[];
}

/** The full network and, built on first use, the one each stage trains: `compose(top, fadeFrom)`
 *  stacks stages 0…top with the fade-ins of stages fadeFrom…top. */
function progressive(
  compose: (top: number, fadeFrom: number) => tf.LayersModel,
  stageCount: number,
  fades: readonly FadeIn[],
  dropouts: readonly SeededDropout[],
): Progressive {
  const cache = new Map<string, tf.LayersModel>();
  return {
    full: compose(stageCount - 1, 1),
    fades,
    dropouts,
    at(stage, fading) {
      const key = `${stage}:${fading}`;
      let model = cache.get(key);
      if (!model) {
        model = compose(stage, fading && stage > 0 ? stage : stage + 1);
        cache.set(key, model);
      }
      return model;
    },
  };
}

function buildGenerator(
  stages: readonly ResolvedLayer[],
  latent: number,
  channels: number,
  name: string,
  seed: number,
): Progressive {
  const builder = new NetworkBuilder(name, mixSeeds(seed, hashName(name)));
  const blocks = stages.map((stage, k) =>
    subModel(builder, stage.inputShape, (x) => builder.buildStack(stage.body ?? [], x), `stage${k}`),
  );
  const toRgb = stages.map((stage, k) =>
    subModel(
      builder,
      stage.outputShape,
      (x) => rgbConv(builder, channels, 'torgb').apply(x) as Sym,
      `rgb${k}`,
    ),
  );
  const fades = stages.map((_, k) => new FadeIn({ name: builder.name(`fade${k}`) }));
  const up = (x: Sym): Sym => tf.layers.upSampling2d({ size: [2, 2] }).apply(x) as Sym;
  const apply = (m: tf.LayersModel, x: Sym): Sym => m.apply(x) as Sym;
  /** Stages up to `top`, fading in `from` and above (the full network fades every stage). */
  const compose = (top: number, fadeFrom: number): tf.LayersModel => {
    const z = builder.input([latent]);
    let h = apply(blocks[0], z);
    let image = apply(toRgb[0], h);
    for (let k = 1; k <= top; k++) {
      const before = h;
      h = apply(blocks[k], h);
      if (k < fadeFrom) continue;
      const old = up(k === fadeFrom ? apply(toRgb[k - 1], before) : image);
      image = fades[k].apply([old, apply(toRgb[k], h)]) as Sym;
    }
    if (fadeFrom > top) image = apply(toRgb[top], h);
    return tf.model({ inputs: z, outputs: image, name: builder.name(`level${top}`) });
  };
  return progressive(compose, stages.length, fades, builder.dropouts);
}

/** The discriminator's stages in generator order (index k works at the generator's stage-k size). */
function buildDiscriminator(
  listed: readonly ResolvedLayer[],
  channels: number,
  name: string,
  seed: number,
): Progressive {
  const builder = new NetworkBuilder(name, mixSeeds(seed, hashName(name)));
  const stages = [...listed].reverse();
  const blocks = stages.map((stage, k) =>
    subModel(builder, stage.inputShape, (x) => builder.buildStack(stage.body ?? [], x), `stage${k}`),
  );
  const fromRgb = stages.map((stage, k) => {
    const [h, w] = stageSize(stage);
    return subModel(
      builder,
      [h, w, channels],
      (x) =>
        tf.layers
          .leakyReLU({ alpha: FROM_RGB_SLOPE })
          .apply(rgbConv(builder, stage.inputShape[2], 'fromrgb').apply(x)) as Sym,
      `rgb${k}`,
    );
  });
  const fades = stages.map((_, k) => new FadeIn({ name: builder.name(`fade${k}`) }));
  const half = (x: Sym): Sym => tf.layers.averagePooling2d({ poolSize: 2, strides: 2 }).apply(x) as Sym;
  const apply = (m: tf.LayersModel, x: Sym): Sym => m.apply(x) as Sym;
  const compose = (top: number, fadeFrom: number): tf.LayersModel => {
    const [h, w] = stageSize(stages[top]);
    const x = builder.input([h, w, channels]);
    let image = x;
    let features = apply(fromRgb[top], x);
    for (let k = top; k >= 1; k--) {
      const out = apply(blocks[k], features);
      image = half(image);
      features = k >= fadeFrom ? (fades[k].apply([apply(fromRgb[k - 1], image), out]) as Sym) : out;
    }
    return tf.model({ inputs: x, outputs: apply(blocks[0], features), name: builder.name(`level${top}`) });
  };
  return progressive(compose, stages.length, fades, builder.dropouts);
}

/** Each fade-in's α at a growth state: stages before the newest 1, the newest α, later ones 0. */
function setAlphas(fades: readonly FadeIn[], state: GrowthState): void {
  // Stage 0 has no fade-in (its entry is never built).
  for (let k = 1; k < fades.length; k++)
    fades[k].setAlpha(k < state.stage ? 1 : k === state.stage ? state.alpha : 0);
}

/** Kernels of the layers equalised learning rate covers, with He's constant √(2 / fan-in). */
interface ScaledKernel {
  readonly variable: tf.Variable;
  readonly he: number;
}

const KERNEL_LAYERS = new Set(['Dense', 'Conv2D', 'Conv2DTranspose']);

function allLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.flatMap((l) => (l instanceof tf.LayersModel ? allLayers(l) : [l]));
}

function scaledKernels(model: tf.LayersModel): ScaledKernel[] {
  const out: ScaledKernel[] = [];
  for (const layer of allLayers(model)) {
    const kind = layer.getClassName();
    if (!KERNEL_LAYERS.has(kind)) continue;
    const kernel = layer.trainableWeights[0];
    const s = kernel.shape as number[];
    // Conv2DTranspose kernels are [k, k, out, in].
    const fanIn = kind === 'Conv2DTranspose' ? s[0] * s[1] * s[3] : s.slice(0, -1).reduce((a, b) => a * b, 1);
    out.push({ variable: kernel.read() as tf.Variable, he: Math.sqrt(2 / fanIn) });
  }
  return out;
}

/** He-normal kernels, N(0, 2 / fan-in): the equalised network's N(0, 1) weights times the constant. */
function heInitialise(kernels: readonly ScaledKernel[], seed: number): void {
  kernels.forEach(({ variable, he }, i) =>
    tf.tidy(() =>
      variable.assign(tf.randomNormal(variable.shape, 0, he, 'float32', mixSeeds(seed, i) % 2147483647)),
    ),
  );
}

/** How an optimizer's step on w relates to its step on the equalised weight w / c: scale-free
 *  optimizers (Adam, RMSprop) move w by c times as much, SGD by c². */
function updateScale(spec: ResolvedOptimizer, he: number): number {
  return spec.kind === 'sgd' ? he * he : he;
}

interface Trainable {
  readonly spec: ResolvedOptimizer;
  optimizer: tf.Optimizer;
  /** Every trainable variable of the full network, in a fixed order: the optimizer's slots follow it. */
  readonly variables: tf.Variable[];
  /** Kernel variable → the factor its updates are scaled by (equalised learning rate), by name. */
  readonly scales: ReadonlyMap<string, number>;
}

function trainable(
  full: tf.LayersModel,
  spec: ResolvedOptimizer,
  equalized: boolean,
  seed: number,
): Trainable {
  const kernels = scaledKernels(full);
  if (equalized) heInitialise(kernels, seed);
  return {
    spec,
    optimizer: createOptimizer(spec),
    variables: full.trainableWeights.map((w) => w.read() as tf.Variable),
    scales: new Map(equalized ? kernels.map((k) => [k.variable.name, updateScale(spec, k.he)]) : []),
  };
}

/**
 * One update of the variables `active` reaches. Gradients of the others are zeros, so every
 * update names every variable in the same order (tfjs keeps optimizer slots by position), and an
 * untouched stage's weights do not move. Equalised kernels move by their scale times the step.
 */
function update(part: Trainable, active: tf.LayersModel, loss: () => tf.Scalar): tf.Scalar {
  const reached = new Set(active.trainableWeights.map((w) => (w.read() as tf.Variable).name));
  const { value, grads } = tf.variableGrads(
    loss,
    part.variables.filter((v) => reached.has(v.name)),
  );
  const all: tf.NamedTensorMap = {};
  for (const v of part.variables) all[v.name] = grads[v.name] ?? tf.zerosLike(v);
  recordGradNorm(part.optimizer, grads);
  const before = new Map<string, tf.Tensor>();
  for (const [name] of part.scales) {
    const v = part.variables.find((x) => x.name === name);
    if (v && reached.has(name)) before.set(name, v.clone());
  }
  part.optimizer.applyGradients(all);
  for (const v of part.variables) {
    const old = before.get(v.name);
    const scale = part.scales.get(v.name);
    if (!old || scale === undefined) continue;
    tf.tidy(() => v.assign(old.add(v.sub(old).mul(scale))));
  }
  tf.dispose([...Object.values(all), ...before.values()]);
  return value;
}

/** Real images at a stage's size; while it fades in, blended with their half-resolution version. */
export function realImagesAt(
  images: tf.Tensor4D,
  [h, w]: readonly [number, number],
  state: GrowthState,
): tf.Tensor4D {
  return tf.tidy(() => {
    const factor = images.shape[1] / h;
    const small = factor > 1 ? tf.avgPool(images, factor, factor, 'valid') : images;
    if (!state.fading || h < 2 || w < 2) return small;
    const coarse = tf.image.resizeNearestNeighbor(tf.avgPool(small, 2, 2, 'valid'), [h, w]);
    return coarse.add(small.sub(coarse).mul(state.alpha));
  });
}

export function growthScheduleOf(model: ResolvedModel): GrowthSchedule {
  const g = model.networks.generator;
  const stages = g ? stagesOf(g.layers) : null;
  if (!stages) throw new Error(`model ${model.name} has no generator stages`);
  return growthSchedule(model.settings.grow ?? {}, stages.length, model.data[0].batch);
}

export class ProganFamily implements Family {
  readonly networks: Readonly<Record<string, tf.LayersModel>>;
  readonly imagesPerStep: number;
  readonly batchesPerStep: number;
  private readonly model: ResolvedModel;
  private readonly source: DataSource;
  private readonly rng: CounterRng;
  private readonly g: Progressive;
  private readonly d: Progressive;
  private readonly gTrain: Trainable;
  private readonly dTrain: Trainable;
  private readonly ema: WeightAverage | null;
  private readonly average: Progressive | null;
  private readonly schedule: GrowthSchedule;
  private readonly loss: AdversarialLoss;
  private readonly gpWeight: number;
  private readonly drift: number;
  private readonly resetOptimizer: boolean;
  /** Each generator stage's height and width. */
  private readonly sizes: readonly (readonly [number, number])[];

  constructor(deps: FamilyDeps) {
    const model = deps.model;
    this.model = model;
    this.source = deps.sources[0];
    this.rng = deps.rng;
    const seed = model.train.seed;
    const latent = model.latent?.size;
    if (latent === undefined) throw new Error('progan needs a latent section');
    const gStages = stagesOf(requireNetwork(deps, 'generator').layers);
    const dStages = stagesOf(requireNetwork(deps, 'discriminator').layers);
    if (!gStages || !dStages) throw new Error('progan networks must be made of stages');
    const channels = model.data[0].shape[2];
    this.sizes = gStages.map(stageSize);
    this.g = buildGenerator(gStages, latent, channels, 'generator', seed);
    this.d = buildDiscriminator(dStages, channels, 'discriminator', seed);
    this.average =
      model.train.ema === null ? null : buildGenerator(gStages, latent, channels, 'generator_ema', seed);
    const grow = model.settings.grow ?? {};
    const equalized = grow.equalized_lr !== false;
    this.resetOptimizer = grow.reset_optimizer !== false;
    if (fromRgbOf(grow) === null) throw new Error('progan needs its grow settings');
    const gSpec = model.optimizers.generator ?? model.optimizers.discriminator;
    const dSpec = model.optimizers.discriminator ?? gSpec;
    if (!gSpec || !dSpec) throw new Error('the model has no optimizer');
    this.gTrain = trainable(this.g.full, gSpec, equalized, mixSeeds(seed, hashName('generator/he')));
    this.dTrain = trainable(this.d.full, dSpec, equalized, mixSeeds(seed, hashName('discriminator/he')));
    this.ema =
      this.average && model.train.ema !== null
        ? new WeightAverage(this.g.full, this.average.full, model.train.ema)
        : null;
    feedDropouts([...this.g.dropouts, ...this.d.dropouts], this.rng);
    this.networks = {
      generator: this.g.full,
      discriminator: this.d.full,
      ...(this.average ? { generator_ema: this.average.full } : {}),
    };
    this.schedule = growthScheduleOf(model);
    const params = model.loss.params;
    this.loss = adversarialLoss(model.loss.kind, 1);
    this.gpWeight = model.loss.kind === 'wasserstein' ? numberParam(params, 'gp', 0) : 0;
    this.drift = model.loss.kind === 'wasserstein' ? numberParam(params, 'drift', 0) : 0;
    this.batchesPerStep = model.train.dSteps;
    this.imagesPerStep = model.data[0].batch * this.batchesPerStep;
    this.setGrowth(growthAt(this.schedule, 0));
  }

  get optimizers(): Readonly<Record<string, tf.Optimizer>> {
    return { generator: this.gTrain.optimizer, discriminator: this.dTrain.optimizer };
  }

  private setGrowth(state: GrowthState): void {
    setAlphas(this.g.fades, state);
    setAlphas(this.d.fades, state);
    if (this.average) setAlphas(this.average.fades, state);
  }

  /** Shows the networks as they were during step `step` (each fade-in's α): for whatever reads the
   *  full networks after steps trained elsewhere (the torch engine). */
  showGrowthAt(step: number): void {
    this.setGrowth(growthAt(this.schedule, step));
  }

  async trainStep(step: number): Promise<StepMetrics> {
    const state = growthAt(this.schedule, step);
    if (this.resetOptimizer && state.stage > 0 && step === stageStart(this.schedule, state.stage))
      for (const part of [this.gTrain, this.dTrain]) {
        part.optimizer.dispose();
        part.optimizer = createOptimizer(part.spec);
      }
    this.setGrowth(state);
    const generator = this.g.at(state.stage, state.fading);
    const critic = this.d.at(state.stage, state.fading);
    const latent = this.model.latent;
    if (!latent) throw new Error('progan needs a latent section');
    const batches: DataBatch[] = [];
    for (let k = 0; k < this.batchesPerStep; k++) batches.push(await this.source.next());
    const scalars = tf.tidy(() => {
      const kept: { real?: tf.Scalar; fake?: tf.Scalar; loss?: tf.Scalar } = {};
      for (const batch of batches) {
        const real = realImagesAt(imageTensor(batch, this.source.shape), this.sizes[state.stage], state);
        const fake = generator.apply(latentTensor(this.rng, batch.count, latent), {
          training: true,
        }) as tf.Tensor;
        const penalty =
          this.gpWeight > 0
            ? gradientPenalty(
                (x) => critic.apply(x, { training: false }) as tf.Tensor,
                real,
                fake,
                this.gpWeight,
                this.rng,
              )
            : null;
        tf.dispose([kept.real, kept.fake, kept.loss]);
        const total = update(this.dTrain, critic, () => {
          const realOut = critic.apply(real, { training: true }) as tf.Tensor;
          const fakeOut = critic.apply(fake, { training: true }) as tf.Tensor;
          kept.real = tf.keep(this.loss.readout(realOut));
          kept.fake = tf.keep(this.loss.readout(fakeOut));
          let loss = this.loss.discriminator(realOut, fakeOut);
          if (this.drift > 0) loss = loss.add(realOut.square().mean().mul(this.drift));
          kept.loss = tf.keep(penalty ? loss.add(penalty.value) : loss.clone());
          return penalty ? loss.add(penalty.surrogate()) : loss;
        });
        total.dispose();
      }
      const z = latentTensor(this.rng, batches[batches.length - 1].count, latent);
      const gLoss = update(this.gTrain, generator, () =>
        this.loss.generator(
          critic.apply(generator.apply(z, { training: true }), { training: true }) as tf.Tensor,
        ),
      );
      if (!kept.real || !kept.fake || !kept.loss) throw new Error('progan critic loss was not evaluated');
      return {
        d_loss: kept.loss,
        g_loss: gLoss,
        d_real: kept.real,
        d_fake: kept.fake,
        resolution: tf.scalar(this.resolution(state)),
        alpha: tf.scalar(state.alpha),
      };
    });
    this.ema?.update();
    return readScalars(scalars);
  }

  private resolution(state: GrowthState): number {
    return this.sizes[state.stage][0];
  }

  private get sampler(): tf.LayersModel {
    return this.ema?.average ?? this.g.full;
  }

  render(request: SampleRequest): Promise<ImageGrid> {
    return renderLatentGrid(
      this.model,
      request,
      (z) => this.sampler.apply(z, { training: false }) as tf.Tensor,
    );
  }

  dispose(): void {
    this.gTrain.optimizer.dispose();
    this.dTrain.optimizer.dispose();
    for (const m of Object.values(this.networks)) m.dispose();
  }
}

export const proganTraining: TrainingFamily = {
  create: (deps) => new ProganFamily(deps),
  metrics: [...ADVERSARIAL_METRICS, 'resolution', 'alpha'],
  sampleModes: ['grid', 'interpolate'],
  divergenceAdvice: `${ADVERSARIAL_ADVICE}, or a longer fade (grow fade=…)`,
};

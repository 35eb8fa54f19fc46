// cgan: the label joins z at the generator's input (one-hot, or a learned embedding) or conditions
// every batch norm of the generator (conditional batch norm, z alone at the input); the
// discriminator sees it as one-hot planes joined to the image, as a projection of its features
// onto a class embedding, or as one learned plane (`condition generator=… discriminator=…`).
import * as tf from '@tensorflow/tfjs';
import type { ResolvedCondition, ResolvedNetwork, ResolvedTextCondition } from '../../../language/model';
import type { DataBatch, StepMetrics } from '../../contract';
import { rowClasses, type SampleRequest } from '../../../protocol/sample';
import { ClassEmbedding } from '../custom/classEmbedding';
import { ConditionalBatchNorm } from '../custom/conditionalBatchNorm';
import { LabelPlanes, OneHotLabel } from '../custom/labelEncoding';
import { NetworkBuilder, hashName, type CompiledNetwork } from '../compile';
import { interpolationGrid, latentValues } from '../noise';
import type { ImageGrid } from '../png';
import { mixSeeds } from '../../seeds';
import { CounterRng } from '../rng';
import { concat, projectedLogit } from './cganLayers';
import { ADVERSARIAL_ADVICE, ADVERSARIAL_METRICS, AdversarialLoop } from './adversarial';
import {
  gridOf,
  labelTensor,
  predictValues,
  type Family,
  type FamilyDeps,
  type TrainingFamily,
} from './family';
import { CaptionVocabulary } from '../text';
import { compileTextDiscriminator, compileTextGenerator } from './cganText';
import { requireNetwork } from './gan';

type Sym = tf.SymbolicTensor;

function embedLabel(builder: NetworkBuilder, label: Sym, condition: ResolvedCondition): Sym {
  const embedding = new ClassEmbedding({
    classes: condition.classes,
    size: condition.embed,
    seed: builder.nextSeed(),
    name: builder.name('embedding'),
  });
  return embedding.apply(label) as Sym;
}

/** What joins z: the one-hot label (the default) or its learned embedding. */
function generatorLabel(builder: NetworkBuilder, label: Sym, condition: ResolvedCondition): Sym {
  if (condition.generator === 'embed') return embedLabel(builder, label, condition);
  return new OneHotLabel({ classes: condition.classes, name: builder.name('onehot') }).apply(label) as Sym;
}

/** Builds every batch norm of the network as a ConditionalBatchNorm on the label (`generator=batchnorm`). */
class ConditionalNormBuilder extends NetworkBuilder {
  label: Sym | null = null;
  conditioned = 0;

  constructor(
    prefix: string,
    seed: number,
    private readonly classes: number,
  ) {
    super(prefix, seed);
  }

  batchNorm(x: Sym, momentum: number, epsilon: number): Sym {
    if (!this.label) throw new Error('conditional batch norm before the label input');
    this.conditioned++;
    const layer = new ConditionalBatchNorm({
      classes: this.classes,
      momentum,
      epsilon,
      name: this.name('cbn'),
    });
    return layer.apply([x, this.label]) as Sym;
  }
}

export function compileConditionalGenerator(
  network: ResolvedNetwork,
  condition: ResolvedCondition,
  latentSize: number,
  name: string,
  seed: number,
): CompiledNetwork {
  const builderSeed = mixSeeds(seed, hashName(name));
  const norms =
    condition.generator === 'batchnorm'
      ? new ConditionalNormBuilder(name, builderSeed, condition.classes)
      : null;
  const builder = norms ?? new NetworkBuilder(name, builderSeed);
  const z = builder.input([latentSize]);
  const label = builder.input([1], 'int32');
  let output: Sym;
  if (norms) {
    norms.label = label;
    output = norms.buildStack(network.layers, z);
    if (norms.conditioned === 0)
      throw new Error('generator=batchnorm needs a generator with batchnorm: nothing would see the label');
  } else {
    output = builder.buildStack(
      network.layers,
      concat(builder, [z, generatorLabel(builder, label, condition)]),
    );
  }
  return builder.compiled([z, label], output, name);
}

/** The planes joined to the image: one per class (`planes`) or one learned from the embedding (`embed`). */
function labelPlanes(
  builder: NetworkBuilder,
  label: Sym,
  condition: ResolvedCondition,
  [h, w]: readonly [number, number, number],
): Sym {
  if (condition.discriminator === 'planes')
    return new LabelPlanes({
      classes: condition.classes,
      height: h,
      width: w,
      name: builder.name('planes'),
    }).apply(label) as Sym;
  const dense = tf.layers.dense({
    units: h * w,
    kernelInitializer: tf.initializers.glorotUniform({ seed: builder.nextSeed() }),
    name: builder.name('label_dense'),
  });
  return tf.layers
    .reshape({ targetShape: [h, w, 1], name: builder.name('label_plane') })
    .apply(dense.apply(embedLabel(builder, label, condition))) as Sym;
}

export function compileConditionalDiscriminator(
  network: ResolvedNetwork,
  condition: ResolvedCondition,
  imageShape: readonly [number, number, number],
  name: string,
  seed: number,
): CompiledNetwork {
  const builder = new NetworkBuilder(name, mixSeeds(seed, hashName(name)));
  const image = builder.input(imageShape);
  const label = builder.input([1], 'int32');
  const output =
    condition.discriminator === 'projection'
      ? projectedLogit(
          builder,
          network,
          image,
          (width) =>
            new ClassEmbedding({
              classes: condition.classes,
              size: width,
              seed: builder.nextSeed(),
              stddev: Math.sqrt(2 / (condition.classes + width)),
              name: builder.name('projection'),
            }).apply(label) as Sym,
        )
      : builder.buildStack(
          network.layers,
          concat(builder, [image, labelPlanes(builder, label, condition, imageShape)]),
        );
  return builder.compiled([image, label], output, name);
}

/** The networks' pair for the model's condition: by class label, or by caption (`condition text`). */
interface Conditioned {
  readonly generator: (name: string) => CompiledNetwork;
  readonly discriminator: CompiledNetwork;
  /** Each row's second input for a batch (labels [n, 1] or bags of words). */
  readonly input: (batch: DataBatch) => tf.Tensor;
  /** The vocabulary, for caption conditions (null: class labels). */
  readonly vocabulary: CaptionVocabulary | null;
}

type Compile<C, Input> = (
  network: ResolvedNetwork,
  condition: C,
  input: Input,
  name: string,
  seed: number,
) => CompiledNetwork;

/** The generator (by name: the weight average is a second one) and discriminator for a condition. */
function conditionedPair<C>(
  deps: FamilyDeps,
  condition: C,
  latent: number,
  compile: { generator: Compile<C, number>; discriminator: Compile<C, readonly [number, number, number]> },
): Pick<Conditioned, 'generator' | 'discriminator'> {
  const seed = deps.model.train.seed;
  const g = requireNetwork(deps, 'generator');
  const d = requireNetwork(deps, 'discriminator');
  return {
    generator: (name) => compile.generator(g, condition, latent, name, seed),
    discriminator: compile.discriminator(d, condition, deps.model.data[0].shape, 'discriminator', seed),
  };
}

function classConditioned(deps: FamilyDeps, condition: ResolvedCondition, latent: number): Conditioned {
  return {
    ...conditionedPair(deps, condition, latent, {
      generator: compileConditionalGenerator,
      discriminator: compileConditionalDiscriminator,
    }),
    input: (batch) => labelTensor(batch).reshape([-1, 1]),
    vocabulary: null,
  };
}

function textConditioned(deps: FamilyDeps, condition: ResolvedTextCondition, latent: number): Conditioned {
  const vocabulary = new CaptionVocabulary(deps.sources[0], condition.vocab, 'a cgan with `condition text`');
  return {
    ...conditionedPair(deps, condition, latent, {
      generator: compileTextGenerator,
      discriminator: compileTextDiscriminator,
    }),
    input: (batch) => {
      if (!batch.captions) throw new Error('the data gave images without captions');
      return vocabulary.get().bags(batch.captions);
    },
    vocabulary,
  };
}

export class CganFamily implements Family {
  readonly networks: Readonly<Record<string, tf.LayersModel>>;
  readonly optimizers: Readonly<Record<string, tf.Optimizer>>;
  readonly imagesPerStep: number;
  readonly batchesPerStep: number;
  /** Caption conditions: the vocabulary travels with each checkpoint. */
  readonly state?: CaptionVocabulary['state'];
  private readonly loop: AdversarialLoop;
  private readonly conditioned: Conditioned;

  constructor(private readonly deps: FamilyDeps) {
    const model = deps.model;
    if (!model.latent || !(model.condition || model.textCondition))
      throw new Error('cgan needs latent and condition sections');
    const latent = model.latent.size;
    this.conditioned = model.textCondition
      ? textConditioned(deps, model.textCondition, latent)
      : classConditioned(deps, model.condition as ResolvedCondition, latent);
    const { conditioned } = this;
    const generator = conditioned.generator('generator');
    const discriminator = conditioned.discriminator;
    const average = model.train.ema !== null ? conditioned.generator('generator_ema') : null;
    this.loop = new AdversarialLoop(deps, {
      generator: generator.model,
      discriminator: discriminator.model,
      average: average?.model ?? null,
      dropouts: [...generator.dropouts, ...discriminator.dropouts],
      condition: conditioned.input,
    });
    this.networks = {
      generator: generator.model,
      discriminator: discriminator.model,
      ...(average ? { generator_ema: average.model } : {}),
    };
    this.optimizers = {
      generator: this.loop.generatorOptimizer,
      discriminator: this.loop.discriminatorOptimizer,
    };
    this.batchesPerStep = model.train.dSteps;
    this.imagesPerStep = model.data[0].batch * this.batchesPerStep;
    const { vocabulary } = conditioned;
    if (vocabulary) {
      vocabulary.serve(...Object.values(this.networks));
      this.state = vocabulary.state;
    }
  }

  trainStep(): Promise<StepMetrics> {
    return this.loop.trainStep();
  }

  /** Each row's condition: its class, or its caption (the request's prompts, else held-out captions). */
  private async rowInputs(request: SampleRequest, rows: number, cols: number): Promise<tf.Tensor> {
    const { vocabulary } = this.conditioned;
    const { condition } = this.deps.model;
    if (vocabulary) {
      const captions = request.text?.length
        ? request.text
        : ((await this.deps.sources[0].heldOut(rows)).captions ?? []);
      if (captions.length < rows) throw new Error('the held-out images have no captions');
      return vocabulary
        .get()
        .bags(Array.from({ length: rows * cols }, (_, i) => captions[Math.floor(i / cols)]));
    }
    if (!condition) throw new Error('cgan needs a condition section');
    const perRow = rowClasses(request, rows, condition.classes);
    const labels = new Int32Array(rows * cols).map((_, i) => perRow[Math.floor(i / cols)]);
    return tf.tensor2d(labels, [rows * cols, 1], 'int32');
  }

  async render(request: SampleRequest): Promise<ImageGrid> {
    const model = this.deps.model;
    const latent = model.latent;
    if (!latent) throw new Error('cgan needs a latent section');
    const [askedRows, cols] = gridOf(request, model);
    const rows = request.text?.length ? request.text.length : askedRows;
    const seed = request.seed ?? model.sample.seed;
    const z =
      request.mode === 'interpolate'
        ? interpolationGrid(latent, rows, cols, seed, request.seed2 ?? seed + 1)
        : latentValues(new CounterRng(seed), rows * cols, latent);
    const inputs = await this.rowInputs(request, rows, cols);
    const pixels = await predictValues(
      (start, count) =>
        this.loop.generate(
          this.loop.sampler,
          tf.tensor2d(z.subarray(start * latent.size, (start + count) * latent.size), [count, latent.size]),
          inputs.slice([start, 0], [count, -1]),
          false,
        ),
      rows * cols,
    );
    inputs.dispose();
    const data = model.data[0];
    return { rows, cols, pixels, shape: data.shape, scale: data.scale };
  }

  dispose(): void {
    this.loop.dispose();
    for (const m of Object.values(this.networks)) m.dispose();
  }
}

export const cganTraining: TrainingFamily = {
  create: (deps) => new CganFamily(deps),
  metrics: ADVERSARIAL_METRICS,
  sampleModes: ['grid', 'interpolate'],
  divergenceAdvice: ADVERSARIAL_ADVICE,
};

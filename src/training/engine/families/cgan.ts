// cgan: the label joins z at the generator's input (one-hot, or a learned embedding) or conditions
// every batch norm of the generator (conditional batch norm, z alone at the input); the
// discriminator sees it as one-hot planes joined to the image, as a projection of its features
// onto a class embedding, or as one learned plane (`condition generator=… discriminator=…`).
import * as tf from '@tensorflow/tfjs';
import type { ResolvedCondition, ResolvedNetwork } from '../../../language/model';
import type { StepMetrics } from '../../contract';
import { rowClasses, type SampleRequest } from '../../../protocol/sample';
import { ClassEmbedding } from '../custom/classEmbedding';
import { ConditionalBatchNorm } from '../custom/conditionalBatchNorm';
import { LabelPlanes, OneHotLabel } from '../custom/labelEncoding';
import { NetworkBuilder, hashName, type CompiledNetwork } from '../compile';
import { interpolationGrid, latentValues } from '../noise';
import type { ImageGrid } from '../png';
import { mixSeeds } from '../../seeds';
import { CounterRng } from '../rng';
import { ADVERSARIAL_ADVICE, ADVERSARIAL_METRICS, AdversarialLoop } from './adversarial';
import { gridOf, predictValues, type Family, type FamilyDeps, type TrainingFamily } from './family';
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

function concat(builder: NetworkBuilder, parts: Sym[]): Sym {
  return tf.layers.concatenate({ axis: -1, name: builder.name('concat') }).apply(parts) as Sym;
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
  const model = tf.model({ inputs: [z, label], outputs: output, name });
  return { model, dropouts: builder.dropouts, shapes: builder.shapes };
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

/** Projection discriminator: logit = last layer(φ(x)) + ⟨embedding(y), φ(x)⟩, φ = every layer but the last. */
function projectedLogit(
  builder: NetworkBuilder,
  network: ResolvedNetwork,
  image: Sym,
  label: Sym,
  classes: number,
): Sym {
  const last = network.layers[network.layers.length - 1];
  if (!last || last.kind !== 'dense' || last.inputShape.length !== 1)
    throw new Error('discriminator=projection needs a discriminator that ends in `dense 1` on flat features');
  const features = builder.buildStack(network.layers.slice(0, -1), image);
  const width = last.inputShape[0];
  const embedding = new ClassEmbedding({
    classes,
    size: width,
    seed: builder.nextSeed(),
    stddev: Math.sqrt(2 / (classes + width)),
    name: builder.name('projection'),
  }).apply(label) as Sym;
  const projection = tf.layers
    .dot({ axes: -1, name: builder.name('project') })
    .apply([features, embedding]) as Sym;
  const logit = builder.buildStack([last], features);
  return tf.layers.add({ name: builder.name('logit') }).apply([logit, projection]) as Sym;
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
      ? projectedLogit(builder, network, image, label, condition.classes)
      : builder.buildStack(
          network.layers,
          concat(builder, [image, labelPlanes(builder, label, condition, imageShape)]),
        );
  const model = tf.model({ inputs: [image, label], outputs: output, name });
  return { model, dropouts: builder.dropouts, shapes: builder.shapes };
}

export class CganFamily implements Family {
  readonly networks: Readonly<Record<string, tf.LayersModel>>;
  readonly optimizers: Readonly<Record<string, tf.Optimizer>>;
  readonly imagesPerStep: number;
  readonly batchesPerStep: number;
  private readonly loop: AdversarialLoop;
  private readonly condition: ResolvedCondition;

  constructor(private readonly deps: FamilyDeps) {
    const model = deps.model;
    if (!model.condition || !model.latent) throw new Error('cgan needs latent and condition sections');
    this.condition = model.condition;
    const seed = model.train.seed;
    const latent = model.latent.size;
    const g = requireNetwork(deps, 'generator');
    const generator = compileConditionalGenerator(g, this.condition, latent, 'generator', seed);
    const discriminator = compileConditionalDiscriminator(
      requireNetwork(deps, 'discriminator'),
      this.condition,
      model.data[0].shape,
      'discriminator',
      seed,
    );
    const average =
      model.train.ema !== null
        ? compileConditionalGenerator(g, this.condition, latent, 'generator_ema', seed)
        : null;
    this.loop = new AdversarialLoop(deps, {
      generator: generator.model,
      discriminator: discriminator.model,
      average: average?.model ?? null,
      dropouts: [...generator.dropouts, ...discriminator.dropouts],
      classes: this.condition.classes,
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
  }

  trainStep(): Promise<StepMetrics> {
    return this.loop.trainStep();
  }

  async render(request: SampleRequest): Promise<ImageGrid> {
    const model = this.deps.model;
    const latent = model.latent;
    if (!latent) throw new Error('cgan needs a latent section');
    const [rows, cols] = gridOf(request, model);
    const seed = request.seed ?? model.sample.seed;
    const z =
      request.mode === 'interpolate'
        ? interpolationGrid(latent, rows, cols, seed, request.seed2 ?? seed + 1)
        : latentValues(new CounterRng(seed), rows * cols, latent);
    const perRow = rowClasses(request, rows, this.condition.classes);
    const labels = new Int32Array(rows * cols).map((_, i) => perRow[Math.floor(i / cols)]);
    const pixels = await predictValues(
      (start, count) =>
        this.loop.generate(
          this.loop.sampler,
          tf.tensor2d(z.subarray(start * latent.size, (start + count) * latent.size), [count, latent.size]),
          tf.tensor1d(labels.subarray(start, start + count), 'int32'),
          false,
        ),
      rows * cols,
    );
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

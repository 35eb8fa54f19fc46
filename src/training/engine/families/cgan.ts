// cgan: the label's learned embedding joins z at the generator's input; the discriminator sees the
// image plus one extra learned H×W channel made from the label (embedding -> dense H·W -> reshape).
import * as tf from '@tensorflow/tfjs';
import type { ResolvedCondition, ResolvedNetwork } from '../../../language/model';
import type { SampleRequest, StepMetrics } from '../../contract';
import { ClassEmbedding } from '../custom/classEmbedding';
import { NetworkBuilder, hashName, type CompiledNetwork } from '../compile';
import { interpolationGrid, latentValues } from '../noise';
import type { ImageGrid } from '../png';
import { CounterRng, mixSeeds } from '../rng';
import { AdversarialLoop } from './adversarial';
import { gridOf, predictValues, type Family, type FamilyDeps } from './family';
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

export function compileConditionalGenerator(
  network: ResolvedNetwork,
  condition: ResolvedCondition,
  latentSize: number,
  name: string,
  seed: number,
): CompiledNetwork {
  const builder = new NetworkBuilder(name, mixSeeds(seed, hashName(name)));
  const z = builder.input([latentSize]);
  const label = builder.input([1], 'int32');
  const joined = tf.layers
    .concatenate({ axis: -1, name: builder.name('concat') })
    .apply([z, embedLabel(builder, label, condition)]) as Sym;
  const output = builder.buildStack(network.layers, joined);
  const model = tf.model({ inputs: [z, label], outputs: output, name });
  return { model, dropouts: builder.dropouts, shapes: builder.shapes };
}

export function compileConditionalDiscriminator(
  network: ResolvedNetwork,
  condition: ResolvedCondition,
  imageShape: readonly [number, number, number],
  name: string,
  seed: number,
): CompiledNetwork {
  const builder = new NetworkBuilder(name, mixSeeds(seed, hashName(name)));
  const [h, w] = imageShape;
  const image = builder.input(imageShape);
  const label = builder.input([1], 'int32');
  const dense = tf.layers.dense({
    units: h * w,
    kernelInitializer: tf.initializers.glorotUniform({ seed: builder.nextSeed() }),
    name: builder.name('label_dense'),
  });
  const plane = tf.layers
    .reshape({ targetShape: [h, w, 1], name: builder.name('label_plane') })
    .apply(dense.apply(embedLabel(builder, label, condition))) as Sym;
  const joined = tf.layers
    .concatenate({ axis: -1, name: builder.name('concat') })
    .apply([image, plane]) as Sym;
  const output = builder.buildStack(network.layers, joined);
  const model = tf.model({ inputs: [image, label], outputs: output, name });
  return { model, dropouts: builder.dropouts, shapes: builder.shapes };
}

/** The class of each grid row: the request's, else row r shows class r mod classes. */
export function rowClasses(request: SampleRequest, rows: number, classes: number): number[] {
  const asked = request.classes;
  return Array.from({ length: rows }, (_, r) => {
    const k = typeof asked === 'number' ? asked : asked ? asked[r % asked.length] : r;
    return ((k % classes) + classes) % classes;
  });
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

// gan: z -> generator -> image; discriminator: image -> one logit.
import * as tf from '@tensorflow/tfjs';
import type { NetworkRole, ResolvedModel, ResolvedNetwork } from '../../../language/model';
import type { StepMetrics } from '../../contract';
import type { SampleRequest } from '../../../protocol/sample';
import { compileNetwork } from '../compile';
import { interpolationGrid, latentValues } from '../noise';
import type { ImageGrid } from '../png';
import { CounterRng } from '../rng';
import { ADVERSARIAL_ADVICE, ADVERSARIAL_METRICS, AdversarialLoop } from './adversarial';
import { gridOf, predictValues, type Family, type FamilyDeps, type TrainingFamily } from './family';

export function requireNetwork(deps: Pick<FamilyDeps, 'model'>, role: NetworkRole): ResolvedNetwork {
  const network = deps.model.networks[role];
  if (!network) throw new Error(`model ${deps.model.name} has no ${role}`);
  return network;
}

export class GanFamily implements Family {
  readonly networks: Readonly<Record<string, tf.LayersModel>>;
  readonly optimizers: Readonly<Record<string, tf.Optimizer>>;
  readonly imagesPerStep: number;
  readonly batchesPerStep: number;
  private readonly loop: AdversarialLoop;

  constructor(private readonly deps: FamilyDeps) {
    const seed = deps.model.train.seed;
    const generator = compileNetwork(requireNetwork(deps, 'generator'), 'generator', seed);
    const discriminator = compileNetwork(requireNetwork(deps, 'discriminator'), 'discriminator', seed);
    const average =
      deps.model.train.ema !== null
        ? compileNetwork(requireNetwork(deps, 'generator'), 'generator_ema', seed)
        : null;
    this.loop = new AdversarialLoop(deps, {
      generator: generator.model,
      discriminator: discriminator.model,
      average: average?.model ?? null,
      dropouts: [...generator.dropouts, ...discriminator.dropouts],
      condition: null,
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
    this.batchesPerStep = deps.model.train.dSteps;
    this.imagesPerStep = deps.model.data[0].batch * this.batchesPerStep;
  }

  trainStep(): Promise<StepMetrics> {
    return this.loop.trainStep();
  }

  render(request: SampleRequest): Promise<ImageGrid> {
    return renderLatentGrid(this.deps.model, request, (z) =>
      this.loop.generate(this.loop.sampler, z, null, false),
    );
  }

  dispose(): void {
    this.loop.dispose();
    for (const m of Object.values(this.networks)) m.dispose();
  }
}

export const ganTraining: TrainingFamily = {
  create: (deps) => new GanFamily(deps),
  metrics: ADVERSARIAL_METRICS,
  sampleModes: ['grid', 'interpolate'],
  divergenceAdvice: ADVERSARIAL_ADVICE,
};

/** A grid of a z → image generator's samples (fixed noise, or an interpolation between two seeds). */
export async function renderLatentGrid(
  model: ResolvedModel,
  request: SampleRequest,
  generate: (z: tf.Tensor2D) => tf.Tensor,
): Promise<ImageGrid> {
  const latent = model.latent;
  if (!latent) throw new Error(`${model.family} needs a latent section`);
  const [rows, cols] = gridOf(request, model);
  const seed = request.seed ?? model.sample.seed;
  const z =
    request.mode === 'interpolate'
      ? interpolationGrid(latent, rows, cols, seed, request.seed2 ?? seed + 1)
      : latentValues(new CounterRng(seed), rows * cols, latent);
  const pixels = await predictValues(
    (start, count) =>
      generate(
        tf.tensor2d(z.subarray(start * latent.size, (start + count) * latent.size), [count, latent.size]),
      ),
    rows * cols,
  );
  const data = model.data[0];
  return { rows, cols, pixels, shape: data.shape, scale: data.scale };
}

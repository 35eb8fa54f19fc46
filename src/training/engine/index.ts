// The training engine's entry point: a resolved model in, a Trainer out.
// The cpu backend's kernel corrections (register themselves on import).
import '../backend/cpuKernelFixes';
import type { CreateTrainerOptions, Trainer } from '../contract';
import { openDataSource } from '../data';
import { deferredDataSource } from '../data/deferred';
import { mixSeeds } from '../seeds';
import { TRAINING_FAMILIES } from './families';
import type { Family, FamilyDeps } from './families/family';
import { CounterRng } from './rng';
import { FamilyTrainer } from './trainer';
import { TorchFamily } from '../torch/torchFamily';

/** Stream id of the training noise, apart from the initialisers' and the data order's seeds. */
const NOISE_STREAM = 0x6e6f6973;

export async function createTrainer(opts: CreateTrainerOptions): Promise<Trainer> {
  const { model } = opts;
  const seed = model.train.seed;
  const open = (spec: (typeof model.data)[number]) =>
    openDataSource(spec, { seed, baseDir: opts.baseDir, limit: opts.dataLimit });
  const sources = opts.samplingOnly
    ? model.data.map((spec) => deferredDataSource(spec, open))
    : await Promise.all(model.data.map(open));
  try {
    const rng = new CounterRng(mixSeeds(seed, NOISE_STREAM));
    const spec = TRAINING_FAMILIES[model.family];
    const deps = { model, sources, rng };
    const family =
      opts.torch && !opts.samplingOnly
        ? await torchFamily(deps, spec.create(deps), opts.torch)
        : spec.create(deps);
    return new FamilyTrainer(model, family, sources, rng, opts.steps, spec.sampleModes);
  } catch (error) {
    for (const s of sources) s.dispose();
    throw error;
  }
}

async function torchFamily(
  deps: FamilyDeps,
  inner: Family,
  options: NonNullable<CreateTrainerOptions['torch']>,
): Promise<Family> {
  try {
    return await TorchFamily.create(deps, inner, options);
  } catch (error) {
    inner.dispose();
    throw error;
  }
}

export { compileNetwork } from './compile';
export { directoryIO } from './modelFiles';
// The custom layers register themselves for tf.loadLayersModel when imported.
export { BatchNorm } from './custom/batchNorm';
export { ClassEmbedding } from './custom/classEmbedding';
export { ConditionalBatchNorm } from './custom/conditionalBatchNorm';
export { InstanceNorm } from './custom/instanceNorm';
export { LabelPlanes, OneHotLabel } from './custom/labelEncoding';
export { PixelShuffle } from './custom/pixelShuffle';
export { SeededDropout } from './custom/seededDropout';
export { SpectralNormLinear } from './custom/spectralNorm';

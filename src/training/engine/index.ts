// The training engine's entry point: a resolved model in, a Trainer out.
import type { FamilyName } from '../../language/model';
import type { CreateTrainerOptions, Trainer } from '../contract';
import { openDataSource } from '../data';
import { deferredDataSource } from '../data/deferred';
import { CganFamily } from './families/cgan';
import { CycleGanFamily } from './families/cyclegan';
import type { Family, FamilyDeps } from './families/family';
import { GanFamily } from './families/gan';
import { VaeFamily } from './families/vae';
import { CounterRng, mixSeeds } from './rng';
import { FamilyTrainer } from './trainer';

const FAMILIES: Readonly<Record<FamilyName, (deps: FamilyDeps) => Family>> = {
  gan: (deps) => new GanFamily(deps),
  cgan: (deps) => new CganFamily(deps),
  vae: (deps) => new VaeFamily(deps),
  cyclegan: (deps) => new CycleGanFamily(deps),
};

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
    const family = FAMILIES[model.family]({ model, sources, rng });
    return new FamilyTrainer(model, family, sources, rng, opts.steps);
  } catch (error) {
    for (const s of sources) s.dispose();
    throw error;
  }
}

export { compileNetwork } from './compile';
export { directoryIO } from './modelFiles';
// The custom layers register themselves for tf.loadLayersModel when imported.
export { BatchNorm } from './custom/batchNorm';
export { ClassEmbedding } from './custom/classEmbedding';
export { InstanceNorm } from './custom/instanceNorm';
export { SeededDropout } from './custom/seededDropout';
export { SpectralNormLinear } from './custom/spectralNorm';

// The generic Trainer: owns the data sources, the step counter and the random stream, and
// delegates networks, losses and samples to the family module.
import type * as tf from '@tensorflow/tfjs';
import type { ResolvedModel } from '../../language/model';
import type { DataSource, SampleProgress, SkippedFiles, StepMetrics, Trainer } from '../contract';
import type { SampleRequest } from '../../protocol/sample';
import type { TorchEngineInfo } from '../../protocol/training';
import { readCheckpoint, writeCheckpoint } from './checkpoint';
import type { SampleMode } from '../../protocol/sample';
import { type Family, readScalars, takeGradNorm } from './families/family';
import { encodeGrid } from './png';
import type { CounterRng } from './rng';

/** Epoch length used for `epochs` on endless sources (shapes without a limit). */
export const NOMINAL_EPOCH_STEPS = 1000;
const SKIPPED_EXAMPLES = 5;

export class FamilyTrainer implements Trainer {
  readonly totalSteps: number;
  readonly stepsPerEpoch: number | null;
  readonly imagesPerStep: number;
  private completed = 0;

  constructor(
    readonly model: ResolvedModel,
    private readonly family: Family,
    private readonly sources: readonly DataSource[],
    private readonly rng: CounterRng,
    stepsOverride: number | undefined,
    private readonly sampleModes: readonly SampleMode[],
  ) {
    const batches = sources[0].batchesPerEpoch;
    this.stepsPerEpoch = batches === null ? null : Math.max(1, Math.floor(batches / family.batchesPerStep));
    const train = model.train;
    this.totalSteps =
      stepsOverride ?? train.steps ?? (train.epochs ?? 1) * (this.stepsPerEpoch ?? NOMINAL_EPOCH_STEPS);
    this.imagesPerStep = family.imagesPerStep;
  }

  get networks(): Family['networks'] {
    return this.family.networks;
  }

  get step(): number {
    return this.completed;
  }

  async trainStep(): Promise<StepMetrics> {
    const metrics = await this.family.trainStep(this.completed);
    this.completed++;
    return { ...metrics, ...(await this.optimizationMetrics()) };
  }

  /** `lr/NAME` and `grad_norm/NAME` of each optimizer (the global L2 norm of its last update). */
  private async optimizationMetrics(): Promise<StepMetrics> {
    const out: Record<string, number> = {};
    const norms: Record<string, tf.Tensor> = {};
    for (const [name, optimizer] of Object.entries(this.family.optimizers)) {
      const lr = (optimizer as unknown as { learningRate?: unknown }).learningRate;
      if (typeof lr === 'number') out[`lr/${name}`] = lr;
      const norm = takeGradNorm(optimizer);
      if (norm) norms[`grad_norm/${name}`] = norm;
    }
    return Object.keys(norms).length ? { ...out, ...(await readScalars(norms)) } : out;
  }

  async renderSamples(request: SampleRequest = {}, progress?: SampleProgress): Promise<Uint8Array> {
    if (request.mode && !this.sampleModes.includes(request.mode))
      throw new Error(
        `a ${this.model.family} model renders ${this.sampleModes.join(', ')}, not '${request.mode}'`,
      );
    return encodeGrid(await this.family.render(request, progress));
  }

  get engine(): TorchEngineInfo | null {
    return this.family.engine ?? null;
  }

  async syncNetworks(): Promise<void> {
    await this.family.syncNetworks?.();
  }

  async saveCheckpoint(dir: string): Promise<void> {
    await this.syncNetworks();
    await writeCheckpoint(dir, this.family, {
      model: this.model.name,
      family: this.model.family,
      step: this.completed,
      rng: this.rng.state(),
      data: this.sources.map((s) => s.position()),
      ...(this.family.engine ? { engine: 'torch' as const } : {}),
    });
  }

  async loadCheckpoint(dir: string): Promise<void> {
    const state = await readCheckpoint(dir, this.family, this.model.name);
    this.completed = state.step;
    this.rng.restore(state.rng);
    state.data.forEach((position, i) => this.sources[i]?.seek(position));
  }

  epoch(): number {
    return Math.floor(this.completed / (this.stepsPerEpoch ?? NOMINAL_EPOCH_STEPS));
  }

  classNames(): readonly string[] | null {
    return this.sources.find((s) => s.classNames)?.classNames ?? null;
  }

  dataSkipped(): SkippedFiles {
    const all = this.sources.map((s) => s.skipped);
    return {
      count: all.reduce((n, s) => n + s.count, 0),
      examples: all.flatMap((s) => s.examples).slice(0, SKIPPED_EXAMPLES),
    };
  }

  dispose(): void {
    this.family.dispose();
    for (const s of this.sources) s.dispose();
  }
}

// What every family module provides to the generic trainer, and small helpers they share.
import type { TorchEngineInfo } from '../../../protocol/training';
import * as tf from '@tensorflow/tfjs';
import type { ResolvedModel } from '../../../language/model';
import type { DataBatch, DataSource, SampleProgress, StepMetrics } from '../../contract';
import type { SampleMode, SampleRequest } from '../../../protocol/sample';
import type { SeededDropout } from '../custom/seededDropout';
import type { ImageGrid } from '../png';
import type { CounterRng } from '../rng';

export interface FamilyDeps {
  readonly model: ResolvedModel;
  /** One source per `data` section, in order (cyclegan: domain a, then b). */
  readonly sources: readonly DataSource[];
  /** The training stream: noise, labels, dropout masks. Checkpointed by the trainer. */
  readonly rng: CounterRng;
}

/** What a family declares to the training engine; src/training/engine/families/index.ts registers one per FamilyName. */
export interface TrainingFamily {
  /** Builds the family's networks, optimizers and step for one run. */
  readonly create: (deps: FamilyDeps) => Family;
  /** The keys every trainStep returns, in the order the family logs them. */
  readonly metrics: readonly string[];
  /** The sample modes `render` supports; the first is what training writes. */
  readonly sampleModes: readonly SampleMode[];
  /** What to try, besides a lower learning rate and normalization, when a loss stops being finite. */
  readonly divergenceAdvice: string;
}

export interface Family {
  /** Every network a checkpoint holds, by file-safe name. */
  readonly networks: Readonly<Record<string, tf.LayersModel>>;
  readonly optimizers: Readonly<Record<string, tf.Optimizer>>;
  /** State a checkpoint keeps besides networks and optimizers (stackgan: the vocabulary). */
  readonly state?: { save(dir: string): void | Promise<void>; load(dir: string): void | Promise<void> };
  /** Families that train elsewhere (the torch engine) bring `networks` up to date; called before
   *  anything reads them (checkpoints, evaluation). */
  syncNetworks?(): Promise<void>;
  /** Set when PyTorch trains the steps (the torch engine): its version and device, for run.json. */
  readonly engine?: TorchEngineInfo;
  readonly imagesPerStep: number;
  /** Batches of the first source one step consumes (gan: d_steps). */
  readonly batchesPerStep: number;
  /** One step; `step` is the number of steps completed before it (restored on resume). */
  trainStep(step: number): Promise<StepMetrics>;
  /** A grid for the request; `progress` follows (and may cancel) families that render slowly. */
  render(request: SampleRequest, progress?: SampleProgress): Promise<ImageGrid>;
  dispose(): void;
}

export function imageTensor(batch: DataBatch, shape: readonly [number, number, number]): tf.Tensor4D {
  return tf.tensor4d(batch.images, [batch.count, shape[0], shape[1], shape[2]]);
}

export function labelTensor(batch: DataBatch): tf.Tensor1D {
  if (!batch.labels) throw new Error('this model needs labelled data, but the batch has no labels');
  return tf.tensor1d(batch.labels, 'int32');
}

export function trainableVariables(...models: tf.LayersModel[]): tf.Variable[] {
  return models.flatMap((m) => m.trainableWeights.map((w) => w.read() as tf.Variable));
}

/** The global L2 norm of each optimizer's last update, until the trainer takes it for the step's row. */
const gradNorms = new WeakMap<tf.Optimizer, tf.Scalar>();

export function recordGradNorm(optimizer: tf.Optimizer, grads: tf.NamedTensorMap): void {
  const list = Object.values(grads);
  // On tfjs-webgpu these extra ops, recorded inside the generator's tape (the critic update runs
  // within it), gave the generator wrong gradients and NaN weights at step 2
  // (test/training/backend/webgpu.test.ts); the norms are not logged there until that is understood.
  if (!list.length || tf.getBackend() === 'webgpu') return;
  // Scaled by the largest entry, so huge (but finite) gradients do not overflow float32 squares.
  const norm = tf.keep(
    tf.tidy(() => {
      const scale = tf
        .stack(list.map((g) => g.abs().max()))
        .max()
        .maximum(1e-30);
      return tf
        .addN(list.map((g) => g.div(scale).square().sum()))
        .sqrt()
        .mul(scale) as tf.Scalar;
    }),
  );
  gradNorms.get(optimizer)?.dispose();
  gradNorms.set(optimizer, norm);
}

/** The norm of the optimizer's last gradient (the caller disposes it), or undefined. */
export function takeGradNorm(optimizer: tf.Optimizer): tf.Scalar | undefined {
  const norm = gradNorms.get(optimizer);
  gradNorms.delete(optimizer);
  return norm;
}

/** One optimizer update of `variables` against `loss`; the loss value is returned, grads disposed. */
export function minimize(
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  loss: () => tf.Scalar,
): tf.Scalar {
  const { value, grads } = tf.variableGrads(loss, variables);
  recordGradNorm(optimizer, grads);
  optimizer.applyGradients(grads);
  tf.dispose(grads);
  return value;
}

/** Like minimize, for several networks with their own optimizers sharing one loss. */
export function minimizeJoint(
  parts: readonly { optimizer: tf.Optimizer; variables: tf.Variable[] }[],
  loss: () => tf.Scalar,
): tf.Scalar {
  const all = parts.flatMap((p) => p.variables);
  const { value, grads } = tf.variableGrads(loss, all);
  for (const part of parts) {
    const own: tf.NamedTensorMap = {};
    for (const v of part.variables) own[v.name] = grads[v.name];
    recordGradNorm(part.optimizer, own);
    part.optimizer.applyGradients(own);
  }
  tf.dispose(grads);
  return value;
}

/** Reads every scalar with one download, then frees them. */
export async function readScalars(named: Readonly<Record<string, tf.Tensor>>): Promise<StepMetrics> {
  const names = Object.keys(named);
  const stacked = tf.tidy(() => tf.stack(names.map((n) => named[n].reshape([]))));
  const values = await stacked.data();
  stacked.dispose();
  tf.dispose(Object.values(named));
  const out: Record<string, number> = {};
  names.forEach((n, i) => (out[n] = values[i]));
  return out;
}

export function feedDropouts(dropouts: readonly SeededDropout[], rng: CounterRng): void {
  for (const d of dropouts) d.seedSource = () => rng.nextSeed() % 2147483647;
}

export function gridOf(request: SampleRequest, model: ResolvedModel): [number, number] {
  const [rows, cols] = request.grid ?? model.sample.grid;
  return [rows, cols];
}

/** Runs a model in inference mode on chunks and returns all outputs as one Float32Array. Reads
 *  asynchronously: WebGPU in Node cannot read a tensor synchronously. */
export async function predictValues(
  run: (start: number, count: number) => tf.Tensor,
  total: number,
  chunk = 64,
): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  for (let start = 0; start < total; start += chunk) {
    const count = Math.min(chunk, total - start);
    const out = tf.tidy(() => run(start, count));
    parts.push((await out.data()) as Float32Array);
    out.dispose();
  }
  const size = parts.reduce((n, p) => n + p.length, 0);
  const all = new Float32Array(size);
  let offset = 0;
  for (const p of parts) {
    all.set(p, offset);
    offset += p.length;
  }
  return all;
}

export function numberParam(
  params: Readonly<Record<string, unknown>>,
  name: string,
  fallback: number,
): number {
  const v = params[name];
  return typeof v === 'number' ? v : fallback;
}

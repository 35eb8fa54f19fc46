// The seams between the parts of the training engine. Each side is owned by one module:
//   data/     implements DataSource (openDataSource)
//   backend/  implements initBackend -> BackendInfo
//   engine/   implements Trainer (createTrainer): compile + family training loops + sampling
//   runs/ and worker.ts drive a Trainer and write the run folder.
import type { LayersModel } from '@tensorflow/tfjs';
import type { BackendName, ResolvedData, ResolvedModel } from '../language/model';

// ---------------------------------------------------------------- backends

export interface BackendInfo {
  /** The tfjs backend name actually in use: 'tensorflow' (tfjs-node / -gpu), 'webgpu', 'wasm', 'cpu'. */
  readonly name: string;
  /** What the user asked for. */
  readonly requested: BackendName;
  /** Human-readable device, e.g. 'NVIDIA H200 (CUDA)', 'CPU (wasm, SIMD, 2 threads)'. */
  readonly device: string;
  readonly threads: number;
  /** Why faster backends were skipped, in the order tried, e.g. 'tfjs-node-gpu: not installed'. */
  readonly skipped: readonly string[];
}

// ---------------------------------------------------------------- data

/** One batch as plain arrays: images N*H*W*C float32 already scaled, labels int32 class ids. */
export interface DataBatch {
  readonly count: number;
  readonly images: Float32Array;
  readonly labels: Int32Array | null;
}

/** Where a source is in its stream; serialisable so a resumed run sees the same order. */
export interface DataPosition {
  readonly epoch: number;
  readonly index: number;
}

export interface DataSource {
  readonly spec: ResolvedData;
  readonly shape: readonly [number, number, number];
  readonly classes: number | null;
  /** Number of images in the (limited) split, or null for endless procedural sources. */
  readonly size: number | null;
  /** Full batches per epoch, or null for endless sources. */
  readonly batchesPerEpoch: number | null;
  /** Files skipped as unreadable (folder source), with the first few reasons. */
  readonly skipped: { readonly count: number; readonly examples: readonly string[] };
  /** The next training batch (prefetched in the background). Order depends only on seed and position. */
  next(): Promise<DataBatch>;
  position(): DataPosition;
  seek(position: DataPosition): void;
  /** n images from the held-out split (or the end of an endless stream), same every call. */
  heldOut(n: number): Promise<DataBatch>;
  dispose(): void;
}

export interface OpenDataOptions {
  readonly seed: number;
  /** Directory that relative `folder "path"` sources are resolved against (the .gan file's folder). */
  readonly baseDir: string;
  /** Extra cap on images loaded (tests use it to stay fast); combined with the spec's limit. */
  readonly limit?: number;
}

// ---------------------------------------------------------------- trainer

export type StepMetrics = Readonly<Record<string, number>>;

export interface SampleRequest {
  /** Grid rows x cols; defaults to the model's sample.grid. */
  readonly grid?: readonly [number, number];
  readonly seed?: number;
  /** cgan: the class of each row (length = rows); a single number means every row. */
  readonly classes?: number | readonly number[];
  /** 'grid' (fresh samples), 'interpolate' (slerp between seed and seed2 across each row),
   *  'reconstruct' (vae: held-out images and their reconstructions), 'walk' (vae: one latent dim per row),
   *  'translate' (cyclegan: a->b and b->a of held-out images). */
  readonly mode?: 'grid' | 'interpolate' | 'reconstruct' | 'walk' | 'translate';
  readonly seed2?: number;
}

export interface Trainer {
  readonly model: ResolvedModel;
  /** Total generator steps of the run (train.steps, or epochs x batches per epoch). */
  readonly totalSteps: number;
  readonly stepsPerEpoch: number | null;
  /** Completed steps so far (restored by loadCheckpoint). */
  readonly step: number;
  /** Images consumed per step (for images/s). */
  readonly imagesPerStep: number;
  /** One step: d_steps critic updates then one generator update (vae/cyclegan: one joint update).
   *  Returns every loss and diagnostic the family logs (e.g. d_loss, g_loss, d_real, d_fake). */
  trainStep(): Promise<StepMetrics>;
  /** The model's sample grid from fixed noise (EMA weights when ema is on), as PNG bytes. */
  renderSamples(request?: SampleRequest): Promise<Uint8Array>;
  /** Writes every network (tfjs layers format), optimizer state, RNG and data position into dir. */
  saveCheckpoint(dir: string): Promise<void>;
  loadCheckpoint(dir: string): Promise<void>;
  /** Epoch of the next step (0-based). */
  epoch(): number;
  /** Every network by checkpoint name (generator, generator_ema, discriminator, encoder, …): evaluation reads them. */
  readonly networks: Readonly<Record<string, LayersModel>>;
  dispose(): void;
}

export interface CreateTrainerOptions {
  readonly model: ResolvedModel;
  readonly backend: BackendInfo;
  readonly baseDir: string;
  /** Overrides the model's step budget (gan train --steps). */
  readonly steps?: number;
  /** Extra cap on images loaded per source (tests). */
  readonly dataLimit?: number;
}

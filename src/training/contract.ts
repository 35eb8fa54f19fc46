// The seams between the parts of the training engine. Each side is owned by one module:
//   data/     implements DataSource (openDataSource)
//   backend/  implements initBackend -> BackendInfo (a wire type: src/protocol/training.ts)
//   engine/   implements Trainer (createTrainer): compile + family training loops + sampling
//   runs/ and worker.ts drive a Trainer and write the run folder.
import type { LayersModel } from '@tensorflow/tfjs';
import type { ResolvedData, ResolvedModel } from '../language/model';
import type { SkippedFiles } from '../protocol/dataSkipped';
import type { SampleRequest } from '../protocol/sample';
import type { BackendInfo, TorchEngineInfo } from '../protocol/training';
import type { TorchEngineOptions } from './torch/torchFamily';

// ---------------------------------------------------------------- data

export type { SkippedFiles };

/** One batch as plain arrays: images N*H*W*C float32 already scaled, labels int32 class ids. */
export interface DataBatch {
  readonly count: number;
  readonly images: Float32Array;
  readonly labels: Int32Array | null;
  /** Each image's caption (emoji: its names and categories; folder: its caption file), where the source has them. */
  readonly captions?: readonly string[];
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
  /** The label names in label order (folder: its sub-folders), or null when unlabelled. */
  readonly classNames: readonly string[] | null;
  /** Number of images in the (limited) split, or null for endless procedural sources. */
  readonly size: number | null;
  /** Full batches per epoch, or null for endless sources. */
  readonly batchesPerEpoch: number | null;
  /** The training split's captions (what a text encoder's vocabulary is built from), or null without captions. */
  readonly captions?: readonly string[] | null;
  /** Files skipped as unreadable (folder source), with the first few reasons. */
  readonly skipped: SkippedFiles;
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

/** Follows a long render (pixelcnn draws one pixel per network pass): called with the work done so
 *  far; returning false cancels it (the render then fails with SampleCancelled). */
export type SampleProgress = (done: number, total: number) => boolean;

export class SampleCancelled extends Error {
  constructor() {
    super('sampling was cancelled');
  }
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
  renderSamples(request?: SampleRequest, progress?: SampleProgress): Promise<Uint8Array>;
  /** Writes every network (tfjs layers format), optimizer state, RNG and data position into dir. */
  saveCheckpoint(dir: string): Promise<void>;
  loadCheckpoint(dir: string): Promise<void>;
  /** Epoch of the next step (0-based). */
  epoch(): number;
  /** What the data sources skipped as unreadable, all sources together. */
  dataSkipped(): SkippedFiles;
  /** The label names of the first labelled source (what a cgan's rows are), or null. */
  classNames(): readonly string[] | null;
  /** Set when PyTorch trains the steps (the torch engine); null: TensorFlow.js does. */
  readonly engine: TorchEngineInfo | null;
  /** Brings `networks` up to date when another engine trains them (torch); call before reading them. */
  syncNetworks(): Promise<void>;
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
  /** Sampling only: build the networks from the model alone and open data sources only if a
   *  sample mode needs real images. Such a trainer cannot train. */
  readonly samplingOnly?: boolean;
  /** Train with PyTorch (the torch engine) in this Python; the networks stay readable as TensorFlow.js's. */
  readonly torch?: TorchEngineOptions;
}

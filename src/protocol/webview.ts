// Messages between the extension host and the dashboard / preview webviews. The webview gets all
// of its data through these (and webview URIs for images); it never touches Node or the run folder.

import type { HealthProblem } from './health';
import type { FamilyName } from '../language/model';
import type { SampleMode, SampleRequest } from './sample';
import type { MetricRow, RunStatus as WorkerRunStatus } from './training';

export type { FamilyName };

/** One line of a run's metrics.jsonl, as the worker logs it. */
export type { MetricRow };

/** A run's status as run.json records it, plus `queued` (the host has not started its worker yet). */
export type RunStatus = WorkerRunStatus | 'queued';

export interface RunSummary {
  readonly id: string;
  readonly model: string;
  readonly family: FamilyName;
  /** The tfjs backend in use, e.g. 'tensorflow', 'wasm', 'cpu'. */
  readonly backend: string;
  /** Human-readable device, e.g. 'CPU (wasm, SIMD, 2 threads)'. */
  readonly device: string;
  readonly status: RunStatus;
  readonly step: number;
  readonly totalSteps: number;
  /** Flat setting -> value pairs (e.g. 'train.lr': 0.0002) for the compare table. */
  readonly settings: Readonly<Record<string, string | number | boolean>>;
  readonly imagesPerSec?: number;
  readonly etaSeconds?: number;
  readonly error?: string;
  /** What the data sources skipped as unreadable, as one line (absent when nothing was). */
  readonly dataSkipped?: string;
  readonly evaluating?: boolean;
  /** What is wrong with the run's learning, as of its last checkpoint (absent: healthy). */
  readonly health?: readonly HealthProblem[];
  /** What d_real / d_fake are under the run's loss (absent: the family logs none). */
  readonly criticReadout?: 'probability' | 'score';
  /** What the rows of the run's sample grids are (labels beside them). */
  readonly rows?: GridRows;
}

/** What labels the rows of a run's grids: its `sample { grid }`, classes and their names, latent size. */
export interface GridRows {
  readonly grid: readonly [number, number];
  readonly classes: number | null;
  readonly classNames: readonly string[] | null;
  readonly latent: number | null;
  /** Frames per clip when the grids are clips (a video model: one clip per row); null: images. */
  readonly frames?: number | null;
}

export interface SampleGrid {
  readonly step: number;
  /** A webview URI (string) of the PNG grid. */
  readonly uri: string;
}

// ---------------------------------------------------------------- host -> webview

/** Replaces everything the webview shows. */
export interface InitMessage {
  readonly type: 'init';
  readonly runs: readonly RunSummary[];
}

/** Rows appended to a run's metrics (in step order, after any rows sent before). */
export interface MetricsMessage {
  readonly type: 'metrics';
  readonly runId: string;
  readonly rows: readonly MetricRow[];
}

/** Sample grids written by a run; grids already known (same step) are ignored. */
export interface SamplesMessage {
  readonly type: 'samples';
  readonly runId: string;
  readonly grids: readonly SampleGrid[];
}

export interface StatusMessage {
  readonly type: 'status';
  readonly runId: string;
  readonly status: RunStatus;
  readonly step: number;
  readonly imagesPerSec?: number;
  readonly etaSeconds?: number;
  readonly error?: string;
  /** The worker is computing the model's `evaluate` metrics (FID, …) right now. */
  readonly evaluating?: boolean;
  readonly health?: readonly HealthProblem[];
}

export type HostToWebviewMessage = InitMessage | MetricsMessage | SamplesMessage | StatusMessage;

// ---------------------------------------------------------------- webview -> host

/** The webview is listening; the host answers with `init` and then any history. */
export interface ReadyMessage {
  readonly type: 'ready';
}

export interface StopMessage {
  readonly type: 'stop';
  readonly runId: string;
}

export interface OpenPreviewMessage {
  readonly type: 'openPreview';
  readonly runId: string;
}

/** The runs the user ticked for comparison, first = the one shown in the header. */
export interface SelectRunsMessage {
  readonly type: 'selectRuns';
  readonly runIds: readonly string[];
}

export type WebviewToHostMessage = ReadyMessage | StopMessage | OpenPreviewMessage | SelectRunsMessage;

const hostMessageTypes: ReadonlySet<string> = new Set(['init', 'metrics', 'samples', 'status']);

/** A cheap shape check for data arriving over postMessage (which is untyped at runtime). */
export function isHostToWebviewMessage(value: unknown): value is HostToWebviewMessage {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && hostMessageTypes.has(type);
}

// ================================================================ sample preview panel

/** How the preview renders: fresh samples, a latent interpolation, or a family-specific view. */
export type PreviewMode = SampleMode;

export interface PreviewRun {
  readonly id: string;
  readonly model: string;
  readonly family: FamilyName;
  /** cgan: number of classes (0..classes-1); null otherwise. */
  readonly classes: number | null;
  /** Whether samples are drawn for captions (stackgan, cgan's `condition text`: the prompt box
   *  shows); absent when the run's model could not be read. */
  readonly captions?: boolean;
  /** Optional class names for the class picker, e.g. Fashion-MNIST's 'T-shirt/top'. */
  readonly classNames?: readonly string[];
  /** Steps of the run's complete checkpoints, ascending. */
  readonly checkpoints: readonly number[];
  /** The model's `sample { grid seed }`. */
  readonly grid: readonly [number, number];
  readonly seed: number;
  /** Size of z, where the model has one (labels the rows of a latent walk). */
  readonly latent?: number | null;
  /** Frames per clip when the grids are clips (a video model: one clip per row); null: images. */
  readonly frames?: number | null;
}

/** Opens (or re-targets) the preview on a run. */
export interface PreviewInitMessage {
  readonly type: 'previewInit';
  readonly run: PreviewRun;
}

/** New checkpoints written while the run trains. */
export interface CheckpointsMessage {
  readonly type: 'checkpoints';
  readonly runId: string;
  readonly checkpoints: readonly number[];
}

/** The answer to a `renderSamples` request. */
export interface SampleImageMessage {
  readonly type: 'sampleImage';
  readonly requestId: number;
  /** Webview URI of the PNG. */
  readonly uri: string;
  readonly checkpoint: number;
}

export interface SampleErrorMessage {
  readonly type: 'sampleError';
  readonly requestId: number;
  readonly message: string;
}

/** How far a slow render (pixelcnn: pixel by pixel) has come. */
export interface SampleProgressMessage {
  readonly type: 'sampleProgress';
  readonly requestId: number;
  readonly done: number;
  readonly total: number;
}

export type HostToPreviewMessage =
  PreviewInitMessage | CheckpointsMessage | SampleImageMessage | SampleErrorMessage | SampleProgressMessage;

/** Render a grid from a checkpoint (null: the newest); answered by `sampleImage` or `sampleError`. */
export interface RenderSamplesMessage {
  readonly type: 'renderSamples';
  readonly requestId: number;
  readonly runId: string;
  readonly checkpoint: number | null;
  readonly request: SampleRequest;
}

/** Save a rendered image (by its request) with a save dialog. */
export interface SaveSampleMessage {
  readonly type: 'saveSample';
  readonly requestId: number;
}

/** Stop a render still in progress; it is answered by `sampleError`. */
export interface CancelSampleMessage {
  readonly type: 'cancelSample';
  readonly requestId: number;
}

export type PreviewToHostMessage =
  ReadyMessage | RenderSamplesMessage | SaveSampleMessage | CancelSampleMessage;

const previewMessageTypes: ReadonlySet<string> = new Set([
  'previewInit',
  'checkpoints',
  'sampleImage',
  'sampleError',
  'sampleProgress',
]);

export function isHostToPreviewMessage(value: unknown): value is HostToPreviewMessage {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && previewMessageTypes.has(type);
}

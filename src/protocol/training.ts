// Messages between a training worker (src/training/worker.ts) and the process that forked it
// (the CLI or the extension host), over Node's IPC channel. Plain JSON data only.
import type { BackendName, FamilyName } from '../language/model';
import type { SampleRequest } from './sample';

/** The backend a worker trains on, as it reports it in `started` (and records in run.json). */
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

/** A run trained by PyTorch (the torch engine); runs without it were trained by TensorFlow.js. */
export interface TorchEngineInfo {
  readonly name: 'torch';
  /** torch.__version__ */
  readonly torch: string;
  /** What trained it, e.g. 'CPU (2 threads)', 'NVIDIA H200 (CUDA 12.1)'. */
  readonly device: string;
  /** The interpreter (sys.executable). */
  readonly python: string;
  /** Data-parallel processes (DistributedDataParallel on this machine); 1: one process. */
  readonly processes: number;
}

export type RunStatus = 'running' | 'completed' | 'stopped' | 'failed';

/** One line of metrics.jsonl: step, epoch, time (seconds since the run started), images_per_sec,
 *  then every metric the family logs (d_loss, g_loss, ...). */
export interface MetricRow {
  readonly step: number;
  readonly epoch: number;
  readonly time: number;
  readonly [metric: string]: number;
}

const BOOKKEEPING: ReadonlySet<string> = new Set(['step', 'epoch', 'time', 'images_per_sec']);

/** The family's metrics of a row (losses first, as logged), without step, epoch, time and
 *  throughput: what the CLI, the status views and the hover show as "losses". */
export function metricEntries(row: MetricRow): [string, number][] {
  return Object.entries(row).filter(([name, value]) => !BOOKKEEPING.has(name) && typeof value === 'number');
}

// ---------------------------------------------------------------- parent -> worker

export interface TrainOptions {
  /** Overrides the model's step budget. */
  readonly steps?: number;
  /** Overrides the model's `train.backend`. */
  readonly backend?: BackendName;
  /** CPU threads, overriding the model's `train.threads` (a setting or `--threads`). */
  readonly threads?: number;
  /** Folder that holds run folders (default: `<workspace>/.gan/runs`). */
  readonly runsDir: string;
  /** A run folder to continue from its last complete checkpoint (model and file are then ignored). */
  readonly resume?: string;
  /** Extra cap on images loaded per data source (tests). */
  readonly dataLimit?: number;
  /** With `resume`: continue from this checkpoint step instead of the newest valid one. */
  readonly checkpoint?: number;
  /** With `resume`: take the run's lock even from a process that still looks alive. */
  readonly force?: boolean;
  /** Overrides the model's `train.engine` (`gan train --engine`). A resumed run keeps its own. */
  readonly engine?: 'auto' | 'tfjs' | 'torch';
  /** What `engine auto` means here (the `gan.training.engine` setting); default TensorFlow.js. */
  readonly preferredEngine?: 'tfjs' | 'torch';
  /** The torch engine's data-parallel processes on this machine (`--nproc`); default 1. A resumed run keeps its own. */
  readonly processes?: number;
  /** Where to look for PyTorch first: `gan.python` / `--python`, then the Python extension's environment. */
  readonly python?: { readonly setting?: string | null; readonly environment?: string | null };
}

export interface StartMessage {
  readonly type: 'start';
  /** Path of the .gan file (relative data folders resolve against its folder). */
  readonly file: string;
  /** Its text (the editor's buffer may differ from the disk). */
  readonly text: string;
  /** Model to train; default: the first model of the file. */
  readonly model?: string;
  readonly options: TrainOptions;
}

/** Finish the current step, write a checkpoint, mark the run stopped. */
export interface StopMessage {
  readonly type: 'stop';
}

/** Render a sample grid from a run's checkpoint into a PNG file; answered by `sampleResult`. */
export interface SampleRequestMessage {
  readonly type: 'sample';
  /** Chosen by the parent to match the answer to the request. */
  readonly id: number;
  readonly runDir: string;
  /** Checkpoint step; default: the newest complete checkpoint. */
  readonly checkpoint?: number;
  readonly request: SampleRequest;
  /** Where to write the PNG; default: a file in the OS temp folder. */
  readonly out?: string;
}

/** Super-resolve a user's image with an srgan run's generator (any size, in overlapping tiles)
 *  into a PNG file; answered by `sampleResult`. */
export interface UpscaleRequestMessage {
  readonly type: 'upscale';
  readonly id: number;
  readonly runDir: string;
  /** Checkpoint step; default: the newest complete checkpoint. */
  readonly checkpoint?: number;
  /** The image to upscale (PNG; JPEG, WebP, … with sharp installed). */
  readonly input: string;
  /** Where to write the PNG. */
  readonly out: string;
}

/** Stop rendering a sample request (pixelcnn draws pixel by pixel); it is answered with an error. */
export interface CancelSampleMessage {
  readonly type: 'cancelSample';
  readonly id: number;
}

export type ParentToWorkerMessage =
  StartMessage | StopMessage | SampleRequestMessage | UpscaleRequestMessage | CancelSampleMessage;

// ---------------------------------------------------------------- worker -> parent

export interface StartedMessage {
  readonly type: 'started';
  readonly runDir: string;
  readonly runId: string;
  readonly model: string;
  readonly family: FamilyName;
  readonly backend: BackendInfo;
  readonly totalSteps: number;
  readonly stepsPerEpoch: number | null;
  /** Steps already done (non-zero when resuming). */
  readonly step: number;
  readonly resumed: boolean;
  readonly pid: number;
  /** Things the user should know before the first step: checkpoints skipped as corrupt (and
   *  why), images skipped as unreadable, a stale lock taken over. */
  readonly notices?: readonly string[];
}

/** Rows logged since the previous progress message (sent at least every ~250 ms, or every step
 *  when steps are slower than that). */
export interface ProgressMessage {
  readonly type: 'progress';
  readonly rows: readonly MetricRow[];
  readonly step: number;
  readonly totalSteps: number;
  readonly imagesPerSec: number;
  readonly etaSeconds: number | null;
  /** Set when the worker is about to evaluate (`evaluate` metrics): the next rows come after it. */
  readonly evaluating?: boolean;
}

export interface SampleWrittenMessage {
  readonly type: 'sample';
  readonly step: number;
  readonly path: string;
}

export interface CheckpointWrittenMessage {
  readonly type: 'checkpoint';
  readonly step: number;
  readonly path: string;
}

export interface FinishedMessage {
  readonly type: 'finished';
  readonly status: 'completed' | 'stopped';
  readonly step: number;
  readonly runDir: string;
}

export interface FailedMessage {
  readonly type: 'failed';
  readonly message: string;
  readonly step?: number;
  /** Extra detail (a stack trace) for logs, not for the headline. */
  readonly log?: string;
  /** Absent when the run folder was never created (e.g. the file has errors). */
  readonly runDir?: string;
}

export interface SampleResultMessage {
  readonly type: 'sampleResult';
  readonly id: number;
  readonly path?: string;
  readonly step?: number;
  readonly error?: string;
}

/** How far a slow sample request has come (sent at most every ~200 ms). */
export interface SampleProgressMessage {
  readonly type: 'sampleProgress';
  readonly id: number;
  readonly done: number;
  readonly total: number;
}

export type WorkerToParentMessage =
  | StartedMessage
  | ProgressMessage
  | SampleWrittenMessage
  | CheckpointWrittenMessage
  | FinishedMessage
  | FailedMessage
  | SampleResultMessage
  | SampleProgressMessage;

const workerMessageTypes: ReadonlySet<string> = new Set([
  'started',
  'progress',
  'sample',
  'checkpoint',
  'finished',
  'failed',
  'sampleResult',
  'sampleProgress',
]);
const parentMessageTypes: ReadonlySet<string> = new Set([
  'start',
  'stop',
  'sample',
  'upscale',
  'cancelSample',
]);

function hasType(value: unknown, types: ReadonlySet<string>): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && types.has(type);
}

/** A cheap shape check for data arriving over IPC (untyped at run time). */
export function isWorkerToParentMessage(value: unknown): value is WorkerToParentMessage {
  return hasType(value, workerMessageTypes);
}

export function isParentToWorkerMessage(value: unknown): value is ParentToWorkerMessage {
  return hasType(value, parentMessageTypes);
}

// ---------------------------------------------------------------- worker environment

/** Folders (each a node_modules or its parent) named by the user, separated like PATH. */
export const MODULE_PATHS_ENV = 'GAN_MODULE_PATHS';
/** The workspace folder whose node_modules the user opted in to. */
export const WORKSPACE_MODULES_ENV = 'GAN_WORKSPACE_MODULES';

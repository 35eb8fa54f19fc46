// Messages between the extension host and the dashboard / preview webviews. The webview gets all
// of its data through these (and webview URIs for images); it never touches Node or the run folder.

export type RunStatus = 'queued' | 'running' | 'completed' | 'stopped' | 'failed';

/** One line of a run's metrics.jsonl: step, epoch, time (seconds since start) and the family's metrics. */
export interface MetricRow {
  readonly step: number;
  readonly epoch: number;
  readonly time: number;
  readonly [metric: string]: number;
}

export interface RunSummary {
  readonly id: string;
  readonly model: string;
  readonly family: string;
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

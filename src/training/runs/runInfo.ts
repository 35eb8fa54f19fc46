// run.json: what a run is and where it stands. Written only by the worker that trains the run
// (and by its parent when the worker dies), always atomically.
import type { FamilyName } from '../../language/model';
import { isFamilyName } from '../../language/model';
import { runIdProblem } from '../../protocol/ids';
import type { GrowthStatus } from '../../protocol/growth';
import type { HealthProblem } from '../../protocol/health';
import type { RunStatus, TorchEngineInfo } from '../../protocol/training';
import type { SkippedFiles } from '../contract';

export interface RunInfo {
  readonly id: string;
  readonly model: string;
  readonly family: FamilyName;
  /** Absolute path of the .gan file the run was started from. */
  readonly sourceFile: string;
  /** The tfjs backend in use ('wasm', 'cpu', 'tensorflow', ...) and what was asked for. */
  readonly backend: string;
  readonly requestedBackend: string;
  readonly device: string;
  readonly threads: number;
  readonly seed: number;
  readonly status: RunStatus;
  readonly step: number;
  readonly totalSteps: number;
  readonly stepsPerEpoch: number | null;
  /** The `--steps` override the run was started with (kept so a resumed run has the same budget). */
  readonly stepsOverride: number | null;
  /** The data limit the run was started with (tests), kept for resume. */
  readonly dataLimit: number | null;
  /** ISO timestamps. */
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly finishedAt: string | null;
  readonly error: string | null;
  /** The data's label names in label order (what a cgan's rows are), when it is labelled. */
  readonly classNames?: readonly string[];
  /** Images the data sources skipped as unreadable when the run (or its resume) started. */
  readonly dataSkipped?: SkippedFiles;
  /** What is wrong with the run's learning (src/protocol/health.ts), as of its last checkpoint;
   *  absent or empty when healthy or not judged yet. */
  readonly health?: readonly HealthProblem[];
  /** A growing model's (progan) newest stage and its fade-in α, as of the last progress. */
  readonly growth?: GrowthStatus;
  /** Set when PyTorch trained the run (its checkpoints also hold TensorFlow.js networks, which
   *  sampling, the preview and evaluation read); absent: TensorFlow.js trained it. */
  readonly engine?: TorchEngineInfo;
  /** The worker process writing the run, to tell a live run from a dead one. */
  readonly pid: number;
  readonly host: string;
}

const statuses: ReadonlySet<string> = new Set(['running', 'completed', 'stopped', 'failed']);

function field(record: Record<string, unknown>, name: string, type: 'string' | 'number'): boolean {
  return typeof record[name] === type;
}

/** Checks the fields readers depend on; returns an error message or null. */
export function validateRunInfo(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'run.json is not an object';
  const record = value as Record<string, unknown>;
  for (const name of ['id', 'model', 'family', 'startedAt', 'updatedAt'])
    if (!field(record, name, 'string')) return `run.json: "${name}" is missing or not a string`;
  for (const name of ['step', 'totalSteps'])
    if (!field(record, name, 'number')) return `run.json: "${name}" is missing or not a number`;
  if (!isFamilyName(record.family))
    return `run.json: "family" ${JSON.stringify(record.family)} is not a family`;
  const badId = runIdProblem(record.id);
  if (badId) return `run.json: "id" ${badId}`;
  if (typeof record.status !== 'string' || !statuses.has(record.status))
    return `run.json: "status" must be one of ${[...statuses].join(', ')}`;
  return null;
}

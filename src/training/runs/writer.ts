// Creates and updates one run folder. Only the process training the run writes through this
// (plus markRunFailed, used by the parent when that process dies).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { MetricRow, RunStatus } from '../../protocol/training';
import { writeFileAtomic, writeJsonAtomic } from './atomic';
import { type CheckpointState, writeCheckpoint } from './checkpoints';
import { appendMetricRow, readMetrics, truncateMetricsAfter } from './metrics';
import {
  CHECKPOINTS_DIR,
  METRICS_JSONL,
  MODEL_GAN,
  RUN_JSON,
  runIdFor,
  SAMPLES_DIR,
  samplePath,
} from './paths';
import { listSamples, readRunInfo } from './reader';
import type { RunInfo } from './runInfo';

export type NewRunInfo = Omit<
  RunInfo,
  'id' | 'status' | 'step' | 'startedAt' | 'updatedAt' | 'finishedAt' | 'error' | 'pid' | 'host'
>;

/** Creates `<runsDir>/<model>-<yyyymmdd-hhmmss>` (with -2, -3, ... if two runs start in the same second). */
function createRunDir(runsDir: string, model: string, now: Date): { id: string; dir: string } {
  mkdirSync(runsDir, { recursive: true });
  const base = runIdFor(model, now);
  for (let n = 1; ; n++) {
    const id = n === 1 ? base : `${base}-${n}`;
    const dir = join(runsDir, id);
    try {
      mkdirSync(dir);
      return { id, dir };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

export class RunWriter {
  private constructor(
    readonly dir: string,
    private current: RunInfo,
  ) {}

  get info(): RunInfo {
    return this.current;
  }

  /** `claim` runs on the new, empty folder before anything is written (the trainer takes the
   *  folder's lock there). */
  static create(
    runsDir: string,
    fields: NewRunInfo,
    modelSource: string,
    claim?: (dir: string) => void,
  ): RunWriter {
    const now = new Date();
    const { id, dir } = createRunDir(runsDir, fields.model, now);
    claim?.(dir);
    mkdirSync(join(dir, SAMPLES_DIR));
    mkdirSync(join(dir, CHECKPOINTS_DIR));
    writeFileSync(join(dir, MODEL_GAN), modelSource);
    writeFileSync(join(dir, METRICS_JSONL), '');
    const info: RunInfo = {
      id,
      ...fields,
      status: 'running',
      step: 0,
      startedAt: now.toISOString(),
      updatedAt: now.toISOString(),
      finishedAt: null,
      error: null,
      pid: process.pid,
      host: hostname(),
    };
    const writer = new RunWriter(dir, info);
    writer.save();
    return writer;
  }

  /** Continues a run from `step`: metrics after it and samples after it are dropped. */
  static resume(
    dir: string,
    step: number,
    updates: Partial<NewRunInfo>,
  ): { writer: RunWriter; rows: MetricRow[] } {
    const previous = readRunInfo(dir);
    const rows = truncateMetricsAfter(join(dir, METRICS_JSONL), step);
    for (const sample of listSamples(dir)) if (sample.step > step) rmSync(sample.path, { force: true });
    const info: RunInfo = {
      ...previous,
      ...updates,
      status: 'running',
      step,
      updatedAt: new Date().toISOString(),
      finishedAt: null,
      error: null,
      pid: process.pid,
      host: hostname(),
    };
    const writer = new RunWriter(dir, info);
    writer.save();
    return { writer, rows };
  }

  update(patch: Partial<RunInfo>): void {
    this.current = { ...this.current, ...patch, updatedAt: new Date().toISOString() };
    this.save();
  }

  /** Every metric row written so far. */
  readMetrics(): MetricRow[] {
    return readMetrics(join(this.dir, METRICS_JSONL));
  }

  appendMetrics(row: MetricRow): void {
    appendMetricRow(join(this.dir, METRICS_JSONL), row);
  }

  writeSample(step: number, png: Uint8Array): string {
    const path = samplePath(this.dir, step);
    writeFileAtomic(path, png);
    return path;
  }

  writeCheckpoint(state: CheckpointState, save: (dir: string) => Promise<void>): Promise<string> {
    return writeCheckpoint(this.dir, state, save);
  }

  finish(status: Exclude<RunStatus, 'running'>, step: number, error: string | null = null): void {
    this.update({ status, step, error, finishedAt: new Date().toISOString() });
  }

  private save(): void {
    writeJsonAtomic(join(this.dir, RUN_JSON), this.current);
  }
}

/** Marks a run failed if it still says running (its worker died without saying so). */
export function markRunFailed(dir: string, error: string): boolean {
  const info = readRunInfo(dir);
  if (info.status !== 'running') return false;
  const now = new Date().toISOString();
  writeJsonAtomic(join(dir, RUN_JSON), { ...info, status: 'failed', error, updatedAt: now, finishedAt: now });
  return true;
}

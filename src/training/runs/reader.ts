// Reads run folders for the CLI, the dashboard and tests. A run whose run.json says `running` but
// whose worker process is gone (killed, crashed) is reported as failed.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { MetricRow } from '../../protocol/training';
import { listCheckpoints } from './checkpoints';
import { readMetrics } from './metrics';
import { METRICS_JSONL, parseStepName, RUN_JSON, SAMPLES_DIR } from './paths';
import { type RunInfo, validateRunInfo } from './runInfo';

export interface SampleFile {
  readonly step: number;
  readonly path: string;
}

export interface RunRecord {
  readonly dir: string;
  /** run.json, with `status` corrected to failed when its worker is gone. */
  readonly info: RunInfo;
  readonly metrics: readonly MetricRow[];
  readonly samples: readonly SampleFile[];
  /** Steps of the complete checkpoints, ascending. */
  readonly checkpoints: readonly number[];
}

export class RunReadError extends Error {}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** run.json as written, or a RunReadError saying what is wrong with it. */
export function readRunInfo(dir: string): RunInfo {
  const path = join(dir, RUN_JSON);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new RunReadError(`${dir}: not a run folder (no ${RUN_JSON})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RunReadError(`${path}: invalid JSON (${(error as Error).message})`);
  }
  const problem = validateRunInfo(value);
  if (problem) throw new RunReadError(`${path}: ${problem}`);
  return value as RunInfo;
}

/** The status a reader should show: a `running` run whose worker on this host is dead has failed. */
export function effectiveInfo(info: RunInfo): RunInfo {
  if (info.status !== 'running' || info.host !== hostname() || isProcessAlive(info.pid)) return info;
  return {
    ...info,
    status: 'failed',
    error:
      info.error ?? `the worker process (pid ${info.pid}) is no longer running: it was killed or crashed`,
  };
}

export function listSamples(dir: string): SampleFile[] {
  const samplesDir = join(dir, SAMPLES_DIR);
  if (!existsSync(samplesDir)) return [];
  const samples: SampleFile[] = [];
  for (const name of readdirSync(samplesDir)) {
    const step = parseStepName(name, '.png');
    if (step !== null) samples.push({ step, path: join(samplesDir, name) });
  }
  return samples.sort((a, b) => a.step - b.step);
}

export function readRun(dir: string): RunRecord {
  const info = effectiveInfo(readRunInfo(dir));
  return {
    dir,
    info,
    metrics: readMetrics(join(dir, METRICS_JSONL)),
    samples: listSamples(dir),
    checkpoints: listCheckpoints(dir),
  };
}

/** Every readable run under runsDir, newest first. Folders that are not runs are skipped. */
export function listRuns(runsDir: string): RunRecord[] {
  if (!existsSync(runsDir)) return [];
  const runs: RunRecord[] = [];
  for (const name of readdirSync(runsDir)) {
    const dir = join(runsDir, name);
    if (!statSync(dir).isDirectory() || !existsSync(join(dir, RUN_JSON))) continue;
    try {
      runs.push(readRun(dir));
    } catch (error) {
      if (!(error instanceof RunReadError)) throw error;
    }
  }
  return runs.sort(
    (a, b) => b.info.startedAt.localeCompare(a.info.startedAt) || b.info.id.localeCompare(a.info.id),
  );
}

/** A run named on the command line: a run folder path, a run id inside runsDir, or a model name
 *  (its newest run). */
export function resolveRunRef(ref: string, runsDir: string): string {
  const candidates = isAbsolute(ref) ? [ref] : [resolve(ref), join(runsDir, ref)];
  for (const dir of candidates) if (existsSync(join(dir, RUN_JSON))) return dir;
  const byModel = listRuns(runsDir).filter((run) => run.info.model === ref);
  if (byModel.length) return byModel[0].dir;
  throw new RunReadError(`no run "${ref}": not a run folder, nor a run id or model name in ${runsDir}`);
}

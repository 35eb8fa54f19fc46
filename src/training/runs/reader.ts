// Reads run folders for the CLI, the dashboard and tests. A run whose run.json says `running` but
// whose worker process is gone (killed, crashed) is reported as failed.
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { MetricRow } from '../../protocol/training';
import { listCheckpoints } from './checkpoints';
import { readMetrics } from './metrics';
import { CHECKPOINTS_DIR, METRICS_JSONL, MODEL_GAN, parseStepName, RUN_JSON, SAMPLES_DIR } from './paths';
import { lockState } from './lock';
import { isProcessAlive } from './process';
import { type RunInfo, validateRunInfo } from './runInfo';

export { isProcessAlive };

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

export class RunReadError extends Error {
  /** What is wrong, without the path (for a listing that names the run already). */
  readonly reason: string;

  constructor(message: string, reason = message) {
    super(message);
    this.reason = reason;
  }
}

/** run.json as written, or a RunReadError saying what is wrong with it. */
export function readRunInfo(dir: string): RunInfo {
  const path = join(dir, RUN_JSON);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new RunReadError(
      `${dir}: not a run folder (no ${RUN_JSON})`,
      `${RUN_JSON} is unreadable (${code})`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const reason = `${RUN_JSON} is not valid JSON (${(error as Error).message})`;
    throw new RunReadError(`${path}: ${reason}`, reason);
  }
  const problem = validateRunInfo(value);
  if (problem) throw new RunReadError(`${path}: ${problem}`, problem);
  return value as RunInfo;
}

/** The status a reader should show: a `running` run whose worker on this host is dead has failed;
 *  so has one whose lock was left by a process that is gone, even if its pid was reused since. */
export function effectiveInfo(info: RunInfo, dir?: string): RunInfo {
  if (info.status !== 'running' || info.host !== hostname()) return info;
  if (!isProcessAlive(info.pid))
    return {
      ...info,
      status: 'failed',
      error:
        info.error ?? `the worker process (pid ${info.pid}) is no longer running: it was killed or crashed`,
    };
  const lock = dir === undefined ? null : lockState(dir);
  if (lock?.kind !== 'stale') return info;
  return { ...info, status: 'failed', error: info.error ?? `the worker is no longer running: ${lock.why}` };
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

/** A run folder, or a RunReadError saying what makes it unreadable. */
export function readRun(dir: string): RunRecord {
  const info = effectiveInfo(readRunInfo(dir), dir);
  const metricsPath = join(dir, METRICS_JSONL);
  if (existsSync(metricsPath) && !statSync(metricsPath).isFile())
    throw new RunReadError(`${METRICS_JSONL} is not a file`);
  return {
    dir,
    info,
    metrics: readMetrics(metricsPath),
    samples: listSamples(dir),
    checkpoints: listCheckpoints(dir),
  };
}

/** A folder in the runs folder that looks like a run but cannot be read. */
export interface BrokenRun {
  readonly dir: string;
  /** The folder's name (run.json's id cannot be trusted). */
  readonly name: string;
  readonly reason: string;
}

export interface RunsScan {
  /** Readable runs, newest first. */
  readonly runs: RunRecord[];
  readonly broken: BrokenRun[];
}

const RUN_ENTRIES = [RUN_JSON, MODEL_GAN, METRICS_JSONL, CHECKPOINTS_DIR, SAMPLES_DIR];

function errorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}

/** One entry of the runs folder: a run, a broken run, or null for anything that is not a run. */
function scanEntry(runsDir: string, name: string): RunRecord | BrokenRun | null {
  const dir = join(runsDir, name);
  const broken = (reason: string): BrokenRun => ({ dir, name, reason });
  try {
    if (lstatSync(dir).isSymbolicLink() && !existsSync(dir)) return broken('dangling symbolic link');
    if (!statSync(dir).isDirectory()) return null;
    if (!existsSync(join(dir, RUN_JSON)))
      return readdirSync(dir).some((entry) => RUN_ENTRIES.includes(entry)) ? broken(`no ${RUN_JSON}`) : null;
    return readRun(dir);
  } catch (error) {
    if (error instanceof RunReadError) return broken(error.reason);
    return broken(errorReason(error));
  }
}

/** Every entry of a runs folder that is or looks like a run; never throws for a bad run. */
export function scanRuns(runsDir: string): RunsScan {
  if (!existsSync(runsDir)) return { runs: [], broken: [] };
  const runs: RunRecord[] = [];
  const broken: BrokenRun[] = [];
  for (const name of readdirSync(runsDir).sort()) {
    const entry = scanEntry(runsDir, name);
    if (entry && 'reason' in entry) broken.push(entry);
    else if (entry) runs.push(entry);
  }
  runs.sort((a, b) => b.info.startedAt.localeCompare(a.info.startedAt) || b.info.id.localeCompare(a.info.id));
  return { runs, broken };
}

/** Every readable run under runsDir, newest first. */
export function listRuns(runsDir: string): RunRecord[] {
  return scanRuns(runsDir).runs;
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

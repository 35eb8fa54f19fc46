// Names inside a run folder (the contract in the architecture brief):
//   <runsDir>/<model>-<yyyymmdd-hhmmss>/{run.json, model.gan, metrics.jsonl, samples/, checkpoints/}
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

export const RUN_JSON = 'run.json';
export const MODEL_GAN = 'model.gan';
export const METRICS_JSONL = 'metrics.jsonl';
export const SAMPLES_DIR = 'samples';
export const CHECKPOINTS_DIR = 'checkpoints';

/** The default runs folder of a workspace (or of the current directory for the CLI). */
export function defaultRunsDir(workspace: string): string {
  return join(workspace, '.gan', 'runs');
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** `yyyymmdd-hhmmss` in local time. */
export function timestampName(date: Date): string {
  return (
    `${date.getFullYear()}${pad(date.getMonth() + 1, 2)}${pad(date.getDate(), 2)}-` +
    `${pad(date.getHours(), 2)}${pad(date.getMinutes(), 2)}${pad(date.getSeconds(), 2)}`
  );
}

export function runIdFor(model: string, date: Date): string {
  return `${model}-${timestampName(date)}`;
}

/** `step-000120`: the name of a sample grid (plus .png) or a checkpoint folder. */
export function stepName(step: number): string {
  return `step-${pad(step, 6)}`;
}

/** The step of a `step-NNNNNN` name (with an optional extension), or null. */
export function parseStepName(name: string, extension = ''): number | null {
  if (!name.endsWith(extension)) return null;
  const match = /^step-(\d+)$/.exec(name.slice(0, name.length - extension.length));
  return match ? Number(match[1]) : null;
}

export function samplePath(runDir: string, step: number): string {
  return join(runDir, SAMPLES_DIR, `${stepName(step)}.png`);
}

export function checkpointPath(runDir: string, step: number): string {
  return join(runDir, CHECKPOINTS_DIR, stepName(step));
}

/** `base` joined with `parts`, resolved, and refused unless it stays inside `base`: for every path
 *  built from run data (run.json) or webview messages. */
export function resolveInside(base: string, ...parts: string[]): string {
  const root = resolve(base);
  const path = resolve(root, ...parts);
  const rel = relative(root, path);
  if (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel)) return path;
  throw new Error(`refusing the path ${path}: it is outside ${root}`);
}

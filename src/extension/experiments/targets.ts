// Command arguments arrive as a model of a file (lenses), a run node (Runs view), a list of run
// folders (status bar, hover links) or nothing (palette); these turn them into run folders.
import type { ModelTarget, RunsTarget } from './commandIds';
import { latestRunOf } from './runGroups';
import type { IndexedRun } from './runIndex';

export function isModelTarget(value: unknown): value is ModelTarget {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record.file === 'string' && typeof record.model === 'string';
}

export function isRunsTarget(value: unknown): value is RunsTarget {
  if (typeof value !== 'object' || value === null) return false;
  const dirs = (value as { runDirs?: unknown }).runDirs;
  return Array.isArray(dirs) && dirs.every((dir) => typeof dir === 'string');
}

/** The latest run of a model of a file. */
export function latestRunOfModel(runs: readonly IndexedRun[], target: ModelTarget): IndexedRun | undefined {
  return latestRunOf(
    runs.filter((run) => run.info.sourceFile === target.file),
    target.model,
  );
}

/** The dashboard of a model: its latest run first, then the latest run of each variant. */
export function dashboardRunDirs(
  runs: readonly IndexedRun[],
  target: ModelTarget,
  variants: readonly string[],
): string[] {
  const dirs: string[] = [];
  for (const model of [target.model, ...variants.filter((name) => name !== target.model)]) {
    const run = latestRunOfModel(runs, { file: target.file, model });
    if (run) dirs.push(run.dir);
  }
  return dirs;
}

/** The newest run of a model that has a checkpoint to render samples from, or is training. */
export function previewRunOfModel(runs: readonly IndexedRun[], target: ModelTarget): IndexedRun | undefined {
  return runs
    .filter(
      (run) =>
        run.info.sourceFile === target.file &&
        run.model === target.model &&
        // A live run without a checkpoint yet is still the one to follow: its preview renders
        // by itself once the first checkpoint lands.
        (run.checkpoints.length > 0 || run.status === 'running'),
    )
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))[0];
}

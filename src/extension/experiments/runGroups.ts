// The Runs view's tree: runs grouped by model (newest model activity first, newest run first).
// Pure: no vscode.
import type { RunStatus } from '../../protocol/training';

export interface RunListing {
  readonly dir: string;
  readonly id: string;
  readonly model: string;
  readonly status: RunStatus;
  readonly step: number;
  readonly totalSteps: number;
  readonly startedAt: string;
}

export interface ModelRunGroup<R extends RunListing = RunListing> {
  readonly model: string;
  readonly runs: readonly R[];
}

export function groupRunsByModel<R extends RunListing>(runs: readonly R[]): ModelRunGroup<R>[] {
  const byModel = new Map<string, R[]>();
  const newestFirst = [...runs].sort(
    (a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id),
  );
  for (const run of newestFirst) {
    const list = byModel.get(run.model) ?? [];
    list.push(run);
    byModel.set(run.model, list);
  }
  return [...byModel].map(([model, list]) => ({ model, runs: list }));
}

/** Codicon of a run's status in the tree. */
/** The Runs view's icon: a finished run whose learning went wrong gets a warning, not a tick. */
export function statusIcon(status: RunStatus, unhealthy = false): string {
  if (unhealthy && (status === 'completed' || status === 'stopped')) return 'warning';
  switch (status) {
    case 'running':
      return 'sync~spin';
    case 'completed':
      return 'pass';
    case 'stopped':
      return 'debug-pause';
    case 'failed':
      return 'error';
  }
}

/** The newest run of a model, or undefined. */
export function latestRunOf<R extends RunListing>(runs: readonly R[], model: string): R | undefined {
  return groupRunsByModel(runs).find((group) => group.model === model)?.runs[0];
}

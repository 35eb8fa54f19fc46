// What the Quality panel reads out of a run's metrics: the latest class histogram of its samples
// (the mode-collapse warning is src/protocol/collapse.ts, shared with the run's health). Pure.
import type { MetricSeries } from '../../protocol/metricSeries';

export type { MetricSeries } from '../../protocol/metricSeries';
export { modeCollapse, type CollapseWarning } from '../../protocol/collapse';

export const CLASS_PREFIX = 'eval/class/';

export interface ClassHistogram {
  readonly step: number;
  readonly classes: readonly { readonly name: string; readonly share: number }[];
}

export function latestHistogram(run: MetricSeries): ClassHistogram | null {
  const names = run.metricNames().filter((m) => m.startsWith(CLASS_PREFIX));
  if (!names.length) return null;
  const columns = names.map((n) => run.values(n));
  for (let i = run.steps.length - 1; i >= 0; i--) {
    if (!columns.some((c) => Number.isFinite(c[i]))) continue;
    return {
      step: run.steps[i],
      classes: names.map((n, k) => ({
        name: n.slice(CLASS_PREFIX.length),
        share: Number.isFinite(columns[k][i]) ? columns[k][i] : 0,
      })),
    };
  }
  return null;
}

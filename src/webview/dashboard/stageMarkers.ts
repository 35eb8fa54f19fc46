// Where a run's stages begin (progan: each new resolution), as x positions for every chart's
// vertical markers: the first row at which the family's stage metric takes a new value.
import { PRESENTATION_FAMILIES } from '../families';
import type { RunData, XAxis } from './runStore';

export function stageMarkers(runs: readonly RunData[], axis: XAxis): number[] {
  const out = new Set<number>();
  for (const run of runs) {
    const metric = PRESENTATION_FAMILIES[run.summary.family].stageMetric;
    if (!metric) continue;
    const values = run.values(metric);
    const xs = run.xValues(axis);
    let previous = NaN;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) continue;
      if (Number.isFinite(previous) && v !== previous) out.add(xs[i]);
      previous = v;
    }
  }
  return [...out].sort((a, b) => a - b);
}

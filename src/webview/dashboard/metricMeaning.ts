// What a run's values of a metric mean: probabilities or raw critic scores, or a loss of its kind.
// Runs whose values mean different things are never put side by side as one series (one chart per
// meaning) or one row (one final-metrics row per meaning).
import type { RunData } from './runStore';

const READOUTS: ReadonlySet<string> = new Set(['d_real', 'd_fake']);

/** What a run's values of a metric are ('' when nothing sets them apart). */
export function meaningOf(run: RunData, metric: string): string {
  const loss = run.summary.settings['loss'];
  if (READOUTS.has(metric))
    return run.summary.criticReadout === 'score' ? `raw critic score (${String(loss)})` : 'probability';
  if ((metric === 'loss' || metric.endsWith('_loss')) && typeof loss === 'string') return `${loss} loss`;
  return '';
}

export interface MeaningGroup {
  readonly meaning: string;
  /** The runs whose values of the metric mean `meaning`, in the given order. */
  readonly runs: readonly RunData[];
}

/** The runs that have `metric`, split by what their values mean, in order of first appearance. */
export function groupByMeaning(runs: readonly RunData[], metric: string): MeaningGroup[] {
  const groups = new Map<string, RunData[]>();
  for (const run of runs) {
    if (!run.metricNames().includes(metric)) continue;
    const meaning = meaningOf(run, metric);
    groups.set(meaning, [...(groups.get(meaning) ?? []), run]);
  }
  return [...groups].map(([meaning, members]) => ({ meaning, runs: members }));
}

/** A meaning as an id part: "raw critic score (hinge)" -> "raw-critic-score-hinge". */
export function meaningId(meaning: string): string {
  return meaning
    .replace(/[^a-z0-9]+/gi, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
}

// What the Quality panel reads out of a run's metrics: the latest class histogram of its samples
// and a mode-collapse warning (coverage or class entropy falling sharply from their best, or the
// discriminator's accuracy pinned at 100%), with the step where the fall began. Pure.

export const CLASS_PREFIX = 'eval/class/';

export interface MetricSeries {
  readonly steps: ArrayLike<number>;
  values(metric: string): ArrayLike<number>;
  metricNames(): readonly string[];
}

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

export interface CollapseWarning {
  /** The evaluation step where the fall began (or the pinned streak started). */
  readonly step: number;
  readonly reason: string;
}

/** A drop counts as sharp when the latest value is below this fraction of the best so far. */
const SHARP_DROP = 0.6;
/** The fall is dated from the first evaluation after the best that is below this fraction of it. */
const FALL_STARTS = 0.9;
const PINNED = 0.99;
const PINNED_EVALUATIONS = 2;

function points(run: MetricSeries, metric: string): { step: number; value: number }[] {
  const values = run.values(metric);
  const out: { step: number; value: number }[] = [];
  for (let i = 0; i < run.steps.length; i++)
    if (Number.isFinite(values[i])) out.push({ step: run.steps[i], value: values[i] });
  return out;
}

function sharpDrop(
  series: readonly { step: number; value: number }[],
): { step: number; best: number; now: number } | null {
  if (series.length < 2) return null;
  let bestAt = 0;
  for (let i = 1; i < series.length; i++) if (series[i].value > series[bestAt].value) bestAt = i;
  const best = series[bestAt].value;
  const now = series[series.length - 1].value;
  if (best <= 0 || now >= SHARP_DROP * best) return null;
  const start =
    series.slice(bestAt + 1).find((p) => p.value < FALL_STARTS * best) ?? series[series.length - 1];
  return { step: start.step, best, now };
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;

export function modeCollapse(run: MetricSeries): CollapseWarning | null {
  const warnings: CollapseWarning[] = [];
  const coverage = sharpDrop(points(run, 'eval/coverage'));
  if (coverage)
    warnings.push({
      step: coverage.step,
      reason: `coverage fell from ${pct(coverage.best)} to ${pct(coverage.now)}: the samples cover fewer of the real images`,
    });
  const entropy = sharpDrop(points(run, 'eval/class_entropy'));
  if (entropy)
    warnings.push({
      step: entropy.step,
      reason: `class entropy fell from ${entropy.best.toFixed(2)} to ${entropy.now.toFixed(2)} nats: fewer classes are generated`,
    });
  const accuracy = points(run, 'eval/d_acc');
  const tail = accuracy.slice(-PINNED_EVALUATIONS);
  if (tail.length === PINNED_EVALUATIONS && tail.every((p) => p.value >= PINNED)) {
    let first = accuracy.length - 1;
    while (first > 0 && accuracy[first - 1].value >= PINNED) first--;
    warnings.push({
      step: accuracy[first].step,
      reason:
        'the discriminator tells every real from every fake (accuracy pinned at 100%): the generator gets no useful gradient',
    });
  }
  if (!warnings.length) return null;
  warnings.sort((a, b) => a.step - b.step);
  const reason = warnings.map((w) => w.reason).join('; ');
  return { step: warnings[0].step, reason };
}

// Mode-collapse signs in a run's evaluation metrics: coverage or class entropy falling sharply from
// their best, within-class diversity far below the real images', or the discriminator's accuracy
// pinned at 100%, with the step where the fall (or the streak) began.
// Read by the dashboard's Quality panel and by the run's health. Pure.
import { metricPoints, type MetricSeries } from './metricSeries';

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
/** Within-class diversity (mean pairwise distance of a class's samples over the real images') below
 *  this is collapse: a collapsed cGAN measured 0.25, healthy runs 0.9–1.0. */
const LOW_DIVERSITY = 0.5;

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
  const coverage = sharpDrop(metricPoints(run, 'eval/coverage'));
  if (coverage)
    warnings.push({
      step: coverage.step,
      reason: `coverage fell from ${pct(coverage.best)} to ${pct(coverage.now)}: the samples cover fewer of the real images`,
    });
  const entropy = sharpDrop(metricPoints(run, 'eval/class_entropy'));
  if (entropy)
    warnings.push({
      step: entropy.step,
      reason: `class entropy fell from ${entropy.best.toFixed(2)} to ${entropy.now.toFixed(2)} nats: fewer classes are generated`,
    });
  const diversity = metricPoints(run, 'eval/class_diversity');
  const latest = diversity.at(-1);
  if (latest && latest.value < LOW_DIVERSITY) {
    let first = diversity.length - 1;
    while (first > 0 && diversity[first - 1].value < LOW_DIVERSITY) first--;
    warnings.push({
      step: diversity[first].step,
      reason: `samples of one class are nearly alike (within-class diversity ${pct(latest.value)} of the real images')`,
    });
  }
  const accuracy = metricPoints(run, 'eval/d_acc');
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

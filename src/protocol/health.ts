// A run's health from its metrics: a loss that grew without bound, a discriminator that wins
// outright (D(real) ≈ 1 and D(fake) ≈ 0, so the generator learns nothing), and mode collapse.
// A run can complete and still be unhealthy; the dashboard, the Runs view and `gan runs` say so,
// with what to try. Pure: the worker records it in run.json, the dashboard reads it live.
import { modeCollapse } from './collapse';
import { formatMetric } from './format';
import { metricPoints, type MetricPoint, type MetricSeries } from './metricSeries';

export type HealthSignal = 'diverging' | 'saturated' | 'collapse';

export interface HealthProblem {
  readonly signal: HealthSignal;
  /** Where it began. */
  readonly step: number;
  readonly message: string;
  readonly advice: string;
}

export interface HealthContext {
  /** The metrics that are losses (a loss that grows without bound is divergence). */
  readonly losses: readonly string[];
  /** What d_real / d_fake are: probabilities under sigmoid losses, raw scores otherwise; null: none. */
  readonly criticReadout: 'probability' | 'score' | null;
  /** The family's advice against divergence, besides a lower learning rate. */
  readonly divergenceAdvice: string;
}

/** Windows of at least this many rows are compared; shorter runs are not judged. */
const MIN_WINDOW = 5;
/** A loss diverges when its late median is this many times its early one, and at least LOSS_CEILING. */
const GROWTH = 100;
const LOSS_CEILING = 1000;
/** A probability readout this close to 1 (real) and 0 (fake), on average over the run's last tenth. */
const SATURATED = 0.02;
const MIN_SATURATED_ROWS = 20;

export const SIGNAL_LABELS: Readonly<Record<HealthSignal, string>> = {
  diverging: 'diverging',
  saturated: 'discriminator saturated',
  collapse: 'mode collapse',
};

function median(points: readonly MetricPoint[]): number {
  const sorted = points.map((p) => Math.abs(p.value)).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function diverging(run: MetricSeries, context: HealthContext): HealthProblem[] {
  const out: HealthProblem[] = [];
  for (const metric of context.losses) {
    const points = metricPoints(run, metric);
    const tenth = Math.max(MIN_WINDOW, Math.floor(points.length / 10));
    if (points.length < 3 * tenth) continue;
    // The early window skips the first tenth, where losses move fastest.
    const early = median(points.slice(tenth, 2 * tenth));
    const late = median(points.slice(-tenth));
    const limit = Math.max(GROWTH * Math.max(early, 1), LOSS_CEILING);
    if (late < limit) continue;
    const from = points.find((p) => Math.abs(p.value) >= limit) ?? points[points.length - tenth];
    out.push({
      signal: 'diverging',
      step: from.step,
      message: `${metric} grew from about ${formatMetric(early)} to ${formatMetric(late)} (past ${formatMetric(limit)} from step ${from.step})`,
      advice: `Try a learning rate 10× lower, ${context.divergenceAdvice}, or normalization layers.`,
    });
  }
  return out;
}

function saturated(run: MetricSeries, context: HealthContext): HealthProblem | null {
  if (context.criticReadout !== 'probability') return null;
  const real = metricPoints(run, 'd_real');
  const fake = metricPoints(run, 'd_fake');
  const n = Math.min(real.length, fake.length);
  const window = Math.max(MIN_SATURATED_ROWS, Math.floor(n / 10));
  if (n < window) return null;
  const mean = (p: readonly MetricPoint[]): number => p.reduce((s, x) => s + x.value, 0) / p.length;
  const lastReal = mean(real.slice(-window));
  const lastFake = mean(fake.slice(-window));
  if (lastReal < 1 - SATURATED || lastFake > SATURATED) return null;
  let first = real.length - 1;
  const offset = fake.length - real.length;
  while (
    first > 0 &&
    real[first - 1].value >= 1 - SATURATED &&
    (fake[first - 1 + offset]?.value ?? 1) <= SATURATED
  )
    first--;
  return {
    signal: 'saturated',
    step: real[first].step,
    message: `the discriminator wins outright: D(real) ${formatMetric(lastReal)} and D(fake) ${formatMetric(lastFake)} over the last ${window} steps, so the generator gets no useful gradient`,
    advice:
      'Slow the discriminator down (its own optimizer with a lower lr), add dropout or one-sided label smoothing (smoothing=0.9), or use the hinge loss with spectral norm (sn=true).',
  };
}

/** Everything wrong with the run, in the order it began; empty when healthy. */
export function assessHealth(run: MetricSeries, context: HealthContext): HealthProblem[] {
  const problems = diverging(run, context);
  const saturation = saturated(run, context);
  if (saturation) problems.push(saturation);
  const collapse = modeCollapse(run);
  if (collapse)
    problems.push({
      signal: 'collapse',
      step: collapse.step,
      message: collapse.reason,
      advice:
        'Lower both learning rates, use the hinge loss with spectral norm, or (cgan) the default onehot/planes or the projection conditioning.',
    });
  return problems.sort((a, b) => a.step - b.step);
}

/** `unhealthy: diverging, discriminator saturated` (or '' when healthy). */
export function healthSummary(problems: readonly HealthProblem[] | undefined): string {
  if (!problems?.length) return '';
  return `unhealthy: ${[...new Set(problems.map((p) => SIGNAL_LABELS[p.signal]))].join(', ')}`;
}

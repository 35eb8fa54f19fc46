// Tick increments, filters and labels of the charts' axes (uPlot draws them on the canvas), and the
// range of a log axis.
import uPlot from 'uplot';
import { formatMetric } from '../../protocol/format';

/**
 * Whole-number increments (1, 2, 5, 10, 20, 50, … 5e15) for the step axis: uPlot's default ones
 * include 0.1–0.5, which on a run of a few steps put ticks between steps that read alike ("1 1 2").
 */
export const STEP_INCREMENTS: readonly number[] = Array.from({ length: 16 }, (_, e) =>
  [1, 2, 5].map((m) => m * 10 ** e),
).flat();

/** The least distance, in CSS pixels, between two labelled ticks of a log axis. */
const MIN_LABEL_GAP = 16;

/**
 * Which ticks of a log (uPlot distr 3) or symlog (asinh, distr 4) axis get a label: decades and a
 * symlog's 0, every other (third…) decade where they are crowded, none nearer than MIN_LABEL_GAP to
 * one kept before it, going outward from 0. Replaces uPlot's own filter, whose skipping by index
 * lands between the decades below a symlog's 0. A null tick is drawn without a label.
 */
export function logTickFilter(u: uPlot, splits: number[], axisIdx: number): (number | null)[] {
  const scale = u.axes[axisIdx].scale ?? 'y';
  const at = (v: number) => u.valToPos(v, scale);
  const every = Math.max(1, Math.ceil(MIN_LABEL_GAP / Math.abs(at(10) - at(1))));
  const kept = splits.map((v) =>
    v === 0 || (isDecade(v) && Math.round(Math.log10(Math.abs(v))) % every === 0) ? v : null,
  );
  const origin = Math.max(0, splits.indexOf(0));
  const indices = splits.map((_, i) => i);
  for (const side of [indices.slice(origin), indices.slice(0, origin + 1).reverse()]) {
    let last: number | null = null;
    for (const i of side) {
      const v = kept[i];
      if (v === null) continue;
      if (last !== null && Math.abs(at(v) - last) < MIN_LABEL_GAP) kept[i] = null;
      else last = at(v);
    }
  }
  return kept;
}

/**
 * The range of a log or symlog y scale. uPlot's own rounds it outward to the values' magnitudes, but
 * values a rounding error apart (a constant learning rate, smoothed: 0.00099999… and 0.001) round to
 * one point, and nothing is drawn: those get a decade either side, as equal values do.
 */
export function logRange(u: uPlot, min: number, max: number, key: string): uPlot.Range.MinMax {
  if (min === null || max === null) return [null, null]; // no values yet (uPlot passes null)
  const range = u.scales[key].distr === 4 ? uPlot.rangeAsinh : uPlot.rangeLog;
  const [low, high] = range(min, max, 10, false);
  return low !== null && high !== null && low < high ? [low, high] : range(min, min, 10, false);
}

/** Y tick labels: a tick the filter dropped (null) has none. */
export function yTickLabels(splits: readonly (number | null)[]): string[] {
  return splits.map((v) => (v === null ? '' : formatMetric(v)));
}

function isDecade(value: number): boolean {
  const exponent = Math.log10(Math.abs(value));
  return Math.abs(exponent - Math.round(exponent)) < 1e-9;
}

// Picks which points to draw: for each horizontal pixel bucket, the first, minimum, maximum and last
// point of every series (M4). The line drawn through them is pixel-identical to the full line, and
// every drawn point is a real data point, so the hover read-out shows exact values.
import { type BlockExtremes, type Extremes, noExtremes, scanExtremes } from './blockExtremes';

export interface DrawnSeries {
  readonly values: ArrayLike<number>;
  /** Block summaries of values (up to date), to skip scanning long buckets. */
  readonly blocks?: BlockExtremes;
}

/**
 * Indices into xs (ascending) of the points to draw between xMin and xMax with `buckets` pixel columns.
 * One point beyond each end is kept so lines run to the plot edge when zoomed. Every series in `ys`
 * contributes its own extremes; NaN values are skipped.
 */
export function selectDrawIndices(
  xs: ArrayLike<number>,
  ys: readonly DrawnSeries[],
  xMin: number,
  xMax: number,
  buckets: number,
): Uint32Array {
  const n = xs.length;
  if (n === 0) return new Uint32Array(0);
  let start = lowerBound(xs, xMin);
  let end = upperBound(xs, xMax); // exclusive
  if (start > 0) start--;
  if (end < n) end++;
  const bucketCount = Math.max(1, Math.floor(buckets));
  if (end - start <= bucketCount * 4) return range(start, end);

  const out: number[] = [];
  const candidates: number[] = [];
  const span = xMax > xMin ? xMax - xMin : 1;
  // xs is ascending, so each bucket is a contiguous run of indices: find its end by binary search.
  let i = start;
  for (let b = 1; b <= bucketCount && i < end; b++) {
    const boundary = b === bucketCount ? end : lowerBound(xs, xMin + (span * b) / bucketCount, i);
    const j = Math.max(i + 1, Math.min(end, boundary));
    candidates.length = 0;
    candidates.push(i, j - 1);
    for (const y of ys) {
      const found = bucketExtremes(y, i, j);
      if (found.minIndex >= 0) candidates.push(found.minIndex);
      if (found.maxIndex >= 0) candidates.push(found.maxIndex);
    }
    candidates.sort((a, c) => a - c);
    for (let k = 0; k < candidates.length; k++)
      if (k === 0 || candidates[k] !== candidates[k - 1]) out.push(candidates[k]);
    i = j;
  }
  return Uint32Array.from(out);
}

function bucketExtremes(series: DrawnSeries, from: number, to: number): Extremes {
  if (series.blocks) return series.blocks.extremes(series.values, from, to);
  const found = noExtremes();
  scanExtremes(series.values, from, to, found);
  return found;
}

function range(from: number, to: number): Uint32Array {
  const out = new Uint32Array(to - from);
  for (let k = 0; k < out.length; k++) out[k] = from + k;
  return out;
}

/** First index (from `from` on) with xs[i] >= x. */
export function lowerBound(xs: ArrayLike<number>, x: number, from = 0): number {
  let lo = from;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with xs[i] > x. */
export function upperBound(xs: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

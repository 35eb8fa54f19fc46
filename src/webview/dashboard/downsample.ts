// Picks which points to draw: for each horizontal pixel bucket, the first, minimum, maximum and last
// point of every series (M4). The line drawn through them is pixel-identical to the full line, and
// every drawn point is a real data point, so the hover read-out shows exact values.

/**
 * Indices into xs (ascending) of the points to draw between xMin and xMax with `buckets` pixel columns.
 * One point beyond each end is kept so lines run to the plot edge when zoomed. Every series in `ys`
 * contributes its own extremes; NaN values are skipped.
 */
export function selectDrawIndices(
  xs: ArrayLike<number>,
  ys: readonly ArrayLike<number>[],
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
  const count = end - start;
  const bucketCount = Math.max(1, Math.floor(buckets));
  if (count <= bucketCount * 4) return range(start, end);

  const picked = new Uint8Array(count);
  const span = xMax > xMin ? xMax - xMin : 1;
  let i = start;
  while (i < end) {
    const bucket = Math.min(bucketCount - 1, Math.max(0, Math.floor(((xs[i] - xMin) / span) * bucketCount)));
    let j = i + 1;
    while (j < end) {
      const b = Math.min(bucketCount - 1, Math.max(0, Math.floor(((xs[j] - xMin) / span) * bucketCount)));
      if (b !== bucket) break;
      j++;
    }
    picked[i - start] = 1;
    picked[j - 1 - start] = 1;
    for (const y of ys) markExtremes(y, i, j, start, picked);
    i = j;
  }
  let total = 0;
  for (let k = 0; k < count; k++) total += picked[k];
  const out = new Uint32Array(total);
  let w = 0;
  for (let k = 0; k < count; k++) if (picked[k]) out[w++] = start + k;
  return out;
}

function markExtremes(y: ArrayLike<number>, from: number, to: number, offset: number, picked: Uint8Array): void {
  let minIndex = -1;
  let maxIndex = -1;
  let min = Infinity;
  let max = -Infinity;
  for (let k = from; k < to; k++) {
    const v = y[k];
    if (v < min) {
      min = v;
      minIndex = k;
    }
    if (v > max) {
      max = v;
      maxIndex = k;
    }
  }
  if (minIndex >= 0) picked[minIndex - offset] = 1;
  if (maxIndex >= 0) picked[maxIndex - offset] = 1;
}

function range(from: number, to: number): Uint32Array {
  const out = new Uint32Array(to - from);
  for (let k = 0; k < out.length; k++) out[k] = from + k;
  return out;
}

/** First index with xs[i] >= x. */
export function lowerBound(xs: ArrayLike<number>, x: number): number {
  let lo = 0;
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

// TensorBoard's smoothing: an exponential moving average, debiased so the first points are not pulled
// towards zero. Kept incremental so appending rows never recomputes the whole curve.

export interface EmaState {
  last: number;
  /** How many finite points have been accumulated (for the debias weight). */
  count: number;
}

export function newEmaState(): EmaState {
  return { last: 0, count: 0 };
}

/**
 * Smooths values[from, to) into out[from, to), continuing from `state` (which it updates).
 * Non-finite values pass through unsmoothed, as in TensorBoard. weight is in [0, 1).
 */
export function smoothInto(
  values: ArrayLike<number>,
  out: Float64Array,
  from: number,
  to: number,
  weight: number,
  state: EmaState,
): void {
  let { last, count } = state;
  for (let i = from; i < to; i++) {
    const y = values[i];
    if (!Number.isFinite(y)) {
      out[i] = y;
      continue;
    }
    last = last * weight + (1 - weight) * y;
    count++;
    const debias = weight === 1 ? 1 : 1 - Math.pow(weight, count);
    out[i] = last / debias;
  }
  state.last = last;
  state.count = count;
}

/** Whole-array convenience form (tests, one-off use). */
export function debiasedEma(values: ArrayLike<number>, weight: number): Float64Array {
  const out = new Float64Array(values.length);
  smoothInto(values, out, 0, values.length, weight, newEmaState());
  return out;
}

// Where the minimum and maximum of every block of 64 values sit, kept up to date as values are
// appended, so finding a pixel bucket's extremes reads ~1/64 of its points instead of all of them.

export const extremesBlockSize = 64;
const none = 0xffffffff;

/** Indices of the minimum and maximum found so far (-1 when none: empty or all NaN). */
export interface Extremes {
  minIndex: number;
  maxIndex: number;
  min: number;
  max: number;
}

export function noExtremes(): Extremes {
  return { minIndex: -1, maxIndex: -1, min: Infinity, max: -Infinity };
}

/** Folds values[from, to) into `found`. NaN never compares, so it is skipped. */
export function scanExtremes(values: ArrayLike<number>, from: number, to: number, found: Extremes): void {
  let { minIndex, maxIndex, min, max } = found;
  for (let k = from; k < to; k++) {
    const v = values[k];
    if (v < min) {
      min = v;
      minIndex = k;
    }
    if (v > max) {
      max = v;
      maxIndex = k;
    }
  }
  found.minIndex = minIndex;
  found.maxIndex = maxIndex;
  found.min = min;
  found.max = max;
}

export class BlockExtremes {
  private minIndex = new Uint32Array(256);
  private maxIndex = new Uint32Array(256);
  private blocks = 0;

  /** Summarises the complete blocks of `values` not yet summarised (values must only ever be appended). */
  update(values: ArrayLike<number>): void {
    const full = Math.floor(values.length / extremesBlockSize);
    if (full > this.minIndex.length) this.grow(Math.max(full, this.minIndex.length * 2));
    const found = noExtremes();
    for (let b = this.blocks; b < full; b++) {
      found.minIndex = found.maxIndex = -1;
      found.min = Infinity;
      found.max = -Infinity;
      scanExtremes(values, b * extremesBlockSize, (b + 1) * extremesBlockSize, found);
      this.minIndex[b] = found.minIndex < 0 ? none : found.minIndex;
      this.maxIndex[b] = found.maxIndex < 0 ? none : found.maxIndex;
    }
    this.blocks = Math.max(this.blocks, full);
  }

  /** The extremes of values[from, to), reading block summaries for the whole blocks inside. */
  extremes(values: ArrayLike<number>, from: number, to: number): Extremes {
    const found = noExtremes();
    const firstBlock = Math.ceil(from / extremesBlockSize);
    const lastBlock = Math.min(this.blocks, Math.floor(to / extremesBlockSize));
    if (lastBlock - firstBlock < 2) {
      scanExtremes(values, from, to, found);
      return found;
    }
    scanExtremes(values, from, firstBlock * extremesBlockSize, found);
    for (let b = firstBlock; b < lastBlock; b++) {
      const lo = this.minIndex[b];
      const hi = this.maxIndex[b];
      if (lo !== none && values[lo] < found.min) {
        found.min = values[lo];
        found.minIndex = lo;
      }
      if (hi !== none && values[hi] > found.max) {
        found.max = values[hi];
        found.maxIndex = hi;
      }
    }
    scanExtremes(values, lastBlock * extremesBlockSize, to, found);
    return found;
  }

  private grow(capacity: number): void {
    const minIndex = new Uint32Array(capacity);
    const maxIndex = new Uint32Array(capacity);
    minIndex.set(this.minIndex.subarray(0, this.blocks));
    maxIndex.set(this.maxIndex.subarray(0, this.blocks));
    this.minIndex = minIndex;
    this.maxIndex = maxIndex;
  }
}

// A Float64Array that grows by doubling, so appending rows costs amortised O(1) and the chart can
// read a zero-copy view of the filled part.

export class GrowableColumn {
  private buffer: Float64Array;
  private filled = 0;

  constructor(initialCapacity = 1024) {
    this.buffer = new Float64Array(Math.max(16, initialCapacity));
  }

  get length(): number {
    return this.filled;
  }

  push(value: number): void {
    if (this.filled === this.buffer.length) this.grow(this.filled * 2);
    this.buffer[this.filled++] = value;
  }

  /** Pads with `value` up to `length` (a metric that first appears after some rows). */
  padTo(length: number, value: number): void {
    if (length > this.buffer.length) this.grow(Math.max(length, this.buffer.length * 2));
    while (this.filled < length) this.buffer[this.filled++] = value;
  }

  /** The filled part, as a view (valid until the next push that grows the buffer). */
  view(): Float64Array {
    return this.buffer.subarray(0, this.filled);
  }

  private grow(capacity: number): void {
    const next = new Float64Array(capacity);
    next.set(this.buffer.subarray(0, this.filled));
    this.buffer = next;
  }
}

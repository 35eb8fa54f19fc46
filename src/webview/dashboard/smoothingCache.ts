// Smoothed copies of metric columns, extended incrementally as rows arrive and recomputed only when
// the smoothing weight changes.
import { BlockExtremes } from './blockExtremes';
import type { RunData } from './runStore';
import { type EmaState, newEmaState, smoothInto } from './smoothing';

interface SmoothedColumn {
  buffer: Float64Array;
  blocks: BlockExtremes;
  done: number;
  state: EmaState;
}

export class SmoothingCache {
  private weight = 0;
  private readonly columns = new Map<string, SmoothedColumn>();

  setWeight(weight: number): void {
    if (weight === this.weight) return;
    this.weight = weight;
    this.columns.clear();
  }

  getWeight(): number {
    return this.weight;
  }

  /** Smoothed values of run's metric, same length as its raw column. */
  smoothed(run: RunData, metric: string): Float64Array {
    const raw = run.values(metric);
    if (this.weight === 0) return raw;
    const key = `${run.id}\u0000${metric}`;
    let column = this.columns.get(key);
    if (!column || column.done > raw.length) {
      column = {
        buffer: new Float64Array(Math.max(1024, raw.length * 2)),
        blocks: new BlockExtremes(),
        done: 0,
        state: newEmaState(),
      };
      this.columns.set(key, column);
    }
    if (raw.length > column.buffer.length) {
      const grown = new Float64Array(raw.length * 2);
      grown.set(column.buffer.subarray(0, column.done));
      column.buffer = grown;
    }
    smoothInto(raw, column.buffer, column.done, raw.length, this.weight, column.state);
    column.done = raw.length;
    return column.buffer.subarray(0, raw.length);
  }

  /** Block min/max summaries of the smoothed values (the raw ones when smoothing is off). */
  blockExtremes(run: RunData, metric: string): BlockExtremes {
    if (this.weight === 0) return run.blockExtremes(metric);
    const values = this.smoothed(run, metric);
    const column = this.columns.get(`${run.id}\u0000${metric}`);
    if (!column) return run.blockExtremes(metric);
    column.blocks.update(values);
    return column.blocks;
  }

  clear(): void {
    this.columns.clear();
  }
}

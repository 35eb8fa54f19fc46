// Everything the dashboard knows about its runs: summaries, metric columns and sample grids. Rows are
// appended to growable typed arrays so charts read them without copying.
import type {
  MetricRow,
  MetricsMessage,
  RunSummary,
  SampleGrid,
  StatusMessage,
} from '../../protocol/webview';
import { BlockExtremes } from './blockExtremes';
import { GrowableColumn } from './growableColumn';
import { axisKeys } from './metricGroups';

export type XAxis = 'step' | 'time';

export class RunData {
  summary: RunSummary;
  readonly steps = new GrowableColumn();
  readonly times = new GrowableColumn();
  readonly epochs = new GrowableColumn();
  private readonly columns = new Map<string, GrowableColumn>();
  private readonly extremes = new Map<string, BlockExtremes>();
  private grids: SampleGrid[] = [];

  constructor(summary: RunSummary) {
    this.summary = summary;
  }

  get id(): string {
    return this.summary.id;
  }

  get rowCount(): number {
    return this.steps.length;
  }

  appendRows(rows: readonly MetricRow[]): void {
    for (const row of rows) {
      const index = this.steps.length;
      this.steps.push(row.step);
      this.times.push(row.time);
      this.epochs.push(row.epoch);
      for (const key of Object.keys(row)) {
        if (axisKeys.has(key)) continue;
        let column = this.columns.get(key);
        if (!column) {
          column = new GrowableColumn(this.steps.length * 2);
          this.columns.set(key, column);
        }
        column.padTo(index, NaN);
        const value = row[key];
        column.push(typeof value === 'number' ? value : NaN);
      }
    }
    // Metrics missing from the latest rows still line up with the steps.
    for (const column of this.columns.values()) column.padTo(this.steps.length, NaN);
  }

  metricNames(): string[] {
    return [...this.columns.keys()];
  }

  values(metric: string): Float64Array {
    return this.columns.get(metric)?.view() ?? new Float64Array(this.steps.length).fill(NaN);
  }

  /** Block min/max summaries of a metric's raw values, brought up to date. */
  blockExtremes(metric: string): BlockExtremes {
    let blocks = this.extremes.get(metric);
    if (!blocks) {
      blocks = new BlockExtremes();
      this.extremes.set(metric, blocks);
    }
    blocks.update(this.values(metric));
    return blocks;
  }

  xValues(axis: XAxis): Float64Array {
    return axis === 'step' ? this.steps.view() : this.times.view();
  }

  /** The last finite value of a metric at or before `step` (the metric's last value there), or NaN. */
  valueAt(metric: string, step: number): number {
    const values = this.values(metric);
    const steps = this.steps.view();
    for (let i = values.length - 1; i >= 0; i--)
      if (steps[i] <= step && Number.isFinite(values[i])) return values[i];
    return NaN;
  }

  /** The last step with a row, or 0. */
  lastStep(): number {
    return this.steps.length ? this.steps.view()[this.steps.length - 1] : 0;
  }

  /** The last finite value of a metric, or NaN. */
  lastValue(metric: string): number {
    const values = this.values(metric);
    for (let i = values.length - 1; i >= 0; i--) if (Number.isFinite(values[i])) return values[i];
    return NaN;
  }

  addGrids(grids: readonly SampleGrid[]): void {
    const known = new Set(this.grids.map((g) => g.step));
    for (const grid of grids) if (!known.has(grid.step)) this.grids.push(grid);
    this.grids.sort((a, b) => a.step - b.step);
  }

  sampleGrids(): readonly SampleGrid[] {
    return this.grids;
  }

  applyStatus(message: StatusMessage): void {
    this.summary = {
      ...this.summary,
      status: message.status,
      step: message.step,
      imagesPerSec: message.imagesPerSec ?? this.summary.imagesPerSec,
      etaSeconds: message.etaSeconds,
      error: message.error,
      evaluating: message.evaluating,
      health: message.health,
    };
  }
}

export class RunStore {
  private readonly runs = new Map<string, RunData>();

  reset(summaries: readonly RunSummary[]): void {
    this.runs.clear();
    for (const summary of summaries) this.runs.set(summary.id, new RunData(summary));
  }

  get(id: string): RunData | undefined {
    return this.runs.get(id);
  }

  all(): RunData[] {
    return [...this.runs.values()];
  }

  appendMetrics(message: MetricsMessage): RunData | undefined {
    const run = this.runs.get(message.runId);
    run?.appendRows(message.rows);
    return run;
  }
}

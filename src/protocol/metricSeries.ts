// A run's metrics as columns, as the dashboard keeps them and the run's health reads them. Pure.
import type { MetricRow } from './training';

export interface MetricSeries {
  readonly steps: ArrayLike<number>;
  /** One value per step; NaN where the row has none. */
  values(metric: string): ArrayLike<number>;
  metricNames(): readonly string[];
}

export interface MetricPoint {
  readonly step: number;
  readonly value: number;
}

/** The finite values of one metric, with their steps. */
export function metricPoints(run: MetricSeries, metric: string): MetricPoint[] {
  const values = run.values(metric);
  const out: MetricPoint[] = [];
  for (let i = 0; i < run.steps.length; i++)
    if (Number.isFinite(values[i])) out.push({ step: run.steps[i], value: values[i] });
  return out;
}

/** Columns of metric rows (rows missing a metric read NaN there). */
export function seriesOfRows(rows: readonly MetricRow[]): MetricSeries {
  const names = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row)) names.add(name);
  const columns = new Map<string, Float64Array>();
  return {
    steps: rows.map((r) => r.step),
    metricNames: () => [...names],
    values(metric) {
      let column = columns.get(metric);
      if (!column) {
        column = Float64Array.from(rows, (r) => {
          const v = (r as unknown as Record<string, unknown>)[metric];
          return typeof v === 'number' ? v : NaN;
        });
        columns.set(metric, column);
      }
      return column;
    },
  };
}

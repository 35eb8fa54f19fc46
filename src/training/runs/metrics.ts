// metrics.jsonl: one JSON object per logged step, appended as whole lines. Readers tolerate a
// truncated last line (a worker killed mid-write) and skip any line that is not a metrics row.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { MetricRow } from '../../protocol/training';
import { writeFileAtomic } from './atomic';

/** A metrics row by schema: step, epoch and time are numbers; of the other fields only finite
 *  numbers are kept (a string or null from a foreign writer never reaches a chart or a table). */
export function toMetricRow(value: unknown): MetricRow | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const row: Record<string, number> = {};
  for (const [name, field] of Object.entries(value as Record<string, unknown>))
    if (typeof field === 'number' && Number.isFinite(field)) row[name] = field;
  if (row.step === undefined || row.epoch === undefined || row.time === undefined) return null;
  return row as MetricRow;
}

export function parseMetrics(text: string): MetricRow[] {
  const rows: MetricRow[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    const row = toMetricRow(value);
    if (row) rows.push(row);
  }
  return rows;
}

export function readMetrics(path: string): MetricRow[] {
  if (!existsSync(path)) return [];
  return parseMetrics(readFileSync(path, 'utf8'));
}

export function appendMetricRow(path: string, row: MetricRow): void {
  appendFileSync(path, JSON.stringify(row) + '\n');
}

/** Keeps only rows up to `step` (and drops a torn last line), for resuming from a checkpoint. */
export function truncateMetricsAfter(path: string, step: number): MetricRow[] {
  const kept = readMetrics(path).filter((row) => row.step <= step);
  writeFileAtomic(path, kept.map((row) => JSON.stringify(row) + '\n').join(''));
  return kept;
}

// metrics.jsonl: one JSON object per logged step, appended as whole lines. Readers tolerate a
// truncated last line (a worker killed mid-write) and skip any line that is not a metrics row.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { MetricRow } from '../../protocol/training';
import { writeFileAtomic } from './atomic';

function isMetricRow(value: unknown): value is MetricRow {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.step === 'number' && typeof record.epoch === 'number' && typeof record.time === 'number'
  );
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
    if (isMetricRow(value)) rows.push(value);
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

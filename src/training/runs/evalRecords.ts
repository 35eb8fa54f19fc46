// The run folder's eval.jsonl (one `gan eval` result a line) and the best FID a run has reached,
// from its training-time evaluations (metrics.jsonl) and eval.jsonl. No TensorFlow.js here: the
// editor's hover reads it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvalMetricName } from '../../language/model';
import { METRICS_JSONL } from './paths';

export const EVAL_JSONL = 'eval.jsonl';

export interface EvalRecord {
  readonly run: string;
  readonly model: string;
  readonly step: number;
  /** ISO time of the evaluation. */
  readonly time: string;
  readonly features: string;
  readonly samples: Readonly<Partial<Record<EvalMetricName, number>>>;
  readonly values: Readonly<Record<string, number>>;
  readonly seconds: number;
}

function jsonLines(path: string, keep: (line: string) => boolean = () => true): unknown[] {
  if (!existsSync(path)) return [];
  const out: unknown[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim() || !keep(line)) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // a torn last line
    }
  }
  return out;
}

/** Every evaluation recorded in a run folder (torn or foreign lines skipped). */
export function readEvalRecords(runDir: string): EvalRecord[] {
  return jsonLines(join(runDir, EVAL_JSONL)).filter(
    (v): v is EvalRecord =>
      typeof v === 'object' &&
      v !== null &&
      typeof (v as EvalRecord).step === 'number' &&
      typeof (v as EvalRecord).values === 'object',
  );
}

export interface BestFid {
  readonly value: number;
  readonly step: number;
}

/** The lowest FID of a run so far, with its step (null when it was never evaluated). */
export function bestFid(runDir: string): BestFid | null {
  const points: BestFid[] = [];
  for (const row of jsonLines(join(runDir, METRICS_JSONL), (line) => line.includes('"eval/fid"'))) {
    const r = row as Record<string, unknown>;
    if (typeof r.step === 'number' && typeof r['eval/fid'] === 'number')
      points.push({ value: r['eval/fid'], step: r.step });
  }
  for (const record of readEvalRecords(runDir)) {
    const value = record.values['eval/fid'];
    if (typeof value === 'number') points.push({ value, step: record.step });
  }
  return points.reduce<BestFid | null>((best, p) => (best === null || p.value < best.value ? p : best), null);
}

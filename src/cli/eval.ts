// `gan eval RUN… [--checkpoint STEP] [--samples N] [--metrics fid,kid,pr]`: evaluates a checkpoint
// of each run, prints one table (a column per run) and records each result in the run's eval.jsonl.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { EvalMetricName } from '../language/model';
import { METRICS } from '../language/schema';
import { formatMetric } from '../protocol/format';
import type { EvalRecord } from '../training/runs/evalRecords';
import { evaluateRun } from '../training/eval/evalRun';
import { defaultRunsDir } from '../training/runs/paths';
import { resolveRunRef, RunReadError } from '../training/runs/reader';

export const EVAL_USAGE = `usage: gan eval RUN... [--checkpoint STEP] [--samples N] [--metrics fid,kid,pr] [--runs DIR]
  RUN   a run folder, a run id in the runs folder, or a model name (its newest run); several compare side by side
  --checkpoint STEP   which checkpoint (default: each run's newest)
  --samples N         generated images for fid and kid (default 10000); pr uses at most 2000
  --metrics LIST      any of ${METRICS.map((m) => m.name).join(', ')} (default: all that apply; pixelcnn:
                      nll only, as it draws samples pixel by pixel). Class statistics, discriminator
                      accuracy (adversarial families) and VAE test ELBO come with every evaluation.
                      nll: test negative log-likelihood (pixelcnn), nats per image and bits per dimension.
  --runs DIR          the runs folder (default .gan/runs)
Distances are measured in the features of a small classifier trained on the data source (named in the
output); they are not comparable with Inception FID.`;

const PR_MAX = 2000;

class UsageError extends Error {}

/** Metric rows in a fixed, readable order; class shares last. */
const ORDER = [
  'fid',
  'kid',
  'kid_std',
  'precision',
  'recall',
  'density',
  'coverage',
  'is',
  'class_entropy',
  'data_class_entropy',
  'cond_acc',
  'cond_acc_chance',
  'cond_acc_real',
  'd_acc',
  'd_acc_real',
  'd_acc_fake',
  'neg_elbo',
  'recon_mse',
  'recon_acc',
  'psnr',
  'psnr_bicubic',
  'ssim',
  'ssim_bicubic',
  'domain_acc',
  'domain_acc_ba',
  'cycle_psnr',
  'cycle_psnr_ba',
  'label_consistency',
  'label_consistency_real',
  'legible_frames',
  'legible_frames_real',
  'motion_step',
  'motion_step_real',
  'motion_accel',
  'motion_accel_real',
  'nll',
  'bpd',
  'seconds',
];

function rank(key: string): number {
  const name = key.replace(/^eval\//, '');
  const at = ORDER.indexOf(name);
  return at >= 0 ? at : ORDER.length;
}

export function formatTable(records: readonly EvalRecord[]): string {
  const keys = [...new Set(records.flatMap((r) => Object.keys(r.values)))].sort((a, b) => rank(a) - rank(b));
  const header = ['metric', ...records.map((r) => `${r.run} @${r.step}`)];
  const rows = keys.map((key) => [
    key.replace(/^eval\//, ''),
    ...records.map((r) => (key in r.values ? formatMetric(r.values[key]) : '—')),
  ]);
  const table = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...table.map((row) => row[c].length)));
  const lines = table.map((row) =>
    row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '),
  );
  const features = [...new Set(records.map((r) => r.features))].join(', ');
  return `features: ${features} (not comparable with Inception FID)\n${lines.join('\n')}\n`;
}

function parseMetrics(text: string | undefined): EvalMetricName[] {
  const known = METRICS.map((m) => m.name);
  if (text === undefined) return known;
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = names.find((n) => !known.includes(n as EvalMetricName));
  if (bad !== undefined || !names.length)
    throw new UsageError(
      `--metrics takes a comma-separated list of ${known.join(', ')}${bad ? `, got "${bad}"` : ''}`,
    );
  return names as EvalMetricName[];
}

function wholeNumber(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim()) || Number(text) < min)
    throw new UsageError(`--${name} must be a whole number of at least ${min}, got "${text}"`);
  return Number(text);
}

export async function evalCommand(argv: string[]): Promise<number> {
  let runDirs: string[];
  let checkpoint: number | undefined;
  let samples: Partial<Record<EvalMetricName, number>>;
  let metricsChosen: boolean;
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        checkpoint: { type: 'string' },
        samples: { type: 'string' },
        metrics: { type: 'string' },
        runs: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      process.stdout.write(`${EVAL_USAGE}\n`);
      return 0;
    }
    if (!positionals.length) throw new UsageError('expected at least one RUN');
    const runsDir = resolve(values.runs ?? defaultRunsDir(process.cwd()));
    runDirs = positionals.map((ref) => resolveRunRef(ref, runsDir));
    checkpoint = wholeNumber('checkpoint', values.checkpoint, 0);
    const n = wholeNumber('samples', values.samples, 10) ?? 10000;
    samples = {};
    metricsChosen = values.metrics !== undefined;
    for (const name of parseMetrics(values.metrics)) samples[name] = name === 'pr' ? Math.min(n, PR_MAX) : n;
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof RunReadError) process.stderr.write(`gan eval: ${message}\n`);
    else process.stderr.write(`gan eval: ${message}\n${EVAL_USAGE}\n`);
    return 2;
  }
  const records: EvalRecord[] = [];
  try {
    for (const dir of runDirs) {
      process.stderr.write(`evaluating ${dir}…\n`);
      records.push(
        await evaluateRun(dir, {
          checkpoint,
          samples,
          metricsChosen,
          log: (line) => process.stderr.write(`${line}\n`),
        }),
      );
    }
  } catch (error) {
    process.stderr.write(`gan eval: ${(error as Error).message}\n`);
    return error instanceof RunReadError ? 2 : 1;
  }
  process.stdout.write(formatTable(records));
  return 0;
}

// `gan runs [DIR]`: the runs in a runs folder (default .gan/runs), newest first.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultRunsDir } from '../training/runs/paths';
import { type BrokenRun, type RunRecord, scanRuns } from '../training/runs/reader';
import { formatAge, formatMetric } from '../protocol/format';
import { healthSummary } from '../protocol/health';
import { metricEntries } from '../protocol/training';

export const RUNS_USAGE = 'usage: gan runs [DIR]   (DIR: a runs folder, default .gan/runs)';
const SHOWN_LOSSES = 3;

function statusText(run: RunRecord): string {
  const health = healthSummary(run.info.health);
  return health ? `${run.info.status} (${health})` : run.info.status;
}

function lastLosses(run: RunRecord): string {
  const row = run.metrics[run.metrics.length - 1];
  if (!row) return '-';
  return metricEntries(row)
    .slice(0, SHOWN_LOSSES)
    .map(([name, value]) => `${name}=${formatMetric(value)}`)
    .join(' ');
}

export function formatRunsTable(
  runs: readonly RunRecord[],
  now: Date,
  broken: readonly BrokenRun[] = [],
): string {
  const header = ['RUN', 'MODEL', 'STATUS', 'STEP', 'LOSSES', 'AGE'];
  const rows = [
    ...runs.map((run) => [
      run.info.id,
      run.info.model,
      statusText(run),
      `${run.info.step}/${run.info.totalSteps}`,
      lastLosses(run),
      formatAge(new Date(run.info.updatedAt), now),
    ]),
    ...broken.map((run) => [run.name, '-', 'broken', '-', '-', '-']),
  ];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const errors = [
    ...runs
      .filter((run) => run.info.status === 'failed' && run.info.error)
      .map((run) => `${run.info.id}: ${run.info.error}`),
    ...runs.flatMap((run) =>
      (run.info.health ?? []).map((p) => `${run.info.id}: from step ${p.step}, ${p.message}. ${p.advice}`),
    ),
    ...broken.map((run) => `${run.name}: broken: ${run.reason}`),
  ];
  return [line(header), ...rows.map(line), ...(errors.length ? ['', ...errors] : [])].join('\n') + '\n';
}

export async function runsCommand(argv: string[]): Promise<number> {
  let positionals: string[];
  try {
    ({ positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: {} }));
  } catch (error) {
    process.stderr.write(`gan runs: ${(error as Error).message}\n${RUNS_USAGE}\n`);
    return 2;
  }
  if (positionals.length > 1) {
    process.stderr.write(`gan runs: expected at most one folder\n${RUNS_USAGE}\n`);
    return 2;
  }
  const explicit = positionals[0];
  const dir = resolve(explicit ?? defaultRunsDir(process.cwd()));
  if (explicit !== undefined && (!existsSync(dir) || !statSync(dir).isDirectory())) {
    process.stderr.write(`gan runs: ${explicit}: no such folder\n`);
    return 2;
  }
  const { runs, broken } = scanRuns(dir);
  if (!runs.length && !broken.length) {
    process.stdout.write(`no runs in ${dir}\n`);
    return 0;
  }
  process.stdout.write(formatRunsTable(runs, new Date(), broken));
  return 0;
}

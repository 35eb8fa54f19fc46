// Text shown in the status bar, the progress notification and the model hover. Pure: no vscode.
import { formatDuration, formatMetric } from '../../protocol/format';
import type { MetricRow, RunStatus } from '../../protocol/training';

export { formatDuration };

export function formatCount(n: number): string {
  if (n >= 10_000) return `${(n / 1000).toFixed(0)}k`;
  if (n >= 1000) return `${(n / 1000).toFixed(1)}k`;
  if (n >= 100) return n.toFixed(0);
  return n.toFixed(1);
}

/** "3 min ago" style age of a timestamp. */
export function formatAge(then: Date, now: Date): string {
  const seconds = Math.max(0, (now.getTime() - then.getTime()) / 1000);
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  return `${days} day${days === 1 ? '' : 's'} ago`;
}

export interface LiveProgress {
  readonly model: string;
  readonly step: number;
  readonly totalSteps: number;
  readonly imagesPerSec: number;
  readonly etaSeconds: number | null;
}

export function statusBarText(progress: LiveProgress | null, running: number): string {
  if (!progress) return '$(loading~spin) GAN: starting…';
  const more = running > 1 ? ` (+${running - 1})` : '';
  return `$(pulse) ${progress.model} ${progress.step}/${progress.totalSteps} · ${formatCount(progress.imagesPerSec)} img/s${more}`;
}

export function progressNotificationText(progress: LiveProgress): string {
  const eta = progress.etaSeconds === null ? '' : `, ${formatDuration(progress.etaSeconds)} left`;
  return `step ${progress.step}/${progress.totalSteps} · ${formatCount(progress.imagesPerSec)} img/s${eta}`;
}

const statusWords: Record<RunStatus, string> = {
  running: 'training',
  completed: 'completed',
  stopped: 'stopped',
  failed: 'failed',
};

export function statusWord(status: RunStatus): string {
  return statusWords[status];
}

/** The losses of the last row: every metric except step, epoch, time and throughput. */
export function lastLosses(rows: readonly MetricRow[]): [string, number][] {
  const last = rows.at(-1);
  if (!last) return [];
  return Object.entries(last).filter(
    ([name, value]) =>
      !['step', 'epoch', 'time', 'images_per_sec'].includes(name) && typeof value === 'number',
  );
}

export interface HoverRun {
  readonly id: string;
  readonly status: RunStatus;
  readonly step: number;
  readonly totalSteps: number;
  readonly startedAt: string;
  readonly device: string;
  readonly error: string | null;
  readonly metrics: readonly MetricRow[];
  /** The newest sample grid as an image URI (data: or file:), if any. */
  readonly sampleUri?: string;
  readonly sampleStep?: number;
  /** Command URI opening the run's dashboard. */
  readonly dashboardCommand?: string;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>]/g, (c) => `\\${c}`);
}

/** Markdown for the hover over a model name: its latest run. */
export function runHoverMarkdown(run: HoverRun, now: Date): string {
  const lines: string[] = [];
  const link = run.dashboardCommand ? ` — [Dashboard](${run.dashboardCommand})` : '';
  lines.push(
    `**Latest run** \`${run.id}\`: ${statusWord(run.status)} at step ${run.step}/${run.totalSteps}, ` +
      `${formatAge(new Date(run.startedAt), now)} on ${escapeMarkdown(run.device)}${link}`,
  );
  if (run.error) lines.push('', `Error: ${escapeMarkdown(run.error)}`);
  const losses = lastLosses(run.metrics);
  if (losses.length)
    lines.push('', losses.map(([name, value]) => `\`${name}\` ${formatMetric(value)}`).join(' · '));
  if (run.sampleUri)
    lines.push('', `![samples at step ${run.sampleStep ?? ''}](${run.sampleUri}|width=192)`, '');
  return lines.join('\n');
}

/** One line from `gan gpu`'s report: each backend and whether it loads, e.g. "gpu: unavailable". */
export function gpuReportSummary(report: string): string {
  const verdicts = [...report.matchAll(/^\[([\w-]+)\]\s+(\w+)/gm)].map(
    ([, name, verdict]) => `${name}: ${verdict}`,
  );
  if (!verdicts.length) return report.split('\n').find((line) => line.trim()) ?? '';
  const next = /^Next step: (.+)$/m.exec(report);
  return verdicts.join(' · ') + (next ? ` — next step: ${next[1]}` : '');
}

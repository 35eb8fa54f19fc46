// Text shown in the status bar, the progress notification and the model hover. Pure: no vscode.
import { compactCount, formatAge, formatDuration, formatMetric } from '../../protocol/format';
import { type MetricRow, metricEntries, type RunStatus } from '../../protocol/training';

export interface LiveProgress {
  readonly model: string;
  readonly step: number;
  readonly totalSteps: number;
  readonly imagesPerSec: number;
  readonly etaSeconds: number | null;
  /** The worker is running the model's `evaluate` metrics. */
  readonly evaluating?: boolean;
}

export function statusBarText(progress: LiveProgress | null, running: number): string {
  if (!progress) return '$(loading~spin) GAN: starting…';
  const more = running > 1 ? ` (+${running - 1})` : '';
  return `$(pulse) ${progress.model} ${progress.step}/${progress.totalSteps} · ${compactCount(progress.imagesPerSec)} img/s${more}`;
}

export function progressNotificationText(progress: LiveProgress): string {
  const eta = progress.etaSeconds === null ? '' : `, ${formatDuration(progress.etaSeconds)} left`;
  return `step ${progress.step}/${progress.totalSteps} · ${compactCount(progress.imagesPerSec)} img/s${eta}`;
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
  /** The lowest FID the run reached (training-time or `gan eval`), and the features it was measured in. */
  readonly bestFid?: { readonly value: number; readonly step: number; readonly features: string };
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>]/g, (c) => `\\${c}`);
}

/** Text from a run folder (an id, a metric name) as inline code that nothing in it can end: the
 *  fence is longer than any backtick run inside, and line breaks become spaces. */
export function markdownCode(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat.trim() === '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Markdown for the hover over a model name: its latest run. */
export function runHoverMarkdown(run: HoverRun, now: Date): string {
  const lines: string[] = [];
  const link = run.dashboardCommand ? ` — [Dashboard](${run.dashboardCommand})` : '';
  lines.push(
    `**Latest run** ${markdownCode(run.id)}: ${statusWord(run.status)} at step ${run.step}/${run.totalSteps}, ` +
      `${formatAge(new Date(run.startedAt), now)} on ${escapeMarkdown(run.device)}${link}`,
  );
  if (run.error) lines.push('', `Error: ${escapeMarkdown(run.error)}`);
  const last = run.metrics.at(-1);
  const losses = last ? metricEntries(last) : [];
  if (losses.length)
    lines.push('', losses.map(([name, value]) => `${markdownCode(name)} ${formatMetric(value)}`).join(' · '));
  if (run.bestFid)
    lines.push(
      '',
      `Best FID (${escapeMarkdown(run.bestFid.features)} features): ${formatMetric(run.bestFid.value)} at step ${run.bestFid.step}`,
    );
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

export interface PickableRun {
  readonly id: string;
  readonly model: string;
  readonly family: string;
  readonly status: RunStatus;
  readonly step: number;
  readonly totalSteps: number;
  readonly startedAt: string;
  readonly sourceFile: string;
  readonly health?: string;
  readonly bestFid?: { readonly value: number; readonly step: number } | null;
  /** The model it extends (a variant's base) in its file now; null or absent: none or unknown. */
  readonly base?: string | null;
}

/** A Compare Runs entry: the model (and the one it extends), then when, how it ended and its best
 *  FID, then where. */
export function comparePickItem(
  run: PickableRun,
  now: Date,
): { label: string; description: string; detail: string } {
  const status = run.health ? `${statusWord(run.status)} — ${run.health}` : statusWord(run.status);
  const best = run.bestFid ? `best FID ${formatMetric(run.bestFid.value)} at step ${run.bestFid.step}` : '';
  const file = run.sourceFile.split(/[\\/]/).pop() ?? run.sourceFile;
  const base = run.base ? `extends ${run.base}` : '';
  return {
    label: run.model,
    description: [base, formatAge(new Date(run.startedAt), now), status, `step ${run.step}/${run.totalSteps}`]
      .filter(Boolean)
      .join(' · '),
    detail: [best, `${run.family} · ${file} · ${run.id}`].filter(Boolean).join(' · '),
  };
}

export interface RunRow {
  readonly status: RunStatus;
  readonly step: number;
  readonly totalSteps: number;
  readonly startedAt: string;
  readonly health: string;
  readonly note: string;
  readonly tags: readonly string[];
  readonly bestFid: { readonly value: number; readonly step: number } | null;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `today 10:15`, `yesterday 18:02`, `Nov 28 09:00` (local time), `Nov 28 2025 09:00` in another year. */
export function startedLabel(startedAt: string, now: Date): string {
  const at = new Date(startedAt);
  const time = `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
  const day = (d: Date) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((day(now) - day(at)) / 86_400_000);
  if (days === 0) return `today ${time}`;
  if (days === 1) return `yesterday ${time}`;
  const year = at.getFullYear() === now.getFullYear() ? '' : ` ${at.getFullYear()}`;
  return `${MONTHS[at.getMonth()]} ${at.getDate()}${year} ${time}`;
}

/** A run in the Runs view: when it started, then status (with health), step, best FID and tags. */
export function runRowText(run: RunRow, now: Date): { label: string; description: string } {
  const status = run.health ? `${statusWord(run.status)} — ${run.health}` : statusWord(run.status);
  const step = run.step >= run.totalSteps ? `${run.totalSteps} steps` : `step ${run.step}/${run.totalSteps}`;
  const best = run.bestFid ? `FID ${formatMetric(run.bestFid.value)}` : '';
  return {
    label: startedLabel(run.startedAt, now),
    description: [status, step, best, run.tags.join(' ')].filter(Boolean).join(' · '),
  };
}

// Training progress for a terminal: one redrawn bar on a TTY, plain throttled lines otherwise.
import { compactCount, formatDuration, formatMetric } from '../protocol/format';
import { formatGrowth, growthOf } from '../protocol/growth';
import { type MetricRow, metricEntries, type ProgressMessage } from '../protocol/training';

const BAR_WIDTH = 24;
const PLAIN_INTERVAL_MS = 1000;
const SHOWN_METRICS = 4;
export function progressLine(message: ProgressMessage, row: MetricRow | undefined): string {
  const metrics = row
    ? metricEntries(row)
        .slice(0, SHOWN_METRICS)
        .map(([name, value]) => `${name} ${formatMetric(value)}`)
        .join('  ')
    : '';
  const eta = message.etaSeconds === null ? '' : `ETA ${formatDuration(message.etaSeconds)}`;
  const rate = `${compactCount(message.imagesPerSec)} img/s`;
  // Metrics last: a narrow terminal cuts them before the step, rate and ETA.
  const phase = message.evaluating ? 'evaluating…' : '';
  const growth = growthOf(row);
  const stage = growth ? formatGrowth(growth) : '';
  return [`${message.step}/${message.totalSteps}`, eta, rate, stage, phase, metrics]
    .filter(Boolean)
    .join('  ');
}

export interface ProgressOutput {
  write(text: string): void;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export class ProgressReporter {
  private lastRow: MetricRow | undefined;
  private lastPlain = 0;
  private barShown = false;
  private lastMessage: ProgressMessage | undefined;

  constructor(private readonly out: ProgressOutput) {}

  update(message: ProgressMessage): void {
    if (message.rows.length) this.lastRow = message.rows[message.rows.length - 1];
    this.lastMessage = message;
    const line = progressLine(message, this.lastRow);
    if (this.out.isTTY) {
      const fraction = message.totalSteps ? Math.min(1, message.step / message.totalSteps) : 0;
      const filled = Math.round(fraction * BAR_WIDTH);
      const bar = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] `;
      const width = (this.out.columns ?? 100) - 1;
      this.out.write(`\r\x1b[2K${(bar + line).slice(0, width)}`);
      this.barShown = true;
      return;
    }
    const now = Date.now();
    if (now - this.lastPlain >= PLAIN_INTERVAL_MS || message.step >= message.totalSteps) {
      this.lastPlain = now;
      this.out.write(`step ${line}\n`);
    }
  }

  /** A line of its own (above the bar on a TTY). */
  note(text: string): void {
    this.clearBar();
    this.out.write(text + '\n');
    if (this.out.isTTY && this.lastMessage) this.update({ ...this.lastMessage, rows: [] });
  }

  /** Leaves the last bar on screen and moves to a fresh line. */
  finish(): void {
    if (this.barShown) this.out.write('\n');
    this.barShown = false;
  }

  private clearBar(): void {
    if (this.barShown) this.out.write('\r\x1b[2K');
    this.barShown = false;
  }
}

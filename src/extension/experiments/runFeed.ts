// Follows one run folder for a dashboard: new metrics rows (tailing metrics.jsonl from the byte
// offset read last time), new sample grids and status changes, as typed webview messages.
// No vscode import: image paths become URIs through the function the caller passes.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricRow } from '../../protocol/training';
import type { HostToWebviewMessage, RunStatus } from '../../protocol/webview';
import { parseMetrics } from '../../training/runs/metrics';
import { METRICS_JSONL } from '../../training/runs/paths';
import { effectiveInfo, listSamples, readRunInfo } from '../../training/runs/reader';

export interface LiveStatus {
  readonly imagesPerSec?: number;
  readonly etaSeconds?: number | null;
  readonly evaluating?: boolean;
}

/** Reads the complete lines appended to a file since the last call. */
export class LineTail {
  private offset = 0;
  private partial = '';

  constructor(private readonly path: string) {}

  readNew(): string {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      return '';
    }
    try {
      const stats = fstatSync(fd);
      if (!stats.isFile()) return '';
      const size = stats.size;
      if (size < this.offset) {
        // Truncated (a resumed run rewrites its metrics): start again.
        this.offset = 0;
        this.partial = '';
      }
      if (size === this.offset) return '';
      const buffer = Buffer.alloc(size - this.offset);
      const read = readSync(fd, buffer, 0, buffer.length, this.offset);
      this.offset += read;
      const text = this.partial + buffer.subarray(0, read).toString('utf8');
      const cut = text.lastIndexOf('\n');
      this.partial = text.slice(cut + 1);
      return cut < 0 ? '' : text.slice(0, cut + 1);
    } finally {
      closeSync(fd);
    }
  }
}

/** The last complete metrics row of a file, reading only its end (hovers must stay cheap). */
export function readLastMetricRow(path: string, tailBytes = 16_384): MetricRow | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return undefined;
    const size = stats.size;
    const length = Math.min(size, tailBytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const text = buffer.toString('utf8');
    // Skip the first line when the window starts mid-line.
    const whole = length < size ? text.slice(text.indexOf('\n') + 1) : text;
    return parseMetrics(whole).at(-1);
  } finally {
    closeSync(fd);
  }
}

export class RunFeed {
  private readonly tail: LineTail;
  private readonly sentSamples = new Set<number>();
  private lastStatus: { status: RunStatus; step: number; error: string | null; health: string } | undefined;
  private lastStep = -1;

  constructor(
    readonly runId: string,
    readonly dir: string,
  ) {
    this.tail = new LineTail(join(dir, METRICS_JSONL));
  }

  /** Everything new since the last poll (the first poll returns the whole history). */
  poll(toUri: (path: string) => string, live?: LiveStatus): HostToWebviewMessage[] {
    const messages: HostToWebviewMessage[] = [];
    const rows = parseMetrics(this.tail.readNew()).filter((row: MetricRow) => row.step > this.lastStep);
    if (rows.length) {
      this.lastStep = rows[rows.length - 1].step;
      messages.push({ type: 'metrics', runId: this.runId, rows });
    }
    const grids = listSamples(this.dir)
      .filter((sample) => !this.sentSamples.has(sample.step))
      .map((sample) => {
        this.sentSamples.add(sample.step);
        return { step: sample.step, uri: toUri(sample.path) };
      });
    if (grids.length) messages.push({ type: 'samples', runId: this.runId, grids });
    let info;
    try {
      info = effectiveInfo(readRunInfo(this.dir), this.dir);
    } catch {
      return messages;
    }
    const step = Math.max(info.step, this.lastStep);
    const health = JSON.stringify(info.health ?? []);
    const changed =
      !this.lastStatus ||
      this.lastStatus.status !== info.status ||
      this.lastStatus.step !== step ||
      this.lastStatus.error !== info.error ||
      this.lastStatus.health !== health;
    if (changed || (live && info.status === 'running')) {
      this.lastStatus = { status: info.status, step, error: info.error, health };
      messages.push({
        type: 'status',
        runId: this.runId,
        status: info.status,
        step,
        ...(live?.imagesPerSec !== undefined ? { imagesPerSec: live.imagesPerSec } : {}),
        ...(live?.etaSeconds !== undefined && live.etaSeconds !== null
          ? { etaSeconds: live.etaSeconds }
          : {}),
        ...(live?.evaluating ? { evaluating: true } : {}),
        ...(info.error ? { error: info.error } : {}),
        ...(info.health?.length ? { health: info.health } : {}),
      });
    }
    return messages;
  }
}

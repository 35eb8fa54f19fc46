// Number and duration formatting for the header, axes, legends and tables.

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

/** Short axis label for wall time in seconds (keeps fractions for sub-minute spans). */
export function formatAxisTime(seconds: number): string {
  if (seconds < 60) return `${Number(seconds.toFixed(1))}s`;
  return formatDuration(seconds);
}

export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e5 || abs < 1e-3)) return value.toExponential(3);
  return Number(value.toPrecision(4)).toString();
}

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

// How durations and metric values read in text (the CLI's progress and `gan runs`, the editor's
// status bar, notification and hover). Pure, shared by every host of the run protocol.

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** A number in at most 4 significant digits, e.g. 0.6931, 12.35, 1.2e-5. */
export function formatMetric(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e4 || magnitude < 1e-3) return value.toExponential(1);
  return String(Number(value.toPrecision(4)));
}

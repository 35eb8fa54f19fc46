// How numbers, durations, counts and ages read wherever GAN Studio shows them: the CLI, the
// editor (status bar, notification, hover, Runs view) and the webviews. One module, so the same
// quantity reads the same in a terminal, a tooltip and a chart. Pure: runs in Node and the browser.

/** Shown where a value is missing or not a number. */
export const MISSING = '–';

/** "42s", "1m35s", "2h02m". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return MISSING;
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** A chart's time axis: like formatDuration, but keeps tenths under a minute ("2.5s"). */
export function formatAxisTime(seconds: number): string {
  if (seconds < 60) return `${Number(seconds.toFixed(1))}s`;
  return formatDuration(seconds);
}

/** A loss or metric in 4 significant digits: 0.6931, 12.35, 11310, 1.23e-5, 1.5e+5. */
export function formatMetric(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return MISSING;
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  // Which form, by the value as printed: 0.00099999 (a smoothed 0.001) reads "0.001", not "1e-3".
  const rounded = Number(value.toPrecision(4));
  const magnitude = Math.abs(rounded);
  if (magnitude !== 0 && (magnitude >= 1e5 || magnitude < 1e-3))
    return value.toExponential(3).replace(/\.?0+e/, 'e');
  return String(rounded);
}

/** A whole count with thousands separators: steps, images, parameters ("12,345"). */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

const COMPACT_UNITS: readonly (readonly [number, string])[] = [
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** A count or rate in 3 significant digits with k/M/G: "640", "12.3", "1.53k", "1.25M". */
export function compactCount(value: number): string {
  // Rounded first, so 999,999 reads "1M", not "1000k".
  const rounded = Number(value.toPrecision(3));
  for (const [size, suffix] of COMPACT_UNITS) {
    if (Math.abs(rounded) >= size) return `${Number((rounded / size).toPrecision(3))}${suffix}`;
  }
  return String(rounded);
}

/** How long ago: "just now", "3 min ago", "5 h ago", "2 days ago". */
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

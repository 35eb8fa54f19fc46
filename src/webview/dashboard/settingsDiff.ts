// Which settings tell compared runs apart.
import type { RunSummary } from '../../protocol/webview';

/** Setting keys whose values are not all equal across the runs (a missing key counts as a value), sorted. */
export function differingSettings(runs: readonly Pick<RunSummary, 'settings'>[]): string[] {
  const keys = new Set<string>();
  for (const run of runs) for (const key of Object.keys(run.settings)) keys.add(key);
  return [...keys]
    .filter((key) => new Set(runs.map((run) => settingText(run.settings[key]))).size > 1)
    .sort();
}

export function settingText(value: string | number | boolean | undefined): string {
  return value === undefined ? '—' : String(value);
}

// What the dashboard remembers across reloads (vscode.setState): view options and the user's picks.
import type { XAxis } from './runStore';

export interface DashboardViewState {
  /** TensorBoard-style smoothing weight in [0, 0.99]. */
  readonly smoothing: number;
  readonly xAxis: XAxis;
  readonly logScale: boolean;
  /** Comparing runs of different lengths: show only the x range every compared run covers. */
  readonly alignX: boolean;
  /** Runs ticked for comparison; empty means "all runs". */
  readonly selectedRunIds: readonly string[];
  /** The run shown in the header and sample grid. */
  readonly focusedRunId: string | null;
  /** Per run: the step of the sample grid being viewed, or absent to follow the latest. */
  readonly sampleStep: Readonly<Record<string, number>>;
}

export const defaultViewState: DashboardViewState = {
  smoothing: 0.6,
  xAxis: 'step',
  logScale: false,
  alignX: false,
  selectedRunIds: [],
  focusedRunId: null,
  sampleStep: {},
};

/** Merges saved state over the defaults, dropping anything malformed. */
export function restoreViewState(saved: Partial<DashboardViewState> | undefined): DashboardViewState {
  if (!saved) return defaultViewState;
  const smoothing =
    typeof saved.smoothing === 'number' && saved.smoothing >= 0 && saved.smoothing < 1
      ? saved.smoothing
      : defaultViewState.smoothing;
  const sampleStep: Record<string, number> = {};
  if (typeof saved.sampleStep === 'object' && saved.sampleStep !== null) {
    for (const [run, step] of Object.entries(saved.sampleStep))
      if (typeof step === 'number') sampleStep[run] = step;
  }
  return {
    smoothing,
    xAxis: saved.xAxis === 'time' ? 'time' : 'step',
    logScale: saved.logScale === true,
    alignX: saved.alignX === true,
    selectedRunIds: Array.isArray(saved.selectedRunIds)
      ? saved.selectedRunIds.filter((id): id is string => typeof id === 'string')
      : [],
    focusedRunId: typeof saved.focusedRunId === 'string' ? saved.focusedRunId : null,
    sampleStep,
  };
}

// progan's growth schedule as a pure function of the step: which stage trains, and how far the
// new stage has faded in. The checker's hover notes and the trainer both read it, and a resumed
// run restores only the step, so the schedule must depend on nothing else.
import type { ParamValue } from '../model';

export interface GrowthSchedule {
  /** Resolution stages (the generator's stages). */
  readonly stages: number;
  /** Steps of each stable phase (the last stage stays until training ends). */
  readonly stableSteps: number;
  /** Steps of each fade-in phase (0: a new stage starts at full strength). */
  readonly fadeSteps: number;
}

export interface GrowthState {
  /** Index of the newest stage in use (0: the base stage). */
  readonly stage: number;
  /** The newest stage's weight: the output blends (1 − α)·upsampled older output + α·new stage. */
  readonly alpha: number;
  /** True while the newest stage fades in. */
  readonly fading: boolean;
}

/** The schedule from the `grow` settings: `unit=images` phases become ⌈images / batch⌉ steps. */
export function growthSchedule(
  grow: Readonly<Record<string, ParamValue>>,
  stages: number,
  batch: number,
): GrowthSchedule {
  const steps = (n: unknown): number => {
    const value = typeof n === 'number' ? n : 0;
    return grow.unit === 'steps' ? value : Math.ceil(value / Math.max(1, batch));
  };
  return { stages, stableSteps: Math.max(1, steps(grow.stable)), fadeSteps: steps(grow.fade) };
}

/** The first step of stage k (k ≥ 1: the start of its fade-in). */
export function stageStart(schedule: GrowthSchedule, k: number): number {
  if (k <= 0) return 0;
  return schedule.stableSteps + (k - 1) * (schedule.fadeSteps + schedule.stableSteps);
}

/** The state during step `step` (0-based: the number of steps completed before it). */
export function growthAt(schedule: GrowthSchedule, step: number): GrowthState {
  let stage = 0;
  while (stage + 1 < schedule.stages && step >= stageStart(schedule, stage + 1)) stage++;
  if (stage === 0) return { stage, alpha: 1, fading: false };
  const into = step - stageStart(schedule, stage);
  if (into >= schedule.fadeSteps) return { stage, alpha: 1, fading: false };
  return { stage, alpha: (into + 1) / (schedule.fadeSteps + 1), fading: true };
}

/** The steps at which a new stage starts (chart markers, hover). */
export function stageBoundaries(schedule: GrowthSchedule): number[] {
  return Array.from({ length: schedule.stages - 1 }, (_, i) => stageStart(schedule, i + 1));
}

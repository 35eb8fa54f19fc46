// A growing model's stage (progan), read from the metrics it logs: the newest stage's resolution
// and its fade-in α. The CLI progress line, run.json and the dashboard header show it. Pure.
import { formatMetric } from './format';

export interface GrowthStatus {
  /** Height of the images the newest stage draws. */
  readonly resolution: number;
  /** The newest stage's weight while it fades in (1: at full strength). */
  readonly alpha: number;
}

export function growthOf(row: Readonly<Record<string, number>> | undefined): GrowthStatus | null {
  const resolution = row?.resolution;
  const alpha = row?.alpha;
  if (typeof resolution !== 'number' || typeof alpha !== 'number') return null;
  return { resolution, alpha };
}

/** "16px" at full strength, "16px α 0.42" while fading in. */
export function formatGrowth(growth: GrowthStatus): string {
  return growth.alpha < 1
    ? `${growth.resolution}px α ${formatMetric(growth.alpha)}`
    : `${growth.resolution}px`;
}

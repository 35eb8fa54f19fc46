// The discriminator's accuracy on held-out real images and fresh generated ones (the "ACC"
// diagnostic): near 50% is a balanced game; pinned at 100% means the generator gets no useful
// gradient (often with mode collapse). Where a score counts as "real" depends on the loss.
import type { AdversarialLossKind } from '../engine/losses';
import type { Scores } from './familyEval';

/** The decision threshold on raw outputs, per loss: the logit 0 (p = 0.5) for the sigmoid
 *  losses and hinge (margins ±1), 0.5 between lsgan's targets 0 and 1; a Wasserstein critic's
 *  scores have no fixed origin, so it is the midpoint of the two medians. */
const THRESHOLD: Readonly<Record<AdversarialLossKind, (scores: Scores) => number>> = {
  minimax: () => 0,
  nonsaturating: () => 0,
  hinge: () => 0,
  lsgan: () => 0.5,
  wasserstein: (s) => (median(s.real) + median(s.fake)) / 2,
};

function median(values: Float32Array): number {
  const sorted = Float32Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface DiscriminatorAccuracy {
  readonly accuracy: number;
  readonly real: number;
  readonly fake: number;
}

export function discriminatorAccuracy(loss: string, scores: Scores): DiscriminatorAccuracy {
  const rule = THRESHOLD[loss as AdversarialLossKind] ?? THRESHOLD.nonsaturating;
  const t = rule(scores);
  let real = 0;
  for (const s of scores.real) if (s > t) real++;
  let fake = 0;
  for (const s of scores.fake) if (s <= t) fake++;
  const total = scores.real.length + scores.fake.length;
  return {
    accuracy: (real + fake) / Math.max(1, total),
    real: real / Math.max(1, scores.real.length),
    fake: fake / Math.max(1, scores.fake.length),
  };
}

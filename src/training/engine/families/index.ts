// The training engine's family registry: one module per family, one line each. Typed by
// FamilyName, so the compiler names any family without a trainer.
import type { FamilyName } from '../../../language/model';
import { cganTraining } from './cgan';
import { cycleganTraining } from './cyclegan';
import type { TrainingFamily } from './family';
import { ganTraining } from './gan';
import { srganTraining } from './srgan';
import { pixelcnnTraining } from './pixelcnn';
import { proganTraining } from './progan';
import { stackganTraining } from './stackgan';
import { vaeTraining } from './vae';
import { videoTraining } from './video';

export const TRAINING_FAMILIES: Readonly<Record<FamilyName, TrainingFamily>> = {
  gan: ganTraining,
  cgan: cganTraining,
  vae: vaeTraining,
  cyclegan: cycleganTraining,
  srgan: srganTraining,
  pixelcnn: pixelcnnTraining,
  progan: proganTraining,
  stackgan: stackganTraining,
  video: videoTraining,
};

export type { TrainingFamily } from './family';

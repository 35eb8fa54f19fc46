// The torch engine's family modules, one per family the language's TORCH_FAMILIES table supports
// (src/language/schema/engines.ts); test/training/torch/families.test.ts holds the two tables equal.
import type { FamilyName } from '../../../language/model';
import { adversarialPort } from './adversarial';
import { cycleganPort } from './cyclegan';
import { pixelcnnPort } from './pixelcnn';
import { proganPort } from './progan';
import { srganPort } from './srgan';
import { stackganPort } from './stackgan';
import type { TorchPort } from './port';
import { vaePort } from './vae';
import { videoPort } from './video';

export const TORCH_PORTS: Readonly<Record<FamilyName, TorchPort | null>> = {
  gan: adversarialPort,
  cgan: adversarialPort,
  vae: vaePort,
  cyclegan: cycleganPort,
  srgan: srganPort,
  pixelcnn: pixelcnnPort,
  progan: proganPort,
  stackgan: stackganPort,
  video: videoPort,
};

export type { StepInput, TorchPort } from './port';

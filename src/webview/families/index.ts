// The panels' family registry: one module per family, one line each, typed by FamilyName.
import type { FamilyName } from '../../protocol/webview';
import { cganPresentation } from './cgan';
import { cycleganPresentation } from './cyclegan';
import type { PresentationFamily } from './family';
import { ganPresentation } from './gan';
import { srganPresentation } from './srgan';
import { pixelcnnPresentation } from './pixelcnn';
import { proganPresentation } from './progan';
import { stackganPresentation } from './stackgan';
import { vaePresentation } from './vae';
import { videoPresentation } from './video';

export const PRESENTATION_FAMILIES: Readonly<Record<FamilyName, PresentationFamily>> = {
  gan: ganPresentation,
  cgan: cganPresentation,
  vae: vaePresentation,
  cyclegan: cycleganPresentation,
  srgan: srganPresentation,
  pixelcnn: pixelcnnPresentation,
  progan: proganPresentation,
  stackgan: stackganPresentation,
  video: videoPresentation,
};

export type { ChartGroup, PresentationFamily } from './family';

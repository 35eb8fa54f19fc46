import type { PresentationFamily } from './family';
import { DISCRIMINATOR_OUTPUTS } from './family';

export const cganPresentation: PresentationFamily = {
  previewModes: ['grid', 'interpolate'],
  chartGroups: [DISCRIMINATOR_OUTPUTS],
};

import type { PresentationFamily } from './family';
import { DISCRIMINATOR_OUTPUTS } from './family';

export const ganPresentation: PresentationFamily = {
  previewModes: ['grid', 'interpolate'],
  chartGroups: [DISCRIMINATOR_OUTPUTS],
};

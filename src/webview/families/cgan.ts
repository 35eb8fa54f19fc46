import type { PresentationFamily } from './family';
import { classRowLabels, DISCRIMINATOR_OUTPUTS } from './family';

export const cganPresentation: PresentationFamily = {
  previewModes: ['grid', 'interpolate'],
  chartGroups: [DISCRIMINATOR_OUTPUTS],
  rowLabels: (_mode, context) => classRowLabels(context),
};

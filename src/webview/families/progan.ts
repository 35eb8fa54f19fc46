import type { PresentationFamily } from './family';
import { DISCRIMINATOR_OUTPUTS } from './family';

export const proganPresentation: PresentationFamily = {
  previewModes: ['grid', 'interpolate'],
  chartGroups: [
    DISCRIMINATOR_OUTPUTS,
    {
      id: 'progan-resolution',
      title: 'Resolution (the newest stage)',
      metrics: ['resolution'],
      unit: 'pixels',
    },
    { id: 'progan-alpha', title: 'Fade-in α of the newest stage', metrics: ['alpha'], unit: 'α' },
  ],
  stageMetric: 'resolution',
};

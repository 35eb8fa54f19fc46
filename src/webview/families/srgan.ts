import type { PresentationFamily } from './family';
import { DISCRIMINATOR_OUTPUTS } from './family';

export const srganPresentation: PresentationFamily = {
  previewModes: ['superres'],
  chartGroups: [
    { id: 'sr-terms', title: 'Generator terms', metrics: ['content', 'adversarial', 'feature'] },
    DISCRIMINATOR_OUTPUTS,
    { id: 'sr-stage', title: 'Stage (0: content-only pretraining, 1: adversarial)', metrics: ['stage'] },
  ],
};

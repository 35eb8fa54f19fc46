import type { PresentationFamily } from './family';
import { DISCRIMINATOR_OUTPUTS } from './family';

/** Each block of four rows (the trainer draws max(1, ⌊rows / 4⌋) of them). */
const BLOCK = ['low-res', 'bicubic', 'super-resolved', 'original'];

export const srganPresentation: PresentationFamily = {
  previewModes: ['superres'],
  chartGroups: [
    {
      id: 'sr-terms',
      title: 'Generator terms',
      metrics: ['content', 'adversarial', 'feature'],
      unit: 'loss',
    },
    DISCRIMINATOR_OUTPUTS,
    { id: 'sr-stage', title: 'Stage (0: content-only pretraining, 1: adversarial)', metrics: ['stage'] },
  ],
  rowLabels: (_mode, { rows }) =>
    Array.from({ length: Math.max(1, Math.floor(rows / 4)) * 4 }, (_, r) => BLOCK[r % 4]),
};

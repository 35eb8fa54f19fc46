import type { PresentationFamily } from './family';
import { classRowLabels } from './family';

export const pixelcnnPresentation: PresentationFamily = {
  previewModes: ['grid', 'complete'],
  chartGroups: [{ id: 'likelihood', title: 'Likelihood (bits per dimension)', metrics: ['bits_per_dim'] }],
  // With `condition`, a grid's rows are classes, as cgan's; completions follow their images' labels.
  rowLabels: (mode, context) => (mode === 'grid' ? classRowLabels(context) : null),
};

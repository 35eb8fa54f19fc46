import type { PresentationFamily } from './family';

export const pixelcnnPresentation: PresentationFamily = {
  previewModes: ['grid', 'complete'],
  chartGroups: [{ id: 'likelihood', title: 'Likelihood (bits per dimension)', metrics: ['bits_per_dim'] }],
};

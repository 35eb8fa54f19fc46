import type { PresentationFamily } from './family';

export const cycleganPresentation: PresentationFamily = {
  previewModes: ['translate'],
  chartGroups: [{ id: 'cycle', title: 'Cycle-consistency terms', metrics: ['cycle', 'identity'] }],
};

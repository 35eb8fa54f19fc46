import type { PresentationFamily } from './family';

/** Each block of six rows: held-out images of each domain, translated, and translated back. */
const BLOCK = ['A', 'A → B', 'A → B → A', 'B', 'B → A', 'B → A → B'];

export const cycleganPresentation: PresentationFamily = {
  previewModes: ['translate'],
  chartGroups: [{ id: 'cycle', title: 'Cycle-consistency terms', metrics: ['cycle', 'identity'] }],
  rowLabels: (_mode, { rows }) =>
    rows % 6 === 0 ? Array.from({ length: rows }, (_, r) => BLOCK[r % 6]) : null,
};

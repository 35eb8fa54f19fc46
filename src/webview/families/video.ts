import type { PresentationFamily } from './family';
import { DISCRIMINATOR_OUTPUTS } from './family';

export const videoPresentation: PresentationFamily = {
  previewModes: ['grid', 'interpolate', 'motion'],
  chartGroups: [
    DISCRIMINATOR_OUTPUTS,
    { id: 'v-outputs', title: 'Video discriminator outputs', metrics: ['v_real', 'v_fake'], unit: 'D(clip)' },
    { id: 'v-loss', title: 'Video discriminator loss', metrics: ['v_loss'], unit: 'loss' },
  ],
  rowLabels: (mode, { rows }) =>
    Array.from({ length: rows }, (_, r) =>
      mode === 'interpolate'
        ? `content ${r + 1}/${rows}`
        : mode === 'motion'
          ? `motion ${r + 1}/${rows}`
          : `clip ${r + 1}`,
    ),
};

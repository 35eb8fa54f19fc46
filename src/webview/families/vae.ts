import type { PresentationFamily } from './family';

export const vaePresentation: PresentationFamily = {
  previewModes: ['grid', 'interpolate', 'reconstruct', 'walk'],
  chartGroups: [{ id: 'vae', title: 'VAE terms', metrics: ['recon', 'kl'] }],
};

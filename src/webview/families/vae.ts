import type { PresentationFamily } from './family';

export const vaePresentation: PresentationFamily = {
  previewModes: ['grid', 'interpolate', 'reconstruct', 'walk'],
  chartGroups: [{ id: 'vae', title: 'VAE terms', metrics: ['recon', 'kl'] }],
  rowLabels: (mode, { rows, latent }) => {
    // Row pairs: held-out images, then their reconstructions.
    if (mode === 'reconstruct')
      return Array.from({ length: rows }, (_, r) => (r % 2 ? 'reconstruction' : 'original'));
    // Row r walks latent dimension r (mod the latent size) from −3 to 3.
    if (mode === 'walk' && latent)
      return Array.from({ length: rows }, (_, r) => `z${(r % latent) + 1}: −3 → 3`);
    return null;
  },
};

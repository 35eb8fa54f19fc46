import type { PresentationFamily } from './family';

export const vaePresentation: PresentationFamily = {
  previewModes: ['grid', 'interpolate', 'reconstruct', 'walk'],
  // Two charts: the KL term is an order of magnitude below the reconstruction and would be flat
  // on a shared axis.
  chartGroups: [
    { id: 'vae-recon', title: 'Reconstruction term', metrics: ['recon'], unit: 'per image' },
    { id: 'vae-kl', title: 'KL term', metrics: ['kl'], unit: 'nats per image' },
  ],
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

// The Fréchet distance between two feature Gaussians (Heusel et al. 2017):
// ‖μ₁ − μ₂‖² + tr Σ₁ + tr Σ₂ − 2 tr √(Σ₁ Σ₂). With GAN Studio's own classifiers as the feature
// network this is TF-GAN's "Fréchet classifier distance"; it is not Inception FID.
import { traceSqrtProduct, trace, type GaussianStats } from './linalg';

export function frechetDistance(a: GaussianStats, b: GaussianStats): number {
  if (a.mean.length !== b.mean.length) throw new Error('feature statistics of different sizes');
  let meanTerm = 0;
  for (let k = 0; k < a.mean.length; k++) meanTerm += (a.mean[k] - b.mean[k]) ** 2;
  const value = meanTerm + trace(a.cov) + trace(b.cov) - 2 * traceSqrtProduct(a.cov, b.cov);
  // Rounding can leave identical distributions a hair below zero.
  return Math.max(0, value);
}

// Losses shared by several families; each family module lists the ones it accepts.
import type { KindSpec, ParamSpec } from './values';
import { num } from './values';

const smoothing: ParamSpec = {
  name: 'smoothing',
  type: num(0, 1, { minExclusive: true }),
  default: 1,
  doc: 'One-sided label smoothing: the target for real images (e.g. 0.9).',
};
export const ADVERSARIAL_LOSSES: readonly KindSpec[] = [
  {
    name: 'minimax',
    doc: 'The original GAN objective (Goodfellow et al. 2014): G minimizes log(1 − D(G(z))).',
    params: [smoothing],
    readout: 'probability',
  },
  {
    name: 'nonsaturating',
    doc: 'The non-saturating GAN loss: G maximizes log D(G(z)); the standard choice.',
    params: [smoothing],
    readout: 'probability',
  },
  {
    name: 'wasserstein',
    doc: 'Wasserstein loss (Arjovsky et al. 2017) with gradient penalty (Gulrajani et al. 2017).',
    params: [{ name: 'gp', type: num(0), default: 10, doc: 'Gradient-penalty weight (0 disables it).' }],
    readout: 'score',
  },
  {
    name: 'hinge',
    doc: 'Hinge loss (Lim & Ye 2017; used by SAGAN and BigGAN).',
    params: [],
    readout: 'score',
  },
  { name: 'lsgan', doc: 'Least-squares GAN loss (Mao et al. 2017).', params: [smoothing], readout: 'score' },
];
export const CYCLE_LOSS_PARAMS: readonly ParamSpec[] = [
  { name: 'cycle', type: num(0), default: 10, doc: 'Weight of the cycle-consistency (L1) loss.' },
  { name: 'identity', type: num(0), default: 5, doc: 'Weight of the identity (L1) loss.' },
];

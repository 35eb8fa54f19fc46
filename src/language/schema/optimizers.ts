// Optimizers and their usual learning-rate ceilings.
import type { KindSpec } from './values';
import { byName, num } from './values';

export const OPTIMIZERS: readonly KindSpec[] = [
  {
    name: 'adam',
    doc: 'Adam (Kingma & Ba 2014). DCGAN uses lr=2e-4 beta1=0.5.',
    params: [
      { name: 'lr', type: num(0, undefined, { minExclusive: true }), default: 2e-4, doc: 'Learning rate.' },
      { name: 'beta1', type: num(0, 1, { maxExclusive: true }), default: 0.9, doc: 'First-moment decay.' },
      { name: 'beta2', type: num(0, 1, { maxExclusive: true }), default: 0.999, doc: 'Second-moment decay.' },
    ],
  },
  {
    name: 'rmsprop',
    doc: 'RMSProp (used by the original WGAN).',
    params: [
      { name: 'lr', type: num(0, undefined, { minExclusive: true }), default: 5e-5, doc: 'Learning rate.' },
    ],
  },
  {
    name: 'sgd',
    doc: 'Stochastic gradient descent with momentum.',
    params: [
      { name: 'lr', type: num(0, undefined, { minExclusive: true }), default: 1e-2, doc: 'Learning rate.' },
      { name: 'momentum', type: num(0, 1, { maxExclusive: true }), default: 0, doc: 'Momentum.' },
    ],
  },
];

/** Learning rates above these are flagged (W405). */
export const USUAL_MAX_LR: Readonly<Record<string, number>> = { adam: 1e-2, rmsprop: 1e-2, sgd: 0.5 };

export const optimizerByName = byName(OPTIMIZERS);

// gan: noise → image against a discriminator (Goodfellow et al. 2014; DCGAN).
import { ADVERSARIAL_LOSSES } from '../schema/losses';
import type { LanguageFamily } from './family';
import { DCGAN_28X28_NETWORKS, DISCRIMINATOR_SECTION, GENERATOR_SECTION, LATENT_SECTION } from './shared';

export const ganLanguage: LanguageFamily<'gan'> = {
  name: 'gan',
  doc: 'Generative adversarial network (Goodfellow et al. 2014): a generator maps noise to images, a discriminator tells them from real ones. Covers DCGAN.',
  sections: [LATENT_SECTION, GENERATOR_SECTION, DISCRIMINATOR_SECTION],
  required: ['data', 'latent', 'generator', 'discriminator'],
  roles: ['generator', 'discriminator'],
  dataLayout: 'single',
  losses: ADVERSARIAL_LOSSES,
  defaultLoss: 'nonsaturating',
  networkInputs: ({ data, latentSize }) => ({
    generator: latentSize === null ? null : [latentSize],
    discriminator: data[0]?.shape ?? null,
  }),
  imageOutput: { role: 'generator', target: (data) => data[0]?.shape ?? null },
  adversarial: { critic: 'discriminator', patchLogits: false },
  checks: [],
  buildsPerNetwork: 1,
  template: [
    'model ${1:dcgan}: gan {',
    '  data ${2:mnist} { scale [-1, 1]; batch 64 }',
    '  latent ${3:100}',
    '',
    ...DCGAN_28X28_NETWORKS,
    '',
    '  loss ${4:nonsaturating}',
    '  optimizer adam lr=2e-4 beta1=0.5',
    '  train { epochs ${5:10}; seed 1 }',
    '  sample { every 500; grid 8x8 }',
    '}',
  ].join('\n'),
};

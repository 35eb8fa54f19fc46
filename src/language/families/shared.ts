// Pieces several families declare alike: the latent section, the adversarial network sections,
// and the DCGAN starter networks for 28x28 images.
import type { SectionDecl } from '../schema/sections';
import { int, oneOf } from '../schema/values';

export const LATENT_SECTION: SectionDecl = {
  name: 'latent',
  kind: 'latent',
  doc: 'Size of the latent vector z and its prior distribution.',
  params: [
    { name: 'size', type: int(1, 100000), required: true, positional: true, doc: 'Dimensions of z.' },
    {
      name: 'dist',
      type: oneOf('normal', 'uniform'),
      default: 'normal',
      doc: 'Prior of z: N(0, 1) or U(−1, 1).',
    },
  ],
  starter: 'latent 100',
};

export const GENERATOR_SECTION: SectionDecl = {
  name: 'generator',
  kind: 'network',
  role: 'generator',
  doc: 'The generator network: z → image (cyclegan: image → image, built twice, a→b and b→a; srgan: the low-resolution image → the data size).',
  params: [],
};

export const DISCRIMINATOR_SECTION: SectionDecl = {
  name: 'discriminator',
  kind: 'network',
  role: 'discriminator',
  doc: 'The discriminator (critic): image → one logit per image (cyclegan: patch logits allowed; one per domain).',
  params: [],
};

/** The DCGAN networks for 28x28x1 images (the gan and cgan starters share them). */
export const DCGAN_28X28_NETWORKS: readonly string[] = [
  '  generator {',
  '    dense 7*7*128 bias=false',
  '    batchnorm',
  '    leakyrelu',
  '    reshape [7, 7, 128]',
  '    deconv 64 kernel=4 stride=2 bias=false',
  '    batchnorm',
  '    leakyrelu',
  '    deconv 1 kernel=4 stride=2 activation=tanh',
  '  }',
  '',
  '  discriminator {',
  '    conv 64 kernel=4 stride=2',
  '    leakyrelu',
  '    conv 128 kernel=4 stride=2',
  '    leakyrelu',
  '    flatten',
  '    dense 1',
  '  }',
];

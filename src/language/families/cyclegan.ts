// cyclegan: unpaired translation between two domains with cycle consistency (Zhu et al. 2017).
import { formatShape, sameShape } from '../networks';
import { CYCLE_LOSS_PARAMS } from '../schema/losses';
import type { FamilyCheck, LanguageFamily } from './family';
import { DISCRIMINATOR_SECTION, GENERATOR_SECTION } from './shared';

const domainsAlike: FamilyCheck = ({ data, sections, sink }) => {
  if (data.length !== 2 || sameShape(data[0].shape, data[1].shape)) return;
  sink.add(
    'E307',
    sections.get('data:b')?.head.word ?? { start: 0, end: 0 },
    `cyclegan domains must have the same shape: domain a is ${formatShape(data[0].shape)}, domain b is ${formatShape(data[1].shape)}. Set the same size= and channels= on both.`,
  );
};

export const cycleganLanguage: LanguageFamily<'cyclegan'> = {
  name: 'cyclegan',
  doc: 'CycleGAN (Zhu et al. 2017): unpaired image-to-image translation between two domains with cycle consistency.',
  sections: [GENERATOR_SECTION, DISCRIMINATOR_SECTION],
  required: ['data', 'generator', 'discriminator'],
  roles: ['generator', 'discriminator'],
  dataLayout: 'domains',
  losses: [
    {
      name: 'lsgan',
      doc: 'Least-squares adversarial loss, as in the CycleGAN paper.',
      params: CYCLE_LOSS_PARAMS,
    },
    { name: 'nonsaturating', doc: 'Non-saturating adversarial loss.', params: CYCLE_LOSS_PARAMS },
  ],
  defaultLoss: 'lsgan',
  networkInputs: ({ data }) => ({
    generator: data[0]?.shape ?? null,
    discriminator: data[0]?.shape ?? null,
  }),
  // The a→b generator draws domain b's images.
  imageOutput: { role: 'generator', target: (data) => data[1]?.shape ?? null },
  adversarial: { critic: 'discriminator', patchLogits: true },
  checks: [domainsAlike],
  buildsPerNetwork: 2,
  buildNote: 'built twice: a→b and b→a',
  template: [
    'model ${1:cyclegan}: cyclegan {',
    '  data shapes domain=a kind=circle size=32x32 channels=1 { scale [-1, 1]; batch 8 }',
    '  data shapes domain=b kind=square size=32x32 channels=1 { scale [-1, 1]; batch 8 }',
    '',
    '  generator {',
    '    conv 32 kernel=7 norm=instance activation=relu',
    '    conv 64 kernel=3 stride=2 norm=instance activation=relu',
    '    repeat ${2:3} {',
    '      residual {',
    '        conv 64 kernel=3 norm=instance activation=relu',
    '        conv 64 kernel=3 norm=instance',
    '      }',
    '    }',
    '    deconv 32 kernel=3 stride=2 norm=instance activation=relu',
    '    conv 1 kernel=7 activation=tanh',
    '  }',
    '',
    '  discriminator {',
    '    conv 32 kernel=4 stride=2',
    '    leakyrelu',
    '    conv 64 kernel=4 stride=2 norm=instance',
    '    leakyrelu',
    '    conv 1 kernel=4',
    '  }',
    '',
    '  loss lsgan cycle=10 identity=5',
    '  optimizer adam lr=2e-4 beta1=0.5',
    '  train { steps ${3:2000}; seed 1 }',
    '  sample { every 200; grid 4x4 }',
    '}',
  ].join('\n'),
};

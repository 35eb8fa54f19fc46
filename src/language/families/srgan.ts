// srgan: super-resolution (Ledig et al. 2017). Each training image is its own target: the model
// shrinks it by the `upscale` factor on the fly, the generator maps the small image back to the
// data size, and a discriminator judges the result. `pretrain` trains the content loss alone first
// (the paper's SRResNet stage).
import type { Shape } from '../model';
import { formatShape } from '../networks';
import type { SectionDecl } from '../schema/sections';
import type { ParamSpec } from '../schema/values';
import { int, num, oneOf } from '../schema/values';
import type { FamilyCheck, LanguageFamily, ModelFacts } from './family';
import { DISCRIMINATOR_SECTION, GENERATOR_SECTION } from './shared';

/** The factors the language accepts; each downscale method is defined for every one. */
export const UPSCALE_METHODS = ['bicubic', 'area'] as const;

const UPSCALE_SECTION: SectionDecl = {
  name: 'upscale',
  kind: 'settings',
  doc: 'How the low-resolution inputs are made from the training images: each image is shrunk by `factor` (`bicubic`: Keys cubic a = −0.5, antialiased like MATLAB’s imresize; `area`: the mean of each factor×factor block). The generator maps H/factor × W/factor back to the data size.',
  params: [
    {
      name: 'factor',
      type: int(2, 8),
      required: true,
      positional: true,
      doc: 'Upscaling factor: the data’s height and width divided by the generator input’s.',
      suggestions: [4, 2],
    },
    {
      name: 'method',
      type: oneOf(...UPSCALE_METHODS),
      default: 'bicubic',
      doc: 'Downscaling that makes the inputs: `bicubic` (as in the SRGAN paper) or `area` (box average).',
    },
  ],
  starter: 'upscale 4',
};

const PRETRAIN_SECTION: SectionDecl = {
  name: 'pretrain',
  kind: 'settings',
  doc: 'The first `steps` steps train the generator on the content loss alone (SRResNet), then the adversarial stage starts with the discriminator (Ledig et al. 2017 pretrain for 10⁶ steps, then 2·10⁵ adversarial). Without it training is adversarial from the first step.',
  params: [
    {
      name: 'steps',
      type: int(0, 1e9),
      required: true,
      doc: 'Content-only generator steps before the adversarial stage (part of `train`’s steps).',
      suggestions: [1000],
    },
  ],
  starter: 'pretrain { steps 1000 }',
};

const SR_LOSS_PARAMS: readonly ParamSpec[] = [
  {
    name: 'content',
    type: oneOf('mse', 'l1'),
    default: 'mse',
    doc: 'Pixel content loss between the super-resolved and the original image: mean squared error (maximises PSNR) or mean absolute error.',
  },
  {
    name: 'adversarial',
    type: num(0),
    default: 1e-3,
    doc: 'Weight of the generator’s adversarial term after pretraining (1e-3 in Ledig et al. 2017; 0 trains SRResNet only).',
  },
  {
    name: 'features',
    type: oneOf('none', 'discriminator'),
    default: 'none',
    doc: 'Feature loss: `discriminator` adds the mean squared distance between the discriminator’s features (what its last layer reads) of the super-resolved and of the original image: feature matching, standing in for the paper’s VGG loss, whose weights are not available offline. Adversarial stage only.',
  },
  {
    name: 'feature_weight',
    type: num(0),
    default: 1,
    doc: 'Weight of the feature loss (with features=discriminator).',
  },
];

/** The generator input: the data's height and width divided by the factor, or null when it does not divide. */
export function lowResolutionShape(data: Shape | undefined, factor: unknown): Shape | null {
  if (!data || typeof factor !== 'number') return null;
  const [h, w, c] = data;
  if (h % factor !== 0 || w % factor !== 0) return null;
  return [h / factor, w / factor, c];
}

function factorOf(facts: Pick<ModelFacts, 'settings'>): unknown {
  return facts.settings.upscale?.factor;
}

const sizeDivides: FamilyCheck = ({ data, settings, sections, sink }) => {
  const factor = settings.upscale?.factor;
  const shape = data[0]?.shape;
  if (typeof factor !== 'number' || !shape || lowResolutionShape(shape, factor)) return;
  const head = sections.get('upscale')?.head;
  sink.add(
    'E311',
    head?.positional[0] ?? head?.word ?? { start: 0, end: 0 },
    `\`upscale ${factor}\` needs the data’s height and width divisible by ${factor}, but the data is ${formatShape(shape)}: set the data’s size= to a multiple of ${factor} (e.g. ${Math.max(1, Math.round(shape[0] / factor)) * factor}x${Math.max(1, Math.round(shape[1] / factor)) * factor}) or choose another factor.`,
  );
};

/** The discriminator trains once per generator step; more critic steps are not available yet. */
const oneCriticStep: FamilyCheck = ({ sections, text, sink }) => {
  const setting = sections.get('train')?.settings.get('d_steps');
  if (!setting || text.slice(setting.value.start, setting.value.end).trim() === '1') return;
  sink.add(
    'E206',
    setting.value,
    'srgan updates the discriminator once per generator step: `d_steps` other than 1 is not available for srgan yet. Remove it.',
  );
};

export const srganLanguage: LanguageFamily<'srgan'> = {
  name: 'srgan',
  doc: 'SRGAN (Ledig et al. 2017): super-resolution. Low-resolution inputs are made from the training images by `upscale`; the generator maps them back to the data size, pretrained on the content loss, then trained against a discriminator.',
  sections: [UPSCALE_SECTION, PRETRAIN_SECTION, GENERATOR_SECTION, DISCRIMINATOR_SECTION],
  required: ['data', 'upscale', 'generator', 'discriminator'],
  roles: ['generator', 'discriminator'],
  dataLayout: 'single',
  losses: [
    {
      name: 'nonsaturating',
      doc: 'Content loss + adversarial × the non-saturating GAN loss (−log D(G(x)), as in the SRGAN paper) + feature_weight × the feature loss.',
      params: SR_LOSS_PARAMS,
      readout: 'probability',
    },
    {
      name: 'lsgan',
      doc: 'Content loss + adversarial × the least-squares GAN loss + feature_weight × the feature loss.',
      params: SR_LOSS_PARAMS,
      readout: 'score',
    },
  ],
  defaultLoss: 'nonsaturating',
  networkInputs: (facts) => ({
    generator: lowResolutionShape(facts.data[0]?.shape, factorOf(facts)),
    discriminator: facts.data[0]?.shape ?? null,
  }),
  imageOutput: {
    role: 'generator',
    target: (data) => data[0]?.shape ?? null,
    // The content loss is a regression: a linear output is as good as the data's range.
    linearAllowed: () => true,
  },
  adversarial: { critic: 'discriminator', patchLogits: false },
  checks: [sizeDivides, oneCriticStep],
  buildsPerNetwork: 1,
  sampleRows:
    'blocks of four rows: the low-resolution input, its bicubic upscaling, the super-resolved image and the original (held-out images)',
  template: [
    'model ${1:srgan}: srgan {',
    '  data ${2:mnist} { scale [-1, 1]; batch 32 }',
    '  upscale ${3:4} method=bicubic',
    '',
    '  generator {',
    '    conv 32 kernel=5',
    '    prelu',
    '    residual {',
    '      repeat 2 {',
    '        residual { conv 32 kernel=3; prelu; conv 32 kernel=3 }',
    '      }',
    '      conv 32 kernel=3',
    '    }',
    '    conv 128 kernel=3',
    '    pixelshuffle 2',
    '    prelu',
    '    conv 128 kernel=3',
    '    pixelshuffle 2',
    '    prelu',
    '    conv 1 kernel=5',
    '  }',
    '',
    '  discriminator {',
    '    conv 32 kernel=3 stride=2',
    '    leakyrelu',
    '    conv 64 kernel=3 stride=2',
    '    leakyrelu',
    '    flatten',
    '    dense 1',
    '  }',
    '',
    '  loss nonsaturating content=mse adversarial=1e-3',
    '  pretrain { steps ${4:500} }',
    '  optimizer adam lr=1e-3',
    '  train { steps ${5:1000}; seed 1 }',
    '  sample { every 100; grid 8x8 }',
    '}',
  ].join('\n'),
};

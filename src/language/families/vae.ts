// vae: an encoder to a Gaussian latent and a decoder back to images (Kingma & Welling 2013).
import { formatShape, insertLineAfter } from '../networks';
import type { SectionDecl } from '../schema/sections';
import { num, oneOf } from '../schema/values';
import type { FamilyCheck, LanguageFamily } from './family';
import { LATENT_SECTION } from './shared';

const ENCODER_SECTION: SectionDecl = {
  name: 'encoder',
  kind: 'network',
  role: 'encoder',
  doc: 'VAE encoder: image → flat features; the model adds the mean and log-variance heads of size `latent`.',
  params: [],
};

const DECODER_SECTION: SectionDecl = {
  name: 'decoder',
  kind: 'network',
  role: 'decoder',
  doc: 'VAE decoder: z → image.',
  params: [],
};

/** The encoder ends in flat features: the trainer adds the mean and log-variance heads after it. */
const encoderIsFlat: FamilyCheck = ({ networks, lastLayer, sections, text, sink }) => {
  const enc = networks.encoder;
  if (!enc || enc.outputShape.length === 1) return;
  const stmt = lastLayer.get('encoder');
  sink.add(
    'E306',
    stmt ?? sections.get('encoder')?.head.word ?? { start: 0, end: 0 },
    `The encoder must output flat features (the model adds the mean and log-variance heads) but outputs ${formatShape(enc.outputShape)}: end it with \`flatten\`.`,
    stmt ? [insertLineAfter(text, stmt, ['flatten'], 'Add `flatten`')] : [],
  );
};

const isBce = (loss: { readonly params: Readonly<Record<string, unknown>> } | null): boolean =>
  loss?.params.reconstruction === 'bce';

export const vaeLanguage: LanguageFamily<'vae'> = {
  name: 'vae',
  doc: 'Variational autoencoder (Kingma & Welling 2013): an encoder to a Gaussian latent, a decoder back to images.',
  sections: [LATENT_SECTION, ENCODER_SECTION, DECODER_SECTION],
  required: ['data', 'latent', 'encoder', 'decoder'],
  roles: ['encoder', 'decoder'],
  dataLayout: 'single',
  losses: [
    {
      name: 'elbo',
      doc: 'Evidence lower bound: reconstruction + beta × KL(q(z|x) ‖ N(0, I)).',
      params: [
        { name: 'beta', type: num(0), default: 1, doc: 'Weight of the KL term (beta-VAE when > 1).' },
        {
          name: 'reconstruction',
          type: oneOf('bce', 'mse'),
          default: 'bce',
          doc: 'Reconstruction term: binary cross-entropy (data in [0, 1]) or mean squared error.',
        },
      ],
    },
  ],
  defaultLoss: 'elbo',
  networkInputs: ({ data, latentSize }) => ({
    encoder: data[0]?.shape ?? null,
    decoder: latentSize === null ? null : [latentSize],
  }),
  headParams: (role, output, { latentSize }) =>
    role === 'encoder' && latentSize !== null && output.length === 1
      ? 2 * (output[0] * latentSize + latentSize)
      : 0,
  imageOutput: {
    role: 'decoder',
    target: (data) => data[0]?.shape ?? null,
    requiredActivation: (loss) =>
      isBce(loss)
        ? {
            activation: 'sigmoid',
            why: '`reconstruction=bce` needs decoder outputs in (0, 1)',
            alternative: 'or use reconstruction=mse',
          }
        : null,
    // Under an MSE term the decoder's output is a Gaussian mean: linear is as good as the data's range.
    linearAllowed: (loss) => !isBce(loss),
  },
  adversarial: null,
  checks: [encoderIsFlat],
  buildsPerNetwork: 1,
  template: [
    'model ${1:vae}: vae {',
    '  data ${2:mnist} { scale [0, 1]; batch 128 }',
    '  latent ${3:16}',
    '',
    '  encoder {',
    '    conv 32 kernel=3 stride=2 activation=relu',
    '    conv 64 kernel=3 stride=2 activation=relu',
    '    flatten',
    '    dense 256 activation=relu',
    '  }',
    '',
    '  decoder {',
    '    dense 7*7*64 activation=relu',
    '    reshape [7, 7, 64]',
    '    deconv 64 kernel=3 stride=2 activation=relu',
    '    deconv 32 kernel=3 stride=2 activation=relu',
    '    deconv 1 kernel=3 activation=sigmoid',
    '  }',
    '',
    '  loss elbo beta=${4:1} reconstruction=bce',
    '  optimizer adam lr=1e-3',
    '  train { epochs ${5:10}; seed 1 }',
    '  sample { every 500; grid 8x8 }',
    '}',
  ].join('\n'),
};

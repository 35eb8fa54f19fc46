// stackgan: two stages conditioned on a caption (Zhang et al. 2017). A text encoder learned in the
// project (token embeddings averaged over a vocabulary built from the data's captions) gives each
// caption an embedding; conditioning augmentation draws the generators' text code from a Gaussian
// around it (with its KL term). Stage I draws a low-resolution image from z and the code, stage II
// refines that image, with its own code, to the data size. Each stage has a matching-aware
// discriminator that sees real images with their captions, fakes, and real images with wrong ones.
import type { ResolvedData, Shape } from '../model';
import { formatShape } from '../networks';
import type { SectionDecl } from '../schema/sections';
import { int, num } from '../schema/values';
import type { FamilyCheck, LanguageFamily, ModelFacts } from './family';
import { captionedData } from './captions';
import { DISCRIMINATOR_SECTION, GENERATOR_SECTION, LATENT_SECTION } from './shared';

const TEXT_SECTION: SectionDecl = {
  name: 'text',
  kind: 'settings',
  doc: 'The text encoder, learned with the model: captions are lower-cased and split into words; the vocabulary is the `vocab` most frequent words of the training captions (saved with every checkpoint, so sampling needs no data); a caption’s embedding is the average of its words’ learned embeddings (unknown words share one). Captions: emoji: the emoji’s name, short names, category and subcategory (emoji.json); folder: `image.txt` beside `image.png`, else the line `image.png: caption` of a `captions.txt` in the folder.',
  params: [
    {
      name: 'embed',
      type: int(1, 4096),
      default: 64,
      doc: 'Size of the text embedding (each word’s learned vector).',
    },
    {
      name: 'vocab',
      type: int(2, 100000),
      default: 1000,
      doc: 'Most words in the vocabulary; rarer words of the captions are unknown words.',
    },
  ],
  starter: 'text embed=64 vocab=1000',
};

const AUGMENT_SECTION: SectionDecl = {
  name: 'augment',
  kind: 'settings',
  doc: 'Conditioning augmentation (Zhang et al. 2017): each generator learns a mean μ and log-variance of a Gaussian over its text code from the text embedding and draws the code from it with the reparameterisation trick (c = μ + σ·ε); its generator’s loss adds `kl` × KL(N(μ, σ²) ‖ N(0, I)). The discriminators see a learned linear compression of the embedding of the same size.',
  params: [
    {
      name: 'size',
      type: int(1, 1024),
      required: true,
      positional: true,
      doc: 'Size of the text code c (the paper: 128).',
      suggestions: [16, 32],
    },
    {
      name: 'kl',
      type: num(0),
      default: 1,
      doc: 'Weight of the KL term in the generators’ losses (the paper: 1; 0 turns the regulariser off).',
    },
  ],
  starter: 'augment 16 kl=1',
};

const STAGE1_SECTION: SectionDecl = {
  name: 'stage1',
  kind: 'settings',
  doc: 'Stage I and the schedule: `generator` draws `size` images (the training images reduced by area averaging are its real images); the first `steps` steps train stage I alone, then stage II trains with stage I (its generator, its conditioning augmentation and the text encoder) frozen, as in the paper.',
  params: [
    {
      name: 'size',
      type: { kind: 'size', dims: [2] },
      required: true,
      doc: 'Stage-I image height x width; it must divide the data’s.',
    },
    {
      name: 'steps',
      type: int(0, 1e9),
      required: true,
      doc: 'Steps of stage I (part of `train`’s steps); the rest train stage II.',
      suggestions: [1000],
    },
  ],
  starter: 'stage1 { size 16x16; steps 1000 }',
};

const GENERATOR2_SECTION: SectionDecl = {
  name: 'generator2',
  kind: 'network',
  role: 'generator2',
  doc: 'The stage-II generator: the stage-I image with its text code joined as constant planes ([h, w, C + augment]) → the data size (the paper: down-sampling, residual blocks, up-sampling).',
  params: [],
};

const DISCRIMINATOR2_SECTION: SectionDecl = {
  name: 'discriminator2',
  kind: 'network',
  role: 'discriminator2',
  doc: 'The stage-II matching-aware discriminator: a data-size image with the compressed text embedding joined as planes → one logit.',
  params: [],
};

/** The stage-I size from `stage1 size=HxW`, or null. */
export function stage1Size(settings: ModelFacts['settings']): readonly [number, number] | null {
  const size = settings.stage1?.size;
  return Array.isArray(size) && size.length === 2 ? [size[0], size[1]] : null;
}

function augmentOf(settings: ModelFacts['settings']): number | null {
  const size = settings.augment?.size;
  return typeof size === 'number' ? size : null;
}

/** The stage-I image shape: the stage-I size with the data's channels. */
export function stage1Shape(data: ResolvedData | undefined, settings: ModelFacts['settings']): Shape | null {
  const size = stage1Size(settings);
  return data && size ? [size[0], size[1], data.shape[2]] : null;
}

function withPlanes(shape: Shape | null, planes: number | null): Shape | null {
  return shape && planes !== null ? [shape[0], shape[1], shape[2] + planes] : null;
}

/** E313: the stage-I size divides the data's, and is smaller. */
const stage1Divides: FamilyCheck = ({ data, settings, sections, sink }) => {
  const size = stage1Size(settings);
  const shape = data[0]?.shape;
  if (!size || !shape) return;
  const [h, w] = size;
  if (h < shape[0] && w < shape[1] && shape[0] % h === 0 && shape[1] % w === 0) return;
  const node = sections.get('stage1')?.settings.get('size')?.value ?? sections.get('stage1')?.head.word;
  sink.add(
    'E313',
    node ?? { start: 0, end: 0 },
    `Stage I draws ${h}x${w} images but the data is ${formatShape(shape)}: the stage-I size must be smaller than the data’s and divide it (e.g. ${shape[0] / 4}x${shape[1] / 4}).`,
  );
};

/** E300: the stage-I generator draws the stage-I shape. */
const stage1Output: FamilyCheck = ({ data, settings, networks, lastLayer, sections, sink }) => {
  const target = stage1Shape(data[0], settings);
  const out = networks.generator?.outputShape;
  if (!target || !out || (out.length === 3 && out.every((d, i) => d === target[i]))) return;
  sink.add(
    'E300',
    lastLayer.get('generator') ?? sections.get('generator')?.head.word ?? { start: 0, end: 0 },
    `The stage-I generator outputs ${formatShape(out)} but stage I draws ${formatShape(target)} (\`stage1 size\` with the data’s channels): its last layers must produce exactly that shape.`,
  );
};

/** E304: the stage-II discriminator ends in one logit per image (stage I's is the family's critic). */
const stage2Logit: FamilyCheck = ({ networks, lastLayer, sections, sink }) => {
  const o = networks.discriminator2?.outputShape;
  if (!o || (o.length === 1 && o[0] === 1)) return;
  sink.add(
    'E304',
    lastLayer.get('discriminator2') ?? sections.get('discriminator2')?.head.word ?? { start: 0, end: 0 },
    `The discriminator2 must end in one logit per image ([1]) but outputs ${formatShape(o)}: end it with ${o.length === 1 ? '`dense 1`' : '`flatten` and `dense 1`'}.`,
  );
};

/** E206: training settings this family does not implement yet (one critic step; no EMA generator). */
const unavailableTrainSettings: FamilyCheck = ({ sections, text, sink }) => {
  const train = sections.get('train')?.settings;
  const dSteps = train?.get('d_steps');
  if (dSteps && text.slice(dSteps.value.start, dSteps.value.end).trim() !== '1')
    sink.add(
      'E206',
      dSteps.value,
      'stackgan updates each stage’s discriminator once per generator step: `d_steps` other than 1 is not available for stackgan yet. Remove it.',
    );
  const ema = train?.get('ema');
  if (ema)
    sink.add(
      'E206',
      ema.value,
      'Generator weight averaging (`ema`) is not available for stackgan yet: remove it.',
    );
};

export const stackganLanguage: LanguageFamily<'stackgan'> = {
  name: 'stackgan',
  doc: 'StackGAN (Zhang et al. 2017): text-to-image in two stages. A learned text encoder embeds each caption; stage I draws a low-resolution image from z and a conditioning-augmented text code, stage II refines it to the data size; matching-aware discriminators see real and fake images and real images with wrong captions.',
  sections: [
    LATENT_SECTION,
    TEXT_SECTION,
    AUGMENT_SECTION,
    STAGE1_SECTION,
    GENERATOR_SECTION,
    DISCRIMINATOR_SECTION,
    GENERATOR2_SECTION,
    DISCRIMINATOR2_SECTION,
  ],
  required: [
    'data',
    'latent',
    'augment',
    'stage1',
    'generator',
    'discriminator',
    'generator2',
    'discriminator2',
  ],
  roles: ['generator', 'discriminator', 'generator2', 'discriminator2'],
  dataLayout: 'single',
  losses: [
    {
      name: 'nonsaturating',
      doc: 'Matching-aware GAN loss (Reed et al. 2016; StackGAN): D learns real image + its caption → real, fake + caption → fake and real image + another image’s caption → fake (the last two weighted ½); G maximises log D(G(z, c), caption), plus `augment kl` × the KL term.',
      params: [],
      readout: 'probability',
    },
  ],
  defaultLoss: 'nonsaturating',
  networkInputs: ({ data, latentSize, settings }) => {
    const code = augmentOf(settings);
    const low = stage1Shape(data[0], settings);
    return {
      generator: latentSize === null || code === null ? null : [latentSize + code],
      discriminator: withPlanes(low, code),
      generator2: withPlanes(low, code),
      discriminator2: withPlanes(data[0]?.shape ?? null, code),
    };
  },
  imageOutput: { role: 'generator2', target: (data) => data[0]?.shape ?? null },
  adversarial: { critic: 'discriminator', patchLogits: false },
  captioned: true,
  columnsPerDraw: 2,
  checks: [
    captionedData('A stackgan', () => true),
    stage1Divides,
    stage1Output,
    stage2Logit,
    unavailableTrainSettings,
  ],
  buildsPerNetwork: 1,
  sampleRows:
    'one row per caption (held-out captions, or the prompt asked for), columns in pairs: the stage-I image (enlarged) and the stage-II image of the same z',
  template: [
    'model ${1:stackgan}: stackgan {',
    '  data emoji { size 64x64; scale [-1, 1]; batch 16 }',
    '  latent ${2:32}',
    '  text embed=64 vocab=1000',
    '  augment 16 kl=1',
    '  stage1 { size 16x16; steps ${3:1000} }',
    '',
    '  generator {',
    '    dense 4*4*128',
    '    reshape [4, 4, 128]',
    '    deconv 64 kernel=4 stride=2 norm=batch activation=relu',
    '    deconv 3 kernel=4 stride=2 activation=tanh',
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
    '',
    '  generator2 {',
    '    conv 64 kernel=3 activation=relu',
    '    residual { conv 64 kernel=3 norm=batch activation=relu; conv 64 kernel=3 norm=batch }',
    '    deconv 32 kernel=4 stride=2 norm=batch activation=relu',
    '    deconv 3 kernel=4 stride=2 activation=tanh',
    '  }',
    '',
    '  discriminator2 {',
    '    conv 32 kernel=4 stride=2',
    '    leakyrelu',
    '    conv 64 kernel=4 stride=2',
    '    leakyrelu',
    '    conv 128 kernel=4 stride=2',
    '    leakyrelu',
    '    flatten',
    '    dense 1',
    '  }',
    '',
    '  loss nonsaturating',
    '  optimizer adam lr=2e-4 beta1=0.5',
    '  train { steps ${4:2000}; seed 1 }',
    '  sample { every 200; grid 4x8 }',
    '}',
  ].join('\n'),
};

// video: recurrent generation of clips in the manner of MoCoGAN (Tulyakov et al. 2018). A content
// code z_C (the `latent` section) is drawn once per clip; the `trajectory` network, a recurrent
// stack, turns per-frame noise into one motion code z_M(t) per frame; the `generator` draws each
// frame from [z_C, z_M(t)] and is shared across time. The `discriminator` judges single frames,
// the `video_discriminator` whole clips (2-D convolutions over the frames stacked as channels).
import type { ResolvedData, Shape } from '../model';
import { formatShape } from '../networks';
import { MNIST_DIGIT_SIZE } from '../schema/data';
import { ADVERSARIAL_LOSSES } from '../schema/losses';
import type { SectionDecl } from '../schema/sections';
import { int, oneOf } from '../schema/values';
import type { FamilyCheck, LanguageFamily, ModelFacts } from './family';
import { DISCRIMINATOR_SECTION, GENERATOR_SECTION, LATENT_SECTION } from './shared';

const MOTION_SECTION: SectionDecl = {
  name: 'motion',
  kind: 'settings',
  doc: 'The motion code: each frame’s noise ε(t) ~ N(0, 1) of `size` dimensions goes through the `trajectory` network, which returns one motion code z_M(t) of the same size per frame. `noise=first` keeps only ε(0): the trajectory then rolls the motion out from its start, as motion that follows from where a clip starts (a bouncing digit) does.',
  params: [
    {
      name: 'size',
      type: int(1, 4096),
      required: true,
      positional: true,
      doc: 'Dimensions of the per-frame noise and of each motion code.',
      suggestions: [10, 16],
    },
    {
      name: 'noise',
      type: oneOf('each', 'first'),
      default: 'each',
      doc: '`each`: fresh noise ε(t) at every frame (MoCoGAN); `first`: noise at the first frame only, zero after it, so each clip’s motion is a deterministic roll-out of its start.',
    },
  ],
  starter: 'motion 10',
};

const CRITIC_FRAMES_SECTION: SectionDecl = {
  name: 'critic_frames',
  kind: 'settings',
  doc: 'How many frames of each clip the frame critic (`discriminator`) judges: `count` frames drawn at random from each clip, without repeats, for each critic and generator update — MoCoGAN’s image discriminator judges one frame per clip. Without it the frame critic judges every frame; fewer frames make its updates cheaper, which buys a deeper frame critic or more steps in the same time.',
  params: [
    {
      name: 'count',
      type: int(1, 1024),
      required: true,
      positional: true,
      doc: 'Frames drawn at random from each clip for the frame critic (at most the data’s `frames`).',
      suggestions: [1, 2],
    },
  ],
  starter: 'critic_frames 1',
};

const TRAJECTORY_SECTION: SectionDecl = {
  name: 'trajectory',
  kind: 'network',
  role: 'trajectory',
  doc: 'The recurrent motion network: [frames, motion] noise → [frames, motion] codes, one per frame (`gru` or `lstm` layers; `dense` applies per frame).',
  params: [],
};

const VIDEO_DISCRIMINATOR_SECTION: SectionDecl = {
  name: 'video_discriminator',
  kind: 'network',
  role: 'video_discriminator',
  doc: 'The clip discriminator: a whole clip, its frames stacked as channels ([h, w, channels × frames]), → one logit per clip.',
  params: [],
};

/** Frames per clip of clip data (the source's `frames`), or null when the data has errors. */
export function clipFrames(data: readonly Pick<ResolvedData, 'options'>[]): number | null {
  const frames = data[0]?.options.frames;
  return typeof frames === 'number' ? frames : null;
}

function motionSize(settings: ModelFacts['settings']): number | null {
  const size = settings.motion?.size;
  return typeof size === 'number' ? size : null;
}

/** The clip discriminator's input: the frames stacked along the channels. */
export function stackedClipShape(frame: Shape, frames: number): Shape {
  return [frame[0], frame[1], frame[2] * frames];
}

const sameShape = (a: Shape, b: Shape): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

/** E324: the trajectory returns one motion code per frame, of the motion size. */
const trajectoryOutput: FamilyCheck = ({ data, settings, networks, lastLayer, sections, sink }) => {
  const out = networks.trajectory;
  const frames = clipFrames(data);
  const size = motionSize(settings);
  if (!out || frames === null || size === null) return;
  const target = [frames, size];
  if (sameShape(out.outputShape, target)) return;
  sink.add(
    'E324',
    lastLayer.get('trajectory') ?? sections.get('trajectory')?.head.word ?? { start: 0, end: 0 },
    `The trajectory outputs ${formatShape(out.outputShape)} but needs one motion code per frame, ${formatShape(target)}: end it in a recurrent layer (or \`dense\`) of ${size} units, keeping the ${frames} frames.`,
  );
};

/** E304 for the clip critic too: one logit per clip. */
const clipLogit: FamilyCheck = ({ networks, lastLayer, sections, sink }) => {
  const critic = networks.video_discriminator;
  if (!critic || sameShape(critic.outputShape, [1])) return;
  sink.add(
    'E304',
    lastLayer.get('video_discriminator') ??
      sections.get('video_discriminator')?.head.word ?? { start: 0, end: 0 },
    `The video_discriminator outputs ${formatShape(critic.outputShape)} but must end in one logit per clip: add \`flatten\` and \`dense 1\`.`,
  );
};

/** critic_frames draws from a clip's frames: at most that many. */
const criticFramesWithinClip: FamilyCheck = ({ data, settings, sections, sink }) => {
  const count = settings.critic_frames?.count;
  const frames = clipFrames(data);
  if (typeof count !== 'number' || frames === null || count <= frames) return;
  const section = sections.get('critic_frames');
  sink.add(
    'E206',
    section?.head.positional[0] ??
      section?.settings.get('count')?.value ??
      section?.head.word ?? { start: 0, end: 0 },
    `critic_frames draws ${count} frames from each clip, but a clip has ${frames} (the data’s \`frames\`): use at most ${frames}.`,
  );
};

/** A moving_mnist field holds at least one digit (`digit_size`: MNIST's 28x28 images by default). */
const clipDataSettings: FamilyCheck = ({ data: sources, sections, sink }) => {
  const data = sections.get('data');
  const field = sources[0];
  if (field?.source !== 'moving_mnist') return;
  const digit = typeof field.options.digit_size === 'number' ? field.options.digit_size : MNIST_DIGIT_SIZE;
  if (field.shape[0] >= digit && field.shape[1] >= digit) return;
  sink.add(
    'E206',
    data?.settings.get('size')?.value ?? data?.head.word ?? { start: 0, end: 0 },
    `moving_mnist digits are ${digit}x${digit} (\`digit_size\`): the field must be at least that large (e.g. 32x32 or 64x64), not ${field.shape[0]}x${field.shape[1]}.`,
  );
};

function trajectoryInput(facts: ModelFacts): Shape | null {
  const frames = clipFrames(facts.data);
  const size = motionSize(facts.settings);
  return frames === null || size === null ? null : [frames, size];
}

export const videoLanguage: LanguageFamily<'video'> = {
  name: 'video',
  doc: 'Video generation with content and motion kept apart (MoCoGAN, Tulyakov et al. 2018): a recurrent `trajectory` turns per-frame noise into motion codes, a frame `generator` shared across time draws each frame from the clip’s content code and the frame’s motion code, and two critics judge single frames and whole clips.',
  sections: [
    LATENT_SECTION,
    MOTION_SECTION,
    CRITIC_FRAMES_SECTION,
    TRAJECTORY_SECTION,
    GENERATOR_SECTION,
    DISCRIMINATOR_SECTION,
    VIDEO_DISCRIMINATOR_SECTION,
  ],
  required: ['data', 'latent', 'motion', 'trajectory', 'generator', 'discriminator', 'video_discriminator'],
  roles: ['trajectory', 'generator', 'discriminator', 'video_discriminator'],
  dataLayout: 'single',
  clips: true,
  losses: ADVERSARIAL_LOSSES.filter((l) => l.name !== 'wasserstein'),
  defaultLoss: 'nonsaturating',
  networkInputs: (facts) => {
    const frame = facts.data[0]?.shape ?? null;
    const frames = clipFrames(facts.data);
    const motion = motionSize(facts.settings);
    return {
      trajectory: trajectoryInput(facts),
      generator: facts.latentSize === null || motion === null ? null : [facts.latentSize + motion],
      discriminator: frame,
      video_discriminator: frame && frames !== null ? stackedClipShape(frame, frames) : null,
    };
  },
  imageOutput: { role: 'generator', target: (data) => data[0]?.shape ?? null },
  adversarial: { critic: 'discriminator', patchLogits: false },
  checks: [trajectoryOutput, clipLogit, clipDataSettings, criticFramesWithinClip],
  buildsPerNetwork: 1,
  buildNote: 'The generator runs once per frame (frames × batch images per clip batch).',
  sampleRows: 'one clip per row, its frames left to right',
  template: [
    'model ${1:moving_digits}: video {',
    '  data moving_mnist { size 32x32; frames ${2:8}; scale [-1, 1]; batch 16 }',
    '  latent ${3:32}',
    '  motion ${4:8}',
    '',
    '  trajectory {',
    '    gru 32',
    '    dense ${4:8}',
    '  }',
    '',
    '  generator {',
    '    dense 8*8*64',
    '    leakyrelu',
    '    reshape [8, 8, 64]',
    '    deconv 32 kernel=4 stride=2',
    '    leakyrelu',
    '    deconv 1 kernel=4 stride=2 activation=tanh',
    '  }',
    '',
    '  discriminator {',
    '    conv 32 kernel=4 stride=2',
    '    leakyrelu',
    '    conv 64 kernel=4 stride=2',
    '    leakyrelu',
    '    flatten',
    '    dense 1',
    '  }',
    '',
    '  video_discriminator {',
    '    conv 64 kernel=4 stride=2',
    '    leakyrelu',
    '    conv 64 kernel=4 stride=2',
    '    leakyrelu',
    '    flatten',
    '    dense 1',
    '  }',
    '',
    '  loss nonsaturating',
    '  optimizer adam lr=2e-4 beta1=0.5',
    '  train { steps ${5:2000}; seed 1 }',
    '  sample { every 200; grid 4x8 }',
    '}',
  ].join('\n'),
};

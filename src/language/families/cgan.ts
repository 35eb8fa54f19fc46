// cgan: the class label (or, with `condition text`, the caption) conditions both networks
// (Mirza & Osindero 2014; text: Reed et al. 2016 without the matching-aware pairs).
import { removeFix } from '../diagnostics';
import type { ParamValue, ResolvedLayer } from '../model';
import { ADVERSARIAL_LOSSES } from '../schema/losses';
import type { Statement } from '../syntax';
import { captionedData } from './captions';
import {
  CONDITION_SECTION,
  classesOf,
  conditionsOnText,
  discriminatorConditioning,
  resolveClassCondition,
} from './condition';
import type { FamilyCheck, LanguageFamily } from './family';
import { DCGAN_28X28_NETWORKS, DISCRIMINATOR_SECTION, GENERATOR_SECTION, LATENT_SECTION } from './shared';

function embedOf(condition: Readonly<Record<string, unknown>> | null): number | null {
  return typeof condition?.embed === 'number' ? condition.embed : null;
}

/** What the generator's input adds to z: the one-hot label, its embedding, the caption's
 *  embedding (text), or nothing (batchnorm). */
function labelWidth(condition: Readonly<Record<string, unknown>> | null): number | null {
  if (conditionsOnText(condition)) return embedOf(condition);
  if (condition?.generator === 'batchnorm') return 0;
  return condition?.generator === 'embed' ? embedOf(condition) : classesOf(condition);
}

/** Whether a layer normalises with batch statistics: `batchnorm`, or `norm=batch` on a convolution. */
function isBatchNorm(kind: string, norm: ParamValue | undefined): boolean {
  return kind === 'batchnorm' || norm === 'batch';
}

/** The batch norms of a network, nested blocks included, as written. */
function batchNormStatements(stmts: readonly Statement[]): Statement[] {
  return stmts.flatMap((s) => {
    const norm = s.named.find((a) => a.name.name === 'norm')?.value;
    const own = isBatchNorm(s.word.name, norm?.kind === 'name' ? norm.name : undefined) ? [s] : [];
    return [...own, ...batchNormStatements(s.block?.statements ?? [])];
  });
}

/** The channels of every batch norm of a resolved network, by source line (repeat and residual expanded). */
function batchNormChannels(layers: readonly ResolvedLayer[]): { line: number; channels: number }[] {
  return layers.flatMap((l) => [
    ...(isBatchNorm(l.kind, l.params.norm)
      ? [{ line: l.line, channels: l.outputShape[l.outputShape.length - 1] ?? 0 }]
      : []),
    ...batchNormChannels(l.body ?? []),
  ]);
}

/** Channels the discriminator's input adds to the image. */
function labelChannels(condition: Readonly<Record<string, unknown>> | null): number | null {
  const mode = discriminatorConditioning(condition);
  if (mode === 'projection') return 0;
  if (mode === 'embed') return 1;
  return conditionsOnText(condition) ? embedOf(condition) : classesOf(condition);
}

/** Parameters the trainer adds to a text-conditioned network: its text encoder ((vocab + 1) × embed,
 *  unknown words included), and the discriminator's map of the embedding to its projection
 *  (embed × features) or to its one learned plane ((embed + 1) × H × W). */
function textHeadParams(
  role: string,
  condition: Readonly<Record<string, unknown>>,
  imageShape: readonly number[] | undefined,
  features: number,
): number {
  const embed = embedOf(condition) ?? 0;
  const vocab = typeof condition.vocab === 'number' ? condition.vocab : 0;
  const encoder = (vocab + 1) * embed;
  if (role !== 'discriminator') return encoder;
  const mode = discriminatorConditioning(condition);
  if (mode === 'projection') return encoder + embed * features;
  if (mode === 'embed' && imageShape)
    return encoder + (embed + 1) * (imageShape[0] ?? 0) * (imageShape[1] ?? 0);
  return encoder;
}

/** E203: with `text` the caption conditions the model: `classes` and `generator` are class settings. */
const classSettingsWithText: FamilyCheck = ({ condition, sections, text, sink }) => {
  if (!conditionsOnText(condition)) return;
  const section = sections.get('condition');
  for (const name of ['classes', 'generator']) {
    const setting = section?.settings.get(name);
    if (!setting) continue;
    const span = setting.line ?? { start: setting.name.start, end: setting.value.end };
    sink.add(
      'E203',
      setting.name,
      `\`${name}\` is a class-label setting: with \`condition text\` the caption conditions the model (the generator joins its embedding to z).`,
      [removeFix(text, span, `Remove \`${name}\``)],
    );
  }
};

/** With a projection discriminator the last layer is the unconditional logit on flat features. */
const projectionEndsInDenseOne: FamilyCheck = ({ condition, networks, lastLayer, sections, sink }) => {
  const critic = networks.discriminator;
  if (!condition || discriminatorConditioning(condition) !== 'projection' || !critic) return;
  const last = critic.layers[critic.layers.length - 1];
  if (last?.kind === 'dense' && last.params.units === 1 && last.inputShape.length === 1) return;
  sink.add(
    'E304',
    lastLayer.get('discriminator') ?? sections.get('discriminator')?.head.word ?? { start: 0, end: 0 },
    '`discriminator=projection` projects the features that enter the last layer onto the class embedding: end the discriminator with `flatten` and `dense 1`.',
  );
};

/** W409: a learned N(0, 1) label embedding joined to z, against one learned label plane, collapses. */
const collapsingConditioning: FamilyCheck = ({ condition, sections, sink }) => {
  if (condition?.generator !== 'embed' || condition.discriminator !== 'embed') return;
  const node = sections.get('condition')?.settings.get('generator');
  const at = node?.value ?? sections.get('condition')?.head.word;
  if (!at) return;
  sink.add(
    'W409',
    at,
    'A learned label embedding at the generator with one learned label plane at the discriminator is known to collapse: the generator learns to ignore z, so every sample of a class looks the same (measured: 56% conditional accuracy on MNIST). Use `generator=onehot` with `discriminator=planes` or `projection`.',
    node
      ? [
          {
            title: 'Use `generator=onehot`',
            edits: [{ start: node.value.start, end: node.value.end, newText: 'onehot' }],
          },
        ]
      : [],
  );
};

/** E309: `generator=batchnorm` conditions the generator's batch norms, so it needs one; hover notes on each. */
const conditionalBatchNorm: FamilyCheck = ({ condition, sections, networks, text, sink, notes }) => {
  if (condition?.generator !== 'batchnorm') return;
  const stmts = batchNormStatements(sections.get('generator')?.head.block?.statements ?? []);
  const classes = classesOf(condition);
  const channels = batchNormChannels(networks.generator?.layers ?? []);
  for (const stmt of stmts) {
    const line = text.slice(0, stmt.start).split('\n').length - 1;
    const width = channels.find((c) => c.line === line)?.channels;
    const count =
      classes !== null && width !== undefined
        ? ` (${classes} × 2 × ${width} = ${classes * 2 * width} parameters, in the generator’s total; the count on this line is one class’s)`
        : '';
    notes.set(
      stmt.start,
      `Conditional batch norm (\`condition generator=batchnorm\`): batch statistics as usual, then the scale γ and shift β of the label’s class, one row per class${count}.`,
    );
  }
  const generator = sections.get('generator');
  if (stmts.length || !generator?.head.block) return;
  const node = sections.get('condition')?.settings.get('generator');
  sink.add(
    'E309',
    node?.value ?? generator.head.word,
    '`generator=batchnorm` conditions the generator through its batch norms, but the generator has no `batchnorm` (or `norm=batch`): nothing would see the label. Add `batchnorm` after the generator’s hidden layers, or join the label to z with `generator=onehot`.',
    node
      ? [
          {
            title: 'Use `generator=onehot`',
            edits: [{ start: node.value.start, end: node.value.end, newText: 'onehot' }],
          },
        ]
      : [],
  );
};

export const cganLanguage: LanguageFamily<'cgan'> = {
  name: 'cgan',
  doc: 'Conditional GAN (Mirza & Osindero 2014): generator and discriminator both see the class label, or with `condition text` the image’s caption.',
  sections: [LATENT_SECTION, CONDITION_SECTION, GENERATOR_SECTION, DISCRIMINATOR_SECTION],
  required: ['data', 'latent', 'condition', 'generator', 'discriminator'],
  roles: ['generator', 'discriminator'],
  dataLayout: 'single',
  losses: ADVERSARIAL_LOSSES,
  defaultLoss: 'nonsaturating',
  networkInputs: ({ data, latentSize, condition }) => {
    const width = labelWidth(condition);
    const channels = labelChannels(condition);
    const main = data[0];
    return {
      generator: latentSize === null || width === null ? null : [latentSize + width],
      discriminator:
        main && channels !== null ? [main.shape[0], main.shape[1], main.shape[2] + channels] : null,
    };
  },
  // Conditional batch norm: γ and β for every class, where the layer counts one.
  layerParams: (role, { kind, params, output }, { condition }) => {
    const classes = classesOf(condition);
    if (classes === null || role !== 'generator' || condition?.generator !== 'batchnorm') return 0;
    return isBatchNorm(kind, params.norm) ? (classes - 1) * 2 * (output[output.length - 1] ?? 0) : 0;
  },
  // The projection discriminator's class embedding: one vector per class, as wide as its features;
  // with text, each network's text encoder too.
  headParams: (role, _output, { condition, data }, network) => {
    const last = network.layers[network.layers.length - 1];
    if (condition && conditionsOnText(condition))
      return textHeadParams(role, condition, data[0]?.shape, last?.inputShape[0] ?? 0);
    const classes = classesOf(condition);
    if (classes === null) return 0;
    return role === 'discriminator' && discriminatorConditioning(condition) === 'projection' && last
      ? classes * (last.inputShape[0] ?? 0)
      : 0;
  },
  imageOutput: { role: 'generator', target: (data) => data[0]?.shape ?? null },
  adversarial: { critic: 'discriminator', patchLogits: false },
  resolveCondition: resolveClassCondition('A cgan', 'cgan'),
  checks: [
    projectionEndsInDenseOne,
    collapsingConditioning,
    conditionalBatchNorm,
    classSettingsWithText,
    captionedData('A cgan with `condition text`', ({ condition }) => conditionsOnText(condition)),
  ],
  buildsPerNetwork: 1,
  sampleRows: 'one row per class',
  template: [
    'model ${1:cgan}: cgan {',
    '  data ${2:fashion_mnist} { scale [-1, 1]; batch 64 }',
    '  latent ${3:64}',
    '  condition classes=10',
    '',
    ...DCGAN_28X28_NETWORKS,
    '',
    '  loss ${4:nonsaturating}',
    '  optimizer adam lr=2e-4 beta1=0.5',
    '  train { epochs ${5:10}; seed 1 }',
    '  sample { every 500; grid 10x10 }',
    '}',
  ].join('\n'),
};

// cgan: the class label conditions both networks (Mirza & Osindero 2014).
import type { ResolvedData } from '../model';
import { ADVERSARIAL_LOSSES } from '../schema/losses';
import type { SectionDecl } from '../schema/sections';
import { int } from '../schema/values';
import type { LanguageFamily } from './family';
import { DCGAN_28X28_NETWORKS, DISCRIMINATOR_SECTION, GENERATOR_SECTION, LATENT_SECTION } from './shared';

const CONDITION_SECTION: SectionDecl = {
  name: 'condition',
  kind: 'settings',
  doc: 'Label conditioning: the generator gets a learned label embedding joined to z, the discriminator the label as one extra image channel.',
  params: [
    { name: 'classes', type: int(2, 100000), required: true, doc: 'Number of label classes.' },
    { name: 'embed', type: int(1, 100000), default: 50, doc: 'Size of the label embedding joined to z.' },
  ],
  starter: 'condition classes=10 embed=50',
};

function embedOf(condition: Readonly<Record<string, unknown>> | null): number | null {
  return typeof condition?.embed === 'number' ? condition.embed : null;
}

function labelledFolder(data: ResolvedData): boolean {
  return data.source === 'folder' && data.options.labels === true;
}

export const cganLanguage: LanguageFamily<'cgan'> = {
  name: 'cgan',
  doc: 'Conditional GAN (Mirza & Osindero 2014): generator and discriminator both see the class label.',
  sections: [LATENT_SECTION, CONDITION_SECTION, GENERATOR_SECTION, DISCRIMINATOR_SECTION],
  required: ['data', 'latent', 'condition', 'generator', 'discriminator'],
  roles: ['generator', 'discriminator'],
  dataLayout: 'single',
  losses: ADVERSARIAL_LOSSES,
  defaultLoss: 'nonsaturating',
  networkInputs: ({ data, latentSize, condition }) => {
    const embed = embedOf(condition);
    const main = data[0];
    return {
      generator: latentSize === null || embed === null ? null : [latentSize + embed],
      discriminator: main ? [main.shape[0], main.shape[1], main.shape[2] + 1] : null,
    };
  },
  imageOutput: { role: 'generator', target: (data) => data[0]?.shape ?? null },
  adversarial: { critic: 'discriminator', patchLogits: false },
  resolveCondition: ({ data, condition, sections, sink, at }) => {
    const main = data[0];
    const embed = embedOf(condition);
    const classes = typeof condition?.classes === 'number' ? condition.classes : null;
    if (!condition || !main) return { condition: null, data };
    let resolvedData = data;
    if (main.classes === null && labelledFolder(main) && classes !== null) {
      // A folder's classes are its sub-folders, counted when training starts: the trainer checks them
      // against the `condition` this model declares.
      resolvedData = [{ ...main, classes }, ...data.slice(1)];
    } else if (main.classes === null) {
      sink.add(
        'E308',
        sections.get('data')?.head.word ?? at,
        `A cgan needs labelled data, but \`${main.source}\` here has no labels${main.source === 'folder' ? ': add `labels=true` to take classes from sub-folders' : ''}.`,
      );
    } else if (classes !== null && classes !== main.classes && main.classes > 0) {
      const node = sections.get('condition')?.settings.get('classes')?.value;
      sink.add(
        'E215',
        node ?? at,
        `\`condition classes=${classes}\` but \`${main.source}\` has ${main.classes} classes.`,
        node
          ? [
              {
                title: `Change to ${main.classes}`,
                edits: [{ start: node.start, end: node.end, newText: String(main.classes) }],
              },
            ]
          : [],
      );
    }
    return {
      condition: classes !== null && embed !== null ? { classes, embed } : null,
      data: resolvedData,
    };
  },
  checks: [],
  buildsPerNetwork: 1,
  sampleRows: 'one row per class',
  template: [
    'model ${1:cgan}: cgan {',
    '  data ${2:fashion_mnist} { scale [-1, 1]; batch 64 }',
    '  latent ${3:64}',
    '  condition classes=10 embed=32',
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

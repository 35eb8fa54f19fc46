// Class conditioning, shared by the families that take a `condition` section (cgan: required;
// pixelcnn: optional): the section, and its checks against the data (labelled, as many classes).
import { removeFix } from '../diagnostics';
import type { ConditionSetting, DiscriminatorConditioning, FamilyName, ResolvedData } from '../model';
import type { SectionDecl } from '../schema/sections';
import { int, oneOf, paramFor } from '../schema/values';
import type { FamilyCheck, LanguageFamily } from './family';

export const CONDITION_SECTION: SectionDecl = {
  name: 'condition',
  kind: 'settings',
  doc: 'Label conditioning: how the networks see the class label (cgan: or, with `condition text`, the image’s caption; see `on`). cgan: the generator and the discriminator; the default, a one-hot label joined to z and one-hot label planes joined to the image, is the one that measured best here; `generator=batchnorm` conditions every batch norm of the generator on the label instead (conditional batch norm, as Miyato & Koyama 2018 and BigGAN pair with `discriminator=projection`); it measured as good by 800 steps but slower to condition before. pixelcnn (optional): a learned class bias V·h (h the one-hot label) added to the pre-activations of every `gated` layer’s vertical and horizontal stacks (both the tanh and the sigmoid halves) and to every `maskedconv` output, so the model learns p(x | class) (Conditional PixelCNN, van den Oord et al. 2016); it takes `classes` only.',
  params: [
    {
      name: 'on',
      families: ['cgan'],
      type: oneOf('text'),
      positional: true,
      doc: 'cgan: `text` conditions on each image’s caption instead of a class label (`condition text embed=64 vocab=1000`). Captions: emoji: the emoji’s name, short names, category and subcategory; folder: `image.txt` beside `image.png`, else the line `image.png: caption` of a `captions.txt`. Each network learns its own text encoder (the average of the caption’s learned word embeddings, size `embed`, over the `vocab` most frequent words of the training captions, saved with every checkpoint); the generator joins the embedding to z, the discriminator sees it as `discriminator` says. Samples are drawn one row per caption: the prompts asked for (`gan sample --text`, the preview’s prompt box), else held-out captions.',
    },
    {
      name: 'classes',
      type: int(2, 100000),
      doc: 'Number of label classes (required, except with cgan’s `text`).',
    },
    {
      name: 'embed',
      families: ['cgan'],
      type: int(1, 100000),
      default: 50,
      doc: 'cgan: size of the learned label embedding (used by `generator=embed` and `discriminator=embed`); with `text`, size of the caption embedding (each word’s learned vector).',
    },
    {
      name: 'vocab',
      families: ['cgan'],
      type: int(2, 100000),
      default: 1000,
      doc: 'cgan with `text`: most words in the vocabulary; rarer words of the captions are unknown words (they share one embedding).',
    },
    {
      name: 'generator',
      families: ['cgan'],
      type: oneOf('onehot', 'embed', 'batchnorm'),
      default: 'onehot',
      doc: 'cgan: `onehot`, the one-hot label joined to z; `embed`, a learned embedding of size `embed` joined to z; `batchnorm`, conditional batch norm (de Vries et al. 2017; Dumoulin et al. 2017): every `batchnorm` (and `norm=batch`) of the generator normalises with the batch’s statistics as usual, but takes its scale γ and shift β from learned per-class tables (γ starting at 1, β at 0), so the label conditions every normalised layer; the generator’s input is z alone, as in Miyato & Koyama 2018’s generator. The generator needs at least one batch norm. Measured on MNIST with the fashion-cgan networks: the label starts with no effect, so it conditions more slowly than `onehot` (conditional accuracy 16% against 53% at 400 steps) and catches up by 800 (65% against 66%, KID equal).',
    },
    {
      name: 'discriminator',
      families: ['cgan'],
      type: oneOf('planes', 'projection', 'embed'),
      doc: 'cgan (default: `planes` for classes, `projection` with `text`; each measured best for its condition): `planes`, one constant H×W plane per class, the label’s set to 1, joined to the image (with `text`: the caption embedding’s `embed` values as constant planes). `projection`: the critic’s last features are projected onto a learned class embedding (with `text`: a learned linear map of the caption embedding) and added to its logit (Miyato & Koyama 2018; the last layer must be `dense 1`). `embed`: one learned H×W plane made from the label (or caption) embedding.',
    },
  ],
  starter: 'condition classes=10',
};

export function classesOf(condition: Readonly<Record<string, unknown>> | null): number | null {
  return typeof condition?.classes === 'number' ? condition.classes : null;
}

function labelledFolder(data: ResolvedData): boolean {
  return data.source === 'folder' && data.options.labels === true;
}

/**
 * The family's `resolveCondition`: the data must be labelled (E308) with as many classes as
 * `condition classes` (E215); a labelled folder takes its class count from `condition`.
 * `who` names the model in the E308 message ("A cgan").
 */
/** Settings only `condition text` reads. */
const TEXT_ONLY: ReadonlySet<string> = new Set(['on', 'vocab']);

/** The class `condition` settings a family reads: those whose schema entry names no families or this one. */
function settingsRead(family: FamilyName): ConditionSetting[] {
  return CONDITION_SECTION.params
    .filter((param) => (!param.families || param.families.includes(family)) && !TEXT_ONLY.has(param.name))
    .map((param) => param.name as ConditionSetting);
}

export function conditionsOnText(condition: Readonly<Record<string, unknown>> | null): boolean {
  return condition?.on === 'text';
}

/** The discriminator's conditioning as written, else the default: `planes` for classes,
 *  `projection` for captions (it measured best for each). */
export function discriminatorConditioning(
  condition: Readonly<Record<string, unknown>> | null,
): DiscriminatorConditioning {
  const written = condition?.discriminator;
  if (written === 'projection' || written === 'embed' || written === 'planes') return written;
  return conditionsOnText(condition) ? 'projection' : 'planes';
}

export function resolveClassCondition(
  who: string,
  family: FamilyName,
): NonNullable<LanguageFamily['resolveCondition']> {
  const reads = settingsRead(family);
  return ({ data, condition, sections, sink, at }) => {
    const main = data[0];
    const embed = typeof condition?.embed === 'number' ? condition.embed : null;
    const classes = classesOf(condition);
    if (!condition || !main) return { condition: null, data };
    if (conditionsOnText(condition)) {
      // pixelcnn reports `text` as not available (textConditionUnavailable); cgan checks the captions.
      const vocab = typeof condition.vocab === 'number' ? condition.vocab : null;
      if (family !== 'cgan' || embed === null || vocab === null) return { condition: null, data };
      return {
        condition: null,
        textCondition: { embed, vocab, discriminator: discriminatorConditioning(condition) },
        data,
      };
    }
    if (classes === null) {
      sink.add(
        'E207',
        sections.get('condition')?.head.word ?? at,
        `\`condition\` needs the parameter \`classes\` (the number of label classes)${family === 'cgan' ? ', or `text` to condition on captions' : ''}.`,
      );
      return { condition: null, data };
    }
    let resolvedData = data;
    if (main.classes === null && labelledFolder(main) && classes !== null) {
      // A folder's classes are its sub-folders, counted when training starts: the trainer checks them
      // against the `condition` this model declares.
      resolvedData = [{ ...main, classes }, ...data.slice(1)];
    } else if (main.classes === null) {
      sink.add(
        'E308',
        sections.get('data')?.head.word ?? at,
        `${who} needs labelled data, but \`${main.source}\` here has no labels${main.source === 'folder' ? ': add `labels=true` to take classes from sub-folders' : ''}.`,
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
      condition:
        classes !== null && embed !== null
          ? {
              classes,
              embed,
              generator:
                condition.generator === 'embed' || condition.generator === 'batchnorm'
                  ? condition.generator
                  : 'onehot',
              discriminator: discriminatorConditioning(condition),
              reads,
            }
          : null,
      data: resolvedData,
    };
  };
}

/** E203: a `condition` setting this family does not read (pixelcnn: cgan's `embed`, `generator`, `discriminator`). */
export const conditionSettingsRead: FamilyCheck = ({ family, sections, text, sink }) => {
  const section = sections.get('condition');
  if (!section) return;
  const read = CONDITION_SECTION.params.filter((p) => paramFor(p, family.name)).map((p) => `\`${p.name}\``);
  for (const param of CONDITION_SECTION.params) {
    const setting = section.settings.get(param.name);
    if (!setting || paramFor(param, family.name)) continue;
    const span = setting.line ?? { start: setting.name.start, end: setting.value.end };
    sink.add(
      'E203',
      setting.name,
      `\`${param.name}\` is a ${(param.families ?? []).join(', ')} setting: a ${family.name} \`condition\` takes ${read.join(', ')} only.`,
      [removeFix(text, span, `Remove \`${param.name}\``)],
    );
  }
};

/** E206: `condition text …` (captions instead of classes) is a cgan setting, not available to this family yet. */
export const textConditionUnavailable: FamilyCheck = ({ family, sections, sink }) => {
  const first = sections.get('condition')?.head.positional[0];
  if (first?.kind !== 'name' || first.name !== 'text') return;
  sink.add(
    'E206',
    first,
    `Text conditioning (\`condition text\`) is not available for ${family.name} yet: condition on classes (\`condition classes=N\`), or condition on captions with a \`cgan\` or \`stackgan\` model.`,
  );
};

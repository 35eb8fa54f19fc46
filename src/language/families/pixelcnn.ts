// pixelcnn: an autoregressive model that predicts each pixel from the ones before it in raster
// order (PixelCNN / Gated PixelCNN, van den Oord et al. 2016). Its causality is checked here,
// statically: every layer's receptive field is computed (causality.ts) and a layer that would see
// a pixel not generated yet is an error with a fix. What the network outputs per pixel (softmax
// or the discretised logistic mixture, which also admits colour) is checked in pixelcnnOutput.ts.
import { DiagnosticSink, type Fix } from '../diagnostics';
import type { ParamValue, Shape } from '../model';
import { evalParams, insertLineBefore } from '../networks';
import { layerByName } from '../schema/layers';
import type { SectionDecl } from '../schema/sections';
import { int, oneOf } from '../schema/values';
import type { Statement } from '../syntax';
import { type Field, OffsetSpace, footprint } from './causality';
import {
  CONDITION_SECTION,
  classesOf,
  conditionSettingsRead,
  resolveClassCondition,
  textConditionUnavailable,
} from './condition';
import type { FamilyCheck, LanguageFamily, NetworkFacts } from './family';
import { DEFAULT_MIXTURES, colourCheck, mixturesCheck, outputChannelsCheck } from './pixelcnnOutput';

const LEVELS_SECTION: SectionDecl = {
  name: 'levels',
  kind: 'latent',
  doc: 'The discrete values each pixel takes and the distribution the network predicts over them: `levels 2` models binarised images, `levels 256` 8-bit ones. By default a softmax over the levels for every pixel and channel; `levels 256 output=logistic mixtures=5` a discretised logistic mixture as in PixelCNN++ (needed for colour).',
  params: [
    {
      name: 'levels',
      type: int(2, 256),
      required: true,
      positional: true,
      doc: 'Values per pixel and channel, from 2 (binary) to 256 (8-bit).',
      suggestions: [2, 256, 4],
    },
    {
      name: 'quantize',
      type: oneOf('nearest', 'stochastic'),
      default: 'nearest',
      doc: 'How data in the `scale` range becomes levels: `nearest` rounds (levels 2: a fixed threshold at the middle of the range); `stochastic` rounds up with probability equal to the remainder (levels 2: each pixel is drawn from Bernoulli(intensity), afresh every time a training image is used; the test split is drawn once, from a fixed seed).',
    },
    {
      name: 'output',
      type: oneOf('softmax', 'logistic'),
      default: 'softmax',
      doc: 'The distribution of a pixel. `softmax`: a categorical over the levels for each channel; the network outputs levels × channels logits. `logistic`: a discretised mixture of logistics (PixelCNN++, Salimans et al. 2017): `mixtures` components, each with a mean and a log-scale per channel, so neighbouring levels share probability (suits 8-bit data with far fewer outputs); for colour each component also has coefficients predicting G from R and B from R and G, which orders the channels within a pixel. The network outputs mixtures × 3 values per pixel for grayscale, mixtures × 10 for RGB.',
    },
    {
      name: 'mixtures',
      type: int(1, 32),
      default: DEFAULT_MIXTURES,
      doc: 'Logistic components per pixel with `output=logistic` (PixelCNN++ uses 10 on CIFAR-10; 5 is cheaper).',
      suggestions: [5, 10],
    },
  ],
  starter: 'levels 2',
};

const NETWORK_SECTION: SectionDecl = {
  name: 'network',
  kind: 'network',
  role: 'network',
  doc: 'The autoregressive network: image → for every pixel, the parameters of its distribution: logits over `levels` for each channel ([h, w, levels × channels]), or with `output=logistic` the mixture’s logits, means, log-scales (and colour coefficients): [h, w, mixtures × 3] grayscale, [h, w, mixtures × 10] RGB. Each output may only depend on the pixels before it (rows above, and to its left on its row); the checker proves it layer by layer.',
  params: [],
};

const MASK_A_STARTER = 'maskedconv 32 kernel=7 mask=A';

interface Walk {
  readonly facts: NetworkFacts;
  readonly space: OffsetSpace;
  /** Set once a mask A layer has hidden the pixel itself. */
  masked: boolean;
}

/** The text after the layer word of `stmt` for the named arguments among `keep`, as written. */
function keptArgs(text: string, stmt: Statement, keep: readonly string[]): string {
  return stmt.named
    .filter((a) => keep.includes(a.name.name))
    .map((a) => ` ${text.slice(a.start, a.end)}`)
    .join('');
}

function replaceStatement(stmt: Statement, newText: string, title: string): Fix {
  return { title, edits: [{ start: stmt.start, end: stmt.end, newText }] };
}

function maskedFix(
  w: Walk,
  stmt: Statement,
  params: Readonly<Record<string, ParamValue>>,
  input: Shape,
): Fix[] {
  const mask = w.masked ? 'B' : 'A';
  const text = w.facts.text;
  if (stmt.word.name === 'conv') {
    const filters = stmt.positional[0] ? text.slice(stmt.positional[0].start, stmt.positional[0].end) : '32';
    const k = params.kernel as number;
    const kernel = k % 2 === 1 ? k : k + 1;
    return [
      replaceStatement(
        stmt,
        `maskedconv ${filters} kernel=${kernel} mask=${mask}${keptArgs(text, stmt, ['activation', 'bias'])}`,
        `Change to \`maskedconv … mask=${mask}\``,
      ),
    ];
  }
  if (stmt.word.name === 'maxpool' || stmt.word.name === 'avgpool')
    return [
      replaceStatement(
        stmt,
        `maskedconv ${input[2] ?? 32} kernel=3 mask=${mask}`,
        `Replace with \`maskedconv … mask=${mask}\``,
      ),
    ];
  if (stmt.word.name === 'batchnorm' || stmt.word.name === 'instancenorm')
    return [
      replaceStatement(
        stmt,
        `layernorm${keptArgs(text, stmt, ['epsilon'])}`,
        'Use `layernorm` (per position)',
      ),
    ];
  return [];
}

interface Reached {
  readonly field: Field;
  readonly shape: Shape | null;
}

/** Follows the network's layers, reporting the first that breaks causality; null once one did. */
function walkLayers(w: Walk, stmts: readonly Statement[], start: Field, shape: Shape | null): Reached | null {
  let field = start;
  let current = shape;
  const { sink, notes } = w.facts;
  for (const stmt of stmts) {
    const spec = layerByName.get(stmt.word.name);
    if (!spec) return null;
    // Parameter errors are reported by the network's resolution; this pass only needs values.
    const params = evalParams(stmt, spec.params, spec.name, new DiagnosticSink());
    if (!params) return null;
    if (spec.block === 'repeat') {
      // The field is clipped to the image, so it stops growing after as many rounds as the image is wide.
      const rounds = Math.min(params.times as number, w.space.height + w.space.width);
      for (let i = 0; i < rounds; i++) {
        const next = walkLayers(w, stmt.block?.statements ?? [], field, current);
        if (!next) return null;
        field = next.field;
        current = next.shape;
      }
      if (!notes.has(stmt.start)) notes.set(stmt.start, `After all repetitions. ${w.space.describe(field)}`);
      continue;
    }
    if (spec.block === 'residual') {
      const reached = walkLayers(w, stmt.block?.statements ?? [], field, current);
      if (!reached) return null;
      const body = reached.field;
      const all = new Set([...field.all, ...body.all]);
      const stacks = field.stacks && body.stacks;
      field = { v: stacks ? new Set([...field.v, ...body.v]) : all, all, stacks };
      if (!notes.has(stmt.start)) notes.set(stmt.start, w.space.describe(field));
      continue;
    }
    const before = current;
    const result = current ? spec.shape(current, params) : null;
    current = result?.ok ? result.shape : null;
    if (before && before.length !== 3) return null;
    const fp = footprint(spec.name, params);
    const maskB = (spec.name === 'maskedconv' || spec.name === 'gated') && params.mask === 'B';
    if (maskB && w.space.future(field.all).self) {
      sink.add(
        'E321',
        stmt,
        `The first masked layer must use mask=A: with mask=B, \`${spec.name}\` lets each pixel's prediction see the pixel itself. Use mask=A here and mask=B after it.`,
        [maskAFix(stmt)],
      );
      return null;
    }
    if (spec.name === 'gated' && maskB && !field.stacks) {
      sink.add(
        'E323',
        stmt,
        `\`gated\` with mask=B continues the vertical and horizontal stacks of a gated layer before it, but follows \`${previousWord(stmts, stmt) ?? 'the input'}\`: its vertical stack would see the current row. Start the stacks here with mask=A.`,
        [maskAFix(stmt)],
      );
      return null;
    }
    const next = w.space.apply(field, fp);
    if (!next) {
      const why = fp.kind === 'mixes' ? fp.why : '';
      sink.add(
        'E320',
        stmt,
        `\`${spec.name}\` breaks causality: ${why}, so the prediction for a pixel would depend on pixels below or to the right of it, which are not generated yet when sampling. ${spec.name === 'maxpool' || spec.name === 'avgpool' ? `Use \`maskedconv … mask=${w.masked ? 'B' : 'A'}\` and keep the full resolution.` : 'Use layers that act on each position (1×1 conv, activations, layernorm) or masked ones.'}`,
        maskedFix(w, stmt, params, before ?? []),
      );
      return null;
    }
    if (w.space.future(next.all).later > 0) {
      const gatedHint =
        spec.name === 'gated'
          ? ' `gated … mask=B` reads its input as vertical and horizontal stacks: put it after `gated … mask=A`.'
          : ` Use \`maskedconv … mask=${w.masked ? 'B' : 'A'}\`: it only sees the rows above and the pixels to the left.`;
      sink.add(
        'E320',
        stmt,
        `\`${spec.name}\` with kernel=${String(params.kernel ?? 1)} sees pixels below and to the right of the one it predicts, which are not generated yet when sampling.${gatedHint}`,
        maskedFix(w, stmt, params, before ?? []),
      );
      return null;
    }
    if (spec.name === 'maskedconv' || spec.name === 'gated') w.masked = true;
    field = next;
    if (!notes.has(stmt.start)) notes.set(stmt.start, w.space.describe(field));
  }
  return { field, shape: current };
}

function previousWord(stmts: readonly Statement[], stmt: Statement): string | null {
  const i = stmts.indexOf(stmt);
  return i > 0 ? stmts[i - 1].word.name : null;
}

function maskAFix(stmt: Statement): Fix {
  const arg = stmt.named.find((a) => a.name.name === 'mask');
  if (arg)
    return { title: 'Use mask=A', edits: [{ start: arg.value.start, end: arg.value.end, newText: 'A' }] };
  return { title: 'Add mask=A', edits: [{ start: stmt.end, end: stmt.end, newText: ' mask=A' }] };
}

/** E320/E321: every output may depend only on the pixels before it; hover notes of receptive fields. */
const causal: FamilyCheck = (facts) => {
  const data = facts.data[0];
  const section = facts.sections.get('network');
  const stmts = section?.head.block?.statements ?? [];
  if (!data || stmts.length === 0) return;
  const space = new OffsetSpace(data.shape[0], data.shape[1]);
  const w: Walk = { facts, space, masked: false };
  const reached = walkLayers(w, stmts, space.image(), data.shape);
  if (reached && space.future(reached.field.all).self) {
    facts.sink.add(
      'E321',
      stmts[0],
      `The network never hides the pixel it predicts, so it would learn to copy it: start with \`${MASK_A_STARTER}\` (or \`gated 32 kernel=7 mask=A\`).`,
      [insertLineBefore(facts.text, stmts[0], MASK_A_STARTER, `Insert \`${MASK_A_STARTER}\``)],
    );
  }
};

/** Class-dependent biases (`condition`): per class, 2 × 2F for a gated layer's two stacks, F for a maskedconv. */
function classBiasParams(
  condition: Readonly<Record<string, ParamValue>> | null,
  kind: string,
  params: Readonly<Record<string, ParamValue>>,
): number {
  const classes = classesOf(condition);
  const filters = typeof params.filters === 'number' ? params.filters : 0;
  if (classes === null) return 0;
  return classes * (kind === 'gated' ? 4 * filters : kind === 'maskedconv' ? filters : 0);
}

export const pixelcnnLanguage: LanguageFamily<'pixelcnn'> = {
  name: 'pixelcnn',
  doc: 'PixelCNN (van den Oord et al. 2016): an autoregressive model that generates an image pixel by pixel, each from the ones above and to its left, with masked convolutions or Gated PixelCNN layers (vertical and horizontal stacks, no blind spot). Trained by exact likelihood; reported in nats per image and bits per dimension. Optionally conditioned on a class (`condition classes=N`, Conditional PixelCNN): every gated and masked layer adds a learned bias per class.',
  sections: [LEVELS_SECTION, CONDITION_SECTION, NETWORK_SECTION],
  required: ['data', 'levels', 'network'],
  roles: ['network'],
  dataLayout: 'single',
  losses: [
    {
      name: 'nll',
      doc: 'Negative log-likelihood of the quantized pixels under the network’s distribution (softmax over levels, or the discretised logistic mixture), summed over the pixels and channels of an image (nats per image); also logged in bits per dimension. With `condition`, the conditional −log p(x | y) given each image’s label.',
      params: [],
    },
  ],
  defaultLoss: 'nll',
  networkInputs: ({ data }) => ({ network: data[0]?.shape ?? null }),
  layerParams: (_role, { kind, params }, { condition }) => classBiasParams(condition, kind, params),
  imageOutput: {
    role: 'network',
    // The output is the parameters of each pixel's distribution, checked by outputChannelsCheck.
    target: () => null,
    linearAllowed: () => true,
  },
  adversarial: null,
  resolveCondition: resolveClassCondition('A conditional pixelcnn', 'pixelcnn'),
  checks: [
    colourCheck,
    causal,
    outputChannelsCheck,
    mixturesCheck,
    conditionSettingsRead,
    textConditionUnavailable,
  ],
  buildsPerNetwork: 1,
  likelihood: true,
  sampleRows: 'one sample per cell, drawn pixel by pixel (with `condition`: one row per class)',
  template: [
    'model ${1:pixelcnn}: pixelcnn {',
    '  data ${2:mnist} { scale [0, 1]; batch 32 }',
    '  levels 2 quantize=nearest',
    '',
    '  network {',
    '    gated 32 kernel=7 mask=A',
    '    repeat ${3:5} { gated 32 kernel=3 }',
    '    relu',
    '    maskedconv 64 kernel=1 activation=relu',
    '    maskedconv 2 kernel=1',
    '  }',
    '',
    '  loss nll',
    '  optimizer adam lr=1e-3',
    '  train { epochs ${4:5}; seed 1 }',
    '  sample { every 1000; grid 4x4 }',
    '}',
  ].join('\n'),
};

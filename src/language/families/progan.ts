// progan: progressive growing (Karras et al. 2018). Both networks are written as `stage SIZE { … }`
// blocks, one per resolution: the generator's from the base (e.g. 4x4) up to the data size, the
// discriminator's mirrored from the data size down. The model adds a 1×1 to-RGB convolution after
// each generator stage and a 1×1 from-RGB convolution (+ leaky ReLU) before each discriminator
// stage; `grow` says how long each stage trains stable and how long a new one fades in.
import type { ParamValue, ResolvedLayer, Shape } from '../model';
import { formatShape } from '../networks';
import type { SectionDecl } from '../schema/sections';
import { bool, int, num, oneOf } from '../schema/values';
import type { ParamSpec } from '../schema/values';
import type { Statement } from '../syntax';
import type { FamilyCheck, LanguageFamily, ModelFacts, NetworkFacts } from './family';
import { growthSchedule, stageStart } from './proganSchedule';
import { DISCRIMINATOR_SECTION, GENERATOR_SECTION, LATENT_SECTION } from './shared';

const GROW_SECTION: SectionDecl = {
  name: 'grow',
  kind: 'settings',
  doc: 'The growth schedule and the stabilisers of progressive growing (Karras et al. 2018). Training starts with the first generator stage and the last discriminator stage; each later stage first fades in for `fade` (its output blended with the upsampled output of the stages before, weight α rising from 0 to 1; real images are blended the same way between the two resolutions), then trains `stable`. The last stage trains until `train` ends.',
  params: [
    {
      name: 'stable',
      type: int(1, 1e12),
      default: 20000,
      doc: 'Length of each stable phase, in `unit`s (Karras et al.: 800k images).',
    },
    {
      name: 'fade',
      type: int(0, 1e12),
      default: 20000,
      doc: 'Length of each fade-in phase, in `unit`s (0: a new stage starts at full strength).',
    },
    {
      name: 'unit',
      type: oneOf('images', 'steps'),
      default: 'images',
      doc: 'What `stable` and `fade` count: training images (⌈images / batch⌉ steps, as in the paper) or steps.',
    },
    {
      name: 'from_rgb',
      type: int(1, 4096),
      default: 32,
      doc: 'Feature maps of the discriminator’s from-RGB layer at the data size (the first discriminator stage’s input); at lower resolutions from-RGB makes what that stage takes.',
    },
    {
      name: 'equalized_lr',
      type: bool,
      default: true,
      doc: 'Equalised learning rate: every dense, conv and deconv kernel (and every to/from-RGB) is drawn from N(0, 1) and scaled by He’s constant √(2 / fan-in) at run time, so each layer learns at the same speed under Adam or RMSprop. Implemented exactly as that reparameterisation’s effect: He-normal initial kernels whose updates are scaled by the constant (by its square under SGD).',
    },
    {
      name: 'reset_optimizer',
      type: bool,
      default: true,
      doc: 'Reset the optimizers’ state (moments and step count) when a new stage starts fading in, as Karras et al.’s code does; false keeps it.',
    },
  ],
  starter: 'grow { stable 6400; fade 6400 }',
};

const drift: ParamSpec = {
  name: 'drift',
  type: num(0),
  default: 1e-3,
  doc: 'Drift penalty ε·E[D(x)²] on the critic’s real scores, which keeps them near zero (Karras et al.: 0.001).',
};

/** The `stage` layers of a resolved network, or null when it has something else at the top. */
export function stagesOf(layers: readonly ResolvedLayer[]): readonly ResolvedLayer[] | null {
  return layers.every((l) => l.kind === 'stage') ? layers : null;
}

export function stageSize(layer: ResolvedLayer): readonly [number, number] {
  const size = layer.params.size as readonly number[];
  return [size[0], size[1]];
}

const sizeText = (s: readonly number[]): string => `${s[0]}x${s[1]}`;

function networkStatements(facts: ModelFacts, role: 'generator' | 'discriminator'): readonly Statement[] {
  return facts.sections.get(role)?.head.block?.statements ?? [];
}

/** Every top-level line of both networks must be a stage. */
const onlyStages: FamilyCheck = (facts) => {
  for (const role of ['generator', 'discriminator'] as const) {
    for (const stmt of networkStatements(facts, role)) {
      if (stmt.word.name === 'stage') continue;
      facts.sink.add(
        'E330',
        stmt.word,
        `A progan ${role} is made of \`stage SIZE { … }\` blocks, one per resolution: move \`${stmt.word.name}\` into a stage.`,
      );
    }
  }
};

function spatial(shape: Shape): string {
  return shape.length === 3 ? `${shape[0]}x${shape[1]}` : formatShape(shape);
}

/** Generator stages output their size, double it each time and end at the data size; the
 *  discriminator mirrors them. */
const stageSizes: FamilyCheck = (facts) => {
  const { networks, data, sink } = facts;
  const g = networks.generator && stagesOf(networks.generator.layers);
  const gStmts = networkStatements(facts, 'generator').filter((s) => s.word.name === 'stage');
  const where = (stmts: readonly Statement[], i: number) =>
    stmts[i]?.positional[0] ?? stmts[i]?.word ?? facts.at;
  const dataShape = data[0]?.shape;
  if (g && g.length === gStmts.length) {
    g.forEach((layer, i) => {
      const size = stageSize(layer);
      const out = layer.outputShape;
      if (out.length !== 3 || out[0] !== size[0] || out[1] !== size[1])
        sink.add(
          'E330',
          where(gStmts, i),
          `This generator stage is ${sizeText(size)} but its layers output ${out.length === 3 ? spatial(out) : formatShape(out)}: a generator stage must output images of its size (add \`upsample 2\` or change the size).`,
        );
      const prev = g[i - 1];
      if (prev) {
        const p = stageSize(prev);
        if (size[0] !== 2 * p[0] || size[1] !== 2 * p[1])
          sink.add(
            'E330',
            where(gStmts, i),
            `Each stage doubles the resolution: after ${sizeText(p)} comes ${2 * p[0]}x${2 * p[1]}, not ${sizeText(size)}.`,
          );
      }
    });
    const last = g[g.length - 1];
    if (last && dataShape && (stageSize(last)[0] !== dataShape[0] || stageSize(last)[1] !== dataShape[1]))
      sink.add(
        'E330',
        where(gStmts, g.length - 1),
        `The last generator stage must reach the data size ${dataShape[0]}x${dataShape[1]}, but it is ${sizeText(stageSize(last))}: add stages (or set the data’s size=).`,
      );
  }
  const d = networks.discriminator && stagesOf(networks.discriminator.layers);
  const dStmts = networkStatements(facts, 'discriminator').filter((s) => s.word.name === 'stage');
  if (!g || !d || d.length !== dStmts.length) return;
  if (d.length !== g.length) {
    sink.add(
      'E330',
      facts.sections.get('discriminator')?.head.word ?? facts.at,
      `The discriminator has ${d.length} stage${d.length === 1 ? '' : 's'} but the generator ${g.length}: give it one per generator stage, from the data size down (${g
        .map((l) => sizeText(stageSize(l)))
        .reverse()
        .join(', ')}).`,
    );
    return;
  }
  d.forEach((layer, i) => {
    const want = stageSize(g[g.length - 1 - i]);
    const size = stageSize(layer);
    if (size[0] !== want[0] || size[1] !== want[1]) {
      sink.add(
        'E330',
        where(dStmts, i),
        `Discriminator stages mirror the generator’s: stage ${i + 1} is ${sizeText(want)}, not ${sizeText(size)}.`,
      );
      return;
    }
    const input = layer.inputShape;
    if (input.length !== 3 || input[0] !== size[0] || input[1] !== size[1])
      sink.add(
        'E330',
        where(dStmts, i),
        `This discriminator stage takes ${sizeText(size)} images but the stage before outputs ${spatial(input)}: each stage before the last must halve the resolution (e.g. \`conv … stride=2\`).`,
      );
  });
};

/** Where training reaches each stage, and the model's RGB layers, on each stage line (hover and inlay). */
const stageNotes: FamilyCheck = (facts: NetworkFacts) => {
  const { networks, data, settings, notes, hints } = facts;
  const grow = settings.grow;
  const g = networks.generator && stagesOf(networks.generator.layers);
  const shape = data[0]?.shape;
  if (!g || !grow || !shape) return;
  const schedule = growthSchedule(grow, g.length, data[0].batch);
  const channels = shape[2];
  const when = (k: number): string => {
    const start = stageStart(schedule, k);
    if (k === 0) return `trains from step 0`;
    return schedule.fadeSteps > 0
      ? `fades in from step ${start} to ${start + schedule.fadeSteps}, then trains at full strength`
      : `starts at step ${start}`;
  };
  const gStmts = networkStatements(facts, 'generator');
  g.forEach((layer, i) => {
    const stmt = gStmts[i];
    if (!stmt) return;
    const c = layer.outputShape[2] ?? 0;
    const rgb = `to-RGB: 1×1 conv ${c} → ${channels} (${c * channels + channels} parameters, linear)`;
    notes.set(
      stmt.start,
      `Stage ${i + 1} of ${g.length} (${sizeText(stageSize(layer))}) ${when(i)}. ${rgb}.`,
    );
    hints.set(stmt.block ? stmt.block.start : stmt.end, {
      label: `→ RGB ${formatShape([...stageSize(layer), channels])}`,
      tooltip: rgb,
    });
  });
  const d = networks.discriminator && stagesOf(networks.discriminator.layers);
  const dStmts = networkStatements(facts, 'discriminator');
  if (!d || d.length !== g.length) return;
  d.forEach((layer, i) => {
    const stmt = dStmts[i];
    const inC = layer.inputShape[2];
    if (!stmt || inC === undefined) return;
    const rgb = `from-RGB: 1×1 conv ${channels} → ${inC} + leaky ReLU (${channels * inC + inC} parameters)`;
    notes.set(
      stmt.start,
      `Stage ${i + 1} of ${d.length} (${sizeText(stageSize(layer))}); the network starts here at generator stage ${g.length - i}, which ${when(g.length - 1 - i)}. ${rgb}.`,
    );
    hints.set(stmt.block ? stmt.block.start : stmt.end, { label: `RGB →`, tooltip: rgb });
  });
};

/** The to-RGB (generator) or from-RGB (discriminator) parameters the model adds per stage. */
export function rgbParams(
  role: string,
  facts: Pick<ModelFacts, 'data'>,
  layers: readonly ResolvedLayer[],
): number {
  const channels = facts.data[0]?.shape[2] ?? 0;
  const stages = stagesOf(layers);
  if (!stages) return 0;
  if (role === 'generator')
    return stages.reduce((n, l) => n + (l.outputShape[2] ?? 0) * channels + channels, 0);
  if (role === 'discriminator')
    return stages.reduce((n, l) => n + (l.inputShape[2] ?? 0) * (channels + 1), 0);
  return 0;
}

export function fromRgbOf(grow: Readonly<Record<string, ParamValue>> | null | undefined): number | null {
  const v = grow?.from_rgb;
  return typeof v === 'number' ? v : null;
}

export const proganLanguage: LanguageFamily<'progan'> = {
  name: 'progan',
  doc: 'Progressive GAN (Karras et al. 2018): both networks grow one resolution stage at a time, from a small base (e.g. 4x4) to the data size, each new stage faded in; with pixel normalisation, minibatch standard deviation, equalised learning rate and WGAN-GP with the drift term.',
  sections: [LATENT_SECTION, GROW_SECTION, GENERATOR_SECTION, DISCRIMINATOR_SECTION],
  required: ['data', 'latent', 'generator', 'discriminator'],
  roles: ['generator', 'discriminator'],
  dataLayout: 'single',
  losses: [
    {
      name: 'wasserstein',
      doc: 'WGAN-GP (Gulrajani et al. 2017) with the drift term (Karras et al. 2018), the paper’s loss.',
      params: [
        { name: 'gp', type: num(0), default: 10, doc: 'Gradient-penalty weight (0 disables it).' },
        drift,
      ],
      readout: 'score',
    },
    {
      name: 'nonsaturating',
      doc: 'The non-saturating GAN loss: G maximizes log D(G(z)).',
      params: [],
      readout: 'probability',
    },
  ],
  defaultLoss: 'wasserstein',
  networkInputs: ({ data, latentSize, settings }) => {
    const shape = data[0]?.shape;
    const features = fromRgbOf(settings.grow);
    return {
      generator: latentSize === null ? null : [latentSize],
      discriminator: shape && features !== null ? [shape[0], shape[1], features] : null,
    };
  },
  headParams: (role, _output, facts, network) => rgbParams(role, facts, network.layers),
  // The family checks stage sizes itself; the to-RGB layers it adds are linear.
  imageOutput: { role: 'generator', target: () => null, linearAllowed: () => true },
  adversarial: { critic: 'discriminator', patchLogits: false },
  checks: [onlyStages, stageSizes, stageNotes],
  buildsPerNetwork: 1,
  buildNote: 'Plus a 1×1 to-RGB (generator) or from-RGB (discriminator) convolution per stage.',
  sampleRows:
    'generated images at the resolution training has reached (during a fade-in, the blend training sees), enlarged to the data size',
  template: [
    'model ${1:progan}: progan {',
    '  data ${2:mnist} { size 32x32; scale [-1, 1]; batch 32 }',
    '  latent ${3:64}',
    '  grow { stable ${4:6400}; fade ${5:6400}; from_rgb 32 }',
    '',
    '  generator {',
    '    stage 4x4 { dense 4*4*64; reshape [4, 4, 64]; leakyrelu; pixelnorm; conv 64; leakyrelu; pixelnorm }',
    '    stage 8x8 { upsample 2; conv 64; leakyrelu; pixelnorm }',
    '    stage 16x16 { upsample 2; conv 32; leakyrelu; pixelnorm }',
    '    stage 32x32 { upsample 2; conv 32; leakyrelu; pixelnorm }',
    '  }',
    '',
    '  discriminator {',
    '    stage 32x32 { conv 32 stride=2; leakyrelu }',
    '    stage 16x16 { conv 64 stride=2; leakyrelu }',
    '    stage 8x8 { conv 64 stride=2; leakyrelu }',
    '    stage 4x4 { minibatchstd; conv 64; leakyrelu; flatten; dense 1 }',
    '  }',
    '',
    '  loss wasserstein gp=10 drift=0.001',
    '  optimizer adam lr=1e-3 beta1=0 beta2=0.99',
    '  train { steps ${6:2000}; seed 1 }',
    '  sample { every 200; grid 8x8 }',
    '}',
  ].join('\n'),
};

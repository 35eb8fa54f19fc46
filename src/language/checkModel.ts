// Checks one model: its family, sections (merged with its base's), data, networks and the rest,
// in the order a reader meets them; then the family's rules and the practice lints. Produces the
// ModelInfo editor features read, and the ResolvedModel the trainer consumes when it has no errors.
import type { DiagnosticSink } from './diagnostics';
import { unknownName } from './diagnostics';
import { languageFamily } from './families';
import type { FamilyHint, NetworkFacts } from './families/family';
import { dataSourceCount } from './families/family';
import { checkClipData, checkCriticLogits, checkImageOutput, checkRequiredSections } from './familyRules';
import { lint } from './lint';
import type {
  FamilyName,
  NetworkRole,
  ParamValue,
  ResolvedData,
  ResolvedModel,
  ResolvedNetwork,
} from './model';
import type { LayerInfo } from './networks';
import { resolveLayers } from './networks';
import { printModelSource } from './printer';
import { resolveData } from './resolveData';
import {
  resolveEvaluate,
  resolveFamilySettings,
  resolveLoss,
  resolveOptimizers,
  resolveSimple,
  resolveTrain,
} from './resolvers';
import { FAMILIES, PLANNED_FAMILIES, familyByName } from './schema';
import type { MergedSection } from './sections';
import { collectOwnSections, mergeSections } from './sections';
import type { GanFile, ModelDecl, Statement } from './syntax';
import type { LineMap } from './syntax';

export interface ModelInfo {
  readonly decl: ModelDecl;
  readonly name: string;
  readonly family: FamilyName | null;
  readonly base: ModelInfo | null;
  /** Sections after `extends` merging. */
  readonly sections: ReadonlyMap<string, MergedSection>;
  /** Networks whose shapes could be inferred. */
  readonly networks: Partial<Record<NetworkRole, ResolvedNetwork>>;
  /** Shapes of the layer lines this model's own text declares, by statement start offset. */
  readonly layers: ReadonlyMap<number, LayerInfo>;
  /** Family notes on layer lines (pixelcnn: receptive fields), by statement start offset. */
  readonly notes: ReadonlyMap<number, string>;
  /** Family inlay hints (pixelcnn: the output its `levels` need), by the offset shown at. */
  readonly hints: ReadonlyMap<number, FamilyHint>;
  /** The fully resolved model, or null when the model has errors. */
  readonly resolved: ResolvedModel | null;
  readonly errorCount: number;
}

export function checkModel(
  file: GanFile,
  lines: LineMap,
  decl: ModelDecl,
  base: ModelInfo | null,
  sink: DiagnosticSink,
): ModelInfo {
  const name = decl.name?.name ?? '';
  const familyName = decl.family ? familyOf(decl.family, sink) : (base?.family ?? null);
  const family = familyName ? languageFamily(familyName) : null;
  const own = collectOwnSections(file.text, decl.block?.statements ?? [], name, familyName, sink);
  const sections = base ? mergeSections(base.sections, own) : own;
  const layerInfos = new Map<number, LayerInfo>();
  const notes = new Map<number, string>();
  const hints = new Map<number, FamilyHint>();
  const empty: ModelInfo = {
    decl,
    name,
    family: familyName,
    base,
    sections,
    networks: {},
    layers: layerInfos,
    notes,
    hints,
    resolved: null,
    errorCount: 1,
  };
  if (!family) return empty;
  const text = file.text;
  const at = decl.name ?? decl.keyword;
  checkRequiredSections({ family, sections, text, sink, at }, decl);

  let data: readonly ResolvedData[] = resolveData(file, lines, decl, family, sections, sink);
  const latent = resolveSimple(sections.get('latent'), 'latent', sink);
  const conditionSettings = resolveSimple(sections.get('condition'), 'condition', sink);
  const levels = resolveSimple(sections.get('levels'), 'levels', sink);
  const latentSize = typeof latent?.size === 'number' ? latent.size : null;
  // The family's own settings blocks (srgan: upscale, pretrain).
  const settings = resolveFamilySettings(family.sections, sections, sink);
  const facts = { text, data, latentSize, condition: conditionSettings, settings, levels, sections };

  const inputs = family.networkInputs(facts);
  const networks: Partial<Record<NetworkRole, ResolvedNetwork>> = {};
  const lastLayer = new Map<NetworkRole, Statement>();
  for (const role of family.roles) {
    const section = sections.get(role);
    if (!section) continue;
    const stmts = section.head.block?.statements ?? [];
    if (!section.head.block)
      sink.add('E207', section.head.word, `\`${role}\` needs a block of layers: \`${role} {\` … \`}\`.`);
    else if (stmts.length === 0) sink.add('E207', section.head.word, `\`${role}\` has no layers.`);
    if (stmts.length) lastLayer.set(role, stmts[stmts.length - 1]);
    const input = inputs[role] ?? null;
    const layerParams = family.layerParams;
    const result = resolveLayers(stmts, input, {
      sink,
      role,
      text,
      infos: layerInfos,
      lines,
      conditionParams:
        layerParams && ((kind, params, output) => layerParams(role, { kind, params, output }, facts)),
    });
    if (input && result.ok && result.output) {
      const layers = result.layers;
      networks[role] = {
        role,
        inputShape: input,
        outputShape: result.output,
        layers,
        paramCount:
          layers.reduce((a, l) => a + l.paramCount, 0) +
          (family.headParams?.(role, result.output, facts, { layers }) ?? 0),
      };
    }
  }

  const shapeFacts: NetworkFacts = {
    ...facts,
    family,
    networks,
    lastLayer,
    loss: null,
    at,
    sink,
    notes,
    hints,
  };
  checkClipData(shapeFacts);
  checkImageOutput(shapeFacts);
  checkCriticLogits(shapeFacts);
  for (const check of family.checks) check(shapeFacts);
  const loss = resolveLoss(text, family, sections.get('loss'), sink);
  const optimizers = resolveOptimizers(text, family, sections, sink);
  const train = resolveTrain(text, sections.get('train'), data, sink);
  const sample = resolveSimple(sections.get('sample'), 'sample', sink);
  const evaluate = resolveEvaluate(text, sections.get('evaluate'), family, sink);
  const conditioned = family.resolveCondition?.({ ...facts, sink, at }) ?? { condition: null, data };
  data = conditioned.data;
  lint({ ...shapeFacts, loss, data, optimizers });

  const errorCount = sink.items.filter((d) => d.severity === 'error').length;
  const complete = family.roles.every((r) => networks[r]);
  if (
    errorCount > 0 ||
    !loss ||
    !train ||
    !sample ||
    !optimizers ||
    Object.values(settings).some((s) => s === null) ||
    data.length !== dataSourceCount(family) ||
    !complete
  )
    return { ...empty, networks, errorCount };

  const doc = decl.doc || base?.resolved?.doc || '';
  const resolved: ResolvedModel = {
    name,
    family: family.name,
    doc,
    data,
    latent:
      latentSize === null
        ? null
        : { size: latentSize, dist: (latent?.dist as 'normal' | 'uniform') ?? 'normal' },
    condition: conditioned.condition,
    textCondition: conditioned.textCondition ?? null,
    captioned: family.captioned === true || Boolean(conditioned.textCondition),
    settings: settings as Record<string, Record<string, ParamValue>>,
    levels:
      typeof levels?.levels === 'number'
        ? {
            levels: levels.levels,
            quantize: levels.quantize === 'stochastic' ? 'stochastic' : 'nearest',
            output: levels.output === 'logistic' ? 'logistic' : 'softmax',
            mixtures: levels.mixtures as number,
          }
        : null,
    networks,
    loss,
    optimizers,
    train,
    sample: {
      every: sample.every as number,
      grid: [(sample.grid as number[])[0], (sample.grid as number[])[1]],
      seed: sample.seed as number,
    },
    evaluate,
    source: '',
  };
  // Printing the flattened source is only needed when a model is trained: do it on first use.
  let source: string | null = null;
  Object.defineProperty(resolved, 'source', {
    enumerable: true,
    get: () => (source ??= printModelSource(text, name, family.name, doc, sections)),
  });
  return { ...empty, networks, resolved, errorCount };
}

function familyOf(word: NonNullable<ModelDecl['family']>, sink: DiagnosticSink): FamilyName | null {
  const known = familyByName.get(word.name);
  if (known) return known.name;
  if ((PLANNED_FAMILIES as readonly string[]).includes(word.name)) {
    sink.add(
      'E200',
      word,
      `The ${word.name} family is planned but not supported yet. Available: ${FAMILIES.map((f) => f.name).join(', ')}.`,
    );
  } else {
    const u = unknownName(
      'family',
      word,
      word.name,
      FAMILIES.map((f) => f.name),
    );
    sink.add('E200', word, u.message, u.fixes);
  }
  return null;
}

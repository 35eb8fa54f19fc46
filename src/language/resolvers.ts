// Section resolvers: a model's merged sections evaluated against the schema into the parts of a
// ResolvedModel (settings sections, loss, optimizers, train, evaluate). Each reports its own
// diagnostics and returns null when the section has errors.
import type { DiagnosticSink } from './diagnostics';
import { removeFix, unknownName } from './diagnostics';
import { wordOf } from './evaluate';
import type { LanguageFamily } from './families/family';
import type {
  EvalMetricName,
  EvalSchedule,
  NetworkRole,
  ParamValue,
  ResolvedData,
  ResolvedEvaluate,
  ResolvedModel,
  ResolvedOptimizer,
} from './model';
import { evalParams } from './networks';
import type { KindSpec, ParamSpec, SectionDecl } from './schema';
import { METRICS, OPTIMIZERS, metricByName, optimizerByName, sectionByName } from './schema';
import type { MergedSection, Setting } from './sections';
import { optimizerParts } from './sections';
import type { Statement } from './syntax';

/** Evaluates a settings-like section (latent, condition, sample): head positional + settings. */
export function resolveSimple(
  section: MergedSection | undefined,
  name: 'latent' | 'condition' | 'levels' | 'sample',
  sink: DiagnosticSink,
): Record<string, ParamValue> | null {
  if (!section) return name === 'sample' ? defaultsOf('sample') : null;
  return evalSettings(section, section.spec.params, section.spec.name, sink);
}

/**
 * A family's own settings sections besides `condition` (srgan: upscale, pretrain), each evaluated
 * (null when it has errors), or its defaults when the model leaves it out; and the head-line
 * settings of its network sections (kept only where the section declares some).
 */
export function resolveFamilySettings(
  decls: readonly SectionDecl[],
  sections: ReadonlyMap<string, MergedSection>,
  sink: DiagnosticSink,
): Record<string, Record<string, ParamValue> | null> {
  const out: Record<string, Record<string, ParamValue> | null> = {};
  for (const decl of decls) {
    if (decl.kind === 'network') {
      // A network's head line takes only the settings its section declares; the rest is reported.
      const section = sections.get(decl.name);
      const params = section ? evalSettings(section, decl.params, decl.name, sink) : defaultsOf(decl.name);
      if (decl.params.length > 0 || params === null) out[decl.name] = params;
      continue;
    }
    if (decl.kind !== 'settings' || decl.name === 'condition') continue;
    const section = sections.get(decl.name);
    if (section) out[decl.name] = evalSettings(section, decl.params, decl.name, sink);
    // Left out: its defaults, or nothing when it has a required value (a family that requires
    // such a section reports E208).
    else if (!decl.params.some((p) => p.required)) out[decl.name] = defaultsOf(decl.name);
  }
  return out;
}

/** Procedural sources with no end: a run counts steps, not epochs. */
const ENDLESS_SOURCES: ReadonlySet<string> = new Set(['shapes', 'moving_mnist', 'moving_shapes']);

function defaultsOf(sectionName: string): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const p of sectionByName.get(sectionName)?.params ?? [])
    if (p.default !== undefined && p.default !== null) out[p.name] = p.default;
  return out;
}

/** Head positional args and merged settings against param specs. */
export function evalSettings(
  section: MergedSection,
  specs: readonly ParamSpec[],
  what: string,
  sink: DiagnosticSink,
  skipPositional = 0,
  unknownCode: 'E201' | 'E203' = 'E201',
): Record<string, ParamValue> | null {
  // Build a synthetic statement: the head's positional args plus every merged setting as a named arg.
  const named = [...section.settings.values()].map((s) => ({
    name: s.name,
    value: s.value,
    equals: s.name.end,
    start: s.name.start,
    end: s.value.end,
  }));
  const stmt: Statement = { ...section.head, named };
  return evalParams(stmt, specs, what, sink, unknownCode, skipPositional);
}

export function resolveLoss(
  text: string,
  family: LanguageFamily,
  section: MergedSection | undefined,
  sink: DiagnosticSink,
) {
  const kinds = family.losses;
  if (!section) {
    const kind = kinds.find((k) => k.name === family.defaultLoss) ?? kinds[0];
    return {
      kind: kind.name,
      params: Object.fromEntries(kind.params.map((p) => [p.name, p.default as ParamValue])),
      readout: kind.readout ?? null,
    };
  }
  const node = section.head.positional[0];
  const dashed = node && node.kind === 'binary' ? wordOf(node) : null;
  if (node && dashed !== null) {
    const u = unknownName(
      `${family.name} loss`,
      node,
      dashed,
      kinds.map((k) => k.name),
    );
    sink.add('E212', node, u.message, u.fixes);
    return null;
  }
  if (!node || node.kind !== 'name') {
    sink.add(
      'E207',
      section.head.word,
      `\`loss\` needs a kind: one of ${kinds.map((k) => k.name).join(', ')}.`,
    );
    return null;
  }
  const kind = kinds.find((k) => k.name === node.name);
  if (!kind) {
    const u = unknownName(
      `${family.name} loss`,
      node,
      node.name,
      kinds.map((k) => k.name),
    );
    sink.add('E212', node, u.message, u.fixes);
    return null;
  }
  const settings = withoutOtherKindsParams(text, section, kind, kinds, 'loss', sink);
  const params = evalSettings({ ...section, settings }, kind.params, `loss ${kind.name}`, sink, 1, 'E203');
  return params ? { kind: kind.name, params, readout: kind.readout ?? null } : null;
}

/**
 * Reports settings that belong to another kind of the same section (`loss hinge smoothing=0.9`,
 * `optimizer adam momentum=0.9`), naming the kinds that take them; returns the other settings.
 */
function withoutOtherKindsParams(
  text: string,
  section: MergedSection,
  kind: KindSpec,
  kinds: readonly KindSpec[],
  what: 'loss' | 'optimizer',
  sink: DiagnosticSink,
): Map<string, Setting> {
  const settings = new Map(section.settings);
  for (const [name, setting] of section.settings) {
    if (kind.params.some((p) => p.name === name)) continue;
    const takers = kinds.filter((k) => k.params.some((p) => p.name === name)).map((k) => k.name);
    if (!takers.length) continue;
    settings.delete(name);
    const takes = kind.params.length
      ? `takes ${kind.params.map((p) => `\`${p.name}=\``).join(', ')}`
      : 'takes no parameters';
    sink.add(
      'E203',
      setting.name,
      `\`${what} ${kind.name}\` ${takes}; \`${name}=\` belongs to ${takers.join(', ')}. Remove it or change the ${what}.`,
      [
        removeFix(
          text,
          setting.line ?? { start: setting.name.start, end: setting.value.end },
          `Remove \`${name}\``,
        ),
      ],
    );
  }
  return settings;
}

export function resolveOptimizers(
  text: string,
  spec: LanguageFamily,
  sections: ReadonlyMap<string, MergedSection>,
  sink: DiagnosticSink,
): Partial<Record<NetworkRole, ResolvedOptimizer>> | null {
  const evalOne = (section: MergedSection): ResolvedOptimizer | null => {
    const parts = optimizerParts(section.head);
    if (parts.role && parts.role.kind === 'name' && !spec.roles.includes(parts.role.name as NetworkRole)) {
      sink.add(
        'E212',
        parts.role,
        `A ${spec.name} model has no ${parts.role.name}; optimizer roles here: ${spec.roles.join(', ')}.`,
      );
      return null;
    }
    const node = parts.kind;
    if (!node || node.kind !== 'name') {
      sink.add(
        'E207',
        section.head.word,
        `\`optimizer\` needs a kind: one of ${OPTIMIZERS.map((o) => o.name).join(', ')}.`,
      );
      return null;
    }
    const kind = optimizerByName.get(node.name);
    if (!kind) {
      const u = unknownName('optimizer', node, node.name, [...OPTIMIZERS.map((o) => o.name), ...spec.roles]);
      sink.add('E212', node, u.message, u.fixes);
      return null;
    }
    const settings = withoutOtherKindsParams(text, section, kind, OPTIMIZERS, 'optimizer', sink);
    const p = evalSettings(
      { ...section, settings },
      kind.params,
      `optimizer ${kind.name}`,
      sink,
      parts.role ? 2 : 1,
      'E203',
    );
    if (!p) return null;
    const adam = optimizerByName.get('adam');
    const def = (n: string): number => (adam?.params.find((x) => x.name === n)?.default as number) ?? 0;
    return {
      kind: kind.name as ResolvedOptimizer['kind'],
      lr: p.lr as number,
      beta1: (p.beta1 as number | undefined) ?? def('beta1'),
      beta2: (p.beta2 as number | undefined) ?? def('beta2'),
      momentum: (p.momentum as number | undefined) ?? 0,
    };
  };
  const shared = sections.get('optimizer');
  const base = shared ? evalOne(shared) : defaultOptimizer();
  if (!base) return null;
  const out: Partial<Record<NetworkRole, ResolvedOptimizer>> = {};
  let ok = true;
  for (const role of spec.roles) {
    const s = sections.get(`optimizer:${role}`);
    const o = s ? evalOne(s) : base;
    if (!o) ok = false;
    else out[role] = o;
  }
  for (const s of sections.values()) {
    if (
      s.spec.kind === 'optimizer' &&
      s.key !== 'optimizer' &&
      !spec.roles.includes(s.key.split(':')[1] as NetworkRole)
    )
      evalOne(s);
  }
  return ok ? out : null;
}

function defaultOptimizer(): ResolvedOptimizer {
  const adam = optimizerByName.get('adam');
  const d = (n: string): number => (adam?.params.find((x) => x.name === n)?.default as number) ?? 0;
  return { kind: 'adam', lr: d('lr'), beta1: d('beta1'), beta2: d('beta2'), momentum: 0 };
}

export function resolveTrain(
  text: string,
  section: MergedSection | undefined,
  data: readonly ResolvedData[],
  sink: DiagnosticSink,
) {
  const spec = sectionByName.get('train');
  if (!spec) return null;
  const p = section ? evalSettings(section, spec.params, 'train', sink) : defaultsOf('train');
  if (!p) return null;
  const epochs = (p.epochs as number | undefined) ?? null;
  let steps = (p.steps as number | undefined) ?? null;
  if (section && epochs !== null && steps !== null) {
    const node = section.settings.get('steps');
    const ownBoth = node && section.settings.get('epochs')?.owner === node.owner;
    if (ownBoth && node) {
      sink.add('E213', node.name, '`train` takes either `epochs` or `steps`, not both. Remove one.', [
        removeFix(text, node.line ?? node.name, 'Remove `steps`'),
      ]);
      return null;
    }
  }
  const endless = data.find((d) => ENDLESS_SOURCES.has(d.source));
  let ep = epochs;
  if (ep === null && steps === null) {
    if (endless) steps = 1000;
    else ep = 1;
  }
  if (ep !== null && endless && steps === null) {
    const node = section?.settings.get('epochs');
    sink.add(
      'E216',
      node?.value ?? section?.head.word ?? { start: 0, end: 0 },
      `\`${endless.source}\` data is endless: train for \`steps N\`, not epochs.`,
      node
        ? [
            {
              title: 'Use `steps` instead',
              edits: [{ start: node.name.start, end: node.name.end, newText: 'steps' }],
            },
          ]
        : [],
    );
    return null;
  }
  return {
    epochs: ep,
    steps,
    dSteps: p.d_steps as number,
    seed: p.seed as number,
    checkpoint: p.checkpoint as number,
    ema: (p.ema as number | undefined) ?? null,
    backend: p.backend as ResolvedModel['train']['backend'],
    engine: p.engine as ResolvedModel['train']['engine'],
    threads: (p.threads as number | undefined) ?? null,
  };
}

export function resolveEvaluate(
  text: string,
  section: MergedSection | undefined,
  family: LanguageFamily,
  sink: DiagnosticSink,
): ResolvedEvaluate {
  const out: Partial<Record<EvalMetricName, EvalSchedule>> = {};
  if (!section) return out;
  for (const [name, stmt] of section.metrics) {
    const spec = metricByName.get(name);
    if (!spec) {
      const u = unknownName(
        'metric',
        stmt.word,
        name,
        METRICS.map((m) => m.name),
      );
      sink.add('E201', stmt.word, u.message, u.fixes);
      continue;
    }
    if (spec.name === 'nll' && !family.likelihood) {
      sink.add(
        'E209',
        stmt.word,
        `\`nll\` needs a model with an exact likelihood (pixelcnn); a ${family.name} model has none. Use fid, kid or pr.`,
        [removeFix(text, stmt, 'Remove `nll`')],
      );
      continue;
    }
    const p = evalParams(stmt, spec.params, name, sink);
    if (p) out[spec.name] = { every: p.every as number, samples: p.samples as number };
  }
  return out;
}

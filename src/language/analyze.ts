// The checker: text -> syntax tree, resolved models and coded diagnostics. Pure and synchronous.
import type { Diagnostic } from './diagnostics';
import { DiagnosticSink, removeFix, unknownName } from './diagnostics';
import { lint } from './lint';
import type {
  DataSourceName,
  FamilyName,
  NetworkRole,
  ParamValue,
  ResolvedData,
  ResolvedModel,
  ResolvedNetwork,
  ResolvedOptimizer,
  Shape,
} from './model';
import type { LayerInfo } from './networks';
import {
  evalParams,
  formatShape,
  insertLineAfter,
  insertLineBefore,
  newlineOf,
  resolveLayers,
  sameShape,
} from './networks';
import { wordOf } from './evaluate';
import { parse } from './parser';
import { printModelSource } from './printer';
import type { FamilySpec, KindSpec } from './schema';
import {
  DATA_COMMON_PARAMS,
  DATA_SOURCES,
  DEFAULT_LOSS,
  FAMILIES,
  METRICS,
  OPTIMIZERS,
  PLANNED_FAMILIES,
  dataSourceByName,
  familyByName,
  lossesFor,
  metricByName,
  optimizerByName,
  sectionByName,
} from './schema';
import type { MergedSection, Setting } from './sections';
import { collectOwnSections, mergeSections, optimizerParts } from './sections';
import type { GanFile, ModelDecl, Statement } from './syntax';
import { LineMap } from './syntax';

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
  /** The fully resolved model, or null when the model has errors. */
  readonly resolved: ResolvedModel | null;
  readonly errorCount: number;
}

export interface Analysis {
  readonly file: GanFile;
  readonly lines: LineMap;
  readonly diagnostics: readonly Diagnostic[];
  readonly models: readonly ModelInfo[];
  /** Per-model results a later `analyze(text, previous)` can reuse. */
  readonly cache: ReadonlyMap<string, ModelCacheEntry>;
}

/** A model's result, keyed by its own text and its base chain's. */
export interface ModelCacheEntry {
  readonly key: string;
  readonly start: number;
  readonly own: readonly Diagnostic[];
  readonly info: ModelInfo;
}

/**
 * Checks a document. With `previous` (the analysis of an earlier version), models whose text and
 * base chain did not change reuse their results: diagnostics are shifted to the new offsets, and
 * the rest of a moved model is recomputed only when something reads it.
 */
export function analyze(text: string, previous?: Analysis): Analysis {
  const file = parse(text);
  const lines = new LineMap(text);
  const sink = new DiagnosticSink();
  for (const e of file.errors) sink.add(e.code, e, e.message);
  for (const stray of file.strays) {
    sink.add(
      'E201',
      stray.word,
      `\`${stray.word.name}\` must be inside a model: start one with \`model NAME: FAMILY {\`.`,
    );
  }
  const byName = new Map<string, ModelDecl>();
  const byNameDup = new Set<ModelDecl>();
  const cache = new Map<string, ModelCacheEntry>();
  for (const decl of file.models) {
    if (!decl.name) continue;
    const prev = byName.get(decl.name.name);
    if (prev) {
      sink.add(
        'E204',
        decl.name,
        `Duplicate model name \`${decl.name.name}\`: it is already declared on line ${lines.position(prev.start).line + 1}. Rename one.`,
      );
      byNameDup.add(decl);
      continue;
    }
    byName.set(decl.name.name, decl);
  }
  const infos = new Map<ModelDecl, ModelInfo>();
  const ownSinks = new Map<ModelDecl, DiagnosticSink>();
  const inProgress = new Set<ModelDecl>();

  const visit = (decl: ModelDecl): ModelInfo | null => {
    const done = infos.get(decl);
    if (done) return done;
    if (inProgress.has(decl)) return null;
    inProgress.add(decl);
    let base: ModelInfo | null = null;
    let cycle = false;
    if (decl.base) {
      const baseDecl = byName.get(decl.base.name);
      if (!baseDecl) {
        const u = unknownName(
          'model',
          decl.base,
          decl.base.name,
          [...byName.keys()].filter((n) => n !== decl.name?.name),
        );
        sink.add('E211', decl.base, `\`extends\`: ${u.message}`, u.fixes);
      } else if (inProgress.has(baseDecl) || baseDecl === decl || extendsItself(decl, byName)) {
        cycle = true;
      } else {
        base = visit(baseDecl);
        if (!base) cycle = true;
      }
      if (cycle) {
        sink.add(
          'E211',
          decl.base,
          `\`extends ${decl.base.name}\` makes a cycle: a model cannot extend itself, directly or through others.`,
        );
      }
    }
    const key = `${decl.doc}\u0000${text.slice(decl.start, decl.end)}\u0000${base ? (cache.get(base.name)?.key ?? '\u0001') : decl.base ? '\u0001' : ''}`;
    const hit = decl.name && !cycle ? previous?.cache.get(decl.name.name) : undefined;
    let info: ModelInfo;
    const modelSink = new DiagnosticSink();
    const delta = hit ? decl.start - hit.start : 0;
    // Diagnostics that point into a base model's text would move by another delta: recompute those.
    const movable = (h: ModelCacheEntry): boolean =>
      delta === 0 ||
      h.own.every((d) => d.start >= h.start && d.end <= h.start + (h.info.decl.end - h.info.decl.start));
    if (hit && hit.key === key && !key.endsWith('\u0001') && movable(hit)) {
      for (const d of hit.own) modelSink.push(delta === 0 ? d : shift(d, delta));
      const old = hit.info;
      info = lazyModelInfo(old, decl, base, () =>
        delta === 0 ? old : analyzeModel(file, lines, decl, base, new DiagnosticSink()),
      );
    } else {
      info = analyzeModel(file, lines, decl, base, modelSink);
    }
    if (decl.name && !cycle && !byNameDup.has(decl))
      cache.set(decl.name.name, { key, start: decl.start, own: modelSink.items, info });
    ownSinks.set(decl, modelSink);
    infos.set(decl, info);
    inProgress.delete(decl);
    return info;
  };
  for (const decl of file.models) visit(decl);

  // A variant re-checks what it inherits; report only what is new, at the `extends` name.
  for (const decl of file.models) {
    const own = ownSinks.get(decl);
    const info = infos.get(decl);
    if (!own || !info) continue;
    for (const d of own.items) {
      if (d.start >= decl.start && d.end <= decl.end) {
        sink.push(d);
        continue;
      }
      // Walk the base chain through this run's declarations (a reused ModelInfo may hold older ones).
      let ancestor = decl.base ? byName.get(decl.base.name) : undefined;
      let known = false;
      const seen = new Set<ModelDecl>();
      while (ancestor && !known && !seen.has(ancestor)) {
        seen.add(ancestor);
        const theirs = ownSinks.get(ancestor);
        known = !!theirs?.items.some(
          (o) => o.code === d.code && o.start === d.start && o.message === d.message,
        );
        ancestor = ancestor.base ? byName.get(ancestor.base.name) : undefined;
      }
      if (known) continue;
      const at = decl.base ?? decl.name ?? decl.keyword;
      const line = lines.position(d.start).line + 1;
      sink.add(d.code, at, `In what \`${decl.name?.name}\` inherits (line ${line}): ${d.message}`);
    }
  }
  return {
    file,
    lines,
    diagnostics: sink.items,
    models: file.models.map((d) => infos.get(d)).filter((m): m is ModelInfo => !!m),
    cache,
  };
}

/** Whether following `extends` from `decl` comes back to it (every model of a cycle is reported). */
function extendsItself(decl: ModelDecl, byName: ReadonlyMap<string, ModelDecl>): boolean {
  const seen = new Set<ModelDecl>();
  let at = decl.base ? byName.get(decl.base.name) : undefined;
  while (at && !seen.has(at)) {
    if (at === decl) return true;
    seen.add(at);
    at = at.base ? byName.get(at.base.name) : undefined;
  }
  return false;
}

function shift(d: Diagnostic, delta: number): Diagnostic {
  return {
    ...d,
    start: d.start + delta,
    end: d.end + delta,
    fixes: d.fixes.map((f) => ({
      ...f,
      edits: f.edits.map((e) => ({ ...e, start: e.start + delta, end: e.end + delta })),
    })),
  };
}

/** A moved but unchanged model: cheap fields now, the offset-bearing ones recomputed on first read. */
function lazyModelInfo(
  old: ModelInfo,
  decl: ModelDecl,
  base: ModelInfo | null,
  compute: () => ModelInfo,
): ModelInfo {
  let full: ModelInfo | null = null;
  const get = (): ModelInfo => (full ??= compute());
  return {
    decl,
    name: old.name,
    family: old.family,
    base,
    errorCount: old.errorCount,
    get sections() {
      return get().sections;
    },
    get networks() {
      return get().networks;
    },
    get layers() {
      return get().layers;
    },
    get resolved() {
      return get().resolved;
    },
  };
}

function analyzeModel(
  file: GanFile,
  lines: LineMap,
  decl: ModelDecl,
  base: ModelInfo | null,
  sink: DiagnosticSink,
): ModelInfo {
  const name = decl.name?.name ?? '';
  let family: FamilyName | null = base?.family ?? null;
  if (decl.family) {
    const fam = familyByName.get(decl.family.name);
    if (fam) family = fam.name;
    else if ((PLANNED_FAMILIES as readonly string[]).includes(decl.family.name)) {
      sink.add(
        'E200',
        decl.family,
        `The ${decl.family.name} family is planned but not supported yet. Available: ${FAMILIES.map((f) => f.name).join(', ')}.`,
      );
    } else {
      const u = unknownName(
        'family',
        decl.family,
        decl.family.name,
        FAMILIES.map((f) => f.name),
      );
      sink.add('E200', decl.family, u.message, u.fixes);
    }
  }
  const own = collectOwnSections(file.text, decl.block?.statements ?? [], name, family, sink);
  const sections = base ? mergeSections(base.sections, own) : own;
  const layerInfos = new Map<number, LayerInfo>();
  const empty: ModelInfo = {
    decl,
    name,
    family,
    base,
    sections,
    networks: {},
    layers: layerInfos,
    resolved: null,
    errorCount: 1,
  };
  if (!family) return empty;
  const spec = familyByName.get(family) as FamilySpec;
  const at = decl.name ?? decl.keyword;

  // Required sections.
  const present = new Set([...sections.values()].map((s) => s.spec.name));
  // Without a body the parser's "expected `{`" already says what to do.
  for (const req of decl.block ? spec.required : []) {
    if (!present.has(req)) {
      const template = SECTION_TEMPLATES[req];
      const fixes =
        template && decl.block?.closed
          ? [insertBeforeClose(file.text, decl, template, `Add \`${req}\``)]
          : [];
      sink.add(
        'E208',
        at,
        `A ${family} model needs a \`${req}\` section: ${sectionByName.get(req)?.doc ?? ''}`,
        fixes,
      );
    }
  }

  const data = resolveData(file, lines, decl, family, spec, sections, sink);
  const latent = resolveSimple(sections.get('latent'), 'latent', sink);
  const condition = resolveSimple(sections.get('condition'), 'condition', sink);
  const latentSize = typeof latent?.size === 'number' ? latent.size : null;
  const embed = typeof condition?.embed === 'number' ? condition.embed : null;

  // Networks.
  const networks: Partial<Record<NetworkRole, ResolvedNetwork>> = {};
  const main = data[0] ?? null;
  const inputs: Partial<Record<NetworkRole, Shape | null>> = {
    generator:
      family === 'cyclegan'
        ? (main?.shape ?? null)
        : latentSize === null
          ? null
          : family === 'cgan'
            ? embed === null
              ? null
              : [latentSize + embed]
            : [latentSize],
    discriminator: main
      ? family === 'cgan'
        ? [main.shape[0], main.shape[1], main.shape[2] + 1]
        : main.shape
      : null,
    encoder: main?.shape ?? null,
    decoder: latentSize === null ? null : [latentSize],
  };
  const lastLayerStmt = new Map<NetworkRole, Statement>();
  for (const role of spec.roles) {
    const section = sections.get(role);
    if (!section) continue;
    const stmts = section.head.block?.statements ?? [];
    if (!section.head.block)
      sink.add('E207', section.head.word, `\`${role}\` needs a block of layers: \`${role} {\` … \`}\`.`);
    else if (stmts.length === 0) sink.add('E207', section.head.word, `\`${role}\` has no layers.`);
    if (stmts.length) lastLayerStmt.set(role, stmts[stmts.length - 1]);
    const input = inputs[role] ?? null;
    const result = resolveLayers(stmts, input, { sink, role, text: file.text, infos: layerInfos, lines });
    if (input && result.ok && result.output) {
      const layers = result.layers;
      networks[role] = {
        role,
        inputShape: input,
        outputShape: result.output,
        layers,
        paramCount:
          layers.reduce((a, l) => a + l.paramCount, 0) + headParams(family, role, result.output, latentSize),
      };
    }
  }

  checkFamilyShapes(file.text, family, data, networks, lastLayerStmt, sections, sink);
  const loss = resolveLoss(file.text, family, sections.get('loss'), sink);
  const optimizers = resolveOptimizers(file.text, spec, sections, sink);
  const train = resolveTrain(file.text, sections.get('train'), data, sink);
  const sample = resolveSimple(sections.get('sample'), 'sample', sink);
  const evaluate = resolveEvaluate(sections.get('evaluate'), sink);
  if (family === 'cgan' && condition && main) {
    if (main.classes === null && labelledFolder(main) && typeof condition.classes === 'number') {
      // A folder's classes are its sub-folders, counted when training starts: the trainer checks them
      // against the `condition` this model declares.
      data[0] = { ...main, classes: condition.classes };
    } else if (main.classes === null) {
      sink.add(
        'E308',
        sections.get('data')?.head.word ?? at,
        `A cgan needs labelled data, but \`${main.source}\` here has no labels${main.source === 'folder' ? ': add `labels=true` to take classes from sub-folders' : ''}.`,
      );
    } else if (
      typeof condition.classes === 'number' &&
      condition.classes !== main.classes &&
      main.classes > 0
    ) {
      const cs = sections.get('condition');
      const node = cs?.settings.get('classes')?.value;
      sink.add(
        'E206',
        node ?? at,
        `\`condition classes=${condition.classes}\` but \`${main.source}\` has ${main.classes} classes.`,
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
  }
  lint({ text: file.text, family, data, networks, sections, loss, optimizers, lastLayerStmt, sink });

  const errorCount = sink.items.filter((d) => d.severity === 'error').length;
  let resolved: ResolvedModel | null = null;
  if (errorCount === 0 && loss && train && sample && optimizers && data.length === spec.dataSources) {
    const complete = spec.roles.every((r) => networks[r]);
    if (complete) {
      resolved = {
        name,
        family,
        doc: decl.doc || base?.resolved?.doc || '',
        data,
        latent:
          latentSize === null
            ? null
            : { size: latentSize, dist: (latent?.dist as 'normal' | 'uniform') ?? 'normal' },
        condition:
          family === 'cgan' && condition && typeof condition.classes === 'number' && embed !== null
            ? { classes: condition.classes, embed }
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
      const doc = decl.doc || base?.resolved?.doc || '';
      let source: string | null = null;
      Object.defineProperty(resolved, 'source', {
        enumerable: true,
        get: () => (source ??= printModelSource(file.text, name, family as FamilyName, doc, sections)),
      });
    }
  }
  return { ...empty, networks, resolved, errorCount };
}

function labelledFolder(data: ResolvedData): boolean {
  return data.source === 'folder' && data.options.labels === true;
}

/** Parameters of the heads the family adds (vae: mean and log-variance). */
function headParams(family: FamilyName, role: NetworkRole, output: Shape, latent: number | null): number {
  if (family === 'vae' && role === 'encoder' && latent !== null && output.length === 1)
    return 2 * (output[0] * latent + latent);
  return 0;
}

const SECTION_TEMPLATES: Readonly<Record<string, string>> = {
  data: 'data mnist { scale [-1, 1]; batch 64 }',
  latent: 'latent 100',
  condition: 'condition classes=10 embed=50',
  generator: 'generator {\n  }',
  discriminator: 'discriminator {\n  }',
  encoder: 'encoder {\n  }',
  decoder: 'decoder {\n  }',
};

function insertBeforeClose(text: string, decl: ModelDecl, line: string, title: string) {
  const close = (decl.block?.end ?? text.length) - 1;
  let lineStart = close;
  while (lineStart > 0 && text[lineStart - 1] !== '\n') lineStart--;
  const onOwnLine = /^[ \t]*$/.test(text.slice(lineStart, close));
  const at = onOwnLine ? lineStart : close;
  const nl = newlineOf(text);
  const body = line.replace(/\n/g, nl);
  return { title, edits: [{ start: at, end: at, newText: `${onOwnLine ? '' : nl}  ${body}${nl}` }] };
}

// ------------------------------------------------------------------ sections

/** Evaluates a settings-like section (latent, condition, sample): head positional + settings. */
function resolveSimple(
  section: MergedSection | undefined,
  name: 'latent' | 'condition' | 'sample',
  sink: DiagnosticSink,
): Record<string, ParamValue> | null {
  if (!section) return name === 'sample' ? defaultsOf('sample') : null;
  return evalSettings(section, section.spec.params, section.spec.name, sink);
}

function defaultsOf(sectionName: string): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const p of sectionByName.get(sectionName)?.params ?? [])
    if (p.default !== undefined && p.default !== null) out[p.name] = p.default;
  return out;
}

/** Head positional args and merged settings against param specs. */
function evalSettings(
  section: MergedSection,
  specs: readonly import('./schema').ParamSpec[],
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

function resolveData(
  file: GanFile,
  lines: LineMap,
  decl: ModelDecl,
  family: FamilyName,
  spec: FamilySpec,
  sections: ReadonlyMap<string, MergedSection>,
  sink: DiagnosticSink,
): ResolvedData[] {
  const dataSections = [...sections.values()].filter((s) => s.spec.kind === 'data');
  const out: ResolvedData[] = [];
  if (family === 'cyclegan') {
    for (const s of dataSections) {
      const domain = s.settings.get('domain')?.value;
      if (domain && s.key !== 'data:a' && s.key !== 'data:b') {
        const word = domain.kind === 'name' ? domain.name : file.text.slice(domain.start, domain.end);
        // The domain still missing is the likelier meaning.
        const order = sections.has('data:a') ? ['b', 'a'] : ['a', 'b'];
        const u = unknownName('domain', domain, word, order, '');
        sink.add('E212', domain, `${u.message} A cyclegan has domains a and b.`, u.fixes);
      }
      if (s.key === 'data')
        sink.add(
          'E207',
          s.head.word,
          'cyclegan takes two data sources: add `domain=a` to one and `domain=b` to the other.',
        );
    }
    const a = sections.get('data:a');
    const b = sections.get('data:b');
    if (dataSections.length > 0 && (!a || !b)) {
      const missing = !a ? 'a' : 'b';
      sink.add(
        'E208',
        decl.name ?? decl.keyword,
        `cyclegan needs a data source for domain ${missing} (\`data SOURCE domain=${missing}\`).`,
      );
    }
    for (const s of [a, b]) if (s) pushData(s);
  } else {
    for (const s of dataSections) {
      if (s.key !== 'data') {
        sink.add(
          'E209',
          s.settings.get('domain')?.name ?? s.head.word,
          `\`domain\` is for cyclegan's two sources; a ${family} model has one \`data\`.`,
        );
      }
    }
    const s = sections.get('data') ?? dataSections[0];
    if (s) pushData(s);
  }
  return out;

  function pushData(s: MergedSection): void {
    const srcNode = s.head.positional[0];
    if (srcNode?.kind === 'string') {
      sink.add(
        'E207',
        srcNode,
        `A path needs the \`folder\` source: \`data folder ${file.text.slice(srcNode.start, srcNode.end)}\`.`,
        [
          {
            title: 'Add `folder`',
            edits: [{ start: srcNode.start, end: srcNode.start, newText: 'folder ' }],
          },
        ],
      );
      return;
    }
    if (srcNode && srcNode.kind !== 'name' && srcNode.kind !== 'missing') {
      // `fashion-mnist` reads as a subtraction: name the word the user wrote.
      const word = file.text.slice(srcNode.start, srcNode.end);
      const u = unknownName(
        'data source',
        srcNode,
        word,
        DATA_SOURCES.map((d) => d.name),
      );
      sink.add('E212', srcNode, u.message, u.fixes);
      return;
    }
    if (!srcNode || srcNode.kind !== 'name') {
      sink.add(
        'E207',
        s.head.word,
        `\`data\` needs a source: one of ${DATA_SOURCES.map((d) => d.name).join(', ')}.`,
      );
      return;
    }
    const src = dataSourceByName.get(srcNode.name);
    if (!src) {
      const u = unknownName(
        'data source',
        srcNode,
        srcNode.name,
        DATA_SOURCES.map((d) => d.name),
      );
      sink.add('E212', srcNode, u.message, u.fixes);
      return;
    }
    const params = evalSettings(s, [...src.params, ...DATA_COMMON_PARAMS], `data ${src.name}`, sink, 1);
    if (!params) return;
    const size = params.size as readonly number[] | undefined;
    if (size && size.length === 3) {
      const channels = s.settings.get('channels');
      if (channels && params.channels !== size[2]) {
        const sizeNode = s.settings.get('size')?.value ?? s.head.word;
        sink.add(
          'E206',
          sizeNode,
          `\`size=${size.join('x')}\` means ${size[2]} channels but \`channels=${String(params.channels)}\` is also set: keep one of them.`,
          [
            {
              title: `Change to \`size=${size[0]}x${size[1]}\``,
              edits: [{ start: sizeNode.start, end: sizeNode.end, newText: `${size[0]}x${size[1]}` }],
            },
          ],
        );
        return;
      }
      params.channels = size[2];
    }
    const described = src.describe(params);
    const options: Record<string, ParamValue> = {};
    for (const p of src.params) if (params[p.name] !== undefined) options[p.name] = params[p.name];
    out.push({
      source: src.name as DataSourceName,
      domain: (params.domain as 'a' | 'b' | undefined) ?? null,
      shape: described.shape,
      classes: described.classes,
      scale: params.scale as [number, number],
      batch: params.batch as number,
      split: params.split as 'train' | 'test',
      limit: (params.limit as number | undefined) ?? null,
      shuffle: params.shuffle as boolean,
      options,
      line: lines.position(s.head.start).line,
    });
  }
}

function resolveLoss(
  text: string,
  family: FamilyName,
  section: MergedSection | undefined,
  sink: DiagnosticSink,
) {
  const kinds = lossesFor(family);
  if (!section) {
    const kind = kinds.find((k) => k.name === DEFAULT_LOSS[family]) ?? kinds[0];
    return {
      kind: kind.name,
      params: Object.fromEntries(kind.params.map((p) => [p.name, p.default as ParamValue])),
    };
  }
  const node = section.head.positional[0];
  const dashed = node && node.kind === 'binary' ? wordOf(node) : null;
  if (node && dashed !== null) {
    const u = unknownName(
      `${family} loss`,
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
      `${family} loss`,
      node,
      node.name,
      kinds.map((k) => k.name),
    );
    sink.add('E212', node, u.message, u.fixes);
    return null;
  }
  const settings = withoutOtherKindsParams(text, section, kind, kinds, 'loss', sink);
  const params = evalSettings({ ...section, settings }, kind.params, `loss ${kind.name}`, sink, 1, 'E203');
  return params ? { kind: kind.name, params } : null;
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

function resolveOptimizers(
  text: string,
  spec: FamilySpec,
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

function resolveTrain(
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
      sink.add('E204', node.name, '`train` takes either `epochs` or `steps`, not both. Remove one.', [
        removeFix(text, node.line ?? node.name, 'Remove `steps`'),
      ]);
      return null;
    }
  }
  const endless = data.some((d) => d.source === 'shapes');
  let ep = epochs;
  if (ep === null && steps === null) {
    if (endless) steps = 1000;
    else ep = 1;
  }
  if (ep !== null && endless && steps === null) {
    const node = section?.settings.get('epochs');
    sink.add(
      'E206',
      node?.value ?? section?.head.word ?? { start: 0, end: 0 },
      '`shapes` data is endless: train for `steps N`, not epochs.',
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
    threads: (p.threads as number | undefined) ?? null,
  };
}

function resolveEvaluate(section: MergedSection | undefined, sink: DiagnosticSink) {
  let fid: { every: number; samples: number } | null = null;
  if (!section) return { fid };
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
    const p = evalParams(stmt, spec.params, name, sink);
    if (p && name === 'fid') fid = { every: p.every as number, samples: p.samples as number };
  }
  return { fid };
}

// ------------------------------------------------------------------ family shape rules

function checkFamilyShapes(
  text: string,
  family: FamilyName,
  data: readonly ResolvedData[],
  networks: Partial<Record<NetworkRole, ResolvedNetwork>>,
  last: ReadonlyMap<NetworkRole, Statement>,
  sections: ReadonlyMap<string, MergedSection>,
  sink: DiagnosticSink,
): void {
  const main = data[0];
  const outputRole: NetworkRole = family === 'vae' ? 'decoder' : 'generator';
  const out = networks[outputRole];
  const target = family === 'cyclegan' ? (data[1]?.shape ?? null) : (main?.shape ?? null);
  if (out && target && !sameShape(out.outputShape, target)) {
    const stmt = last.get(outputRole);
    const fixes = [];
    const lastLayer = out.layers[out.layers.length - 1];
    if (
      stmt &&
      lastLayer &&
      (lastLayer.kind === 'conv' || lastLayer.kind === 'deconv') &&
      out.outputShape.length === 3 &&
      out.outputShape[0] === target[0] &&
      out.outputShape[1] === target[1] &&
      stmt.positional[0]
    ) {
      const node = stmt.positional[0];
      fixes.push({
        title: `Change the filters to ${target[2]}`,
        edits: [{ start: node.start, end: node.end, newText: String(target[2]) }],
      });
    }
    sink.add(
      'E300',
      stmt ?? sections.get(outputRole)?.head.word ?? { start: 0, end: 0 },
      `The ${outputRole} outputs ${formatShape(out.outputShape)} but the data is ${formatShape(target)}: its last layers must produce exactly the image shape.`,
      fixes,
    );
  }
  const disc = networks.discriminator;
  if (disc && family !== 'vae') {
    const o = disc.outputShape;
    const oneLogit = o.length === 1 && o[0] === 1;
    const patch = family === 'cyclegan' && o.length === 3 && o[2] === 1;
    if (!oneLogit && !patch) {
      const stmt = last.get('discriminator');
      const lastLayer = disc.layers[disc.layers.length - 1];
      // `dense 1` on a spatial tensor only lacks the `flatten` before it.
      const denseOneOnSpatial =
        lastLayer?.kind === 'dense' && lastLayer.params.units === 1 && lastLayer.inputShape.length > 1;
      const fixed = !stmt
        ? []
        : denseOneOnSpatial
          ? [insertLineBefore(text, stmt, 'flatten', 'Insert `flatten` before `dense 1`')]
          : o.length === 1
            ? [insertLineAfter(text, stmt, ['dense 1'], 'Add `dense 1`')]
            : [insertLineAfter(text, stmt, ['flatten', 'dense 1'], 'Add `flatten` and `dense 1`')];
      sink.add(
        'E304',
        stmt ?? sections.get('discriminator')?.head.word ?? { start: 0, end: 0 },
        `The discriminator must end in one logit per image ([1]${family === 'cyclegan' ? ', or patch logits [h, w, 1]' : ''}) but outputs ${formatShape(o)}: end it with ${o.length === 1 ? '`dense 1`' : '`flatten` and `dense 1`'}.`,
        fixed,
      );
    }
  }
  const enc = networks.encoder;
  if (enc && enc.outputShape.length !== 1) {
    const stmt = last.get('encoder');
    sink.add(
      'E306',
      stmt ?? sections.get('encoder')?.head.word ?? { start: 0, end: 0 },
      `The encoder must output flat features (the model adds the mean and log-variance heads) but outputs ${formatShape(enc.outputShape)}: end it with \`flatten\`.`,
      stmt ? [insertLineAfter(text, stmt, ['flatten'], 'Add `flatten`')] : [],
    );
  }
  if (family === 'cyclegan' && data.length === 2 && !sameShape(data[0].shape, data[1].shape)) {
    const b = sections.get('data:b');
    sink.add(
      'E307',
      b?.head.word ?? { start: 0, end: 0 },
      `cyclegan domains must have the same shape: domain a is ${formatShape(data[0].shape)}, domain b is ${formatShape(data[1].shape)}. Set the same size= and channels= on both.`,
    );
  }
}

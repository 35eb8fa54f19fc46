// Context-aware completion: families after `model x:`, the family's sections in a model body,
// layers in networks, parameters after a statement's word, values after `name=`, data sources,
// loss and optimizer kinds, model names after `extends`, and starter models at the top level.
// Every candidate comes from the schema, filtered to what the checker would accept there.
import type { Analysis } from '../analyze';
import type { Token } from '../lexer';
import { dataSourceCount } from '../families/family';
import type { FamilyName } from '../model';
import type { FamilySpec, ParamSpec, SectionSpec } from '../schema';
import {
  DATA_COMMON_PARAMS,
  FAMILIES,
  LAYERS,
  LOSSES,
  METRICS,
  SECTIONS,
  dataSourceByName,
  familyByName,
  layerByName,
  lossesFor,
  metricByName,
  optimizerByName,
  paramFor,
  sectionByName,
} from '../schema';
import type { ModelDecl, Position, Range, Statement } from '../syntax';
import type { Frame } from './context';
import { argsSoFar, cursorContext, wordAround } from './context';
import { optimizerParts } from '../sections';
import { familyDoc, kindDoc, layerDoc, paramDetail, paramDoc, sectionDoc, signature } from './docs';
import type { Draft } from './completionItems';
import {
  argItems,
  excludedAlternative,
  hasValueChoices,
  lossItems,
  optimizerItems,
  roleItems,
  sourceItems,
  valueItems,
} from './completionItems';

export type CompletionKind =
  'keyword' | 'family' | 'section' | 'layer' | 'parameter' | 'value' | 'model' | 'snippet' | 'source';

export interface CompletionItem {
  readonly label: string;
  readonly kind: CompletionKind;
  /** One line: a type and default, or a signature. */
  readonly detail: string;
  /** Markdown. */
  readonly documentation: string;
  /** Replaces `range`; VS Code snippet syntax when `isSnippet`. */
  readonly insertText: string;
  readonly isSnippet: boolean;
  /** The partial word under the cursor, which the item replaces. */
  readonly range: Range;
  readonly sortText: string;
  /** Open completion again after inserting (e.g. after `activation=`). */
  readonly retrigger: boolean;
}

/** Completion items at `position`. Works on half-typed, broken text. */
export function complete(analysis: Analysis, position: Position): CompletionItem[] {
  const text = analysis.file.text;
  const offset = analysis.lines.offset(position);
  const word = wordAround(text, offset);
  const partial = text.slice(word.start, offset);
  if (/^[0-9]/.test(partial)) return [];
  const before = text[word.start - 1];
  if (before !== undefined && !/[\s={;:]/.test(before)) return [];
  // Models are top level, so the scan can start at the last one that begins before the cursor.
  const from = analysis.file.models.reduce(
    (at, m) => (m.start <= word.start && analysis.lines.position(m.start).character === 0 ? m.start : at),
    0,
  );
  const ctx = cursorContext(text, word.start, from);
  if (ctx.inert) return [];
  const drafts = draftsFor(analysis, ctx.frames, ctx.segment, word.start);
  const range = analysis.lines.range(word);
  return drafts.map((d, i) => ({
    label: d.label,
    kind: d.kind,
    detail: d.detail,
    documentation: d.documentation,
    insertText: d.insertText ?? d.label,
    isSnippet: d.isSnippet ?? false,
    range,
    sortText: `${d.rank ?? 5}${String(i).padStart(4, '0')}`,
    retrigger: d.retrigger ?? false,
  }));
}

function draftsFor(
  analysis: Analysis,
  frames: readonly Frame[],
  segment: readonly Token[],
  wordStart: number,
): Draft[] {
  if (frames.length === 0) return topLevel(analysis, segment);
  const modelHead = frames[0].head;
  if (modelHead[0]?.text !== 'model') return [];
  const model = modelAt(analysis, modelHead);
  if (frames.length === 1) {
    if (segment.length === 0) return sectionItems(model, wordStart);
    const spec = sectionByName.get(segment[0].text);
    return spec && segment[0].kind === 'ident' ? sectionHead(spec, segment, model) : [];
  }
  const section = sectionByName.get(frames[1].head[0]?.text ?? '');
  if (!section) return [];
  if (section.kind === 'network') {
    for (const f of frames.slice(2)) if (!layerByName.get(f.head[0]?.text ?? '')?.block) return [];
    return layerLine(segment);
  }
  if (frames.length > 2) return [];
  const sectionStmt = model.decl?.block?.statements.find((s) => s.word.start === frames[1].head[0]?.start);
  const written = (sectionStmt?.block?.statements ?? [])
    .filter((s) => s.word.start !== wordStart)
    .map((s) => s.word.name);
  if (section.kind === 'metrics') return metricLine(segment, written);
  return settingLine(settingsOf(section, frames[1].head, model.family), frames[1].head, segment, written);
}

// ------------------------------------------------------------------ top level

function topLevel(analysis: Analysis, segment: readonly Token[]): Draft[] {
  const texts = segment.map((t) => t.text);
  if (texts.length === 0) {
    const families = FAMILIES.map((f) => f.name).join(',');
    return [
      {
        label: 'model',
        kind: 'keyword',
        detail: 'model NAME: FAMILY { … }',
        documentation:
          'Declares a model. `model NAME extends BASE { … }` declares a variant of another model.',
        insertText: `model \${1:name}: \${2|${families}|} {\n\t$0\n}`,
        isSnippet: true,
        rank: 0,
      },
      ...FAMILIES.map((f) => ({
        label: `model: ${f.name}`,
        kind: 'snippet' as const,
        detail: `A starter ${f.name} model`,
        documentation: familyDoc(f),
        insertText: f.template,
        isSnippet: true,
        rank: 1,
      })),
    ];
  }
  if (texts[0] !== 'model') return [];
  if (texts.length === 3 && texts[2] === ':') return FAMILIES.map(familyItem);
  if (texts.length === 3 && texts[2] === 'extends') {
    const names = analysis.file.models.flatMap((m) =>
      m.name && m.name.name !== texts[1] ? [m.name.name] : [],
    );
    return [...new Set(names)].map((name) => {
      const decl = analysis.file.models.find((m) => m.name?.name === name);
      const info = analysis.models.find((m) => m.decl === decl);
      return {
        label: name,
        kind: 'model' as const,
        detail: info?.family ? `${info.family} model` : 'model',
        documentation: decl?.doc ?? '',
      };
    });
  }
  if (texts.length === 2) {
    return [
      {
        label: 'extends',
        kind: 'keyword',
        detail: 'model NAME extends BASE { … }',
        documentation: 'A variant: copies BASE and replaces each section it names.',
        insertText: 'extends ',
        retrigger: true,
      },
    ];
  }
  return [];
}

function familyItem(f: FamilySpec): Draft {
  return {
    label: f.name,
    kind: 'family',
    detail: `family: ${f.required.join(', ')}`,
    documentation: familyDoc(f),
  };
}

// ------------------------------------------------------------------ model body

interface ModelContext {
  readonly decl: ModelDecl | null;
  readonly family: FamilyName | null;
}

function modelAt(analysis: Analysis, head: readonly Token[]): ModelContext {
  const decl = analysis.file.models.find((m) => m.keyword.start === head[0].start) ?? null;
  const info = analysis.models.find((m) => m.decl === decl);
  const written = head[2]?.text === ':' ? familyByName.get(head[3]?.text ?? '')?.name : undefined;
  return { decl, family: info?.family ?? written ?? null };
}

function sectionLimit(spec: SectionSpec, family: FamilySpec | undefined): number {
  if (spec.kind === 'data') return family ? dataSourceCount(family) : 1;
  if (spec.kind === 'optimizer') return 1 + (family?.roles.length ?? 4);
  return 1;
}

function sectionItems(model: ModelContext, wordStart: number): Draft[] {
  const family = model.family ? familyByName.get(model.family) : undefined;
  const own = (model.decl?.block?.statements ?? []).filter((s) => s.word.start !== wordStart);
  const isVariant = !!model.decl?.base;
  const out: Draft[] = [];
  for (const spec of SECTIONS) {
    if (family && !spec.families.includes(family.name)) continue;
    const count = own.filter((s) => s.word.name === spec.name).length;
    if (count >= sectionLimit(spec, family)) continue;
    const missingRequired = !isVariant && count === 0 && !!family?.required.includes(spec.name);
    out.push({
      label: spec.name,
      kind: 'section',
      detail: `section (${spec.kind})`,
      documentation: sectionDoc(spec),
      ...sectionInsert(spec),
      rank: missingRequired ? 0 : 1,
    });
  }
  return out;
}

function sectionInsert(spec: SectionSpec): { insertText: string; isSnippet: boolean; retrigger?: boolean } {
  switch (spec.kind) {
    case 'network':
    case 'metrics':
      return { insertText: `${spec.name} {\n\t$0\n}`, isSnippet: true };
    case 'data':
    case 'loss':
    case 'optimizer':
      return { insertText: `${spec.name} `, isSnippet: false, retrigger: true };
    default: {
      const required = spec.params.filter((p) => p.required);
      if (required.length === 0) return { insertText: `${spec.name} {\n\t$0\n}`, isSnippet: true };
      const args = required.map((p, i) =>
        p.positional ? `\${${i + 1}:${p.name}}` : `${p.name}=\${${i + 1}}`,
      );
      return { insertText: `${spec.name} ${args.join(' ')}`, isSnippet: true };
    }
  }
}

/** Completion after a section word on its head line: `data |`, `loss |`, `optimizer adam |`, `train |`. */
function sectionHead(spec: SectionSpec, segment: readonly Token[], model: ModelContext): Draft[] {
  const args = argsSoFar(segment.slice(1));
  if (args.midValue) return [];
  const first = args.positional[0]?.[0]?.text;
  switch (spec.kind) {
    case 'data': {
      if (args.positional.length === 0 && !args.pendingName && args.named.length === 0) return sourceItems();
      const items = argItems(settingsOf(spec, segment, model.family), args, `data ${first ?? ''}`.trim(), 1);
      if (args.pendingName !== 'domain') return items;
      // Each cyclegan domain takes one source.
      const taken = others(model, segment[0]).flatMap((s) => {
        const d = s.word.name === 'data' ? s.named.find((a) => a.name.name === 'domain')?.value : undefined;
        return d && d.kind === 'name' ? [d.name] : [];
      });
      return items.filter((i) => !taken.includes(i.label));
    }
    case 'loss': {
      if (args.positional.length === 0 && !args.pendingName) return lossItems(model.family);
      return argItems(settingsOf(spec, segment, model.family), args, `loss ${first ?? ''}`.trim(), 1);
    }
    case 'optimizer': {
      const roles = roleWords(model.family);
      if (args.positional.length === 0 && !args.pendingName) {
        // One shared optimizer and one per role at most (E204).
        const written = others(model, segment[0])
          .filter((s) => s.word.name === 'optimizer')
          .map((s) => optimizerParts(s).role);
        const freeRoles = roles.filter((r) => !written.some((w) => w?.kind === 'name' && w.name === r));
        return [...roleItems(freeRoles), ...(written.includes(null) ? [] : optimizerItems())];
      }
      if (args.positional.length === 1 && roles.includes(first ?? '') && !args.pendingName)
        return optimizerItems();
      const head = roles.includes(first ?? '') ? 2 : 1;
      return argItems(settingsOf(spec, segment, model.family), args, 'optimizer', head);
    }
    case 'latent':
      if (args.positional.length === 0 && !args.pendingName) return [];
      return argItems(spec.params, args, spec.name);
    case 'settings':
      return argItems(settingsOf(spec, segment, model.family), args, spec.name);
    default:
      return [];
  }
}

/** The model's other section statements (not the one being typed). */
function others(model: ModelContext, word: Token): readonly Statement[] {
  return (model.decl?.block?.statements ?? []).filter((s) => s.word.start !== word.start);
}

function roleWords(family: FamilyName | null): readonly string[] {
  return family ? (familyByName.get(family)?.roles ?? []) : [...new Set(FAMILIES.flatMap((f) => f.roles))];
}

/** The settings a section accepts, given its head words (data source, loss kind, optimizer kind). */
function settingsOf(
  spec: SectionSpec,
  head: readonly Token[],
  family: FamilyName | null,
): readonly ParamSpec[] {
  const words = head
    .slice(1)
    .filter((t) => t.kind === 'ident')
    .map((t) => t.text);
  switch (spec.kind) {
    case 'data': {
      const src = dataSourceByName.get(words[0] ?? '');
      const common =
        family && familyByName.get(family)?.dataLayout === 'domains'
          ? DATA_COMMON_PARAMS
          : DATA_COMMON_PARAMS.filter((p) => p.name !== 'domain');
      return [...(src?.params ?? []), ...common];
    }
    case 'loss': {
      const kinds = family ? lossesFor(family) : FAMILIES.flatMap((f) => LOSSES[f.name]);
      return kinds.find((k) => k.name === words[0])?.params ?? [];
    }
    case 'optimizer': {
      const kind = words.map((w) => optimizerByName.get(w)).find((k) => k);
      return kind?.params ?? [];
    }
    default:
      return spec.params.filter((p) => paramFor(p, family));
  }
}

// ------------------------------------------------------------------ inside blocks

function layerLine(segment: readonly Token[]): Draft[] {
  if (segment.length === 0) {
    return LAYERS.map((l) => ({
      label: l.name,
      kind: 'layer' as const,
      detail: signature(l.name, l.params),
      documentation: layerDoc(l),
      ...layerInsert(l.name),
    }));
  }
  const spec = layerByName.get(segment[0].text);
  if (!spec) return [];
  return argItems(spec.params, argsSoFar(segment.slice(1)), spec.name);
}

function layerInsert(name: string): { insertText: string; isSnippet: boolean } {
  const spec = layerByName.get(name);
  if (!spec) return { insertText: name, isSnippet: false };
  const required = spec.params.filter((p) => p.positional && p.required);
  const args = required.map((p, i) => ` \${${i + 1}:${p.name}}`).join('');
  if (spec.block) return { insertText: `${name}${args} {\n\t$0\n}`, isSnippet: true };
  return { insertText: `${name}${args}`, isSnippet: required.length > 0 };
}

function metricLine(segment: readonly Token[], written: readonly string[]): Draft[] {
  if (segment.length === 0) {
    return METRICS.filter((m) => !written.includes(m.name)).map((m) => ({
      label: m.name,
      kind: 'keyword' as const,
      detail: signature(m.name, m.params),
      documentation: kindDoc('metric', m),
    }));
  }
  const spec = metricByName.get(segment[0].text);
  return spec ? argItems(spec.params, argsSoFar(segment.slice(1)), spec.name) : [];
}

/** A `name value` line inside a settings block (`train { epochs 10 }`, `data mnist { batch 64 }`). */
function settingLine(
  params: readonly ParamSpec[],
  head: readonly Token[],
  segment: readonly Token[],
  written: readonly string[],
): Draft[] {
  if (segment.length === 0) {
    const given = [...argsSoFar(head.slice(1)).named, ...written];
    return params
      .filter((p) => !p.positional && !given.includes(p.name) && !excludedAlternative(p.name, given))
      .map((p) => ({
        label: p.name,
        kind: 'parameter' as const,
        detail: paramDetail(p),
        documentation: paramDoc(p, head[0]?.text ?? ''),
        insertText: `${p.name} `,
        retrigger: hasValueChoices(p),
      }));
  }
  const spec = params.find((p) => p.name === segment[0].text);
  const args = argsSoFar(segment.slice(1));
  if (!spec || args.positional.length > 0 || args.midValue) return [];
  return valueItems(spec);
}

/** Parameter names not given yet, or values after `name=`. */

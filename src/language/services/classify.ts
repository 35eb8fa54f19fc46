// Walks an analysed file once and names what every word means: a section, a layer, a parameter,
// an enum value, a model reference… Hover, semantic tokens, definition, references and rename
// all read this one classification, which itself reads only the schema.
import type { Analysis, ModelInfo } from '../analyze';
import type { FamilyName } from '../model';
import type { DataSourceSpec, FamilySpec, KindSpec, LayerSpec, ParamSpec, SectionSpec } from '../schema';
import {
  DATA_COMMON_PARAMS,
  FAMILIES,
  LOSSES,
  dataSourceByName,
  familyByName,
  layerByName,
  lossesFor,
  metricByName,
  optimizerByName,
  sectionByName,
} from '../schema';
import { optimizerParts } from '../sections';
import type { ModelDecl, Span, Statement, ValueNode } from '../syntax';

export type SymbolRef =
  | { readonly what: 'keyword'; readonly word: 'model' | 'extends' }
  | { readonly what: 'model'; readonly name: string; readonly declaration: boolean }
  | { readonly what: 'family'; readonly name: string; readonly spec: FamilySpec | null }
  | { readonly what: 'section'; readonly spec: SectionSpec; readonly stmt: Statement }
  | { readonly what: 'layer'; readonly spec: LayerSpec; readonly stmt: Statement }
  /** A parameter's name, or (isValue) a value written for it. */
  | { readonly what: 'param'; readonly spec: ParamSpec; readonly owner: string; readonly isValue: boolean }
  | { readonly what: 'enumValue'; readonly value: string; readonly spec: ParamSpec; readonly owner: string }
  | { readonly what: 'source'; readonly spec: DataSourceSpec }
  | { readonly what: 'loss'; readonly spec: KindSpec; readonly family: FamilyName | null }
  | { readonly what: 'optimizer'; readonly spec: KindSpec }
  | { readonly what: 'role'; readonly role: string }
  | { readonly what: 'metric'; readonly spec: KindSpec };

export interface ClassifiedSpan extends Span {
  readonly ref: SymbolRef;
  /** The model whose text holds the span, when there is one. */
  readonly model: ModelInfo | null;
}

/** Every classified word of the file, sorted by start offset. */
// Hover and semantic tokens ask for the same analysis many times: classify each one once.
const classified = new WeakMap<Analysis, ClassifiedSpan[]>();

export function classify(analysis: Analysis): readonly ClassifiedSpan[] {
  let spans = classified.get(analysis);
  if (!spans) {
    spans = classifyAll(analysis);
    classified.set(analysis, spans);
  }
  return spans;
}

function classifyAll(analysis: Analysis): ClassifiedSpan[] {
  const out: ClassifiedSpan[] = [];
  const infoOf = new Map(analysis.models.map((m) => [m.decl, m]));
  for (const decl of analysis.file.models)
    classifyModel(analysis.file.text, decl, infoOf.get(decl) ?? null, out);
  return out.sort((a, b) => a.start - b.start);
}

/** The classified word at `offset` (a cursor at either end of a word is on it; the later word wins). */
export function classifiedAt(spans: readonly ClassifiedSpan[], offset: number): ClassifiedSpan | null {
  let found: ClassifiedSpan | null = null;
  for (const s of spans) {
    if (s.start > offset) break;
    if (offset <= s.end) found = s;
  }
  return found;
}

function classifyModel(text: string, decl: ModelDecl, model: ModelInfo | null, out: ClassifiedSpan[]): void {
  const add = (span: Span, ref: SymbolRef): void => {
    if (span.end > span.start) out.push({ start: span.start, end: span.end, ref, model });
  };
  add(decl.keyword, { what: 'keyword', word: 'model' });
  if (decl.name) add(decl.name, { what: 'model', name: decl.name.name, declaration: true });
  if (decl.family) {
    add(decl.family, {
      what: 'family',
      name: decl.family.name,
      spec: familyByName.get(decl.family.name) ?? null,
    });
  }
  if (decl.base) {
    const from = decl.name?.end ?? decl.keyword.end;
    const at = text.slice(from, decl.base.start).indexOf('extends');
    if (at >= 0)
      add({ start: from + at, end: from + at + 'extends'.length }, { what: 'keyword', word: 'extends' });
    add(decl.base, { what: 'model', name: decl.base.name, declaration: false });
  }
  const family = model?.family ?? (decl.family ? (familyByName.get(decl.family.name)?.name ?? null) : null);
  for (const stmt of decl.block?.statements ?? []) classifySection(stmt, family, add);
}

type Add = (span: Span, ref: SymbolRef) => void;

function classifySection(stmt: Statement, family: FamilyName | null, add: Add): void {
  const spec = sectionByName.get(stmt.word.name);
  if (!spec) return;
  add(stmt.word, { what: 'section', spec, stmt });
  switch (spec.kind) {
    case 'data': {
      const srcNode = stmt.positional[0];
      const src = srcNode && srcNode.kind === 'name' ? dataSourceByName.get(srcNode.name) : undefined;
      if (src && srcNode) add(srcNode, { what: 'source', spec: src });
      classifyArgs(
        stmt,
        [...(src?.params ?? []), ...DATA_COMMON_PARAMS],
        `data ${src?.name ?? ''}`.trim(),
        1,
        add,
      );
      classifySettingLines(stmt, [...(src?.params ?? []), ...DATA_COMMON_PARAMS], 'data', add);
      return;
    }
    case 'latent':
    case 'settings':
      classifyArgs(stmt, spec.params, spec.name, 0, add);
      classifySettingLines(stmt, spec.params, spec.name, add);
      return;
    case 'loss': {
      const kindNode = stmt.positional[0];
      const kinds = family ? lossesFor(family) : FAMILIES.flatMap((f) => LOSSES[f.name]);
      const kind =
        kindNode && kindNode.kind === 'name' ? kinds.find((k) => k.name === kindNode.name) : undefined;
      if (kind && kindNode) add(kindNode, { what: 'loss', spec: kind, family });
      classifyArgs(stmt, kind?.params ?? [], `loss ${kind?.name ?? ''}`.trim(), 1, add);
      classifySettingLines(stmt, kind?.params ?? [], 'loss', add);
      return;
    }
    case 'optimizer': {
      const parts = optimizerParts(stmt);
      if (parts.role && parts.role.kind === 'name') add(parts.role, { what: 'role', role: parts.role.name });
      const kind =
        parts.kind && parts.kind.kind === 'name' ? optimizerByName.get(parts.kind.name) : undefined;
      if (kind && parts.kind) add(parts.kind, { what: 'optimizer', spec: kind });
      classifyArgs(stmt, kind?.params ?? [], `optimizer ${kind?.name ?? ''}`.trim(), parts.role ? 2 : 1, add);
      classifySettingLines(stmt, kind?.params ?? [], 'optimizer', add);
      return;
    }
    case 'network':
      for (const layer of stmt.block?.statements ?? []) classifyLayer(layer, add);
      return;
    case 'metrics':
      for (const line of stmt.block?.statements ?? []) {
        const metric = metricByName.get(line.word.name);
        if (!metric) continue;
        add(line.word, { what: 'metric', spec: metric });
        classifyArgs(line, metric.params, metric.name, 0, add);
      }
      return;
  }
}

function classifyLayer(stmt: Statement, add: Add): void {
  const spec = layerByName.get(stmt.word.name);
  if (!spec) return;
  add(stmt.word, { what: 'layer', spec, stmt });
  classifyArgs(stmt, spec.params, spec.name, 0, add);
  if (spec.block) for (const inner of stmt.block?.statements ?? []) classifyLayer(inner, add);
}

/** Positional values (after `skip` head words) and `name=value` arguments of a statement. */
function classifyArgs(
  stmt: Statement,
  specs: readonly ParamSpec[],
  owner: string,
  skip: number,
  add: Add,
): void {
  const positional = specs.filter((p) => p.positional);
  stmt.positional.slice(skip).forEach((node, i) => {
    const spec = positional[i];
    if (spec) classifyValue(node, spec, owner, add);
  });
  for (const arg of stmt.named) {
    const spec = specs.find((p) => p.name === arg.name.name);
    if (!spec) continue;
    add(arg.name, { what: 'param', spec, owner, isValue: false });
    classifyValue(arg.value, spec, owner, add);
  }
}

/** `name value` lines inside a settings block. */
function classifySettingLines(stmt: Statement, specs: readonly ParamSpec[], owner: string, add: Add): void {
  for (const line of stmt.block?.statements ?? []) {
    const spec = specs.find((p) => p.name === line.word.name);
    if (!spec) continue;
    add(line.word, { what: 'param', spec, owner, isValue: false });
    if (line.positional[0]) classifyValue(line.positional[0], spec, owner, add);
  }
}

function classifyValue(node: ValueNode, spec: ParamSpec, owner: string, add: Add): void {
  if (node.kind === 'name' && (spec.type.kind === 'enum' || spec.type.kind === 'bool')) {
    add(node, { what: 'enumValue', value: node.name, spec, owner });
  } else if (node.kind !== 'missing') {
    add(node, { what: 'param', spec, owner, isValue: true });
  }
}

// Document structure and model-name navigation: document symbols (models → sections → layers),
// folding ranges, semantic tokens, go to definition, find references, rename.
import type { Analysis } from '../analyze';
import { tokenize } from '../lexer';
import { layerByName, sectionByName } from '../schema';
import type { Identifier, ModelDecl, Position, Range, Statement } from '../syntax';
import type { ClassifiedSpan } from './classify';
import { classify } from './classify';
import type { RangeEdit } from './types';

// ------------------------------------------------------------------ document symbols

export interface DocumentSymbol {
  readonly name: string;
  readonly detail: string;
  readonly kind: 'model' | 'section' | 'layer' | 'setting';
  /** The whole statement, block included. */
  readonly range: Range;
  /** The name (or word) to highlight. */
  readonly selectionRange: Range;
  readonly children: readonly DocumentSymbol[];
}

export function documentSymbols(analysis: Analysis): DocumentSymbol[] {
  const { lines, file } = analysis;
  const out: DocumentSymbol[] = [];
  for (const decl of file.models) {
    const info = analysis.models.find((m) => m.decl === decl);
    const name = decl.name?.name ?? '(unnamed model)';
    const detail = decl.base ? `extends ${decl.base.name}` : (info?.family ?? decl.family?.name ?? '');
    out.push({
      name,
      detail,
      kind: 'model',
      range: lines.range(decl),
      selectionRange: lines.range(decl.name ?? decl.keyword),
      children: (decl.block?.statements ?? []).map((s) => sectionSymbol(analysis, s)),
    });
  }
  return out;
}

function statementDetail(analysis: Analysis, stmt: Statement): string {
  const text = analysis.file.text;
  const end = stmt.block ? stmt.block.start : stmt.end;
  return text.slice(stmt.word.end, end).replace(/\s+/g, ' ').trim();
}

function sectionSymbol(analysis: Analysis, stmt: Statement): DocumentSymbol {
  const spec = sectionByName.get(stmt.word.name);
  const children =
    spec?.kind === 'network' ? (stmt.block?.statements ?? []).map((s) => layerSymbol(analysis, s)) : [];
  return {
    name: stmt.word.name,
    detail: statementDetail(analysis, stmt),
    kind: 'section',
    range: analysis.lines.range(stmt),
    selectionRange: analysis.lines.range(stmt.word),
    children,
  };
}

function layerSymbol(analysis: Analysis, stmt: Statement): DocumentSymbol {
  const nested = layerByName.get(stmt.word.name)?.block ? (stmt.block?.statements ?? []) : [];
  return {
    name: stmt.word.name,
    detail: statementDetail(analysis, stmt),
    kind: 'layer',
    range: analysis.lines.range(stmt),
    selectionRange: analysis.lines.range(stmt.word),
    children: nested.map((s) => layerSymbol(analysis, s)),
  };
}

// ------------------------------------------------------------------ folding

export interface FoldingRange {
  readonly startLine: number;
  /** The last folded line: the line before a block's `}`, or a comment run's last line. */
  readonly endLine: number;
  readonly kind: 'region' | 'comment';
}

export function foldingRanges(analysis: Analysis): FoldingRange[] {
  const { lines, file } = analysis;
  const out: FoldingRange[] = [];
  const addBlock = (block: { start: number; end: number; closed: boolean } | null): void => {
    if (!block) return;
    const a = lines.position(block.start).line;
    const closeLine = lines.position(block.end).line;
    const b = block.closed ? closeLine - 1 : closeLine;
    if (b > a) out.push({ startLine: a, endLine: b, kind: 'region' });
  };
  const walk = (stmts: readonly Statement[]): void => {
    for (const s of stmts) {
      addBlock(s.block);
      walk(s.block?.statements ?? []);
    }
  };
  for (const decl of file.models) {
    addBlock(decl.block);
    walk(decl.block?.statements ?? []);
  }
  walk(file.strays);
  // Runs of two or more own-line comments.
  let runStart = -1;
  let runEnd = -1;
  const flush = (): void => {
    if (runStart >= 0 && runEnd > runStart)
      out.push({ startLine: runStart, endLine: runEnd, kind: 'comment' });
    runStart = -1;
  };
  for (const c of file.comments) {
    const line = lines.position(c.start).line;
    const ownLine = /^[ \t]*$/.test(file.text.slice(lines.lineStart(line), c.start));
    if (!ownLine) continue;
    if (runStart >= 0 && line === runEnd + 1) runEnd = line;
    else {
      flush();
      runStart = line;
      runEnd = line;
    }
  }
  flush();
  return out.sort((x, y) => x.startLine - y.startLine);
}

// ------------------------------------------------------------------ semantic tokens

/** Token types, in legend order. */
export const SEMANTIC_TOKEN_TYPES = [
  'keyword',
  'model',
  'family',
  'section',
  'layer',
  'parameter',
  'enumValue',
  'number',
  'size',
  'string',
  'comment',
  'operator',
] as const;
export type SemanticTokenType = (typeof SEMANTIC_TOKEN_TYPES)[number];

/**
 * The standard LSP token type of each type above, same order: a legend built from these gets
 * themed by every colour theme without declaring custom types in package.json.
 */
export const SEMANTIC_TOKEN_STANDARD_TYPES: readonly string[] = SEMANTIC_TOKEN_TYPES.map(
  (t) =>
    (
      ({
        model: 'class',
        family: 'type',
        section: 'namespace',
        layer: 'function',
        enumValue: 'enumMember',
        size: 'number',
      }) as Partial<Record<SemanticTokenType, string>>
    )[t] ?? t,
);

/** Modifiers, in legend order (bit i of the LSP modifier set). */
export const SEMANTIC_TOKEN_MODIFIERS = ['declaration'] as const;
export type SemanticTokenModifier = (typeof SEMANTIC_TOKEN_MODIFIERS)[number];

export interface SemanticToken {
  readonly line: number;
  readonly char: number;
  readonly length: number;
  readonly type: SemanticTokenType;
  readonly modifiers: readonly SemanticTokenModifier[];
}

export function semanticTokens(analysis: Analysis): SemanticToken[] {
  const spans = classify(analysis);
  const byStart = new Map(spans.map((s) => [s.start, s]));
  const out: SemanticToken[] = [];
  for (const t of tokenize(analysis.file.text)) {
    const type = tokenType(t.kind, byStart.get(t.start), t.end);
    if (!type || t.end <= t.start) continue;
    const pos = analysis.lines.position(t.start);
    const ref = byStart.get(t.start)?.ref;
    const modifiers: SemanticTokenModifier[] =
      ref?.what === 'model' && ref.declaration ? ['declaration'] : [];
    out.push({ line: pos.line, char: pos.character, length: t.end - t.start, type: type, modifiers });
  }
  return out;
}

function tokenType(kind: string, span: ClassifiedSpan | undefined, end: number): SemanticTokenType | null {
  switch (kind) {
    case 'number':
      return 'number';
    case 'size':
      return 'size';
    case 'string':
      return 'string';
    case 'comment':
      return 'comment';
    case 'op':
    case 'equals':
    case 'colon':
      return 'operator';
    case 'ident':
      break;
    default:
      return null;
  }
  if (!span || span.end !== end) return null;
  switch (span.ref.what) {
    case 'keyword':
      return 'keyword';
    case 'model':
      return 'model';
    case 'family':
      return 'family';
    case 'section':
      return 'section';
    case 'layer':
    case 'metric':
      return 'layer';
    case 'param':
      return span.ref.isValue ? 'enumValue' : 'parameter';
    case 'enumValue':
    case 'source':
    case 'loss':
    case 'optimizer':
    case 'role':
      return 'enumValue';
  }
}

/** The LSP wire form: 5 integers per token, positions relative to the previous token. */
export function encodeSemanticTokens(tokens: readonly SemanticToken[]): number[] {
  const data: number[] = [];
  let line = 0;
  let char = 0;
  const sorted = [...tokens].sort((a, b) => a.line - b.line || a.char - b.char);
  for (const t of sorted) {
    const dLine = t.line - line;
    data.push(dLine, dLine === 0 ? t.char - char : t.char, t.length, SEMANTIC_TOKEN_TYPES.indexOf(t.type));
    data.push(t.modifiers.reduce((bits, m) => bits | (1 << SEMANTIC_TOKEN_MODIFIERS.indexOf(m)), 0));
    line = t.line;
    char = t.char;
  }
  return data;
}

// ------------------------------------------------------------------ model names

/** Every occurrence of a model name: declarations and `extends` references. */
function modelNameSpans(analysis: Analysis): { span: Identifier; declaration: boolean }[] {
  const out: { span: Identifier; declaration: boolean }[] = [];
  for (const decl of analysis.file.models) {
    if (decl.name) out.push({ span: decl.name, declaration: true });
    if (decl.base) out.push({ span: decl.base, declaration: false });
  }
  return out;
}

function modelNameAt(analysis: Analysis, position: Position): Identifier | null {
  const offset = analysis.lines.offset(position);
  const hit = modelNameSpans(analysis).find((s) => s.span.start <= offset && offset <= s.span.end);
  return hit ? hit.span : null;
}

function declarationOf(analysis: Analysis, name: string): ModelDecl | null {
  return analysis.file.models.find((m) => m.name?.name === name) ?? null;
}

export interface Location {
  readonly range: Range;
}

/** Where the model named under the cursor (declaration or `extends` reference) is declared. */
export function definition(analysis: Analysis, position: Position): Location | null {
  const at = modelNameAt(analysis, position);
  const decl = at ? declarationOf(analysis, at.name) : null;
  return decl?.name ? { range: analysis.lines.range(decl.name) } : null;
}

/** Every occurrence of the model name under the cursor. */
export function references(analysis: Analysis, position: Position, includeDeclaration = true): Location[] {
  const at = modelNameAt(analysis, position);
  if (!at) return [];
  return modelNameSpans(analysis)
    .filter((s) => s.span.name === at.name && (includeDeclaration || !s.declaration))
    .map((s) => ({ range: analysis.lines.range(s.span) }));
}

export interface PrepareRename {
  readonly range: Range;
  readonly placeholder: string;
}

/** Renaming works on model names only. */
export function prepareRename(analysis: Analysis, position: Position): PrepareRename | null {
  const at = modelNameAt(analysis, position);
  if (!at || !declarationOf(analysis, at.name)) return null;
  return { range: analysis.lines.range(at), placeholder: at.name };
}

const RESERVED = new Set(['model', 'extends']);

export type RenameResult =
  { readonly ok: true; readonly edits: RangeEdit[] } | { readonly ok: false; readonly error: string };

/** Renames the model under the cursor everywhere (its declaration and every `extends`). */
export function rename(analysis: Analysis, position: Position, newName: string): RenameResult {
  const at = modelNameAt(analysis, position);
  if (!at || !declarationOf(analysis, at.name))
    return { ok: false, error: 'Only a declared model name can be renamed.' };
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(newName)) {
    return {
      ok: false,
      error: `\`${newName}\` is not a valid model name: use letters, digits and _, not starting with a digit.`,
    };
  }
  if (RESERVED.has(newName)) return { ok: false, error: `\`${newName}\` is a keyword.` };
  if (newName === at.name) return { ok: true, edits: [] };
  if (declarationOf(analysis, newName))
    return { ok: false, error: `A model named \`${newName}\` already exists.` };
  const edits = modelNameSpans(analysis)
    .filter((s) => s.span.name === at.name)
    .map((s) => ({ range: analysis.lines.range(s.span), newText: newName }));
  return { ok: true, edits };
}

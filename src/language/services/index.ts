// Editor services for .gan files: pure functions of an Analysis (or text) and a position that
// return plain, LSP-shaped data. No vscode, no LSP types: the language server converts.
//
// Conventions
//   - Positions are 0-based { line, character } (UTF-16), as in ../syntax; ranges are
//     { start, end } positions; every edit is a RangeEdit { range, newText }.
//   - Functions that need names, shapes or diagnostics take the Analysis from ../analyze
//     (`analyze(text)`, computed once per document version); the formatter takes the text.
//   - Nothing throws on broken text; an empty result means "nothing here".
//
// API
//   complete(analysis, position): CompletionItem[]
//       label, kind, detail, documentation (markdown), insertText (VS Code snippet syntax when
//       isSnippet), range (the partial word it replaces), sortText, retrigger (open completion
//       again after inserting, e.g. after `activation=`).
//   hover(analysis, position): Hover | null                 { contents: markdown, range }
//   inlayHints(analysis, range): InlayHint[]                 { position, label, kind, tooltip }
//   format(text): string; formatEdits(text): RangeEdit[]; formatRangeEdits(text, range): RangeEdit[]
//   documentSymbols(analysis): DocumentSymbol[]              models → sections → layers
//   foldingRanges(analysis): FoldingRange[]                  { startLine, endLine, kind }
//   semanticTokens(analysis): SemanticToken[]                { line, char, length, type, modifiers }
//   encodeSemanticTokens(tokens): number[]                   LSP relative encoding, legend below
//   SEMANTIC_TOKEN_TYPES, SEMANTIC_TOKEN_MODIFIERS           the legend, in order
//   SEMANTIC_TOKEN_STANDARD_TYPES                            the same legend as standard LSP type names
//   definition(analysis, position): Location | null          model names (declaration or `extends`)
//   references(analysis, position, includeDeclaration?): Location[]
//   prepareRename(analysis, position): { range, placeholder } | null
//   rename(analysis, position, newName): { ok: true, edits } | { ok: false, error }
//   codeActions(analysis, range): CodeAction[]               quick fixes of overlapping diagnostics
//   classify(analysis): ClassifiedSpan[]                     what every word means (schema entry, model…)
export type { Position, Range, RangeEdit } from './types';
export { complete } from './completion';
export type { CompletionItem, CompletionKind } from './completion';
export { hover } from './hover';
export type { Hover } from './hover';
export { inlayHints } from './inlay';
export type { InlayHint } from './inlay';
export { format, formatEdits, formatRangeEdits } from './format';
export {
  SEMANTIC_TOKEN_MODIFIERS,
  SEMANTIC_TOKEN_STANDARD_TYPES,
  SEMANTIC_TOKEN_TYPES,
  definition,
  documentSymbols,
  encodeSemanticTokens,
  foldingRanges,
  prepareRename,
  references,
  rename,
  semanticTokens,
} from './symbols';
export type {
  DocumentSymbol,
  FoldingRange,
  Location,
  PrepareRename,
  RenameResult,
  SemanticToken,
  SemanticTokenModifier,
  SemanticTokenType,
} from './symbols';
export { codeActions } from './actions';
export type { CodeAction } from './actions';
export { classify, classifiedAt } from './classify';
export type { ClassifiedSpan, SymbolRef } from './classify';

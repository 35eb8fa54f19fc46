// Conversions between src/language results (character offsets) and LSP types (line/character).
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  Diagnostic as LspDiagnostic,
  Position,
  Range,
  TextEdit as LspTextEdit,
} from 'vscode-languageserver';
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { Diagnostic, Severity, Span, TextEdit } from '../language';
import { DIAGNOSTIC_CODES } from '../language';

export const diagnosticSource = 'gan';

export function toRange(document: TextDocument, span: Span): Range {
  return { start: document.positionAt(span.start), end: document.positionAt(span.end) };
}

/** Offset of a position; out-of-range lines and characters are clamped to the document. */
export function toOffset(document: TextDocument, position: Position): number {
  const line = clampInteger(position.line, 0, Math.max(0, document.lineCount - 1));
  const character = clampInteger(position.character, 0, Number.MAX_SAFE_INTEGER);
  return document.offsetAt({ line, character });
}

export function toSpan(document: TextDocument, range: Range): Span {
  const a = toOffset(document, range.start);
  const b = toOffset(document, range.end);
  return { start: Math.min(a, b), end: Math.max(a, b) };
}

export function toTextEdit(document: TextDocument, edit: TextEdit): LspTextEdit {
  return { range: toRange(document, edit), newText: edit.newText };
}

export function toSeverity(severity: Severity): DiagnosticSeverity {
  return severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;
}

/** `docs/language.md#e300`-style link for a code, when a docs URL is known. */
export function codeHref(docsUrl: string | null, code: string): string | undefined {
  if (!docsUrl) return undefined;
  return `${docsUrl.replace(/#.*$/, '')}#${code.toLowerCase()}`;
}

export function toLspDiagnostic(
  document: TextDocument,
  diagnostic: Diagnostic,
  docsUrl: string | null,
): LspDiagnostic {
  const href = codeHref(docsUrl, diagnostic.code);
  return {
    range: toRange(document, diagnostic),
    severity: toSeverity(diagnostic.severity),
    code: diagnostic.code,
    ...(href ? { codeDescription: { href } } : {}),
    source: diagnosticSource,
    message: diagnostic.message,
  };
}

export function isDiagnosticCode(code: unknown): code is keyof typeof DIAGNOSTIC_CODES {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(DIAGNOSTIC_CODES, code);
}

function clampInteger(value: number, min: number, max: number): number {
  if (!Number.isFinite(value)) return value > 0 ? max : min;
  return Math.max(min, Math.min(max, Math.trunc(value)));
}

// Code actions: the quick fixes of the diagnostics that overlap a range.
import type { Analysis } from '../analyze';
import type { DiagnosticCode } from '../diagnostics';
import type { Range } from '../syntax';
import { toRangeEdit, touches } from './positions';
import type { RangeEdit } from './types';

export interface CodeAction {
  readonly title: string;
  readonly kind: 'quickfix';
  readonly edits: readonly RangeEdit[];
  /** The diagnostic the fix resolves. */
  readonly diagnostic: { readonly code: DiagnosticCode; readonly message: string; readonly range: Range };
  /** The fix the checker recommends: the first of the diagnostic's fixes. */
  readonly isPreferred: boolean;
}

export function codeActions(analysis: Analysis, range: Range): CodeAction[] {
  const { lines } = analysis;
  const wanted = { start: lines.offset(range.start), end: lines.offset(range.end) };
  const out: CodeAction[] = [];
  for (const d of analysis.diagnostics) {
    if (d.fixes.length === 0 || !touches(d, wanted)) continue;
    const diagnostic = { code: d.code, message: d.message, range: lines.range(d) };
    d.fixes.forEach((fix, i) => {
      out.push({
        title: fix.title,
        kind: 'quickfix',
        edits: fix.edits.map((e) => toRangeEdit(lines, e)),
        diagnostic,
        isPreferred: i === 0,
      });
    });
  }
  return out;
}

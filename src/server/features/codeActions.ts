// Quick fixes: the fixes the checker attached to each diagnostic, as LSP code actions.
import type { CodeAction, CodeActionParams, Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import { CodeActionKind } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from '../../language';
import type { Feature, ServerContext } from '../context';
import { analyzed } from '../context';
import { toLspDiagnostic, toSpan, toTextEdit } from '../convert';
import { guarded } from '../guard';

export const codeActionsFeature: Feature = {
  capabilities: { codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] } },
  register(context) {
    context.connection.onCodeAction(
      guarded('codeAction', context.logger, [], (params: CodeActionParams) => quickFixes(context, params)),
    );
  },
};

function quickFixes(context: ServerContext, params: CodeActionParams): CodeAction[] {
  const target = analyzed(context, params.textDocument.uri);
  if (!target) return [];
  const { document, analysis } = target;
  if (params.context.only && !params.context.only.some((kind) => CodeActionKind.QuickFix.startsWith(kind)))
    return [];
  const span = toSpan(document, params.range);
  const actions: CodeAction[] = [];
  for (const diagnostic of analysis.diagnostics) {
    if (diagnostic.fixes.length === 0 || !overlaps(diagnostic, span)) continue;
    const lspDiagnostic = matching(
      params.context.diagnostics,
      document,
      diagnostic,
      context.settings().docsUrl,
    );
    diagnostic.fixes.forEach((fix, index) => {
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [lspDiagnostic],
        isPreferred: index === 0,
        edit: { changes: { [document.uri]: fix.edits.map((edit) => toTextEdit(document, edit)) } },
      });
    });
  }
  return actions;
}

function overlaps(diagnostic: Diagnostic, span: { start: number; end: number }): boolean {
  return diagnostic.start <= span.end && span.start <= diagnostic.end;
}

/** The client's own copy of the diagnostic when it sent one, so the editor links fix and squiggle. */
function matching(
  sent: readonly LspDiagnostic[],
  document: TextDocument,
  diagnostic: Diagnostic,
  docsUrl: string | null,
): LspDiagnostic {
  const ours = toLspDiagnostic(document, diagnostic, docsUrl);
  const same = sent.find(
    (d) =>
      d.code === ours.code &&
      d.message === ours.message &&
      d.range.start.line === ours.range.start.line &&
      d.range.start.character === ours.range.start.character,
  );
  return same ?? ours;
}

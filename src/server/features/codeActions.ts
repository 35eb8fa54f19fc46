// Quick fixes: src/language's code actions (the fixes attached to overlapping diagnostics) as LSP ones.
import type { CodeAction, CodeActionParams, Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import { CodeActionKind } from 'vscode-languageserver';
import type { CodeAction as GanCodeAction } from '../../language/services';
import { codeActions } from '../../language/services';
import type { Feature, ServerContext } from '../context';
import { analyzed } from '../context';
import { codeHref, diagnosticSource, toSeverity } from '../convert';
import { guarded } from '../guard';
import { clampRange } from '../positions';
import { severityOf } from '../../language';

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
  if (params.context.only && !params.context.only.some((kind) => CodeActionKind.QuickFix.startsWith(kind)))
    return [];
  const uri = target.document.uri;
  return codeActions(target.analysis, clampRange(target.document, params.range)).map((action) => ({
    title: action.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [matching(params.context.diagnostics, action, context.settings().docsUrl)],
    isPreferred: action.isPreferred,
    edit: { changes: { [uri]: action.edits.map((edit) => ({ range: edit.range, newText: edit.newText })) } },
  }));
}

/** The client's own copy of the diagnostic when it sent one, so the editor links the fix to the squiggle. */
function matching(
  sent: readonly LspDiagnostic[],
  action: GanCodeAction,
  docsUrl: string | null,
): LspDiagnostic {
  const { code, message, range } = action.diagnostic;
  const same = sent.find(
    (d) =>
      d.code === code &&
      d.message === message &&
      d.range.start.line === range.start.line &&
      d.range.start.character === range.start.character,
  );
  if (same) return same;
  const href = codeHref(docsUrl, code);
  return {
    range,
    code,
    message,
    severity: toSeverity(severityOf(code)),
    source: diagnosticSource,
    ...(href ? { codeDescription: { href } } : {}),
  };
}

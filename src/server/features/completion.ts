// Completion: src/language's context-aware candidates as LSP completion items.
import type { CompletionItem, CompletionParams } from 'vscode-languageserver';
import { CompletionItemKind, InsertTextFormat, MarkupKind } from 'vscode-languageserver';
import type { CompletionItem as GanCompletionItem, CompletionKind } from '../../language/services';
import { complete } from '../../language/services';
import type { Feature } from '../context';
import { analyzed } from '../context';
import { guarded } from '../guard';
import { clampPosition } from '../positions';

const kinds: Readonly<Record<string, CompletionItemKind>> = {
  keyword: CompletionItemKind.Keyword,
  family: CompletionItemKind.Class,
  section: CompletionItemKind.Module,
  layer: CompletionItemKind.Function,
  parameter: CompletionItemKind.Property,
  value: CompletionItemKind.EnumMember,
  model: CompletionItemKind.Reference,
  snippet: CompletionItemKind.Snippet,
  source: CompletionItemKind.Constant,
} satisfies Record<CompletionKind, CompletionItemKind>;

export const completionFeature: Feature = {
  capabilities: { completionProvider: { triggerCharacters: ['=', ':'] } },
  register(context) {
    context.connection.onCompletion(
      guarded('completion', context.logger, [], (params: CompletionParams) => {
        const target = analyzed(context, params.textDocument.uri);
        if (!target) return [];
        const position = clampPosition(target.document, params.position);
        return complete(target.analysis, position).map(toCompletionItem);
      }),
    );
  },
};

function toCompletionItem(item: GanCompletionItem): CompletionItem {
  return {
    label: item.label,
    kind: kinds[item.kind] ?? CompletionItemKind.Text,
    detail: item.detail,
    documentation: item.documentation ? { kind: MarkupKind.Markdown, value: item.documentation } : undefined,
    textEdit: { range: item.range, newText: item.insertText },
    insertTextFormat: item.isSnippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    sortText: item.sortText,
    ...(item.retrigger ? { command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } } : {}),
  };
}

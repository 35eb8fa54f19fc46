// Formatting (whole document and range) with src/language's formatter.
import type {
  DocumentFormattingParams,
  DocumentRangeFormattingParams,
  TextEdit,
} from 'vscode-languageserver';
import { formatEdits, formatRangeEdits } from '../../language/services';
import type { Feature, ServerContext } from '../context';
import { guarded } from '../guard';
import { clampRange } from '../positions';

export const formattingFeature: Feature = {
  capabilities: { documentFormattingProvider: true, documentRangeFormattingProvider: true },
  register(context) {
    context.connection.onDocumentFormatting(
      guarded('formatting', context.logger, [], (params: DocumentFormattingParams): TextEdit[] => {
        const document = formattable(context, params.textDocument.uri);
        return document ? formatEdits(document.getText()).map(copyEdit) : [];
      }),
    );
    context.connection.onDocumentRangeFormatting(
      guarded('rangeFormatting', context.logger, [], (params: DocumentRangeFormattingParams): TextEdit[] => {
        const document = formattable(context, params.textDocument.uri);
        if (!document) return [];
        return formatRangeEdits(document.getText(), clampRange(document, params.range)).map(copyEdit);
      }),
    );
  },
};

/** The open document, unless it is too large or binary to analyse (it is then not formatted either). */
function formattable(context: ServerContext, uri: string) {
  const document = context.documents.get(uri);
  return document && context.cache.get(document).kind === 'analyzed' ? document : null;
}

function copyEdit(edit: { range: TextEdit['range']; newText: string }): TextEdit {
  return { range: edit.range, newText: edit.newText };
}

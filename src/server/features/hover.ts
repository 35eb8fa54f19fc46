// Hover: src/language's Markdown for the word under the cursor.
import type { Hover, HoverParams } from 'vscode-languageserver';
import { MarkupKind } from 'vscode-languageserver';
import { hover } from '../../language/services';
import type { Feature } from '../context';
import { analyzed } from '../context';
import { guarded } from '../guard';
import { clampPosition } from '../positions';

export const hoverFeature: Feature = {
  capabilities: { hoverProvider: true },
  register(context) {
    context.connection.onHover(
      guarded('hover', context.logger, null, (params: HoverParams): Hover | null => {
        const target = analyzed(context, params.textDocument.uri);
        if (!target) return null;
        const result = hover(target.analysis, clampPosition(target.document, params.position));
        return result
          ? { contents: { kind: MarkupKind.Markdown, value: result.contents }, range: result.range }
          : null;
      }),
    );
  },
};

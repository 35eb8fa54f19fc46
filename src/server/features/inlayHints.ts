// Inlay hints: layer output shapes and network parameter counts from src/language.
import type { InlayHint, InlayHintParams } from 'vscode-languageserver';
import { InlayHintKind } from 'vscode-languageserver';
import { inlayHints } from '../../language/services';
import type { Feature } from '../context';
import { analyzed } from '../context';
import { guarded } from '../guard';
import { clampRange } from '../positions';

export const inlayHintsFeature: Feature = {
  capabilities: { inlayHintProvider: true },
  register(context) {
    context.connection.languages.inlayHint.on(
      guarded('inlayHint', context.logger, [], (params: InlayHintParams): InlayHint[] => {
        const target = analyzed(context, params.textDocument.uri);
        if (!target) return [];
        return inlayHints(target.analysis, clampRange(target.document, params.range)).map((hint) => ({
          position: hint.position,
          label: hint.label,
          kind: hint.kind === 'shape' ? InlayHintKind.Type : undefined,
          tooltip: hint.tooltip,
          paddingLeft: true,
        }));
      }),
    );
  },
};

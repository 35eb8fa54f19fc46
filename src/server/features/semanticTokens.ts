// Semantic tokens (full document) from src/language, with its legend.
import type { SemanticTokens, SemanticTokensParams } from 'vscode-languageserver';
import {
  SEMANTIC_TOKEN_MODIFIERS,
  SEMANTIC_TOKEN_TYPES,
  encodeSemanticTokens,
  semanticTokens,
} from '../../language/services';
import type { Feature } from '../context';
import { analyzed } from '../context';
import { guarded } from '../guard';

export const semanticTokensFeature: Feature = {
  capabilities: {
    semanticTokensProvider: {
      legend: { tokenTypes: [...SEMANTIC_TOKEN_TYPES], tokenModifiers: [...SEMANTIC_TOKEN_MODIFIERS] },
      full: true,
    },
  },
  register(context) {
    context.connection.languages.semanticTokens.on(
      guarded(
        'semanticTokens',
        context.logger,
        { data: [] },
        (params: SemanticTokensParams): SemanticTokens => {
          const target = analyzed(context, params.textDocument.uri);
          return { data: target ? encodeSemanticTokens(semanticTokens(target.analysis)) : [] };
        },
      ),
    );
  },
};

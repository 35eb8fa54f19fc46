// Document symbols (outline) and folding ranges from src/language.
import type {
  DocumentSymbol,
  DocumentSymbolParams,
  FoldingRange,
  FoldingRangeParams,
} from 'vscode-languageserver';
import { FoldingRangeKind, SymbolKind } from 'vscode-languageserver';
import type { DocumentSymbol as GanSymbol } from '../../language/services';
import { documentSymbols, foldingRanges } from '../../language/services';
import type { Feature } from '../context';
import { analyzed } from '../context';
import { guarded } from '../guard';

const symbolKinds: Readonly<Record<string, SymbolKind>> = {
  model: SymbolKind.Class,
  section: SymbolKind.Namespace,
  layer: SymbolKind.Function,
  setting: SymbolKind.Property,
} satisfies Record<GanSymbol['kind'], SymbolKind>;

export const symbolsFeature: Feature = {
  capabilities: { documentSymbolProvider: { label: 'GAN' }, foldingRangeProvider: true },
  register(context) {
    context.connection.onDocumentSymbol(
      guarded('documentSymbol', context.logger, [], (params: DocumentSymbolParams): DocumentSymbol[] => {
        const target = analyzed(context, params.textDocument.uri);
        return target ? documentSymbols(target.analysis).map(toDocumentSymbol) : [];
      }),
    );
    context.connection.onFoldingRanges(
      guarded('foldingRange', context.logger, [], (params: FoldingRangeParams): FoldingRange[] => {
        const target = analyzed(context, params.textDocument.uri);
        if (!target) return [];
        return foldingRanges(target.analysis).map((range) => ({
          startLine: range.startLine,
          endLine: range.endLine,
          kind: range.kind === 'comment' ? FoldingRangeKind.Comment : FoldingRangeKind.Region,
        }));
      }),
    );
  },
};

function toDocumentSymbol(symbol: GanSymbol): DocumentSymbol {
  return {
    name: symbol.name,
    detail: symbol.detail,
    kind: symbolKinds[symbol.kind] ?? SymbolKind.Object,
    range: symbol.range,
    selectionRange: symbol.selectionRange,
    children: symbol.children.map(toDocumentSymbol),
  };
}

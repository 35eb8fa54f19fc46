// Definition, references and rename of model names, from src/language.
import type {
  DefinitionParams,
  Location,
  PrepareRenameParams,
  Range,
  ReferenceParams,
  RenameParams,
  WorkspaceEdit,
} from 'vscode-languageserver';
import { ErrorCodes, ResponseError } from 'vscode-languageserver';
import { definition, prepareRename, references, rename } from '../../language/services';
import type { Feature } from '../context';
import { analyzed } from '../context';
import { guarded } from '../guard';
import { clampPosition } from '../positions';

export const navigationFeature: Feature = {
  capabilities: {
    definitionProvider: true,
    referencesProvider: true,
    renameProvider: { prepareProvider: true },
  },
  register(context) {
    const { connection, logger } = context;
    connection.onDefinition(
      guarded('definition', logger, null, (params: DefinitionParams): Location | null => {
        const target = analyzed(context, params.textDocument.uri);
        if (!target) return null;
        const found = definition(target.analysis, clampPosition(target.document, params.position));
        return found ? { uri: target.document.uri, range: found.range } : null;
      }),
    );
    connection.onReferences(
      guarded('references', logger, [], (params: ReferenceParams): Location[] => {
        const target = analyzed(context, params.textDocument.uri);
        if (!target) return [];
        const position = clampPosition(target.document, params.position);
        return references(target.analysis, position, params.context.includeDeclaration).map((found) => ({
          uri: target.document.uri,
          range: found.range,
        }));
      }),
    );
    connection.onPrepareRename(
      guarded(
        'prepareRename',
        logger,
        null,
        (params: PrepareRenameParams): { range: Range; placeholder: string } | null => {
          const target = analyzed(context, params.textDocument.uri);
          if (!target) return null;
          const found = prepareRename(target.analysis, clampPosition(target.document, params.position));
          return found ? { range: found.range, placeholder: found.placeholder } : null;
        },
      ),
    );
    connection.onRenameRequest(
      guarded('rename', logger, null, (params: RenameParams): WorkspaceEdit | ResponseError<void> | null => {
        const target = analyzed(context, params.textDocument.uri);
        if (!target) return null;
        const result = rename(
          target.analysis,
          clampPosition(target.document, params.position),
          params.newName,
        );
        if (!result.ok) return new ResponseError(ErrorCodes.InvalidParams, result.error);
        return {
          changes: {
            [target.document.uri]: result.edits.map((e) => ({ range: e.range, newText: e.newText })),
          },
        };
      }),
    );
  },
};

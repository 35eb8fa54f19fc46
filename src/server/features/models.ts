// `gan/models` (src/protocol/language.ts): per-model facts for the extension's CodeLenses, commands
// and run hover, served from the analysis cache so the extension host never runs the checker.
import type { Analysis } from '../../language';
import type { ModelsParams, ModelsResult, ModelSummary } from '../../protocol/language';
import { modelsRequest } from '../../protocol/language';
import type { Feature } from '../context';
import { analyzed } from '../context';
import { guarded } from '../guard';

export function describeModels(analysis: Analysis): ModelSummary[] {
  const { lines } = analysis;
  return analysis.models.flatMap((info): ModelSummary[] => {
    const { decl } = info;
    if (!decl.name) return [];
    return [
      {
        name: info.name,
        family: info.family,
        base: decl.base?.name ?? null,
        range: lines.range(decl),
        keywordRange: lines.range(decl.keyword),
        nameRange: lines.range(decl.name),
        baseRange: decl.base ? lines.range(decl.base) : null,
        errorCount: info.errorCount,
        resolved: info.resolved !== null,
      },
    ];
  });
}

export function fileErrorCount(analysis: Analysis): number {
  return analysis.diagnostics.filter((d) => d.severity === 'error').length;
}

export const modelsFeature: Feature = {
  // A custom request: nothing to announce in the capabilities.
  capabilities: {},
  register(context) {
    context.connection.onRequest(
      modelsRequest,
      guarded('gan/models', context.logger, null, (params: ModelsParams): ModelsResult => {
        const target = analyzed(context, params.textDocument.uri);
        if (!target) return null;
        return {
          uri: target.document.uri,
          version: target.document.version,
          fileErrors: fileErrorCount(target.analysis),
          models: describeModels(target.analysis),
        };
      }),
    );
  },
};

// The extension host's language requests (src/protocol/language.ts), so it never runs the checker:
// `gan/models` (per-model facts for CodeLenses, commands and the run hover, from the analysis cache)
// and `gan/resolveModel` (a run folder's model.gan, for the dashboard and preview).
import type { Analysis } from '../../language';
import { analyze } from '../../language';
import type { ResolvedModel } from '../../language/model';
import type {
  ModelsParams,
  ModelsResult,
  ModelSummary,
  ResolveModelParams,
  ResolveModelResult,
} from '../../protocol/language';
import { modelsRequest, resolveModelRequest } from '../../protocol/language';
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

/** The resolved model named `model` in `text` (or its first model), null when it has errors. */
export function resolveModelIn(text: string, model: string): ResolvedModel | null {
  const { models } = analyze(text);
  const info = models.find((m) => m.name === model) ?? models[0];
  return info?.resolved ?? null;
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
    context.connection.onRequest(
      resolveModelRequest,
      guarded('gan/resolveModel', context.logger, null, (params: ResolveModelParams): ResolveModelResult =>
        typeof params?.text === 'string' &&
        typeof params.model === 'string' &&
        params.text.length <= context.settings().maxFileSize
          ? resolveModelIn(params.text, params.model)
          : null,
      ),
    );
  },
};

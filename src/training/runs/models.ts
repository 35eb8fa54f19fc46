// The language library seen from training: models of a file's text, its errors in the
// `FILE:LINE:COL: error CODE message` form, and the one model a run trains.
import { analyze } from '../../language/index';
import type { ResolvedModel } from '../../language/model';

export interface LocatedDiagnostic {
  /** 1-based. */
  readonly line: number;
  readonly column: number;
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly message: string;
}

export interface ModelsOfText {
  readonly models: readonly ResolvedModel[];
  /** Names of every declared model, including those with errors. */
  readonly names: readonly string[];
  readonly diagnostics: readonly LocatedDiagnostic[];
}

export class ModelError extends Error {}

export function analyzeModels(text: string): ModelsOfText {
  const analysis = analyze(text);
  const diagnostics = analysis.diagnostics.map((d) => {
    const at = analysis.lines.position(d.start);
    return {
      line: at.line + 1,
      column: at.character + 1,
      severity: d.severity,
      code: d.code,
      message: d.message,
    };
  });
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  const models = analysis.models.flatMap((m) => (m.resolved ? [m.resolved] : []));
  return { models, names: analysis.models.map((m) => m.name), diagnostics };
}

export function formatDiagnostic(file: string, d: LocatedDiagnostic): string {
  return `${file}:${d.line}:${d.column}: ${d.severity} ${d.code} ${d.message}`;
}

/** The model to train (default: the first); throws a ModelError listing the file's errors. */
export function pickModel(text: string, file: string, name?: string): ResolvedModel {
  const { models, names, diagnostics } = analyzeModels(text);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length)
    throw new ModelError(
      `${file} has ${errors.length} error(s):\n${errors.map((d) => formatDiagnostic(file, d)).join('\n')}`,
    );
  if (!names.length) throw new ModelError(`${file}:1:1: the file declares no model`);
  const wanted = name ?? names[0];
  const model = models.find((m) => m.name === wanted);
  if (!model) throw new ModelError(`${file}: no model "${wanted}" (models: ${names.join(', ')})`);
  return model;
}

// Which model a cursor is in or on, from the language server's gan/models answer. Pure: no vscode.
import type { ModelSummary } from '../../protocol/language';
import type { Position, Range } from '../../language/syntax';

function contains(range: Range, at: Position): boolean {
  const after = (a: Position, b: Position) =>
    a.line > b.line || (a.line === b.line && a.character >= b.character);
  return after(at, range.start) && after(range.end, at);
}

/** The model whose declaration holds the position (the Train command's "model under the cursor"). */
export function modelAt(models: readonly ModelSummary[], at: Position): ModelSummary | undefined {
  return models.find((model) => contains(model.range, at));
}

/** The model named at the position, in its declaration or in an `extends` (the run hover). */
export function modelNameAt(models: readonly ModelSummary[], at: Position): string | undefined {
  for (const model of models) {
    if (contains(model.nameRange, at)) return model.name;
    if (model.base && model.baseRange && contains(model.baseRange, at)) return model.base;
  }
  return undefined;
}

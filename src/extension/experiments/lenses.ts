// Which CodeLens each model of a .gan file gets: Train (or Stop while it trains), Dashboard and
// Preview samples when it has runs, or "Fix N problems" when it cannot train. Pure: no vscode; the
// models come from the language server (gan/models), which has already checked the file. The Stop
// lens shows no step: the status bar and the dashboard's header show the progress.
import type { DocumentModels } from '../../protocol/language';

export type ModelLensKind = 'train' | 'stop' | 'fix' | 'dashboard' | 'preview';

export interface ModelLens {
  readonly kind: ModelLensKind;
  readonly title: string;
  readonly model: string;
}

export interface ModelLensGroup {
  readonly model: string;
  /** 0-based line of the `model` keyword, where the lenses sit. */
  readonly line: number;
  readonly lenses: readonly ModelLens[];
}

export interface LensState {
  /** Models of this file that are training now. */
  readonly training: ReadonlySet<string>;
  /** Models of this file with at least one run. */
  readonly withRuns: ReadonlySet<string>;
  /** Models with a run that has a checkpoint (samples can be rendered from it). */
  readonly withCheckpoints: ReadonlySet<string>;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function computeModelLenses(document: DocumentModels, state: LensState): ModelLensGroup[] {
  // The worker refuses a file with any error, so a clean model in a broken file cannot train either.
  const { fileErrors } = document;
  return document.models.map((info) => {
    const model = info.name;
    const lenses: ModelLens[] = [];
    const training = state.training.has(model);
    const problems = info.errorCount > 0 ? info.errorCount : fileErrors;
    if (training) {
      lenses.push({ kind: 'stop', title: '■ Stop', model });
    } else if (problems > 0 || !info.resolved) {
      lenses.push({ kind: 'fix', title: `Fix ${plural(Math.max(problems, 1), 'problem')} to train`, model });
    } else {
      lenses.push({ kind: 'train', title: '▶ Train', model });
    }
    if (training || state.withRuns.has(model)) lenses.push({ kind: 'dashboard', title: 'Dashboard', model });
    if (state.withCheckpoints.has(model)) lenses.push({ kind: 'preview', title: 'Preview samples', model });
    return { model, line: info.keywordRange.start.line, lenses };
  });
}

// CodeLens above every model of a .gan file: Train / Stop, Dashboard, Preview samples, or
// "Fix N problems to train". The lens set is computed by lenses.ts from the text and the runs.
import * as vscode from 'vscode';
import { commands, type ModelTarget } from './commandIds';
import { computeModelLenses, type ModelLensKind, type TrainingProgress } from './lenses';
import type { RunManager } from './runManager';
import type { RunsStore } from './runsStore';

const commandOf: Record<ModelLensKind, string> = {
  train: commands.train,
  stop: commands.stop,
  fix: commands.fixProblems,
  dashboard: commands.openDashboard,
  preview: commands.openPreview,
};

const tooltipOf: Record<ModelLensKind, string> = {
  train: 'Train this model in a background worker',
  stop: 'Finish the current step, save a checkpoint and stop',
  fix: 'Training needs a file without errors: show the problems',
  dashboard: 'Open the training dashboard of the latest run',
  preview: 'Render samples from a checkpoint of the latest run',
};

export class ModelCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private lastProgressFire = 0;

  constructor(
    private readonly manager: RunManager,
    private readonly store: RunsStore,
  ) {
    this.subscriptions = [
      store.onDidChange(() => this.changed.fire()),
      manager.onDidChange((event) => {
        // Progress moves the step in the Stop lens; redraw at most twice a second.
        const now = Date.now();
        if (event.kind === 'progress' && now - this.lastProgressFire < 500) return;
        this.lastProgressFire = now;
        this.changed.fire();
      }),
    ];
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.getConfiguration('gan', document.uri).get<boolean>('codeLens.enabled', true))
      return [];
    const file = document.uri.fsPath;
    const training = new Map<string, TrainingProgress>();
    for (const run of this.manager.active()) {
      if (run.file === file)
        training.set(run.model, { step: run.progress?.step ?? 0, totalSteps: run.progress?.totalSteps ?? 0 });
    }
    const fileRuns = this.store.all().filter((run) => run.info.sourceFile === file);
    const groups = computeModelLenses(document.getText(), {
      training,
      withRuns: new Set(fileRuns.map((run) => run.model)),
      withCheckpoints: new Set(fileRuns.filter((run) => run.checkpoints.length).map((run) => run.model)),
    });
    return groups.flatMap((group) => {
      const range = new vscode.Range(group.line, 0, group.line, 0);
      return group.lenses.map((lens) => {
        const target: ModelTarget = { file, model: lens.model };
        return new vscode.CodeLens(range, {
          title: lens.title,
          command: commandOf[lens.kind],
          tooltip: tooltipOf[lens.kind],
          arguments: lens.kind === 'fix' ? [] : [target],
        });
      });
    });
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}

// CodeLens above every model of a .gan file: Train / Stop, Dashboard, Preview samples, or
// "Fix N problems to train". The lens set is computed by lenses.ts from the language server's
// gan/models answer and the runs; lenses appear once the server answers and follow its diagnostics.
import * as vscode from 'vscode';
import { codeLensEnabled } from './config';
import type { ServerModels } from '../serverModels';
import { commands, type ModelTarget } from './commandIds';
import { computeModelLenses, type ModelLensKind } from './lenses';
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

const REFRESH_MS = 1000;

export class ModelCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private lastFire = 0;
  private trailing: NodeJS.Timeout | undefined;

  constructor(
    private readonly manager: RunManager,
    private readonly store: RunsStore,
    private readonly models: ServerModels,
  ) {
    this.subscriptions = [
      store.onDidChange(() => this.refresh()),
      // The server re-checked a file (or came back after a restart): its error counts may differ.
      models.onDidChange(() => this.refresh()),
      // Starting and ending flip Train/Stop at once; a checkpoint (Preview samples) can wait a
      // second. Steps change no lens: Stop shows none.
      manager.onDidChange((event) => {
        if (event.kind !== 'progress') this.refresh(event.kind === 'started' || event.kind === 'done');
      }),
    ];
    // When trust is granted, editors that are already open were laid out before this provider
    // existed; one more change event once the window settles makes sure they show their lenses.
    this.trailing = setTimeout(() => {
      this.trailing = undefined;
      this.refresh(true);
    }, 750);
  }

  /** At most one change event a second (plus a trailing one): VS Code restarts its own CodeLens
   *  debounce on every event, so a steady stream of them would keep the lenses from ever updating. */
  private refresh(now = false): void {
    const wait = REFRESH_MS - (Date.now() - this.lastFire);
    if (now || wait <= 0) {
      clearTimeout(this.trailing);
      this.trailing = undefined;
      this.lastFire = Date.now();
      this.changed.fire();
    } else {
      this.trailing ??= setTimeout(() => {
        this.trailing = undefined;
        this.refresh(true);
      }, wait);
    }
  }

  async provideCodeLenses(
    document: vscode.TextDocument,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeLens[]> {
    if (!codeLensEnabled(document.uri)) return [];
    const models = await this.models.models(document, token);
    if (!models || token.isCancellationRequested) return [];
    const file = document.uri.fsPath;
    const training = new Set(
      this.manager
        .active()
        .filter((run) => run.file === file)
        .map((run) => run.model),
    );
    const fileRuns = this.store.all().filter((run) => run.info.sourceFile === file);
    const groups = computeModelLenses(models, {
      training,
      withRuns: new Set(fileRuns.map((run) => run.model)),
      withCheckpoints: new Set(fileRuns.filter((run) => run.checkpoints.length).map((run) => run.model)),
    });
    // A ▶ Train in view: fork its worker now, so the click does not wait for one to start.
    if (groups.some((group) => group.lenses.some((lens) => lens.kind === 'train')))
      this.manager.prepareWorker(document.uri);
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
    clearTimeout(this.trailing);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}

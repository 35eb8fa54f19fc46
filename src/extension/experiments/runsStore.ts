// The runs of this window, re-read when a runs folder changes on disk (FileSystemWatcher) or a
// worker reports, debounced; the Runs view, lenses and hover read from here.
import { isAbsolute, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import { readSettings } from './config';
import { type IndexedRun, indexRuns } from './runIndex';
import type { RunManager } from './runManager';
import { runsDirFor } from './settings';
import { allRunsDirs } from './workspaceRuns';

const REFRESH_DELAY_MS = 200;

export class RunsStore implements vscode.Disposable {
  private runs: IndexedRun[] = [];
  private timer: NodeJS.Timeout | undefined;
  private watchers: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(manager: RunManager) {
    this.watch();
    this.disposables.push(
      this.changed,
      manager.onDidChange((event) => {
        // Samples and progress leave run.json alone; the run's start, checkpoints and end change it.
        if (event.kind !== 'progress' && event.kind !== 'sample') this.scheduleRefresh();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!event.affectsConfiguration('gan.runsDirectory')) return;
        this.watch();
        this.scheduleRefresh();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.watch();
        this.scheduleRefresh();
      }),
    );
    this.refresh();
  }

  all(): readonly IndexedRun[] {
    return this.runs;
  }

  byId(id: string): IndexedRun | undefined {
    return this.runs.find((run) => run.id === id);
  }

  byDir(dir: string): IndexedRun | undefined {
    return this.runs.find((run) => run.dir === dir);
  }

  refresh(): void {
    this.runs = indexRuns(allRunsDirs());
    this.changed.fire();
  }

  scheduleRefresh(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), REFRESH_DELAY_MS);
  }

  private watch(): void {
    for (const watcher of this.watchers) watcher.dispose();
    this.watchers = (vscode.workspace.workspaceFolders ?? []).map((folder) => {
      const runsDir = runsDirFor(folder.uri.fsPath, readSettings(folder.uri));
      const inside = relative(folder.uri.fsPath, runsDir);
      // run.json changes on every status change; run folders appear and disappear as a whole.
      const pattern =
        inside && !inside.startsWith('..') && !isAbsolute(inside)
          ? new vscode.RelativePattern(folder, `${inside.split(sep).join('/')}/{*,*/run.json}`)
          : new vscode.RelativePattern(vscode.Uri.file(runsDir), '{*,*/run.json}');
      const watcher = vscode.workspace.createFileSystemWatcher(pattern);
      const onEvent = (): void => this.scheduleRefresh();
      return vscode.Disposable.from(
        watcher,
        watcher.onDidCreate(onEvent),
        watcher.onDidChange(onEvent),
        watcher.onDidDelete(onEvent),
      );
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const watcher of this.watchers) watcher.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}

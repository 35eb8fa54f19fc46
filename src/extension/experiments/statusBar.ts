// The status bar entry while training: model, step/total and images/s of the newest run; a click
// opens its dashboard.
import * as vscode from 'vscode';
import { commands, type RunsTarget } from './commandIds';
import { statusBarText } from './format';
import type { RunManager } from './runManager';

export function createTrainingStatusBar(manager: RunManager): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('gan.training', vscode.StatusBarAlignment.Left, 20);
  item.name = 'GAN Training';
  const update = (): void => {
    const runs = manager.active();
    const newest = runs.at(-1);
    if (!newest) {
      item.hide();
      return;
    }
    item.text = statusBarText(newest.progress, runs.length);
    item.tooltip = newest.runId ? `Open the dashboard of ${newest.runId}` : `Starting ${newest.model}…`;
    item.command = newest.runDir
      ? {
          title: 'Open Dashboard',
          command: commands.openDashboard,
          arguments: [{ runDirs: [newest.runDir] } satisfies RunsTarget],
        }
      : undefined;
    item.show();
  };
  const subscription = manager.onDidChange(update);
  return vscode.Disposable.from(item, subscription);
}

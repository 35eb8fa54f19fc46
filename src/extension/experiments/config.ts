// Reads the `gan.*` experiment settings from VS Code.
import * as vscode from 'vscode';
import { BACKEND_CHOICES, type BackendChoice, defaultSettings, type ExperimentSettings } from './settings';

export const configurationSection = 'gan';

function workspaceFolderOf(scope: vscode.Uri | undefined): string | null {
  const folder =
    (scope && vscode.workspace.getWorkspaceFolder(scope)) ?? vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.fsPath ?? null;
}

export function readSettings(scope?: vscode.Uri): ExperimentSettings {
  const config = vscode.workspace.getConfiguration(configurationSection, scope);
  const backend = config.get<string>('training.backend', defaultSettings.backend);
  return {
    runsDirectory: config.get<string>('runsDirectory', defaultSettings.runsDirectory),
    backend: (BACKEND_CHOICES as readonly string[]).includes(backend)
      ? (backend as BackendChoice)
      : defaultSettings.backend,
    nodeExecutable: config.get<string>('training.nodeExecutable', defaultSettings.nodeExecutable),
    modulePath: config.get<string>('training.modulePath', defaultSettings.modulePath),
    workspaceModulesFolder: config.get<boolean>('training.workspaceModules', false)
      ? workspaceFolderOf(scope)
      : null,
    threads: config.get<number>('training.threads', defaultSettings.threads),
    maxSteps: config.get<number>('training.maxSteps', defaultSettings.maxSteps),
    refreshIntervalMs: config.get<number>('dashboard.refreshInterval', defaultSettings.refreshIntervalMs),
  };
}

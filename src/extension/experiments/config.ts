// Reads the `gan.*` experiment settings from VS Code: once per change, not per use (lenses and
// dashboards ask every second while a run trains), and each at the scope it is declared with in
// package.json — window settings without a resource, so VS Code has nothing to warn about.
import * as vscode from 'vscode';
import { BACKEND_CHOICES, type BackendChoice, defaultSettings, type ExperimentSettings } from './settings';

export const configurationSection = 'gan';

/** Settings declared with window scope: one value per window. */
export interface WindowSettings {
  readonly refreshIntervalMs: number;
  readonly openDashboardOnTrain: boolean;
  /** ▶ Train shows its run in a dashboard ▶ Train opened whose runs have ended. */
  readonly reuseDashboardOnTrain: boolean;
}

const byScope = new Map<string, ExperimentSettings>();
const codeLensByScope = new Map<string, boolean>();
let windowSettings: WindowSettings | undefined;

/** Forgets what was read when a `gan.*` setting changes; register once at activation. */
export function watchSettings(): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (!event.affectsConfiguration(configurationSection)) return;
    byScope.clear();
    codeLensByScope.clear();
    windowSettings = undefined;
  });
}

function workspaceFolderOf(scope: vscode.Uri | undefined): string | null {
  const folder =
    (scope && vscode.workspace.getWorkspaceFolder(scope)) ?? vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.fsPath ?? null;
}

/** Resource and machine-overridable settings, as they apply to `scope` (a file or a folder). */
export function readSettings(scope?: vscode.Uri): ExperimentSettings {
  const key = scope?.toString() ?? '';
  const known = byScope.get(key);
  if (known) return known;
  const config = vscode.workspace.getConfiguration(configurationSection, scope);
  const backend = config.get<string>('training.backend', defaultSettings.backend);
  const settings: ExperimentSettings = {
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
    python: config.get<string>('python', defaultSettings.python),
    engine: config.get<string>('training.engine') === 'torch' ? 'torch' : 'tfjs',
    torchProcesses: Math.min(
      64,
      Math.max(1, Math.floor(config.get<number>('training.torchProcesses', 1) || 1)),
    ),
  };
  byScope.set(key, settings);
  return settings;
}

export function readWindowSettings(): WindowSettings {
  if (windowSettings) return windowSettings;
  const config = vscode.workspace.getConfiguration(configurationSection);
  windowSettings = {
    refreshIntervalMs: config.get<number>('dashboard.refreshInterval', 500),
    openDashboardOnTrain: config.get<boolean>('dashboard.openOnTrain', true),
    reuseDashboardOnTrain: config.get<boolean>('dashboard.reuseOnTrain', true),
  };
  return windowSettings;
}

/** `gan.codeLens.enabled` for one document (resource scope: a folder may turn lenses off). */
export function codeLensEnabled(document: vscode.Uri): boolean {
  const key = document.toString();
  let enabled = codeLensByScope.get(key);
  if (enabled === undefined) {
    enabled = vscode.workspace
      .getConfiguration(configurationSection, document)
      .get<boolean>('codeLens.enabled', true);
    codeLensByScope.set(key, enabled);
  }
  return enabled;
}

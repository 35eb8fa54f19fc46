// In-editor experiments (trusted workspaces only): Train/Stop CodeLens, the run manager and its
// status bar, the Runs view, the model hover, the dashboard and sample preview panels, and the
// GPU check. Everything heavy runs in worker processes; this only orchestrates.
import * as vscode from 'vscode';
import type { ExtensionFeature } from '../features';
import { ModelCodeLensProvider } from './codeLens';
import { registerCommands } from './commandHandlers';
import { watchSettings } from './config';
import { DashboardPanels, dashboardViewType } from './dashboardPanel';
import { LatestRunHoverProvider } from './hover';
import { PreviewPanels, previewViewType } from './previewPanel';
import { RunManager } from './runManager';
import { RunsStore } from './runsStore';
import { RunsTreeProvider, runsViewId } from './runsView';
import { SampleWorker } from './sampleWorker';
import { createTrainingStatusBar } from './statusBar';

const ganSelector: vscode.DocumentSelector = { language: 'gan' };

export const experimentsFeature: ExtensionFeature = {
  id: 'experiments',
  requiresTrust: true,
  activate({ context, log, models }) {
    const workerPath = context.asAbsolutePath('dist/worker.js');
    const manager = new RunManager(workerPath, log);
    const store = new RunsStore(manager);
    const sampler = new SampleWorker(workerPath);
    const previews = new PreviewPanels({
      extensionUri: context.extensionUri,
      manager,
      sampler,
      log,
      workspaceState: context.workspaceState,
      models,
    });
    const dashboards = new DashboardPanels({
      extensionUri: context.extensionUri,
      manager,
      store,
      workspaceState: context.workspaceState,
      log,
      models,
      openPreview: (runDir, column) => previews.open(runDir, undefined, column),
    });
    const lenses = new ModelCodeLensProvider(manager, store, models);
    const tree = new RunsTreeProvider(store, manager);
    const gpuChannel = vscode.window.createOutputChannel('GAN GPU Check');
    const disposables: vscode.Disposable[] = [
      watchSettings(),
      store,
      lenses,
      tree,
      gpuChannel,
      sampler,
      createTrainingStatusBar(manager),
      vscode.languages.registerCodeLensProvider(ganSelector, lenses),
      vscode.languages.registerHoverProvider(ganSelector, new LatestRunHoverProvider(store, models)),
      vscode.window.createTreeView(runsViewId, { treeDataProvider: tree, showCollapseAll: true }),
      vscode.window.registerWebviewPanelSerializer(dashboardViewType, dashboards),
      vscode.window.registerWebviewPanelSerializer(previewViewType, previews),
      ...registerCommands({
        manager,
        store,
        dashboards,
        previews,
        models,
        cliPath: context.asAbsolutePath('dist/cli.js'),
        gpuChannel,
        sampler,
      }),
    ];
    return {
      async dispose() {
        // Workers get a chance to checkpoint and mark their runs stopped before the host exits.
        await manager.stopAll();
        manager.dispose();
        dashboards.dispose();
        previews.dispose();
        for (const disposable of disposables) disposable.dispose();
      },
    };
  },
};

// The dashboard webview host: one panel per run (or per set of compared runs). It renders the
// dashboard bundle under a strict CSP, feeds it typed messages from the run folders (metrics.jsonl
// tailed, sample grids as webview URIs, status) at least once a second while visible, handles its
// requests, and restores panels after a reload (WebviewPanelSerializer).
import { isAbsolute, relative } from 'node:path';
import * as vscode from 'vscode';
import type { ResolvedModel } from '../../language/model';
import type { HostToWebviewMessage, RunSummary, WebviewToHostMessage } from '../../protocol/webview';
import type { RunInfo } from '../../training/runs/runInfo';
import { renderDashboardHtml } from '../../webview/html';
import type { ServerModels } from '../serverModels';
import { readWindowSettings } from './config';
import { type LiveStatus, RunFeed } from './runFeed';
import { parseDashboardMessage } from './messageValidation';
import { indexRun } from './runIndex';
import type { RunManager } from './runManager';
import type { RunsStore } from './runsStore';
import { refreshInterval } from './settings';
import { readRunModel } from './runModel';
import { runSummary } from './summaries';
import { createNonce } from './webviewNonce';

export const dashboardViewType = 'gan.dashboard';
const OPEN_DASHBOARDS_KEY = 'gan.openDashboards';

export interface DashboardDeps {
  readonly extensionUri: vscode.Uri;
  readonly manager: RunManager;
  readonly store: RunsStore;
  readonly workspaceState: vscode.Memento;
  readonly log: vscode.LogOutputChannel;
  readonly models: ServerModels;
  /** Opens the run's preview in `column` (the dashboard's own, so it does not squeeze it). */
  openPreview(runDir: string, column: vscode.ViewColumn | undefined): void;
}

class DashboardPanel {
  private feeds = new Map<string, RunFeed>();
  private timer: NodeJS.Timeout | undefined;
  private ready = false;
  /** Bumped by every init: an older one still reading its runs must not post over a newer one. */
  private generation = 0;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Folders the page may load grids from. Changing them reloads the page (seconds while a worker
   *  starts on a busy machine), so they only grow, and only when a run is outside them. */
  private roots: string[] = [];
  private rootsSet = false;
  /** Opened by ▶ Train rather than by the user: a later ▶ Train may take it over once its runs ended. */
  readonly openedByTrain: boolean;

  constructor(
    readonly panel: vscode.WebviewPanel,
    public runDirs: readonly string[],
    private readonly deps: DashboardDeps,
    onDispose: () => void,
    /** Opened by ▶ Train for a run still starting: its title, and the folder its run will be in. */
    pending?: PendingDashboard,
  ) {
    this.openedByTrain = pending !== undefined;
    this.roots = pending ? [pending.runsDir] : [];
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((message: unknown) => {
        const valid = parseDashboardMessage(message);
        if (valid) this.handle(valid);
        else this.deps.log.warn('Dashboard: ignored a malformed message from the webview');
      }),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => {
        clearInterval(this.timer);
        for (const subscription of this.subscriptions) subscription.dispose();
        onDispose();
      }),
    );
    this.show(runDirs, pending?.title);
    this.timer = setInterval(() => this.poll(), refreshInterval(readWindowSettings().refreshIntervalMs));
  }

  /** Loads the page; `attach` then points it at runs. */
  private show(runDirs: readonly string[], pendingTitle?: string): void {
    this.ready = false;
    this.attach(runDirs, pendingTitle);
    const webview = this.panel.webview;
    webview.html = renderDashboardHtml({
      scriptUri: webview
        .asWebviewUri(vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'webview', 'dashboard.js'))
        .toString(),
      nonce: createNonce(),
      cspSource: webview.cspSource,
      title: this.panel.title,
    });
  }

  /** Points the loaded page at these runs (a panel opened on Train gets its run once the worker starts). */
  attach(runDirs: readonly string[], pendingTitle?: string): void {
    this.runDirs = runDirs;
    const outside = runDirs.filter((dir) => !this.roots.some((root) => isInside(dir, root)));
    if (outside.length || !this.rootsSet) {
      this.roots.push(...outside);
      this.rootsSet = true;
      this.panel.webview.options = {
        enableScripts: true,
        localResourceRoots: [
          vscode.Uri.joinPath(this.deps.extensionUri, 'dist'),
          ...this.roots.map((dir) => vscode.Uri.file(dir)),
        ],
      };
    }
    const ids = runDirs.map((dir) => dir.split(/[\\/]/).pop() ?? dir);
    this.panel.title =
      pendingTitle ?? (ids.length === 1 ? `Dashboard: ${ids[0]}` : `Compare: ${ids.length} runs`);
    if (this.ready) void this.init();
  }

  /** Opened by ▶ Train, and none of its runs is training: like VS Code's preview editor, the next
   *  ▶ Train shows its run here instead of opening another webview. */
  reusable(): boolean {
    return (
      this.openedByTrain &&
      this.runDirs.length > 0 &&
      this.runDirs.every((dir) => !this.deps.manager.findByRunDir(dir))
    );
  }

  /** Empties the page for a run being started; `attach` gives it the run. */
  retarget(pending: PendingDashboard): void {
    // Only a new root changes the options: setting them reloads the page.
    if (!this.roots.some((root) => isInside(pending.runsDir, root))) {
      this.roots.push(pending.runsDir);
      this.rootsSet = false;
    }
    this.attach([], pending.title);
    this.panel.reveal(this.panel.viewColumn, true);
  }

  /** Reads the run folders now (a worker just reported). */
  poll(): void {
    if (!this.ready || !this.panel.visible) return;
    const toUri = (path: string): string => this.panel.webview.asWebviewUri(vscode.Uri.file(path)).toString();
    for (const feed of this.feeds.values()) {
      const live = this.liveStatus(feed.dir);
      for (const message of feed.poll(toUri, live)) this.post(message);
    }
  }

  private liveStatus(dir: string): LiveStatus | undefined {
    const progress = this.deps.manager.findByRunDir(dir)?.progress;
    return progress
      ? {
          imagesPerSec: progress.imagesPerSec,
          etaSeconds: progress.etaSeconds,
          evaluating: progress.evaluating,
        }
      : undefined;
  }

  private post(message: HostToWebviewMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private handle(message: WebviewToHostMessage): void {
    switch (message.type) {
      case 'ready':
        void this.init();
        return;
      case 'stop': {
        const run = this.dirOf(message.runId);
        const active = run ? this.deps.manager.findByRunDir(run) : undefined;
        if (active) this.deps.manager.stop(active);
        return;
      }
      case 'openPreview': {
        const run = this.dirOf(message.runId);
        if (run) this.deps.openPreview(run, this.panel.viewColumn);
        return;
      }
      case 'selectRuns':
        void this.remember(message.runIds);
        return;
    }
  }

  private dirOf(runId: string): string | undefined {
    return (
      this.runDirs.find((dir) => this.feeds.get(dir)?.runId === runId) ?? this.deps.store.byId(runId)?.dir
    );
  }

  private async init(): Promise<void> {
    const generation = ++this.generation;
    const dirs = this.runDirs;
    const loaded = await Promise.all(dirs.map((dir) => this.load(dir)));
    if (generation !== this.generation) return;
    // Attached to other runs while these loaded (before `ready`, so attach did not init): again.
    if (dirs !== this.runDirs) return this.init();
    const summaries: RunSummary[] = [];
    this.feeds = new Map();
    for (const run of loaded) {
      if (!run) continue;
      const progress = this.deps.manager.findByRunDir(run.dir)?.progress;
      summaries.push(runSummary(run.info, run.model, progress ?? undefined));
      this.feeds.set(run.dir, new RunFeed(run.info.id, run.dir));
    }
    this.post({ type: 'init', runs: summaries });
    this.ready = true;
    void this.remember(summaries.map((summary) => summary.id));
    this.poll();
  }

  private async load(
    dir: string,
  ): Promise<{ dir: string; info: RunInfo; model: ResolvedModel | null } | undefined> {
    try {
      const run = indexRun(dir);
      return { dir, info: run.info, model: await readRunModel(dir, run.model, this.deps.models) };
    } catch (error) {
      this.deps.log.warn(
        `Dashboard: cannot read ${dir}: ${error instanceof Error ? error.message : String(error)}`,
      );
      return undefined;
    }
  }

  /** Keeps the run ids of open dashboards so the serializer can restore them after a reload. */
  private async remember(runIds: readonly string[]): Promise<void> {
    const open = this.deps.workspaceState.get<string[][]>(OPEN_DASHBOARDS_KEY, []);
    const key = this.runDirs.join('\n');
    const others = open.filter((ids) => ids.join('\n') !== key && !runIds.every((id) => ids.includes(id)));
    await this.deps.workspaceState.update(OPEN_DASHBOARDS_KEY, [...others, [...runIds]].slice(-20));
  }
}

interface PendingDashboard {
  readonly title: string;
  /** The folder the run will be in, so the page may load its grids without reloading. */
  readonly runsDir: string;
}

interface SavedDashboardState {
  readonly selectedRunIds?: unknown;
  readonly focusedRunId?: unknown;
}

export class DashboardPanels implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Set<DashboardPanel>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly deps: DashboardDeps) {
    this.subscription = deps.manager.onDidChange((event) => {
      const dir = event.run.runDir;
      if (!dir) return;
      for (const panel of this.panels) if (panel.runDirs.includes(dir)) panel.poll();
    });
  }

  open(runDirs: readonly string[]): void {
    const key = runDirs.join('\n');
    for (const panel of this.panels) {
      if (panel.runDirs.join('\n') === key) {
        panel.panel.reveal();
        return;
      }
    }
    const panel = vscode.window.createWebviewPanel(
      dashboardViewType,
      'Dashboard',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true },
    );
    this.adopt(panel, runDirs);
  }

  /** Opens a dashboard at once for a run being started, so the page loads while the worker starts;
   *  `attach` gives it the run (and any variants to compare), `cancel` closes it if the run never started. */
  openPending(model: string, runsDir: string): { attach(runDirs: readonly string[]): void; cancel(): void } {
    const pending: PendingDashboard = { title: `Dashboard: ${model} (starting…)`, runsDir };
    const reused = readWindowSettings().reuseDashboardOnTrain
      ? [...this.panels].reverse().find((panel) => panel.reusable())
      : undefined;
    let host: DashboardPanel;
    let previous: readonly string[] | undefined;
    if (reused) {
      host = reused;
      previous = host.runDirs;
      host.retarget(pending);
    } else {
      const panel = vscode.window.createWebviewPanel(
        dashboardViewType,
        `Dashboard: ${model}`,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true },
      );
      host = this.adopt(panel, [], pending);
    }
    return {
      attach: (runDirs) => host.attach(runDirs),
      // A run that never started leaves no dashboard behind; a reused one shows its runs again.
      cancel: () => (previous ? host.attach(previous) : host.panel.dispose()),
    };
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const saved = (typeof state === 'object' && state !== null ? state : {}) as SavedDashboardState;
    const ids = new Set<string>();
    if (typeof saved.focusedRunId === 'string') ids.add(saved.focusedRunId);
    if (Array.isArray(saved.selectedRunIds))
      for (const id of saved.selectedRunIds) if (typeof id === 'string') ids.add(id);
    this.deps.store.refresh();
    let dirs = [...ids].flatMap((id) => this.deps.store.byId(id)?.dir ?? []);
    if (dirs.length === 0) {
      // The page never saved a selection: fall back to the newest remembered dashboard.
      const open = this.deps.workspaceState.get<string[][]>(OPEN_DASHBOARDS_KEY, []);
      const last = open.at(-1) ?? [];
      dirs = last.flatMap((id) => this.deps.store.byId(id)?.dir ?? []);
    }
    this.adopt(panel, dirs);
  }

  private adopt(
    panel: vscode.WebviewPanel,
    runDirs: readonly string[],
    pending?: PendingDashboard,
  ): DashboardPanel {
    const host: DashboardPanel = new DashboardPanel(
      panel,
      runDirs,
      this.deps,
      () => this.panels.delete(host),
      pending,
    );
    this.panels.add(host);
    return host;
  }

  dispose(): void {
    this.subscription.dispose();
    for (const panel of [...this.panels]) panel.panel.dispose();
  }
}

function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

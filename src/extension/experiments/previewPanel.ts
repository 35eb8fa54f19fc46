// The sample preview panel, beside the .gan file: renders grids from any checkpoint of a run in a
// sample-only worker (fresh grid from a seed, slerp interpolation, cgan class rows, vae
// reconstructions and latent walk, cyclegan translations) and saves them as PNG on request.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type {
  HostToPreviewMessage,
  PreviewToHostMessage,
  RenderSamplesMessage,
} from '../../protocol/webview';
import { listCheckpoints } from '../../training/runs/checkpoints';
import { renderPreviewHtml } from '../../webview/html';
import type { ServerModels } from '../serverModels';
import { parsePreviewMessage } from './messageValidation';
import { previewImagePath } from './previewFiles';
import { readRunModel } from './runModel';
import { indexRun } from './runIndex';
import type { RunManager } from './runManager';
import type { SampleWorker } from './sampleWorker';
import { previewRun } from './summaries';
import { createNonce } from './webviewNonce';

export const previewViewType = 'gan.preview';
export const previewOutputDir = join(tmpdir(), 'gan-studio-previews');

export interface PreviewDeps {
  readonly extensionUri: vscode.Uri;
  readonly manager: RunManager;
  readonly sampler: SampleWorker;
  readonly log: vscode.LogOutputChannel;
  readonly workspaceState: vscode.Memento;
  readonly models: ServerModels;
}

const OPEN_PREVIEWS_KEY = 'gan.openPreviews';

interface Rendered {
  readonly path: string;
  readonly checkpoint: number;
  readonly mode: string;
}

class PreviewPanel {
  private readonly rendered = new Map<number, Rendered>();
  /** Renders in progress, by request: aborting one cancels it in the worker. */
  private readonly rendering = new Map<number, AbortController>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    readonly panel: vscode.WebviewPanel,
    readonly runDir: string,
    private readonly deps: PreviewDeps,
    onDispose: () => void,
  ) {
    mkdirSync(previewOutputDir, { recursive: true });
    const webview = panel.webview;
    webview.options = {
      enableScripts: true,
      localResourceRoots: [
        vscode.Uri.joinPath(deps.extensionUri, 'dist'),
        vscode.Uri.file(previewOutputDir),
        vscode.Uri.file(runDir),
      ],
    };
    const runId = runDir.split(/[\\/]/).pop() ?? runDir;
    panel.title = `Samples: ${runId}`;
    webview.html = renderPreviewHtml({
      scriptUri: webview
        .asWebviewUri(vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webview', 'preview.js'))
        .toString(),
      nonce: createNonce(),
      cspSource: webview.cspSource,
      title: panel.title,
    });
    this.subscriptions.push(
      webview.onDidReceiveMessage((message: unknown) => {
        const valid = parsePreviewMessage(message);
        if (valid) void this.handle(valid);
        else deps.log.warn(`Preview of ${runDir}: ignored a malformed message from the webview`);
      }),
      deps.manager.onDidChange((event) => {
        if (event.kind === 'checkpoint' && event.run.runDir === runDir) this.sendCheckpoints();
      }),
      panel.onDidDispose(() => {
        for (const subscription of this.subscriptions) subscription.dispose();
        onDispose();
      }),
    );
  }

  private post(message: HostToPreviewMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private sendCheckpoints(): void {
    const runId = this.runDir.split(/[\\/]/).pop() ?? this.runDir;
    this.post({ type: 'checkpoints', runId, checkpoints: listCheckpoints(this.runDir) });
  }

  private async handle(message: PreviewToHostMessage): Promise<void> {
    switch (message.type) {
      case 'ready': {
        const run = indexRun(this.runDir);
        // Without model.gan the preview falls back to the run's defaults.
        const model = await readRunModel(this.runDir, run.model, this.deps.models);
        this.post({ type: 'previewInit', run: previewRun(run.info, model, run.checkpoints) });
        return;
      }
      case 'renderSamples':
        await this.render(message);
        return;
      case 'saveSample':
        await this.save(message.requestId);
        return;
      case 'cancelSample':
        this.rendering.get(message.requestId)?.abort();
        return;
    }
  }

  private async render(message: RenderSamplesMessage): Promise<void> {
    // Named after this panel's own run, never after the message's runId.
    const out = previewImagePath(previewOutputDir, this.runDir, message.requestId, Date.now());
    const abort = new AbortController();
    this.rendering.set(message.requestId, abort);
    try {
      const answer = await this.deps.sampler.sample(
        {
          runDir: this.runDir,
          ...(message.checkpoint !== null ? { checkpoint: message.checkpoint } : {}),
          request: message.request,
          out,
        },
        {
          signal: abort.signal,
          onProgress: (done, total) =>
            this.post({ type: 'sampleProgress', requestId: message.requestId, done, total }),
        },
      );
      this.rendered.set(message.requestId, {
        path: answer.path,
        checkpoint: answer.step,
        mode: message.request.mode ?? 'grid',
      });
      this.post({
        type: 'sampleImage',
        requestId: message.requestId,
        uri: this.panel.webview.asWebviewUri(vscode.Uri.file(answer.path)).toString(),
        checkpoint: answer.step,
      });
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      this.deps.log.warn(`Preview of ${this.runDir}: ${text}`);
      this.post({ type: 'sampleError', requestId: message.requestId, message: text });
    } finally {
      this.rendering.delete(message.requestId);
    }
  }

  private async save(requestId: number): Promise<void> {
    const rendered = this.rendered.get(requestId);
    if (!rendered) return;
    const runId = this.runDir.split(/[\\/]/).pop() ?? 'samples';
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(dirname(this.runDir));
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(folder, `${runId}-${rendered.mode}-step-${rendered.checkpoint}.png`),
      filters: { 'PNG image': ['png'] },
      saveLabel: 'Save samples',
    });
    if (!target) return;
    copyFileSync(rendered.path, target.fsPath);
    void vscode.window.showInformationMessage(`Saved ${vscode.workspace.asRelativePath(target)}.`);
  }
}

export class PreviewPanels implements vscode.WebviewPanelSerializer, vscode.Disposable {
  private readonly panels = new Map<string, PreviewPanel>();
  private disposing = false;

  constructor(private readonly deps: PreviewDeps) {}

  /** Opens beside `besideOf` (an editor's column), or in `inColumn` (a dashboard's, as a tab there). */
  open(runDir: string, besideOf?: vscode.ViewColumn, inColumn?: vscode.ViewColumn): void {
    const existing = this.panels.get(runDir);
    if (existing) {
      existing.panel.reveal(inColumn);
      return;
    }
    const column = inColumn ?? (besideOf !== undefined ? besideOf + 1 : vscode.ViewColumn.Beside);
    const panel = vscode.window.createWebviewPanel(previewViewType, 'Samples', column, {
      enableScripts: true,
    });
    this.adopt(panel, runDir);
  }

  /** The page's own state does not name its run, so the host remembers which runs were open. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
    const remembered = this.deps.workspaceState.get<string[]>(OPEN_PREVIEWS_KEY, []);
    const runDir = remembered.find((dir) => !this.panels.has(dir) && existsSync(dir));
    if (runDir) this.adopt(panel, runDir);
    else panel.dispose();
  }

  private adopt(panel: vscode.WebviewPanel, runDir: string): void {
    const host = new PreviewPanel(panel, runDir, this.deps, () => {
      this.panels.delete(runDir);
      if (!this.disposing) void this.remember();
    });
    this.panels.set(runDir, host);
    void this.remember();
  }

  private async remember(): Promise<void> {
    await this.deps.workspaceState.update(OPEN_PREVIEWS_KEY, [...this.panels.keys()]);
  }

  dispose(): void {
    // Window closing: keep the list so the panels come back after a reload.
    this.disposing = true;
    for (const panel of [...this.panels.values()]) panel.panel.dispose();
  }
}

// One sample-only worker per window, started on the first preview request and closed after a
// while without requests; the training workers keep training undisturbed.
import * as vscode from 'vscode';
import type { SampleRequestMessage, UpscaleRequestMessage } from '../../protocol/training';
import {
  type SampleAnswer,
  type SampleOptions,
  startWorker,
  type WorkerHandle,
} from '../../training/runs/client';
import { readSettings } from './config';
import { workerEnv } from './settings';

const IDLE_CLOSE_MS = 120_000;

export class SampleWorker implements vscode.Disposable {
  private worker: WorkerHandle | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private pending = 0;

  constructor(private readonly workerPath: string) {}

  sample(request: Omit<SampleRequestMessage, 'type' | 'id'>, options?: SampleOptions): Promise<SampleAnswer> {
    return this.use((worker) => worker.sample(request, options));
  }

  /** Super-resolves an image file with an srgan run (in the worker, never on this thread). */
  upscale(request: Omit<UpscaleRequestMessage, 'type' | 'id'>): Promise<SampleAnswer> {
    return this.use((worker) => worker.upscale(request));
  }

  private async use(ask: (worker: WorkerHandle) => Promise<SampleAnswer>): Promise<SampleAnswer> {
    const worker = this.ensure();
    this.pending++;
    clearTimeout(this.idleTimer);
    try {
      return await ask(worker);
    } finally {
      this.pending--;
      if (this.pending === 0) this.idleTimer = setTimeout(() => this.close(), IDLE_CLOSE_MS);
    }
  }

  private ensure(): WorkerHandle {
    if (this.worker?.process.connected) return this.worker;
    const settings = readSettings(vscode.workspace.workspaceFolders?.[0]?.uri);
    const worker = startWorker({
      workerPath: this.workerPath,
      env: workerEnv(settings, process.env),
      ...(settings.nodeExecutable.trim() ? { execPath: settings.nodeExecutable.trim() } : {}),
    });
    void worker.done.then(() => {
      if (this.worker === worker) this.worker = undefined;
    });
    this.worker = worker;
    return worker;
  }

  private close(): void {
    this.worker?.close();
    this.worker = undefined;
  }

  dispose(): void {
    clearTimeout(this.idleTimer);
    this.close();
  }
}

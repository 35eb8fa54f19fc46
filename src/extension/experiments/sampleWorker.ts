// One sample-only worker per window, started on the first preview request and closed after a
// while without requests; the training workers keep training undisturbed.
import * as vscode from 'vscode';
import type { SampleRequestMessage } from '../../protocol/training';
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

  async sample(
    request: Omit<SampleRequestMessage, 'type' | 'id'>,
    options?: SampleOptions,
  ): Promise<SampleAnswer> {
    const worker = this.ensure();
    this.pending++;
    clearTimeout(this.idleTimer);
    try {
      return await worker.sample(request, options);
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

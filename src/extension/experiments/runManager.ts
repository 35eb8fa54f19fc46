// Starts and stops training workers (never on the extension host's thread), keeps their live
// progress, and tells the rest of the feature (lenses, status bar, dashboards, Runs view) about it.
import { appendFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { readWindowSettings } from './config';
import type { BackendName } from '../../language/model';
import type { FailedMessage, FinishedMessage, ProgressMessage } from '../../protocol/training';
import { startWorker, type WorkerHandle } from '../../training/runs/client';
import { readSettings } from './config';
import { type LiveProgress, progressNotificationText } from './format';
import { pythonExtensionInterpreter } from './pythonEnvironment';
import {
  type ExperimentSettings,
  mayUseTorch,
  requestedBackend,
  requestedThreads,
  workerEnv,
} from './settings';
import { SpareWorker, type WorkerLaunch } from './spareWorker';

export const WORKER_LOG = 'worker.log';
/** Training takes every core it can get; below normal priority it leaves the editor, the
 *  dashboard and the browser responsive (on 2 cores the dashboard's page otherwise took seconds
 *  to load beside a starting run) and loses nothing when they are idle. */
const WORKER_NICENESS = 10;
const SPARE_QUIET_MS = 5000;

function launchOf(settings: ExperimentSettings): WorkerLaunch {
  const execPath = settings.nodeExecutable.trim();
  return { env: workerEnv(settings, process.env), ...(execPath ? { execPath } : {}) };
}

export interface ActiveRun {
  /** The .gan file and model being trained (for a resumed run: the run's). */
  readonly file: string;
  model: string;
  readonly handle: WorkerHandle;
  readonly startedAt: number;
  runDir?: string;
  runId?: string;
  progress: LiveProgress | null;
}

export interface TrainRequest {
  readonly file: string;
  readonly text: string;
  readonly model: string;
  readonly runsDir: string;
  /** Continue this run folder from its last checkpoint. */
  readonly resume?: string;
}

export interface RunEvent {
  readonly run: ActiveRun;
  readonly kind: 'started' | 'progress' | 'sample' | 'checkpoint' | 'done';
}

export class RunManager implements vscode.Disposable {
  private readonly runs = new Set<ActiveRun>();
  private readonly changed = new vscode.EventEmitter<RunEvent>();
  /** Fires on every worker event (progress at least every ~250 ms while training). */
  readonly onDidChange = this.changed.event;

  private readonly spare = new SpareWorker((launch) => this.fork(launch));
  private lastStart = 0;

  constructor(
    private readonly workerPath: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Forks a worker ahead of time for training `file` (its ▶ Train lens is showing), unless a
   *  run started in the last 5 s: its start-up needs the CPU more. */
  prepareWorker(file: vscode.Uri): void {
    if (Date.now() - this.lastStart < SPARE_QUIET_MS) return;
    this.spare.prepare(launchOf(readSettings(file)));
  }

  private fork(launch: WorkerLaunch): WorkerHandle {
    const handle = startWorker({ workerPath: this.workerPath, ...launch });
    if (handle.process.pid !== undefined) {
      try {
        setPriority(handle.process.pid, WORKER_NICENESS);
      } catch {
        // Not permitted (some containers): the run trains at normal priority.
      }
    }
    return handle;
  }

  active(): ActiveRun[] {
    return [...this.runs];
  }

  find(file: string, model: string): ActiveRun | undefined {
    return this.active().find((run) => run.file === file && run.model === model);
  }

  findByRunDir(runDir: string): ActiveRun | undefined {
    return this.active().find((run) => run.runDir === runDir);
  }

  start(request: TrainRequest): ActiveRun {
    const existing = request.resume
      ? this.findByRunDir(request.resume)
      : this.find(request.file, request.model);
    if (existing) return existing;
    const settings = readSettings(vscode.Uri.file(request.file));
    const backend: BackendName | undefined = requestedBackend(settings);
    const threads = requestedThreads(settings);
    const launch = launchOf(settings);
    const handle = this.spare.take(launch) ?? this.fork(launch);
    const start = (environment: string | null): void =>
      handle.train({
        file: request.file,
        text: request.text,
        model: request.model,
        options: {
          runsDir: request.runsDir,
          ...(settings.maxSteps > 0 ? { steps: settings.maxSteps } : {}),
          ...(backend ? { backend } : {}),
          ...(threads ? { threads } : {}),
          ...(request.resume ? { resume: request.resume } : {}),
          preferredEngine: settings.engine,
          ...(settings.torchProcesses > 1 && !request.resume ? { processes: settings.torchProcesses } : {}),
          python: { setting: settings.python.trim() || null, environment },
        },
      });
    // Asking the Python extension can take a moment: only a start that may train in PyTorch waits for it.
    if (!request.resume && !settings.python.trim() && mayUseTorch(settings, request.text))
      void pythonExtensionInterpreter(vscode.Uri.file(request.file)).then(start, () => start(null));
    else start(null);
    this.lastStart = Date.now();
    const run: ActiveRun = {
      file: request.file,
      model: request.model,
      handle,
      startedAt: Date.now(),
      progress: null,
    };
    this.runs.add(run);
    this.track(run);
    // Progress shows in two places: the status bar and the dashboard's header (the Stop lens shows
    // no step). A notification would cover the dashboard's sample slider for the whole run; without
    // a dashboard it takes the dashboard's place.
    if (!readWindowSettings().openDashboardOnTrain) void this.showNotification(run);
    this.changed.fire({ run, kind: 'started' });
    return run;
  }

  /** Asks a run to finish its step, checkpoint and stop. */
  stop(run: ActiveRun): void {
    run.handle.stop();
  }

  private track(run: ActiveRun): void {
    const pendingLog: string[] = [];
    const writeLog = (text: string): void => {
      if (!run.runDir) {
        pendingLog.push(text);
        return;
      }
      try {
        appendFileSync(join(run.runDir, WORKER_LOG), text);
      } catch {
        // The run folder was deleted while training; the output channel still has the text.
      }
    };
    run.handle.on('log', (text) => {
      this.log.trace(`[${run.runId ?? run.model}] ${text.trimEnd()}`);
      writeLog(text);
    });
    run.handle.on('started', (message) => {
      run.runDir = message.runDir;
      run.runId = message.runId;
      run.model = message.model;
      run.progress = {
        model: message.model,
        step: message.step,
        totalSteps: message.totalSteps,
        imagesPerSec: 0,
        etaSeconds: null,
      };
      writeLog(pendingLog.splice(0).join(''));
      this.log.info(`Training ${message.model} in ${message.runDir} on ${message.backend.device}.`);
      this.changed.fire({ run, kind: 'started' });
    });
    run.handle.on('progress', (message: ProgressMessage) => {
      run.progress = {
        model: run.model,
        step: message.step,
        totalSteps: message.totalSteps,
        imagesPerSec: message.imagesPerSec,
        etaSeconds: message.etaSeconds,
        evaluating: message.evaluating === true,
      };
      this.changed.fire({ run, kind: 'progress' });
    });
    run.handle.on('sample', () => this.changed.fire({ run, kind: 'sample' }));
    run.handle.on('checkpoint', () => this.changed.fire({ run, kind: 'checkpoint' }));
    run.handle.on('done', (outcome) => {
      this.runs.delete(run);
      if (outcome.runDir) run.runDir = outcome.runDir;
      this.report(run, outcome);
      this.changed.fire({ run, kind: 'done' });
    });
  }

  private async showNotification(run: ActiveRun): Promise<void> {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Training ${run.model}`, cancellable: true },
      (progress, token) =>
        new Promise<void>((resolve) => {
          token.onCancellationRequested(() => this.stop(run));
          let reported = 0;
          const listener = this.onDidChange((event) => {
            if (event.run !== run) return;
            if (event.kind === 'done') {
              listener.dispose();
              resolve();
              return;
            }
            const live = run.progress;
            if (!live || live.totalSteps <= 0) return;
            const percent = (100 * live.step) / live.totalSteps;
            progress.report({ message: progressNotificationText(live), increment: percent - reported });
            reported = percent;
          });
        }),
    );
  }

  private report(run: ActiveRun, outcome: FinishedMessage | FailedMessage): void {
    if (outcome.type === 'finished') {
      this.log.info(`${run.model}: ${outcome.status} at step ${outcome.step} (${outcome.runDir}).`);
      if (outcome.status === 'completed')
        void vscode.window.showInformationMessage(`Training ${run.model} completed (${outcome.step} steps).`);
      return;
    }
    this.log.error(`${run.model} failed: ${outcome.message}${outcome.log ? `\n${outcome.log}` : ''}`);
    const actions = run.runDir ? ['Show Log', 'Open Run Folder'] : ['Show Log'];
    void vscode.window
      .showErrorMessage(`Training ${run.model} failed: ${outcome.message}`, ...actions)
      .then((choice) => {
        if (choice === 'Show Log' && run.runDir)
          void vscode.window.showTextDocument(vscode.Uri.file(join(run.runDir, WORKER_LOG)));
        else if (choice === 'Show Log') this.log.show(true);
        else if (choice === 'Open Run Folder' && run.runDir)
          void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(run.runDir));
      });
  }

  dispose(): void {
    this.spare.dispose();
    for (const run of this.runs) run.handle.stop();
    this.changed.dispose();
  }

  /** Stops every run and waits (a little) for the workers to checkpoint and exit. */
  async stopAll(timeoutMs = 5000): Promise<void> {
    const runs = this.active();
    for (const run of runs) run.handle.stop();
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs));
    await Promise.race([Promise.all(runs.map((run) => run.handle.done)), timeout]);
    for (const run of this.runs) run.handle.kill();
  }
}

// The parent side of a training worker (dist/worker.js), shared by the CLI and the extension:
// forks it, types its messages, and turns a worker that dies without a word into a failed run.
import { type ChildProcess, fork } from 'node:child_process';
import { delimiter, join } from 'node:path';
import {
  type CancelSampleMessage,
  type CheckpointWrittenMessage,
  type FailedMessage,
  type FinishedMessage,
  isWorkerToParentMessage,
  type ProgressMessage,
  type SampleRequestMessage,
  type UpscaleRequestMessage,
  type SampleWrittenMessage,
  type StartedMessage,
  type StartMessage,
  type WorkerToParentMessage,
} from '../../protocol/training';
import { readRunInfo } from './reader';
import { markRunFailed } from './writer';

export interface WorkerEvents {
  started: (message: StartedMessage) => void;
  progress: (message: ProgressMessage) => void;
  sample: (message: SampleWrittenMessage) => void;
  checkpoint: (message: CheckpointWrittenMessage) => void;
  /** Once, after the worker process has exited: the run's outcome. */
  done: (outcome: FinishedMessage | FailedMessage) => void;
  /** The worker's stdout/stderr (TensorFlow.js notices, stack traces). */
  log: (text: string) => void;
}

export interface StartWorkerOptions {
  /** Train this model; omit for a worker that only answers sample requests. */
  readonly start?: Omit<StartMessage, 'type'>;
  /** Default: worker.js beside the running bundle (dist/). */
  readonly workerPath?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** The Node.js executable for the worker (a user setting); default: this process's. */
  readonly execPath?: string;
}

export interface SampleOptions {
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

export interface SampleAnswer {
  readonly path: string;
  readonly step: number;
}

export interface WorkerHandle {
  readonly process: ChildProcess;
  on<K extends keyof WorkerEvents>(event: K, listener: WorkerEvents[K]): void;
  /** Finish the current step, checkpoint, mark the run stopped. */
  stop(): void;
  /** Ends the worker at once (the run is then marked failed). */
  kill(signal?: NodeJS.Signals): void;
  /** Renders a grid from one of a run's checkpoints into a PNG; slow renders (pixelcnn) report
   *  progress, and aborting `signal` cancels them. */
  sample(request: Omit<SampleRequestMessage, 'type' | 'id'>, options?: SampleOptions): Promise<SampleAnswer>;
  /** Super-resolves an image file with an srgan run's generator into a PNG. */
  upscale(request: Omit<UpscaleRequestMessage, 'type' | 'id'>): Promise<SampleAnswer>;
  /** Starts training in a worker forked without `start` (a spare one, forked ahead of time). */
  train(start: Omit<StartMessage, 'type'>): void;
  /** Lets an idle (sample-only) worker exit. */
  close(): void;
  /** Resolves after the process has exited, with the run's outcome. */
  readonly done: Promise<FinishedMessage | FailedMessage>;
}

const LOG_TAIL = 8000;
const EXIT_GRACE_MS = 300;

/** A worker environment that also finds optional packages in `dirs`: on NODE_PATH (plain
 *  `require`) and in GAN_MODULE_PATHS (the backend's own lookup). */
export function withModulePaths(base: NodeJS.ProcessEnv, dirs: readonly string[]): NodeJS.ProcessEnv {
  if (!dirs.length) return base;
  const prepend = (existing: string | undefined): string =>
    [...dirs, ...(existing ? [existing] : [])].join(delimiter);
  return { ...base, NODE_PATH: prepend(base.NODE_PATH), GAN_MODULE_PATHS: prepend(base.GAN_MODULE_PATHS) };
}

export function defaultWorkerPath(): string {
  return join(__dirname, 'worker.js');
}

type Listeners = { [K in keyof WorkerEvents]: WorkerEvents[K][] };

function recordedStep(runDir: string): number | undefined {
  try {
    return readRunInfo(runDir).step;
  } catch {
    return undefined;
  }
}

export function startWorker(options: StartWorkerOptions): WorkerHandle {
  const child = fork(options.workerPath ?? defaultWorkerPath(), [], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: options.env ?? process.env,
    ...(options.execPath ? { execPath: options.execPath } : {}),
  });
  const listeners: Listeners = { started: [], progress: [], sample: [], checkpoint: [], done: [], log: [] };
  const pendingSamples = new Map<
    number,
    {
      resolve: (a: SampleAnswer) => void;
      reject: (e: Error) => void;
      onProgress?: (done: number, total: number) => void;
    }
  >();
  let nextSampleId = 1;
  let logTail = '';
  let runDir: string | undefined;
  let outcome: FinishedMessage | FailedMessage | undefined;
  let lastStep: number | undefined;
  let training = options.start !== undefined;

  const emit = <K extends keyof WorkerEvents>(event: K, ...args: Parameters<WorkerEvents[K]>): void => {
    for (const listener of listeners[event])
      (listener as (...a: Parameters<WorkerEvents[K]>) => void)(...args);
  };
  const onOutput = (chunk: Buffer): void => {
    const text = chunk.toString();
    logTail = (logTail + text).slice(-LOG_TAIL);
    emit('log', text);
  };
  child.stdout?.on('data', onOutput);
  child.stderr?.on('data', onOutput);

  child.on('message', (raw: unknown) => {
    if (!isWorkerToParentMessage(raw)) return;
    const message: WorkerToParentMessage = raw;
    switch (message.type) {
      case 'started':
        runDir = message.runDir;
        lastStep = message.step;
        emit('started', message);
        break;
      case 'progress':
        lastStep = message.step;
        emit('progress', message);
        break;
      case 'sample':
        emit('sample', message);
        break;
      case 'checkpoint':
        emit('checkpoint', message);
        break;
      case 'finished':
      case 'failed':
        outcome = message;
        break;
      case 'sampleProgress':
        pendingSamples.get(message.id)?.onProgress?.(message.done, message.total);
        break;
      case 'sampleResult': {
        const pending = pendingSamples.get(message.id);
        pendingSamples.delete(message.id);
        if (!pending) break;
        if (message.path !== undefined && message.step !== undefined)
          pending.resolve({ path: message.path, step: message.step });
        else pending.reject(new Error(message.error ?? 'the worker could not render the samples'));
        break;
      }
    }
  });

  const done = new Promise<FinishedMessage | FailedMessage>((resolve) => {
    let settled = false;
    const settle = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      let result = outcome;
      if (!result) {
        const lastLine = logTail.trimEnd().split('\n').pop()?.trim();
        const reason = signal
          ? `worker killed by ${signal}`
          : code
            ? `worker exited with code ${code}${lastLine ? `: ${lastLine}` : ''}`
            : training
              ? 'worker exited without finishing'
              : 'worker closed';
        if (runDir) markRunFailed(runDir, reason);
        // run.json is the one record of the step: progress messages may lag it by a step.
        const step = runDir ? (recordedStep(runDir) ?? lastStep) : lastStep;
        result = { type: 'failed', message: reason, step, log: logTail, runDir };
      }
      const why = result.type === 'failed' ? result.message : 'the worker exited';
      for (const pending of pendingSamples.values()) pending.reject(new Error(`sampling failed: ${why}`));
      pendingSamples.clear();
      emit('done', result);
      resolve(result);
    };
    // 'close' comes after every message and all output have arrived, but Node skips it when the
    // parent disconnected first; so 'exit' settles too, after a grace period for late messages.
    child.once('close', settle);
    child.once('exit', (code, signal) => setTimeout(() => settle(code, signal), EXIT_GRACE_MS));
    child.once('error', (error) => {
      outcome ??= { type: 'failed', message: `could not start the worker: ${error.message}` };
    });
  });

  const train = (start: Omit<StartMessage, 'type'>): void => {
    training = true;
    try {
      child.send({ type: 'start', ...start } satisfies StartMessage);
    } catch (error) {
      // A spare worker that died a moment ago: the run fails with why, as if the fork had.
      outcome ??= {
        type: 'failed',
        message: `could not start the worker: ${error instanceof Error ? error.message : String(error)}`,
      };
      child.kill();
    }
  };
  if (options.start) train(options.start);

  /** Sends a request the worker answers with `sampleResult`. */
  const ask = (
    message: (id: number) => SampleRequestMessage | UpscaleRequestMessage,
    sampleOptions: SampleOptions = {},
  ): Promise<SampleAnswer> => {
    const id = nextSampleId++;
    return new Promise<SampleAnswer>((resolve, reject) => {
      if (!child.connected) return reject(new Error('the worker has exited'));
      pendingSamples.set(id, { resolve, reject, onProgress: sampleOptions.onProgress });
      child.send(message(id));
      sampleOptions.signal?.addEventListener('abort', () => {
        if (child.connected) child.send({ type: 'cancelSample', id } satisfies CancelSampleMessage);
      });
    });
  };

  return {
    process: child,
    on(event, listener) {
      listeners[event].push(listener);
    },
    stop() {
      if (child.connected) child.send({ type: 'stop' });
    },
    kill(signal = 'SIGKILL') {
      child.kill(signal);
    },
    sample(request, sampleOptions = {}) {
      return ask((id) => ({ type: 'sample', id, ...request }) satisfies SampleRequestMessage, sampleOptions);
    },
    upscale(request) {
      return ask((id) => ({ type: 'upscale', id, ...request }) satisfies UpscaleRequestMessage);
    },
    train,
    close() {
      if (child.connected) child.disconnect();
    },
    done,
  };
}

// One training worker forked ahead of time, so that ▶ Train does not wait for a Node process to
// start and load TensorFlow.js: 0.7–1.4 s of the 3–5 s from the click to the first sample grid
// on 2 busy cores. It waits, idle, for one `start`; a launch with other settings (Node
// executable, module paths) gets a fresh worker instead. No vscode import: the manager decides
// when to prepare one (not while a run is starting, whose CPU it would take).
import type { WorkerHandle } from '../../training/runs/client';

export interface WorkerLaunch {
  readonly env: NodeJS.ProcessEnv;
  readonly execPath?: string;
}

/** Closed after this long unused: an idle worker holds ~80 MB (measured: 81 MB RSS). */
export const SPARE_IDLE_MS = 15 * 60_000;

function keyOf(launch: WorkerLaunch): string {
  return JSON.stringify([launch.execPath ?? '', Object.entries(launch.env).sort()]);
}

export class SpareWorker {
  private spare: { readonly handle: WorkerHandle; readonly key: string } | undefined;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly fork: (launch: WorkerLaunch) => WorkerHandle,
    private readonly idleMs = SPARE_IDLE_MS,
  ) {}

  /** Forks a spare for `launch` unless one is waiting for it (one for other settings is closed). */
  prepare(launch: WorkerLaunch): void {
    const key = keyOf(launch);
    if (this.spare && this.spare.key === key && this.alive(this.spare.handle)) return;
    this.close();
    const handle = this.fork(launch);
    this.spare = { handle, key };
    void handle.done.then(() => {
      if (this.spare?.handle === handle) this.spare = undefined;
    });
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.close(), this.idleMs);
    this.idleTimer.unref?.();
  }

  /** The waiting spare, if it was forked for `launch` and is still alive; it is no longer spare. */
  take(launch: WorkerLaunch): WorkerHandle | undefined {
    const spare = this.spare;
    if (!spare || spare.key !== keyOf(launch) || !this.alive(spare.handle)) return undefined;
    this.spare = undefined;
    clearTimeout(this.idleTimer);
    return spare.handle;
  }

  private alive(handle: WorkerHandle): boolean {
    return handle.process.connected && handle.process.exitCode === null;
  }

  close(): void {
    clearTimeout(this.idleTimer);
    this.spare?.handle.close();
    this.spare = undefined;
  }

  dispose(): void {
    this.close();
  }
}

// One writer per run folder: `<run>/.lock`, created with O_EXCL, holds the owner's pid, host and
// process start time. Every process that trains a run (CLI or editor, any window) takes it before
// touching the folder and removes it on the way out. A lock left by a killed process is stale when
// its pid is gone or now belongs to a process started at another time (pid reuse), on this host.
import { closeSync, fsyncSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive, processStartTime } from './process';

export const LOCK_FILE = '.lock';

/** A lock file younger than this that cannot be read is being written, not abandoned. */
const UNREADABLE_GRACE_MS = 10_000;

export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /** Kernel start time of the process (Linux /proc/PID/stat), to tell a reused pid apart. */
  readonly startTime: string | null;
  readonly acquiredAt: string;
  /** Tells two acquisitions apart even by one process within one millisecond: release compares it. */
  readonly token: string;
}

export type LockState =
  | { readonly kind: 'free' }
  | { readonly kind: 'held'; readonly owner: LockOwner | null; readonly why: string }
  | { readonly kind: 'stale'; readonly owner: LockOwner | null; readonly why: string };

export class RunLockedError extends Error {}

export interface RunLock {
  readonly path: string;
  /** What was broken to take the lock (`--force` or a stale lock), for the run's log. */
  readonly tookOver: string | null;
  release(): void;
}

function currentOwner(): LockOwner {
  return {
    pid: process.pid,
    host: hostname(),
    startTime: processStartTime(process.pid),
    acquiredAt: new Date().toISOString(),
    token: randomUUID(),
  };
}

function parseOwner(text: string): LockOwner | null {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string') return null;
    return {
      pid: value.pid,
      host: value.host,
      startTime: typeof value.startTime === 'string' ? value.startTime : null,
      acquiredAt: typeof value.acquiredAt === 'string' ? value.acquiredAt : '?',
      token: typeof value.token === 'string' ? value.token : '',
    };
  } catch {
    return null;
  }
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function judge(path: string, text: string): LockState {
  const owner = parseOwner(text);
  if (!owner) {
    let age = Infinity;
    try {
      age = Date.now() - statSync(path).mtimeMs;
    } catch {
      // gone meanwhile: treat as stale, the next O_EXCL create decides
    }
    return age < UNREADABLE_GRACE_MS
      ? { kind: 'held', owner, why: 'its lock file is being written' }
      : { kind: 'stale', owner, why: 'its lock file is unreadable' };
  }
  const who = `pid ${owner.pid} on ${owner.host}, since ${owner.acquiredAt}`;
  if (owner.host !== hostname()) return { kind: 'held', owner, why: `it is locked by ${who}` };
  if (!isProcessAlive(owner.pid))
    return { kind: 'stale', owner, why: `its process (pid ${owner.pid}) is gone` };
  const started = processStartTime(owner.pid);
  if (owner.startTime !== null && started !== null && started !== owner.startTime)
    return { kind: 'stale', owner, why: `pid ${owner.pid} now belongs to another process` };
  return { kind: 'held', owner, why: `it is being trained by ${who}` };
}

/** Who holds a run folder's lock, without taking it. */
export function lockState(runDir: string): LockState {
  const path = join(runDir, LOCK_FILE);
  const text = readText(path);
  return text === null ? { kind: 'free' } : judge(path, text);
}

function createExclusive(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return true;
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** Removes the lock only if it still holds `seen`: two processes that both judged the same lock
 *  stale must not remove the fresh lock the first of them then created. A short-lived `.break`
 *  file makes the check-and-remove exclusive. */
function breakLock(path: string, seen: string): void {
  const breaker = `${path}.break`;
  if (!createExclusive(breaker, String(process.pid))) {
    let age: number;
    try {
      age = Date.now() - statSync(breaker).mtimeMs;
    } catch {
      return; // released meanwhile: retry from the start
    }
    if (age < UNREADABLE_GRACE_MS) throw new RunLockedError('another process is taking over its lock');
    unlinkQuietly(breaker);
    return;
  }
  try {
    if (readText(path) === seen) unlinkQuietly(path);
  } finally {
    unlinkQuietly(breaker);
  }
}

export interface AcquireOptions {
  /** Take the lock even from a live-looking owner (a run stuck on another host, or an unknown pid). */
  readonly force?: boolean;
  /** Names the run in messages. */
  readonly runName?: string;
}

export function acquireRunLock(runDir: string, options: AcquireOptions = {}): RunLock {
  const path = join(runDir, LOCK_FILE);
  const name = options.runName ?? runDir;
  const text = JSON.stringify(currentOwner()) + '\n';
  let tookOver: string | null = null;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createExclusive(path, text)) {
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        process.off('exit', release);
        if (readText(path) === text) unlinkQuietly(path);
      };
      process.on('exit', release);
      return { path, tookOver, release };
    }
    const seen = readText(path);
    if (seen === null) continue;
    const state = judge(path, seen);
    if (state.kind === 'held' && !options.force)
      throw new RunLockedError(
        `run ${name} cannot be trained here: ${state.why}. Stop that run first; ` +
          `if it is stuck (its process is gone), resume with --force.`,
      );
    if (state.kind !== 'free') tookOver = state.kind === 'held' ? `forced: ${state.why}` : state.why;
    breakLock(path, seen);
  }
  throw new RunLockedError(`run ${name} cannot be trained here: its lock keeps changing hands`);
}
